"""Summaries for a digest run: each (paper, mode) once across all chats, bounded concurrency,
a daily token budget, and a labelled degraded entry instead of a dropped paper."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from typing import Protocol

from handlers.ports import Summaries
from summarizer.models import Mode, Paper, SummaryKey, SummaryRecord, SummaryResult
from summarizer.prompt import PROMPT_VERSION
from summarizer.providers import extractive
from summarizer.providers.extractive import key_sentences

log = logging.getLogger(__name__)

REASON_BUDGET = "今日模型额度已用完"
REASON_FAILED = "模型暂不可用"


class TokenMeter(Protocol):
    """storage.SqlUsageStore implements it."""

    async def tokens_on(self, day: date, *, tz: tzinfo = UTC) -> int: ...


def degraded_result(paper: Paper, mode: Mode, reason: str) -> SummaryResult:
    key = SummaryKey(
        arxiv_id=paper.arxiv_id,
        version=paper.version,
        mode=mode,
        provider=extractive.NAME,
        model=extractive.MODEL,
        prompt_version=PROMPT_VERSION,
    )
    record = SummaryRecord(
        key=key,
        status="degraded",
        extract=key_sentences(paper.abstract),
        degraded_reason=reason,
    )
    return SummaryResult(paper=paper, record=record)


class RunSummaries:
    """One per digest run (tick): a per-run dedupe on top of the service's shared cache."""

    def __init__(
        self,
        summaries: Summaries,
        *,
        concurrency: int = 4,
        budget: int | None = None,
        meter: TokenMeter | None = None,
        clock: Callable[[], datetime],
        budget_tz: tzinfo = UTC,
    ) -> None:
        self._summaries = summaries
        self._gate = asyncio.Semaphore(max(1, concurrency))
        self._budget = budget
        self._meter = meter
        self._clock = clock
        self._tz = budget_tz
        self._tasks: dict[tuple[str, int | None, Mode], asyncio.Task[SummaryResult]] = {}

    def get(self, paper: Paper, mode: Mode) -> asyncio.Task[SummaryResult]:
        key = (paper.arxiv_id, paper.version, mode)
        task = self._tasks.get(key)
        if task is None:
            task = asyncio.create_task(self._one(paper, mode))
            self._tasks[key] = task
        return task

    async def _over_budget(self) -> bool:
        if self._budget is None or self._meter is None:
            return False
        today = self._clock().astimezone(self._tz).date()
        return await self._meter.tokens_on(today, tz=self._tz) >= self._budget

    async def _one(self, paper: Paper, mode: Mode) -> SummaryResult:
        async with self._gate:
            try:
                if await self._over_budget():
                    cached = await self._summaries.cached(paper.ref, mode)
                    return cached or degraded_result(paper, mode, REASON_BUDGET)
                return await self._summaries.summarize_paper(paper, mode, chat="digest")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("summary of %s failed; delivering it degraded", paper.arxiv_id)
                return degraded_result(paper, mode, REASON_FAILED)
