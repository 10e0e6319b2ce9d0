"""The APScheduler tick job on the running loop drives the pipeline; ticks never double-send."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.digest_delivery import RecordingMessenger
from bot.scheduler import MISFIRE_GRACE_SECONDS, SchedulerPlatform
from handlers.types import ChatRef
from storage.engine import Database
from storage.migrate import upgrade_database
from tests.fakes.digest_fakes import (
    LLM_PAPERS,
    Clock,
    FakeFeed,
    build_pipeline,
    entry,
)
from tests.fakes.subscription_store import MemorySubscriptions

NOW = datetime(2026, 11, 25, 9, 31, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


async def test_scheduler_ticks_deliver_once_and_stop_cleanly(sqlite_database_url: str) -> None:
    await upgrade_database(sqlite_database_url)
    db = Database(sqlite_database_url)
    subs = MemorySubscriptions()
    chat = ChatRef("telegram", "42")
    subs.subscribe(chat, "cs.CL")
    tg = RecordingMessenger("telegram")
    feed = FakeFeed(NOW.date().replace(day=24), [entry(p) for p in LLM_PAPERS])
    pipeline = build_pipeline(db, subs, feed, Clock(NOW), [])
    platform = SchedulerPlatform(pipeline, interval=0.05)
    try:
        await platform.start()
        job = platform._scheduler.get_job("digest-tick")  # type: ignore[union-attr]
        assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS and job.coalesce
        assert job.max_instances == 1
        await asyncio.sleep(0.3)  # ticks run, but no messenger yet: parts wait in the ledger
        parts = await pipeline.store.parts_for(chat)
        assert parts and {p.status for p in parts} == {"pending"}
        pipeline.add_messenger(tg)  # the platform came up
        async with asyncio.timeout(5):
            while platform.ticks < 8 or len(tg.sent) < len(parts):  # noqa: ASYNC110 (polls counters)
                await asyncio.sleep(0.05)
    finally:
        await platform.stop()
        pipeline.close()
        await db.dispose()
    # The compact digest: one part (3 cs.CL papers), delivered once over many ticks.
    assert len(tg.sent) == len(parts) == 1
    [(_, digest)] = tg.sent
    assert digest.digest is not None and len(digest.digest.entries) == 3
    assert len(feed.calls) == 1
