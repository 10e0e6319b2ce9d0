"""Which announcement a digest day gets: what the sources show wins over the calendar.

A day resolves to ANNOUNCED (the listing, the feed or the store has it), NONE (a Friday or
Saturday; an expected day past its give-up time while the sources show an older one; a past
day the week's listing does not hold), WAIT (not yet shown, still possible) or UNREACHABLE
(no source answered: never "no papers" when the truth is "could not read arXiv")."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Protocol

from handlers.digest.ledger import DigestStore
from handlers.digest.schedule import Calendar
from handlers.digest.types import Announcement, FeedSource
from summarizer.errors import ArxivUnavailable

log = logging.getLogger(__name__)

STALE_LOOKBACK_DAYS = 7
HOLIDAY_GRACE = timedelta(hours=1)
"""A listed holiday that shows nothing by 21:00 ET is "no announcement" (the listing shows an
announcement at 20:00; a table that was wrong still gets its announcement delivered)."""


class RecentSource(Protocol):
    async def fetch_recent(self, categories: Sequence[str]) -> dict[date, Announcement]: ...


class Status(Enum):
    ANNOUNCED = "announced"
    NONE = "none"
    WAIT = "wait"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Resolution:
    status: Status
    announcement: Announcement | None = None


def _ids(a: Announcement) -> frozenset[str]:
    return frozenset(e.paper.arxiv_id for e in a.entries)


class AnnouncementBook:
    """One per pipeline: the latest announcement (polled at most every `poll` while a day is
    awaited), the past week (fetched when a missed day is asked for), and the store."""

    def __init__(
        self,
        store: DigestStore,
        source: FeedSource,
        calendar: Calendar,
        *,
        poll: timedelta = timedelta(minutes=5),
        backoff_cap: timedelta = timedelta(minutes=30),
        attempts: int = 1,
        retry_seconds: float = 2.0,
    ) -> None:
        self._store = store
        self._source = source
        self._calendar = calendar
        self._poll = poll
        self._backoff_cap = backoff_cap
        self._attempts = max(1, attempts)
        self._retry_seconds = retry_seconds
        self.latest: Announcement | None = None
        self._polled_at: datetime | None = None
        self._retry_at: datetime | None = None
        self._failures = 0
        self._recent: dict[tuple[date, frozenset[str]], dict[date, Announcement]] = {}
        self.unreachable = False

    def resolve_by(self, day: date) -> datetime:
        """When an announcement of `day` that no source shows is given up as not made."""
        if self._calendar.is_announcement_expected(day):
            return self._calendar.give_up_at(day)
        return self._calendar.announcement_at(day) + HOLIDAY_GRACE

    async def refresh(
        self, categories: Sequence[str], now: datetime, *, force: bool = False
    ) -> None:
        """Fetch the latest announcement unless polled recently (or backing off)."""
        covered = self.latest is not None and set(categories) <= set(self.latest.categories)
        recent = self._polled_at is not None and now - self._polled_at < self._poll
        if not force and covered and recent:
            return
        if self._retry_at is not None and now < self._retry_at:
            return
        try:
            fresh = await self._fetch(categories)
        except ArxivUnavailable as exc:
            self._failures += 1
            wait = min(self._backoff_cap, timedelta(minutes=2 ** min(self._failures - 1, 10)))
            self._retry_at = now + wait
            self.unreachable = True
            log.warning("arXiv unreachable (%d failures): %s", self._failures, exc)
            return
        self._failures, self._retry_at, self.unreachable = 0, None, False
        self._polled_at = now
        if await self._stale(fresh):
            log.warning("source shows %s with the same papers as an earlier day: stale, retrying",
                        fresh.day)  # fmt: skip
            self._retry_at = now + timedelta(minutes=2)
            return
        if fresh.entries or self._calendar.could_announce(fresh.day):
            fresh = await self._store.save_announcement(fresh)
        if self.latest is None or fresh.day >= self.latest.day:
            self.latest = fresh

    async def _fetch(self, categories: Sequence[str]) -> Announcement:
        for attempt in range(1, self._attempts + 1):
            try:
                return await self._source.fetch_announcement(categories)
            except ArxivUnavailable:
                if attempt == self._attempts:
                    raise
                await asyncio.sleep(self._retry_seconds * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _stale(self, fresh: Announcement) -> bool:
        """A feed identical to an earlier day's is yesterday's, re-dated."""
        ids = _ids(fresh)
        if not ids:
            return False
        for back in range(1, STALE_LOOKBACK_DAYS + 1):
            earlier = await self._store.get_announcement(fresh.day - timedelta(days=back))
            if earlier is not None and earlier.entries:
                return _ids(earlier) == ids
        return False

    async def resolve(self, day: date, categories: Sequence[str], now: datetime) -> Resolution:
        if not self._calendar.could_announce(day):
            return Resolution(Status.NONE, Announcement(day=day, categories=tuple(categories)))
        stored = await self._store.get_announcement(day)
        if stored is not None and set(categories) <= set(stored.categories):
            return Resolution(Status.ANNOUNCED, stored)
        if self.latest is None or self.latest.day < day or stored is not None:
            await self.refresh(categories, now, force=stored is not None)
        latest = self.latest
        if latest is None:
            return Resolution(Status.UNREACHABLE if self.unreachable else Status.WAIT)
        if day == latest.day:
            return Resolution(Status.ANNOUNCED, latest)
        if day > latest.day:
            if now >= self.resolve_by(day) and not self.unreachable:
                log.info("no announcement for %s (sources still show %s)", day, latest.day)
                return Resolution(Status.NONE, Announcement(day=day, categories=tuple(categories)))
            return Resolution(Status.UNREACHABLE if self.unreachable else Status.WAIT)
        return await self._past(day, categories, latest.day)

    async def _past(self, day: date, categories: Sequence[str], latest: date) -> Resolution:
        """A day before the latest one: the store, else the listing's past week."""
        recent_of = getattr(self._source, "fetch_recent", None)
        if recent_of is None:
            log.warning("announcement of %s missed and no source keeps the past week", day)
            return Resolution(Status.NONE, Announcement(day=day, categories=tuple(categories)))
        key = (latest, frozenset(categories))
        if key not in self._recent:
            try:
                self._recent = {key: await recent_of(categories)}
            except ArxivUnavailable as exc:
                log.warning("past week unavailable (%s); %s stays pending", exc, day)
                return Resolution(Status.UNREACHABLE)
        recent = self._recent[key]
        found = recent.get(day)
        if found is None:
            if recent and day < min(recent):
                log.warning("announcement of %s is older than the listing's past week", day)
            return Resolution(Status.NONE, Announcement(day=day, categories=tuple(categories)))
        return Resolution(Status.ANNOUNCED, await self._store.save_announcement(found))
