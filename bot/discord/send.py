"""Sending rendered replies to Discord channels; 403/404 marks the chat inactive."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord

from bot.discord.views import build_view
from bot.render.discord_embed import render_discord
from handlers.ports import ChatStore
from handlers.types import ChatRef, ChatUnreachable, Reply

log = logging.getLogger(__name__)

PLATFORM = "discord"
# A paper abstract may contain "@everyone": nothing we send may ever ping anyone.
NO_MENTIONS = discord.AllowedMentions.none()
UNREACHABLE = (discord.Forbidden, discord.NotFound)
SERVER_RETRIES = 2
SERVER_RETRY_DELAY = 1.0
T = TypeVar("T")


async def retry_server_errors(send: Callable[[], Awaitable[T]]) -> T:
    """discord.py retries a 500/502/504 itself but gives up at once on a 503 (and after its
    own retries): the message was not posted, so try again a little later."""
    for attempt in range(SERVER_RETRIES):
        try:
            return await send()
        except discord.DiscordServerError as exc:
            delay = SERVER_RETRY_DELAY * 2**attempt
            log.info("discord %s; retrying in %.1f s", exc.status, delay)
            await asyncio.sleep(delay)
    return await send()


def chat_ref(channel_id: int | str) -> ChatRef:
    return ChatRef(PLATFORM, str(channel_id))


def unreachable_reason(exc: discord.HTTPException) -> str:
    return f"discord {exc.status} (code {exc.code}): {exc.text[:200]}"


async def mark_unreachable(chats: ChatStore, chat: ChatRef, exc: discord.HTTPException) -> str:
    reason = unreachable_reason(exc)
    log.warning("chat %s unreachable, marking inactive: %s", chat, reason)
    await chats.set_active(chat, False, reason)
    return reason


async def send_rendered(
    target: discord.abc.Messageable,
    reply: Reply,
    *,
    reference: discord.Message | None = None,
    sent: list[discord.Message] | None = None,
    nonce: str | None = None,
) -> list[discord.Message]:
    """Send one reply as one or more messages; buttons go on the last one. The first message
    answers `reference` (as a reply) when given. Appends to `sent` as it goes. `nonce`: each
    message gets `nonce.<index>` and discord.py adds `enforce_nonce`, so Discord returns the
    existing message instead of posting it twice (resends of a part in doubt)."""
    sent = [] if sent is None else sent
    messages = render_discord(reply)
    view = build_view(reply.buttons)
    for index, message in enumerate(messages):
        kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if message.content:
            kwargs["content"] = message.content
        if message.embeds:
            kwargs["embeds"] = message.embeds
        if view is not None and index == len(messages) - 1:
            kwargs["view"] = view
        if nonce is not None:
            kwargs["nonce"] = f"{nonce}.{index}"
        if reference is not None and index == 0:
            kwargs["reference"] = reference
            kwargs["mention_author"] = False
        if reply.silent or index > 0:
            # Only a digest's first message notifies: SUPPRESS_NOTIFICATIONS (1 << 12), which
            # discord.py (≥ 2.2) sets for `silent=True` (discord-api-docs PR 5910; discord.py
            # discussion 9286; read 2026-12-01).
            kwargs["silent"] = True
        sent.append(await retry_server_errors(functools.partial(target.send, **kwargs)))
    return sent


async def send_reply_to_channel(
    client: discord.Client,
    chats: ChatStore,
    channel_id: int | str,
    reply: Reply,
    *,
    nonce: str | None = None,
) -> list[str]:
    """For the digest: send `reply` to a channel (or DM channel) id, returning the message ids.

    Raises ChatUnreachable (after marking the chat inactive) on 403 / 404. Rate limits are
    waited out by discord.py itself.
    """
    channel = client.get_partial_messageable(int(channel_id))
    sent: list[discord.Message] = []
    try:
        await send_rendered(channel, reply, sent=sent, nonce=nonce)
    except UNREACHABLE as exc:
        chat = chat_ref(channel_id)
        reason = await mark_unreachable(chats, chat, exc)
        raise ChatUnreachable(reason, chat=chat, sent=[str(m.id) for m in sent]) from exc
    return [str(m.id) for m in sent]
