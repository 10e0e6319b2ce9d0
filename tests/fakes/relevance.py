"""A dict-backed RelevanceStore (handlers.relevance.ports) and a tiny embedder for handler
tests; the SQL store is tested on SQLite and PostgreSQL in tests/integration."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np

from handlers.relevance.profile import Signal
from handlers.types import ChatRef


class MemoryRelevanceStore:
    def __init__(self) -> None:
        self.vectors: dict[tuple[str, str], np.ndarray] = {}
        self.interests: dict[ChatRef, dict[str, str]] = {}
        self.votes: dict[ChatRef, dict[str, float]] = {}

    async def get_vectors(self, model: str, arxiv_ids: Sequence[str]) -> dict[str, np.ndarray]:
        return {i: self.vectors[(model, i)] for i in arxiv_ids if (model, i) in self.vectors}

    async def save_vectors(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        for arxiv_id, vector in vectors.items():
            self.vectors[(model, arxiv_id)] = np.asarray(vector, dtype=np.float32)

    async def recent_vectors(
        self, model: str, since: datetime, *, head: int | None = None
    ) -> dict[str, np.ndarray]:
        return {i: (v[:head] if head else v) for (m, i), v in self.vectors.items() if m == model}

    async def add_interests(self, chat: ChatRef, arxiv_ids: Sequence[str], source: str) -> None:
        for arxiv_id in arxiv_ids:
            self.interests.setdefault(chat, {})[arxiv_id] = source

    async def signals(self, chat: ChatRef) -> list[Signal]:
        value = {i: (1.0 if s == "like" else 0.5) for i, s in self.interests.get(chat, {}).items()}
        value.update(self.votes.get(chat, {}))
        return [Signal(i, v) for i, v in sorted(value.items())]
