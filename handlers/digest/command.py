"""`/digest`: preview this chat's digest (nothing is recorded as sent)."""

from __future__ import annotations

from handlers.services import Services
from handlers.types import Reply, Request

NOT_ENABLED = "每日速递尚未启用（机器人未配置订阅与推送）。"


async def handle_digest(request: Request, services: Services) -> list[Reply]:
    """`/digest`: preview today's digest for this chat (nothing is recorded as sent)."""
    pipeline = services.digest
    if pipeline is None:
        return [Reply(text=NOT_ENABLED)]
    await request.progress("⏳ 正在生成今日速递预览…")
    return await pipeline.preview(request.chat)
