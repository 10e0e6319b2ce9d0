"""`/digest` (preview this chat's digest; nothing is recorded as sent) and the digest's number
buttons (`p:<id>:<yyyymmdd>`: that paper's card, as a reply, dated by the announcement)."""

from __future__ import annotations

from datetime import date

from handlers.ondemand.paper import summary_reply
from handlers.services import Services
from handlers.types import Reply, Request
from summarizer.arxiv.ids import parse_arxiv_ref
from summarizer.errors import PaperbotError
from summarizer.models import Mode


def parse_day(text: str) -> date:
    """`20261129` → 2026-11-29 (a button's compact date); ValueError otherwise."""
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


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
        day = parse_day(fields[2]) if len(fields) > 2 else None
    except (PaperbotError, ValueError):
        return [Reply(toast="这个按钮已失效。")]
    result = await services.summaries.summarize(
        ref, Mode.CONDENSED, progress=request.progress, chat=str(request.chat)
    )
    card = summary_reply(result, Mode.CONDENSED)
    return [Reply(summary=card.summary, mode=card.mode, buttons=card.buttons, day=day)]
