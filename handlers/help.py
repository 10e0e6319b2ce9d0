"""`/start` and `/help`: what the bot does, one example per command, the privacy note."""

from __future__ import annotations

from handlers.services import Services
from handlers.types import Reply, Request

INTRO = (
    "👋 你好！我是 paperbot：把 arXiv 论文变成简明的中文摘要。\n"
    "直接发送 arXiv 链接或编号（如 2401.12215）即可；群聊中请 @我、回复我或使用 /paper。"
)
PRIVACY = (
    "🔒 隐私说明：我只保存会话编号（chat id）、订阅与设置，以及你让我总结的论文编号；"
    "不保存其他聊天内容。"
)


def help_text() -> str:
    from handlers.registry import COMMANDS  # the registry imports this module

    lines = [INTRO, "", "命令："]
    for command in COMMANDS.values():
        lines.append(f"/{command.name} — {command.description}")
        if command.example:
            lines.append(f"    例：{command.example}")
    lines += ["", PRIVACY]
    return "\n".join(lines)


async def handle_help(request: Request, services: Services) -> list[Reply]:
    return [Reply(text=help_text())]
