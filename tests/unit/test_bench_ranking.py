"""bench ranking's contract (`--json` last line) on a small stream written here, and its vector
files: shipped int8 rows read back, and a file for another stream rejected by the spot check."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from bench import ranking
from bench.ranking_data import _load, _spot_check, ship
from summarizer.embeddings.hashing import HashingEmbedder

WORDS = {
    "cs.CR": "attack privacy jailbreak adversarial defense",
    "cs.IR": "retrieval ranking search recommendation index",
    "cs.CY": "society policy education fairness ethics",
}


def write_stream(path: Path) -> None:
    rows = []
    for day in range(1, 13):
        for n in range(12):
            cross = list(WORDS)[n % 3]
            words = WORDS[cross].split()
            rows.append(
                {
                    "id": f"2603.{day:02d}{n:03d}",
                    "seen_on": f"2026-03-{day:02d}",
                    "categories": ["cs.CL", cross],
                    "authors": [f"Author {n}"],
                    "title": f"A study of {words[n % 5]} with language models",
                    "abstract": f"We look at {' '.join(words)} in model number {day * n}.",
                    "comment": None,
                }
            )
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in rows)


def test_json_report_and_the_learned_order_beating_keyword_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stream, readers = tmp_path / "2026-03.jsonl.gz", tmp_path / "readers.json"
    write_stream(stream)
    readers.write_text(
        json.dumps(
            [{"name": "security", "subscription": "cs.CL", "likes": {"categories_any": ["cs.CR"]},
              "seed": 2}]
        )
    )  # fmt: skip
    ranking.main(["--stream", str(stream), "--readers", str(readers), "--embedder", "hashing",
                  "--json"])  # fmt: skip
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    [reader] = report["readers"]
    assert reader["name"] == "security" and reader["days"] == 5  # days 8-12 are scored
    assert set(report["mean"]) == {"keyword_recall10", "learned_recall10", "random_recall10"}
    assert report["mean"]["learned_recall10"] > report["mean"]["keyword_recall10"]
    assert report["mean"]["learned_recall10"] >= 0.75  # 4 liked of 12 a day, words tell them


def test_shipped_vectors_read_back_and_a_stale_file_is_refused(tmp_path: Path) -> None:
    embedder = HashingEmbedder(64)
    texts = [f"paper {i} about {w}" for i, w in enumerate(["attacks", "retrieval", "policy"] * 5)]
    vectors = embedder.embed(texts)
    ship(vectors, tmp_path / "v.npz")
    back = _load(tmp_path / "v.npz")
    assert back.dtype == np.float32 and np.min(np.sum(back * vectors, axis=1)) > 0.999
    assert _spot_check(back, texts, embedder)
    assert not _spot_check(back[::-1].copy(), texts, embedder)  # rows of another stream
