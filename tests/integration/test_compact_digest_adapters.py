"""The compact digest through the real adapters: one Telegram message with an expandable
blockquote and number buttons, split between papers when longer, only the first message
notifying; Discord embeds with only the first message notifying; cards style unchanged."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import discord
import pytest
from telegram.ext import ExtBot

from bot.discord.messenger import DiscordMessenger
from bot.telegram.messenger import TelegramMessenger
from bot.telegram.send import PaperbotRateLimiter
from handlers.ports import ChatSettings
from handlers.types import ChatKind, ChatRef
from storage.chat_store import SqlChatStore
from storage.engine import Database
from storage.migrate import upgrade_database
from tests.fakes.digest_fakes import (
    LLM_PAPERS,
    Clock,
    FakeFeed,
    build_pipeline,
    entry,
    paper,
)
from tests.fakes.discord_server import TOKEN as DISCORD_TOKEN
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.subscription_store import MemorySubscriptions
from tests.fakes.telegram_server import FakeTelegram

NOW = datetime(2026, 11, 25, 9, 31, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)
DAY = date(2026, 11, 24)  # Tuesday 20:31 ET: Tuesday evening's announcement
TG = ChatRef("telegram", "1001")
DC = ChatRef("discord", "444000000000000001")
SUPPRESS_NOTIFICATIONS = 1 << 12  # Discord message flag (discord-api-docs PR 5910)
MANY = [paper(f"2611.{i:05d}", f"Language Model Study Number {i}") for i in range(10, 50)]


@pytest.fixture
async def db(sqlite_database_url: str) -> AsyncIterator[Database]:
    await upgrade_database(sqlite_database_url)
    database = Database(sqlite_database_url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def discord_client(discord_server: FakeDiscord) -> AsyncIterator[discord.Client]:
    saved = discord.http.Route.BASE
    discord.http.Route.BASE = discord_server.api_url
    client = discord.Client(intents=discord.Intents.none())
    try:
        await client.login(DISCORD_TOKEN)
        yield client
    finally:
        await client.close()
        discord.http.Route.BASE = saved


async def deliver(
    db: Database, telegram: FakeTelegram, client: discord.Client, papers: list[Any], **settings: Any
) -> None:
    chats, subs = SqlChatStore(db), MemorySubscriptions()
    for chat in (TG, DC):
        await chats.upsert_chat(chat, ChatKind.PRIVATE, None)
        await chats.save_settings(chat, ChatSettings.model_validate(settings))
        subs.subscribe(chat, "cs.CL")
    bot: Any = ExtBot(
        telegram.token,
        base_url=f"{telegram.url}/bot",
        rate_limiter=PaperbotRateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3),
    )
    async with bot:
        messengers = [
            TelegramMessenger(bot, chats, chat_per_second=100),
            DiscordMessenger(client, chats),
        ]
        feed = FakeFeed(DAY, [entry(p) for p in papers])
        pipeline = build_pipeline(db, subs, feed, Clock(NOW), messengers, chats=chats)
        await pipeline.run_now(NOW, max_wait=5)
        pipeline.close()


def silent(call_params: dict[str, Any]) -> bool:
    return bool(call_params.get("disable_notification"))


async def test_three_papers_are_one_message_each_platform(
    db: Database,
    telegram_server: FakeTelegram,
    discord_server: FakeDiscord,
    discord_client: discord.Client,
) -> None:
    await deliver(db, telegram_server, discord_client, list(LLM_PAPERS))
    [sent] = telegram_server.calls_of("sendMessage")
    text = sent.params["text"]
    assert text.count("<blockquote expandable>") == 3 and "2026-11-24（周二）" in text
    assert not silent(sent.params)
    rows = sent.params["reply_markup"]["inline_keyboard"]
    assert [[b["text"] for b in row] for row in rows] == [["1", "2", "3"]]
    assert all(b["callback_data"].startswith("p:2611.") for b in rows[0])
    [posted] = discord_server.find("POST", rf"/channels/{DC.chat_id}/messages")
    body = json.loads(posted.body) if isinstance(posted.body, str | bytes) else posted.body
    assert len(body["embeds"]) == 3 and "2026-11-24" in body["content"]
    assert not (body.get("flags", 0) & SUPPRESS_NOTIFICATIONS)


async def test_a_long_digest_splits_between_papers_and_notifies_once(
    db: Database,
    telegram_server: FakeTelegram,
    discord_server: FakeDiscord,
    discord_client: discord.Client,
) -> None:
    await deliver(db, telegram_server, discord_client, MANY, max_papers=40)
    sent = telegram_server.calls_of("sendMessage")
    assert len(sent) >= 2
    assert [silent(c.params) for c in sent] == [False] + [True] * (len(sent) - 1)
    assert sum(c.params["text"].count("<blockquote expandable>") for c in sent) == 40
    assert "reply_markup" in sent[-1].params
    posted = discord_server.find("POST", rf"/channels/{DC.chat_id}/messages")
    assert len(posted) >= 4  # 40 embeds, at most 10 a message
    flags = [
        (json.loads(p.body) if isinstance(p.body, str | bytes) else p.body).get("flags", 0)
        for p in posted
    ]
    assert [bool(f & SUPPRESS_NOTIFICATIONS) for f in flags] == [False] + [True] * (len(posted) - 1)


async def test_cards_style_keeps_one_message_per_paper_first_one_notifying(
    db: Database,
    telegram_server: FakeTelegram,
    discord_server: FakeDiscord,
    discord_client: discord.Client,
) -> None:
    await deliver(db, telegram_server, discord_client, list(LLM_PAPERS), digest_style="cards")
    sent = telegram_server.calls_of("sendMessage")
    assert len(sent) == 4  # header + 3 cards
    assert [silent(c.params) for c in sent] == [False, True, True, True]
    assert "2026-11-24" in sent[1].params["text"] and "2026-" in sent[0].params["text"]
