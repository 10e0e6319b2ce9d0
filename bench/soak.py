"""Soak: many chats sending arXiv links at once through the real Telegram adapter and the fake
Bot API for a while; prints throughput, cached-reply latency, memory over time and errors.

`python -m bench.soak --seconds 60 --chats 40 --think 2.0` (`--limiter none` measures the
adapter without PTB's 30 msg/s limiter).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.models import Mode
from tests.fakes.services import fake_services, sample_paper
from tests.fakes.telegram_server import FakeTelegram, running_platform

PAPER_IDS = [f"2401.{12200 + n}" for n in range(20)]
REPLY_TIMEOUT = 15.0


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class SoakTelegram(FakeTelegram):
    """The fake Bot API, resolving a waiter per chat when a summary (with buttons) is sent,
    and forgetting old calls so that the fake's own memory stays flat."""

    def __init__(self) -> None:
        super().__init__()
        self.waiters: dict[int, asyncio.Future[float]] = {}

    async def api_sendMessage(self, params: dict[str, Any]) -> Any:
        message = await super().api_sendMessage(params)
        waiter = self.waiters.pop(int(params["chat_id"]), None)
        if waiter is not None and not waiter.done() and params.get("reply_markup"):
            waiter.set_result(time.perf_counter())
        return message

    def forget(self) -> None:
        self.calls.clear()
        self.messages.clear()
        self.delivered_at.clear()


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    rss: list[tuple[float, float]] = field(default_factory=list)


async def chat_loop(
    server: SoakTelegram, chat_id: int, deadline: float, think: float, figures: Figures
) -> None:
    rng = random.Random(chat_id)
    await asyncio.sleep(rng.uniform(0, think))  # spread the starts
    while time.perf_counter() < deadline:
        paper = rng.choice(PAPER_IDS)
        waiter: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        server.waiters[chat_id] = waiter
        sent_at = time.perf_counter()
        server.push_message(f"看看 https://arxiv.org/abs/{paper}", chat_id=chat_id, user_id=chat_id)
        try:
            answered = await asyncio.wait_for(waiter, REPLY_TIMEOUT)
            figures.latencies.append((answered - sent_at) * 1000)
        except TimeoutError:
            figures.errors += 1
            server.waiters.pop(chat_id, None)
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def sample_memory(
    server: SoakTelegram, started: float, every: float, figures: Figures, stop: asyncio.Event
) -> None:
    while not stop.is_set():
        server.forget()
        gc.collect()
        figures.rss.append((time.perf_counter() - started, rss_mib()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)


async def soak(seconds: float, chats: int, think: float, limiter: str, sample: float) -> Figures:
    papers = [sample_paper(arxiv_id) for arxiv_id in PAPER_IDS]
    services = fake_services(papers, rate_limit=1_000_000)
    for paper in papers:  # every reply below is a cached summary
        await services.summaries.summarize_paper(paper, Mode.CONDENSED)
    figures = Figures()
    server = SoakTelegram()
    await server.start()
    try:
        options: dict[str, Any] = {"poll_timeout": 1}
        if limiter == "none":
            options["rate_limiter"] = None
        async with running_platform(server, services, **options):
            stop = asyncio.Event()
            started = time.perf_counter()
            sampler = asyncio.create_task(sample_memory(server, started, sample, figures, stop))
            deadline = started + seconds
            await asyncio.gather(
                *(chat_loop(server, 10_000 + n, deadline, think, figures) for n in range(chats))
            )
            stop.set()
            await sampler
            figures.rss.append((time.perf_counter() - started, rss_mib()))
    finally:
        await server.close()
    return figures


def report(figures: Figures, seconds: float, chats: int, think: float, limiter: str) -> None:
    ordered = sorted(figures.latencies)
    n = len(ordered)
    print(
        f"soak: {seconds:.0f} s, {chats} chats, think {think:g} s, limiter={limiter}, "
        f"fake Bot API on 127.0.0.1, cached summaries"
    )
    if n:
        p50 = statistics.median(ordered)
        p95 = ordered[max(0, int(0.95 * n) - 1)]
        print(
            f"replies: {n} ({n / seconds:.1f}/s), "
            f"errors (no reply in {REPLY_TIMEOUT:g} s): {figures.errors}"
        )
        print(f"cached-reply latency: p50={p50:.1f} ms p95={p95:.1f} ms max={ordered[-1]:.1f} ms")
    else:
        print(f"replies: 0, errors: {figures.errors}")
    samples = " ".join(f"{t:.0f}s:{mib:.1f}" for t, mib in figures.rss)
    print(f"RSS MiB over time: {samples}")
    if len(figures.rss) >= 3:
        # growth after warm-up: second sample to the last (the first includes start-up)
        _, warm = figures.rss[1]
        _, last = figures.rss[-1]
        peak = max(mib for _, mib in figures.rss)
        print(f"RSS growth after warm-up: {last - warm:+.1f} MiB (peak {peak:.1f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--chats", type=int, default=40)
    parser.add_argument(
        "--think", type=float, default=2.0, help="mean pause between a chat's links"
    )
    parser.add_argument("--limiter", choices=["default", "none"], default="default")
    parser.add_argument("--sample", type=float, default=5.0, help="seconds between RSS samples")
    args, _ = parser.parse_known_args(sys.argv[1:])
    figures = asyncio.run(soak(args.seconds, args.chats, args.think, args.limiter, args.sample))
    report(figures, args.seconds, args.chats, args.think, args.limiter)


if __name__ == "__main__":
    main()
