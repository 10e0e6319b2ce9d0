"""`/start` and `/help`: what the bot does, one example per command, the privacy note."""

from __future__ import annotations

from handlers.messages import chat_language, traditional
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
    "模型用量记录（含你让我总结的论文编号）、你就论文向我提出的问题和我的回答（每个追问线程只留"
    "最近几轮，只在这个聊天内使用），以及 👍/👎 投票者的用户编号（每人每篇只算一票）；"
    "不保存其他消息内容。发送 /forget 可删除这个聊天的全部数据。"
)
INTRO_EN = (
    "👋 Hi! I am paperbot: I turn arXiv papers into short summaries.\n"
    "Send an arXiv link or id (e.g. 2401.12215); in groups, mention me, reply to me or use /paper."
)
PRIVACY_EN = (
    "🔒 Privacy: I store chat ids, subscriptions and settings, the paper ids you ask about, and "
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
    "unsub": "Unsubscribe (a number from /subs, or all)",
    "pause": "Pause the daily digest",
    "resume": "Resume the daily digest",
    "digest": "Preview today's digest for this chat",
}


def help_text() -> str:
    from handlers.registry import COMMANDS  # the registry imports this module

    lines = [INTRO, "", "命令："]
    for command in COMMANDS.values():
        lines.append(f"/{command.name} — {command.description}")
        if command.example:
            lines.append(f"    例：{command.example}")
    lines += ["", PRIVACY]
    return "\n".join(lines)


def help_text_en() -> str:
    from handlers.registry import COMMANDS

    lines = [INTRO_EN, "", "Commands:"]
    for command in COMMANDS.values():
        lines.append(f"/{command.name} — {DESCRIPTIONS_EN.get(command.name, command.description)}")
        if command.example:
            lines.append(f"    e.g. {command.example}")
    lines += ["", PRIVACY_EN]
    return "\n".join(lines)


async def handle_help(request: Request, services: Services) -> list[Reply]:
    language = await chat_language(request, services)
    if language == "en":
        return [Reply(text=help_text_en())]
    return [Reply(text=traditional(help_text()) if language == "zh-TW" else help_text())]
