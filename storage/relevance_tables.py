"""SQLModel tables of relevance: paper_embeddings (one vector per paper and model, shared by
every chat) and chat_interests (papers a chat seeded with /like or asked for)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.tables import UTCDateTime, utc_now


class PaperEmbeddingRow(SQLModel, table=True):
    """`vector`: little-endian float32, `dim` of them; `model` names the vector space."""

    __tablename__ = "paper_embeddings"
    __table_args__ = (UniqueConstraint("arxiv_id", "model", name="uq_paper_embeddings"),)

    id: int | None = Field(default=None, primary_key=True)
    arxiv_id: str
    model: str
    dim: int
    vector: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)


class ChatInterestRow(SQLModel, table=True):
    """`source`: like (`/like`, weight 1) or asked (an on-demand summary, weight 0.5)."""

    __tablename__ = "chat_interests"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "arxiv_id", "source", name="uq_chat_interests"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    chat_id: str
    arxiv_id: str
    source: str
    at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
