"""The one command registry both platforms build from, and the dispatcher for requests."""

from __future__ import annotations

import logging

from handlers.command import AdminNeed, Command
from handlers.digest.catchup import handle_catchup_action
from handlers.digest.command import handle_card_action, handle_digest
from handlers.forget import handle_forget, handle_forget_action
from handlers.help import handle_example_action, handle_help, handle_start
from handlers.messages import error_text
from handlers.ondemand.ask import (
    handle_ask,
    handle_ask_action,
    handle_question_reply,
    is_question_reply,
)
from handlers.ondemand.paper import (
    handle_feedback_action,
    handle_message,
    handle_paper,
    handle_summary_action,
)
from handlers.relevance.commands import handle_like, handle_related_action
from handlers.services import Services
from handlers.settings import handle_lang_action, handle_settings, handle_settings_action
from handlers.subscriptions.commands import (
    handle_pause,
    handle_resume,
    handle_sub,
    handle_subs,
    handle_unsub,
)
from handlers.types import ChatKind, Reply, Request
from summarizer.errors import PaperbotError

log = logging.getLogger(__name__)

# Every command, in the order /help and the platforms' command menus show them. Nothing
# registers itself on import: a new command is added here.
COMMAND_LIST: tuple[Command, ...] = (
    Command("start", "开始使用：简介与示例", handle_start),
    Command("help", "查看帮助与命令示例", handle_help, example="/help"),
    Command(
        "paper",
        "获取论文的中文摘要（加 full 看完整总结）",
        handle_paper,
        example="/paper 2401.12215",
        arg_name="link",
        arg_description="arXiv 链接或编号，如 2401.12215；末尾加 full 查看完整总结",
        arg_required=True,
    ),
    Command(
        "ask",
        "就一篇论文提问，答案引用原文出处（也可直接回复摘要提问）",
        handle_ask,
        example="/ask 2401.12215 用了哪些数据集？",
        arg_name="question",
        arg_description="arXiv 编号加问题，如 2401.12215 用了哪些数据集？",
        arg_required=True,
    ),
    Command(
        "settings",
        "查看或修改这个聊天的设置",
        handle_settings,
        example="/settings time 08:30",
        arg_name="change",
        arg_description="要修改的设置与取值，如 time 08:30；留空则显示设置按钮",
        admin=AdminNeed.WITH_ARGS,
    ),
    Command(
        "sub",
        "订阅 arXiv 分类、关键词或作者，每天推送新论文",
        handle_sub,
        example='/sub cs.CL 或 /sub "language model" -survey',
        arg_name="topic",
        arg_description='分类（cs.CL）、关键词（"短语"、OR、-排除）或作者（au:Hinton）',
        arg_required=True,
        admin=AdminNeed.WITH_ARGS,
    ),
    Command(
        "subs",
        "查看订阅与推送时间",
        handle_subs,
        example="/subs",
        admin=AdminNeed.WITH_ARGS,
    ),
    Command(
        "unsub",
        "取消订阅（/subs 中的编号或名称，或 all）",
        handle_unsub,
        example="/unsub 2",
        arg_name="number",
        arg_description="/subs 中的编号或名称（如 cs.CL），或 all 取消全部",
        arg_required=True,
        admin=AdminNeed.WITH_ARGS,
    ),
    Command(
        "pause", "暂停每日速递（保留订阅）", handle_pause, example="/pause", admin=AdminNeed.ALWAYS
    ),
    Command("resume", "恢复每日速递", handle_resume, example="/resume", admin=AdminNeed.ALWAYS),
    Command(
        "digest",
        "预览今天的 arXiv 每日速递（不计为已推送）",
        handle_digest,
        example="/digest",
        admin=AdminNeed.WITH_ARGS,
    ),
    Command(
        "like",
        "记下这个聊天喜欢的论文，速递会优先推荐相似的",
        handle_like,
        example="/like 2401.12187",
        arg_name="ids",
        arg_description="arXiv 编号或链接，可写多篇，如 2401.12187 2402.01234",
        admin=AdminNeed.WITH_ARGS,
    ),
    Command(
        "forget",
        "删除这个聊天在 paperbot 中保存的全部数据（先确认）",
        handle_forget,
        example="/forget",
        admin=AdminNeed.ALWAYS,
    ),
)
COMMANDS: dict[str, Command] = {command.name: command for command in COMMAND_LIST}
ACTIONS = {
    "x": handle_summary_action,
    "fb": handle_feedback_action,
    "q": handle_ask_action,
    "lang": handle_lang_action,
    "p": handle_card_action,
    "st": handle_settings_action,
    "dg": handle_catchup_action,
    "ex": handle_example_action,
    "rel": handle_related_action,
    "fg": handle_forget_action,
}


ADMIN_ACTIONS = frozenset({"lang", "st", "dg", "ex", "fg"})
"""Buttons that change a group's state (language, settings, sending today's digest, the
/start example that subscribes, /forget's confirmation): pressing one needs an administrator
too."""


def needs_admin(request: Request) -> bool:
    """Does this group request need an administrator? Reads each command's declaration. An
    unknown command changes nothing (the dispatcher only says so), so it needs no check;
    `Request.is_admin` is False unless a platform checked it (fail closed)."""
    if request.chat_kind is ChatKind.PRIVATE:
        return False
    if request.action is not None:
        return request.action.split(":", 1)[0] in ADMIN_ACTIONS
    if request.command is None:
        return False
    command = COMMANDS.get(request.command.lower())
    return command is not None and command.needs_admin(request.args)


UNKNOWN_COMMAND = "未知命令 /{name}。发送 /help 查看可用命令。"


async def dispatch(request: Request, services: Services) -> list[Reply]:
    """Route a request to its handler. Expected failures become short Chinese replies;
    anything else propagates to the platform's single error handler."""
    try:
        await remember_chat(request, services)
        if request.action:
            prefix = request.action.split(":", 1)[0]
            action = ACTIONS.get(prefix)
            if action is None:
                return [Reply(toast="这个按钮已失效。")]
            return await action(request, services)
        if request.command:
            command = COMMANDS.get(request.command.lower())
            if command is None:
                return [Reply(text=UNKNOWN_COMMAND.format(name=request.command[:32]))]
            return await command.handler(request, services)
        if is_question_reply(request):
            return await handle_question_reply(request, services)
        return await handle_message(request, services)
    except PaperbotError as exc:
        log.info("request failed: %s", exc)
        info = await services.chats.get_chat(request.chat)
        language = info.settings.language if info is not None else None
        return [Reply(text=error_text(exc, language), ephemeral=True)]


async def remember_chat(request: Request, services: Services) -> None:
    """Store the chat on first sight, and refresh it when its kind or title changed or it
    was marked inactive (a chat that writes to us is reachable again)."""
    info = await services.chats.get_chat(request.chat)
    title = request.chat_title if request.chat_title is not None else (info.title if info else None)
    if info is None or not info.active or info.kind != request.chat_kind or info.title != title:
        await services.chats.upsert_chat(request.chat, request.chat_kind, title)
