"""Sending to Telegram: rendered replies, edits, status messages, and what each error means
(403 deactivates the chat, a migrated group is followed, a rejected format resends plain)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import AIORateLimiter

from bot.render.telegram_html import TelegramText, esc, inline_keyboard, render_telegram
from handlers.ports import ChatStore
from handlers.types import ChatRef, ChatUnreachable, Reply

log = logging.getLogger(__name__)

PLATFORM = "telegram"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Calls that are not messages: Telegram's per-chat message limits do not apply to them, so
# the limiter must not queue a "typing" or a callback answer behind a group's 20 msg/min.
UNTHROTTLED = {"sendChatAction", "answerCallbackQuery", "getChatMember", "setMyCommands"}


def telegram_chat(chat_id: int | str) -> ChatRef:
    return ChatRef(PLATFORM, str(chat_id))


class TelegramDeliveryError(Exception):
    """A reply could not be delivered. `permanent`: retrying the same call will not help.
    `sent_ids`: the messages of this reply that did get through, in order."""

    def __init__(
        self, chat_id: int, reason: str, *, permanent: bool, sent_ids: tuple[int, ...] = (),
        in_doubt: bool = False,
    ) -> None:  # fmt: skip
        super().__init__(f"telegram chat {chat_id}: {reason}")
        self.chat_id = chat_id
        self.reason = reason
        self.permanent = permanent
        self.sent_ids = sent_ids
        self.in_doubt = in_doubt
        """The request may have been carried out (timed out or cut after it was written)."""


class PaperbotRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (waits `retry_after` on a 429 and resends, up to `max_retries`),
    with non-message calls kept out of the per-chat queues."""

    async def process_request(
        self, callback: Any, args: Any, kwargs: Any, endpoint: str, data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:  # fmt: skip
        if endpoint in UNTHROTTLED:
            data = {k: v for k, v in data.items() if k != "chat_id"}
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


def is_parse_error(exc: BadRequest) -> bool:
    text = exc.message.lower()
    return "parse entities" in text or "can't find end" in text or "unsupported start tag" in text


class Delivery:
    """Messages to one chat (or one forum topic). Follows a group's migration to a
    supergroup; the first message sent replies to `reply_to`, when set. `transient_retries`:
    how often a call failing with a 5xx, a timeout or a dropped connection is repeated
    (with `retry_delay`, doubling) before it fails; the digest keeps 0 and its own ledger."""

    def __init__(
        self, bot: Bot, chat_id: int, chats: ChatStore | None = None, *,
        reply_to: int | None = None, thread_id: int | None = None,
        transient_retries: int = 0, retry_delay: float = 0.5,
    ) -> None:  # fmt: skip
        self.bot = bot
        self.chat_id = chat_id
        self.chats = chats
        self.reply_to = reply_to
        self.thread_id = thread_id
        self.transient_retries = transient_retries
        self.retry_delay = retry_delay
        self._sent: list[int] = []

    async def deliver(self, reply: Reply, *, edit_message_id: int | None = None) -> list[int]:
        """Send (or, for the first message, edit `edit_message_id` into) the rendered reply;
        the keyboard goes on the last message. Returns the message ids."""
        messages = render_telegram(reply)
        markup = inline_keyboard(reply.buttons)
        ids: list[int] = []
        try:
            for index, text in enumerate(messages):
                keyboard = markup if index == len(messages) - 1 else None
                first_edit = edit_message_id if index == 0 else None
                if first_edit is not None and await self.edit(first_edit, text, keyboard):
                    ids.append(first_edit)
                    continue
                # Only a digest's first message notifies (`disable_notification`: "Sends the
                # message silently. Users will receive a notification with no sound."; Bot API
                # sendMessage, core.telegram.org/bots/api#sendmessage, read 2026-12-01).
                quiet = reply.silent or index > 0
                ids.append((await self.send(text, keyboard, silent=quiet)).message_id)
        except TelegramDeliveryError as exc:
            exc.sent_ids = tuple(ids)
            raise
        except ChatUnreachable as exc:
            exc.sent = [str(i) for i in ids]
            raise
        return ids

    async def send(
        self,
        text: TelegramText,
        markup: InlineKeyboardMarkup | None = None,
        *,
        silent: bool = False,
    ) -> Message:
        try:
            try:
                message: Message = await self._call(self._send_html, text.html, markup, silent)
            except BadRequest as exc:
                if not is_parse_error(exc):
                    raise
                log.warning("telegram rejected our HTML (%s); resending as plain", exc.message)
                message = await self._call(self._send_plain, text.plain, markup, silent)
        except BadRequest as exc:
            raise self._failure(exc, permanent=True) from exc
        self._sent.append(message.message_id)
        return message

    async def edit(
        self, message_id: int, text: TelegramText, markup: InlineKeyboardMarkup | None = None
    ) -> bool:
        """Replace a message's text and keyboard. False when it can no longer be edited
        (deleted, too old): the caller sends a new message instead."""
        try:
            try:
                await self._call(self._edit, message_id, text.html, markup, ParseMode.HTML)
            except BadRequest as exc:
                if not is_parse_error(exc):
                    raise
                log.warning("telegram rejected our HTML (%s); editing as plain", exc.message)
                await self._call(self._edit, message_id, text.plain, markup, None)
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return True
            log.info("cannot edit message %s: %s", message_id, exc.message)
            return False
        return True

    async def delete(self, message_id: int) -> None:
        try:
            await self._call(self.bot.delete_message, self.chat_id, message_id)
        except (TelegramError, TelegramDeliveryError, ChatUnreachable) as exc:
            log.info("cannot delete message %s: %s", message_id, exc)

    def _reply_parameters(self) -> ReplyParameters | None:
        if self.reply_to is None or self._sent:
            return None
        return ReplyParameters(self.reply_to, allow_sending_without_reply=True)

    async def _send_html(self, html: str, markup: Any, silent: bool = False) -> Message:
        message: Message = await self.bot.send_message(
            self.chat_id, html, parse_mode=ParseMode.HTML, reply_markup=markup,
            reply_parameters=self._reply_parameters(), message_thread_id=self.thread_id,
            link_preview_options=NO_PREVIEW, disable_notification=silent or None,
        )  # fmt: skip
        return message

    async def _send_plain(self, plain: str, markup: Any, silent: bool = False) -> Message:
        return await self.bot.send_message(
            self.chat_id, plain, reply_markup=markup, reply_parameters=self._reply_parameters(),
            message_thread_id=self.thread_id, link_preview_options=NO_PREVIEW,
            disable_notification=silent or None,
        )  # fmt: skip

    async def _edit(self, message_id: int, text: str, markup: Any, mode: str | None) -> Any:
        return await self.bot.edit_message_text(
            text, self.chat_id, message_id, parse_mode=mode, reply_markup=markup,
            link_preview_options=NO_PREVIEW,
        )  # fmt: skip

    async def _call(self, fn: Any, *args: Any) -> Any:
        """One API call to this chat. BadRequest is left to the caller; 403, migration,
        exhausted 429 retries and network errors are handled or turned into typed errors."""
        migrations = transient = 0
        while True:
            try:
                return await fn(*args)
            except ChatMigrated as exc:
                await self._migrate(int(exc.new_chat_id))
                migrations += 1
                if migrations >= 2:
                    raise TelegramDeliveryError(
                        self.chat_id, "migrated twice", permanent=True
                    ) from None
            except Forbidden as exc:
                await self._deactivate(exc.message)
                raise ChatUnreachable(exc.message, chat=telegram_chat(self.chat_id)) from exc
            except BadRequest:
                raise
            except RetryAfter as exc:
                raise self._failure(exc, permanent=False) from exc
            except NetworkError as exc:  # 5xx, TimedOut, a dropped connection
                if transient >= self.transient_retries:
                    failure = self._failure(exc, permanent=False)
                    failure.in_doubt = not never_arrived(exc)
                    raise failure from exc
                delay = self.retry_delay * 2**transient
                transient += 1
                log.info("telegram chat %s: %s; retrying in %.1f s", self.chat_id, exc, delay)
                await asyncio.sleep(delay)
            except TelegramError as exc:  # Conflict, InvalidToken...
                raise self._failure(exc, permanent=False) from exc

    def _failure(self, exc: TelegramError, *, permanent: bool) -> TelegramDeliveryError:
        return TelegramDeliveryError(self.chat_id, exc.message, permanent=permanent)

    async def _migrate(self, new_chat_id: int) -> None:
        log.info("telegram group %s became supergroup %s", self.chat_id, new_chat_id)
        if self.chats is not None:
            await self.chats.migrate_chat(telegram_chat(self.chat_id), telegram_chat(new_chat_id))
        self.chat_id = new_chat_id
        self.reply_to = None  # the message replied to stayed in the old chat

    async def _deactivate(self, reason: str) -> None:
        log.info("telegram chat %s unreachable (%s): marked inactive", self.chat_id, reason)
        if self.chats is not None:
            await self.chats.set_active(telegram_chat(self.chat_id), False, reason)


def never_arrived(exc: NetworkError) -> bool:
    """True when the request certainly did not reach Telegram: the connection was never made
    (PTB raises NetworkError/TimedOut `from` the httpx error). A read timeout, a connection
    cut after the request was written or a 5xx may hide a message Telegram did send."""
    cause = exc.__cause__
    return isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


class StatusMessage:
    """The progress callback of one request: posts `⏳ …` on the first call and edits it on
    later ones; `message_id` is then the message the first reply is edited into."""

    def __init__(self, delivery: Delivery) -> None:
        self.delivery = delivery
        self.message_id: int | None = None
        self.text: str | None = None
        self._lock = asyncio.Lock()

    async def __call__(self, text: str) -> None:
        async with self._lock:
            if text == self.text:
                return
            self.text = text
            rendered = TelegramText(esc(text), text)
            try:
                if self.message_id is None:
                    self.message_id = (await self.delivery.send(rendered)).message_id
                elif not await self.delivery.edit(self.message_id, rendered):
                    self.message_id = None
            except (
                TelegramDeliveryError,
                ChatUnreachable,
            ) as exc:  # progress is a courtesy: never fail on it
                log.info("status message not shown: %s", exc)


async def send_reply(
    bot: Bot, chat_id: int | str, reply: Reply, *, chats: ChatStore | None = None
) -> list[int]:
    """Push one reply (e.g. a digest) to a chat: HTML with plain-text fallback, 429 waited out
    by the bot's rate limiter, 403 marks the chat inactive (when `chats` is given) and raises
    ChatUnreachable, a migrated group is followed (and moved in `chats`). Returns message ids;
    raises TelegramDeliveryError (`permanent`, `sent_ids`) when it cannot deliver."""
    return await Delivery(bot, int(chat_id), chats).deliver(reply)
