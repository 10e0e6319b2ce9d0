"""Telegram channels as digest targets: commands posted in a channel (`channel_post`), and
`/sub @channel cs.CL` from a private chat by an administrator of that channel."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from telegram import Bot, Chat, Message
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.telegram.send import telegram_chat
from bot.telegram.updates import ADMIN_STATUSES
from handlers.command import parse_command
from handlers.registry import COMMANDS
from handlers.types import ChatKind, Reply, Request

log = logging.getLogger(__name__)

# Commands that change or show what a chat receives: these may name a channel.
CHANNEL_COMMANDS = {"sub", "unsub", "subs", "settings", "pause", "resume"}
# `@name` (5-32 characters, Telegram's username rule) or a numeric -100… id.
TARGET = re.compile(r"^(@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{6,})(?:\s+|$)(.*)$", re.DOTALL)


def channel_post_request(post: Message, bot_username: str | None) -> Request | None:
    """A command posted in a channel. Only administrators can post there, so the post speaks
    for the channel; anything that is not one of our commands is ignored."""
    command = parse_command(post.text or "")
    if command is None or command.name not in COMMANDS:
        return None
    if command.target is not None and command.target.lower() != (bot_username or "").lower():
        return None
    chat = post.chat
    return Request(
        chat=telegram_chat(chat.id),
        user_id=str(chat.id),
        text=post.text or "",
        command=command.name,
        args=command.args,
        chat_kind=ChatKind.CHANNEL,
        chat_title=chat.title,
        is_admin=True,
        addressed=True,
    )


def names_channel(request: Request) -> bool:
    """`/sub @channel …` typed in a private chat."""
    return (
        request.chat_kind is ChatKind.PRIVATE
        and request.command in CHANNEL_COMMANDS
        and TARGET.match(request.args.strip()) is not None
    )


async def for_channel(bot: Bot, request: Request) -> Request | str:
    """The request re-aimed at the channel it names, or the Chinese reason it cannot be:
    the channel must exist, the user must administer it, the bot must be able to post there."""
    match = TARGET.match(request.args.strip())
    assert match is not None
    target, rest = match[1], match[2].strip()
    try:
        chat = await bot.get_chat(int(target) if target.startswith("-") else target)
    except TelegramError as exc:
        log.info("getChat %s failed: %s", target, exc)
        return f"找不到频道 {target}：请检查用户名，并先把我加为该频道的管理员。"
    if chat.type != Chat.CHANNEL:
        return f"{target} 不是频道。在群组里请直接在群里发送命令。"
    title = chat.title or target
    if not await _is_admin(bot, chat.id, int(request.user_id)):
        return f"只有频道「{title}」的管理员可以修改它的订阅。"
    if not await _bot_can_post(bot, chat.id):
        return f"请先把我加为频道「{title}」的管理员，并允许我发布消息，然后再试。"
    return replace(
        request,
        chat=telegram_chat(chat.id),
        chat_kind=ChatKind.CHANNEL,
        chat_title=title,
        is_admin=True,
        args=rest,
        text=f"/{request.command} {rest}".strip(),
        addressed=True,
    )


async def _is_admin(bot: Bot, chat_id: int, user_id: int) -> bool:
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramError as exc:
        log.info("getChatMember(%s, user) failed: %s", chat_id, exc)
        return False
    return member.status in ADMIN_STATUSES


async def _bot_can_post(bot: Bot, chat_id: int) -> bool:
    try:
        member = await bot.get_chat_member(chat_id, bot.id)
    except TelegramError as exc:
        log.info("getChatMember(%s, bot) failed: %s", chat_id, exc)
        return False
    if member.status != ChatMemberStatus.ADMINISTRATOR:
        return False
    return getattr(member, "can_post_messages", None) is not False


def labelled(replies: list[Reply], title: str) -> list[Reply]:
    """Answers about a channel, shown in the private chat: say which channel they are about."""
    return [replace(r, text=f"📢 频道「{title}」：{r.text}") if r.text else r for r in replies]
