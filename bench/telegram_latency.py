"""Telegram cached-reply latency: update handed to getUpdates -> sendMessage received, for a
paper summarized before, through the REAL services (`build_services`: the arXiv metadata
cache and the summary cache read from SQLite) and the real adapter against the fake Bot API.
The first request fills the caches (from the fake arXiv API, extractive summary) and is not
counted; arXiv is not asked again (checked)."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
from typing import Any

from bot.config import Settings
from bot.wiring import build_services
from tests.fakes.arxiv_server import FakeArxivServer
from tests.fakes.telegram_server import fake_telegram, running_platform

N = 200
LINK = "https://arxiv.org/abs/2401.12215"


async def measure(rate_limiter: Any) -> list[float]:
    latencies: list[float] = []
    rejected = 0
    arxiv = await FakeArxivServer().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(  # type: ignore[call-arg]
                _env_file=None,
                database_url=f"sqlite:///{tmp}/bench.db",
                arxiv_api_url=arxiv.url,
                arxiv_min_interval=0,
                llm_provider="extractive",
                fulltext_enabled=False,
                user_rate_limit=10 * N,
            )
            async with build_services(settings) as services, fake_telegram() as server:
                options = {} if rate_limiter == "default" else {"rate_limiter": rate_limiter}
                # Without our limiter 200 quick replies exceed 30 msg/s: the fake would 429.
                server.limits = rate_limiter == "default"
                async with running_platform(
                    server, services, poll_timeout=2, user_rate_limit=10 * N, **options
                ):
                    server.push_message(LINK)  # fills the caches; not measured
                    await server.wait_for("editMessageText", 1, within=30.0)
                    asked = len(arxiv.requests)
                    for i in range(N):
                        update_id = server.push_message(LINK)
                        # Messages that exist (a 429-refused call is recorded but not sent).
                        while len(server.messages) < i + 2:  # noqa: ASYNC110
                            await asyncio.sleep(0.0005)
                        sent = server.calls_of("sendMessage")[-1]
                        latencies.append((sent.at - server.delivered_at[update_id]) * 1000)
                    rejected = server.rejected
                assert len(arxiv.requests) == asked, "a cached reply asked arXiv again"
                texts = [c.params["text"] for c in server.calls_of("sendMessage")[1:]]
                assert all("📄" in text for text in texts), "expected cached summaries"
                assert len(server.calls_of("editMessageText")) == 1, "cached: no status edit"
    finally:
        await arxiv.stop()
    if rejected:
        print(f"  ({rejected} replies were refused with 429 and waited out)")
    return latencies


def report(label: str, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * len(ordered)) - 1]
    print(
        f"{label}: n={len(ordered)} median={statistics.median(ordered):.1f} ms "
        f"p95={p95:.1f} ms max={ordered[-1]:.1f} ms"
    )


def main() -> None:
    print(
        f"{N} sequential private messages, cached summary read through the real services "
        "(SQLite store), fake Bot API on 127.0.0.1"
    )
    report("no rate limiter (adapter + PTB overhead)", asyncio.run(measure(None)))
    report("production limiter (30 msg/s overall)", asyncio.run(measure("default")))


if __name__ == "__main__":
    main()
