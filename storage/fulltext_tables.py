"""SQLModel tables of paper full texts (sections, 单位, code links) and rendered page images."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.tables import NO_VERSION, UTCDateTime, utc_now


class FullTextRow(SQLModel, table=True):
    """One paper version's full text, or (`source` NULL) the fact that arXiv had none."""

    __tablename__ = "fulltexts"
    __table_args__ = (
        UniqueConstraint("arxiv_id", "version", name="uq_fulltexts_arxiv_id_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    arxiv_id: str
    version: int = NO_VERSION
    source: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    chars: int = 0
    note: str = Field(default="", sa_type=Text)
    fetched_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class PaperImageRow(SQLModel, table=True):
    """A rendered image of a paper: position 0 is the first page, then its figures."""

    __tablename__ = "paper_images"
    __table_args__ = (
        UniqueConstraint("arxiv_id", "version", "position", name="uq_paper_images_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    arxiv_id: str
    version: int = NO_VERSION
    position: int
    kind: str
    ext: str
    page: int = 0
    caption: str | None = Field(default=None, sa_type=Text)
    data: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
