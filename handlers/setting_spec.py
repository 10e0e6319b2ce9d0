"""The shape of a `/settings` word (its ChatSettings field, parser and display) and the on/off
values every boolean setting shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ON = {"on", "true", "yes", "1", "开", "开启", "打开"}
OFF = {"off", "false", "no", "0", "关", "关闭"}


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ON:
        return True
    if value in OFF:
        return False
    raise ValueError("请填写 on 或 off（开 / 关）")


def show_bool(value: object) -> str:
    return "开" if value else "关"


@dataclass(frozen=True)
class SettingSpec:
    """One user-changeable setting: its command word, ChatSettings field and description."""

    word: str
    field: str
    description: str
    parse: Callable[[str], object] = parse_bool
    show: Callable[[object], str] = show_bool
    label: str = ""
    """How confirmations and the panel name it (推送时间), never the raw word."""
    scope: str = "all"
    """all | group (group chats: not private, not a Telegram channel) | discord-group"""
