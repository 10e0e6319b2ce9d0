"""SQLModel table of question-and-answer turns, one row per answered question in a reply thread."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from storage.tables import UTCDateTime, utc_now


class QaTurnRow(SQLModel, table=True):
    """A turn belongs to a chat and a thread (the token on the answer's follow-up button):
    it is only ever read back within the same chat."""

    __tablename__ = "qa_turns"
    __table_args__ = (Index("ix_qa_turns_thread", "platform", "chat_id", "thread"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    chat_id: str
    thread: str
    arxiv_id: str
    question: str = Field(sa_type=Text)
    answer: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
