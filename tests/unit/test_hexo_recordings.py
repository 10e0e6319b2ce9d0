"""The shipped full-mode recordings of the 14 seed papers pass the real faithfulness checks."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from summarizer.checks import check_output
from summarizer.demo_data import load_seed_papers
from summarizer.models import FullSummary, Mode, Paper

PAPERS = load_seed_papers()
RECORDINGS = json.loads(
    resources.files("summarizer.data").joinpath("seed_recordings.json").read_text("utf-8")
)["recordings"]


def test_every_seed_paper_has_a_full_and_a_condensed_recording() -> None:
    assert len(PAPERS) == 14
    for paper in PAPERS:
        assert RECORDINGS[paper.arxiv_id]["full"], paper.arxiv_id
        assert RECORDINGS[paper.arxiv_id]["condensed"], paper.arxiv_id


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.arxiv_id)
def test_full_recording_passes_every_check(paper: Paper) -> None:
    for raw in RECORDINGS[paper.arxiv_id]["full"]:
        outcome = check_output(raw, Mode.FULL, paper.source_text())
        assert outcome.failures == [], outcome.failures
        assert isinstance(outcome.summary, FullSummary)


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.arxiv_id)
def test_full_recording_names_no_author_link_or_seed_failure(paper: Paper) -> None:
    for raw in RECORDINGS[paper.arxiv_id]["full"]:
        text = json.dumps(json.loads(raw), ensure_ascii=False)
        for author in paper.authors:
            assert author not in text
        for bad in ("http", "github", "xxx", "Some Error", "99.36", "单位"):
            assert bad not in text
