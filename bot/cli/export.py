"""`paperbot export`: one day's papers on a topic (or a chat's subscriptions) as a Hexo post.

Data: the announcement of `--date` from the digest pipeline (stored, or fetched from the RSS
feed, which only serves the latest day). The offline demo data is the seed digest's 14 papers
of 2024-01-24: used with `--demo`, and automatically for `--date 2024-01-24` (no feed can
serve that day any more). The shipped papers carry no categories, so on them the topic's
category scope is ignored and only its keywords/authors decide.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from bot.config import Settings
from bot.render.hexo import PostEntry, PostMeta, render_post
from handlers.digest.types import FeedEntry, Topic
from handlers.export.selection import (
    SEED_DAY,
    ExportError,
    Selection,
    chat_topics,
    demo_entries,
    live_entries,
    select_papers,
    summarize_papers,
    unscoped,
)
from handlers.ports import Summaries
from handlers.services import Services
from handlers.subscriptions.topics import TopicError, parse_topic
from handlers.types import ChatRef
from summarizer.demo_data import SeedPaperSource
from summarizer.models import Paper

log = logging.getLogger(__name__)

CHAT_TOPIC_NAME = "订阅速递"


class ImageWriter(Protocol):
    """summarizer.fulltext.FullTextSource: writes a paper's page images into a folder."""

    async def write_images(self, paper: Paper, out_dir: Path) -> list[Path]: ...


def post_stem(day: date, name: str) -> str:
    slug = re.sub(r"[^\w]+", "-", name.lower()).strip("-_") or "digest"
    return f"{day.isoformat()}-{slug[:60]}"


# --- the post -------------------------------------------------------------------------------


async def paper_images(
    images: ImageWriter | None, paper: Paper, asset_dir: Path, post_dir: Path
) -> tuple[str, ...]:
    """Relative paths of the paper's images written beside the post; none on any failure."""
    if images is None:
        return ()
    try:
        paths = await images.write_images(paper, asset_dir)
    except Exception:  # images are decoration: a broken PDF must not lose the post
        log.warning("images failed for %s", paper.versioned_id, exc_info=True)
        return ()
    return tuple(p.relative_to(post_dir).as_posix() for p in paths)


async def write_post(
    selection: Selection,
    summaries: Summaries,
    out_dir: Path,
    *,
    images: ImageWriter | None = None,
    author: str = "paperbot",
    cover: str = "",
    now: datetime | None = None,
) -> tuple[Path, list[PostEntry]]:
    """Summarize, collect images, render and write `<out>/<day>-<topic>.md`; images go to
    the folder of the same name (Hexo's post asset folder)."""
    stem = post_stem(selection.day, selection.name)
    results = await summarize_papers(summaries, selection.papers)
    entries: list[PostEntry] = []
    for paper, (condensed, full) in zip(selection.papers, results, strict=True):
        pictures = await paper_images(images, paper, out_dir / stem, out_dir)
        entries.append(PostEntry(paper, condensed.record, full.record, pictures))
    meta = PostMeta(
        topic=selection.name,
        day=selection.day,
        generated_at=now or datetime.now(UTC).astimezone(),
        author=author,
        cover=cover,
    )
    path = out_dir / f"{stem}.md"
    await asyncio.to_thread(_write, path, render_post(meta, entries))
    return path, entries


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- the demo and live sources --------------------------------------------------------------


@asynccontextmanager
async def demo_summaries(settings: Settings) -> AsyncIterator[Summaries]:
    """The configured model, else the shipped recordings (condensed and full), over the real
    wiring with the shipped papers, in a throwaway SQLite database."""
    from bot.cli.demo import offline_settings
    from bot.wiring import build_provider, build_services
    from summarizer.providers.recorded import RecordedProvider

    provider = build_provider(settings) or RecordedProvider.from_package()
    with tempfile.TemporaryDirectory(prefix="paperbot-export-") as folder:
        demo = offline_settings(settings, Path(folder))
        async with build_services(demo, provider=provider, papers=SeedPaperSource()) as services:
            yield services.summaries


# --- CLI ------------------------------------------------------------------------------------


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="导出博客：把某一天某个主题的论文写成一篇 Hexo 文章")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--query", help='主题查询，如 LLM OR "language model"（语法同 /sub）')
    what.add_argument("--chat", help="按会话的订阅导出，如 telegram:123456")
    p.add_argument("--topic", help="文章的主题名（标题与标签），如 LLM；默认取查询本身")
    p.add_argument("--date", type=date.fromisoformat, help="公告日 YYYY-MM-DD（默认最新一天）")
    p.add_argument("--out", type=Path, default=Path("."), help="输出目录（默认当前目录）")
    p.add_argument(
        "--demo",
        action="store_true",
        help="使用随包附带的 2024-01-24 演示论文（--date 2024-01-24 时自动使用）",
    )
    p.add_argument("--no-images", action="store_true", help="不下载论文 PDF、不附截图")


async def run_export_command(args: argparse.Namespace, settings: Settings) -> int:
    try:
        path, entries = await _export(args, settings)
    except ExportError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"已导出 {len(entries)} 篇论文：{path}")
    failed = [e.paper.arxiv_id for e in entries if not _complete(e)]
    if failed:
        print(f"⚠️ {len(failed)} 篇的中文总结不完整，已在文中标注：{', '.join(failed)}")
    return 0


def _complete(entry: PostEntry) -> bool:
    return all(r is not None and r.status == "ok" for r in (entry.condensed, entry.full))


async def _export(args: argparse.Namespace, settings: Settings) -> tuple[Path, list[PostEntry]]:
    demo = bool(args.demo) or args.date == SEED_DAY
    if demo and args.date not in (None, SEED_DAY):
        raise ExportError(f"演示数据只有 {SEED_DAY} 这一天；去掉 --demo 以导出真实公告。")
    if args.chat:
        return await _export_chat(args, settings, demo=demo)
    try:
        topic = parse_topic(args.query, default_archive=settings.default_archive)
    except TopicError as exc:
        raise ExportError(str(exc)) from exc
    name = args.topic or topic.raw
    if demo:
        selection = _selection(name, SEED_DAY, demo_entries(), unscoped([topic]), True)
        async with demo_summaries(settings) as service:
            return await write_post(
                selection, service, args.out, author=settings.blog_author, cover=settings.blog_cover
            )
    from bot.wiring import build_services

    async with build_services(settings) as services:
        day = args.date or _latest_day()
        entries = await live_entries(services, day, [topic])
        selection = _selection(name, day, entries, [topic], True)
        return await _write_live(selection, services, args, settings)


async def _export_chat(
    args: argparse.Namespace, settings: Settings, *, demo: bool
) -> tuple[Path, list[PostEntry]]:
    from bot.wiring import build_services

    try:
        chat = ChatRef.parse(args.chat)
    except ValueError as exc:
        raise ExportError(
            f"会话格式应为 平台:编号，如 telegram:123456（收到 {args.chat}）"
        ) from exc
    name = args.topic or CHAT_TOPIC_NAME
    async with build_services(settings) as services:
        topics, include_cross = await chat_topics(services, chat)
        if demo:
            selection = _selection(name, SEED_DAY, demo_entries(), unscoped(topics), True)
            async with demo_summaries(settings) as service:
                return await write_post(
                    selection,
                    service,
                    args.out,
                    author=settings.blog_author,
                    cover=settings.blog_cover,
                )
        day = args.date or _latest_day()
        entries = await live_entries(services, day, topics)
        selection = _selection(name, day, entries, topics, include_cross)
        return await _write_live(selection, services, args, settings)


def _selection(
    name: str,
    day: date,
    entries: Sequence[FeedEntry],
    topics: Sequence[Topic],
    include_cross: bool,
) -> Selection:
    papers = select_papers(entries, topics, include_cross=include_cross)
    if not papers:
        raise ExportError(f"{day} 的 arXiv 公告中没有与主题匹配的论文，未生成文章。")
    return Selection(name=name, day=day, papers=papers)


def _latest_day() -> date:
    """The newest announcement the digest would deliver (the listing shows it from 20:00 ET),
    not the RSS feed's day, which lags until midnight ET."""
    from handlers.digest.schedule import feed_day
    from summarizer.arxiv.calendar import announcement_day

    now = datetime.now(UTC)
    return announcement_day(now) or feed_day(now)


async def _write_live(
    selection: Selection, services: Services, args: argparse.Namespace, settings: Settings
) -> tuple[Path, list[PostEntry]]:
    """Images come from the services' full-text source: none when full text is off (by
    PAPERBOT_FULLTEXT, or because arXiv is reached through a mirror) or with --no-images."""
    return await write_post(
        selection,
        services.summaries,
        args.out,
        images=None if args.no_images else services.fulltext,
        author=settings.blog_author,
        cover=settings.blog_cover,
    )
