"""The daily digest use case: find due chats, record the announcement once, match, summarize
each paper once, claim (chat, day) atomically with its ledger parts, then deliver."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from handlers.digest.ledger import DigestStore, PlannedPart
from handlers.digest.matching import PaperIndex
from handlers.digest.render import digest_parts, empty_part, reply_from_json, unreachable_part
from handlers.digest.schedule import Calendar, due_day
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
from handlers.ports import ChatSettings, ChatStore, Summaries
from handlers.types import ChatRef, Reply
from summarizer.arxiv.announcements import deliverable
from summarizer.errors import ArxivUnavailable
from summarizer.models import Mode

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestConfig:
    summary_concurrency: int = 4
    fetch_attempts: int = 3
    fetch_retry_seconds: float = 2.0
    fetch_backoff_cap_seconds: float = 1800.0
    send: SendPolicy = field(default_factory=SendPolicy)


@dataclass
class DueChat:
    chat: ChatRef
    settings: ChatSettings
    topics: list[Topic]
    day: date


@dataclass
class TickReport:
    due: int = 0
    claimed: int = 0
    notices: int = 0
    waiting_days: list[date] = field(default_factory=list)
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
        self._fetch_retry_at: dict[date, tuple[int, datetime]] = {}
        self._unreachable: set[date] = set()
        self._missed: set[date] = set()
        self._lock = asyncio.Lock()

    def close(self) -> None:
        self.sender.close()

    def add_messenger(self, messenger: Messenger) -> None:
        """Platforms register as they start; parts for a platform without one wait."""
        self.messengers[messenger.platform] = messenger

    async def tick(self, now: datetime | None = None) -> TickReport:
        """One scheduler tick: plan what is due, then deliver every open ledger part."""
        async with self._lock:
            report = await self.plan(now or self._clock())
            report.sent = await self.sender.deliver()
            return report

    async def due_chats(self, now: datetime) -> list[DueChat]:
        by_chat: dict[ChatRef, list[Topic]] = {}
        for sub in await self._subs.active_subscriptions():
            by_chat.setdefault(sub.chat, []).append(sub.topic)
        last = await self.store.last_digest_days(list(by_chat))
        due: list[DueChat] = []
        for chat, topics in by_chat.items():
            info = await self._chats.get_chat(chat)
            settings = info.settings if info is not None else ChatSettings()
            if (info is not None and not info.active) or settings.paused:
                continue
            day = due_day(settings, now)
            if chat in last and last[chat] >= day:
                continue
            due.append(DueChat(chat, settings, topics, day))
        return due

    async def plan(self, now: datetime) -> TickReport:
        report = TickReport()
        due = await self.due_chats(now)
        report.due = len(due)
        days: dict[date, list[DueChat]] = {}
        for item in due:
            days.setdefault(item.day, []).append(item)
        for day, group in sorted(days.items()):
            announcement = await self.announcement(day, _categories(group), now)
            if announcement is None:
                report.waiting_days.append(day)
                if day in self._unreachable:
                    # Never "no papers" when the truth is "unreachable"; once per chat and day.
                    for item in group:
                        added = await self.store.add_notice(item.chat, day, unreachable_part())
                        report.notices += int(added)
                continue
            composed: list[tuple[DueChat, list[PlannedPart]]]
            if day in self._missed:
                composed = [(item, []) for item in group]
            else:
                composed = await self.compose(announcement, group)
            for item, parts in composed:
                report.claimed += int(await self.store.claim_and_plan(item.chat, day, parts))
        return report

    async def announcement(
        self, day: date, categories: Sequence[str], now: datetime
    ) -> Announcement | None:
        """The day's announcement (stored once), or None while it cannot be had yet."""
        if not self._calendar.is_announcement_expected(day):
            return Announcement(day=day, categories=tuple(categories))
        stored = await self.store.get_announcement(day)
        missing = [c for c in categories if stored is None or c not in stored.categories]
        if not missing:
            return stored
        failures, retry_at = self._fetch_retry_at.get(day, (0, now))
        if retry_at > now:
            return None
        try:
            fresh = await self._fetch(missing)
        except ArxivUnavailable as exc:
            failures += 1
            wait = min(self.config.fetch_backoff_cap_seconds, 60.0 * 2 ** min(failures - 1, 10))
            self._fetch_retry_at[day] = (failures, now + timedelta(seconds=wait))
            self._unreachable.add(day)
            log.warning("arXiv unreachable for %s (%d failures): %s", day, failures, exc)
            return None
        self._unreachable.discard(day)
        self._fetch_retry_at.pop(day, None)
        if fresh.day < day:
            log.info("feed still shows %s, waiting for %s", fresh.day, day)
            self._fetch_retry_at[day] = (0, now + timedelta(minutes=5))
            await self.store.save_announcement(fresh)
            return None
        if fresh.day > day:
            log.warning("announcement of %s was missed (feed shows %s)", day, fresh.day)
            await self.store.save_announcement(fresh)
            self._missed.add(day)
            return Announcement(day=day, categories=tuple(categories))
        return await self.store.save_announcement(fresh)

    async def _fetch(self, categories: Sequence[str]) -> Announcement:
        for attempt in range(1, self.config.fetch_attempts + 1):
            try:
                return await self._feed.fetch_announcement(categories)
            except ArxivUnavailable:
                if attempt == self.config.fetch_attempts:
                    raise
                await asyncio.sleep(self.config.fetch_retry_seconds * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover

    async def compose(
        self, announcement: Announcement, group: Sequence[DueChat]
    ) -> list[tuple[DueChat, list[PlannedPart]]]:
        """Match per chat, summarize every chosen paper once, render each chat's parts."""
        entries = deliverable(announcement.entries)
        if not entries:
            return [(item, [empty_part()] if item.settings.empty_notice else []) for item in group]
        run = RunSummaries(self._summaries, concurrency=self.config.summary_concurrency)
        chosen: list[tuple[DueChat, list[Match], list[Match], Mode]] = []
        index = self._index(entries)
        for item in group:
            matches = index.match(item.topics, include_cross=item.settings.include_cross)
            matches = _unique(matches)
            seen = await self.store.sent_paper_ids(item.chat, [m.paper.arxiv_id for m in matches])
            matches = [m for m in matches if m.paper.arxiv_id not in seen]
            cap = max(1, item.settings.max_papers)
            mode = Mode.FULL if item.settings.digest_mode == "full" else Mode.CONDENSED
            chosen.append((item, matches[:cap], matches[cap:], mode))
            for match in matches[:cap]:  # language: as /settings lang stored it (zh/zh-TW/en)
                run.get(match.paper, mode, item.settings.language)
        composed: list[tuple[DueChat, list[PlannedPart]]] = []
        for item, shown, rest, mode in chosen:
            if not shown:
                composed.append((item, []))
                continue
            lang = item.settings.language
            results = [await run.get(m.paper, mode, lang) for m in shown]
            pairs = list(zip(shown, results, strict=True))
            parts = digest_parts(item.day, [t.raw for t in item.topics], pairs, rest, mode, lang)
            composed.append((item, parts))
        return composed

    async def run_now(self, now: datetime | None = None, *, max_wait: float = 60.0) -> TickReport:
        """`paperbot digest --run-now`: plan what is due, then deliver until nothing is left
        that can be sent within `max_wait` seconds (retries included)."""
        async with self._lock:
            report = await self.plan(now or self._clock())
            report.sent = await self.drain(max_wait=max_wait)
            return report

    async def drain(self, *, only: ChatRef | None = None, max_wait: float = 60.0) -> SendReport:
        total = SendReport()
        deadline = self._clock() + timedelta(seconds=max_wait)
        while True:
            total.add(await self.sender.deliver(only))
            waiting = [
                p.next_attempt_at
                for p in await self.store.open_parts()
                if p.status == "pending" and (only is None or p.chat == only)
            ]
            if not waiting:
                return total
            next_at = min((w for w in waiting if w is not None), default=self._clock())
            if next_at > deadline:
                return total
            await asyncio.sleep(max(0.0, (next_at - self._clock()).total_seconds()))

    async def preview(
        self, chat: ChatRef, day: date | None = None, *, now: datetime | None = None
    ) -> list[Reply]:
        """What the chat's digest for `day` (default: the one due now) holds; writes nothing
        to the ledger (the announcement is recorded and summaries cached, as usual)."""
        now = now or self._clock()
        topics = [s.topic for s in await self._subs.list_subscriptions(chat)]
        if not topics:
            return [Reply(text=NO_SUBSCRIPTIONS)]
        info = await self._chats.get_chat(chat)
        settings = info.settings if info is not None else ChatSettings()
        day = day or due_day(settings, now)
        item = DueChat(chat, settings, topics, day)
        announcement = await self.announcement(day, _categories([item]), now)
        if announcement is None:
            return [Reply(text=PREVIEW_UNREACHABLE)]
        [(_, parts)] = await self.compose(announcement, [item])
        if not parts:
            return [Reply(text=NOTHING_MATCHED.format(day=day.isoformat()))]
        return [reply_from_json(p.payload) for p in parts]

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


NO_SUBSCRIPTIONS = '这里还没有订阅任何主题。示例：/sub cs.CL 或 /sub "language model"'
PREVIEW_UNREACHABLE = "⚠️ 暂时无法连接 arXiv，请稍后再试。"
NOTHING_MATCHED = "{day} 的 arXiv 公告中没有与订阅匹配的新论文（或已推送过）。"


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
