"""Answering one Telegram request: "typing", the status message, the streamed preview (drafts
in private chats, status edits elsewhere), then the replies; the first replaces the status."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace

from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.telegram.channels import labelled
from bot.telegram.send import Delivery, StatusMessage
from bot.telegram.streaming import PreviewSink
from handlers.registry import dispatch
from handlers.services import Services
from handlers.types import ChatUnreachable, Reply, Request


async def answer(
    services: Services,
    request: Request,
    delivery: Delivery,
    *,
    draft_id: int | None = None,
    channel: str | None = None,
    show_typing: bool = True,
) -> None:
    """`draft_id`: stream into a draft (private chats); `channel`: the request was aimed at
    this channel from a private chat, so the replies say so."""
    typing = asyncio.create_task(send_typing(delivery)) if show_typing else None
    status = StatusMessage(delivery)
    sink = PreviewSink(delivery, status, draft_id=draft_id)
    try:
        replies = await dispatch(replace(request, progress=status, preview=sink), services)
        if channel is not None:
            replies = labelled(replies, channel)
        status_id = status.message_id
        if sink.drafted and status_id is not None:
            # A draft is replaced by a sent message, not by an edit (Bot API sendMessageDraft).
            await delivery.delete(status_id)
            status_id = None
        await deliver(delivery, replies, status_id)
    except ChatUnreachable:
        pass  # already marked inactive; nobody to tell
    finally:
        if typing is not None:
            await typing


async def send_typing(delivery: Delivery) -> None:
    with contextlib.suppress(TelegramError):
        await delivery.bot.send_chat_action(
            delivery.chat_id, ChatAction.TYPING, message_thread_id=delivery.thread_id
        )


async def deliver(delivery: Delivery, replies: list[Reply], status_id: int | None) -> None:
    """The first reply replaces the status message (when one was shown)."""
    for reply in replies:
        await delivery.deliver(reply, edit_message_id=status_id)
        status_id = None
    if status_id is not None:
        await delivery.delete(status_id)
