"""The async engine and sessions: URL normalisation, SQLite pragmas, PostgreSQL pre-ping."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlalchemy.util import await_only
from sqlmodel.ext.asyncio.session import AsyncSession

DEFAULT_URL = "sqlite:///./data/paperbot.db"
SQLITE_BUSY_TIMEOUT_MS = 15_000
WAL_ATTEMPTS = 40  # ~41 s in all, longer than the busy timeout

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
}


def normalize_url(url: str) -> str:
    """Turn the URL a user writes (`sqlite:///./data/x.db`, `postgres://...`) into the async
    driver's URL (`sqlite+aiosqlite:///...`, `postgresql+asyncpg://...`). Pure: no I/O."""
    parsed = make_url(url)
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    if driver is not None:
        parsed = parsed.set(drivername=driver)
    return parsed.render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL; None for PostgreSQL and in-memory SQLite."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite" or _is_memory(parsed):
        return None
    return Path(parsed.database or "")


def _is_memory(parsed: URL) -> bool:
    return parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory"


def _json_dumps(value: Any) -> str:
    # Readable Chinese in the database (psql / sqlite3 shell) instead of \uXXXX escapes.
    return json.dumps(value, ensure_ascii=False)


class Database:
    """One engine per process, built from a URL; connects lazily on first use."""

    def __init__(self, url: str = DEFAULT_URL, *, echo: bool = False) -> None:
        self.url = normalize_url(url)
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo, "json_serializer": _json_dumps}
        if self.dialect == "sqlite":
            if _is_memory(parsed):
                # One shared connection, or every session would see its own empty database.
                kwargs["poolclass"] = StaticPool
            else:
                path = sqlite_path(self.url)
                if path is not None:
                    path.parent.mkdir(parents=True, exist_ok=True)
        else:
            # A restarted server leaves dead pooled connections: test each one on checkout.
            kwargs["pool_pre_ping"] = True
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session; call `await s.commit()` to keep writes (rolled back otherwise)."""
        async with self._sessions() as s:
            yield s

    async def dispose(self) -> None:
        await self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({make_url(self.url).render_as_string(hide_password=True)!r})"


def _enable_wal(cursor: Any) -> None:
    """`PRAGMA journal_mode = WAL`, retried: switching a new database file to WAL needs an
    exclusive lock, and SQLite answers "database is locked" at once (no busy handler) when
    another process opens the same new file at that instant (two `paperbot db upgrade` at
    once; seen in CI under load). The connect event runs in SQLAlchemy's greenlet on the
    event loop, so the pause is awaited (await_only), not slept."""
    for attempt in range(WAL_ATTEMPTS):
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except Exception as exc:  # the driver's OperationalError, whichever driver
            if "locked" not in str(exc) or attempt == WAL_ATTEMPTS - 1:
                raise
            await_only(asyncio.sleep(0.05 * (attempt + 1)))


def _configure_sqlite(engine: AsyncEngine) -> None:
    """WAL, foreign keys and a busy timeout on every connection, and real transactions.

    The sqlite3 module (under aiosqlite) only emits BEGIN before DML, so SELECTs and DDL run
    outside any transaction; SQLAlchemy's documented recipe turns that off and emits BEGIN
    itself, which makes migrations atomic and reads consistent. Write paths should start with a
    write statement: a transaction that reads first and then writes can get SQLITE_BUSY.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            _enable_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")
