"""The digest's Discord messenger: sends through bot.discord.send (discord.py waits out rate
limits itself)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from handlers.digest.types import TransientSendError
from handlers.ports import ChatStore
from handlers.types import ChatRef, Reply


class DiscordMessenger:
    """Digest delivery through bot.discord.send.send_reply_to_channel (discord.py waits out
    rate limits itself); 403/404 → ChatUnreachableError."""

    platform = "discord"

    def __init__(self, client: Any, chats: ChatStore) -> None:
        self._client = client
        self._chats = chats

    async def send(self, chat: ChatRef, replies: Sequence[Reply]) -> list[str]:
        import discord

        from bot.discord.send import send_reply_to_channel

        ids: list[str] = []
        for reply in replies:
            try:
                ids += await send_reply_to_channel(self._client, self._chats, chat.chat_id, reply)
            except (discord.HTTPException, OSError, TimeoutError) as exc:
                raise TransientSendError(str(exc)) from exc
        return ids
