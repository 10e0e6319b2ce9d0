"""The digest pipeline end to end on SQLite and PostgreSQL, with fakes of our own ports."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.digest_delivery import RecordingMessenger
from handlers.digest.render import EMPTY_NOTICE, UNREACHABLE_NOTICE
from handlers.digest.types import Ready, TransientSendError
from handlers.ports import ChatSettings
from handlers.types import ChatKind, ChatRef, ChatUnreachable, Reply
from storage.chat_store import SqlChatStore
from storage.engine import Database
from tests.fakes.digest_fakes import (
    LLM_PAPERS,
    Clock,
    FakeFeed,
    build_pipeline,
    entry,
    paper,
)
from tests.fakes.services import FakePapers, FakeSummaries
from tests.fakes.subscription_store import MemorySubscriptions

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Wednesday 09:31 in Shanghai = Tuesday 20:31 ET: the listing shows Tuesday's announcement.
NOW = datetime(2026, 11, 25, 9, 31, tzinfo=SHANGHAI).astimezone(UTC)
DAY = date(2026, 11, 24)
TG1 = ChatRef("telegram", "1001")
TG2 = ChatRef("telegram", "-100200")
DC1 = ChatRef("discord", "3003")


async def setup_chats(db: Database, **settings: object) -> tuple[SqlChatStore, MemorySubscriptions]:
    chats = SqlChatStore(db)
    subs = MemorySubscriptions()
    for chat, kind in ((TG1, ChatKind.PRIVATE), (TG2, ChatKind.GROUP), (DC1, ChatKind.GROUP)):
        await chats.upsert_chat(chat, kind, None)
        # Cards style (one ledger part per paper): these tests follow single papers through
        # the ledger; the compact default is covered by test_compact_digest_adapters.
        await chats.save_settings(
            chat, ChatSettings.model_validate({"digest_style": "cards", **settings})
        )
    subs.subscribe(TG1, "cs.CL")
    subs.subscribe(TG2, '"language model"')
    subs.subscribe(DC1, "cs.CL", "retrieval")
    return chats, subs


def papers_of(messenger: RecordingMessenger) -> Counter[tuple[str, str]]:
    return Counter(
        (str(chat), reply.summary.paper.arxiv_id)
        for chat, reply in messenger.sent
        if reply.summary is not None
    )


def texts_to(messenger: RecordingMessenger, chat: ChatRef) -> list[str]:
    return [r.text for c, r in messenger.sent if c == chat and r.summary is None]


async def test_a_day_reaches_every_chat_once_with_one_model_call_per_paper(
    database: Database,
) -> None:
    chats, subs = await setup_chats(database)
    feed = FakeFeed(DAY, [entry(p) for p in LLM_PAPERS])
    tg, dc = RecordingMessenger("telegram"), RecordingMessenger("discord")
    summaries = FakeSummaries(FakePapers())
    pipeline = build_pipeline(
        database, subs, feed, Clock(NOW), [tg, dc], summaries=summaries, chats=chats
    )
    report = await pipeline.tick()
    assert report.claimed == 3
    got = papers_of(tg) + papers_of(dc)
    assert set(got.values()) == {1}
    assert {aid for chat, aid in got if chat == str(TG1)} == {
        "2611.00001",
        "2611.00002",
        "2611.00006",
    }
    assert {aid for chat, aid in got if chat == str(TG2)} == {
        "2611.00001",
        "2611.00002",
        "2611.00005",
    }
    assert {aid for chat, aid in got if chat == str(DC1)} == {
        "2611.00001",
        "2611.00002",
        "2611.00003",
        "2611.00006",
    }
    # The pipeline itself asks once per paper for all chats (the fake's cache cannot hide a
    # second request: `requests` counts every call).
    assert sum(summaries.requests.values()) == 5 and summaries.model_calls == 5
    header = texts_to(tg, TG1)[0]
    assert header.startswith("🗞 arXiv 每日速递 · 2026-11-24（周二）· cs.CL")
    # A second tick, and a later one the same day, send nothing more.
    again = await pipeline.tick()
    pipeline._clock.now = NOW + timedelta(hours=5)  # type: ignore[attr-defined]
    later = await pipeline.tick()
    assert (again.claimed, again.sent.sent, later.claimed, later.sent.sent) == (0, 0, 0, 0)
    assert len(feed.calls) == 1  # the announcement was recorded once
    stored = await pipeline.store.get_announcement(DAY)
    assert stored is not None and len(stored.entries) == len(LLM_PAPERS) - 1  # q-bio not asked
    parts = await pipeline.store.parts_for(TG1, DAY)
    assert [p.status for p in parts] == ["sent"] * 4
    assert all(p.message_ids for p in parts)
    pipeline.close()


async def test_cap_lists_the_rest_and_papers_never_repeat_on_later_days(
    database: Database,
) -> None:
    _chats, subs = await setup_chats(database, max_papers=1)
    feed = FakeFeed(DAY, [entry(p) for p in LLM_PAPERS])
    tg = RecordingMessenger("telegram")
    clock = Clock(NOW)
    pipeline = build_pipeline(database, subs, feed, clock, [tg, RecordingMessenger("discord")])
    await pipeline.tick()
    texts = texts_to(tg, TG1)
    assert texts[0].splitlines()[1] == "今日匹配 3 篇，以下为前 1 篇；按相关度排序。"
    assert texts[1].startswith("还有 2 篇：\n• ")
    assert "— https://arxiv.org/abs/2611.0000" in texts[1]  # linked, not a bare id
    shown = {aid for _, aid in papers_of(tg) if _ == str(TG1)}
    # Next day: the same papers show up again (cross-listed) plus one new paper.
    fresh = paper("2611.00100", "Language Model Agents that Plan")
    feed.show(DAY + timedelta(days=1), [entry(p, "cross") for p in LLM_PAPERS] + [entry(fresh)])
    clock.now = NOW + timedelta(days=1)
    tg.sent.clear()
    await pipeline.tick()
    again = {aid for chat, aid in papers_of(tg) if chat == str(TG1)}
    assert again == {"2611.00100"}
    assert not shown & again
    pipeline.close()


async def test_unreachable_arxiv_is_said_once_then_the_digest_comes_late(
    database: Database,
) -> None:
    _chats, subs = await setup_chats(database, empty_notice=True)
    feed = FakeFeed(DAY, [entry(p) for p in LLM_PAPERS])
    feed.fail_next(100)
    tg, dc = RecordingMessenger("telegram"), RecordingMessenger("discord")
    clock = Clock(NOW)
    pipeline = build_pipeline(database, subs, feed, clock, [tg, dc])
    first = await pipeline.tick()
    assert first.notices == 3 and first.claimed == 0
    for minutes in (1, 2, 5, 30):  # backoff: later ticks retry, nobody is told twice
        clock.now = NOW + timedelta(minutes=minutes)
        await pipeline.tick()
    assert texts_to(tg, TG1) == [UNREACHABLE_NOTICE]
    assert texts_to(dc, DC1) == [UNREACHABLE_NOTICE]
    calls = len(feed.calls)
    assert calls < 3 * 5  # backoff skipped some ticks
    feed.fail_next(0)
    clock.now = NOW + timedelta(hours=3)
    report = await pipeline.tick()
    assert report.claimed == 3
    assert texts_to(tg, TG1)[1].startswith("🗞")
    assert all(EMPTY_NOTICE not in t for t in texts_to(tg, TG1) + texts_to(dc, DC1))
    assert papers_of(tg)[(str(TG1), "2611.00001")] == 1
    pipeline.close()


async def test_days_without_announcement_notify_only_chats_that_asked(
    database: Database,
) -> None:
    chats, subs = await setup_chats(database)
    await chats.save_settings(TG1, ChatSettings(empty_notice=True))
    # Sunday 09:31 Shanghai = Saturday 20:31 ET: the due evening is Saturday, when arXiv is
    # silent (the listing still shows Wednesday's: Thursday 26th was Thanksgiving).
    sunday = datetime(2026, 11, 29, 9, 31, tzinfo=SHANGHAI)
    feed = FakeFeed(date(2026, 11, 25))
    tg, dc = RecordingMessenger("telegram"), RecordingMessenger("discord")
    pipeline = build_pipeline(database, subs, feed, Clock(sunday), [tg, dc], summarize_ahead=False)
    report = await pipeline.tick()
    assert report.claimed == 3
    assert feed.calls == []  # the calendar knows; no fetch
    assert texts_to(tg, TG1) == [EMPTY_NOTICE]
    assert texts_to(tg, TG2) == [] and dc.sent == []
    pipeline.close()


async def test_two_pipelines_racing_never_double_send(database: Database) -> None:
    _chats, subs = await setup_chats(database)
    feed = FakeFeed(DAY, [entry(p) for p in LLM_PAPERS])
    tg, dc = RecordingMessenger("telegram", delay=0.001), RecordingMessenger("discord")
    other = Database(database.url)
    try:
        a = build_pipeline(database, subs, feed, Clock(NOW), [tg, dc])
        b = build_pipeline(other, subs, feed, Clock(NOW), [tg, dc])
        ra, rb = await asyncio.gather(a.tick(), b.tick())
        await asyncio.gather(a.tick(), b.tick())
        assert ra.claimed + rb.claimed == 3
        got = papers_of(tg) + papers_of(dc)
        assert len(got) == 3 + 3 + 4 and set(got.values()) == {1}
        headers = Counter(str(c) for c, r in tg.sent + dc.sent if r.text.startswith("🗞"))
        assert set(headers.values()) == {1} and len(headers) == 3
        a.close()
        b.close()
    finally:
        await other.dispose()


async def test_blocked_chat_is_deactivated_and_transient_errors_retry_then_give_up(
    database: Database,
) -> None:
    chats, subs = await setup_chats(database)
    feed = FakeFeed(DAY, [entry(p) for p in LLM_PAPERS])
    flaky = {"left": 2}

    def telegram_fail(chat: ChatRef, reply: Reply) -> Exception | None:
        if chat == TG1:
            return ChatUnreachable("403 Forbidden: bot was blocked by the user")
        if chat == TG2 and flaky["left"] > 0:
            flaky["left"] -= 1
            return TransientSendError("502 Bad Gateway")
        return None

    def discord_fail(chat: ChatRef, reply: Reply) -> Exception | None:
        return TransientSendError("503")

    tg = RecordingMessenger("telegram", fail=telegram_fail)
    dc = RecordingMessenger("discord", fail=discord_fail)
    from handlers.digest.sender import SendPolicy

    pipeline = build_pipeline(
        database,
        subs,
        feed,
        Clock(NOW),
        [tg, dc],
        chats=chats,
        policy=SendPolicy(max_attempts=3, retry_base_seconds=0.0),
    )
    report = await pipeline.run_now(max_wait=5)
    info = await chats.get_chat(TG1)
    assert info is not None and not info.active
    assert report.sent.deactivated == [TG1]
    assert {p.status for p in await pipeline.store.parts_for(TG1, DAY)} == {"failed"}
    assert papers_of(tg)[(str(TG2), "2611.00001")] == 1  # delivered after two 502s
    assert {p.status for p in await pipeline.store.parts_for(TG2, DAY)} == {"sent"}
    dc_parts = await pipeline.store.parts_for(DC1, DAY)
    assert {p.status for p in dc_parts} == {"failed"}
    assert all("gave up after 3" in (p.error or "") for p in dc_parts)
    # Deactivated chats are not due any more.
    assert TG1 not in [d.chat for d in await pipeline.due_chats(NOW + timedelta(days=1))]
    pipeline.close()


class BlindMessenger:
    """A platform that cannot tell whether a message arrived (like Telegram)."""

    platform = "telegram"

    def __init__(self) -> None:
        self.sent: list[tuple[ChatRef, Reply]] = []

    resend_window = 0.0

    async def send(
        self,
        chat: ChatRef,
        replies: list[Reply],
        *,
        ready: Ready | None = None,
        key: str | None = None,
    ) -> list[str]:
        if ready is not None:
            assert await ready()
        self.sent += [(chat, r) for r in replies]
        return [str(len(self.sent))]


async def test_a_part_in_flight_at_a_crash_is_resent_only_when_confirmed_missing(
    database: Database,
) -> None:
    _chats, subs = await setup_chats(database)
    feed = FakeFeed(DAY, [entry(p) for p in LLM_PAPERS])
    dead = build_pipeline(database, subs, feed, Clock(NOW), [])
    await dead.plan(NOW)  # claimed and planned; then it "dies" mid-send on two parts
    [tg_part, *_] = await dead.store.parts_for(TG1, DAY)
    [dc_part, *_] = await dead.store.parts_for(DC1, DAY)
    for part in (tg_part, dc_part):
        assert await dead.store.begin_send(part.id, dead.sender.owner, NOW)
    dead.close()
    blind, recorder = BlindMessenger(), RecordingMessenger("discord")
    alive = build_pipeline(database, subs, feed, Clock(NOW), [blind, recorder])
    report = await alive.tick()
    assert report.sent.uncertain == 1  # Telegram-like: not resent, counted
    assert (await alive.store.parts_for(TG1, DAY))[0].status == "uncertain"
    headers_tg1 = [r for c, r in blind.sent if c == TG1 and r.text.startswith("🗞")]
    assert headers_tg1 == []  # the uncertain header was not sent twice
    headers_dc1 = [r for c, r in recorder.sent if c == DC1 and r.text.startswith("🗞")]
    assert len(headers_dc1) == 1  # confirmed missing by the recorder: sent once
    assert {p.status for p in await alive.store.parts_for(DC1, DAY)} == {"sent"}
    alive.close()
