"""SQLModel tables for papers, summaries, usage, chats and feedback, and the UTC datetime type.

Every table lives on the one `SQLModel.metadata` (see storage/metadata.py). Rows stay inside
storage/: repositories convert them to domain models. A version of 0 stands for "unknown
version" because NULL never conflicts in a unique key (SQLite and PostgreSQL alike).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Text, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

NO_VERSION = 0


def as_utc(value: datetime) -> datetime:
    """The one place datetimes are normalised: naive values (SQLite drops the offset) are UTC,
    aware ones are converted to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """`DateTime(timezone=True)` that refuses naive values and always reads back aware UTC."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: storage needs timezone-aware values")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)

    @property
    def python_type(self) -> type[datetime]:
        return datetime


def version_to_db(version: int | None) -> int:
    return NO_VERSION if version is None else version


def version_from_db(version: int) -> int | None:
    return None if version == NO_VERSION else version


class PaperRow(SQLModel, table=True):
    __tablename__ = "papers"
    __table_args__ = (UniqueConstraint("arxiv_id", "version", name="uq_papers_arxiv_id_version"),)

    id: int | None = Field(default=None, primary_key=True)
    arxiv_id: str
    version: int = NO_VERSION
    title: str = Field(sa_type=Text)
    authors: list[str] = Field(default_factory=list, sa_type=JSON)
    abstract: str = Field(sa_type=Text)
    categories: list[str] = Field(default_factory=list, sa_type=JSON)
    primary_category: str | None = None
    published: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated: datetime | None = Field(default=None, sa_type=UTCDateTime)
    comment: str | None = Field(default=None, sa_type=Text)
    journal_ref: str | None = Field(default=None, sa_type=Text)
    doi: str | None = None
    fetched_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class SummaryRow(SQLModel, table=True):
    __tablename__ = "summaries"
    __table_args__ = (
        UniqueConstraint(
            "arxiv_id",
            "version",
            "mode",
            "language",
            "provider",
            "model",
            "prompt_version",
            "reads",
            name="uq_summaries_key",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    arxiv_id: str
    version: int = NO_VERSION
    mode: str
    language: str
    provider: str
    model: str
    prompt_version: str
    reads: str = "abstract"  # what the summary was written from: abstract | fulltext
    status: str
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class UsageRecordRow(SQLModel, table=True):
    __tablename__ = "usage"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    provider: str
    model: str
    arxiv_id: str
    mode: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    chat: str | None = None
    ok: bool = True


class ChatRow(SQLModel, table=True):
    __tablename__ = "chats"
    __table_args__ = (UniqueConstraint("platform", "chat_id", name="uq_chats_platform_chat_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    chat_id: str
    kind: str
    title: str | None = Field(default=None, sa_type=Text)
    active: bool = True
    inactive_reason: str | None = Field(default=None, sa_type=Text)
    settings: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class FeedbackRow(SQLModel, table=True):
    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "user_id", "arxiv_id", name="uq_feedback_vote"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    chat_id: str
    user_id: str
    arxiv_id: str = Field(index=True)
    value: int
    at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
