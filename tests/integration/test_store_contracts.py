"""Port contracts: the in-memory fakes that handler and pipeline tests use must behave like the
SQL stores (SQLite and PostgreSQL), or those tests would prove nothing about production."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from handlers.digest.types import SubscriptionStore
from handlers.ports import ChatSettings, ChatStore
from handlers.subscriptions.topics import parse_topic
from handlers.types import ChatKind, ChatRef
from storage import Database
from storage.repositories import SqlChatStore
from storage.subscription_store import SqlSubscriptionStore
from tests.fakes.services import MemoryChats
from tests.fakes.subscription_store import MemorySubscriptions

A = ChatRef("telegram", "100")
B = ChatRef("telegram", "-200")
C = ChatRef("discord", "300")

Check = Callable[[ChatStore, SubscriptionStore], Awaitable[None]]


async def chats_keep_kind_title_and_settings(chats: ChatStore, _: SubscriptionStore) -> None:
    assert await chats.get_chat(A) is None
    await chats.upsert_chat(B, ChatKind.GROUP, "实验室")
    await chats.save_settings(B, ChatSettings(digest_time="08:30", timezone="Asia/Shanghai"))
    await chats.upsert_chat(B, ChatKind.GROUP, "实验室（新名字）")
    info = await chats.get_chat(B)
    assert info is not None
    assert (info.kind, info.title, info.active) == (ChatKind.GROUP, "实验室（新名字）", True)
    assert info.settings.digest_time == "08:30"  # an upsert keeps the settings


async def deactivation_and_migration(chats: ChatStore, _: SubscriptionStore) -> None:
    await chats.upsert_chat(B, ChatKind.GROUP, "g")
    await chats.set_active(B, False, "403 Forbidden")
    info = await chats.get_chat(B)
    assert info is not None and info.active is False
    moved = ChatRef("telegram", "-100999")
    await chats.migrate_chat(B, moved)
    assert await chats.get_chat(B) is None
    assert await chats.get_chat(moved) is not None


async def subscriptions_in_order_without_duplicates(
    chats: ChatStore, subs: SubscriptionStore
) -> None:
    await chats.upsert_chat(A, ChatKind.PRIVATE, None)
    first = await subs.add_subscription(A, parse_topic("cs.CL"))
    await subs.add_subscription(A, parse_topic('"language model" -survey'))
    again = await subs.add_subscription(A, parse_topic("cs.CL"))
    assert again.id == first.id
    listed = await subs.list_subscriptions(A)
    assert [s.topic.raw for s in listed] == ["cs.CL", '"language model" -survey']
    assert await subs.list_subscriptions(C) == []


async def removal_is_per_chat(chats: ChatStore, subs: SubscriptionStore) -> None:
    for chat in (A, C):
        await chats.upsert_chat(chat, ChatKind.PRIVATE, None)
    mine = await subs.add_subscription(A, parse_topic("cs.LG"))
    theirs = await subs.add_subscription(C, parse_topic("cs.LG"))
    assert await subs.remove_subscription(C, mine.id) is False  # not C's to remove
    assert await subs.remove_subscription(A, mine.id) is True
    assert await subs.remove_subscription(A, mine.id) is False
    await subs.add_subscription(C, parse_topic("au:Hinton"))
    assert await subs.remove_all(C) == 2
    assert await subs.list_subscriptions(C) == []
    assert theirs.chat == C


async def active_means_active_and_not_paused(chats: ChatStore, subs: SubscriptionStore) -> None:
    for chat in (A, B, C):
        await chats.upsert_chat(chat, ChatKind.PRIVATE, None)
        await subs.add_subscription(chat, parse_topic("cs.CL"))
    await chats.save_settings(B, ChatSettings(paused=True))
    await chats.set_active(C, False, "blocked")
    active = await subs.active_subscriptions()
    assert {s.chat for s in active} == {A}


CONTRACT: list[Check] = [
    chats_keep_kind_title_and_settings,
    deactivation_and_migration,
    subscriptions_in_order_without_duplicates,
    removal_is_per_chat,
    active_means_active_and_not_paused,
]


@pytest.mark.parametrize("check", CONTRACT, ids=lambda c: c.__name__)
async def test_memory_fakes_hold_the_contract(check: Check) -> None:
    chats = MemoryChats()
    await check(chats, MemorySubscriptions(chats))


@pytest.mark.parametrize("check", CONTRACT, ids=lambda c: c.__name__)
async def test_sql_stores_hold_the_contract(check: Check, database: Database) -> None:
    await check(SqlChatStore(database), SqlSubscriptionStore(database))
