"""`paperbot summarize`: one or several papers from links, ids or text, as text, Markdown or
JSON."""

from __future__ import annotations

import json
import sys
from typing import Any

from bot.config import Settings
from bot.render.markdown import render_markdown
from bot.render.text import render_text
from handlers.ondemand.paper import summary_reply
from handlers.types import Reply
from summarizer.arxiv.ids import find_arxiv_refs
from summarizer.errors import NoArxivReference
from summarizer.models import Mode, SummaryResult

MAX_CLI_REFS = 10


async def progress_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def summarize(
    text: str, settings: Settings, *, full: bool, fmt: str, images: str | None = None
) -> int:
    from bot.cli.fulltext import paper_extras
    from bot.wiring import build_services

    refs = find_arxiv_refs(text, limit=MAX_CLI_REFS)
    if not refs:
        raise NoArxivReference(text[:100])
    mode = Mode.FULL if full else Mode.CONDENSED
    results: list[SummaryResult] = []
    async with build_services(settings) as services:
        for ref in refs:
            results.append(
                await services.summaries.summarize(ref, mode, progress=progress_to_stderr)
            )
        extras = [await paper_extras(services.fulltext, r, mode, images) for r in results]
    if fmt == "json":
        objects = [result_json(r, mode) | extra for r, extra in zip(results, extras, strict=True)]
        print(
            json.dumps(objects[0] if len(objects) == 1 else objects, ensure_ascii=False, indent=2)
        )
    else:
        render = render_markdown if fmt == "markdown" else render_text
        print("\n\n---\n\n".join(render(summary_reply(r, mode)) for r in results))
    return 1 if any(r.record.degraded for r in results) else 0


def result_json(result: SummaryResult, mode: Mode) -> dict[str, Any]:
    paper, record = result.paper, result.record
    summary = record.full if mode is Mode.FULL else record.condensed
    return {
        "paper": {
            "id": paper.arxiv_id,
            "version": paper.version,
            "title": paper.title,
            "authors": list(paper.authors),
            "categories": list(paper.categories),
            "published": paper.published.isoformat() if paper.published else None,
            "abs_url": paper.abs_url,
            "pdf_url": paper.pdf_url,
            "comment": paper.comment,
        },
        "mode": mode.value,
        "summary": summary.model_dump() if summary is not None else None,
        "extract": record.extract,
        "status": record.status,
        "provider": record.key.provider,
        "model": record.key.model,
        "prompt_version": record.key.prompt_version,
        "degraded": record.degraded,
        "degraded_reason": record.degraded_reason,
        "checks": record.failed_checks,
        "cached": result.cached,
        "affiliations": record.affiliations,
        "code_urls": record.code_urls,
        "text_source": record.text_source,
    }


def buttons_line(reply: Reply) -> str:
    return " ".join(f"[{button.label}]" for button in reply.buttons)
