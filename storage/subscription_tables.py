"""SQLModel table of topic subscriptions: one row per chat and normalized topic."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.tables import UTCDateTime, utc_now


class SubscriptionRow(SQLModel, table=True):
    """`topic` is the parsed handlers.digest.types.Topic as JSON; `raw` (its normalized text)
    is unique per chat so subscribing twice returns the first row."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "raw", name="uq_subscriptions_chat_raw"),
        Index("ix_subscriptions_chat", "platform", "chat_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    chat_id: str
    kind: str
    raw: str = Field(sa_type=Text)
    topic: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


# migrate_chat (a Telegram group upgraded to a supergroup) moves subscriptions too.
