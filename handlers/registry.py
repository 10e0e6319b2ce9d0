"""The one command registry both platforms build from, and the dispatcher for requests."""

from __future__ import annotations

import importlib
import logging

from handlers.command import Command
from handlers.help import handle_help
from handlers.paper import (
    handle_feedback_action,
    handle_message,
    handle_paper,
    handle_summary_action,
)
from handlers.services import Services
from handlers.settings import handle_settings
from handlers.types import Reply, Request
from summarizer.errors import PaperbotError

log = logging.getLogger(__name__)

COMMANDS: dict[str, Command] = {}
ACTIONS = {"x": handle_summary_action, "fb": handle_feedback_action}


def register_command(command: Command) -> None:
    COMMANDS[command.name] = command


register_command(Command("start", "开始使用：简介与示例", handle_help))
register_command(Command("help", "查看帮助与命令示例", handle_help, example="/help"))
register_command(
    Command(
        "paper",
        "获取论文的中文摘要（加 full 看完整总结）",
        handle_paper,
        example="/paper 2401.12215",
        arg_name="link",
        arg_description="arXiv 链接或编号，如 2401.12215；末尾加 full 查看完整总结",
        arg_required=True,
    )
)
register_command(
    Command(
        "settings",
        "查看或修改本会话的设置",
        handle_settings,
        example="/settings links on",
        arg_name="change",
        arg_description="要修改的设置与取值，如 links on；留空则查看当前设置",
    )
)

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
        return await handle_message(request, services)
    except PaperbotError as exc:
        log.info("request failed: %s", exc)
        return [Reply(text=exc.user_message, ephemeral=True)]


async def remember_chat(request: Request, services: Services) -> None:
    """Store the chat on first sight, and refresh it when its kind or title changed or it
    was marked inactive (a chat that writes to us is reachable again)."""
    info = await services.chats.get_chat(request.chat)
    title = request.chat_title if request.chat_title is not None else (info.title if info else None)
    if info is None or not info.active or info.kind != request.chat_kind or info.title != title:
        await services.chats.upsert_chat(request.chat, request.chat_kind, title)


# Feature modules register their commands and /settings words when imported; importing them
# here makes the registry complete for every platform (and fixes the order /help shows).
FEATURE_MODULES = tuple(
    importlib.import_module(f"handlers.{name}") for name in ("subscriptions", "digest")
)
