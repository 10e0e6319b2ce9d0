"""The `/settings` panel: the chat's settings for its kind, inline buttons to change them, and
confirmations in words (with the zone and the next delivery)."""

from __future__ import annotations

from datetime import datetime

from handlers.digest.when import next_digest_line
from handlers.ports import ChatSettings
from handlers.services import Services
from handlers.setting_spec import SettingSpec
from handlers.subscriptions.zones import describe_zone
from handlers.types import Button, ChatKind, Request
from handlers.wording import kind_label
from summarizer.arxiv.calendar import is_announcement_expected

ACTION = "st"
TIME_CHOICES = ("07:00", "08:00", "09:00", "09:30", "10:00", "12:00", "18:00", "21:00")
ZONE_CHOICES = (
    ("北京", "Asia/Shanghai"),
    ("东京", "Asia/Tokyo"),
    ("伦敦", "Europe/London"),
    ("柏林", "Europe/Berlin"),
    ("纽约", "America/New_York"),
    ("洛杉矶", "America/Los_Angeles"),
    ("UTC", "UTC"),
)
MAX_CHOICES = ("3", "5", "10", "15", "20")
MENU_WORDS = {"time": TIME_CHOICES, "max": MAX_CHOICES}


def applies(spec: SettingSpec, request: Request) -> bool:
    """Private chats see no group settings; Telegram chats see no Discord ones."""
    group = request.chat_kind is not ChatKind.PRIVATE
    if spec.scope == "group":
        return group
    if spec.scope == "discord-group":
        return group and request.chat.platform == "discord"
    return True


def shown_value(spec: SettingSpec, settings: ChatSettings, now: datetime) -> str:
    value = getattr(settings, spec.field)
    if spec.field == "timezone":
        return describe_zone(str(value), now)
    if spec.field == "digest_time":
        return f"{value}（{describe_zone(settings.timezone, now)}）"
    return spec.show(value)


def panel_text(
    specs: list[SettingSpec],
    settings: ChatSettings,
    request: Request,
    now: datetime,
    last_day: object = None,
    headline: str | None = None,
) -> str:
    lines = [headline] if headline else []
    lines.append(f"⚙️ 设置（{kind_label(request)}）：")
    lines += [f"• {spec.label}：{shown_value(spec, settings, now)}" for spec in specs]
    lines.append(
        next_digest_line(
            settings,
            now,
            last_day=last_day,  # type: ignore[arg-type]
            expected=is_announcement_expected,
        )
    )
    lines.append("点下面的按钮修改；也可以直接发送，例如 /settings time 08:00、/settings tz UTC+8")
    return "\n".join(lines)


def _toggle(spec: SettingSpec, settings: ChatSettings) -> Button | None:
    value = getattr(settings, spec.field)
    if isinstance(value, bool):
        target = "off" if value else "on"
        verb = "关闭" if value else "开启"
        return Button(f"{verb}{spec.label}", action=f"{ACTION}:{spec.word}:{target}")
    if spec.field == "digest_style":
        target = "compact" if value == "cards" else "cards"
        label = "改为精简（一条消息）" if target == "compact" else "改为卡片（每篇一条）"
        return Button(label, action=f"{ACTION}:style:{target}")
    if spec.field == "digest_mode":
        target = "condensed" if value == "full" else "full"
        label = "卡片改为完整总结" if target == "full" else "卡片改为精简摘要"
        return Button(label, action=f"{ACTION}:mode:{target}")
    return None


def panel_buttons(specs: list[SettingSpec], settings: ChatSettings) -> tuple[Button, ...]:
    words = {s.word for s in specs}
    buttons = [
        Button(f"{label}…", action=f"{ACTION}:menu:{word}")
        for word, label in (("time", "推送时间"), ("tz", "时区"), ("max", "篇数"), ("lang", "语言"))
        if word in words
    ]
    for spec in specs:
        toggle = _toggle(spec, settings)
        if toggle is not None:
            buttons.append(toggle)
    return tuple(buttons)


def menu_buttons(word: str) -> tuple[Button, ...]:
    if word == "tz":
        choices = [Button(name, action=f"{ACTION}:tz:{zone}") for name, zone in ZONE_CHOICES]
    else:
        choices = [Button(v, action=f"{ACTION}:{word}:{v}") for v in MENU_WORDS.get(word, ())]
    return (*choices, Button("↩️ 返回", action=f"{ACTION}:show"))


MENU_PROMPT = {
    "time": "选择每日速递的推送时间（{zone}）；其他时间请发送 /settings time 08:15",
    "tz": "选择时区；其他时区请发送 /settings tz 加城市名、UTC+8 或 IANA 名称（如 Asia/Singapore）",
    "max": "选择每期速递最多展示的论文篇数；其他数量请发送 /settings max 12",
}


def menu_text(word: str, settings: ChatSettings, now: datetime) -> str:
    return MENU_PROMPT[word].format(zone=describe_zone(settings.timezone, now))


def visible(all_specs: list[SettingSpec], request: Request) -> list[SettingSpec]:
    return [s for s in all_specs if applies(s, request)]


__all__ = ["Services", "menu_buttons", "menu_text", "panel_buttons", "panel_text", "visible"]
