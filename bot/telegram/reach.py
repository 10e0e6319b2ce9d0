"""Reaching chats beyond private chats and groups: channel posts, inline queries, chosen inline
results and Bot API 10.0 guest messages, registered on the platform's Application."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import (
    ChosenInlineResultHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.telegram.answer import answer
from bot.telegram.channels import channel_post_request
from bot.telegram.inline import InlineAnswers
from bot.telegram.send import Delivery

if TYPE_CHECKING:
    from bot.telegram.platform import TelegramPlatform

# Updates the bot asks for beyond messages, buttons and membership changes.
REACH_UPDATES = [
    Update.CHANNEL_POST,
    Update.INLINE_QUERY,
    Update.CHOSEN_INLINE_RESULT,
    Update.GUEST_MESSAGE,
]


def add_reach_handlers(platform: TelegramPlatform) -> None:
    inline = InlineAnswers(platform.services)

    async def on_channel_post(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        post = update.channel_post
        if post is None:
            return
        request = channel_post_request(post, context.bot.username)
        if request is None:
            return
        delivery = Delivery(
            context.bot, post.chat_id, platform.services.chats, reply_to=post.message_id
        )
        await answer(platform.services, request, delivery, show_typing=False)

    app = platform.app
    app.add_handler(MessageHandler(filters.UpdateType.CHANNEL_POST & filters.TEXT, on_channel_post))
    app.add_handler(MessageHandler(filters.UpdateType.GUEST_MESSAGE, inline.on_guest_message))
    app.add_handler(InlineQueryHandler(inline.on_inline_query))
    app.add_handler(ChosenInlineResultHandler(inline.on_chosen_result))
