"""SqlChatStore and SqlFeedbackStore: chats keyed by (platform, chat_id) and their votes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import FromClause, Table, delete, exists, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.ports import ChatInfo, ChatSettings
from handlers.types import ChatKind, ChatRef
from storage.chat_keyed import CHAT_KEYED
from storage.engine import Database
from storage.tables import ChatRow, FeedbackRow, utc_now
from storage.upsert import table_of, upsert


def _is(table: FromClause, chat: ChatRef) -> Any:
    return (table.c.platform == chat.platform) & (table.c.chat_id == chat.chat_id)


def _to_info(row: ChatRow) -> ChatInfo:
    return ChatInfo(
        chat=ChatRef(row.platform, row.chat_id),
        kind=ChatKind(row.kind),
        title=row.title,
        active=row.active,
        settings=ChatSettings.model_validate(row.settings),
    )


class SqlChatStore:
    """handlers.ports.ChatStore on SQL."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert_chat(self, chat: ChatRef, kind: ChatKind, title: str | None) -> ChatInfo:
        now = utc_now()
        if title is not None:
            title = title.replace("\x00", "")  # PostgreSQL text cannot hold NUL
        row = {
            "platform": chat.platform,
            "chat_id": chat.chat_id,
            "kind": kind.value,
            "title": title,
            "active": True,
            "inactive_reason": None,
            "settings": ChatSettings().model_dump(mode="json"),
            "created_at": now,
            "updated_at": now,
        }
        refreshed = ("kind", "title", "active", "inactive_reason", "updated_at")
        async with self._db.session() as s:
            await upsert(s, ChatRow, [row], keys=("platform", "chat_id"), update=refreshed)
            stored = await self._select(s, chat)
            await s.commit()
        assert stored is not None
        return _to_info(stored)

    async def get_chat(self, chat: ChatRef) -> ChatInfo | None:
        async with self._db.session() as s:
            row = await self._select(s, chat)
        return None if row is None else _to_info(row)

    async def save_settings(self, chat: ChatRef, settings: ChatSettings) -> None:
        """Store the settings; a chat never seen is created (as private until upsert_chat
        tells its kind) rather than losing them."""
        now = utc_now()
        row = {
            "platform": chat.platform,
            "chat_id": chat.chat_id,
            "kind": ChatKind.PRIVATE.value,
            "title": None,
            "active": True,
            "inactive_reason": None,
            "settings": settings.model_dump(mode="json"),
            "created_at": now,
            "updated_at": now,
        }
        async with self._db.session() as s:
            await upsert(
                s, ChatRow, [row], keys=("platform", "chat_id"), update=("settings", "updated_at")
            )
            await s.commit()

    async def set_active(self, chat: ChatRef, active: bool, reason: str | None = None) -> None:
        """Mark a known chat (in)active; the reason is kept only while inactive."""
        chats = table_of(ChatRow)
        stmt = (
            update(chats)
            .where(_is(chats, chat))
            .values(active=active, inactive_reason=None if active else reason, updated_at=utc_now())
        )
        async with self._db.session() as s:
            await s.exec(stmt)
            await s.commit()

    async def migrate_chat(self, old: ChatRef, new: ChatRef) -> None:
        """Move the chat and every chat-keyed row to `new` in one transaction. If `new` already
        exists (a message from the supergroup arrived first) it is kept, with the old chat's
        settings; rows already under `new` win over old rows with the same key."""
        if old == new:
            return
        chats = table_of(ChatRow)
        other = chats.alias("other")
        now = utc_now()
        old_settings = select(other.c.settings).where(_is(other, old)).scalar_subquery()
        async with self._db.session() as s:
            # Writes first: on SQLite a transaction that reads before writing can hit BUSY.
            await s.exec(
                update(chats)
                .where(_is(chats, new), exists().where(_is(other, old)))
                .values(settings=old_settings, updated_at=now)
            )
            await s.exec(
                update(chats)
                .where(_is(chats, old), ~exists().where(_is(other, new)))
                .values(platform=new.platform, chat_id=new.chat_id, updated_at=now)
            )
            await s.exec(delete(chats).where(_is(chats, old)))
            for model, unique_with in CHAT_KEYED:
                await _move_rows(s, table_of(model), unique_with, old, new)
            await s.commit()

    async def forget_chat(self, chat: ChatRef) -> int:
        from storage.forget import forget_chat

        return await forget_chat(self._db, chat)

    async def _select(self, s: AsyncSession, chat: ChatRef) -> ChatRow | None:
        stmt = select(ChatRow).where(
            col(ChatRow.platform) == chat.platform, col(ChatRow.chat_id) == chat.chat_id
        )
        return (await s.exec(stmt)).first()


async def _move_rows(
    s: AsyncSession, table: Table, unique_with: tuple[str, ...], old: ChatRef, new: ChatRef
) -> None:
    """Re-key `old`'s rows to `new` unless `new` has a row with the same key; drop the rest."""
    other = table.alias("other")
    clash = exists().where(
        _is(other, new), *(other.c[name] == table.c[name] for name in unique_with)
    )
    await s.exec(
        update(table)
        .where(_is(table, old), ~clash)
        .values(platform=new.platform, chat_id=new.chat_id)
    )
    await s.exec(delete(table).where(_is(table, old)))


class SqlFeedbackStore:
    """handlers.ports.FeedbackStore on SQL: one vote per chat, user and paper."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record_feedback(self, chat: ChatRef, user_id: str, arxiv_id: str, value: int) -> None:
        row = {
            "platform": chat.platform,
            "chat_id": chat.chat_id,
            "user_id": user_id,
            "arxiv_id": arxiv_id,
            "value": value,
            "at": utc_now(),
        }
        keys = ("platform", "chat_id", "user_id", "arxiv_id")
        async with self._db.session() as s:
            await upsert(s, FeedbackRow, [row], keys=keys, update=("value", "at"))
            await s.commit()

    async def get_feedback(self, chat: ChatRef, user_id: str, arxiv_id: str) -> int | None:
        stmt = select(FeedbackRow.value).where(
            col(FeedbackRow.platform) == chat.platform,
            col(FeedbackRow.chat_id) == chat.chat_id,
            col(FeedbackRow.user_id) == user_id,
            col(FeedbackRow.arxiv_id) == arxiv_id,
        )
        async with self._db.session() as s:
            return (await s.exec(stmt)).first()

    async def tally(self, arxiv_id: str) -> tuple[int, int]:
        """(👍 count, 👎 count) for a paper over every chat."""
        stmt = (
            select(FeedbackRow.value, func.count())
            .where(col(FeedbackRow.arxiv_id) == arxiv_id)
            .group_by(col(FeedbackRow.value))
        )
        async with self._db.session() as s:
            counts = dict((await s.exec(stmt)).all())
        return counts.get(1, 0), counts.get(-1, 0)
