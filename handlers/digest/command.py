"""`/digest` (preview this chat's digest; nothing is recorded as sent) and the digest's number
buttons (`p:<id>:<yyyymmdd>`: that paper's card, as a reply, dated by the announcement)."""

from __future__ import annotations

from datetime import datetime

from handlers.ondemand.paper import summary_reply
from handlers.services import Services
from handlers.types import Reply, Request
from summarizer.arxiv.ids import parse_arxiv_ref
from summarizer.errors import PaperbotError
from summarizer.models import Mode

NOT_ENABLED = "每日速递尚未启用（机器人未配置订阅与推送）。"


async def handle_digest(request: Request, services: Services) -> list[Reply]:
    """`/digest`: preview the newest announcement for this chat (nothing is recorded as sent)."""
    pipeline = services.digest
    if pipeline is None:
        return [Reply(text=NOT_ENABLED)]
    await request.progress("⏳ 正在生成速递预览…")
    return await pipeline.preview(request.chat)


async def handle_card_action(request: Request, services: Services) -> list[Reply]:
    """A digest's number button: the paper's card (the condensed summary with its buttons)."""
    fields = (request.action or "").split(":")
    if len(fields) < 2:
        return [Reply(toast="这个按钮已失效。")]
    try:
        ref = parse_arxiv_ref(fields[1])
        day = datetime.strptime(fields[2], "%Y%m%d").date() if len(fields) > 2 else None
    except (PaperbotError, ValueError):
        return [Reply(toast="这个按钮已失效。")]
    result = await services.summaries.summarize(
        ref, Mode.CONDENSED, progress=request.progress, chat=str(request.chat)
    )
    card = summary_reply(result, Mode.CONDENSED)
    return [Reply(summary=card.summary, mode=card.mode, buttons=card.buttons, day=day)]
