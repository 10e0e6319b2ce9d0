"""SqlSubscriptionStore: a chat's topic subscriptions, and every active chat's for the digest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, delete
from sqlmodel import col, select

from handlers.digest.types import Subscription, Topic
from handlers.ports import ChatSettings
from handlers.types import ChatRef
from storage.engine import Database
from storage.subscription_tables import SubscriptionRow
from storage.tables import ChatRow, utc_now
from storage.upsert import table_of, upsert


def _is(table: Table, chat: ChatRef) -> Any:
    return (table.c.platform == chat.platform) & (table.c.chat_id == chat.chat_id)


def _to_subscription(row: SubscriptionRow) -> Subscription:
    assert row.id is not None
    return Subscription(
        id=row.id,
        chat=ChatRef(row.platform, row.chat_id),
        topic=Topic.model_validate(row.topic),
        created_at=row.created_at,
    )


class SqlSubscriptionStore:
    """handlers.digest.types.SubscriptionStore on SQL."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_subscription(self, chat: ChatRef, topic: Topic) -> Subscription:
        row: dict[str, Any] = {
            "platform": chat.platform,
            "chat_id": chat.chat_id,
            "kind": topic.kind.value,
            "raw": topic.raw,
            "topic": topic.model_dump(mode="json"),
            "created_at": utc_now(),
        }
        keys = ("platform", "chat_id", "raw")
        stmt = select(SubscriptionRow).where(
            col(SubscriptionRow.platform) == chat.platform,
            col(SubscriptionRow.chat_id) == chat.chat_id,
            col(SubscriptionRow.raw) == topic.raw,
        )
        async with self._db.session() as s:
            # Insert first (a write before any read: no SQLITE_BUSY upgrade), keep an existing row.
            await upsert(s, SubscriptionRow, [row], keys=keys, update=())
            stored = (await s.exec(stmt)).one()
            await s.commit()
        return _to_subscription(stored)

    async def list_subscriptions(self, chat: ChatRef) -> list[Subscription]:
        stmt = (
            select(SubscriptionRow)
            .where(
                col(SubscriptionRow.platform) == chat.platform,
                col(SubscriptionRow.chat_id) == chat.chat_id,
            )
            .order_by(col(SubscriptionRow.id))
        )
        async with self._db.session() as s:
            return [_to_subscription(r) for r in (await s.exec(stmt)).all()]

    async def remove_subscription(self, chat: ChatRef, subscription_id: int) -> bool:
        table = table_of(SubscriptionRow)
        stmt = delete(table).where(_is(table, chat), table.c.id == subscription_id)
        async with self._db.session() as s:
            count = (await s.exec(stmt)).rowcount
            await s.commit()
        return bool(count == 1)

    async def remove_all(self, chat: ChatRef) -> int:
        table = table_of(SubscriptionRow)
        async with self._db.session() as s:
            count = (await s.exec(delete(table).where(_is(table, chat)))).rowcount
            await s.commit()
        return int(count)

    async def active_subscriptions(self) -> list[Subscription]:
        """Subscriptions of active chats whose settings are not paused (settings is JSON, so
        `paused` is read in Python rather than with dialect-specific JSON operators)."""
        stmt = (
            select(SubscriptionRow, ChatRow.settings)
            .join(
                ChatRow,
                (col(ChatRow.platform) == col(SubscriptionRow.platform))
                & (col(ChatRow.chat_id) == col(SubscriptionRow.chat_id)),
            )
            .where(col(ChatRow.active).is_(True))
            .order_by(
                col(SubscriptionRow.platform), col(SubscriptionRow.chat_id), col(SubscriptionRow.id)
            )
        )
        async with self._db.session() as s:
            rows = (await s.exec(stmt)).all()
        return [
            _to_subscription(row)
            for row, settings in rows
            if not ChatSettings.model_validate(settings or {}).paused
        ]
