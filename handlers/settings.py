"""`/settings`: show a chat's settings, or change one (`/settings links on`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handlers.ports import ChatSettings
from handlers.services import Services
from handlers.types import ChatKind, Reply, Request

ON = {"on", "true", "yes", "1", "开", "开启", "打开"}
OFF = {"off", "false", "no", "0", "关", "关闭"}
NOT_ADMIN = "只有群管理员可以修改本群的设置。"


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


SETTINGS: dict[str, SettingSpec] = {}


def register_setting(spec: SettingSpec) -> None:
    SETTINGS[spec.word] = spec


register_setting(SettingSpec("links", "auto_links", "群聊中自动回复包含 arXiv 链接的消息"))
register_setting(SettingSpec("thread", "reply_in_thread", "Discord：在子区（thread）中回复链接"))


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
        return [Reply(text=f"请给出取值，例如：/settings {spec.word} on")]
    try:
        value = spec.parse(words[1])
    except ValueError as exc:
        return [Reply(text=f"设置 {spec.word} 的取值无效：{exc}")]
    await services.chats.save_settings(request.chat, current.model_copy(update={spec.field: value}))
    return [Reply(text=f"✅ 已将 {spec.word} 设为 {spec.show(value)}。")]
