"""`/digest`: the newest announcement as this chat's digest (or the one it already got, saying
so), and when the next digest comes. Writes nothing to the ledger and decides nothing for the
scheduler (no day is marked missed by a preview). It reads the pipeline's own ports (a
friend module of handlers.digest.pipeline, kept apart to keep that module small)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from handlers.digest.render import reply_from_json
from handlers.digest.schedule import latest_slot
from handlers.digest.types import Announcement
from handlers.digest.when import day_label, next_digest_line, when_text
from handlers.ports import ChatSettings
from handlers.types import ChatRef, Reply
from summarizer.arxiv.announcements import deliverable
from summarizer.arxiv.calendar import evening_of

if TYPE_CHECKING:
    from handlers.digest.pipeline import DigestPipeline

NO_SUBSCRIPTIONS = '这里还没有订阅任何主题。示例：/sub cs.CL 或 /sub "language model"'
PREVIEW_UNREACHABLE = "⚠️ 暂时无法连接 arXiv，请稍后再试。"
UPCOMING = "👀 预览（不计为已推送）：{day}的 arXiv 公告。"
DELIVERED = "📬 这期（{day}的 arXiv 公告）已于 {when} 推送过，以下为其内容。"
DELIVERED_EARLIER = "📬 这期（{day}的 arXiv 公告）已经推送过，以下为其内容。"
NOTHING_MATCHED = "{day}的 arXiv 公告共 {count} 篇新论文，没有与这里的订阅匹配的。"
NOTHING_NEW = "{day}的 arXiv 公告中与订阅匹配的论文都已推送过。"
EMPTY_FEED = "arXiv 最新的公告（{day}）没有新论文。"
MAX_LOOKBACK = 10


def newest_expected_day(now: datetime, expected: Callable[[date], bool]) -> date:
    day = evening_of(now)
    for _ in range(MAX_LOOKBACK):
        if expected(day):
            return day
        day -= timedelta(days=1)
    return day


async def newest_announcement(
    pipeline: DigestPipeline, categories: Sequence[str], now: datetime
) -> Announcement | None:
    """What arXiv's sources show now for these categories (the pipeline's AnnouncementBook,
    which stores what it fetches), else the newest stored announcement; None when neither
    can be had (arXiv unreachable)."""
    book = pipeline.book
    await book.refresh(categories, now)
    latest = book.latest
    if latest is not None and set(categories) <= set(latest.categories):
        return latest
    day = newest_expected_day(now, pipeline._calendar.is_announcement_expected)
    stored = await pipeline.store.get_announcement(day)
    if stored is not None and set(categories) <= set(stored.categories):
        return stored
    return latest


async def preview_digest(
    pipeline: DigestPipeline, chat: ChatRef, now: datetime, *, day: date | None = None
) -> list[Reply]:
    from handlers.digest.pipeline import DueChat  # the pipeline module imports this one

    topics = [s.topic for s in await pipeline._subs.list_subscriptions(chat)]
    if not topics:
        return [Reply(text=NO_SUBSCRIPTIONS)]
    info = await pipeline._chats.get_chat(chat)
    settings = info.settings if info is not None else ChatSettings()
    categories = sorted({c for t in topics for c in t.categories})
    if day is None:
        announcement = await newest_announcement(pipeline, categories, now)
    else:  # `paperbot digest --preview --date D`
        announcement = await pipeline.announcement(day, categories, now)
    if announcement is None:
        return [Reply(text=PREVIEW_UNREACHABLE)]
    last = await pipeline.last_day(chat)
    expected = pipeline._calendar.is_announcement_expected
    next_line = next_digest_line(settings, now, last_day=last, expected=expected)
    label = day_label(announcement.day)
    delivered = last is not None and last >= announcement.day
    entries = deliverable(announcement.entries)
    if not entries:
        return [Reply(text=f"{EMPTY_FEED.format(day=label)}\n{next_line}")]
    item = DueChat(chat, settings, topics, announcement.day)
    [(_, parts)] = await pipeline.compose(announcement, [item], include_sent=delivered)
    if not [p for p in parts if p.kind != "empty"]:
        text = NOTHING_NEW if not delivered and last is not None else NOTHING_MATCHED
        return [Reply(text=f"{text.format(day=label, count=len(entries))}\n{next_line}")]
    if delivered:
        slot = latest_slot(settings, now)
        said = (
            DELIVERED.format(day=label, when=when_text(slot, now, settings))
            if evening_of(slot) == announcement.day
            else DELIVERED_EARLIER.format(day=label)
        )
    else:
        said = UPCOMING.format(day=label)
    replies = [reply_from_json(p.payload) for p in parts]
    return [Reply(text=f"{said}\n{next_line}"), *replies]
