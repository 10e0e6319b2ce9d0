"""The digest ranks each chat's matches with its own taste (SQLite and PostgreSQL): vectors
computed once per paper and shared, a /like seed moving a similar paper to the top."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text

from bot.digest_delivery import RecordingMessenger
from handlers.ports import ChatSettings
from handlers.relevance.service import Relevance
from handlers.types import ChatKind, ChatRef
from storage.chat_store import SqlChatStore
from storage.engine import Database
from storage.relevance_store import SqlRelevanceStore
from summarizer.embeddings.hashing import HashingEmbedder
from tests.fakes.digest_fakes import (
    LLM_PAPERS,
    Clock,
    FakeFeed,
    build_pipeline,
    entry,
    paper,
)
from tests.fakes.subscription_store import MemorySubscriptions

NOW = datetime(2026, 11, 25, 9, 31, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)
DAY = date(2026, 11, 24)  # Wednesday 09:31 Shanghai: Tuesday 20:00 ET announcement
LIKER = ChatRef("telegram", "1001")
PLAIN = ChatRef("telegram", "1002")
SEED = paper("2610.00042", "Aligning Language Models with Human Preferences: a Survey")


async def test_a_liked_paper_pulls_similar_ones_up_for_that_chat_only(database: Database) -> None:
    chats = SqlChatStore(database)
    subs = MemorySubscriptions()
    for chat in (LIKER, PLAIN):
        await chats.upsert_chat(chat, ChatKind.PRIVATE, None)
        # Cards style: one message per paper, so the first summary sent is the top entry.
        await chats.save_settings(
            chat, ChatSettings(max_papers=1, explore=False, digest_style="cards")
        )
        subs.subscribe(chat, "cs.CL")
    store = SqlRelevanceStore(database)
    relevance = Relevance(HashingEmbedder(), store)
    await relevance.remember(LIKER, [SEED], "like")
    tg = RecordingMessenger("telegram")
    pipeline = build_pipeline(database, subs, FakeFeed(DAY, [entry(p) for p in LLM_PAPERS]),
                              Clock(NOW), [tg], chats=chats)  # fmt: skip
    pipeline.relevance = relevance
    await pipeline.tick()
    first = {
        chat: reply.summary.paper.arxiv_id for chat, reply in tg.sent if reply.summary is not None
    }
    assert first[LIKER] == "2611.00002"  # "A Survey of Language Model Alignment"
    assert first[PLAIN] == "2611.00006"  # no taste yet: the newest id, as before
    async with database.engine.connect() as s:
        stored = (await s.execute(text("SELECT count(*) FROM paper_embeddings"))).scalar_one()
    assert stored == 3 + 1  # the three cs.CL papers fetched, once each for both chats; the seed
    pipeline.close()


async def test_ranking_failure_falls_back_to_matching_order(database: Database) -> None:
    class Broken(SqlRelevanceStore):
        async def signals(self, chat: ChatRef) -> list:  # type: ignore[type-arg]
            raise RuntimeError("profile store down")

    chats = SqlChatStore(database)
    subs = MemorySubscriptions()
    await chats.upsert_chat(PLAIN, ChatKind.PRIVATE, None)
    await chats.save_settings(PLAIN, ChatSettings(max_papers=1, digest_style="cards"))
    subs.subscribe(PLAIN, "cs.CL")
    tg = RecordingMessenger("telegram")
    pipeline = build_pipeline(database, subs, FakeFeed(DAY, [entry(p) for p in LLM_PAPERS]),
                              Clock(NOW), [tg], chats=chats)  # fmt: skip
    pipeline.relevance = Relevance(HashingEmbedder(), Broken(database))
    await pipeline.tick()
    sent = [r.summary.paper.arxiv_id for _, r in tg.sent if r.summary is not None]
    assert sent == ["2611.00006"]
    pipeline.close()
