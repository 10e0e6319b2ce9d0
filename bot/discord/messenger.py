"""The digest's Discord messenger: sends through bot.discord.send (discord.py waits out rate
limits itself)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from handlers.digest.types import Ready, TransientSendError, announce
from handlers.ports import ChatStore
from handlers.types import ChatRef, Reply

# Discord de-duplicates a message whose `nonce` (with `enforce_nonce`, which discord.py 2.7
# adds to every nonce) the same author used "in the past few minutes" (Create Message,
# RESTPostAPIChannelMessageJSONBody in the discord-api-types / discord.js docs, checked
# 2026-12-01). A part in doubt is resent with its nonce only well inside that window.
DISCORD_NONCE_WINDOW = 60.0


class DiscordMessenger:
    """Digest delivery through bot.discord.send.send_reply_to_channel (discord.py waits out
    rate limits itself); 403/404 → handlers.types.ChatUnreachable."""

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
        """Each message carries the nonce `<key>.<reply>.<message>`: a resend of the same
        part is answered with the message Discord already has, not posted twice."""
        import discord

        from bot.discord.send import send_reply_to_channel

        ids: list[str] = []
        await announce(ready)  # discord.py paces by its buckets inside the request
        for n, reply in enumerate(replies):
            nonce = None if key is None else f"{key}.{n}"
            try:
                ids += await send_reply_to_channel(
                    self._client, self._chats, chat.chat_id, reply, nonce=nonce
                )
            except (discord.HTTPException, OSError, TimeoutError) as exc:
                raise TransientSendError(str(exc)) from exc
        return ids
