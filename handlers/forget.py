"""`/forget`: delete everything paperbot stores about this chat, after a confirmation button."""

from __future__ import annotations

from handlers.services import Services
from handlers.types import Button, ChatKind, Reply, Request

CONFIRM = "fg:yes"
CANCEL = "fg:no"
STORED = "设置、订阅、论文问答记录、👍/👎 记录、每日速递的发送记录，以及聊天编号、类型和群名"
NOT_ADMIN = "只有群管理员可以删除本群的数据。"
CANCELLED = "已取消，没有删除任何数据。"


def _where(kind: ChatKind) -> str:
    return {ChatKind.PRIVATE: "你与我的私聊", ChatKind.GROUP: "本群"}.get(kind, "本频道")


def _allowed(request: Request) -> bool:
    return request.chat_kind is ChatKind.PRIVATE or request.is_admin


async def handle_forget(request: Request, services: Services) -> list[Reply]:
    """Ask first: the buttons carry the decision (`fg:yes` / `fg:no`)."""
    if not _allowed(request):
        return [Reply(text=NOT_ADMIN, ephemeral=True)]
    question = (
        f"⚠️ 确定要删除{_where(request.chat_kind)}在 paperbot 中保存的全部数据吗？"
        f"包括{STORED}。删除后无法恢复，每日速递也会停止。"
    )
    buttons = (Button("确认删除", action=CONFIRM), Button("取消", action=CANCEL))
    return [Reply(text=question, buttons=buttons)]


async def handle_forget_action(request: Request, services: Services) -> list[Reply]:
    """The confirmation button: checked again (anyone in a group can press a button)."""
    if request.action != CONFIRM:
        return [Reply(text=CANCELLED, edit=True)]
    if not _allowed(request):
        return [Reply(toast=NOT_ADMIN)]
    await services.chats.forget_chat(request.chat)
    if services.subscriptions is not None:  # SQL: already gone with the chat; fakes: apart
        await services.subscriptions.remove_all(request.chat)
    done = (
        f"🗑 已删除{_where(request.chat_kind)}在 paperbot 中保存的全部数据。"
        "之后再给我发消息，我会重新记下聊天编号，以便回复。"
    )
    return [Reply(text=done, edit=True)]
