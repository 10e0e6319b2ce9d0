"""`/digest` tells the truth: the newest announcement (or the one already delivered, saying so)
and when the next digest comes; never "no papers" or "holiday" on a day that has papers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.digest_delivery import RecordingMessenger
from bot.render.text import render_text
from handlers.digest.render import EMPTY_NOTICE
from handlers.ports import ChatSettings
from handlers.types import ChatKind, ChatRef, Reply
from storage.chat_store import SqlChatStore
from storage.engine import Database
from tests.fakes.digest_fakes import (
    LLM_PAPERS,
    Clock,
    FakeFeed,
    build_pipeline,
    entry,
)
from tests.fakes.subscription_store import MemorySubscriptions

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHAT = ChatRef("telegram", "1001")
SUNDAY = date(2026, 11, 29)  # announced Sunday 20:00 ET, in the feed from Monday midnight ET
MONDAY = date(2026, 11, 30)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def shown(replies: list[Reply]) -> str:
    return "\n\n".join(render_text(r) for r in replies)


def digest_ids(replies: list[Reply]) -> set[str]:
    return {
        e.arxiv_id.split("v")[0] for r in replies if r.digest is not None for e in r.digest.entries
    }


async def setup(database: Database, **settings: object) -> tuple[SqlChatStore, MemorySubscriptions]:
    chats, subs = SqlChatStore(database), MemorySubscriptions()
    await chats.upsert_chat(CHAT, ChatKind.PRIVATE, None)
    await chats.save_settings(CHAT, ChatSettings.model_validate(settings))
    subs.subscribe(CHAT, "cs.CL")
    return chats, subs


async def test_the_issue_tuesday_evening_previews_the_newest_announcement(
    database: Database,
) -> None:
    """Reproduces issue 14: `/sub cs.CL` then `/digest` at 22:00 Beijing on a Tuesday said
    "2026-11-29 的 arXiv 公告中没有与订阅匹配的新论文" (and, with the notice on, "周末/节假日")
    while the feed held matching papers of Monday's announcement."""
    for notice in (False, True):
        chats, subs = await setup(database, empty_notice=notice)
        feed = FakeFeed(MONDAY, [entry(p) for p in LLM_PAPERS])
        clock = Clock(at(1, 22))
        pipeline = build_pipeline(database, subs, feed, clock, [], chats=chats)
        replies = await pipeline.preview(CHAT)
        text = shown(replies)
        assert "没有与订阅匹配" not in text and "没有与这里的订阅匹配" not in text
        assert EMPTY_NOTICE not in text and "节假日" not in text
        assert digest_ids(replies) == {"2611.00001", "2611.00002", "2611.00006"}
        assert "2026-11-30（周一）" in text  # the announcement's date, the only date shown
        assert "下一期速递：明天（12-02 周三）09:30" in text
        assert "2026-11-29" not in text
        pipeline.close()


async def test_preview_after_delivery_shows_what_was_sent_and_says_so(database: Database) -> None:
    chats, subs = await setup(database)
    feed = FakeFeed(MONDAY, [entry(p) for p in LLM_PAPERS])  # made 09:00 Beijing Tuesday
    clock = Clock(at(1, 9, 31))
    messenger = RecordingMessenger("telegram")
    pipeline = build_pipeline(database, subs, feed, clock, [messenger], chats=chats)
    report = await pipeline.tick()
    assert report.claimed == 1 and messenger.sent
    clock.now = at(1, 10, 0)
    replies = await pipeline.preview(CHAT)
    text = shown(replies)
    assert "已于 今天（12-01 周二）09:30" in text and "推送过" in text
    assert digest_ids(replies) == {"2611.00001", "2611.00002", "2611.00006"}
    assert "下一期速递：明天（12-02 周三）09:30" in text
    sent_before = len(messenger.sent)
    await pipeline.tick()
    assert len(messenger.sent) == sent_before  # a preview is never a delivery
    pipeline.close()


async def test_a_preview_does_not_make_the_scheduler_skip_a_day(database: Database) -> None:
    """A preview late on Tuesday sees Monday's announcement; the digest owed since this
    morning's slot (that same announcement, not yet delivered) is still sent by a tick."""
    chats, subs = await setup(database)
    feed = FakeFeed(MONDAY, [entry(p) for p in LLM_PAPERS[:2]])
    clock = Clock(at(1, 22))
    messenger = RecordingMessenger("telegram")
    pipeline = build_pipeline(database, subs, feed, clock, [messenger], chats=chats)
    await pipeline.preview(CHAT)
    report = await pipeline.tick()
    assert report.claimed == 1
    assert any(r.digest is not None or r.summary is not None for _, r in messenger.sent)
    pipeline.close()
