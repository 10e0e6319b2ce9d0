"""Inputs of bench.ranking: a real arXiv stream by day, readers, and paper vectors computed
once per (embedder, stream) through the product's Embedder and cached on disk."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from handlers.digest.types import FeedEntry
from summarizer.embeddings import paper_text
from summarizer.embeddings.hashing import HashingEmbedder
from summarizer.embeddings.hybrid import HybridEmbedder, join
from summarizer.embeddings.port import Embedder
from summarizer.models import Paper

CACHE = Path(os.environ.get("PAPERBOT_BENCH_CACHE", Path.home() / ".cache/paperbot/bench"))
# e5 vectors of the two real months in shared/fixtures/real/arxiv-stream, shipped so that the
# default run does not spend ~25 CPU-minutes per month embedding them (bench/data/vectors).
SHIPPED = Path(__file__).parent / "data" / "vectors"
SPOT_CHECK_COSINE = 0.98


def default_stream(month: str) -> Path:
    """shared/fixtures/real/arxiv-stream/<month>.jsonl.gz beside the checkout (or a worktree's)."""
    for folder in Path(__file__).resolve().parents:
        path = folder / "shared/fixtures/real/arxiv-stream" / f"{month}.jsonl.gz"
        if path.is_file():
            return path
    return Path("shared/fixtures/real/arxiv-stream") / f"{month}.jsonl.gz"


@dataclass(frozen=True)
class StreamPaper:
    paper: Paper  # what the ranker sees: the primary category only
    categories: tuple[str, ...]  # the authors' full list: what the reader likes by
    day: str


@dataclass(frozen=True)
class Reader:
    name: str
    subscription: str
    likes: frozenset[str]
    seed: int


def load_stream(path: Path) -> list[StreamPaper]:
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            primary = row["categories"][0]
            paper = Paper(
                arxiv_id=row["id"],
                title=" ".join(row["title"].split()),
                authors=tuple(row.get("authors") or ()),
                abstract=" ".join(row["abstract"].split()),
                categories=(primary,),
                primary_category=primary,
                comment=row.get("comment"),
            )
            out.append(StreamPaper(paper, tuple(row["categories"]), row["seen_on"]))
    out.sort(key=lambda p: (p.day, p.paper.arxiv_id))
    return out


def load_readers(path: Path) -> list[Reader]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [
        Reader(
            name=str(r["name"]),
            subscription=str(r["subscription"]),
            likes=frozenset(r["likes"]["categories_any"]),
            seed=int(r.get("seed", 0)),
        )
        for r in rows
    ]


def entry(paper: Paper) -> FeedEntry:
    return FeedEntry(paper=paper, announce_type="new", feed_category=paper.primary_category or "")


def vectors_for(stream: list[StreamPaper], embedder: Embedder, label: str) -> np.ndarray:
    """Rows aligned with `stream`; computed once (batches of 32, progress on stderr) and
    kept under PAPERBOT_BENCH_CACHE (default ~/.cache/paperbot/bench). A hybrid space is
    joined from its two parts' rows (each cached on its own), as HybridEmbedder joins them."""
    if isinstance(embedder, HybridEmbedder):
        meaning = vectors_for(stream, embedder.semantic, label)
        words = vectors_for(stream, embedder.lexical, label)
        return join(meaning, words, embedder.weight)
    if isinstance(embedder, HashingEmbedder):  # instant: never cached
        return embedder.embed([paper_text(p.paper.title, p.paper.abstract) for p in stream])
    ids = "\n".join(p.paper.arxiv_id for p in stream).encode()
    safe = embedder.name.replace("/", "_").replace(":", "_")
    name = f"{safe}-{label}-{hashlib.sha1(ids).hexdigest()[:12]}.npz"
    texts = [paper_text(p.paper.title, p.paper.abstract) for p in stream]
    for path in (CACHE / name, SHIPPED / name):
        if path.exists():
            vectors = _load(path)
            if len(vectors) == len(stream) and _spot_check(vectors, texts, embedder):
                return vectors
            print(f"{path} does not match this stream and model: embedding again", file=sys.stderr)
    vectors = _embed_all(texts, embedder)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(CACHE / name, vectors=vectors.astype(np.float16))
    return vectors


def _load(path: Path) -> np.ndarray:
    """A user cache (`vectors`, float16) or a shipped file (`q` int8 rows x `scale`)."""
    with np.load(path) as cached:
        if "vectors" in cached:
            return np.asarray(cached["vectors"], dtype=np.float32)
        rows = cached["q"].astype(np.float32) * cached["scale"][:, None]
    unit: np.ndarray = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return unit.astype(np.float32)


def ship(vectors: np.ndarray, path: Path) -> None:
    """Write `vectors` as a shipped file: int8 per row with its scale (cosine to the float32
    rows > 0.999; 384 bytes per paper for e5-small)."""
    scale = np.maximum(np.abs(vectors).max(axis=1), 1e-12) / 127.0
    q = np.round(vectors / scale[:, None]).astype(np.int8)
    np.savez_compressed(path, q=q, scale=scale.astype(np.float32))


def _spot_check(vectors: np.ndarray, texts: list[str], embedder: Embedder) -> bool:
    """Stored rows are trusted only if three of them, embedded again now, agree."""
    picks = sorted({0, len(texts) // 2, len(texts) - 1})
    fresh = asyncio.run(embedder.passages([texts[i] for i in picks]))
    return bool(np.all(np.sum(fresh * vectors[picks], axis=1) > SPOT_CHECK_COSINE))


def _embed_all(texts: list[str], embedder: Embedder) -> np.ndarray:
    started = time.perf_counter()
    parts = []
    for start in range(0, len(texts), 32):
        parts.append(asyncio.run(embedder.passages(texts[start : start + 32])))
        done = start + len(parts[-1])
        if done % 320 == 0 or done == len(texts):
            spent = time.perf_counter() - started
            left = spent / done * (len(texts) - done)
            print(
                f"embedding {done}/{len(texts)} ({spent / done * 1000:.0f} s per 1,000; "
                f"about {left / 60:.0f} min left; cached afterwards)",
                file=sys.stderr,
            )
    return np.vstack(parts).astype(np.float32)
