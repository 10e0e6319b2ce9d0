"""Messengers for the digest: Telegram and Discord (wrapping the adapters' send helpers, with
Telegram's broadcast limits), and a RecordingMessenger for tests and dry runs."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.render.text import render_text
from handlers.digest_types import (
    ChatUnreachableError,
    Messenger,
    Ready,
    SendCancelled,
    SendInDoubtError,
    TransientSendError,
)
from handlers.ports import ChatStore
from handlers.rate_limit import SlidingWindowLimiter
from handlers.types import ChatRef, Reply

TELEGRAM_GLOBAL_PER_SECOND = 29.0  # Telegram allows ~30 msg/s per bot: keep some in reserve
TELEGRAM_GROUP_PER_MINUTE = 20
TELEGRAM_CHAT_PER_SECOND = 1
# Discord de-duplicates a message whose `nonce` (with `enforce_nonce`) was used by the same
# author "in the past few minutes" (Create Message, RESTPostAPIChannelMessageJSONBody in
# discord-api-types / discord.js docs, checked 2026-12-01). We resend in-doubt parts with the
# same nonce only well inside that window.
DISCORD_NONCE_WINDOW = 60.0


async def _announce(ready: Ready | None) -> None:
    """The slot is granted: let the ledger mark the part `sending` (or cancel the send)."""
    if ready is not None and not await ready():
        raise SendCancelled


Sleep = Callable[[float], Awaitable[None]]


class SlidingGate:
    """At most `limit` acquisitions per `window` seconds; waiters are served in order."""

    def __init__(
        self,
        limit: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._limiter = SlidingWindowLimiter(limit, window, clock)
        self._sleep = sleep
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            wait = self._limiter.hit("gate")
            while wait > 0:  # a time window, not an event: sleep until it has room
                await self._sleep(wait)
                wait = self._limiter.hit("gate")


class PacedGate:
    """Evenly spaced acquisitions, `rate` per second: no bursts, so the server never sees
    more than `rate` in any one-second window even when requests arrive with some jitter."""

    def __init__(
        self, rate: float, clock: Callable[[], float] = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            wait = self._next - self._clock()
            if wait > 0:
                await self._sleep(wait)
            self._next = max(self._clock(), self._next) + self.interval


class TelegramMessenger:
    """Digest delivery through bot.telegram_delivery.send_reply: ~29 msg/s overall, 20 msg/min
    per group (negative ids), 1 msg/s per chat; 429s are waited out by the bot's rate limiter
    (PaperbotRateLimiter retries), 403 → ChatUnreachableError (the chat is also deactivated)."""

    platform = "telegram"
    resend_window = 0.0  # Telegram cannot de-duplicate: a part in doubt is never resent

    def __init__(
        self,
        bot: Any,
        chats: ChatStore | None = None,
        *,
        per_second: float = TELEGRAM_GLOBAL_PER_SECOND,
        group_per_minute: int = TELEGRAM_GROUP_PER_MINUTE,
        chat_per_second: int = TELEGRAM_CHAT_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._bot = bot
        self._chats = chats
        self._clock, self._sleep = clock, sleep
        self._global = PacedGate(per_second, clock, sleep)
        self._group_limit = group_per_minute
        self._chat_limit = chat_per_second
        self._gates: dict[str, SlidingGate] = {}

    def _gate(self, chat_id: str) -> SlidingGate:
        gate = self._gates.get(chat_id)
        if gate is None:
            group = chat_id.startswith("-")
            gate = SlidingGate(
                self._group_limit if group else self._chat_limit,
                60.0 if group else 1.0,
                self._clock,
                self._sleep,
            )
            self._gates[chat_id] = gate
        return gate

    async def send(
        self,
        chat: ChatRef,
        replies: Sequence[Reply],
        *,
        ready: Ready | None = None,
        key: str | None = None,
    ) -> list[str]:
        from bot.render.telegram_html import render_telegram
        from bot.telegram_delivery import ChatUnreachable, TelegramDeliveryError, send_reply

        ids: list[str] = []
        for reply in replies:
            for _ in render_telegram(reply):
                await self._gate(chat.chat_id).acquire()
                await self._global.acquire()
            await _announce(ready)
            ready = None
            try:
                sent = await send_reply(self._bot, chat.chat_id, reply, chats=self._chats)
            except ChatUnreachable as exc:
                raise ChatUnreachableError(exc.reason) from exc
            except TelegramDeliveryError as exc:
                if exc.in_doubt or exc.sent_ids:  # a resend could repeat what arrived
                    raise SendInDoubtError(exc.reason) from exc
                raise TransientSendError(exc.reason) from exc
            ids += [str(i) for i in sent]
        return ids


class DiscordMessenger:
    """Digest delivery through bot.discord_send.send_reply_to_channel (discord.py waits out
    rate limits itself); 403/404 → ChatUnreachableError."""

    platform = "discord"
    resend_window = DISCORD_NONCE_WINDOW

    def __init__(self, client: Any, chats: ChatStore) -> None:
        self._client = client
        self._chats = chats

    async def send(
        self,
        chat: ChatRef,
        replies: Sequence[Reply],
        *,
        ready: Ready | None = None,
        key: str | None = None,
    ) -> list[str]:
        import discord

        from bot.discord_send import ChatUnreachable, send_reply_to_channel

        ids: list[str] = []
        await _announce(ready)  # discord.py paces by its buckets inside the request
        for n, reply in enumerate(replies):
            nonce = None if key is None else f"{key}.{n}"
            try:
                ids += await send_reply_to_channel(
                    self._client, self._chats, chat.chat_id, reply, nonce=nonce
                )
            except ChatUnreachable as exc:
                raise ChatUnreachableError(exc.reason) from exc
            except (discord.HTTPException, OSError, TimeoutError) as exc:
                raise TransientSendError(str(exc)) from exc
        return ids


class RecordingMessenger:
    """Records what would be sent (plain text); with `path`, appends one JSON line per message
    to that file (one write each, so a killed process leaves whole lines), shared by several
    processes. `find_delivered` lets the ledger confirm an in-flight part after a crash."""

    def __init__(
        self,
        platform: str,
        path: Path | None = None,
        *,
        delay: float = 0.0,
        fail: Callable[[ChatRef, Reply], Exception | None] | None = None,
    ) -> None:
        self.platform = platform
        self.path = path
        self.delay = delay
        self.fail = fail
        self.sent: list[tuple[ChatRef, Reply]] = []

    resend_window = 0.0

    async def send(
        self,
        chat: ChatRef,
        replies: Sequence[Reply],
        *,
        ready: Ready | None = None,
        key: str | None = None,
    ) -> list[str]:
        ids: list[str] = []
        await _announce(ready)
        for reply in replies:
            if self.fail is not None and (error := self.fail(chat, reply)) is not None:
                raise error
            if self.delay:
                await asyncio.sleep(self.delay)
            self.sent.append((chat, reply))
            message_id = f"{os.getpid()}-{len(self.sent)}"
            if self.path is not None:
                await asyncio.to_thread(self._append, chat, reply, message_id)
            ids.append(message_id)
        return ids

    def _append(self, chat: ChatRef, reply: Reply, message_id: str) -> None:
        line = json.dumps(record(chat, reply, message_id), ensure_ascii=False) + "\n"
        fd = os.open(self.path or "", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)

    async def find_delivered(self, chat: ChatRef, replies: Sequence[Reply]) -> list[str] | None:
        """The ids of these replies if every one of them was recorded for the chat."""
        wanted = [render_text(r) for r in replies]
        seen = (
            await asyncio.to_thread(read_records, self.path)
            if self.path is not None
            else [record(c, r, "") for c, r in self.sent]
        )
        mine = {r["text"]: r["id"] for r in seen if r["chat"] == str(chat)}
        if all(text in mine for text in wanted):
            return [mine[text] for text in wanted]
        return None


def record(chat: ChatRef, reply: Reply, message_id: str) -> dict[str, Any]:
    arxiv_id = reply.summary.paper.arxiv_id if reply.summary is not None else None
    return {"chat": str(chat), "id": message_id, "arxiv_id": arxiv_id, "text": render_text(reply)}


def read_records(path: Path | None) -> list[dict[str, Any]]:
    if path is None or not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


@asynccontextmanager
async def open_messengers(
    settings: Settings, chats: ChatStore, *, record: Path | None = None, delay: float = 0.0
) -> AsyncIterator[list[Messenger]]:
    """Messengers for a one-off run (`paperbot digest`) without starting the bots: a Bot API
    client for Telegram, a REST-only login for Discord; or recorders appending to `record`."""
    if record is not None:
        yield [
            RecordingMessenger("telegram", record, delay=delay),
            RecordingMessenger("discord", record, delay=delay),
        ]
        return
    async with AsyncExitStack() as stack:
        found: list[Messenger] = []
        if settings.telegram_bot_token is not None:
            from telegram.ext import ExtBot

            from bot.telegram_delivery import PaperbotRateLimiter

            api = settings.telegram_api_url
            bot: Any = ExtBot(
                settings.telegram_bot_token.get_secret_value(),
                base_url=f"{api}/bot",
                base_file_url=f"{api}/file/bot",
                # Our gates pace the sends; PTB only waits out the 429s that still happen.
                rate_limiter=PaperbotRateLimiter(
                    overall_max_rate=0, group_max_rate=0, max_retries=3
                ),
            )
            await stack.enter_async_context(bot)
            found.append(TelegramMessenger(bot, chats))
        if settings.discord_bot_token is not None:
            import discord

            if settings.discord_api_url is not None:
                discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
            client = discord.Client(intents=discord.Intents.none())
            await client.login(settings.discord_bot_token.get_secret_value())
            stack.push_async_callback(client.close)
            found.append(DiscordMessenger(client, chats))
        yield found
