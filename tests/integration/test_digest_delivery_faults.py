"""The digest's messengers through the real libraries against fakes that behave like the
services where it matters: a response lost after the message was sent (Telegram: written
off, never twice; Discord: resent with its nonce, de-duplicated), Telegram's UTF-16 length
and broadcast limits (30 msg/s overall, 20 msg/min per group) with a shared fake time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import discord
import pytest
from telegram.ext import ExtBot

from bot.discord.messenger import DiscordMessenger
from bot.telegram.messenger import TelegramMessenger
from bot.telegram.send import PaperbotRateLimiter
from handlers.digest.ledger import PlannedPart
from handlers.digest.render import reply_to_json
from handlers.digest.sender import RESENT_MARK, LedgerSender
from handlers.digest.types import Messenger
from handlers.types import ChatKind, ChatRef, Reply
from storage.chat_store import SqlChatStore
from storage.digest_store import SqlDigestStore
from storage.engine import Database
from storage.migrate import upgrade_database
from tests.fakes.digest_fakes import Clock
from tests.fakes.discord_server import TOKEN as DISCORD_TOKEN
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.telegram_server import FakeTelegram, utf16_len

NOW = datetime(2026, 11, 25, 1, 31, tzinfo=UTC)
DAY = date(2026, 11, 23)
TG = ChatRef("telegram", "1001")
DC = ChatRef("discord", "444000000000000001")


class FakeTime:
    """Monotonic seconds that move only when someone sleeps (shared by gates and server)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


@pytest.fixture
async def db(sqlite_database_url: str) -> AsyncIterator[Database]:
    await upgrade_database(sqlite_database_url)
    database = Database(sqlite_database_url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def bot(telegram_server: FakeTelegram) -> AsyncIterator[ExtBot[None]]:
    # No PTB retries: a 429 must surface, the messenger's own gates are what is tested.
    limiter = PaperbotRateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=0)
    api = telegram_server.url
    ext: ExtBot[None] = ExtBot(
        telegram_server.token, base_url=f"{api}/bot", base_file_url=f"{api}/file/bot",
        rate_limiter=limiter,
    )  # fmt: skip
    async with ext:
        yield ext


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


async def plan(db: Database, chat: ChatRef, *texts: str) -> SqlDigestStore:
    await SqlChatStore(db).upsert_chat(chat, ChatKind.PRIVATE, None)
    store = SqlDigestStore(db)
    planned = [
        PlannedPart(part=n, kind="header" if n == 1 else "entry", payload=reply_to_json(Reply(t)))
        for n, t in enumerate(texts, 1)
    ]
    assert await store.claim_and_plan(chat, DAY, planned)
    return store


def sender(db: Database, messenger: Messenger, clock: Clock) -> LedgerSender:
    return LedgerSender(
        SqlDigestStore(db), {messenger.platform: messenger}, SqlChatStore(db), clock=clock
    )


async def test_telegram_response_lost_after_sending_is_written_off_never_sent_twice(
    db: Database, telegram_server: FakeTelegram, bot: ExtBot[None]
) -> None:
    store = await plan(db, TG, "🗞 今日速递", "第一篇", "第二篇")
    telegram_server.lose_response("sendMessage", chat_id=int(TG.chat_id))
    clock = Clock(NOW)
    report = await sender(db, TelegramMessenger(bot), clock).deliver()
    assert (report.uncertain, report.sent) == (1, 2)
    clock.now += timedelta(hours=1)
    await sender(db, TelegramMessenger(bot), clock).deliver()
    # Telegram did post the header once; it was not posted again.
    assert telegram_server.stored_texts(int(TG.chat_id)) == ["🗞 今日速递", "第一篇", "第二篇"]
    statuses = [(p.status, p.error) for p in await store.parts_for(TG, DAY)]
    assert statuses[0][0] == "uncertain" and "in doubt" in (statuses[0][1] or "")
    assert [s for s, _ in statuses[1:]] == ["sent", "sent"]


async def test_telegram_one_message_digest_with_its_response_lost_is_resent_marked(
    db: Database, telegram_server: FakeTelegram, bot: ExtBot[None]
) -> None:
    await plan(db, TG, "🗞 今日速递：3 篇")
    telegram_server.lose_response("sendMessage", chat_id=int(TG.chat_id))
    report = await sender(db, TelegramMessenger(bot), Clock(NOW)).deliver()
    assert (report.uncertain, report.sent) == (0, 1)
    assert telegram_server.stored_texts(int(TG.chat_id)) == [
        "🗞 今日速递：3 篇",
        f"{RESENT_MARK}🗞 今日速递：3 篇",
    ]


async def test_telegram_5xx_is_in_doubt_and_written_off(
    db: Database, telegram_server: FakeTelegram, bot: ExtBot[None]
) -> None:
    """A 502 from Telegram's front may hide a message that was sent."""
    store = await plan(db, TG, "🗞 今日速递", "第一篇")
    telegram_server.fail("sendMessage", 502, "Bad Gateway", chat_id=int(TG.chat_id))
    report = await sender(db, TelegramMessenger(bot), Clock(NOW)).deliver()
    assert report.uncertain == 1
    assert [p.status for p in await store.parts_for(TG, DAY)] == ["uncertain", "sent"]
    assert telegram_server.stored_texts(int(TG.chat_id)) == ["第一篇"]


async def test_discord_response_lost_is_resent_with_its_nonce_and_posted_once(
    db: Database, discord_server: FakeDiscord, discord_client: discord.Client
) -> None:
    store = await plan(db, DC, "🗞 今日速递", "第一篇")
    discord_server.lose_response(r"^/channels/\d+/messages$")
    clock = Clock(NOW)
    first = await sender(db, DiscordMessenger(discord_client, SqlChatStore(db)), clock).deliver()
    assert first.retried == 1
    clock.now += timedelta(seconds=31)  # the retry is due (backoff 30 s)
    again = await sender(db, DiscordMessenger(discord_client, SqlChatStore(db)), clock).deliver()
    assert again.sent == 2
    posted = discord_server.find("POST", r"^/channels/\d+/messages$")
    assert len(posted) == 3  # the lost one, its resend, the second part
    assert posted[0].body["nonce"] == posted[1].body["nonce"]
    assert posted[0].body["enforce_nonce"] is True
    assert [m["content"] for m in discord_server.channel_messages(DC.chat_id)] == [
        "🗞 今日速递",
        "第一篇",
    ]
    assert {p.status for p in await store.parts_for(DC, DAY)} == {"sent"}


async def test_emoji_text_is_split_by_utf16_units_and_accepted(
    telegram_server: FakeTelegram, bot: ExtBot[None]
) -> None:
    """3,000 emoji are 3,000 code points but 6,000 UTF-16 units: two messages, not one."""
    text = "🧪" * 3000
    ids = await TelegramMessenger(bot).send(TG, [Reply(text)])
    stored = telegram_server.stored_texts(int(TG.chat_id))
    assert len(ids) == len(stored) >= 2
    assert all(utf16_len(t) <= 4096 for t in stored)
    assert "".join(stored).replace("\n", "") == text


async def test_a_group_gets_at_most_20_messages_a_minute_without_a_429(
    telegram_server: FakeTelegram, bot: ExtBot[None]
) -> None:
    time = FakeTime()
    telegram_server.clock = time
    group = ChatRef("telegram", "-100200")
    messenger = TelegramMessenger(bot, clock=time, sleep=time.sleep)
    start = time.now
    for n in range(25):
        await messenger.send(group, [Reply(f"第 {n} 条")])
    assert telegram_server.rejected == 0
    assert len(telegram_server.stored_texts(-100200)) == 25
    assert time.now - start >= 60.0  # the 21st waited for the minute to pass


async def test_a_broadcast_stays_under_30_messages_a_second_without_a_429(
    telegram_server: FakeTelegram, bot: ExtBot[None]
) -> None:
    """40 chats at once (real time, about 1.4 s): the fake answers 429 past 30 in a second."""
    messenger = TelegramMessenger(bot)
    chats = [ChatRef("telegram", str(5000 + n)) for n in range(40)]
    await asyncio.gather(*(messenger.send(chat, [Reply("📭 今天没有新论文")]) for chat in chats))
    assert telegram_server.rejected == 0
    assert len(telegram_server.calls_of("sendMessage")) == 40


async def test_a_part_queued_in_the_chat_gate_is_still_pending(
    db: Database, telegram_server: FakeTelegram, bot: ExtBot[None]
) -> None:
    """Telegram's 1 msg/s per chat holds the second part back for about a second: during that
    wait it must not be `sending` (a crash then would write it off without cause)."""
    store = await plan(db, TG, "🗞 今日速递", "第一篇")
    run = asyncio.create_task(sender(db, TelegramMessenger(bot), Clock(NOW)).deliver())
    await telegram_server.wait_for("sendMessage", 1)
    await asyncio.sleep(0.3)  # the second part now waits in the per-chat gate
    queued = [p.status for p in await store.parts_for(TG, DAY)]
    await asyncio.wait_for(run, 10)
    assert queued == ["sent", "pending"]
    assert [p.status for p in await store.parts_for(TG, DAY)] == ["sent", "sent"]
