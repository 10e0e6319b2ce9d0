"""FullTextSource: a paper's full text (HTML first, PDF fallback) and images, cached in a store."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar, cast

from summarizer.fulltext.cache import CachedFullText, FullTextStore, MemoryFullTextStore
from summarizer.fulltext.fetch import Fetched, PaperFetcher
from summarizer.fulltext.html_sections import HtmlUnusable, parse_html_fulltext
from summarizer.fulltext.images import PaperImages, paper_images, save_images
from summarizer.fulltext.pdf_sections import PdfUnreadable, parse_pdf
from summarizer.fulltext.sections import FullText
from summarizer.models import Paper
from summarizer.single_flight import SingleFlight

log = logging.getLogger(__name__)

T = TypeVar("T")
MISSING_TTL = timedelta(days=1)  # arXiv may add HTML later; ask again after a day


def _utc_now() -> datetime:
    return datetime.now(UTC)


class FullTextSource:
    """`fetch(paper)` -> FullText or None (then summaries use the abstract only)."""

    def __init__(
        self,
        fetcher: PaperFetcher | None = None,
        *,
        store: FullTextStore | None = None,
        missing_ttl: timedelta = MISSING_TTL,
        max_figures: int = 4,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._fetcher = fetcher or PaperFetcher()
        self._store: FullTextStore = store or MemoryFullTextStore()
        self._missing_ttl = missing_ttl
        self._max_figures = max_figures
        self._clock = clock
        self._fetches: SingleFlight[tuple[str, str], object] = SingleFlight()
        self._last_pdf: tuple[str, bytes] | None = None  # one PDF, for images right after text

    async def aclose(self) -> None:
        await self._fetches.cancel_all()
        await self._fetcher.aclose()

    async def fetch(self, paper: Paper) -> FullText | None:
        cached = await self._store.get_fulltext(paper.arxiv_id, paper.version)
        if cached is not None and (
            cached.fulltext is not None or self._clock() - cached.fetched_at < self._missing_ttl
        ):
            return cached.fulltext
        return await self._once(("text", paper.versioned_id), lambda: self._fetch_and_store(paper))

    async def images(self, paper: Paper) -> PaperImages | None:
        """First page and main figures, rendered from the PDF once and then served stored."""
        stored = await self._store.get_images(paper.arxiv_id, paper.version)
        if stored is not None:
            return stored
        return await self._once(("images", paper.versioned_id), lambda: self._render(paper))

    async def write_images(self, paper: Paper, out_dir: Path) -> list[Path]:
        """Write the first-page image and figures into out_dir; [] when there is no PDF."""
        images = await self.images(paper)
        if images is None:
            return []
        return await asyncio.to_thread(save_images, images, out_dir, paper.versioned_id)

    async def _once(self, key: tuple[str, str], make: Callable[[], Awaitable[T]]) -> T:
        """One fetch per paper however many callers wait for it."""
        return cast(T, await self._fetches.run(key, make))

    async def _fetch_and_store(self, paper: Paper) -> FullText | None:
        fulltext, transient, note = await self._read(paper)
        if fulltext is not None or not transient:
            entry = CachedFullText(
                arxiv_id=paper.arxiv_id,
                version=paper.version,
                fulltext=fulltext,
                fetched_at=self._clock(),
                note=note,
            )
            await self._store.save_fulltext(entry)
        return fulltext

    async def _read(self, paper: Paper) -> tuple[FullText | None, bool, str]:
        """(full text or None, whether the failure may be temporary, a note for the logs)."""
        html = await self._fetcher.get_html(paper)
        notes = [f"html: {html.reason}"] if html.outcome != "ok" else []
        fulltext: FullText | None = None
        if html.outcome == "ok":
            try:
                fulltext = await asyncio.to_thread(
                    parse_html_fulltext,
                    html.body,
                    arxiv_id=paper.arxiv_id,
                    version=paper.version,
                    comment=paper.comment,
                )
            except HtmlUnusable as exc:
                notes.append(f"html: {exc}")
        if fulltext is not None and fulltext.affiliations:
            return fulltext, False, ""
        # No HTML, or HTML without affiliation markup: the PDF's first page says who.
        pdf = await self._pdf(paper)
        from_pdf = await self._parse_pdf(paper, pdf, notes)
        if fulltext is not None:
            if from_pdf is not None and from_pdf.affiliations:
                fulltext = fulltext.model_copy(update={"affiliations": from_pdf.affiliations})
            return fulltext, False, "; ".join(notes)
        transient = "error" in (html.outcome, pdf.outcome)
        if from_pdf is None:
            log.info("no full text for %s: %s", paper.versioned_id, "; ".join(notes))
        return from_pdf, transient, "; ".join(notes)

    async def _pdf(self, paper: Paper) -> Fetched:
        if self._last_pdf is not None and self._last_pdf[0] == paper.versioned_id:
            return Fetched("ok", paper.pdf_url, body=self._last_pdf[1])
        pdf = await self._fetcher.get_pdf(paper)
        if pdf.outcome == "ok":
            self._last_pdf = (paper.versioned_id, pdf.body)
        return pdf

    async def _parse_pdf(self, paper: Paper, pdf: Fetched, notes: list[str]) -> FullText | None:
        if pdf.outcome != "ok":
            notes.append(f"pdf: {pdf.reason}")
            return None
        try:
            return await asyncio.to_thread(
                parse_pdf,
                pdf.body,
                arxiv_id=paper.arxiv_id,
                version=paper.version,
                authors=paper.authors,
                abstract=paper.abstract,
                comment=paper.comment,
            )
        except PdfUnreadable as exc:
            notes.append(f"pdf: unreadable ({exc})")
            return None

    async def _render(self, paper: Paper) -> PaperImages | None:
        pdf = await self._pdf(paper)
        if pdf.outcome != "ok":
            log.info("no images for %s: %s", paper.versioned_id, pdf.reason)
            return None
        try:
            images = await asyncio.to_thread(paper_images, pdf.body, self._max_figures)
        except PdfUnreadable as exc:
            log.info("no images for %s: unreadable PDF (%s)", paper.versioned_id, exc)
            return None
        await self._store.save_images(paper.arxiv_id, paper.version, images)
        return images
