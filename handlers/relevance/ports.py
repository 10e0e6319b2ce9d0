"""What relevance needs from storage (storage.relevance_store.SqlRelevanceStore)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

import numpy as np

from handlers.relevance.profile import Signal
from handlers.types import ChatRef


class RelevanceStore(Protocol):
    async def get_vectors(self, model: str, arxiv_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors of `model` for the ids found."""
        ...

    async def save_vectors(self, model: str, vectors: Mapping[str, np.ndarray]) -> None: ...

    async def recent_vectors(
        self, model: str, since: datetime, *, head: int | None = None
    ) -> dict[str, np.ndarray]:
        """Vectors stored since `since`; only each row's first `head` values when given."""
        ...

    async def add_interests(self, chat: ChatRef, arxiv_ids: Sequence[str], source: str) -> None:
        """`source`: like (`/like`) | asked (an on-demand summary)."""
        ...

    async def signals(self, chat: ChatRef) -> list[Signal]:
        """One rating per paper: group votes summed to their sign, else /like or asked-for."""
        ...
