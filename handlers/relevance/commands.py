"""`/like <id>…` (seed the chat's taste) and the `相关论文` button (similar recent papers)."""

from __future__ import annotations

import logging

from handlers.messages import chat_language, error_text
from handlers.relevance.texts import MAX_LIKES, SEPARATOR, say
from handlers.services import Services
from handlers.types import Reply, Request
from summarizer.arxiv.ids import find_arxiv_refs, parse_arxiv_ref
from summarizer.errors import PaperbotError

log = logging.getLogger(__name__)


async def handle_like(request: Request, services: Services) -> list[Reply]:
    language = await chat_language(request, services)
    relevance = services.relevance
    if relevance is None:
        return [Reply(text=say("not_wired", language))]
    args = request.args.strip()
    if not args:
        count = sum(1 for s in await relevance.store.signals(request.chat) if s.value > 0)
        usage, counted = say("usage", language), say("count", language, count=count)
        return [Reply(text=f"{usage}\n{counted}")]
    refs = find_arxiv_refs(args, limit=MAX_LIKES + 1)
    if not refs:
        return [Reply(text=f"{say('no_ids', language)}\n{say('usage', language)}")]
    too_many = len(refs) > MAX_LIKES
    refs = refs[:MAX_LIKES]
    await request.progress(say("reading", language))
    found = await services.papers.fetch_papers(refs)
    papers = [found[r] for r in refs if r in found]
    missing = [r.versioned for r in refs if r not in found]
    await relevance.remember(request.chat, papers, "like")
    lines = []
    colon = ": " if language == "en" else "："
    if papers:
        lines.append(say("saved", language, count=len(papers)))
        lines.extend(f"• {p.arxiv_id}{colon}{p.title[:80]}" for p in papers)
    if missing:
        lines.append(say("missing", language, ids=SEPARATOR[language].join(missing)))
    if too_many:
        lines.append(say("too_many", language))
    return [Reply(text="\n".join(lines))]


async def handle_related_action(request: Request, services: Services) -> list[Reply]:
    """`rel:<id>`: the recent announced papers closest in meaning to this one."""
    language = await chat_language(request, services)
    relevance = services.relevance
    if relevance is None:
        return [Reply(text=say("not_wired", language), ephemeral=True)]
    _, raw_id = (request.action or "").split(":", 1)
    try:
        ref = parse_arxiv_ref(raw_id)
        paper = await services.papers.fetch_paper(ref)
    except PaperbotError as exc:
        return [Reply(text=error_text(exc, language), ephemeral=True)]
    await relevance.remember(request.chat, [paper], "asked")
    similar = await relevance.similar(paper)
    if not similar:
        return [Reply(text=say("related_none", language))]
    found = await services.papers.fetch_papers([parse_arxiv_ref(i) for i, _ in similar])
    by_id = {p.arxiv_id: p for p in found.values()}
    lines = [say("related_head", language, arxiv_id=paper.arxiv_id)]
    for number, (arxiv_id, _) in enumerate(similar, start=1):
        title = by_id[arxiv_id].title if arxiv_id in by_id else ""
        named = f" ({arxiv_id}) " if language == "en" else f"（{arxiv_id}）"
        lines.append(f"{number}. {title[:90]}{named}https://arxiv.org/abs/{arxiv_id}")
    lines.append(say("related_hint", language))
    return [Reply(text="\n".join(lines))]
