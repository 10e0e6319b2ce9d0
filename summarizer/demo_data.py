"""The 14 real papers of the seed digest (2024-01-24), shipped for the offline demo."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources

from summarizer.errors import PaperNotFound
from summarizer.models import ArxivRef, Paper


def load_seed_papers() -> list[Paper]:
    raw = resources.files("summarizer.data").joinpath("seed_papers.json").read_text("utf-8")
    return [Paper.model_validate(item) for item in json.loads(raw)["papers"]]


class SeedPaperSource:
    """A PaperSource over the shipped papers: the demo needs no network."""

    def __init__(self, papers: Sequence[Paper] | None = None) -> None:
        self.papers = {
            p.arxiv_id: p for p in (papers if papers is not None else load_seed_papers())
        }

    async def fetch_papers(self, refs: Sequence[ArxivRef]) -> dict[ArxivRef, Paper]:
        found: dict[ArxivRef, Paper] = {}
        for ref in refs:
            paper = self.papers.get(ref.arxiv_id)
            if paper is not None and ref.version in (None, paper.version):
                found[ref] = paper
        return found

    async def fetch_paper(self, ref: ArxivRef) -> Paper:
        found = await self.fetch_papers([ref])
        if ref not in found:
            raise PaperNotFound(ref.versioned)
        return found[ref]
