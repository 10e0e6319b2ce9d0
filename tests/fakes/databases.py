"""pytest plugin: `database_url` (SQLite file / fresh PostgreSQL database) and `database`.

Every test using them runs twice, on SQLite and on PostgreSQL. The PostgreSQL server comes from
PAPERBOT_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test); each test gets
its own database, dropped afterwards. An unreachable server skips those tests locally and fails
them when CI is set.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from storage import Database, upgrade_database

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
CONNECT_TIMEOUT_SECONDS = 5.0


def postgres_server_url() -> str:
    return os.environ.get("PAPERBOT_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}


def asyncpg_dsn(url: str) -> str:
    """asyncpg speaks plain postgresql:// URLs only (no SQLAlchemy driver suffix)."""
    scheme, sep, rest = url.partition("://")
    return f"postgresql://{rest}" if sep and scheme.startswith("postgres") else url


def _with_database(url: str, name: str) -> str:
    base, _, query = url.partition("?")
    head, _, _old = base.rpartition("/")
    return f"{head}/{name}" + (f"?{query}" if query else "")


async def _admin_connection() -> asyncpg.Connection:
    url = postgres_server_url()
    try:
        return await asyncpg.connect(asyncpg_dsn(url), timeout=CONNECT_TIMEOUT_SECONDS)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        message = (
            f"PostgreSQL is unreachable at {url} ({type(exc).__name__}: {exc}). Start it "
            "(pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or "
            "point PAPERBOT_TEST_POSTGRES_URL at a server."
        )
        if _on_ci():
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
async def postgres_database_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database (created for this test, dropped after it)."""
    name = f"paperbot_t_{secrets.token_hex(6)}"
    admin = await _admin_connection()
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield _with_database(postgres_server_url(), name)
    finally:
        admin = await _admin_connection()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture
def sqlite_database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'paperbot.db'}"


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database's URL, in the plain form users write (sqlite:/// or postgresql://)."""
    name = "sqlite_database_url" if request.param == "sqlite" else "postgres_database_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A migrated (upgraded to head) Database on `database_url`, disposed after the test."""
    await upgrade_database(database_url)
    db = Database(database_url)
    try:
        yield db
    finally:
        await db.dispose()
