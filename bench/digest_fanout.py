"""Benchmark: one digest fanned out to many Telegram chats through the real pipeline, ledger,
TelegramMessenger and python-telegram-bot, against a fake Bot API that enforces Telegram's
limits (30 msg/s overall, 20 msg/min per group) and answers 429 beyond them.

Prints messages/s, 429s received, lost and duplicated messages. Defaults: 1,000 chats (one in
ten a group) × 1 message (the 📭 notice of a day without announcement); set
BENCH_FANOUT_CHATS / BENCH_FANOUT_PAPERS (papers per digest: 1 + papers messages per chat).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram.ext import ExtBot

from bot.telegram.messenger import TelegramMessenger
from bot.telegram.send import PaperbotRateLimiter
from handlers.ports import ChatSettings
from handlers.types import ChatKind, ChatRef
from storage.chat_store import SqlChatStore
from storage.engine import Database
from storage.migrate import upgrade_database
from tests.fakes.digest_fakes import (
    Clock,
    FakeFeed,
    build_pipeline,
    entry,
    paper,
)
from tests.fakes.subscription_store import MemorySubscriptions
from tests.fakes.telegram_server import FakeTelegram

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def run(chats: int, papers: int) -> dict[str, float]:
    server = FakeTelegram()  # enforces 30 msg/s overall and 20 msg/min per group
    await server.start()
    workdir = Path(tempfile.mkdtemp(prefix="paperbot-fanout-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    await upgrade_database(url)
    db = Database(url)
    bot = ExtBot(
        server.token,
        base_url=f"{server.url}/bot",
        rate_limiter=PaperbotRateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3),
    )
    try:
        store, subs = SqlChatStore(db), MemorySubscriptions()
        refs = [
            ChatRef("telegram", str(-(10**12) - i if i % 10 == 0 else 10**6 + i))
            for i in range(chats)
        ]
        for ref in refs:
            kind = ChatKind.GROUP if ref.chat_id.startswith("-") else ChatKind.PRIVATE
            await store.upsert_chat(ref, kind, None)
            await store.save_settings(
                # Cards style keeps this bench's "1 + papers messages per chat"; the compact
                # default (one message) is measured by bench/digest_run.py.
                ref,
                ChatSettings(empty_notice=True, max_papers=max(1, papers), digest_style="cards"),
            )
            subs.subscribe(ref, "cs.CL")
        if papers:  # Wednesday morning in Shanghai: Tuesday evening's announcement
            now, day = datetime(2026, 11, 25, 9, 31, tzinfo=SHANGHAI), date(2026, 11, 24)
        else:  # Sunday morning in Shanghai: no announcement, one 📭 per chat
            now, day = datetime(2026, 11, 29, 9, 31, tzinfo=SHANGHAI), date(2026, 11, 27)
        items = [entry(paper(f"2611.{i:05d}", f"Language Model Study {i}")) for i in range(papers)]
        async with bot:
            messenger = TelegramMessenger(bot, store)
            pipeline = build_pipeline(
                db, subs, FakeFeed(day, items), Clock(now.astimezone(UTC)), [messenger]
            )
            await pipeline.plan(now.astimezone(UTC))
            start = time.perf_counter()
            report = await pipeline.drain(max_wait=120)
            elapsed = time.perf_counter() - start
            pipeline.close()
        expected = 1 + papers if papers else 1
        per_chat = Counter(
            str(c.params["chat_id"]) for c in server.calls_of("sendMessage") if c.params
        )
        accepted = Counter(str(m["chat"]["id"]) for (_, _), m in server.messages.items())
        lost = sum(max(0, expected - accepted.get(r.chat_id, 0)) for r in refs)
        duplicated = sum(max(0, accepted.get(r.chat_id, 0) - expected) for r in refs)
        delivered = sum(accepted.values())
        return {
            "chats": chats,
            "messages": delivered,
            "seconds": elapsed,
            "rate": delivered / elapsed,
            "429s": server.rejected,
            "attempts": sum(per_chat.values()),
            "lost": lost,
            "duplicated": duplicated,
            "failed_parts": report.failed,
        }
    finally:
        await db.dispose()
        await server.close()


def main() -> None:
    chats = int(os.environ.get("BENCH_FANOUT_CHATS", "1000"))
    papers = int(os.environ.get("BENCH_FANOUT_PAPERS", "0"))
    r = asyncio.run(run(chats, papers))
    print(f"fan-out to {r['chats']:.0f} Telegram chats (10% groups), {papers} papers per digest")
    print(f"  delivered messages : {r['messages']:.0f} in {r['seconds']:.1f} s")
    print(f"  messages/s         : {r['rate']:.1f}  (target ≥ 27; Telegram allows 30)")
    print(f"  429s received      : {r['429s']:.0f}  (target 0)")
    print(f"  lost               : {r['lost']:.0f}  (target 0)")
    print(f"  duplicated         : {r['duplicated']:.0f}  (target 0)")
    print(f"  failed ledger parts: {r['failed_parts']:.0f}")


if __name__ == "__main__":
    main()
