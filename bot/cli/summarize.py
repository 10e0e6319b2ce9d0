"""`paperbot summarize`: one or several papers from links, ids or text, as text, Markdown or
JSON. Several ids cost one arXiv request, as in chats; JSON is always one envelope."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from bot.config import Settings
from bot.render.markdown import render_markdown
from bot.render.text import render_text
from handlers.ondemand.paper import summary_reply
from handlers.types import Reply
from summarizer.arxiv.ids import find_arxiv_refs, no_reference_error, one_per_paper
from summarizer.errors import (
    ArxivUnavailable,
    MalformedArxivId,
    NoArxivReference,
    NotArxivLink,
    PaperbotError,
    PaperNotFound,
    ProviderError,
)
from summarizer.models import ArxivRef, Mode, Paper, SummaryResult

MAX_CLI_REFS = 10
EXIT_OK, EXIT_FAILED, EXIT_NO_REFERENCE = 0, 1, 2
NO_REFERENCE = "没有在输入中找到 arXiv 链接或编号。示例：paperbot summarize 2401.12215"
ARXIV_HINT = (
    "若本网络无法访问 arxiv.org，把 PAPERBOT_ARXIV_API_URL 指向镜像；`paperbot doctor` 会检查。"
)
# Stable codes for scripts reading `errors[].code`.
ERROR_CODES: tuple[tuple[type[PaperbotError], str], ...] = (
    (NoArxivReference, "no_arxiv_reference"),
    (NotArxivLink, "not_arxiv_link"),
    (MalformedArxivId, "malformed_id"),
    (PaperNotFound, "not_found"),
    (ArxivUnavailable, "arxiv_unavailable"),
    (ProviderError, "model_unavailable"),
)


async def progress_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cli_message(error: PaperbotError) -> str:
    """The chat's message, with the terminal's example instead of the chat command."""
    if isinstance(error, NoArxivReference):
        return NO_REFERENCE
    if isinstance(error, ArxivUnavailable):
        return f"{error.user_message}{ARXIV_HINT}"
    return error.user_message


def error_json(error: PaperbotError, given: str) -> dict[str, str]:
    code = next((name for kind, name in ERROR_CODES if isinstance(error, kind)), "error")
    return {"input": given, "code": code, "message": cli_message(error)}


async def summarize(
    text: str, settings: Settings, *, full: bool, fmt: str, images: str | None = None
) -> int:
    """Print every summary (and every failure) in `fmt`; exit status 0 when all were
    summarized cleanly, 1 when any failed or fell back, 2 when the input held no reference."""
    refs = one_per_paper(find_arxiv_refs(text, limit=MAX_CLI_REFS))
    if not refs:
        error = no_reference_error(text)
        if fmt == "json":
            print_json([], [error_json(error, text[:100])])
        else:
            print(cli_message(error), file=sys.stderr)
        return EXIT_NO_REFERENCE
    mode = Mode.FULL if full else Mode.CONDENSED
    results, errors = await summarize_refs(refs, settings, mode, images)
    if fmt == "json":
        print_json([result_json(r, mode) | extra for r, extra in results], errors)
    else:
        render = render_markdown if fmt == "markdown" else render_text
        if results:
            print("\n\n---\n\n".join(render(summary_reply(r, mode)) for r, _ in results))
        for failure in errors:
            print(failure["message"], file=sys.stderr)
    degraded = any(r.record.degraded for r, _ in results)
    return EXIT_FAILED if errors or degraded else EXIT_OK


async def summarize_refs(
    refs: list[ArxivRef], settings: Settings, mode: Mode, images: str | None
) -> tuple[list[tuple[SummaryResult, dict[str, Any]]], list[dict[str, str]]]:
    from bot.cli.fulltext import paper_extras
    from bot.wiring import build_services

    results: list[tuple[SummaryResult, dict[str, Any]]] = []
    errors: list[dict[str, str]] = []
    async with build_services(settings) as services:
        await progress_to_stderr("⏳ 正在读取论文…")
        try:
            papers = await services.papers.fetch_papers(refs)  # one request for all
        except PaperbotError as exc:
            return [], [error_json(exc, ref.versioned) for ref in refs]

        async def one(ref: ArxivRef, paper: Paper | None) -> SummaryResult | PaperbotError:
            if paper is None:
                return PaperNotFound(ref.versioned)
            label = f"arXiv:{paper.versioned_id} " if len(refs) > 1 else ""

            async def progress(message: str) -> None:
                await progress_to_stderr(message.replace("⏳ ", f"⏳ {label}", 1))

            try:
                return await services.summaries.summarize_paper(paper, mode, progress=progress)
            except PaperbotError as exc:
                return exc

        outcomes = await asyncio.gather(*(one(ref, papers.get(ref)) for ref in refs))
        for ref, outcome in zip(refs, outcomes, strict=True):
            if isinstance(outcome, PaperbotError):
                errors.append(error_json(outcome, ref.versioned))
            else:
                extra = await paper_extras(services.fulltext, outcome, mode, images)
                results.append((outcome, extra))
    return results, errors


def print_json(results: list[dict[str, Any]], errors: list[dict[str, str]]) -> None:
    """Always one object, also on failure: {"results": [...], "errors": [...]}."""
    print(json.dumps({"results": results, "errors": errors}, ensure_ascii=False, indent=2))


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
