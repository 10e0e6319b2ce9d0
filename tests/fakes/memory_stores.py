"""In-memory implementations of the core's storage ports (papers, summaries, usage), for tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from summarizer.models import ArxivRef, Paper, SummaryKey, SummaryRecord, UsageEvent


class MemoryPaperStore:
    def __init__(self) -> None:
        self._papers: dict[tuple[str, int | None], tuple[Paper, datetime]] = {}

    async def get_papers(
        self, refs: Sequence[ArxivRef], *, fresh_after: datetime | None = None
    ) -> dict[ArxivRef, Paper]:
        found: dict[ArxivRef, Paper] = {}
        for ref in refs:
            if ref.version is not None:
                hit = self._papers.get((ref.arxiv_id, ref.version))
                if hit:
                    found[ref] = hit[0]
                continue
            candidates = [
                (paper, at)
                for (aid, _), (paper, at) in self._papers.items()
                if aid == ref.arxiv_id and (fresh_after is None or at >= fresh_after)
            ]
            if candidates:
                found[ref] = max(candidates, key=lambda c: c[0].version or 0)[0]
        return found

    async def save_papers(self, papers: Sequence[Paper]) -> None:
        now = datetime.now(UTC)
        for paper in papers:
            self._papers[(paper.arxiv_id, paper.version)] = (paper, now)


class MemorySummaryStore:
    def __init__(self) -> None:
        self.records: dict[SummaryKey, SummaryRecord] = {}

    async def get_summary(self, key: SummaryKey) -> SummaryRecord | None:
        return self.records.get(key)

    async def save_summary(self, record: SummaryRecord) -> None:
        self.records[record.key] = record


class MemoryUsageStore:
    def __init__(self) -> None:
        self.events: list[UsageEvent] = []

    async def record_usage(self, event: UsageEvent) -> None:
        self.events.append(event)
