"""The digest's Telegram messenger: sends through bot.telegram.send within Telegram's broadcast
limits (~30 msg/s overall, 20 msg/min per group, ~1 msg/s per chat)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from handlers.digest.types import Ready, SendInDoubtError, TransientSendError, announce
from handlers.ports import ChatStore
from handlers.rate_limit import SlidingWindowLimiter
from handlers.types import ChatRef, Reply

TELEGRAM_GLOBAL_PER_SECOND = 29.0  # Telegram allows ~30 msg/s per bot: keep some in reserve
TELEGRAM_GROUP_PER_MINUTE = 20
TELEGRAM_CHAT_PER_SECOND = 1


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
    """Digest delivery through bot.telegram.send.send_reply: ~29 msg/s overall, 20 msg/min
    per group (negative ids), 1 msg/s per chat; 429s are waited out by the bot's rate limiter
    (PaperbotRateLimiter retries), 403 → ChatUnreachable (the chat is also deactivated)."""

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
        """The part turns `sending` (`ready`) only once every gate let its messages through,
        right before the first request leaves."""
        from bot.render.telegram_html import render_telegram
        from bot.telegram.send import TelegramDeliveryError, send_reply

        ids: list[str] = []
        for reply in replies:
            for _ in render_telegram(reply):
                await self._gate(chat.chat_id).acquire()
                await self._global.acquire()
            await announce(ready)
            ready = None
            try:
                sent = await send_reply(self._bot, chat.chat_id, reply, chats=self._chats)
            except TelegramDeliveryError as exc:
                if exc.in_doubt or exc.sent_ids:  # a resend could repeat what arrived
                    raise SendInDoubtError(exc.reason) from exc
                raise TransientSendError(exc.reason) from exc
            ids += [str(i) for i in sent]
        return ids
