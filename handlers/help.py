"""`/start` and `/help`: what the bot does, one example per command, the privacy note."""

from __future__ import annotations

from handlers.services import Services
from handlers.types import Reply, Request

INTRO = (
    "👋 你好！我是 paperbot：把 arXiv 论文变成简明的中文摘要。\n"
    "直接发送 arXiv 链接或编号（如 2401.12215）即可；群聊中请 @我、回复我或使用 /paper。"
)
# Every stored column is accounted for by tests/unit/test_privacy_statement.py: a new one
# fails that test until it is listed there and, if it is a new kind of data, named here.
PRIVACY = (
    "🔒 隐私说明：我保存聊天编号（chat id）、聊天类型和群名、设置与订阅、每日速递的发送记录、"
    "模型用量记录（含你让我总结的论文编号），以及 👍/👎 投票者的用户编号（每人每篇只算一票）；"
    "不保存消息内容。发送 /forget 可删除这个聊天的全部数据。"
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
