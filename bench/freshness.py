"""Benchmark: how fresh is the digest a chat gets? The real pipeline (SQLite ledger, day
resolution, catch-up) ticks at every chat's slot over weeks around both DST changes (US and
EU, spring and autumn) and Thanksgiving, for chats in five zones at three local times (and
four slots near 20:00 ET), against a simulated arXiv: an announcement at 20:00 ET on the
calendar's days, shown by the listing page at once and by the RSS feed at midnight ET.

For each slot: lag = how many announcements exist (made by the slot) that are newer than the
newest one the chat has been given. Target: 0 for every slot at least 30 minutes after the
latest 20:00 ET. Prints the figures for the listing-first source and for RSS only.

    python -m bench freshness            # env BENCH_FRESHNESS_SOURCES=listing,rss
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.digest_delivery import RecordingMessenger
from handlers.digest.types import Announcement
from handlers.ports import ChatSettings
from handlers.types import ChatKind, ChatRef
from storage.chat_store import SqlChatStore
from storage.engine import Database
from storage.migrate import upgrade_database
from summarizer.arxiv import calendar
from tests.fakes.digest_fakes import Clock, build_pipeline, entry, paper
from tests.fakes.subscription_store import MemorySubscriptions

ZONES = ("Asia/Shanghai", "Europe/Berlin", "America/New_York", "America/Los_Angeles",
         "Australia/Sydney")  # fmt: skip
TIMES = ("07:00", "09:30", "21:30")
# Slots near 20:00 ET: right after an announcement (not eligible: <30 min) and just around it.
EXTRA = (("America/New_York", "20:15"), ("America/New_York", "20:45"),
         ("Asia/Shanghai", "08:30"), ("Asia/Shanghai", "09:00"))  # fmt: skip
# Weeks around US DST start (Mar 8), EU DST start (Mar 29), EU and US DST end (Oct 25, Nov 1),
# and Thanksgiving (Nov 26, a listed evening), all 2026.
PERIODS = (
    (date(2026, 3, 5), date(2026, 3, 11)),
    (date(2026, 3, 26), date(2026, 4, 1)),
    (date(2026, 10, 23), date(2026, 11, 3)),
    (date(2026, 11, 23), date(2026, 11, 29)),
)
MIN_AFTER = timedelta(minutes=30)


def world_days(start: date, end: date) -> list[date]:
    """The evenings arXiv announces in the simulation (the calendar's expected days)."""
    days, d = [], start - timedelta(days=10)
    while d <= end:
        if calendar.is_announcement_expected(d):
            days.append(d)
        d += timedelta(days=1)
    return days


class World:
    """arXiv as the pipeline's FeedSource: `now` decides what the listing / feed shows."""

    def __init__(self, days: Sequence[date], mode: str) -> None:
        self.days = list(days)
        self.mode = mode
        self.now = datetime.min.replace(tzinfo=UTC)
        self.requests = 0

    def shown_at(self, day: date) -> datetime:
        if self.mode == "listing":
            return calendar.announcement_at(day)
        return calendar.feed_ready_at(day)

    def _announcement(self, day: date, categories: Sequence[str]) -> Announcement:
        ids = [f"{day:%y%m}.{day.day:02d}{i:03d}" for i in range(2)]
        entries = tuple(entry(paper(pid, f"Language model {pid}")) for pid in ids)
        return Announcement(day=day, categories=tuple(categories), entries=entries)

    def visible(self) -> list[date]:
        return [d for d in self.days if self.shown_at(d) <= self.now]

    async def fetch_announcement(self, categories: Sequence[str]) -> Announcement:
        self.requests += 1
        return self._announcement(self.visible()[-1], categories)

    async def fetch_recent(self, categories: Sequence[str]) -> dict[date, Announcement]:
        self.requests += 1
        return {d: self._announcement(d, categories) for d in self.visible()[-5:]}


def chats() -> list[tuple[ChatRef, str, str]]:
    """(chat, zone, local time) of every simulated chat."""
    plan = [(zone, hhmm) for zone in ZONES for hhmm in TIMES] + list(EXTRA)
    return [(ChatRef("telegram", str(1000 + i)), z, t) for i, (z, t) in enumerate(plan)]


def slot_instants(start: date, end: date) -> list[tuple[datetime, ChatRef]]:
    out = []
    for chat, zone, hhmm in chats():
        tz = ZoneInfo(zone)
        hour, minute = map(int, hhmm.split(":"))
        d = start
        while d <= end:
            local = datetime(d.year, d.month, d.day, hour, minute, tzinfo=tz)
            out.append((local.astimezone(UTC), chat))
            d += timedelta(days=1)
    return sorted(out, key=lambda x: (x[0], x[1].chat_id))


async def run_period(
    mode: str, start: date, end: date, workdir: Path
) -> list[tuple[str, int, bool]]:
    """(zone, lag, eligible) for every slot of the period."""
    url = f"sqlite:///{workdir / f'{mode}-{start}.db'}"
    await upgrade_database(url)
    db = Database(url)
    store, subs = SqlChatStore(db), MemorySubscriptions()
    zone_of: dict[ChatRef, str] = {}
    for chat, zone, hhmm in chats():
        zone_of[chat] = f"{zone} {hhmm}" if (zone, hhmm) in EXTRA else zone
        await store.upsert_chat(chat, ChatKind.PRIVATE, None)
        await store.save_settings(chat, ChatSettings(digest_time=hhmm, timezone=zone))
        subs.subscribe(chat, "cs.CL")
    world = World(world_days(start, end), mode)
    clock = Clock(datetime.combine(start, datetime.min.time(), tzinfo=UTC))
    pipeline = build_pipeline(db, subs, world, clock, [RecordingMessenger("telegram")])  # type: ignore[arg-type]
    results: list[tuple[str, int, bool]] = []
    by_instant: dict[datetime, list[ChatRef]] = defaultdict(list)
    for at, chat in slot_instants(start, end):
        by_instant[at].append(chat)
    seen: set[ChatRef] = set()  # a chat's first slot only seeds it (a new chat gets today's)
    try:
        for at, due in sorted(by_instant.items()):
            clock.now = world.now = at
            await pipeline.tick(at)
            last = await pipeline.store.last_digest_days(due)
            made = [d for d in world.days if calendar.announcement_at(d) <= at]
            newest = made[-1]
            eligible = at - calendar.announcement_at(newest) >= MIN_AFTER
            for chat in due:
                if chat not in seen:
                    seen.add(chat)
                    continue
                got = last.get(chat)
                given = [d for d in made if got is not None and d <= got]
                lag = len([d for d in made if not given or d > given[-1]]) if made else 0
                results.append((zone_of[chat], lag, eligible))
    finally:
        await pipeline.ahead.wait()
        pipeline.close()
        await db.dispose()
    return results


async def run(modes: Sequence[str]) -> None:
    groups = [*ZONES, *(f"{z} {t}" for z, t in EXTRA)]
    with tempfile.TemporaryDirectory() as tmp:
        for mode in modes:
            started = time.perf_counter()
            rows: list[tuple[str, int, bool]] = []
            for start, end in PERIODS:
                rows += await run_period(mode, start, end, Path(tmp))
            eligible = [r for r in rows if r[2]]
            late = sum(1 for r in eligible if r[1] > 0)
            took = time.perf_counter() - started
            print(f"source={mode}: {len(rows)} slots, {len(chats())} chats, {len(PERIODS)} periods"
                  f" ({took:.1f} s)")  # fmt: skip
            print(f"  slots >=30 min after 20:00 ET: {len(eligible)}, lag>0 in {late}, "
                  f"max lag {max((r[1] for r in eligible), default=0)}")  # fmt: skip
            print(f"  all slots: {len(rows)}, lag>0 in {sum(1 for r in rows if r[1])}, "
                  f"max lag {max((r[1] for r in rows), default=0)}")  # fmt: skip
            for group in groups:
                g = [r for r in rows if r[0] == group]
                e = [r for r in g if r[2]]
                print(f"    {group:26s} slots {len(g):3d}  eligible {len(e):3d}  "
                      f"lag>0 eligible {sum(1 for r in e if r[1]):3d}  "
                      f"lag>0 all {sum(1 for r in g if r[1]):3d}")  # fmt: skip


def main() -> None:
    modes = os.environ.get("BENCH_FRESHNESS_SOURCES", "listing,rss").split(",")
    asyncio.run(run([m.strip() for m in modes if m.strip()]))


if __name__ == "__main__":
    main()
