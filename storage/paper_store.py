"""SqlPaperStore: arXiv metadata cached by (arxiv_id, version)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from storage.engine import Database
from storage.tables import PaperRow, as_utc, utc_now, version_from_db, version_to_db
from storage.upsert import upsert
from summarizer.models import ArxivRef, Paper

_KEY = ("arxiv_id", "version")
_UPDATED = (
    "title",
    "authors",
    "abstract",
    "categories",
    "primary_category",
    "published",
    "updated",
    "comment",
    "journal_ref",
    "doi",
    "fetched_at",
)


def _to_row(paper: Paper, fetched_at: datetime) -> dict[str, Any]:
    return {
        "arxiv_id": paper.arxiv_id,
        "version": version_to_db(paper.version),
        "title": paper.title,
        "authors": list(paper.authors),
        "abstract": paper.abstract,
        "categories": list(paper.categories),
        "primary_category": paper.primary_category,
        "published": paper.published,
        "updated": paper.updated,
        "comment": paper.comment,
        "journal_ref": paper.journal_ref,
        "doi": paper.doi,
        "fetched_at": fetched_at,
    }


def _to_paper(row: PaperRow) -> Paper:
    return Paper(
        arxiv_id=row.arxiv_id,
        version=version_from_db(row.version),
        title=row.title,
        authors=tuple(row.authors),
        abstract=row.abstract,
        categories=tuple(row.categories),
        primary_category=row.primary_category,
        published=row.published,
        updated=row.updated,
        comment=row.comment,
        journal_ref=row.journal_ref,
        doi=row.doi,
    )


class SqlPaperStore:
    """summarizer.ports.PaperStore on SQL."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_papers(
        self, refs: Sequence[ArxivRef], *, fresh_after: datetime | None = None
    ) -> dict[ArxivRef, Paper]:
        """A versioned ref matches that exact version; an unversioned ref the highest stored
        version fetched at or after `fresh_after`."""
        if not refs:
            return {}
        ids = sorted({ref.arxiv_id for ref in refs})
        async with self._db.session() as s:
            rows = (await s.exec(select(PaperRow).where(col(PaperRow.arxiv_id).in_(ids)))).all()
        by_id: dict[str, list[PaperRow]] = {}
        for row in rows:
            by_id.setdefault(row.arxiv_id, []).append(row)
        threshold = None if fresh_after is None else as_utc(fresh_after)
        found: dict[ArxivRef, Paper] = {}
        for ref in refs:
            candidates = by_id.get(ref.arxiv_id, [])
            if ref.version is not None:
                exact = [r for r in candidates if r.version == ref.version]
                if exact:
                    found[ref] = _to_paper(exact[0])
                continue
            fresh = [r for r in candidates if threshold is None or r.fetched_at >= threshold]
            if fresh:
                found[ref] = _to_paper(max(fresh, key=lambda r: r.version))
        return found

    async def save_papers(self, papers: Sequence[Paper]) -> None:
        """Insert or update by (arxiv_id, version), stamping the fetch time."""
        now = utc_now()
        # One row per key: PostgreSQL refuses to update the same row twice in one statement.
        rows = {(p.arxiv_id, version_to_db(p.version)): _to_row(p, now) for p in papers}
        if not rows:
            return
        async with self._db.session() as s:
            await upsert(s, PaperRow, list(rows.values()), keys=_KEY, update=_UPDATED)
            await s.commit()
