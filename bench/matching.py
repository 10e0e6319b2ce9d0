"""Benchmark: match 10,000 subscriptions against 2,000 announced papers (prints the figures).

Two deterministic workloads: "arxiv-like" spreads papers and subscriptions over every arXiv
category with popularity weights (cs.LG, cs.CV, cs.CL … most popular), 1–5 topics per chat;
"dense" puts every paper and topic in cs/stat with 5 topics per chat (about 160 matches per
chat), a pessimistic bound dominated by building the Match objects. "best 50" passes
`limit=50` (what a digest shows at most), so only those Match objects are built.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime

from handlers.digest.matching import PaperIndex
from handlers.digest.types import FeedEntry, Topic
from handlers.subscriptions.topics import parse_topic
from summarizer.arxiv.taxonomy import CATEGORIES
from summarizer.models import Paper

PAPERS = 2_000
TOPICS = 10_000
SEED = 20261125
POPULAR = {"cs.LG": 12, "cs.CV": 9, "cs.CL": 8, "cs.AI": 7, "quant-ph": 5, "hep-ph": 4}
POPULAR |= {"cs.RO": 3, "stat.ML": 3, "hep-th": 3, "math.OC": 2, "eess.SP": 2, "cs.CR": 2}


def _vocabulary(rng: random.Random, size: int = 6_000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(size)]


def _weights(codes: list[str]) -> list[float]:
    return [POPULAR.get(c, 1.0 if c.startswith(("cs.", "astro-ph")) else 0.4) for c in codes]


def synthetic_entries(rng: random.Random, words: list[str], codes: list[str]) -> list[FeedEntry]:
    weights = _weights(codes)
    zipf = [1 / (rank + 20) for rank in range(len(words))]
    surnames = [w.capitalize() for w in words[:800]]
    entries = []
    for n in range(PAPERS):
        cats = tuple(dict.fromkeys(rng.choices(codes, weights, k=rng.randint(1, 3))))
        paper = Paper(
            arxiv_id=f"2611.{n:05d}",
            version=1,
            title=" ".join(rng.choices(words, zipf, k=rng.randint(6, 14))).capitalize(),
            authors=tuple(
                f"{rng.choice(words).capitalize()} {rng.choice(surnames)}"
                for _ in range(rng.randint(1, 8))
            ),
            abstract=". ".join(
                " ".join(rng.choices(words, zipf, k=rng.randint(10, 25))) for _ in range(8)
            ),
            categories=cats,
            primary_category=cats[0],
            published=datetime(2026, 11, 25, 5, tzinfo=UTC),
        )
        kind = "cross" if n % 5 == 0 else "new"
        entries.append(FeedEntry(paper=paper, announce_type=kind, feed_category=cats[0]))
    return entries


def synthetic_topics(rng: random.Random, words: list[str], codes: list[str]) -> list[Topic]:
    weights = _weights(codes)
    keywords = words[400:]  # 1–5 % of abstracts each, like "diffusion" or "agent"
    topics = []
    for _ in range(TOPICS):
        roll = rng.random()
        if roll < 0.35:
            text = rng.choices(codes, weights)[0]
        elif roll < 0.5:
            text = f"au:{rng.choice(words[:800]).capitalize()}"
        elif roll < 0.7:
            text = f'"{rng.choice(keywords)} {rng.choice(keywords)}" OR {rng.choice(keywords)}'
        else:
            terms = " ".join(rng.choices(keywords, k=rng.randint(1, 2)))
            text = f"{rng.choices(codes, weights)[0]} {terms} -{rng.choice(keywords)}"
        topics.append(parse_topic(text))
    return topics


def run(
    name: str,
    codes: list[str],
    chat_size: Callable[[random.Random], int],
    limit: int | None = None,
) -> None:
    rng = random.Random(SEED)
    words = _vocabulary(rng)
    entries = synthetic_entries(rng, words, codes)
    topics = synthetic_topics(rng, words, codes)
    chats: list[list[Topic]] = []
    while sum(map(len, chats)) < len(topics):
        start = sum(map(len, chats))
        chats.append(topics[start : start + chat_size(rng)])
    cpu = time.process_time()
    started = time.perf_counter()
    index = PaperIndex(entries)
    built = time.perf_counter()
    matched = sum(
        len(index.match(c, include_cross=n % 2 == 0, limit=limit)) for n, c in enumerate(chats)
    )
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    print(
        f"matching ({name}): {PAPERS} papers × {TOPICS} topics in {len(chats)} chats: "
        f"index {built - started:.3f} s + match {done - built:.3f} s = {done - started:.3f} s "
        f"wall ({cpu:.3f} s CPU); {matched} (chat, paper) matches"
    )


def main() -> None:
    every = sorted(CATEGORIES)
    run("arxiv-like", every, lambda rng: rng.randint(1, 5))
    run("arxiv-like, best 50 per chat", every, lambda rng: rng.randint(1, 5), limit=50)
    dense = [c for c in every if c.startswith(("cs.", "stat."))]
    run("dense", dense, lambda rng: 5)
    run("dense, best 50 per chat", dense, lambda rng: 5, limit=50)


if __name__ == "__main__":
    main()
