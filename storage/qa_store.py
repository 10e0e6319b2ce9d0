"""SqlTurnStore: the last turns of a question thread, looked up only within the asking chat."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlmodel import col, select

from handlers.types import ChatRef
from storage.engine import Database
from storage.qa_tables import QaTurnRow
from storage.tables import utc_now
from summarizer.qa.prompt import Turn

MAX_TEXT = 4_000  # a turn is a question and a short answer; never store more than this
KEEP_TURNS = 6
"""Turns kept per thread: follow-ups read the last 3; older ones are deleted (privacy)."""


class SqlTurnStore:
    """summarizer.qa.service.TurnStore on SQL."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def recent_turns(self, chat: str, thread: str, limit: int) -> list[Turn]:
        ref = ChatRef.parse(chat)
        stmt = (
            select(QaTurnRow)
            .where(
                col(QaTurnRow.platform) == ref.platform,
                col(QaTurnRow.chat_id) == ref.chat_id,
                col(QaTurnRow.thread) == thread,
            )
            .order_by(col(QaTurnRow.id).desc())
            .limit(limit)
        )
        async with self._db.session() as s:
            rows = (await s.exec(stmt)).all()
        return [Turn(question=r.question, answer=r.answer) for r in reversed(rows)]

    async def add_turn(self, chat: str, thread: str, arxiv_id: str, turn: Turn) -> None:
        ref = ChatRef.parse(chat)
        row = QaTurnRow(
            platform=ref.platform,
            chat_id=ref.chat_id,
            thread=thread,
            arxiv_id=arxiv_id,
            question=turn.question[:MAX_TEXT].replace("\x00", ""),  # PostgreSQL text: no NUL
            answer=turn.answer[:MAX_TEXT].replace("\x00", ""),
            created_at=utc_now(),
        )
        async with self._db.session() as s:
            s.add(row)
            await s.flush()
            newest = (
                select(QaTurnRow.id)
                .where(*self._thread(ref, thread))
                .order_by(col(QaTurnRow.id).desc())
                .limit(KEEP_TURNS)
            )
            await s.exec(
                delete(QaTurnRow).where(
                    *self._thread(ref, thread), col(QaTurnRow.id).not_in(newest.scalar_subquery())
                )
            )
            await s.commit()

    @staticmethod
    def _thread(ref: ChatRef, thread: str) -> tuple[Any, ...]:
        return (
            col(QaTurnRow.platform) == ref.platform,
            col(QaTurnRow.chat_id) == ref.chat_id,
            col(QaTurnRow.thread) == thread,
        )
