"""Storage engine: URL normalisation, SQLite pragmas, lazy connect, PostgreSQL reconnects."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text

from storage import Database, SqlChatStore, normalize_url, upgrade_database
from storage.engine import sqlite_path
from tests.fakes.databases import asyncpg_dsn


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///./data/paperbot.db", "sqlite+aiosqlite:///./data/paperbot.db"),
        ("sqlite:////var/lib/paperbot/x.db", "sqlite+aiosqlite:////var/lib/paperbot/x.db"),
        ("sqlite://", "sqlite+aiosqlite://"),
        (
            "postgresql://u:p%40ss@db:5432/paperbot",
            "postgresql+asyncpg://u:p%40ss@db:5432/paperbot",
        ),
        ("postgres://u@db/paperbot", "postgresql+asyncpg://u@db/paperbot"),
        ("postgresql+asyncpg://u@db/paperbot", "postgresql+asyncpg://u@db/paperbot"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_normalize_url(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


def test_sqlite_path() -> None:
    assert sqlite_path("sqlite:///./data/x.db") == Path("./data/x.db")
    assert sqlite_path("sqlite://") is None
    assert sqlite_path("postgresql://u@h/db") is None


async def test_relative_sqlite_url_creates_directory_and_sets_pragmas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = Database("sqlite:///./data/paperbot.db")
    try:
        assert (tmp_path / "data").is_dir()
        async with db.engine.connect() as s:
            mode = (await s.execute(text("PRAGMA journal_mode"))).scalar_one()
            fks = (await s.execute(text("PRAGMA foreign_keys"))).scalar_one()
            busy = (await s.execute(text("PRAGMA busy_timeout"))).scalar_one()
        assert (mode, fks) == ("wal", 1)
        assert busy >= 5000
        assert (tmp_path / "data" / "paperbot.db").is_file()
    finally:
        await db.dispose()


async def test_nothing_connects_before_first_use() -> None:
    # Port 9 (discard) on loopback: nothing listens, so any connect attempt would fail loudly.
    db = Database("postgresql://postgres@127.0.0.1:9/absent")
    assert db.dialect == "postgresql"
    await db.dispose()


async def test_in_memory_sqlite_is_shared_between_sessions() -> None:
    db = Database("sqlite://")
    try:
        async with db.engine.connect() as s:
            await s.execute(text("CREATE TABLE t (x INTEGER)"))
            await s.execute(text("INSERT INTO t VALUES (1)"))
            await s.commit()
        async with db.engine.connect() as s:
            assert (await s.execute(text("SELECT x FROM t"))).scalar_one() == 1
    finally:
        await db.dispose()


async def _backend_pid(db: Database) -> int:
    async with db.engine.connect() as s:
        pid: int = (await s.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    return pid


@pytest.mark.postgres
async def test_postgres_reconnects_after_its_connections_are_killed(
    postgres_database_url: str,
) -> None:
    from handlers.types import ChatKind, ChatRef

    await upgrade_database(postgres_database_url)
    db = Database(postgres_database_url)
    try:
        store = SqlChatStore(db)
        chat = ChatRef("telegram", "-100")
        await store.upsert_chat(chat, ChatKind.GROUP, "论文组")
        before = await _backend_pid(db)
        admin = await asyncpg.connect(asyncpg_dsn(postgres_database_url))
        try:
            killed = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        finally:
            await admin.close()
        assert killed >= 1
        info = await store.get_chat(chat)  # the pooled connection is dead: pre-ping replaces it
        assert info is not None
        assert info.title == "论文组"
        assert await _backend_pid(db) != before
    finally:
        await db.dispose()
