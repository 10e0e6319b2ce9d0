"""Answering one Discord interaction: defer when slow (within 3 s), then send, follow up or edit."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import discord

from bot.discord.send import NO_MENTIONS, retry_server_errors
from bot.discord.views import build_view
from bot.render.discord_embed import DiscordMessage, render_discord
from bot.render.preview import preview_text
from handlers.types import Reply
from summarizer.streaming import Preview

log = logging.getLogger(__name__)

GENERIC_ERROR = "抱歉，处理时出了点问题，请稍后再试。"
NOTHING_TO_SAY = "这条消息里没有需要处理的内容。"
# Discord drops an interaction not answered within 3 s; defer well before that.
DEFER_AFTER = 2.0
# Streamed previews edit the deferred reply at most this often (the webhook route's bucket is
# 5 edits / 5 s in practice); the final answer always follows.
PREVIEW_EVERY = 1.0


class InteractionResponder:
    """Owns the single response of an interaction. Defers on the handler's first progress
    report or after `defer_after` seconds, whichever comes first; a quick (cached) answer is
    sent directly as the response. Component presses defer as "update message" (type 6)."""

    def __init__(
        self,
        interaction: discord.Interaction[Any],
        *,
        component: bool = False,
        defer_after: float = DEFER_AFTER,
    ) -> None:
        self.interaction = interaction
        self.component = component
        self.defer_after = defer_after
        self._lock = asyncio.Lock()
        self._timer: asyncio.Task[None] | None = None
        self._sent = 0
        self._previewed = False
        self._last_preview = -float("inf")

    async def __aenter__(self) -> InteractionResponder:
        self._timer = asyncio.create_task(self._defer_later())
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._stop_timer()

    async def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._timer
            self._timer = None

    async def _defer_later(self) -> None:
        await asyncio.sleep(self.defer_after)
        try:
            # Shielded: cancelling a defer in flight would leave discord.py unsure whether
            # the interaction was acknowledged. The lock orders it before the answer.
            await asyncio.shield(self.defer())
        except discord.HTTPException:
            log.warning("could not defer interaction %s", self.interaction.id, exc_info=True)

    async def progress(self, _status: str) -> None:
        """The handler's progress callback: slow work has started, so defer now."""
        await self.defer()

    async def preview(self, preview: Preview) -> None:
        """A summary being written (each field already checked): edit the deferred reply to
        show it; the final answer replaces it (`_deliver_one`)."""
        now = time.monotonic()
        if now - self._last_preview < PREVIEW_EVERY or self.component:
            return
        self._last_preview = now
        await self.defer()
        async with self._lock:
            if self._sent or not self.interaction.response.is_done():
                return
            try:
                await self.interaction.edit_original_response(
                    content=preview_text(preview), allowed_mentions=NO_MENTIONS
                )
            except discord.HTTPException as exc:
                log.info("preview of interaction %s not shown: %s", self.interaction.id, exc)
                return
            self._previewed = True

    async def defer(self) -> None:
        async with self._lock:
            response = self.interaction.response
            if response.is_done():
                return
            if self.component:
                await response.defer()
            else:
                await response.defer(thinking=True)

    async def deliver(self, replies: list[Reply]) -> None:
        await self._stop_timer()
        async with self._lock:
            for reply in replies:
                await self._deliver_one(reply)
            if self._sent == 0 and not self.interaction.response.is_done():
                await self._send(DiscordMessage(content=NOTHING_TO_SAY), None, ephemeral=True)

    async def _deliver_one(self, reply: Reply) -> None:
        if reply.toast:
            await self._send(DiscordMessage(content=reply.toast), None, ephemeral=True)
        messages = render_discord(reply)
        if not messages:
            return
        view = build_view(reply.buttons)
        if self._previewed:  # the preview becomes the answer
            self._previewed = False
            await self._edit(messages[0], view if len(messages) == 1 else None)
            messages = messages[1:]
        elif reply.edit and self.component:
            await self._edit(messages[0], view if len(messages) == 1 else None)
            messages = messages[1:]
        for index, message in enumerate(messages):
            last = index == len(messages) - 1
            await self._send(message, view if last else None, ephemeral=reply.ephemeral)

    async def _send(
        self, message: DiscordMessage, view: discord.ui.View | None, *, ephemeral: bool
    ) -> None:
        kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS, "ephemeral": ephemeral}
        if message.content:
            kwargs["content"] = message.content
        if message.embeds:
            kwargs["embeds"] = message.embeds
        if view is not None:
            kwargs["view"] = view
        if self.interaction.response.is_done():
            await retry_server_errors(lambda: self.interaction.followup.send(**kwargs))
        else:
            await retry_server_errors(lambda: self.interaction.response.send_message(**kwargs))
        self._sent += 1

    async def _edit(self, message: DiscordMessage, view: discord.ui.View | None) -> None:
        kwargs: dict[str, Any] = {
            "content": message.content,
            "embeds": message.embeds,
            "view": view,
            "allowed_mentions": NO_MENTIONS,
        }
        if self.interaction.response.is_done():
            await self.interaction.edit_original_response(**kwargs)
        else:
            await self.interaction.response.edit_message(**kwargs)
        self._sent += 1


async def answer_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """The one error handler for interactions: log, then a short ephemeral Chinese apology."""
    log.error("interaction %s failed", interaction.id, exc_info=error)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(
                GENERIC_ERROR, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
        else:
            await interaction.response.send_message(
                GENERIC_ERROR, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
    except discord.HTTPException:
        log.warning("could not send the error message for %s", interaction.id, exc_info=True)
