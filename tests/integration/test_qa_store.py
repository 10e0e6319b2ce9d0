"""Storage: SqlTurnStore keeps a question thread's last turns, per chat, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.types import ChatKind, ChatRef
from storage import Database, SqlChatStore, SqlUsageStore
from storage.qa_store import KEEP_TURNS, SqlTurnStore
from summarizer.models import UsageEvent
from summarizer.qa.prompt import Turn

GROUP = "telegram:-1001"
SUPERGROUP = "telegram:-1001000001"


async def test_recent_turns_are_the_last_ones_oldest_first(database: Database) -> None:
    store = SqlTurnStore(database)
    for i in range(5):
        await store.add_turn(GROUP, "abc123", "2401.12215", Turn(f"问题 {i}", f"回答 {i}"))
    await store.add_turn(GROUP, "other1", "2401.12215", Turn("别的线程", "x"))
    turns = await store.recent_turns(GROUP, "abc123", 3)
    assert [t.question for t in turns] == ["问题 2", "问题 3", "问题 4"]
    assert turns[-1].answer == "回答 4"


async def test_a_thread_id_from_another_chat_reads_nothing(database: Database) -> None:
    store = SqlTurnStore(database)
    await store.add_turn(GROUP, "abc123", "2401.12215", Turn("机密问题", "机密回答"))
    assert await store.recent_turns("discord:1001", "abc123", 3) == []
    assert await store.recent_turns("telegram:-1002", "abc123", 3) == []


async def test_nul_and_huge_text_are_stored_safely(database: Database) -> None:
    store = SqlTurnStore(database)
    await store.add_turn(GROUP, "t", "2401.12215", Turn("a\x00b" + "长" * 10_000, "ok"))
    [turn] = await store.recent_turns(GROUP, "t", 3)
    assert turn.question.startswith("ab") and len(turn.question) <= 4_000


async def test_threads_follow_a_group_that_became_a_supergroup(database: Database) -> None:
    chats = SqlChatStore(database)
    store = SqlTurnStore(database)
    await chats.upsert_chat(ChatRef.parse(GROUP), ChatKind.GROUP, "组")
    await store.add_turn(GROUP, "t", "2401.12215", Turn("问", "答"))
    await chats.migrate_chat(ChatRef.parse(GROUP), ChatRef.parse(SUPERGROUP))
    assert [t.question for t in await store.recent_turns(SUPERGROUP, "t", 3)] == ["问"]
    assert await store.recent_turns(GROUP, "t", 3) == []


async def test_old_turns_are_deleted_beyond_the_last_few(database: Database) -> None:
    store = SqlTurnStore(database)
    for i in range(KEEP_TURNS + 4):
        await store.add_turn(GROUP, "t", "2401.12215", Turn(f"问题 {i}", "答"))
    await store.add_turn(GROUP, "other", "2401.12215", Turn("别的", "答"))
    kept = await store.recent_turns(GROUP, "t", 100)
    assert [t.question for t in kept] == [f"问题 {i}" for i in range(4, KEEP_TURNS + 4)]
    assert len(await store.recent_turns(GROUP, "other", 100)) == 1


async def test_answer_calls_are_counted_per_chat_in_usage(database: Database) -> None:
    usage = SqlUsageStore(database)
    at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    event = UsageEvent(
        at=at, provider="gemini", model="m", arxiv_id="2401.12215", mode="answer",
        input_tokens=2_400, output_tokens=80, cost_usd=0.01, chat=GROUP,
    )  # fmt: skip
    await usage.record_usage(event)
    [row] = await usage.usage_report(at.date())
    assert (row.chat, row.calls, row.input_tokens) == (GROUP, 1, 2_400)
