"""The daily digest use case: find due chats, record the announcement once, match, summarize
each paper once, claim (chat, day) atomically with its ledger parts, then deliver."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from handlers.digest.ahead import SummarizeAhead
from handlers.digest.days import AnnouncementBook, Resolution, Status
from handlers.digest.ledger import DigestStore, PlannedPart
from handlers.digest.matching import PaperIndex
from handlers.digest.owners import lease_planning
from handlers.digest.render import CARDS, digest_parts, empty_part, unreachable_part
from handlers.digest.schedule import Calendar, due_day, due_days
from handlers.digest.sender import LedgerSender, SendPolicy, SendReport
from handlers.digest.summaries import RunSummaries
from handlers.digest.types import (
    Announcement,
    FeedEntry,
    FeedSource,
    Match,
    Matcher,
    Messenger,
    SubscriptionStore,
    Topic,
)
from handlers.digest.updates import add_update_notes
from handlers.digest.when import skipped_day
from handlers.ports import ChatSettings, ChatStore, Summaries
from handlers.types import ChatRef, Reply
from summarizer.arxiv.announcements import deliverable
from summarizer.models import Mode
from summarizer.withdrawn import is_withdrawn

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestConfig:
    summary_concurrency: int = 4
    fetch_attempts: int = 3
    fetch_retry_seconds: float = 2.0
    fetch_backoff_cap_seconds: float = 1800.0
    planning_lease: float = 1800.0
    """Seconds a process may take to summarize a day before another may (other hosts)."""
    poll_seconds: float = 300.0
    """While a day is awaited, the source is asked again at most this often."""
    summarize_ahead: bool = True
    """Once an announcement is known, summarize what every chat will get before its slot."""
    send: SendPolicy = field(default_factory=SendPolicy)


@dataclass
class DueChat:
    chat: ChatRef
    settings: ChatSettings
    topics: list[Topic]
    day: date
    days: list[date] = field(default_factory=list)
    """Every day owed, oldest first (catch-up after downtime); `day` is the last."""


@dataclass
class TickReport:
    due: int = 0
    claimed: int = 0
    notices: int = 0
    waiting_days: list[date] = field(default_factory=list)
    caught_up: int = 0
    """Digests planned for a day before the chat's due day (missed during downtime)."""
    sent: SendReport = field(default_factory=SendReport)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class DigestPipeline:
    def __init__(
        self,
        *,
        store: DigestStore,
        subscriptions: SubscriptionStore,
        feed: FeedSource,
        chats: ChatStore,
        summaries: Summaries,
        messengers: Mapping[str, Messenger],
        calendar: Calendar,
        matcher: Callable[[Sequence[FeedEntry]], Matcher] = PaperIndex,
        config: DigestConfig | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.store = store
        self._subs = subscriptions
        self._feed = feed
        self._chats = chats
        self._summaries = summaries
        self._calendar = calendar
        self._index = matcher
        self.config = config or DigestConfig()
        self._clock = clock
        self.messengers: dict[str, Messenger] = dict(messengers)
        self.sender = LedgerSender(
            store, self.messengers, chats, clock=clock, policy=self.config.send
        )
        self.book = AnnouncementBook(
            store,
            feed,
            calendar,
            poll=timedelta(seconds=self.config.poll_seconds),
            backoff_cap=timedelta(seconds=self.config.fetch_backoff_cap_seconds),
            attempts=self.config.fetch_attempts,
            retry_seconds=self.config.fetch_retry_seconds,
        )
        self._lock = asyncio.Lock()
        self.ahead = SummarizeAhead(self, calendar)

    def close(self) -> None:
        self.sender.close()
        self.ahead.cancel()

    def add_messenger(self, messenger: Messenger) -> None:
        """Platforms register as they start; parts for a platform without one wait."""
        self.messengers[messenger.platform] = messenger

    async def tick(self, now: datetime | None = None) -> TickReport:
        """One scheduler tick: plan what is due, then deliver every open ledger part."""
        async with self._lock:
            now = now or self._clock()
            report = await self.plan(now)
            report.sent = await self.sender.deliver()
            if self.config.summarize_ahead:
                await self.ahead.start(now)
            return report

    async def active_chats(self) -> list[tuple[ChatRef, ChatSettings, list[Topic], date | None]]:
        """Chats with topics that are active and not paused, with their last digest day."""
        by_chat: dict[ChatRef, list[Topic]] = {}
        for sub in await self._subs.active_subscriptions():
            by_chat.setdefault(sub.chat, []).append(sub.topic)
        last = await self.store.last_digest_days(list(by_chat))
        found = []
        for chat, topics in by_chat.items():
            info = await self._chats.get_chat(chat)
            settings = info.settings if info is not None else ChatSettings()
            if (info is not None and not info.active) or settings.paused:
                continue
            found.append((chat, settings, topics, last.get(chat)))
        return found

    async def due_chats(self, now: datetime) -> list[DueChat]:
        due: list[DueChat] = []
        for chat, settings, topics, last in await self.active_chats():
            skipped = skipped_day(settings)  # the chat said "not today" (no surprise digest)
            days = [d for d in due_days(settings, now, last) if skipped is None or d > skipped]
            if days:
                due.append(DueChat(chat, settings, topics, days[-1], days))
        return due

    async def plan(self, now: datetime) -> TickReport:
        """Resolve every owed day once (what the sources show wins over the calendar), then
        per chat plan its days oldest first, stopping at a day that is not known yet."""
        report = TickReport()
        due = await self.due_chats(now)
        report.due = len(due)
        categories = _categories(due)
        resolved: dict[date, Resolution] = {}
        groups: dict[date, list[DueChat]] = {}
        for item in due:
            for day in item.days:
                if day not in resolved:
                    resolved[day] = await self.book.resolve(day, categories, now)
                res = resolved[day]
                if res.status in (Status.WAIT, Status.UNREACHABLE):
                    if day not in report.waiting_days:
                        report.waiting_days.append(day)
                    if res.status is Status.UNREACHABLE and day == item.day:
                        # Never "no papers" when the truth is "unreachable"; once per chat/day.
                        added = await self.store.add_notice(item.chat, day, unreachable_part())
                        report.notices += int(added)
                    break
                groups.setdefault(day, []).append(
                    DueChat(item.chat, item.settings, item.topics, day, [day])
                )
                report.caught_up += int(day != item.day)
        owed = {item.chat: item.day for item in due}
        for day, group in sorted(groups.items()):
            res = resolved[day]
            assert res.announcement is not None
            owner = self.sender.owner
            if not await lease_planning(self.store, day, owner, now, self.config.planning_lease):
                continue  # another live process is summarizing this day's papers
            # No announcement: the 📭 notice (if asked for) only on the chat's own due day.
            notice = [(i, [empty_part()] * (i.settings.empty_notice and owed[i.chat] == day))
                      for i in group]  # fmt: skip
            composed = notice if res.status is Status.NONE else await self.compose(
                res.announcement, group)  # fmt: skip
            for item, parts in composed:
                report.claimed += int(await self.store.claim_and_plan(item.chat, day, parts))
            await self.store.release_planning(day, owner)
        return report

    async def announcement(
        self, day: date, cats: Sequence[str], now: datetime
    ) -> Announcement | None:
        """The day's announcement (empty when none was made); None while it cannot be had."""
        res = await self.book.resolve(day, cats, now)
        return res.announcement if res.status in (Status.ANNOUNCED, Status.NONE) else None

    async def compose(
        self, announcement: Announcement, group: Sequence[DueChat], *, include_sent: bool = False
    ) -> list[tuple[DueChat, list[PlannedPart]]]:
        """Match per chat, summarize every chosen paper once (withdrawn papers never), render
        each chat's parts. `include_sent`: keep papers already sent (a preview of a digest
        the chat already got)."""
        entries = deliverable(announcement.entries)
        if not entries:
            return [(item, [empty_part()] if item.settings.empty_notice else []) for item in group]
        run = RunSummaries(self._summaries, concurrency=self.config.summary_concurrency)
        chosen: list[tuple[DueChat, list[Match], list[Match], Mode]] = []
        index = self._index(entries)
        for item in group:
            matches = index.match(item.topics, include_cross=item.settings.include_cross)
            matches = _unique(matches)
            if not include_sent:
                ids = [m.paper.arxiv_id for m in matches]
                seen = await self.store.sent_paper_ids(item.chat, ids)
                matches = [m for m in matches if m.paper.arxiv_id not in seen]
            cap = max(1, item.settings.max_papers)
            cards = item.settings.digest_style == CARDS
            mode = Mode.FULL if cards and item.settings.digest_mode == "full" else Mode.CONDENSED
            chosen.append((item, matches[:cap], matches[cap:], mode))
            for match in matches[:cap]:  # language: as /settings lang stored it (zh/zh-TW/en)
                if not is_withdrawn(match.paper):  # never summarized
                    run.get(match.paper, mode, item.settings.language)
        composed: list[tuple[DueChat, list[PlannedPart]]] = []
        for item, shown, rest, mode in chosen:
            if not shown:
                composed.append((item, []))
                continue
            lang = item.settings.language
            results = [
                None if is_withdrawn(m.paper) else await run.get(m.paper, mode, lang) for m in shown
            ]
            pairs = list(zip(shown, results, strict=True))
            topics = [t.raw for t in item.topics]
            style = item.settings.digest_style
            parts = digest_parts(item.day, topics, pairs, rest, mode, lang, style)
            composed.append((item, parts))
        return await add_update_notes(self.store, announcement, composed)

    async def run_now(self, now: datetime | None = None, *, max_wait: float = 60.0) -> TickReport:
        """`paperbot digest --run-now`: plan what is due, then deliver until nothing is left
        that can be sent within `max_wait` seconds (retries included)."""
        async with self._lock:
            report = await self.plan(now or self._clock())
            report.sent = await self.drain(max_wait=max_wait)
            return report

    async def drain(self, *, only: ChatRef | None = None, max_wait: float = 60.0) -> SendReport:
        return await self.sender.drain(only, max_wait=max_wait)

    async def preview(
        self, chat: ChatRef, day: date | None = None, *, now: datetime | None = None
    ) -> list[Reply]:
        """`/digest` (handlers.digest.preview); `day`: the CLI's --date."""
        from handlers.digest.preview import preview_digest  # it imports this module

        return await preview_digest(self, chat, now or self._clock(), day=day)

    async def last_day(self, chat: ChatRef) -> date | None:
        """The last announcement day the chat's digest was claimed for."""
        return (await self.store.last_digest_days([chat])).get(chat)

    async def run_chat(
        self, chat: ChatRef, day: date | None = None, *, now: datetime | None = None
    ) -> TickReport:
        """Plan and deliver one chat now, whatever its delivery time (claim still applies)."""
        async with self._lock:
            report = TickReport()
            now = now or self._clock()
            topics = [s.topic for s in await self._subs.list_subscriptions(chat)]
            info = await self._chats.get_chat(chat)
            settings = info.settings if info is not None else ChatSettings()
            day = day or due_day(settings, now)
            item = DueChat(chat, settings, topics, day)
            announcement = await self.announcement(day, _categories([item]), now)
            if announcement is not None and topics:
                [(_, parts)] = await self.compose(announcement, [item])
                report.claimed = int(await self.store.claim_and_plan(chat, day, parts))
            report.sent = await self.drain(only=chat)
            return report


def _categories(group: Sequence[DueChat]) -> list[str]:
    return sorted({c for item in group for t in item.topics for c in t.categories})


def _unique(matches: Sequence[Match]) -> list[Match]:
    seen: set[str] = set()
    out = []
    for match in matches:
        if match.paper.arxiv_id not in seen:
            seen.add(match.paper.arxiv_id)
            out.append(match)
    return out
