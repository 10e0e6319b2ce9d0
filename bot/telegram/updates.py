"""Telegram updates to neutral Requests: chat kinds, `/cmd@Bot args`, mentions and replies."""

from __future__ import annotations

import logging
import re
import time

from telegram import Bot, Chat, Message, MessageEntity, User
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.telegram.send import telegram_chat
from handlers.command import parse_command
from handlers.registry import COMMANDS
from handlers.types import ChatKind, RepliedMessage, Request

log = logging.getLogger(__name__)
ADMIN_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}


def chat_kind(chat: Chat) -> ChatKind:
    if chat.type == Chat.PRIVATE:
        return ChatKind.PRIVATE
    if chat.type == Chat.CHANNEL:
        return ChatKind.CHANNEL
    return ChatKind.GROUP


def mentions_bot(message: Message, bot: User) -> bool:
    username = (bot.username or "").lower()
    entities = message.parse_entities() or message.parse_caption_entities()
    for entity, value in entities.items():
        if entity.type == MessageEntity.MENTION and value[1:].lower() == username:
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id:
            return True
    text = message.text or message.caption or ""
    return bool(username) and re.search(rf"@{re.escape(username)}\b", text, re.I) is not None


def replied_to_bot(message: Message, bot: User) -> bool:
    original = message.reply_to_message
    if original is None or original.from_user is None:
        return False
    # in forum topics every message "replies" to the topic's first message
    return original.from_user.id == bot.id and not original.forum_topic_created


def replied_message(message: Message, bot: User) -> RepliedMessage | None:
    """The message this one replies to, with its buttons' callback data: a reply to one of
    our summaries or answers names its paper that way (Bot API: Message.reply_markup)."""
    original = message.reply_to_message
    if original is None or original.forum_topic_created:
        return None
    markup = original.reply_markup
    actions = tuple(
        button.callback_data
        for row in (markup.inline_keyboard if markup is not None else ())
        for button in row
        if isinstance(button.callback_data, str)
    )
    from_bot = original.from_user is not None and original.from_user.id == bot.id
    text = original.text or original.caption or ""
    return RepliedMessage(str(original.message_id), from_bot, text, actions)


def message_request(message: Message, bot: User) -> Request | None:
    """The neutral request for a message, or None when it is not for us (another bot's
    command, an empty message, a channel post)."""
    text = message.text or message.caption or ""
    chat = message.chat
    kind = chat_kind(chat)
    if not text or kind is ChatKind.CHANNEL:
        return None
    command = parse_command(text)
    addressed = False
    if command is not None:
        if command.target is not None:
            if command.target.lower() != (bot.username or "").lower():
                return None
            addressed = True
        elif kind is ChatKind.GROUP and command.name not in COMMANDS:
            return None  # probably another bot's command: stay quiet
    addressed = addressed or mentions_bot(message, bot) or replied_to_bot(message, bot)
    user = message.from_user
    return Request(
        chat=telegram_chat(chat.id),
        user_id=str(user.id if user else chat.id),
        text=text,
        command=command.name if command else None,
        args=command.args if command else "",
        chat_kind=kind,
        chat_title=chat.title if kind is ChatKind.GROUP else None,
        addressed=addressed,
        reply_to=replied_message(message, bot),
    )


class AdminCache:
    """getChatMember answers for `ttl` seconds, so a burst of /settings costs one call."""

    def __init__(self, ttl: float = 60.0, max_entries: int = 2048) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[tuple[int, int], tuple[float, bool]] = {}

    def get(self, chat_id: int, user_id: int) -> bool | None:
        entry = self._entries.get((chat_id, user_id))
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, chat_id: int, user_id: int, is_admin: bool) -> None:
        now = time.monotonic()
        if len(self._entries) >= self.max_entries:
            self._entries = {k: v for k, v in self._entries.items() if v[0] >= now}
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
        self._entries[(chat_id, user_id)] = (now + self.ttl, is_admin)

    async def check(self, bot: Bot, message: Message) -> bool:
        """Is the sender an owner/administrator of the message's group? Fails closed."""
        chat_id = message.chat_id
        if message.sender_chat is not None and message.sender_chat.id == chat_id:
            return True  # an anonymous administrator posting as the group
        user = message.from_user
        if user is None:
            return False
        return await self.check_user(bot, chat_id, user.id)

    async def check_user(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        """Is `user_id` an owner/administrator of the group (e.g. who pressed a button)?"""
        cached = self.get(chat_id, user_id)
        if cached is not None:
            return cached
        try:
            member = await bot.get_chat_member(chat_id, user_id)
        except TelegramError as exc:
            log.warning("getChatMember failed in %s: %s", chat_id, exc)
            return False
        is_admin = member.status in ADMIN_STATUSES
        self.put(chat_id, user_id, is_admin)
        return is_admin
