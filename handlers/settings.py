"""`/settings`: the chat's settings for its kind with buttons (`st:` actions), or a typed
change (`/settings time 08:30`), confirmed in words with the zone and the next delivery."""

from __future__ import annotations

from handlers.digest.catchup import ask_instead_of_surprise, last_day
from handlers.digest.when import next_digest_line
from handlers.messages import text_for
from handlers.ports import ChatSettings
from handlers.relevance.setting_values import parse_rank, show_rank
from handlers.services import Services
from handlers.setting_spec import SettingSpec, show_bool
from handlers.settings_panel import (
    menu_buttons,
    menu_text,
    panel_buttons,
    panel_text,
    shown_value,
    visible,
)
from handlers.subscriptions.setting_values import (
    parse_max,
    parse_mode,
    parse_style,
    parse_time,
    parse_timezone,
    show_mode,
    show_style,
)
from handlers.types import Button, Reply, Request
from handlers.wording import may_change, not_admin
from summarizer.arxiv.calendar import is_announcement_expected
from summarizer.language import DISPLAY, LANGUAGES, NAMES, normalize, parse_language

# Every `/settings` word, in the order `/settings` shows them.
SETTINGS: dict[str, SettingSpec] = {
    spec.word: spec
    for spec in (
        SettingSpec("time", "digest_time", "每日速递的推送时间（HH:MM）", parse_time, str,
                    label="推送时间"),
        SettingSpec("tz", "timezone", "推送时间所用的时区", parse_timezone, str, label="时区"),
        SettingSpec("max", "max_papers", "每期速递最多展示的论文数", parse_max, str,
                    label="每期篇数"),
        SettingSpec("style", "digest_style", "速递样式：compact 一条消息 / cards 每篇一条",
                    parse_style, show_style, label="速递样式"),
        SettingSpec("mode", "digest_mode", "卡片样式中摘要的详细程度", parse_mode, show_mode,
                    label="卡片详细程度"),
        SettingSpec("cross", "include_cross", "包含从其他分类交叉发布（cross-list）的论文",
                    label="交叉发布论文"),
        SettingSpec("notice", "empty_notice", "arXiv 无公告（周末 / 节假日）时发送提示",
                    label="无公告日提示"),
        SettingSpec("updates", "updates", "收到过的论文出新版本（或撤回）时附一条说明",
                    label="新版本提示"),
        SettingSpec("links", "auto_links", "群聊中自动回复包含 arXiv 链接的消息",
                    label="自动回复链接", scope="group"),
        SettingSpec("thread", "reply_in_thread", "在子区（thread）中回复链接",
                    label="子区回复", scope="discord-group"),
        SettingSpec("lang", "language",
                    "这个聊天的语言：zh-CN（简体）、zh-TW（繁體）、en（English）", parse_language,
                    lambda value: DISPLAY[normalize(str(value))], label="语言"),
        SettingSpec("rank", "rank_mode", "速递排序：learned 按 👍/👎 学习，keyword 按关键词",
                    parse_rank, show_rank, label="排序方式"),
        SettingSpec("explore", "explore", "learned 排序时每期留一篇「新方向」论文供探索",
                    label="探索新方向"),
    )
}  # fmt: skip
SCHEDULE_FIELDS = {"digest_time", "timezone"}
LANG_ACTION = "lang"


def language_choice(current: str, *, edit: bool = False) -> Reply:
    """`/settings lang` without a value (or the panel's 语言… button): one button per language."""
    buttons = tuple(
        Button(
            ("✓ " if code == normalize(current) else "") + NAMES[code],
            action=f"{LANG_ACTION}:{code}",
        )
        for code in LANGUAGES
    )
    return Reply(text=text_for("settings_lang_choose", current), buttons=buttons, edit=edit)


async def handle_lang_action(request: Request, services: Services) -> list[Reply]:
    """A language button (`lang:zh-TW`): the same rule as `/settings lang zh-TW`."""
    if not may_change(request):
        return [Reply(toast=not_admin(request, "设置"))]
    code = normalize((request.action or "").partition(":")[2])
    info = await services.chats.get_chat(request.chat)
    current = info.settings if info is not None else ChatSettings()
    await services.chats.save_settings(request.chat, current.model_copy(update={"language": code}))
    return [Reply(text=text_for("settings_lang_done", code, name=NAMES[code]), edit=True)]


async def _current(request: Request, services: Services) -> ChatSettings:
    info = await services.chats.get_chat(request.chat)
    return info.settings if info is not None else ChatSettings()


async def _panel(
    request: Request, services: Services, settings: ChatSettings, headline: str | None = None
) -> Reply:
    specs = visible(list(SETTINGS.values()), request)
    last = await last_day(services, request)
    text = panel_text(specs, settings, request, services.clock(), last, headline)
    return Reply(text=text, buttons=panel_buttons(specs, settings))


def _confirmation(spec: SettingSpec, settings: ChatSettings, services: Services) -> str:
    value = shown_value(spec, settings, services.clock())
    if isinstance(getattr(settings, spec.field), bool):
        return f"✅ 已{'开启' if getattr(settings, spec.field) else '关闭'}{spec.label}。"
    return f"✅ {spec.label}已改为 {value}。"


async def _apply(
    request: Request, services: Services, spec: SettingSpec, raw: str
) -> tuple[list[Reply], str | None]:
    """Change one setting; the replies (confirmation, maybe the catch-up question) and the
    confirmation line, or an error reply."""
    current = await _current(request, services)
    try:
        value = spec.parse(raw)
    except ValueError as exc:
        return [Reply(text=f"{spec.label or spec.word}的取值无效：{exc}")], None
    settings = current.model_copy(update={spec.field: value})
    question: list[Reply] = []
    if spec.field in SCHEDULE_FIELDS and settings != current:
        # A new time that has already passed today must not push today's digest at once.
        settings, question = await ask_instead_of_surprise(
            services, request, settings, services.clock()
        )
    await services.chats.save_settings(request.chat, settings)
    if spec.field == "language":
        code = normalize(str(value))
        done = text_for("settings_lang_done", code, name=NAMES[code])
        return [Reply(text=done)], done
    confirmation = _confirmation(spec, settings, services)
    if spec.field in SCHEDULE_FIELDS | {"digest_style", "max_papers"}:
        line = next_digest_line(
            settings,
            services.clock(),
            last_day=await last_day(services, request),
            expected=is_announcement_expected,
        )
        confirmation = f"{confirmation}\n{line}"
    return [Reply(text=confirmation), *question], confirmation


async def handle_settings(request: Request, services: Services) -> list[Reply]:
    current = await _current(request, services)
    words = request.args.split(maxsplit=1)
    if not words:
        return [await _panel(request, services, current)]
    if not may_change(request):
        return [Reply(text=not_admin(request, "设置"), ephemeral=True)]
    spec = SETTINGS.get(words[0].lower())
    if spec is None or spec not in visible(list(SETTINGS.values()), request):
        names = "、".join(s.word for s in visible(list(SETTINGS.values()), request))
        return [Reply(text=f"没有名为「{words[0][:30]}」的设置。可用设置：{names}。")]
    if len(words) < 2:
        if spec.word == "lang":
            return [language_choice(current.language)]
        return [Reply(text=f"请给出取值，例如：/settings {spec.word} {_example(spec)}")]
    replies, _ = await _apply(request, services, spec, words[1])
    return replies


def _example(spec: SettingSpec) -> str:
    return {"time": "08:30", "tz": "UTC+8", "max": "10", "style": "cards", "mode": "full"}.get(
        spec.word, "on"
    )


async def handle_settings_action(request: Request, services: Services) -> list[Reply]:
    """`st:show`, `st:menu:<word>`, `st:<word>:<value>`: the panel edited in place."""
    fields = (request.action or "").split(":", 2)
    if not may_change(request):
        return [Reply(toast=not_admin(request, "设置"))]
    current = await _current(request, services)
    if len(fields) < 3 or fields[1] == "show":
        return [_edit(await _panel(request, services, current))]
    word, value = fields[1], fields[2]
    if word == "menu" and value == "lang":
        return [language_choice(current.language, edit=True)]
    if word == "menu":
        return [Reply(text=menu_text(value, current, services.clock()), buttons=menu_buttons(value),
                      edit=True)]  # fmt: skip
    spec = SETTINGS.get(word)
    if spec is None or spec not in visible(list(SETTINGS.values()), request):
        return [Reply(toast="这个按钮已失效。")]
    replies, confirmation = await _apply(request, services, spec, value)
    if confirmation is None:
        return [Reply(toast=replies[0].text[:190])]
    panel = await _panel(request, services, await _current(request, services), confirmation)
    return [_edit(panel, toast=confirmation.split("\n", 1)[0][:190]), *replies[1:]]


def _edit(reply: Reply, toast: str | None = None) -> Reply:
    return Reply(text=reply.text, buttons=reply.buttons, edit=True, toast=toast)


__all__ = ["SETTINGS", "handle_settings", "handle_settings_action", "show_bool"]
