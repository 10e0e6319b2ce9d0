"""`/forget` storage: every chat-keyed table (found from the schema) loses that chat's rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, String, Table, func, insert, select

from handlers.types import ChatRef
from storage import Database
from storage.forget import chat_tables, forget_chat
from storage.metadata import metadata
from storage.tables import UsageRecordRow
from storage.upsert import table_of

GONE = ChatRef("telegram", "-100777")
KEPT = ChatRef("telegram", "-100888")
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def schema_chat_tables() -> list[Table]:
    """Tables with both `platform` and `chat_id`: the schema, not a hand-kept list."""
    return [t for t in metadata.sorted_tables if {"platform", "chat_id"} <= set(t.c.keys())]


def filler(column: Column[Any]) -> Any:
    """A value of the column's type, for columns that need one."""
    kind = getattr(column.type, "impl_instance", column.type)  # AutoString, UTCDateTime
    if isinstance(kind, JSON):
        return []
    if isinstance(kind, String):  # sqlmodel's AutoString reports python_type `object`
        return "x"
    python_type = column.type.python_type
    values: dict[type, Any] = {
        str: "x", int: 1, float: 0.5, bool: True, date: date(2026, 11, 25), datetime: NOW,
        dict: {}, list: [],
    }  # fmt: skip
    return values[python_type]


def row_for(table: Table, chat: ChatRef) -> dict[str, Any]:
    row: dict[str, Any] = {"platform": chat.platform, "chat_id": chat.chat_id}
    for column in table.c:
        if column.name in row or column.primary_key:
            continue
        if column.nullable and column.default is None:
            continue
        row[column.name] = filler(column)
    return row


async def count(db: Database, table: Table, chat: ChatRef) -> int:
    where = (table.c.platform == chat.platform) & (table.c.chat_id == chat.chat_id)
    async with db.engine.connect() as conn:
        return int(
            (await conn.execute(select(func.count()).select_from(table).where(where))).scalar_one()
        )


def test_every_chat_keyed_table_is_forgotten() -> None:
    """A new table with platform/chat_id must join CHAT_KEYED (so /forget and migrate_chat
    reach it) — or this fails."""
    assert {t.name for t in chat_tables()} == {t.name for t in schema_chat_tables()}


async def test_forget_deletes_one_chat_everywhere(database: Database) -> None:
    tables = schema_chat_tables()
    assert {"chats", "feedback", "subscriptions", "digest_state", "deliveries", "sent_papers"} <= {
        t.name for t in tables
    }
    usage = table_of(UsageRecordRow)
    async with database.engine.begin() as conn:
        for table in tables:
            await conn.execute(insert(table).values([row_for(table, GONE), row_for(table, KEPT)]))
        usage_row = {
            "at": NOW,
            "provider": "gemini",
            "model": "m",
            "arxiv_id": "2401.12215",
            "mode": "condensed",
        }
        await conn.execute(
            insert(usage).values(
                [{**usage_row, "chat": str(GONE)}, {**usage_row, "chat": str(KEPT)}]
            )
        )

    affected = await forget_chat(database, GONE)

    assert affected == len(tables) + 1
    for table in tables:
        assert await count(database, table, GONE) == 0, table.name
        assert await count(database, table, KEPT) == 1, table.name
    async with database.engine.connect() as conn:
        chats = sorted(str(c) for c in (await conn.execute(select(usage.c.chat))).scalars())
    assert chats == ["None", str(KEPT)]  # token accounting stays, without the chat
    assert await forget_chat(database, GONE) == 0  # idempotent


async def test_chat_store_forget_chat(database: Database) -> None:
    from handlers.types import ChatKind
    from storage import SqlChatStore, SqlFeedbackStore

    chats, votes = SqlChatStore(database), SqlFeedbackStore(database)
    await chats.upsert_chat(GONE, ChatKind.GROUP, "论文阅读小组")
    await votes.record_feedback(GONE, "12345", "2401.12215", 1)
    assert await chats.forget_chat(GONE) == 2
    assert await chats.get_chat(GONE) is None
    assert await votes.get_feedback(GONE, "12345", "2401.12215") is None
