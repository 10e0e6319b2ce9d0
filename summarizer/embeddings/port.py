"""The Embedder port: texts in, L2-normalised float32 rows out; one name per vector space."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

# multilingual-e5-small reads 512 tokens; title + the start of the abstract carries the topic
# and keeps one paper's embedding to one window (cosine 0.98 to the full text on 40 papers
# of arxiv-stream/2026-03, measured 2026-12-01).
MAX_PAPER_CHARS = 900


class EmbeddingError(Exception):
    """The embedding backend failed (unreachable, bad answer); callers fall back to lexical."""


class Embedder(Protocol):
    """`name` identifies the vector space: vectors of different names are never compared."""

    name: str

    @property
    def dim(self) -> int:
        """Columns of each row (0 until known, for an endpoint that has not answered yet)."""
        ...

    async def passages(self, texts: Sequence[str]) -> Vectors:
        """Documents (papers): shape (len(texts), dim), rows L2-normalised."""
        ...

    async def queries(self, texts: Sequence[str]) -> Vectors:
        """Short interests (`/sub ~...`): same space as passages."""
        ...


def paper_text(title: str, abstract: str) -> str:
    """What is embedded for a paper: title and abstract, whitespace folded, bounded."""
    text = f"{' '.join(title.split())}. {' '.join(abstract.split())}"
    return text[:MAX_PAPER_CHARS]


def normalise(rows: npt.ArrayLike) -> Vectors:
    """Rows scaled to unit length (a zero row stays zero)."""
    array = np.asarray(rows, dtype=np.float32)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: Vectors = (array / norms).astype(np.float32)
    return unit
