"""The Telegram platform: PTB Application lifecycle (polling or webhook), update handlers,
command registration and the single error handler."""

from __future__ import annotations

import contextlib
import logging
import secrets
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, CallbackQuery, Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import Forbidden, InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.config import ConfigError, Settings
from bot.ops.logging_setup import RedactingFilter
from bot.ops.network import ConnectionWatch
from bot.render.telegram_html import TelegramText, esc
from bot.telegram.answer import answer
from bot.telegram.channels import for_channel, names_channel
from bot.telegram.reach import REACH_UPDATES, add_reach_handlers
from bot.telegram.reconnect import WatchedRequest, polling_error
from bot.telegram.send import (
    Delivery,
    PaperbotRateLimiter,
    TelegramDeliveryError,
    telegram_chat,
)
from bot.telegram.updates import AdminCache, chat_kind, message_request
from handlers.ondemand.paper import wants_answer
from handlers.registry import COMMANDS, dispatch, needs_admin
from handlers.services import Services
from handlers.types import ChatKind, ChatUnreachable, Reply, Request

log = logging.getLogger(__name__)

APOLOGY = "抱歉，处理时出了点问题，请稍后再试。"
APOLOGY_TEXT = TelegramText(esc(APOLOGY), APOLOGY)
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER, *REACH_UPDATES]
GONE = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}
# A reply survives a storm of this many consecutive 429s (each waited out for retry_after)...
RETRY_AFTER_RETRIES = 6
# ...and this many 5xx / timeouts / dropped connections in a row (0.5 s, 1 s, 2 s apart).
TRANSIENT_RETRIES = 3
# PTB logs its base URL (which contains the token) and every request's parameters (message
# texts) at DEBUG, httpx every URL at INFO: keep both out of the logs whatever the level.
QUIET_LOGGERS = ("telegram.Bot", "telegram.ext.ExtBot", "httpx", "httpcore")
# Loggers whose records may quote the token (PTB's InvalidToken, errors we log): redacted at
# the source, so no handler configuration can leak it.
REDACTED_LOGGERS = (
    __name__, "bot.telegram.send", "bot.telegram.updates", "telegram.ext",
    "telegram.ext.Application", "telegram.ext.Updater", "telegram.ext.AIORateLimiter",
    "telegram.ext.ExtBot",
)  # fmt: skip
_protected: set[str] = set()


def protect_token_in_logs(token: str) -> None:
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    if token not in _protected:
        _protected.add(token)
        for name in REDACTED_LOGGERS:
            logging.getLogger(name).addFilter(RedactingFilter([token]))


class TelegramPlatform:
    """One bot account: `start()` returns once updates are flowing; `stop()` undoes it."""

    name = "telegram"

    def __init__(
        self, settings: Settings, services: Services, *, poll_timeout: int = 30,
        webhook_listen: str = "0.0.0.0",  # in a container, behind a proxy
        rate_limiter: Any = "default", read_timeout: float = 5.0,
    ) -> None:  # fmt: skip
        if settings.telegram_bot_token is None:
            raise ConfigError("没有设置 TELEGRAM_BOT_TOKEN（向 @BotFather 申请）")
        self.settings = settings
        self.services = services
        self.poll_timeout = poll_timeout
        self.webhook_listen = webhook_listen
        self.webhook_secret: str | None = None
        self.admins = AdminCache()
        protect_token_in_logs(settings.telegram_bot_token.get_secret_value())
        api = settings.telegram_api_url
        limiter: Any = (
            PaperbotRateLimiter(max_retries=RETRY_AFTER_RETRIES)
            if rate_limiter == "default"
            else rate_limiter
        )
        self.watch = ConnectionWatch(self.name)  # `run` after start: drops and recoveries
        self.requests = (
            HTTPXRequest(connection_pool_size=256, read_timeout=read_timeout),
            WatchedRequest(self.watch),
        )
        builder = (
            ApplicationBuilder()
            .token(settings.telegram_bot_token.get_secret_value())
            .base_url(f"{api}/bot")
            .base_file_url(f"{api}/file/bot")
            .concurrent_updates(True)
            .job_queue(None)
            .request(self.requests[0])
            .get_updates_request(self.requests[1])
        )
        if limiter is not None:
            builder = builder.rate_limiter(limiter)
        self.app: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        text = filters.UpdateType.MESSAGE & (filters.TEXT | filters.CAPTION)
        self.app.add_handler(MessageHandler(text, self.on_message))
        add_reach_handlers(self)
        self.app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self.on_migrate))
        self.app.add_handler(CallbackQueryHandler(self.on_callback))
        self.app.add_handler(ChatMemberHandler(self.on_my_chat_member))
        self.app.add_error_handler(self.on_error)

    # lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        try:
            await self.app.initialize()
        except InvalidToken:
            await self._close_requests()
            # PTB's message quotes the token: replace it
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN 被 Telegram 拒绝：请在 @BotFather 中重新复制令牌"
            ) from None
        except BaseException:
            await self._close_requests()
            raise
        try:
            await self._start_updates()
        except BaseException:
            await self.stop()
            raise

    async def _close_requests(self) -> None:
        """A failed initialize() leaves PTB's HTTP clients open (shutdown() skips them)."""
        for request in self.requests:
            with contextlib.suppress(Exception):
                await request.shutdown()

    async def _start_updates(self) -> None:
        await self.register_commands()
        await self.app.start()
        updater = self.app.updater
        assert updater is not None
        if self.settings.telegram_webhook_url:
            url = self.settings.telegram_webhook_url
            given = self.settings.telegram_webhook_secret
            self.webhook_secret = given.get_secret_value() if given else secrets.token_urlsafe(32)
            await updater.start_webhook(
                listen=self.webhook_listen,
                port=self.settings.telegram_webhook_port,
                url_path=urlsplit(url).path.lstrip("/"),
                webhook_url=url,
                secret_token=self.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info("telegram: webhook listening on port %s", self.settings.telegram_webhook_port)
        else:
            await updater.start_polling(
                poll_interval=0.0, timeout=self.poll_timeout, allowed_updates=ALLOWED_UPDATES,
                error_callback=polling_error,
            )  # fmt: skip
            log.info("telegram: long polling as @%s", self.app.bot.username)

    async def stop(self) -> None:
        updater = self.app.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()

    async def register_commands(self) -> None:
        commands = [BotCommand(c.name, c.description[:256]) for c in COMMANDS.values()]
        await self.app.bot.set_my_commands(commands)

    # updates ---------------------------------------------------------------------------
    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is None:
            return
        request = message_request(message, self.app.bot.bot)
        # Decided before showing "typing" in a busy group.
        if request is None or not await wants_answer(request, self.services):
            return
        if needs_admin(request):
            request = replace(request, is_admin=await self.admins.check(context.bot, message))
        group = request.chat_kind is ChatKind.GROUP
        delivery = Delivery(
            context.bot,
            message.chat_id,
            self.services.chats,
            reply_to=message.message_id if group else None,
            thread_id=message.message_thread_id if message.is_topic_message else None,
            transient_retries=TRANSIENT_RETRIES,
        )
        channel = None
        if names_channel(request):  # `/sub @channel cs.CL` from a private chat
            aimed = await for_channel(context.bot, request)
            if isinstance(aimed, str):
                with contextlib.suppress(ChatUnreachable):
                    await delivery.deliver(Reply(text=aimed))
                return
            request, channel = aimed, aimed.chat_title
        private = request.chat_kind is ChatKind.PRIVATE
        draft = message.message_id if private else None  # drafts exist in private chats only
        await answer(self.services, request, delivery, draft_id=draft, channel=channel)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        answered = False

        async def answer(text: str | None = None) -> None:
            nonlocal answered
            if not answered:
                answered = True
                with contextlib.suppress(TelegramError):
                    await query.answer(text=text)

        try:
            await self.handle_callback(query, context, answer)
        except ChatUnreachable:
            pass
        finally:
            await answer()

    async def handle_callback(
        self, query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, answer: Any
    ) -> None:
        message = query.message
        if message is None or not query.data:
            return
        chat = message.chat
        kind = chat_kind(chat)
        request = Request(
            chat=telegram_chat(chat.id),
            user_id=str(query.from_user.id),
            action=query.data,
            chat_kind=kind,
            chat_title=chat.title if kind is ChatKind.GROUP else None,
            progress=answer,  # slow work: answer at once with the status as a toast
        )
        if needs_admin(request):  # a button that changes the group (its language, /forget)
            is_admin = await self.admins.check_user(context.bot, chat.id, query.from_user.id)
            request = replace(request, is_admin=is_admin)
        replies = await dispatch(request, self.services)
        toast = next((r.toast for r in replies if r.toast), None)
        await answer(toast)
        editable = isinstance(message, Message)
        # A new message answers the one whose button was pressed (a digest's number opens
        # that paper's card as a reply to the digest).
        delivery = Delivery(
            context.bot, chat.id, self.services.chats, transient_retries=TRANSIENT_RETRIES,
            reply_to=message.message_id if editable else None,
        )  # fmt: skip
        for reply in replies:
            edit_id = message.message_id if reply.edit and editable else None
            await delivery.deliver(reply, edit_message_id=edit_id)

    async def on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is not None and message.migrate_to_chat_id:
            old, new = telegram_chat(message.chat_id), telegram_chat(message.migrate_to_chat_id)
            await self.services.chats.migrate_chat(old, new)

    async def on_my_chat_member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        change = update.my_chat_member
        if change is None:
            return
        chat = change.chat
        ref = telegram_chat(chat.id)
        status = change.new_chat_member.status
        if status in GONE:
            await self.services.chats.set_active(ref, False, f"bot {status}")
        else:
            kind = chat_kind(chat)
            title = chat.title if kind is not ChatKind.PRIVATE else None
            await self.services.chats.upsert_chat(ref, kind, title)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        if isinstance(error, ChatUnreachable | Forbidden):
            return
        log.error("telegram update failed: %r", error, exc_info=error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        with contextlib.suppress(TelegramError, TelegramDeliveryError):
            await Delivery(context.bot, update.effective_chat.id).send(APOLOGY_TEXT)
