"""Benchmark: a 10-paper digest fanned out to many Telegram chats by `paperbot run`'s own
path (bot.runner.run: build_services, TelegramPlatform with PaperbotRateLimiter, the
APScheduler tick, TelegramMessenger's gates), against a fake Bot API enforcing 30 msg/s
overall and 20 msg/min per group (429 beyond them), and an RSS fake serving today's feed.

Prints messages per chat per digest (compact and cards, 10 papers), messages/s, 429s, lost
and duplicated. BENCH_RUN_CHATS (default 1000), BENCH_RUN_PAPERS (10), BENCH_RUN_STYLE
(compact | cards), BENCH_RUN_TIMEOUT seconds (default 240).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bench.digest_fanout import LimitedTelegram
from bot.config import Settings
from bot.render.telegram_html import render_telegram
from bot.runner import run as run_paperbot
from handlers.digest.schedule import due_day
from handlers.digest.types import Match
from handlers.digest.view import build_view, number_buttons
from handlers.ports import ChatSettings
from handlers.subscriptions.topics import parse_topic
from handlers.types import ChatKind, ChatRef, Reply
from storage.chat_store import SqlChatStore
from storage.engine import Database
from storage.migrate import upgrade_database
from storage.subscription_store import SqlSubscriptionStore
from summarizer.arxiv.calendar import is_announcement_expected, mailing_date
from summarizer.models import Mode
from tests.fakes.digest_fakes import entry, paper, render_rss
from tests.fakes.services import make_result

ZONE = "Asia/Shanghai"


def per_chat_messages(papers: int) -> dict[str, int]:
    """Messages one chat gets for a digest of `papers` papers, in each style."""
    found = [
        Match(paper(f"2611.{i:05d}", f"Language Model Study {i}"), 1.0, ("cs.CL",))
        for i in range(papers)
    ]
    shown = [(m, make_result(m.paper, Mode.CONDENSED)) for m in found]
    view = build_view(datetime.now(UTC).date(), ["cs.CL"], shown, [])
    compact = len(render_telegram(Reply(digest=view, buttons=number_buttons(view))))
    cards = 1 + sum(len(render_telegram(Reply(summary=r))) for _, r in shown)
    return {"compact": compact, "cards": cards}


async def rss_server(feed: bytes) -> tuple[web.AppRunner, str]:
    async def rss(_: web.Request) -> web.Response:
        return web.Response(body=feed, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/rss/{category}", rss)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/rss"


async def run(chats: int, papers: int, style: str, limit: float) -> dict[str, Any]:
    telegram = LimitedTelegram()
    await telegram.start()
    workdir = Path(tempfile.mkdtemp(prefix="paperbot-run-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    await upgrade_database(url)
    now = datetime.now(UTC)
    # The slot a minute ago makes every chat due now, for the feed arXiv serves now.
    slot = (now - timedelta(minutes=1)).astimezone(ZoneInfo(ZONE))
    chat_settings = ChatSettings(
        digest_time=f"{slot:%H:%M}", timezone=ZONE, max_papers=papers, digest_style=style
    )
    day = due_day(chat_settings, now)
    items = [entry(paper(f"2611.{i:05d}", f"Language Model Study {i}")) for i in range(papers)]
    mailing = mailing_date(day)
    feed = render_rss(items if is_announcement_expected(day) else [], mailing, "cs.CL")
    rss, rss_url = await rss_server(feed)
    db = Database(url)
    refs = [
        ChatRef("telegram", str(-(10**12) - i if i % 10 == 0 else 10**6 + i)) for i in range(chats)
    ]
    try:
        store, subs = SqlChatStore(db), SqlSubscriptionStore(db)
        topic = parse_topic("cs.CL")
        for ref in refs:
            kind = ChatKind.GROUP if ref.chat_id.startswith("-") else ChatKind.PRIVATE
            await store.upsert_chat(ref, kind, None)
            await store.save_settings(ref, chat_settings)
            await subs.add_subscription(ref, topic)
    finally:
        await db.dispose()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=url,
        telegram_bot_token=telegram.token,
        telegram_api_url=telegram.url,
        arxiv_rss_url=rss_url,
        arxiv_api_url="http://127.0.0.1:9/api",
        arxiv_min_interval=0,
        fulltext_enabled=False,
        llm_provider="extractive",
        log_level="WARNING",
    )
    expected = per_chat_messages(papers)[style] if is_announcement_expected(day) else 0
    stop = asyncio.Event()
    task = asyncio.create_task(run_paperbot(settings, stop))
    start = time.perf_counter()
    deadline = start + limit
    first_at = None
    target = expected * chats
    while time.perf_counter() < deadline and not task.done():
        done = len(telegram.messages)
        if done and first_at is None:
            first_at = time.perf_counter()
        if target and done >= target:
            break
        await asyncio.sleep(0.2)
    elapsed = time.perf_counter() - (first_at or start)
    await asyncio.sleep(2.0)  # anything still in flight would show up as a duplicate
    stop.set()
    await asyncio.wait_for(task, 60)
    await rss.cleanup()
    accepted = Counter(str(m["chat"]["id"]) for m in telegram.messages.values())
    notified = Counter(
        str(c.params["chat_id"])
        for c in telegram.calls_of("sendMessage")
        if c.params and not c.params.get("disable_notification")
    )
    await telegram.close()
    lost = sum(max(0, expected - accepted.get(r.chat_id, 0)) for r in refs)
    duplicated = sum(max(0, accepted.get(r.chat_id, 0) - expected) for r in refs)
    delivered = sum(accepted.values())
    return {
        "day": day,
        "expected": expected,
        "messages": delivered,
        "seconds": elapsed,
        "rate": delivered / elapsed if elapsed > 0 else 0.0,
        "429s": telegram.rejected,
        "lost": lost,
        "duplicated": duplicated,
        "notifying_per_chat": max(notified.values(), default=0),
    }


def main() -> None:
    chats = int(os.environ.get("BENCH_RUN_CHATS", "1000"))
    papers = int(os.environ.get("BENCH_RUN_PAPERS", "10"))
    style = os.environ.get("BENCH_RUN_STYLE", "compact")
    timeout = float(os.environ.get("BENCH_RUN_TIMEOUT", "240"))
    sizes = per_chat_messages(papers)
    print(f"messages per chat per digest ({papers} papers): compact {sizes['compact']}, "
          f"cards {sizes['cards']}")  # fmt: skip
    r = asyncio.run(run(chats, papers, style, timeout))
    day = r["day"]
    print(f"`paperbot run` fan-out: {chats} Telegram chats (10% groups), style {style}, "
          f"announcement {day} ({r['expected']} message(s) per chat expected)")  # fmt: skip
    print(f"  delivered messages : {r['messages']} in {r['seconds']:.1f} s")
    print(f"  messages/s         : {r['rate']:.1f}  (Telegram allows 30)")
    print(f"  429s received      : {r['429s']}")
    print(f"  lost               : {r['lost']}")
    print(f"  duplicated         : {r['duplicated']}")
    print(f"  notifying messages per chat (max): {r['notifying_per_chat']}")


if __name__ == "__main__":
    main()
