"""Showing a summary while it is written: a draft (sendMessageDraft) in private chats, edits
of the status message elsewhere; every field shown has passed the checks.

sendMessageDraft: Bot API 9.x/10.0, "stream a partial message to a user while the message is
being generated", private chats, an ephemeral ~30 s preview that the final sendMessage replaces;
python-telegram-bot 22.6 added Bot.send_message_draft, 22.7 opened it to all bots, 22.8 made
`text` optional (installed PTB 22.8 docstrings and core.telegram.org/bots/api#sendmessagedraft,
both checked 2026-12-01)."""

from __future__ import annotations

import asyncio
import logging
import time

from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.render.preview import preview_html, preview_text
from bot.render.telegram_html import TelegramText
from bot.telegram.send import Delivery, StatusMessage, TelegramDeliveryError
from summarizer.streaming import Preview

log = logging.getLogger(__name__)

# At most one preview update a second per chat: Telegram allows about one message a second
# in a chat, and the final message must not queue behind previews.
PREVIEW_EVERY = 1.0


class PreviewSink:
    """The request's `preview`: the first checked field is shown at once, later ones at most
    every `every` seconds. `drafted` tells the platform the final answer must be sent as a new
    message (a draft is replaced by sendMessage, not by an edit)."""

    def __init__(
        self,
        delivery: Delivery,
        status: StatusMessage,
        *,
        draft_id: int | None,
        every: float = PREVIEW_EVERY,
    ) -> None:
        self.delivery = delivery
        self.status = status
        self.draft_id = draft_id  # None: no drafts here (groups, channels)
        self.every = every
        self.drafted = False
        self.shown = 0
        self._last = -float("inf")
        self._lock = asyncio.Lock()

    async def __call__(self, preview: Preview) -> None:
        async with self._lock:
            now = time.monotonic()
            if now - self._last < self.every:
                return
            self._last = now
            text = TelegramText(preview_html(preview), preview_text(preview, 4096))
            if self.draft_id is not None and await self._draft(text):
                self.shown += 1
                return
            if await self._edit_status(text):
                self.shown += 1

    async def _draft(self, text: TelegramText) -> bool:
        assert self.draft_id is not None
        try:
            await self.delivery.bot.send_message_draft(
                self.delivery.chat_id, self.draft_id, text=text.html,
                parse_mode=ParseMode.HTML, message_thread_id=self.delivery.thread_id,
            )  # fmt: skip
        except TelegramError as exc:  # e.g. a Bot API server without drafts: edit instead
            chat = self.delivery.chat_id
            log.info("draft not shown in %s (%s): editing the status instead", chat, exc)
            self.draft_id = None
            return False
        self.drafted = True
        return True

    async def _edit_status(self, text: TelegramText) -> bool:
        status = self.status
        async with status._lock:  # one writer of the status message at a time
            try:
                if status.message_id is None:
                    status.message_id = (await self.delivery.send(text)).message_id
                elif not await self.delivery.edit(status.message_id, text):
                    return False
            except TelegramDeliveryError as exc:
                log.info("preview not shown: %s", exc)
                return False
            status.text = text.plain
            return True
