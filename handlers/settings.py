"""`/settings`: show a chat's settings, or change one (`/settings links on`)."""

from __future__ import annotations

from handlers.messages import text_for
from handlers.ports import ChatSettings
from handlers.services import Services
from handlers.setting_spec import SettingSpec
from handlers.subscriptions.setting_values import (
    parse_max,
    parse_mode,
    parse_time,
    parse_timezone,
    show_mode,
)
from handlers.types import Button, ChatKind, Reply, Request
from summarizer.language import DISPLAY, LANGUAGES, NAMES, normalize, parse_language

NOT_ADMIN = "只有群管理员可以修改本群的设置。"

# Every `/settings` word, in the order `/settings` shows them.
SETTINGS: dict[str, SettingSpec] = {
    spec.word: spec
    for spec in (
        SettingSpec("links", "auto_links", "群聊中自动回复包含 arXiv 链接的消息"),
        SettingSpec("thread", "reply_in_thread", "Discord：在子区（thread）中回复链接"),
        SettingSpec("time", "digest_time", "每日速递的推送时间（HH:MM）", parse_time, str),
        SettingSpec("tz", "timezone", "推送时间所用的时区（IANA）", parse_timezone, str),
        SettingSpec("max", "max_papers", "每日速递最多展示的论文数", parse_max, str),
        SettingSpec("cross", "include_cross", "包含从其他分类交叉发布（cross-list）的论文"),
        SettingSpec("mode", "digest_mode", "速递摘要的详细程度", parse_mode, show_mode),
        SettingSpec("notice", "empty_notice", "arXiv 无更新（周末 / 节假日）时发送提示"),
        SettingSpec(
            "lang",
            "language",
            "这个聊天的语言：zh-CN（简体）、zh-TW（繁體）、en（English）",
            parse_language,
            lambda value: DISPLAY[normalize(str(value))],
        ),
    )
}
LANG_ACTION = "lang"


def language_choice(current: str) -> Reply:
    """`/settings lang` without a value: one button per language."""
    buttons = tuple(
        Button(
            ("✓ " if code == normalize(current) else "") + NAMES[code],
            action=f"{LANG_ACTION}:{code}",
        )
        for code in LANGUAGES
    )
    return Reply(text=text_for("settings_lang_choose", current), buttons=buttons)


async def handle_lang_action(request: Request, services: Services) -> list[Reply]:
    """A language button (`lang:zh-TW`): the same rule as `/settings lang zh-TW`."""
    if request.chat_kind is not ChatKind.PRIVATE and not request.is_admin:
        return [Reply(toast=NOT_ADMIN)]
    code = normalize((request.action or "").partition(":")[2])
    info = await services.chats.get_chat(request.chat)
    current = info.settings if info is not None else ChatSettings()
    await services.chats.save_settings(request.chat, current.model_copy(update={"language": code}))
    return [Reply(text=text_for("settings_lang_done", code, name=NAMES[code]), edit=True)]


def describe(settings: ChatSettings) -> str:
    lines = ["⚙️ 当前设置："]
    for spec in SETTINGS.values():
        lines.append(
            f"• {spec.word}：{spec.show(getattr(settings, spec.field))} — {spec.description}"
        )
    lines.append("修改示例：/settings links on")
    return "\n".join(lines)


async def handle_settings(request: Request, services: Services) -> list[Reply]:
    info = await services.chats.get_chat(request.chat)
    current = info.settings if info is not None else ChatSettings()
    words = request.args.split(maxsplit=1)
    if not words:
        return [Reply(text=describe(current))]
    if request.chat_kind is not ChatKind.PRIVATE and not request.is_admin:
        return [Reply(text=NOT_ADMIN, ephemeral=True)]
    spec = SETTINGS.get(words[0].lower())
    if spec is None:
        names = "、".join(SETTINGS)
        return [Reply(text=f"没有名为「{words[0][:30]}」的设置。可用设置：{names}。")]
    if len(words) < 2:
        if spec.word == "lang":
            return [language_choice(current.language)]
        return [Reply(text=f"请给出取值，例如：/settings {spec.word} on")]
    try:
        value = spec.parse(words[1])
    except ValueError as exc:
        return [Reply(text=f"设置 {spec.word} 的取值无效：{exc}")]
    await services.chats.save_settings(request.chat, current.model_copy(update={spec.field: value}))
    if spec.word == "lang":
        code = normalize(str(value))
        return [Reply(text=text_for("settings_lang_done", code, name=NAMES[code]))]
    return [Reply(text=f"✅ 已将 {spec.word} 设为 {spec.show(value)}。")]
