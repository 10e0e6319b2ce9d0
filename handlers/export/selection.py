"""The papers of one export: a day's announcement (live or the shipped demo day) matched to a
topic or a chat's subscriptions, in announcement order, each summarized condensed and full."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from handlers.digest.matching import match_papers
from handlers.digest.types import FeedEntry, Topic
from handlers.ports import ChatSettings, Summaries
from handlers.services import Services
from handlers.types import ChatRef
from summarizer.arxiv.calendar import describe_day, is_announcement_expected
from summarizer.demo_data import load_seed_papers
from summarizer.models import Mode, Paper, SummaryResult

SEED_DAY = date(2024, 1, 24)
CONCURRENCY = 4


class ExportError(Exception):
    """Nothing can be exported; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class Selection:
    """What goes into the post: its topic name, the announcement day, the papers in order."""

    name: str
    day: date
    papers: list[Paper]


def demo_entries() -> list[FeedEntry]:
    """The seed digest's papers as the announcement of 2024-01-24 (all `new`)."""
    return [
        FeedEntry(paper=paper, announce_type="new", feed_category="cs")
        for paper in load_seed_papers()
    ]


def unscoped(topics: Sequence[Topic]) -> list[Topic]:
    return [t.model_copy(update={"categories": ()}) for t in topics]


def select_papers(
    entries: Sequence[FeedEntry], topics: Sequence[Topic], *, include_cross: bool = True
) -> list[Paper]:
    """The matching papers in announcement order (the seed's order), each once."""
    matched = {m.paper.arxiv_id for m in match_papers(entries, topics, include_cross=include_cross)}
    papers: dict[str, Paper] = {}
    for entry in entries:
        if entry.paper.arxiv_id in matched and entry.delivered:
            papers.setdefault(entry.paper.arxiv_id, entry.paper)
    return list(papers.values())


async def summarize_papers(
    summaries: Summaries, papers: Sequence[Paper], *, concurrency: int = CONCURRENCY
) -> list[tuple[SummaryResult, SummaryResult]]:
    """(condensed, full) per paper: the digest's summary and the seed's 8-part one."""
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(paper: Paper, mode: Mode) -> SummaryResult:
        async with gate:
            return await summaries.summarize_paper(paper, mode)

    condensed = [one(p, Mode.CONDENSED) for p in papers]
    full = [one(p, Mode.FULL) for p in papers]
    results = await asyncio.gather(*condensed, *full)
    return list(zip(results[: len(papers)], results[len(papers) :], strict=True))


async def live_entries(services: Services, day: date, topics: Sequence[Topic]) -> list[FeedEntry]:
    pipeline = services.digest
    if pipeline is None:
        raise ExportError("无法读取 arXiv 公告：每日速递（公告源与存储）未配置。")
    categories = list(dict.fromkeys(c for t in topics for c in t.categories))
    announcement = await pipeline.announcement(day, categories, datetime.now(UTC))
    if announcement is None:
        raise ExportError(
            f"暂时拿不到 {day} 的 arXiv 公告：arXiv 无法连接，或公告源尚未更新到这一天。"
        )
    if not announcement.entries:
        if not is_announcement_expected(day):
            raise ExportError(f"{day} 没有 arXiv 公告（{describe_day(day)}）。")
        raise ExportError(
            f"本地没有保存 {day} 的公告，而 arXiv 的公告源只提供最新一天；"
            "请导出最新一天，或用 --demo 导出演示数据。"
        )
    return list(announcement.entries)


async def chat_topics(services: Services, chat: ChatRef) -> tuple[list[Topic], bool]:
    store = services.subscriptions
    if store is None:
        raise ExportError("订阅存储未配置，无法按会话导出；请改用 --topic 与 --query。")
    topics = [s.topic for s in await store.list_subscriptions(chat)]
    if not topics:
        raise ExportError(f"会话 {chat.platform}:{chat.chat_id} 还没有订阅任何主题。")
    info = await services.chats.get_chat(chat)
    settings = info.settings if info is not None else ChatSettings()
    return topics, settings.include_cross
