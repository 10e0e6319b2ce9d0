"""Telegram adapter latency: update handed to getUpdates -> sendMessage received, cached paper."""

from __future__ import annotations

import asyncio
import statistics
from typing import Any

from summarizer.models import Mode
from tests.fakes.services import fake_services, sample_paper
from tests.fakes.telegram_server import fake_telegram, running_platform

N = 200


async def measure(rate_limiter: Any) -> list[float]:
    services = fake_services(rate_limit=10 * N)
    await services.summaries.summarize_paper(sample_paper(), Mode.CONDENSED)
    latencies: list[float] = []
    async with fake_telegram() as server:
        options = {} if rate_limiter == "default" else {"rate_limiter": rate_limiter}
        async with running_platform(server, services, **options):
            for i in range(N):
                update_id = server.push_message("https://arxiv.org/abs/2401.12215")
                [*_, sent] = await server.wait_for("sendMessage", i + 1, within=10.0)
                latencies.append((sent.at - server.delivered_at[update_id]) * 1000)
        assert all("📄" in text for text in server.sent_texts()), "expected cached summaries"
        assert not server.calls_of("editMessageText"), "a cached summary shows no status"
    return latencies


def report(label: str, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * len(ordered)) - 1]
    print(
        f"{label}: n={len(ordered)} median={statistics.median(ordered):.1f} ms "
        f"p95={p95:.1f} ms max={ordered[-1]:.1f} ms"
    )


def main() -> None:
    print(f"{N} sequential private messages, cached summary, fake Bot API on 127.0.0.1")
    report("no rate limiter (adapter + PTB overhead)", asyncio.run(measure(None)))
    report("production limiter (30 msg/s overall)", asyncio.run(measure("default")))


if __name__ == "__main__":
    main()
