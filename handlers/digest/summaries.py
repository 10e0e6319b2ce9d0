"""Summaries for a digest run: each (paper, mode) once across all chats, bounded concurrency,
and a labelled degraded entry instead of a dropped paper. (The daily token budget is the
provider's: summarizer.budget.BudgetedProvider, wired once in bot.wiring.)"""

from __future__ import annotations

import asyncio
import logging

from handlers.ports import Summaries
from summarizer.models import Mode, Paper, SummaryKey, SummaryRecord, SummaryResult
from summarizer.prompt import PROMPT_VERSION
from summarizer.providers import extractive
from summarizer.providers.extractive import key_sentences

log = logging.getLogger(__name__)

REASON_FAILED = "模型暂不可用"


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
    ) -> None:
        self._summaries = summaries
        self._gate = asyncio.Semaphore(max(1, concurrency))
        self._tasks: dict[tuple[str, int | None, Mode, str], asyncio.Task[SummaryResult]] = {}

    def get(self, paper: Paper, mode: Mode, language: str = "zh") -> asyncio.Task[SummaryResult]:
        """Once per (paper, mode, language) in the run: a 繁體 entry reuses the Simplified
        summary (converted), an English one costs its own model call."""
        key = (paper.arxiv_id, paper.version, mode, language)
        task = self._tasks.get(key)
        if task is None:
            task = asyncio.create_task(self._one(paper, mode, language))
            self._tasks[key] = task
        return task

    async def _one(self, paper: Paper, mode: Mode, language: str) -> SummaryResult:
        lang = None if language == "zh" else language  # the service's default key
        async with self._gate:
            try:
                return await self._summaries.summarize_paper(
                    paper, mode, chat="digest", language=lang
                )
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("summary of %s failed; delivering it degraded", paper.arxiv_id)
                return degraded_result(paper, mode, REASON_FAILED)
