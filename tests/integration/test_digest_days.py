"""Which announcement a digest gets, against what the sources show: holidays the table gets
wrong, expected days that never come, stale feeds, catch-up after downtime, summarize ahead."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.digest_delivery import RecordingMessenger
from handlers.digest.render import EMPTY_NOTICE, UNREACHABLE_NOTICE
from handlers.ports import ChatSettings
from handlers.types import ChatKind, ChatRef
from storage.chat_store import SqlChatStore
from storage.engine import Database
from summarizer.arxiv import calendar
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

ET = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")
CHAT = ChatRef("telegram", "1001")


def day_papers(day: date, n: int = 2) -> list:  # type: ignore[type-arg]
    return [entry(paper(f"2611.{day.day:02d}{i:03d}", f"Language model study {day} {i}"))
            for i in range(n)]  # fmt: skip


async def one_chat(db: Database, **settings: object) -> MemorySubscriptions:
    chats = SqlChatStore(db)
    await chats.upsert_chat(CHAT, ChatKind.PRIVATE, None)
    # Cards style: these tests read each digest's header message (issue 14's compact default
    # puts the header inside the one digest message).
    await chats.save_settings(
        CHAT, ChatSettings.model_validate({"digest_style": "cards", **settings})
    )
    subs = MemorySubscriptions()
    subs.subscribe(CHAT, "cs.CL")
    return subs


def headers(tg: RecordingMessenger) -> list[str]:
    return [r.text.splitlines()[0] for _, r in tg.sent if r.text.startswith("🗞")]


async def test_09_30_shanghai_gets_that_mornings_announcement(database: Database) -> None:
    subs = await one_chat(database)
    tuesday = date(2026, 12, 1)
    feed = FakeFeed(tuesday, day_papers(tuesday))  # the listing at 20:00 ET
    tg = RecordingMessenger("telegram")
    now = datetime(2026, 12, 2, 9, 31, tzinfo=SHANGHAI)  # Tue 20:31 ET
    pipeline = build_pipeline(database, subs, feed, Clock(now), [tg])
    await pipeline.tick(now)
    pipeline.close()
    assert headers(tg) == ["🗞 arXiv 每日速递 · 2026-12-01（周二）· cs.CL"]


async def test_an_announcement_on_a_listed_holiday_is_delivered(database: Database) -> None:
    subs = await one_chat(database)
    holiday = date(2026, 12, 29)  # listed as skipped; suppose arXiv announces after all
    assert not calendar.is_announcement_expected(holiday)
    feed = FakeFeed(holiday, day_papers(holiday))
    tg = RecordingMessenger("telegram")
    now = datetime(2026, 12, 30, 9, 31, tzinfo=SHANGHAI)
    pipeline = build_pipeline(database, subs, feed, Clock(now), [tg])
    await pipeline.tick(now)
    pipeline.close()
    assert headers(tg) == ["🗞 arXiv 每日速递 · 2026-12-29（周二）· cs.CL"]


async def test_an_expected_day_that_never_comes_ends_as_no_announcement(
    database: Database,
) -> None:
    subs = await one_chat(database, empty_notice=True)
    monday, tuesday = date(2026, 11, 30), date(2026, 12, 1)
    assert calendar.is_announcement_expected(tuesday)
    feed = FakeFeed(monday, day_papers(monday))  # Tuesday's never shows
    tg = RecordingMessenger("telegram")
    clock = Clock(datetime(2026, 12, 1, 20, 31, tzinfo=ET))
    pipeline = build_pipeline(database, subs, feed, clock, [tg], summarize_ahead=False)
    store = pipeline.store
    await store.claim_and_plan(CHAT, monday, [])  # Monday's was delivered
    waiting = await pipeline.tick(clock.now)
    assert waiting.waiting_days == [tuesday] and waiting.claimed == 0
    clock.now = datetime(2026, 12, 2, 2, 1, tzinfo=ET)  # past the give-up time
    done = await pipeline.tick(clock.now)
    pipeline.close()
    assert done.claimed == 1 and done.waiting_days == []
    assert [r.text for _, r in tg.sent] == [EMPTY_NOTICE]


async def test_a_feed_identical_to_the_previous_days_is_stale(database: Database) -> None:
    subs = await one_chat(database)
    monday, tuesday = date(2026, 11, 30), date(2026, 12, 1)
    feed = FakeFeed(monday, day_papers(monday))
    tg = RecordingMessenger("telegram")
    clock = Clock(datetime(2026, 12, 1, 9, 0, tzinfo=ET))
    pipeline = build_pipeline(database, subs, feed, clock, [tg], poll_seconds=60)
    await pipeline.tick(clock.now)  # Monday's delivered
    feed.show(tuesday, day_papers(monday))  # re-dated, same papers
    clock.now = datetime(2026, 12, 1, 20, 31, tzinfo=ET)
    stale = await pipeline.tick(clock.now)
    assert stale.waiting_days == [tuesday] and stale.claimed == 0
    feed.show(tuesday, day_papers(tuesday))  # the real one
    clock.now += timedelta(minutes=3)
    fresh = await pipeline.tick(clock.now)
    pipeline.close()
    assert fresh.claimed == 1
    assert headers(tg)[-1] == "🗞 arXiv 每日速递 · 2026-12-01（周二）· cs.CL"


async def test_downtime_catch_up_delivers_each_missed_day_with_its_date(
    database: Database,
) -> None:
    subs = await one_chat(database)
    days = [date(2026, 11, 29), date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)]
    feed = FakeFeed(days[0], day_papers(days[0]))
    for day in days[1:]:
        feed.show(day, day_papers(day))
    tg = RecordingMessenger("telegram")
    now = datetime(2026, 12, 3, 9, 31, tzinfo=SHANGHAI)  # Wed 20:31 ET; down since the 26th
    pipeline = build_pipeline(database, subs, feed, Clock(now), [tg], summarize_ahead=False)
    await pipeline.store.claim_and_plan(CHAT, date(2026, 11, 25), [])
    report = await pipeline.tick(now)
    pipeline.close()
    # Thu 26 (Thanksgiving) had none: skipped silently; Sun 29 .. Wed 2 each delivered.
    assert report.caught_up == 4 and report.claimed == 5
    assert headers(tg) == [
        "🗞 arXiv 每日速递 · 2026-11-29（周日）· cs.CL",
        "🗞 arXiv 每日速递 · 2026-11-30（周一）· cs.CL",
        "🗞 arXiv 每日速递 · 2026-12-01（周二）· cs.CL",
        "🗞 arXiv 每日速递 · 2026-12-02（周三）· cs.CL",
    ]


async def test_unreachable_is_said_never_no_papers(database: Database) -> None:
    subs = await one_chat(database, empty_notice=True)
    tuesday = date(2026, 12, 1)
    feed = FakeFeed(tuesday, day_papers(tuesday))
    feed.fail_next(100)
    tg = RecordingMessenger("telegram")
    now = datetime(2026, 12, 2, 9, 31, tzinfo=SHANGHAI)
    pipeline = build_pipeline(database, subs, feed, Clock(now), [tg], summarize_ahead=False)
    report = await pipeline.tick(now)
    pipeline.close()
    assert report.claimed == 0 and report.waiting_days == [tuesday]
    assert [r.text for _, r in tg.sent] == [UNREACHABLE_NOTICE]


async def test_summarize_ahead_leaves_no_model_call_for_delivery(database: Database) -> None:
    subs = await one_chat(database, digest_time="08:00", timezone="America/New_York")
    monday, tuesday = date(2026, 11, 30), date(2026, 12, 1)
    feed = FakeFeed(monday, [entry(p) for p in LLM_PAPERS[:2]])
    summaries = FakeSummaries(FakePapers())
    tg = RecordingMessenger("telegram")
    # The chat reads at 08:00 in New York: Monday's was delivered this morning.
    clock = Clock(datetime(2026, 12, 1, 8, 0, tzinfo=ET))
    pipeline = build_pipeline(database, subs, feed, clock, [tg], summaries=summaries)
    await pipeline.store.claim_and_plan(CHAT, monday, [])
    feed.show(tuesday, [entry(p) for p in LLM_PAPERS[2:]])  # announced 20:00 ET
    clock.now = datetime(2026, 12, 1, 20, 5, tzinfo=ET)
    ahead = await pipeline.tick(clock.now)
    assert ahead.claimed == 0  # not the chat's time yet
    assert await pipeline.ahead.wait() == 1
    calls = summaries.model_calls
    assert calls >= 1
    clock.now = datetime(2026, 12, 2, 8, 0, tzinfo=ET).astimezone(UTC)
    report = await pipeline.tick(clock.now)
    pipeline.close()
    assert report.claimed == 1 and summaries.model_calls == calls  # all from the cache
    assert headers(tg) == ["🗞 arXiv 每日速递 · 2026-12-01（周二）· cs.CL"]
