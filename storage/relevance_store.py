"""SqlRelevanceStore: paper vectors (computed once, shared) and each chat's rating signals."""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
from sqlalchemy import func
from sqlmodel import col, select

from handlers.relevance.profile import Signal
from handlers.types import ChatRef
from storage.engine import Database
from storage.relevance_tables import ChatInterestRow, PaperEmbeddingRow
from storage.tables import FeedbackRow, utc_now
from storage.upsert import upsert

SOURCE_WEIGHT = {"like": 1.0, "asked": 0.5}
_CHUNK = 500  # ids per IN (...) query


def encode_vector(vector: np.ndarray) -> bytes:
    """Little-endian float32; zlib-packed when that is smaller (the lexical half of a hybrid
    vector is mostly zeros: 8,576 dims take ~3.4 KB instead of 34 KB)."""
    raw = np.asarray(vector, dtype="<f4").reshape(-1).tobytes()
    packed = zlib.compress(raw, 6)
    return packed if len(packed) < len(raw) else raw


def decode_vector(blob: bytes, dim: int, head: int | None = None) -> np.ndarray:
    """The stored row (raw when it is exactly `dim` floats long, else zlib), the first `head`
    values only when given."""
    raw = blob if len(blob) == 4 * dim else zlib.decompress(blob)
    row = np.frombuffer(raw, dtype="<f4")
    return (row[:head] if head else row).copy()


class SqlRelevanceStore:
    """handlers.relevance.ports.RelevanceStore on SQL."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_vectors(self, model: str, arxiv_ids: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        ids = list(dict.fromkeys(arxiv_ids))
        async with self._db.session() as s:
            for start in range(0, len(ids), _CHUNK):
                stmt = select(
                    PaperEmbeddingRow.arxiv_id, PaperEmbeddingRow.vector, PaperEmbeddingRow.dim
                ).where(
                    col(PaperEmbeddingRow.model) == model,
                    col(PaperEmbeddingRow.arxiv_id).in_(ids[start : start + _CHUNK]),
                )
                for arxiv_id, blob, dim in (await s.exec(stmt)).all():
                    out[arxiv_id] = decode_vector(blob, dim)
        return out

    async def save_vectors(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        now = utc_now()
        rows = [
            {
                "arxiv_id": arxiv_id,
                "model": model,
                "dim": int(vector.shape[-1]),
                "vector": encode_vector(vector),
                "created_at": now,
            }
            for arxiv_id, vector in vectors.items()
        ]
        if not rows:
            return
        async with self._db.session() as s:
            for start in range(0, len(rows), _CHUNK):
                await upsert(
                    s,
                    PaperEmbeddingRow,
                    rows[start : start + _CHUNK],
                    keys=("arxiv_id", "model"),
                    update=("dim", "vector"),
                )
            await s.commit()

    async def recent_vectors(
        self, model: str, since: datetime, *, head: int | None = None
    ) -> dict[str, np.ndarray]:
        """Vectors stored since `since` (the papers of recent announcements); with `head`,
        only each row's first `head` values (a hybrid vector's meaning part)."""
        stmt = select(
            PaperEmbeddingRow.arxiv_id, PaperEmbeddingRow.vector, PaperEmbeddingRow.dim
        ).where(col(PaperEmbeddingRow.model) == model, col(PaperEmbeddingRow.created_at) >= since)
        async with self._db.session() as s:
            found = (await s.exec(stmt)).all()
        return {arxiv_id: decode_vector(blob, dim, head) for arxiv_id, blob, dim in found}

    async def add_interests(self, chat: ChatRef, arxiv_ids: Sequence[str], source: str) -> None:
        if source not in SOURCE_WEIGHT:
            raise ValueError(f"unknown interest source {source!r}")
        now = utc_now()
        rows = [
            {
                "platform": chat.platform,
                "chat_id": chat.chat_id,
                "arxiv_id": arxiv_id,
                "source": source,
                "at": now,
            }
            for arxiv_id in dict.fromkeys(arxiv_ids)
        ]
        if not rows:
            return
        keys = ("platform", "chat_id", "arxiv_id", "source")
        async with self._db.session() as s:
            await upsert(s, ChatInterestRow, rows, keys=keys, update=("at",))
            await s.commit()

    async def signals(self, chat: ChatRef) -> list[Signal]:
        """The chat's ratings, one per paper: the sign of its members' 👍/👎 (a group learns
        from the group's votes; a tie says nothing), else /like (1) or asked-for (0.5)."""
        votes = (
            select(FeedbackRow.arxiv_id, func.sum(FeedbackRow.value))
            .where(col(FeedbackRow.platform) == chat.platform)
            .where(col(FeedbackRow.chat_id) == chat.chat_id)
            .group_by(col(FeedbackRow.arxiv_id))
        )
        seeds = select(ChatInterestRow.arxiv_id, ChatInterestRow.source).where(
            col(ChatInterestRow.platform) == chat.platform,
            col(ChatInterestRow.chat_id) == chat.chat_id,
        )
        async with self._db.session() as s:
            voted = (await s.exec(votes)).all()
            seeded = (await s.exec(seeds)).all()
        value: dict[str, float] = {}
        for arxiv_id, source in seeded:
            value[arxiv_id] = max(value.get(arxiv_id, 0.0), SOURCE_WEIGHT.get(source, 0.0))
        for arxiv_id, total in voted:
            if total:
                value[arxiv_id] = 1.0 if total > 0 else -1.0
        return [Signal(arxiv_id, v) for arxiv_id, v in sorted(value.items())]
