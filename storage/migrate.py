"""Schema upgrades: Alembic configured in code, serialised across processes by a lock."""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.engine import Database, sqlite_path

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
# pg_advisory_xact_lock key: the bytes of "paperbot" as a signed 64-bit integer.
PG_LOCK_KEY = int.from_bytes(b"paperbot", "big", signed=True)
LOCK_POLL_SECONDS = 0.05

log = logging.getLogger(__name__)


def alembic_config() -> Config:
    """The Alembic configuration without any alembic.ini (package data only)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest revision id shipped with this package (reads the revision files)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _upgrade(connection: Connection, revision: str) -> tuple[str | None, str | None]:
    """Upgrade; returns the schema revision before and after."""
    before = MigrationContext.configure(connection).get_current_revision()
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
    return before, MigrationContext.configure(connection).get_current_revision()


async def upgrade_database(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision` (head). Safe to run from several processes at
    once: PostgreSQL takes a transaction-level advisory lock, SQLite an exclusive lock on a
    file beside the database; the second runner then finds the schema current."""
    db = Database(url)
    try:
        if db.dialect == "postgresql":
            async with db.engine.begin() as conn:
                # Released by the COMMIT that also publishes the new schema (DDL is transactional).
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
                before, after = await conn.run_sync(_upgrade, revision)
        else:
            async with _file_lock(sqlite_path(db.url)), db.engine.begin() as conn:
                before, after = await conn.run_sync(_upgrade, revision)
    finally:
        await db.dispose()
    if before != after:
        log.info("database schema upgraded: %s -> %s", before or "empty", after)


def _open_lock_file(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)


@asynccontextmanager
async def _file_lock(database: Path | None) -> AsyncIterator[None]:
    """flock() on `<db>.migrate.lock`; polled without blocking so the loop stays free and a
    cancelled waiter leaves nothing behind. Not the database file itself: closing any other
    descriptor of that file would drop SQLite's own POSIX locks in this process."""
    if database is None:  # in-memory: nobody else can see it
        yield
        return
    fd = await asyncio.to_thread(
        _open_lock_file, database.with_name(database.name + ".migrate.lock")
    )
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                await asyncio.sleep(LOCK_POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
