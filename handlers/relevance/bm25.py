"""BM25 of a chat's topic terms over one announcement's papers (title counted twice)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from handlers.digest.types import Topic, TopicKind
from handlers.subscriptions.topics import word_tokens
from summarizer.models import Paper

K1 = 1.2
B = 0.75


def topic_terms(topics: Iterable[Topic]) -> list[str]:
    """The tokens of keyword topics (every alternative; negatives excluded)."""
    terms: list[str] = []
    for topic in topics:
        if topic.kind is TopicKind.KEYWORDS:
            for group in topic.any_of:
                for phrase in group:
                    terms.extend(t for t in word_tokens(phrase) if t not in terms)
    return terms


class BM25Index:
    """Built once per announcement; `scores(terms)` for any chat costs one pass per term."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self._docs: list[Counter[str]] = []
        lengths = []
        for paper in papers:
            title = word_tokens(paper.title)
            counts = Counter(title * 2 + word_tokens(paper.abstract))
            self._docs.append(counts)
            lengths.append(sum(counts.values()))
        self._lengths = np.array(lengths, dtype=np.float64)
        self._mean = float(self._lengths.mean()) if lengths else 1.0
        self._df: Counter[str] = Counter()
        for counts in self._docs:
            self._df.update(counts.keys())
        self._cache: dict[str, np.ndarray] = {}

    def _term(self, term: str) -> np.ndarray:
        cached = self._cache.get(term)
        if cached is not None:
            return cached
        n = len(self._docs)
        df = self._df.get(term, 0)
        out = np.zeros(n)
        if df:
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = np.array([d.get(term, 0) for d in self._docs], dtype=np.float64)
            norm = K1 * (1 - B + B * self._lengths / self._mean)
            out = idf * tf * (K1 + 1) / (tf + norm)
        self._cache[term] = out
        return out

    def scores(self, terms: Sequence[str], docs: Sequence[int]) -> np.ndarray:
        """BM25 of `terms` for the papers at `docs` (0 for every paper when no terms)."""
        total = np.zeros(len(self._docs))
        for term in terms:
            total = total + self._term(term)
        return total[np.asarray(docs, dtype=np.int64)] if len(docs) else np.zeros(0)
