"""SQLModel tables of the daily digest: announcements, per-chat claim state, the delivery
ledger and the papers each chat has already been sent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.tables import UTCDateTime, utc_now


class AnnouncementRow(SQLModel, table=True):
    """One arXiv announcement day, recorded once (entries merged when categories are added)."""

    __tablename__ = "digest_announcements"
    __table_args__ = (UniqueConstraint("day", name="uq_digest_announcements_day"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(sa_type=Date)
    categories: list[str] = Field(default_factory=list, sa_type=JSON)
    paper_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    entries: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    fetched_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    planner: str | None = None
    """The process summarizing this day's papers for due chats (a lease until
    `planning_until`): a second process waits instead of summarizing them again."""
    planning_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DigestStateRow(SQLModel, table=True):
    """The claim: `last_digest_day` moves forward with an atomic conditional UPDATE."""

    __tablename__ = "digest_state"
    __table_args__ = (UniqueConstraint("platform", "chat_id", name="uq_digest_state_chat"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    chat_id: str
    last_digest_day: date | None = Field(default=None, sa_type=Date)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class DeliveryRow(SQLModel, table=True):
    """The ledger: one row per chat × announcement day × message part, written before sending.

    status: pending → sending → sent | failed | uncertain (in flight when the process died and
    the platform cannot confirm it: counted as sent, never resent)."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "day", "part", name="uq_deliveries_part"),
        Index("ix_deliveries_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    chat_id: str
    day: date = Field(sa_type=Date)
    part: int
    kind: str
    arxiv_id: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: str = "pending"
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    owner: str | None = None
    sending_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    message_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class SentPaperRow(SQLModel, table=True):
    """A paper assigned to a chat's digest: never planned for that chat again, on any day."""

    __tablename__ = "sent_papers"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "arxiv_id", name="uq_sent_papers_chat_paper"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    chat_id: str
    arxiv_id: str
    day: date = Field(sa_type=Date)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
