"""BM25 over a paper's passages, with Chinese questions bridged to English papers by a glossary."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.qa.glossary import expand_chinese
from summarizer.qa.passages import Passage

DEFAULT_BUDGET_TOKENS = 2_000
"""Passages sent per question (about 8,000 English characters): a few sections, never the paper."""
K1 = 1.5
B = 0.75

_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*|\d+(?:\.\d+)?%?")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "we",
        "our",
        "us",
        "they",
        "their",
        "which",
        "what",
        "how",
        "why",
        "when",
        "where",
        "who",
        "whom",
        "does",
        "do",
        "did",
        "can",
        "could",
        "would",
        "should",
        "will",
        "may",
        "might",
        "than",
        "then",
        "there",
        "here",
        "such",
        "into",
        "over",
        "under",
        "about",
        "also",
        "not",
        "no",
        "but",
        "if",
        "so",
        "all",
        "any",
        "each",
        "other",
        "more",
        "most",
        "some",
        "only",
        "very",
        "using",
        "use",
        "used",
        "based",
        "paper",
        "show",
        "shows",
        "shown",
        "given",
        "one",
        "two",
    ]
)
_FIGURE_Q = re.compile(r"(图|表|figure|fig\.?|table)\s*(\d+|[ivx]+)", re.IGNORECASE)


def stem(word: str) -> str:
    """A light English stemmer: enough for 'tasks'/'task', 'results'/'result', 'tuning'/'tune'."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + repl
    return word


def tokens(text: str) -> list[str]:
    """English words (stemmed, stop words out) and numbers of `text`."""
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


def query_tokens(question: str) -> list[str]:
    """The question's own English words and numbers, plus the glossary's English for its Chinese."""
    found = tokens(question)
    for english in expand_chinese(question):
        found.extend(tokens(english))
    return found


def estimate_tokens(text: str) -> int:
    """Model tokens, roughly: one per 汉字, one per four other characters."""
    cjk = len(_CJK.findall(text))
    return cjk + math.ceil((len(text) - cjk) / 4)


class BM25:
    """Okapi BM25 (k1=1.5, b=0.75) over tokenized documents."""

    def __init__(self, documents: Sequence[list[str]]) -> None:
        self._docs = [Counter(d) for d in documents]
        self._lengths = [len(d) for d in documents]
        self._avg = (sum(self._lengths) / len(documents)) if documents else 0.0
        df: Counter[str] = Counter()
        for doc in self._docs:
            df.update(doc.keys())
        n = len(documents)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: Sequence[str]) -> list[float]:
        out: list[float] = []
        for doc, length in zip(self._docs, self._lengths, strict=True):
            score = 0.0
            norm = K1 * (1 - B + B * length / self._avg) if self._avg else K1
            for term in set(query):
                freq = doc.get(term, 0)
                if freq:
                    score += self._idf[term] * freq * (K1 + 1) / (freq + norm)
            out.append(score)
        return out


def passage_index(passages: Sequence[Passage]) -> BM25:
    """The BM25 index of a paper's passages (build once per paper, reuse for every question)."""
    return BM25([tokens(f"{p.heading}\n{p.text}") for p in passages])


@dataclass(frozen=True)
class Retrieved:
    """The passages chosen for one question, best first (models attend best to what comes
    first), and how every passage ranked."""

    passages: tuple[Passage, ...]
    ranked: tuple[Passage, ...]
    """Every passage, best first (ties in paper order): the bench reads the top one."""
    matched: bool
    """False when no word of the question was found in the paper (the choice is a default)."""

    @property
    def tokens(self) -> int:
        return sum(estimate_tokens(p.text) for p in self.passages)


def _figure_boost(question: str, passage: Passage) -> float:
    wanted = {
        f"{'表' if kind.lower().startswith(('表', 'tab')) else '图'} {number.upper()}"
        for kind, number in _FIGURE_Q.findall(question)
    }
    return 5.0 if wanted & set(passage.figures) else 0.0


def retrieve(
    passages: Sequence[Passage],
    question: str,
    *,
    history: Sequence[str] = (),
    budget_tokens: int = DEFAULT_BUDGET_TOKENS,
    index: BM25 | None = None,
) -> Retrieved:
    """The best-scoring passages that fit `budget_tokens`; earlier questions of the thread add
    their words so that "那它的秩呢？" still finds the method section. `index`: the
    passages' passage_index, when the caller keeps one."""
    if not passages:
        return Retrieved((), (), matched=False)
    index = index or passage_index(passages)
    query = query_tokens(question)
    context = [t for q in history[-2:] for t in query_tokens(q)]
    main = index.scores(query)
    extra = index.scores(context) if context else [0.0] * len(passages)
    scores = [
        m + 0.5 * e + _figure_boost(question, p)
        for m, e, p in zip(main, extra, passages, strict=True)
    ]
    order = sorted(range(len(passages)), key=lambda i: (-scores[i], i))
    matched = scores[order[0]] > 0
    if not matched:
        # Nothing in common (a very general question): the abstract, introduction and
        # conclusion answer "what is this paper about" best.
        order = _default_order(passages)
    chosen: list[int] = []
    used = 0
    for i in order:
        if matched and scores[i] <= 0:
            break
        cost = estimate_tokens(passages[i].text)
        if used + cost > budget_tokens:
            if not chosen:  # the best passage alone is too long: send its start
                chosen.append(i)
                used = budget_tokens
            continue
        chosen.append(i)
        used += cost
    picked = tuple(passages[i] for i in chosen)
    return Retrieved(picked, tuple(passages[i] for i in order), matched=matched)


def _default_order(passages: Sequence[Passage]) -> list[int]:
    first = [i for i, p in enumerate(passages) if p.label == "摘要"]
    rest = [i for i in range(len(passages)) if i not in first]
    return first + rest[:2] + list(reversed(rest[2:]))
