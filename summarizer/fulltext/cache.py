"""The full-text cache port (storage/ implements it on SQL) and an in-memory implementation."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from summarizer.fulltext.images import PaperImages
from summarizer.fulltext.sections import FullText
from summarizer.models import Frozen


class CachedFullText(Frozen):
    """What one fetch learned: the full text, or that arXiv has none (`fulltext` None)."""

    arxiv_id: str
    version: int | None
    fulltext: FullText | None
    fetched_at: datetime
    note: str = ""


class FullTextStore(Protocol):
    async def get_fulltext(self, arxiv_id: str, version: int | None) -> CachedFullText | None: ...

    async def save_fulltext(self, entry: CachedFullText) -> None:
        """Insert or replace the entry for (arxiv_id, version)."""
        ...

    async def get_images(self, arxiv_id: str, version: int | None) -> PaperImages | None: ...

    async def save_images(self, arxiv_id: str, version: int | None, images: PaperImages) -> None:
        """Replace every stored image of (arxiv_id, version)."""
        ...


class MemoryFullTextStore:
    """FullTextStore in a dict: for tests and for running without a database."""

    def __init__(self) -> None:
        self.texts: dict[tuple[str, int | None], CachedFullText] = {}
        self.images: dict[tuple[str, int | None], PaperImages] = {}

    async def get_fulltext(self, arxiv_id: str, version: int | None) -> CachedFullText | None:
        return self.texts.get((arxiv_id, version))

    async def save_fulltext(self, entry: CachedFullText) -> None:
        self.texts[(entry.arxiv_id, entry.version)] = entry

    async def get_images(self, arxiv_id: str, version: int | None) -> PaperImages | None:
        return self.images.get((arxiv_id, version))

    async def save_images(self, arxiv_id: str, version: int | None, images: PaperImages) -> None:
        self.images[(arxiv_id, version)] = images
