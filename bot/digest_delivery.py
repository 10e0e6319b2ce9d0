"""The digest's messengers for one-off runs (`paperbot digest`): the platforms' messengers
without starting the bots, or a RecordingMessenger for tests and dry runs."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.render.text import render_text
from handlers.digest.types import Messenger, Ready, announce
from handlers.ports import ChatStore
from handlers.types import ChatRef, Reply

SEND_CONNECTIONS = 64
"""HTTP connections of the one-off digest bot: at least the sender's chat concurrency (32)."""


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
        await announce(ready)
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
            from telegram.request import HTTPXRequest

            from bot.telegram.send import PaperbotRateLimiter

            api = settings.telegram_api_url
            bot: Any = ExtBot(
                settings.telegram_bot_token.get_secret_value(),
                base_url=f"{api}/bot",
                base_file_url=f"{api}/file/bot",
                # PTB's default is ONE connection: concurrent chats would queue for it with
                # their parts already `sending` (the kill bench lost them at a crash).
                request=HTTPXRequest(connection_pool_size=SEND_CONNECTIONS),
                # Our gates pace the sends; PTB only waits out the 429s that still happen.
                rate_limiter=PaperbotRateLimiter(
                    overall_max_rate=0, group_max_rate=0, max_retries=3
                ),
            )
            await stack.enter_async_context(bot)
            from bot.telegram.messenger import TelegramMessenger

            found.append(TelegramMessenger(bot, chats))
        if settings.discord_bot_token is not None:
            import discord

            if settings.discord_api_url is not None:
                discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
            client = discord.Client(intents=discord.Intents.none())
            await client.login(settings.discord_bot_token.get_secret_value())
            stack.push_async_callback(client.close)
            from bot.discord.messenger import DiscordMessenger

            found.append(DiscordMessenger(client, chats))
        yield found
