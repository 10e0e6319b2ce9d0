"""Storage migrations: upgrade to head, idempotent and safe when two processes race."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from storage import Database, upgrade_database
from storage.engine import sqlite_path
from storage.metadata import metadata
from storage.migrate import PG_LOCK_KEY, _file_lock, head_revision
from tests.fakes.databases import asyncpg_dsn

ROOT = Path(__file__).resolve().parents[2]
UPGRADE_SCRIPT = "import asyncio, sys; from storage import upgrade_database; " + (
    "asyncio.run(upgrade_database(sys.argv[1]))"
)


async def _versions(url: str) -> list[str]:
    db = Database(url)
    try:
        async with db.engine.connect() as s:
            return list(
                (await s.execute(text("SELECT version_num FROM alembic_version"))).scalars()
            )
    finally:
        await db.dispose()


async def test_upgrade_reaches_head_and_is_idempotent(database_url: str) -> None:
    await upgrade_database(database_url)
    await upgrade_database(database_url)
    assert await _versions(database_url) == [head_revision()]


async def test_two_processes_upgrading_at_once_both_succeed(database_url: str) -> None:
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            UPGRADE_SCRIPT,
            database_url,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    results = await asyncio.gather(*(p.communicate() for p in procs))
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err.decode()
    assert await _versions(database_url) == [head_revision()]


async def test_concurrent_upgrades_in_one_process(database_url: str) -> None:
    await asyncio.gather(*(upgrade_database(database_url) for _ in range(3)))
    assert await _versions(database_url) == [head_revision()]


def _schema(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    return {
        table: {column["name"] for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def test_migrated_schema_matches_the_table_models(database: Database) -> None:
    async with database.engine.connect() as conn:
        migrated = await conn.run_sync(_schema)
        differences = await conn.run_sync(_differences)
    declared = {name: {c.name for c in table.columns} for name, table in metadata.tables.items()}
    assert migrated == declared
    assert differences == []


async def test_sqlite_upgrade_waits_for_the_migration_lock(sqlite_database_url: str) -> None:
    async with _file_lock(sqlite_path(sqlite_database_url)):
        upgrade = asyncio.create_task(upgrade_database(sqlite_database_url))
        await asyncio.sleep(0.3)
        assert not upgrade.done()
    await upgrade
    assert await _versions(sqlite_database_url) == [head_revision()]


@pytest.mark.postgres
async def test_postgres_upgrade_waits_for_the_advisory_lock(postgres_database_url: str) -> None:
    holder = await asyncpg.connect(asyncpg_dsn(postgres_database_url))
    try:
        async with holder.transaction():
            await holder.execute("SELECT pg_advisory_xact_lock($1)", PG_LOCK_KEY)
            upgrade = asyncio.create_task(upgrade_database(postgres_database_url))
            await asyncio.sleep(0.3)
            assert not upgrade.done()
        await upgrade
    finally:
        await holder.close()
    assert await _versions(postgres_database_url) == [head_revision()]
