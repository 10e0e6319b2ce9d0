"""SqlSubscriptionStore on SQLite and PostgreSQL: add/list/remove, active chats, migration."""

from __future__ import annotations

import asyncio

from handlers.ports import ChatSettings
from handlers.subscriptions.topics import parse_topic
from handlers.types import ChatKind, ChatRef
from storage import Database, SqlChatStore
from storage.subscription_store import SqlSubscriptionStore

ALICE = ChatRef("telegram", "42")
GROUP = ChatRef("telegram", "-100")
GUILD = ChatRef("discord", "9001")


async def test_add_is_idempotent_and_lists_in_creation_order(database: Database) -> None:
    store = SqlSubscriptionStore(database)
    first = await store.add_subscription(ALICE, parse_topic("cs.CL"))
    second = await store.add_subscription(ALICE, parse_topic('"大模型" OR LLM -survey'))
    again = await store.add_subscription(ALICE, parse_topic("CS.cl"))
    assert again == first
    assert first.created_at.tzinfo is not None
    listed = await store.list_subscriptions(ALICE)
    assert listed == [first, second]
    assert listed[1].topic == parse_topic('"大模型" OR LLM -survey')  # JSON round trip
    assert await store.list_subscriptions(GROUP) == []


async def test_remove_one_and_all_only_touch_that_chat(database: Database) -> None:
    store = SqlSubscriptionStore(database)
    mine = await store.add_subscription(ALICE, parse_topic("cs.CL"))
    theirs = await store.add_subscription(GROUP, parse_topic("cs.CL"))
    await store.add_subscription(GROUP, parse_topic("au:Hinton"))
    assert await store.remove_subscription(ALICE, theirs.id) is False
    assert await store.remove_subscription(ALICE, mine.id) is True
    assert await store.remove_subscription(ALICE, mine.id) is False
    assert await store.remove_all(ALICE) == 0
    assert await store.remove_all(GROUP) == 2
    assert await store.list_subscriptions(GROUP) == []


async def test_active_subscriptions_skip_inactive_paused_and_unknown_chats(
    database: Database,
) -> None:
    chats = SqlChatStore(database)
    store = SqlSubscriptionStore(database)
    for chat, kind in ((ALICE, ChatKind.PRIVATE), (GROUP, ChatKind.GROUP), (GUILD, ChatKind.GROUP)):
        await chats.upsert_chat(chat, kind, None)
        await store.add_subscription(chat, parse_topic("cs.LG"))
    await store.add_subscription(ChatRef("telegram", "never-seen"), parse_topic("cs.LG"))
    await chats.set_active(GROUP, False, "blocked")
    await chats.save_settings(GUILD, ChatSettings(paused=True))
    active = await store.active_subscriptions()
    assert [s.chat for s in active] == [ALICE]
    await chats.save_settings(GUILD, ChatSettings(paused=False))
    await chats.set_active(GROUP, True)
    assert {s.chat for s in await store.active_subscriptions()} == {ALICE, GROUP, GUILD}


async def test_concurrent_adds_of_one_topic_make_one_row(database: Database) -> None:
    store = SqlSubscriptionStore(database)
    results = await asyncio.gather(
        *(store.add_subscription(ALICE, parse_topic("math.AG")) for _ in range(5))
    )
    assert len({r.id for r in results}) == 1
    assert len(await store.list_subscriptions(ALICE)) == 1


async def test_migrate_chat_moves_subscriptions(database: Database) -> None:
    chats = SqlChatStore(database)
    store = SqlSubscriptionStore(database)
    new = ChatRef("telegram", "-1001")
    await chats.upsert_chat(GROUP, ChatKind.GROUP, "lab")
    await store.add_subscription(GROUP, parse_topic("cs.CL"))
    await store.add_subscription(GROUP, parse_topic("au:Hinton"))
    await store.add_subscription(new, parse_topic("cs.CL"))  # already there: kept once
    await chats.migrate_chat(GROUP, new)
    assert await store.list_subscriptions(GROUP) == []
    assert sorted(s.topic.raw for s in await store.list_subscriptions(new)) == [
        "au:Hinton",
        "cs.CL",
    ]
