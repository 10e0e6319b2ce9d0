"""`/start` (what the bot does, three example buttons) and `/help` (commands grouped, short),
worded for the chat's platform and language; plus the example buttons' actions."""

from __future__ import annotations

from dataclasses import replace

from handlers.messages import chat_language, traditional
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
START_EN = (
    "👋 I am paperbot: I turn arXiv papers into short summaries.\n"
    "• Send me an arXiv link or id for a summary;\n"
    "• subscribe to categories or keywords for one digest a day.\n"
    "Try the buttons below, or send /help for every command."
)
# Every stored column is accounted for by tests/unit/test_privacy_statement.py: a new one
# fails that test until it is listed there and, if it is a new kind of data, named here.
PRIVACY = (
    "🔒 隐私说明：我保存聊天编号（chat id）、聊天类型和群名、设置与订阅、每日速递的发送记录、"
    "模型用量记录（含你让我总结的论文编号）、这个聊天标记喜欢或问过的论文编号（用于排序）、"
    "你就论文向我提出的问题和我的回答（每个追问线程只留"
    "最近几轮，只在这个聊天内使用），以及 👍/👎 投票者的用户编号（每人每篇只算一票）；"
    "不保存其他消息内容。发送 /forget 可删除这个聊天的全部数据。"
)
INTRO_EN = (
    "👋 Hi! I am paperbot: I turn arXiv papers into short summaries.\n"
    "Send an arXiv link or id (e.g. 2401.12215); in groups, mention me, reply to me or use /paper."
)
PRIVACY_EN = (
    "🔒 Privacy: I store chat ids, subscriptions and settings, the paper ids you ask about or like "
    "(for ranking), and "
    "your questions about papers with my answers (the last few turns of each thread, used only "
    "in this chat); nothing else you write."
)
# English for the help page; a command missing here shows its Chinese description.
DESCRIPTIONS_EN = {
    "start": "Introduction and examples",
    "help": "Commands and examples",
    "paper": "Summarize a paper (add full for the complete summary)",
    "ask": "Ask about a paper; answers cite the paper (or reply to a summary)",
    "settings": "Show or change this chat's settings (/settings lang en)",
    "sub": "Subscribe to an arXiv category, keyword or author",
    "subs": "Show this chat's subscriptions and digest time",
    "unsub": "Unsubscribe (a number or name from /subs, or all)",
    "pause": "Pause the daily digest",
    "resume": "Resume the daily digest",
    "digest": "Preview the newest digest for this chat",
}
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("📄 论文摘要", ("paper", "ask")),
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
WHERE_EN = {
    "telegram": "In groups, mention me, reply to me or use /paper; group admins change settings.",
    "discord": (
        "In server channels, use slash commands (e.g. /paper) or mention me; changing the "
        "channel's subscriptions and settings needs the Manage Channels permission."
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


def help_text_en(platform: str = "telegram") -> str:
    from handlers.registry import COMMANDS

    lines = [INTRO_EN, "", "Commands:"]
    for command in COMMANDS.values():
        if command.name in HIDDEN:
            continue
        example = f" (e.g. {command.example})" if command.example else ""
        described = DESCRIPTIONS_EN.get(command.name, command.description)
        lines.append(f"/{command.name} — {described}{example}")
    lines += ["", WHERE_EN.get(platform, WHERE_EN["telegram"]), PRIVACY_EN]
    return "\n".join(lines)


async def handle_start(request: Request, services: Services) -> list[Reply]:
    language = await chat_language(request, services)
    if language == "en":
        return [Reply(text=START_EN, buttons=start_buttons())]
    text = traditional(START) if language == "zh-TW" else START
    return [Reply(text=text, buttons=start_buttons())]


async def handle_help(request: Request, services: Services) -> list[Reply]:
    language = await chat_language(request, services)
    platform = request.chat.platform
    if language == "en":
        return [Reply(text=help_text_en(platform))]
    text = help_text(platform)
    return [Reply(text=traditional(text) if language == "zh-TW" else text)]


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
