"""MemorySubscriptions: the in-memory SubscriptionStore (the one fake of that port) for handler,
pipeline and bench use; tests/integration/test_store_contracts.py holds it to the SQL store's
behaviour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.digest.types import Subscription, Topic
from handlers.ports import ChatStore
from handlers.subscriptions.topics import parse_topic
from handlers.types import ChatRef

_EPOCH = datetime(2026, 11, 1, tzinfo=UTC)


class MemorySubscriptions:
    """SubscriptionStore over a dict; `active_subscriptions` consults `chats` (when given) for
    active / paused like the SQL store's join."""

    def __init__(self, chats: ChatStore | None = None) -> None:
        self.chats = chats
        self.rows: dict[int, Subscription] = {}
        self._next_id = 1

    def subscribe(self, chat: ChatRef, *raw: str) -> None:
        """Set-up helper: subscribe `chat` to topics written as a user would type them."""
        for text in raw:
            topic = parse_topic(text)
            self.rows[self._next_id] = Subscription(
                id=self._next_id,
                chat=chat,
                topic=topic,
                created_at=_EPOCH + timedelta(seconds=self._next_id),
            )
            self._next_id += 1

    @property
    def by_chat(self) -> dict[ChatRef, list[Subscription]]:
        grouped: dict[ChatRef, list[Subscription]] = {}
        for row in self.rows.values():
            grouped.setdefault(row.chat, []).append(row)
        return grouped

    async def add_subscription(self, chat: ChatRef, topic: Topic) -> Subscription:
        for row in self.rows.values():
            if row.chat == chat and row.topic.raw == topic.raw:
                return row
        row = Subscription(
            id=self._next_id,
            chat=chat,
            topic=topic,
            created_at=_EPOCH + timedelta(seconds=self._next_id),
        )
        self.rows[row.id] = row
        self._next_id += 1
        return row

    async def list_subscriptions(self, chat: ChatRef) -> list[Subscription]:
        return [r for r in self.rows.values() if r.chat == chat]

    async def remove_subscription(self, chat: ChatRef, subscription_id: int) -> bool:
        row = self.rows.get(subscription_id)
        if row is None or row.chat != chat:
            return False
        del self.rows[subscription_id]
        return True

    async def remove_all(self, chat: ChatRef) -> int:
        doomed = [i for i, r in self.rows.items() if r.chat == chat]
        for i in doomed:
            del self.rows[i]
        return len(doomed)

    async def active_subscriptions(self) -> list[Subscription]:
        out = []
        for row in self.rows.values():
            info = await self.chats.get_chat(row.chat) if self.chats is not None else None
            if self.chats is not None and (info is None or not info.active):
                continue
            if info is not None and info.settings.paused:
                continue
            out.append(row)
        return out
