"""Benchmark: announcement known -> every due chat's digest planned, for 1,000 chats, with a
fake model that takes 2-5 s a call (uniform) behind the pipeline's bounded concurrency.

Phase 1 (summarize ahead): a tick at Tue 20:05 ET, when the listing shows Tuesday's
announcement; the pipeline summarizes, in the background, every paper any chat will get.
Phase 2 (delivery slot): a tick at Wed 09:30 Shanghai (Tue 20:30 ET), when all 1,000 chats are
due: matching, rendering and the ledger claims; model calls made here are counted (target 0).

Real latencies would make one run last minutes, so the model's latency is scaled by
BENCH_PLANNING_LATENCY_SCALE (default 0.02) and the run repeated with no latency at all; the
realistic figure is no-latency wall + (scaled wall - no-latency wall) / scale, printed beside
the measured ones. BENCH_PLANNING_CHATS (1000), BENCH_PLANNING_CONCURRENCY (the pipeline's
default, 4; also try 16), BENCH_PLANNING_PAPERS (announcement size, 600).
"""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from handlers.ports import ProgressFn
from handlers.types import ChatRef
from storage.engine import Database
from storage.migrate import upgrade_database
from summarizer.models import Mode, Paper, SummaryResult
from tests.fakes.digest_fakes import (
    Clock,
    FakeFeed,
    build_pipeline,
    entry,
    paper,
)
from tests.fakes.services import FakePapers, make_result
from tests.fakes.subscription_store import MemorySubscriptions

ET = ZoneInfo("America/New_York")
TUESDAY = date(2026, 12, 1)
KNOWN_AT = datetime(2026, 12, 1, 20, 5, tzinfo=ET)
SLOT = datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
CATEGORIES = ("cs.CL", "cs.LG", "cs.AI", "cs.CV", "cs.IR", "cs.RO", "cs.SE", "cs.CR", "stat.ML")
WORDS = ("language model", "agents", "retrieval", "diffusion", "alignment", "vision",
         "reasoning", "robot", "privacy", "code")  # fmt: skip
TOPICS = (*CATEGORIES, *(f'"{w}"' for w in WORDS))


class SlowModel:
    """The Summaries port with a model that takes 2-5 s (times `scale`) per new paper; the
    shared cache and in-flight dedupe of the real SummaryService."""

    def __init__(self, scale: float, seed: int = 5) -> None:
        self.papers = FakePapers()
        self.scale = scale
        self.rng = random.Random(seed)
        self.calls = 0
        self.busy_seconds = 0.0
        self.done: dict[tuple[str, Mode], SummaryResult] = {}
        self.inflight: dict[tuple[str, Mode], asyncio.Task[SummaryResult]] = {}

    async def cached(
        self, ref: object, mode: Mode, *, language: str | None = None
    ) -> SummaryResult | None:
        return None

    async def _call(self, paper: Paper, mode: Mode) -> SummaryResult:
        self.calls += 1
        latency = self.rng.uniform(2.0, 5.0)
        self.busy_seconds += latency
        await asyncio.sleep(latency * self.scale)
        result = make_result(paper, mode)
        self.done[(paper.arxiv_id, mode)] = result
        return result

    async def summarize_paper(
        self,
        paper: Paper,
        mode: Mode,
        *,
        progress: ProgressFn | None = None,
        chat: str | None = None,
        language: str | None = None,
    ) -> SummaryResult:
        key = (paper.arxiv_id, mode)
        if key in self.done:
            return self.done[key]
        task = self.inflight.get(key)
        if task is None:
            task = self.inflight[key] = asyncio.create_task(self._call(paper, mode))
        return await task


@dataclass
class Figures:
    ahead_seconds: float
    plan_seconds: float
    calls_ahead: int
    calls_at_slot: int
    claimed: int
    model_seconds: float


def announcement(n: int) -> list:  # type: ignore[type-arg]
    rng = random.Random(7)
    out = []
    for i in range(n):
        words = rng.sample(WORDS, 2)
        title = f"On {words[0].title()} and {words[1].title()}: Study {i}"
        out.append(entry(paper(f"2612.{i:05d}", title, CATEGORIES[i % len(CATEGORIES)])))
    return out


async def run(chats: int, n_papers: int, scale: float, concurrency: int, workdir: Path) -> Figures:
    url = f"sqlite:///{workdir / f'plan-{scale}.db'}"
    await upgrade_database(url)
    db = Database(url)
    subs, rng = MemorySubscriptions(), random.Random(11)
    for i in range(chats):
        subs.subscribe(ChatRef("telegram", str(10**6 + i)), *rng.sample(TOPICS, 3))
    model = SlowModel(scale)
    monday = FakeFeed(date(2026, 11, 30), [])
    clock = Clock(KNOWN_AT.astimezone(UTC))
    pipeline = build_pipeline(
        db,
        subs,
        monday,
        clock,
        [],
        summaries=model,
        summary_concurrency=concurrency,  # type: ignore[arg-type]
    )
    try:
        for chat in subs.by_chat:  # every chat had Monday's digest
            await pipeline.store.claim_and_plan(chat, date(2026, 11, 30), [])
        monday.show(TUESDAY, announcement(n_papers))
        start = time.perf_counter()
        await pipeline.tick(KNOWN_AT.astimezone(UTC))
        await pipeline.ahead.wait()
        ahead = time.perf_counter() - start
        calls_ahead = model.calls
        clock.now = SLOT.astimezone(UTC)
        start = time.perf_counter()
        report = await pipeline.plan(clock.now)
        planned = time.perf_counter() - start
        return Figures(ahead, planned, calls_ahead, model.calls - calls_ahead, report.claimed,
                       model.busy_seconds)  # fmt: skip
    finally:
        pipeline.close()
        await db.dispose()


def main() -> None:
    chats = int(os.environ.get("BENCH_PLANNING_CHATS", "1000"))
    n_papers = int(os.environ.get("BENCH_PLANNING_PAPERS", "600"))
    scale = float(os.environ.get("BENCH_PLANNING_LATENCY_SCALE", "0.02"))
    concurrency = int(os.environ.get("BENCH_PLANNING_CONCURRENCY", "4"))
    with tempfile.TemporaryDirectory() as tmp:
        slow = asyncio.run(run(chats, n_papers, scale, concurrency, Path(tmp)))
    if slow.calls_ahead == 0:
        raise RuntimeError("no model call was made ahead: the fake model no longer fits the port")
    # Conservative: the run's wall with the scaled model time taken out (the overhead), plus
    # the model's real total time spread over `concurrency` slots.
    model_wall = slow.model_seconds / concurrency
    overhead = max(0.0, slow.ahead_seconds - model_wall * scale)
    realistic = overhead + model_wall
    print(f"chats {chats}, announcement of {n_papers} papers, model 2-5 s/call, "
          f"concurrency {concurrency}, latency scale {scale}")  # fmt: skip
    print(f"model calls ahead                   : {slow.calls_ahead} (unique papers chosen)")
    print(f"model calls at the delivery slot    : {slow.calls_at_slot}  (target 0)")
    print(f"digests planned at the slot         : {slow.claimed}")
    print(f"summarize ahead, measured (scaled)  : {slow.ahead_seconds:.1f} s")
    print(f"summarize ahead, overhead (no model): {overhead:.1f} s")
    print(f"summarize ahead, realistic (2-5 s)  : {realistic:.0f} s ({realistic / 60:.1f} min) = "
          f"overhead + {slow.model_seconds:.0f} s of model time / {concurrency}")  # fmt: skip
    print(f"planning at the slot (all due chats): {slow.plan_seconds:.1f} s")
    print(f"announcement known -> all planned   : {realistic + slow.plan_seconds:.0f} s realistic")


if __name__ == "__main__":
    main()
