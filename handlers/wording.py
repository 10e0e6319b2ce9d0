"""Sentences that differ by platform: who may change a group's state, and what to call it."""

from __future__ import annotations

from handlers.types import ChatKind, Request

DISCORD = "discord"
# Discord's rule for changing a server channel's bot state is the Manage Channels permission
# (bot/discord/platform.py can_manage: administrator or manage_channels), not a group role.
_NOT_ADMIN = {
    "telegram": "只有群管理员可以修改本群的{what}。",
    DISCORD: "只有拥有「管理频道」（Manage Channels）权限的成员可以修改本频道的{what}。",
}


def not_admin(request: Request, what: str) -> str:
    template = _NOT_ADMIN.get(request.chat.platform, _NOT_ADMIN["telegram"])
    return template.format(what=what)


def chat_noun(request: Request) -> str:
    """本群 / 本频道 / 这个聊天: how replies name the chat they change."""
    if request.chat_kind is ChatKind.PRIVATE:
        return "这个聊天"
    if request.chat.platform == DISCORD or request.chat_kind is ChatKind.CHANNEL:
        return "本频道"
    return "本群"


def kind_label(request: Request) -> str:
    """The chat as `/settings` names it: `Telegram 私聊`, `Discord 服务器频道`…"""
    if request.chat.platform == DISCORD:
        return "Discord 私信" if request.chat_kind is ChatKind.PRIVATE else "Discord 服务器频道"
    names = {ChatKind.PRIVATE: "私聊", ChatKind.GROUP: "群组", ChatKind.CHANNEL: "频道"}
    return f"Telegram {names[request.chat_kind]}"


def may_change(request: Request) -> bool:
    return request.chat_kind is ChatKind.PRIVATE or request.is_admin
