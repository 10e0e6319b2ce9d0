"""PAPERBOT_DAILY_TOKEN_BUDGET: past it, summaries fall back to the labelled extractive text."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.ops import metrics
from bot.wiring import build_services
from storage import Database, SqlUsageStore
from summarizer.budget import REASON_BUDGET, BudgetedProvider
from summarizer.models import ArxivRef, Mode
from summarizer.providers.gemini import GeminiProvider
from summarizer.service import SummaryService
from tests.fakes.arxiv_server import FakeArxivServer
from tests.fakes.llm_servers import (
    API_KEY,
    FINSQL_PAPER,
    GEMINI_MODEL,
    LORA_PAPER,
    FakeGeminiServer,
    StaticPaperSource,
)
from tests.fakes.memory_stores import MemorySummaryStore, MemoryUsageStore


def spent(usage: MemoryUsageStore) -> int:
    return sum(e.input_tokens + e.output_tokens for e in usage.events)


async def test_budget_switches_to_extractive_and_warns_once(
    gemini_provider: GeminiProvider, gemini_server: FakeGeminiServer,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    usage = MemoryUsageStore()
    refusals: list[int] = []

    async def tokens_today() -> int:
        return spent(usage)

    day = [date(2026, 11, 25)]
    provider = BudgetedProvider(
        gemini_provider, tokens_today, budget=10, today=lambda: day[0],
        on_exhausted=lambda: refusals.append(1),
    )  # fmt: skip
    service = SummaryService(
        StaticPaperSource(LORA_PAPER, FINSQL_PAPER), MemorySummaryStore(), usage, provider
    )
    first = await service.summarize(ArxivRef(arxiv_id=LORA_PAPER.arxiv_id), Mode.CONDENSED)
    assert first.record.status == "ok" and spent(usage) > 10
    assert first.record.key.provider == "gemini"  # same cache key as without the wrapper
    caplog.set_level(logging.WARNING, logger="summarizer.budget")
    for mode in (Mode.CONDENSED, Mode.FULL):
        over = await service.summarize(ArxivRef(arxiv_id=FINSQL_PAPER.arxiv_id), mode)
        assert over.record.status == "degraded"
        assert over.record.degraded_reason == REASON_BUDGET
        assert over.record.extract  # the abstract's key sentences, shown instead
    assert gemini_server.count == 1  # refused calls never reach the model
    assert len(refusals) == 2
    warnings = [r for r in caplog.records if "PAPERBOT_DAILY_TOKEN_BUDGET" in r.getMessage()]
    assert len(warnings) == 1  # the operator is told once per day
    day[0] = date(2026, 11, 26)
    await service.summarize(ArxivRef(arxiv_id=FINSQL_PAPER.arxiv_id), Mode.CONDENSED)
    assert len([r for r in caplog.records if "PAPERBOT_DAILY_TOKEN_BUDGET" in r.getMessage()]) == 2


async def test_zero_budget_is_unlimited(gemini_provider: GeminiProvider) -> None:
    calls: list[int] = []

    async def tokens_today() -> int:
        calls.append(1)
        return 10**9

    provider = BudgetedProvider(gemini_provider, tokens_today, budget=0)
    service = SummaryService(
        StaticPaperSource(LORA_PAPER), MemorySummaryStore(), MemoryUsageStore(), provider
    )
    result = await service.summarize(ArxivRef(arxiv_id=LORA_PAPER.arxiv_id), Mode.CONDENSED)
    assert result.record.status == "ok" and calls == []


async def test_wiring_counts_todays_tokens_from_the_usage_table(
    gemini_server: FakeGeminiServer, arxiv_server: FakeArxivServer, tmp_path: Path
) -> None:
    metrics.reset()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite:///{tmp_path / 'p.db'}",
        gemini_api_key=API_KEY, gemini_base_url=gemini_server.base_url, gemini_model=GEMINI_MODEL,
        arxiv_api_url=arxiv_server.url, arxiv_min_interval=0, daily_token_budget=50,
        llm_input_price=1.0, llm_output_price=4.0,
    )  # fmt: skip
    async with build_services(settings) as services:
        ok = await services.summaries.summarize(ArxivRef(arxiv_id="2401.12215"), Mode.CONDENSED)
        over = await services.summaries.summarize(ArxivRef(arxiv_id="2401.12208"), Mode.CONDENSED)
    assert ok.record.status == "ok"
    assert over.record.degraded_reason == REASON_BUDGET
    assert gemini_server.count == 1
    assert metrics.BUDGET_FALLBACKS.get() == 1
    assert metrics.SUMMARIES.get(provider="gemini", outcome="ok") == 1
    assert metrics.SUMMARIES.get(provider="gemini", outcome="degraded") == 1
    # Usage days are UTC (see storage.usage_store): the tokens spent are on today's UTC row.
    db = Database(settings.database_url)
    today = datetime.now(UTC).date()
    try:
        rows = await SqlUsageStore(db).usage_report(today - timedelta(days=1))  # "since"
    finally:
        await db.dispose()
    spent_on = {r.day for r in rows if r.provider == "gemini" and r.input_tokens > 0}
    assert spent_on == {today}
