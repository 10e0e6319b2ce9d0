"""Benchmark: model calls per unique paper when many chats with overlapping topics get the
same day's digest. The real SummaryService (cache + in-flight dedupe) and OpenAICompatProvider
talk to a fake OpenAI-compatible server on 127.0.0.1; the pipeline plans every chat's digest.

Prints chats, unique papers summarized, model calls and calls per paper (target exactly 1.00).
BENCH_MODEL_CALLS_CHATS (default 1000) sets the number of chats.
"""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from handlers.digest.ledger import DigestStore
from handlers.digest.types import FeedEntry
from handlers.types import ChatRef
from storage.engine import Database
from storage.migrate import upgrade_database
from storage.summary_store import SqlSummaryStore
from storage.usage_store import SqlUsageStore
from summarizer.providers.openai_compat import OpenAICompatProvider
from summarizer.service import SummaryService
from tests.fakes.digest_fakes import (
    Clock,
    FakeFeed,
    build_pipeline,
    entry,
    paper,
)
from tests.fakes.llm_servers import API_KEY, FakeOpenAIServer, StaticPaperSource
from tests.fakes.subscription_store import MemorySubscriptions

NOW = datetime(2026, 11, 25, 9, 31, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)
DAY = date(2026, 11, 24)  # Wed 09:31 Shanghai = Tue 20:31 ET: Tuesday evening's
CATEGORIES = ("cs.CL", "cs.LG", "cs.AI", "cs.CV", "cs.IR")
WORDS = ("language model", "agents", "retrieval", "diffusion", "alignment", "vision", "reasoning")
TOPIC_POOL = (*CATEGORIES, *(f'"{w}"' for w in WORDS), "cs")


def day_papers(n: int = 60) -> list[FeedEntry]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        words = rng.sample(WORDS, 2)
        title = f"On {words[0].title()} and {words[1].title()}: Study {i}"
        out.append(entry(paper(f"2611.{i:05d}", title, CATEGORIES[i % len(CATEGORIES)])))
    return out


async def run(chats: int) -> dict[str, float]:
    llm = FakeOpenAIServer()
    await llm.start()
    workdir = Path(tempfile.mkdtemp(prefix="paperbot-calls-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    await upgrade_database(url)
    db = Database(url)
    provider = OpenAICompatProvider(API_KEY, llm.base_url, "fake-model", timeout=30)
    try:
        entries = day_papers()
        source = StaticPaperSource(*(e.paper for e in entries))
        service = SummaryService(source, SqlSummaryStore(db), SqlUsageStore(db), provider)
        subs, rng = MemorySubscriptions(), random.Random(11)
        for i in range(chats):
            subs.subscribe(ChatRef("telegram", str(10**6 + i)), *rng.sample(TOPIC_POOL, 3))
        pipeline = build_pipeline(
            db, subs, FakeFeed(DAY, entries), Clock(NOW), [], summaries=service
        )
        start = time.perf_counter()
        report = await pipeline.plan(NOW)
        elapsed = time.perf_counter() - start
        store: DigestStore = pipeline.store
        papers: set[str] = set()
        for chat in subs.by_chat:
            papers |= {p.arxiv_id for p in await store.parts_for(chat) if p.arxiv_id}
        pipeline.close()
        return {
            "chats": chats,
            "claimed": report.claimed,
            "papers": len(papers),
            "calls": llm.count,
            "seconds": elapsed,
        }
    finally:
        await provider.aclose()
        await db.dispose()
        await llm.close()


def main() -> None:
    chats = int(os.environ.get("BENCH_MODEL_CALLS_CHATS", "1000"))
    r = asyncio.run(run(chats))
    print(f"chats with overlapping topics : {r['chats']:.0f} ({r['claimed']:.0f} digests planned)")
    print(f"unique papers summarized      : {r['papers']:.0f}")
    print(f"model calls                   : {r['calls']:.0f}")
    print(f"model calls per unique paper  : {r['calls'] / max(1, r['papers']):.2f}  (target 1.00)")
    print(f"planning time                 : {r['seconds']:.1f} s")


if __name__ == "__main__":
    main()
