"""bench/faithfulness.py on the vendored hand-labelled records: judging, plants, the fallback."""

from __future__ import annotations

import random
from typing import Any

import pytest

from bench import faithfulness


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return faithfulness.load(faithfulness.VENDORED)


def test_vendored_subset_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOT_FAITHFULNESS_CORPUS", str(faithfulness.VENDORED))
    assert faithfulness.corpus_path() == faithfulness.VENDORED


def test_every_labelled_problem_is_flagged(records: list[dict[str, Any]]) -> None:
    figures = faithfulness.measure(records)
    assert figures.problems > 60
    assert figures.missed == []


def test_flags_are_judged_from_the_labels(records: list[dict[str, Any]]) -> None:
    by_key = {r["key"]: r for r in records}
    english = by_key["dw:2511.15210"]  # "Summary generation failed": labelled a problem
    assert faithfulness.judge(english, ("not_chinese", "tldr", "")) == "problem"
    clean = by_key["dw:2508.15085"]  # read in full and judged faithful
    assert faithfulness.judge(clean, ("invented_number", "tldr", "7")) == "fine"


def test_plants_are_caught(records: list[dict[str, Any]]) -> None:
    figures = faithfulness.measure(records)
    rng = random.Random(7)
    passing = figures.passing[:25]
    for kind in ("number", "name"):
        caught, total, misses = faithfulness.recall(passing, kind, rng)
        assert total == len(passing) and caught == total, misses
