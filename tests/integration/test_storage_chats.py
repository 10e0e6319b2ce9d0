"""Storage: SqlChatStore (upsert, settings, activity, migration) and SqlFeedbackStore."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from handlers.ports import ChatSettings
from handlers.types import ChatKind, ChatRef
from storage import Database, SqlChatStore, SqlFeedbackStore

GROUP = ChatRef("telegram", "-1001")
SUPERGROUP = ChatRef("telegram", "-1001000001")


async def rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    async with db.engine.connect() as s:
        return [tuple(r) for r in (await s.execute(text(sql))).all()]


async def test_upsert_chat_creates_then_refreshes(database: Database) -> None:
    store = SqlChatStore(database)
    assert await store.get_chat(GROUP) is None
    created = await store.upsert_chat(GROUP, ChatKind.GROUP, "论文阅读小组")
    assert created.chat == GROUP
    assert (created.kind, created.title, created.active) == (ChatKind.GROUP, "论文阅读小组", True)
    assert created.settings == ChatSettings()
    await store.save_settings(GROUP, ChatSettings(auto_links=True))
    refreshed = await store.upsert_chat(GROUP, ChatKind.CHANNEL, "新名字")
    assert (refreshed.kind, refreshed.title) == (ChatKind.CHANNEL, "新名字")
    assert refreshed.settings.auto_links is True  # settings survive a refresh
    assert await store.get_chat(GROUP) == refreshed
    assert await store.get_chat(ChatRef("discord", "-1001")) is None


async def test_set_active_keeps_reason_and_upsert_reactivates(database: Database) -> None:
    store = SqlChatStore(database)
    await store.upsert_chat(GROUP, ChatKind.GROUP, None)
    await store.set_active(GROUP, False, "403 Forbidden: bot was kicked")
    info = await store.get_chat(GROUP)
    assert info is not None
    assert info.active is False
    assert await rows(database, "SELECT inactive_reason FROM chats") == [
        ("403 Forbidden: bot was kicked",)
    ]
    assert (await store.upsert_chat(GROUP, ChatKind.GROUP, None)).active is True
    assert await rows(database, "SELECT inactive_reason FROM chats") == [(None,)]
    await store.set_active(ChatRef("discord", "404"), False, "unknown chat: no-op")
    assert await rows(database, "SELECT count(*) FROM chats") == [(1,)]


async def test_settings_round_trip_and_unknown_chat(database: Database) -> None:
    store = SqlChatStore(database)
    settings = ChatSettings(auto_links=True, reply_in_thread=True, language="zh")
    await store.save_settings(ChatRef("discord", "42"), settings)
    info = await store.get_chat(ChatRef("discord", "42"))
    assert info is not None
    assert info.settings == settings


async def test_concurrent_upserts_leave_one_chat(database: Database) -> None:
    store = SqlChatStore(database)
    infos = await asyncio.gather(
        *(store.upsert_chat(GROUP, ChatKind.GROUP, f"t{i}") for i in range(20))
    )
    assert {info.chat for info in infos} == {GROUP}
    assert await rows(database, "SELECT count(*) FROM chats") == [(1,)]


async def test_migrate_chat_moves_row_settings_and_feedback(database: Database) -> None:
    chats, feedback = SqlChatStore(database), SqlFeedbackStore(database)
    await chats.upsert_chat(GROUP, ChatKind.GROUP, "小组")
    await chats.save_settings(GROUP, ChatSettings(auto_links=True))
    await feedback.record_feedback(GROUP, "7", "2401.12215", 1)
    await chats.migrate_chat(GROUP, SUPERGROUP)
    assert await chats.get_chat(GROUP) is None
    moved = await chats.get_chat(SUPERGROUP)
    assert moved is not None
    assert (moved.title, moved.settings.auto_links) == ("小组", True)
    assert await feedback.get_feedback(SUPERGROUP, "7", "2401.12215") == 1
    assert await feedback.get_feedback(GROUP, "7", "2401.12215") is None


async def test_migrate_chat_tolerates_existing_new_chat(database: Database) -> None:
    chats, feedback = SqlChatStore(database), SqlFeedbackStore(database)
    await chats.upsert_chat(GROUP, ChatKind.GROUP, "old")
    await chats.save_settings(GROUP, ChatSettings(auto_links=True))
    await chats.upsert_chat(SUPERGROUP, ChatKind.GROUP, "new")
    await feedback.record_feedback(GROUP, "7", "2401.12215", 1)
    await feedback.record_feedback(GROUP, "8", "2401.12215", 1)
    await feedback.record_feedback(SUPERGROUP, "7", "2401.12215", -1)  # newer vote wins
    await chats.migrate_chat(GROUP, SUPERGROUP)
    await chats.migrate_chat(GROUP, SUPERGROUP)  # a repeated update is harmless
    assert await chats.get_chat(GROUP) is None
    merged = await chats.get_chat(SUPERGROUP)
    assert merged is not None
    assert (merged.title, merged.settings.auto_links) == ("new", True)
    assert await feedback.get_feedback(SUPERGROUP, "7", "2401.12215") == -1
    assert await feedback.get_feedback(SUPERGROUP, "8", "2401.12215") == 1
    assert await rows(database, "SELECT count(*) FROM feedback") == [(2,)]
    assert await rows(database, "SELECT count(*) FROM chats") == [(1,)]


async def test_feedback_second_press_replaces(database: Database) -> None:
    store = SqlFeedbackStore(database)
    await store.record_feedback(GROUP, "7", "2401.12215", 1)
    await store.record_feedback(GROUP, "7", "2401.12215", -1)
    await store.record_feedback(GROUP, "8", "2401.12215", 1)
    await store.record_feedback(ChatRef("discord", "-1001"), "7", "2401.12215", 1)
    assert await store.get_feedback(GROUP, "7", "2401.12215") == -1
    assert await store.tally("2401.12215") == (2, 1)
    assert await store.tally("1706.03762") == (0, 0)


async def test_concurrent_feedback_leaves_one_vote(database: Database) -> None:
    store = SqlFeedbackStore(database)
    await asyncio.gather(
        *(store.record_feedback(GROUP, "7", "2401.12215", 1 if i % 2 else -1) for i in range(20))
    )
    assert await rows(database, "SELECT count(*) FROM feedback") == [(1,)]
