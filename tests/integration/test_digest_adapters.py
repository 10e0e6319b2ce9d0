"""429 and 403 through the real adapters: python-telegram-bot and discord.py against their
fake servers, driven by the digest pipeline and ledger."""

from __future__ import annotations

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
)
from tests.fakes.discord_server import TOKEN as DISCORD_TOKEN
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.subscription_store import MemorySubscriptions
from tests.fakes.telegram_server import FakeTelegram

NOW = datetime(2026, 11, 25, 9, 31, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)
DAY = date(2026, 11, 24)  # Tuesday 20:31 ET: Tuesday evening's announcement
OK_TG, BLOCKED_TG = ChatRef("telegram", "1001"), ChatRef("telegram", "1002")
OK_DC, GONE_DC = ChatRef("discord", "444000000000000001"), ChatRef("discord", "444000000000000002")


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


async def test_rate_limits_are_waited_out_and_blocked_chats_deactivated(
    db: Database,
    telegram_server: FakeTelegram,
    discord_server: FakeDiscord,
    discord_client: discord.Client,
) -> None:
    chats, subs = SqlChatStore(db), MemorySubscriptions()
    for chat in (OK_TG, BLOCKED_TG, OK_DC, GONE_DC):
        await chats.upsert_chat(chat, ChatKind.PRIVATE, None)
        await chats.save_settings(chat, ChatSettings(max_papers=2, digest_style="cards"))
        subs.subscribe(chat, "cs.CL")
    telegram_server.fail_429("sendMessage", retry_after=1, chat_id=int(OK_TG.chat_id))
    telegram_server.fail_403("sendMessage", chat_id=int(BLOCKED_TG.chat_id))
    discord_server.fail("POST", rf"/channels/{OK_DC.chat_id}/messages", 429, retry_after=0.2)
    discord_server.fail("POST", rf"/channels/{GONE_DC.chat_id}/messages", 403)
    bot: Any = ExtBot(
        telegram_server.token,
        base_url=f"{telegram_server.url}/bot",
        rate_limiter=PaperbotRateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3),
    )
    async with bot:
        messengers = [
            TelegramMessenger(bot, chats, chat_per_second=100),
            DiscordMessenger(discord_client, chats),
        ]
        feed = FakeFeed(DAY, [entry(p) for p in LLM_PAPERS])
        pipeline = build_pipeline(db, subs, feed, Clock(NOW), messengers, chats=chats)
        report = await pipeline.run_now(NOW, max_wait=5)
        pipeline.close()
    assert sorted(map(str, report.sent.deactivated)) == sorted(map(str, (BLOCKED_TG, GONE_DC)))
    for chat in (BLOCKED_TG, GONE_DC):
        info = await chats.get_chat(chat)
        assert info is not None and not info.active
        assert {p.status for p in await pipeline.store.parts_for(chat)} == {"failed"}
    for chat in (OK_TG, OK_DC):
        parts = await pipeline.store.parts_for(chat)
        assert [p.kind for p in parts] == ["header", "entry", "entry", "more"]
        assert {p.status for p in parts} == {"sent"}
    tg_ok = [c for c in telegram_server.calls_of("sendMessage") if c.params["chat_id"] == 1001]
    assert len(tg_ok) == 5  # 4 messages + the one answered 429, resent once
    dc_ok = discord_server.find("POST", rf"/channels/{OK_DC.chat_id}/messages")
    assert len(dc_ok) == 5
    assert len(telegram_server.calls_of("sendMessage")) == 5 + 1  # the blocked chat: one try
