"""Summarize ahead: once an announcement is known, every paper a chat will get from it is
summarized (into the shared cache) before the chats' slots, so delivery waits on no model."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from handlers.digest.owners import lease_planning
from handlers.digest.schedule import Calendar
from handlers.digest.types import Announcement

if TYPE_CHECKING:
    from handlers.digest.pipeline import DigestPipeline

log = logging.getLogger(__name__)


class SummarizeAhead:
    """Started by each tick; runs in the background (a tick never waits for it)."""

    def __init__(self, pipeline: DigestPipeline, calendar: Calendar) -> None:
        self._pipeline = pipeline
        self._calendar = calendar
        self._task: asyncio.Task[int] | None = None
        self.day: date | None = None
        """The announcement day last prepared (or being prepared)."""

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def stopped(self) -> None:
        """Cancel the running preparation and wait until it has let go of the database."""
        task = self._task
        self.cancel()
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)

    async def wait(self) -> int:
        """For tests and benches: the running preparation's chat count (0 if none)."""
        return await self._task if self._task is not None else 0

    def _next_possible(self, day: date) -> date:
        day += timedelta(days=1)
        while not self._calendar.could_announce(day):
            day += timedelta(days=1)
        return day

    async def start(self, now: datetime) -> None:
        """Poll for a new announcement once one is possible (the book's poll interval
        applies), and prepare it once."""
        if self._task is not None and not self._task.done():
            return
        book = self._pipeline.book
        subs = await self._pipeline._subs.active_subscriptions()  # cheap: no per-chat lookups
        categories = sorted({c for s in subs for c in s.topic.categories})
        if not categories:
            return
        latest = book.latest
        if latest is None or now >= self._calendar.announcement_at(self._next_possible(latest.day)):
            await book.refresh(categories, now)
        latest = book.latest
        if latest is None or not latest.entries or latest.day == self.day:
            return
        self.day = latest.day
        self._task = asyncio.create_task(self.run(latest))

    async def run(self, announcement: Announcement) -> int:
        """Compose, without claiming, the digest of every chat that has not had this day.
        Returns how many chats were prepared."""
        from handlers.digest.pipeline import DueChat

        day = announcement.day
        group = [
            DueChat(chat, settings, topics, day, [day])
            for chat, settings, topics, last in await self._pipeline.active_chats()
            if last is None or last < day
        ]
        if not group:
            return 0
        pipeline, owner = self._pipeline, self._pipeline.sender.owner
        # The planning lease: a second process on the same database does not summarize too.
        lease = pipeline.config.planning_lease
        if not await lease_planning(pipeline.store, day, owner, pipeline._clock(), lease):
            return 0
        try:
            await pipeline.compose(announcement, group)
        except Exception:
            log.exception("summarizing %s ahead failed; delivery will summarize", day)
            return 0
        finally:
            await pipeline.store.release_planning(day, owner)
        log.info("summarized %s ahead for %d chats", day, len(group))
        return len(group)
