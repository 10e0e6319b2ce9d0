"""`/like <id>…` (seed the chat's taste) and the `相关论文` button (similar recent papers)."""

from __future__ import annotations

import logging

from handlers.messages import chat_language, error_text, text_for
from handlers.relevance.texts import MAX_LIKES, SEPARATOR
from handlers.services import Services
from handlers.types import Reply, Request
from summarizer.arxiv.ids import find_arxiv_refs, parse_arxiv_ref
from summarizer.errors import PaperbotError

log = logging.getLogger(__name__)


async def handle_like(request: Request, services: Services) -> list[Reply]:
    language = await chat_language(request, services)
    relevance = services.relevance
    if relevance is None:
        return [Reply(text=text_for("relevance_not_wired", language))]
    args = request.args.strip()
    if not args:
        count = sum(1 for s in await relevance.store.signals(request.chat) if s.value > 0)
        usage, counted = (
            text_for("like_usage", language),
            text_for("like_count", language, count=count),
        )
        return [Reply(text=f"{usage}\n{counted}")]
    refs = find_arxiv_refs(args, limit=MAX_LIKES + 1)
    if not refs:
        return [
            Reply(text=f"{text_for('like_no_ids', language)}\n{text_for('like_usage', language)}")
        ]
    too_many = len(refs) > MAX_LIKES
    refs = refs[:MAX_LIKES]
    await request.progress(text_for("like_reading", language))
    found = await services.papers.fetch_papers(refs)
    papers = [found[r] for r in refs if r in found]
    missing = [r.versioned for r in refs if r not in found]
    await relevance.remember(request.chat, papers, "like")
    lines = []
    colon = ": " if language == "en" else "："
    if papers:
        lines.append(text_for("like_saved", language, count=len(papers)))
        lines.extend(f"• {p.arxiv_id}{colon}{p.title[:80]}" for p in papers)
    if missing:
        lines.append(text_for("like_missing", language, ids=SEPARATOR[language].join(missing)))
    if too_many:
        lines.append(text_for("like_too_many", language, limit=MAX_LIKES))
    return [Reply(text="\n".join(lines))]


async def handle_related_action(request: Request, services: Services) -> list[Reply]:
    """`rel:<id>`: the recent announced papers closest in meaning to this one."""
    language = await chat_language(request, services)
    relevance = services.relevance
    if relevance is None:
        return [Reply(text=text_for("relevance_not_wired", language), ephemeral=True)]
    _, raw_id = (request.action or "").split(":", 1)
    try:
        ref = parse_arxiv_ref(raw_id)
        paper = await services.papers.fetch_paper(ref)
    except PaperbotError as exc:
        return [Reply(text=error_text(exc, language), ephemeral=True)]
    await relevance.remember(request.chat, [paper], "asked")
    similar = await relevance.similar(paper)
    if not similar:
        return [Reply(text=text_for("related_none", language))]
    found = await services.papers.fetch_papers([parse_arxiv_ref(i) for i, _ in similar])
    by_id = {p.arxiv_id: p for p in found.values()}
    lines = [text_for("related_head", language, arxiv_id=paper.arxiv_id)]
    for number, (arxiv_id, _) in enumerate(similar, start=1):
        title = by_id[arxiv_id].title if arxiv_id in by_id else ""
        named = f" ({arxiv_id}) " if language == "en" else f"（{arxiv_id}）"
        lines.append(f"{number}. {title[:90]}{named}https://arxiv.org/abs/{arxiv_id}")
    lines.append(text_for("related_hint", language))
    return [Reply(text="\n".join(lines))]
