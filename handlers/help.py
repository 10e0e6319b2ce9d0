"""`/start` (what the bot does, three example buttons) and `/help` (commands grouped, short),
worded for the chat's platform; plus the example buttons' actions."""

from __future__ import annotations

from dataclasses import replace

from handlers.services import Services
from handlers.types import Button, Reply, Request

EXAMPLE_PAPER = "2401.12215"
EXAMPLE_TOPIC = "cs.CL"
START = (
    "👋 我是 paperbot：把 arXiv 论文变成简明的中文摘要。\n"
    "• 发给我 arXiv 链接或编号，马上得到中文摘要；\n"
    "• 订阅分类或关键词，每天收到一条论文速递。\n"
    "试试下面的按钮，或发送 /help 查看全部命令。"
)
PRIVACY = (
    "🔒 隐私说明：我只保存会话编号（chat id）、订阅与设置，以及你让我总结的论文编号；"
    "不保存其他聊天内容。"
)
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("📄 论文摘要", ("paper",)),
    ("🗞 订阅与每日速递", ("sub", "subs", "unsub", "digest", "pause", "resume")),
    ("⚙️ 设置", ("settings",)),
)
HIDDEN = {"start", "help"}
WHERE = {
    "telegram": "群聊中请 @我、回复我或用 /paper；修改本群的订阅与设置需要群管理员。",
    "discord": (
        "服务器频道中请用斜杠命令（如 /paper）或 @我；"
        "修改本频道的订阅与设置需要「管理频道」（Manage Channels）权限。"
    ),
}


def start_buttons() -> tuple[Button, ...]:
    return (
        Button("看一篇示例摘要", action="ex:paper"),
        Button(f"订阅 {EXAMPLE_TOPIC}", action="ex:sub"),
        Button("全部命令", action="ex:help"),
    )


def help_text(platform: str = "telegram") -> str:
    from handlers.registry import COMMANDS  # the registry imports this module

    lines = ["📖 paperbot 帮助"]
    listed: set[str] = set(HIDDEN)
    groups = [*GROUPS, ("其他", tuple(name for name in COMMANDS if name not in HIDDEN))]
    for title, names in groups:
        rows = []
        for name in names:
            command = COMMANDS.get(name)
            if command is None or name in listed:
                continue
            listed.add(name)
            example = f"（例：{command.example}）" if command.example else ""
            rows.append(f"/{name} — {command.description}{example}")
        if rows:
            lines += ["", title, *rows]
    if "paper" in COMMANDS:
        lines.insert(3, f"直接发送 arXiv 链接或编号（如 {EXAMPLE_PAPER}）也可以。")
    lines += ["", WHERE.get(platform, WHERE["telegram"]), PRIVACY]
    return "\n".join(lines)


async def handle_start(request: Request, services: Services) -> list[Reply]:
    return [Reply(text=START, buttons=start_buttons())]


async def handle_help(request: Request, services: Services) -> list[Reply]:
    return [Reply(text=help_text(request.chat.platform))]


async def handle_example_action(request: Request, services: Services) -> list[Reply]:
    """`ex:paper` / `ex:sub` / `ex:help`: run the example as if typed."""
    from handlers.registry import dispatch  # the registry imports this module

    what = (request.action or "").split(":", 1)[-1]
    if what == "paper":
        typed = replace(request, action=None, command="paper", args=EXAMPLE_PAPER)
    elif what == "sub":
        typed = replace(request, action=None, command="sub", args=EXAMPLE_TOPIC)
    else:
        typed = replace(request, action=None, command="help", args="")
    return await dispatch(typed, services)
