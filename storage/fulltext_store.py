"""SqlFullTextStore: full texts and rendered page images cached by (arxiv_id, version)."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, delete, select

from storage.engine import Database
from storage.fulltext_tables import FullTextRow, PaperImageRow
from storage.tables import as_utc, version_to_db
from storage.upsert import upsert
from summarizer.fulltext.cache import CachedFullText
from summarizer.fulltext.images import Figure, PaperImages
from summarizer.fulltext.sections import FullText

_KEY = ("arxiv_id", "version")
_UPDATED = ("source", "payload", "chars", "note", "fetched_at")


def _payload(fulltext: FullText | None) -> dict[str, Any]:
    if fulltext is None:
        return {}
    return fulltext.model_dump(mode="json", exclude={"arxiv_id", "version"})


class SqlFullTextStore:
    """summarizer.fulltext.cache.FullTextStore on SQL. Sections are one JSON payload, so new
    FullText fields need no migration; images are rows of bytes (never the PDF itself)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_fulltext(self, arxiv_id: str, version: int | None) -> CachedFullText | None:
        stmt = select(FullTextRow).where(
            FullTextRow.arxiv_id == arxiv_id, FullTextRow.version == version_to_db(version)
        )
        async with self._db.session() as s:
            row = (await s.exec(stmt)).first()
        if row is None:
            return None
        fulltext = None
        if row.source is not None:
            data = {**row.payload, "arxiv_id": arxiv_id, "version": version}
            fulltext = FullText.model_validate(data)
        return CachedFullText(
            arxiv_id=arxiv_id,
            version=version,
            fulltext=fulltext,
            fetched_at=as_utc(row.fetched_at),
            note=row.note,
        )

    async def save_fulltext(self, entry: CachedFullText) -> None:
        fulltext = entry.fulltext
        row = {
            "arxiv_id": entry.arxiv_id,
            "version": version_to_db(entry.version),
            "source": fulltext.source if fulltext is not None else None,
            "payload": _payload(fulltext),
            "chars": fulltext.chars if fulltext is not None else 0,
            "note": entry.note,
            "fetched_at": entry.fetched_at,
        }
        async with self._db.session() as s:
            await upsert(s, FullTextRow, [row], keys=_KEY, update=_UPDATED)
            await s.commit()

    async def get_images(self, arxiv_id: str, version: int | None) -> PaperImages | None:
        stmt = (
            select(PaperImageRow)
            .where(
                PaperImageRow.arxiv_id == arxiv_id,
                PaperImageRow.version == version_to_db(version),
            )
            .order_by(col(PaperImageRow.position))
        )
        async with self._db.session() as s:
            rows = (await s.exec(stmt)).all()
        figures = [
            Figure(data=r.data, ext=r.ext, caption=r.caption, page=r.page, kind="figure")
            for r in rows
            if r.kind == "figure"
        ]
        first = next((r for r in rows if r.kind == "first_page"), None)
        if first is None:
            return None
        page = Figure(data=first.data, ext=first.ext, page=first.page, kind="first_page")
        return PaperImages(first_page=page, figures=tuple(figures))

    async def save_images(self, arxiv_id: str, version: int | None, images: PaperImages) -> None:
        stored = version_to_db(version)
        rows = [
            PaperImageRow(
                arxiv_id=arxiv_id,
                version=stored,
                position=position,
                kind=image.kind,
                ext=image.ext,
                page=image.page,
                caption=image.caption,
                data=image.data,
            )
            for position, image in enumerate(images.all())
        ]
        async with self._db.session() as s:
            await s.exec(
                delete(PaperImageRow).where(
                    col(PaperImageRow.arxiv_id) == arxiv_id, col(PaperImageRow.version) == stored
                )
            )
            s.add_all(rows)
            await s.commit()
