"""A Telegram channel subscribed like any chat gets its digest posted into the channel."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import ExtBot

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
from tests.fakes.subscription_store import MemorySubscriptions
from tests.fakes.telegram_server import FakeTelegram

NOW = datetime(2026, 11, 25, 9, 31, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)
DAY = date(2026, 11, 24)  # Tuesday 20:31 ET: Tuesday evening's announcement
CHANNEL = -1009990001112


async def test_digest_goes_into_the_channel(
    sqlite_database_url: str, telegram_server: FakeTelegram
) -> None:
    await upgrade_database(sqlite_database_url)
    db = Database(sqlite_database_url)
    telegram_server.channel(CHANNEL, "arxiv_daily_cn", "arXiv 每日速递")
    chat = ChatRef("telegram", str(CHANNEL))
    chats, subs = SqlChatStore(db), MemorySubscriptions()
    await chats.upsert_chat(chat, ChatKind.CHANNEL, "arXiv 每日速递")
    await chats.save_settings(chat, ChatSettings(max_papers=2))
    subs.subscribe(chat, "cs.CL")
    bot: Any = ExtBot(
        telegram_server.token,
        base_url=f"{telegram_server.url}/bot",
        rate_limiter=PaperbotRateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3),
    )
    try:
        async with bot:
            messengers = [TelegramMessenger(bot, chats, chat_per_second=100)]
            feed = FakeFeed(DAY, [entry(p) for p in LLM_PAPERS])
            pipeline = build_pipeline(db, subs, feed, Clock(NOW), messengers, chats=chats)
            report = await pipeline.run_now(NOW, max_wait=5)
            pipeline.close()
    finally:
        await db.dispose()
    sent = telegram_server.calls_of("sendMessage")
    assert report.sent.sent == len(sent) == 1  # the compact digest: one message
    assert {c.params["chat_id"] for c in sent} == {CHANNEL}
    text = str(sent[0].params["text"])
    assert "arXiv 每日速递" in text
    cs_cl = [p for p in LLM_PAPERS if p.primary_category == "cs.CL"]
    assert len(cs_cl) == 3 and all(p.title in text for p in cs_cl)  # 2 entries + 还有 1 篇
