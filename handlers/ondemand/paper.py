"""On-demand summaries: `/paper`, plain messages with arXiv links, and the summary buttons."""

from __future__ import annotations

import asyncio
import math
import re

from handlers.messages import card_label, chat_language, error_text, localize
from handlers.services import Services
from handlers.types import Button, ChatKind, Reply, Request
from summarizer.arxiv.ids import (
    find_arxiv_refs,
    no_reference_error,
    one_per_paper,
    parse_arxiv_ref,
)
from summarizer.errors import MalformedArxivLink, NotArxivLink, PaperbotError, PaperNotFound
from summarizer.models import ArxivRef, Mode, SummaryResult
from summarizer.withdrawn import withdrawal_note

USAGE = (
    "用法：/paper <arXiv 链接或编号> [full]\n"
    "例：/paper 2401.12215 或 /paper https://arxiv.org/abs/2401.12215 full"
)
NO_REFERENCE_HINT = (
    "没有在消息中找到 arXiv 链接或编号。直接发送链接或编号即可，例如 2401.12215；"
    "发送 /help 查看全部命令。"
)
WITHDRAWN = "🚫 arXiv:{id}（{title}）已撤回：{note}\n已撤回的版本不做总结；需要时请查看之前的版本。"
FULL_WORDS = re.compile(r"(?:^|\s)(?:--?full|full|完整|详细)(?:\s|$)", re.IGNORECASE)
MAX_NAMED = 50  # links read from one message (beyond max_links they are only named)
MAX_NAMED_SHOWN = 10


def summary_buttons(result: SummaryResult, mode: Mode, language: str = "zh") -> tuple[Button, ...]:
    vid = result.paper.versioned_id
    toggle = (
        Button(card_label("收起", language), action=f"x:c:{vid}")
        if mode is Mode.FULL
        else Button(card_label("展开完整总结", language), action=f"x:f:{vid}")
    )
    return (
        toggle,
        Button(card_label("原文", language), url=result.paper.abs_url),
        Button("PDF", url=result.paper.pdf_url),
        Button("👍", action=f"fb:1:{vid}"),
        Button("👎", action=f"fb:-1:{vid}"),
        Button(card_label("相关论文", language), action=f"rel:{result.paper.arxiv_id}"),
    )


def summary_reply(
    result: SummaryResult, mode: Mode, *, edit: bool = False, language: str = "zh"
) -> Reply:
    buttons = summary_buttons(result, mode, language)
    return Reply(summary=result, mode=mode, buttons=buttons, edit=edit, language=language)


async def handle_paper(request: Request, services: Services) -> list[Reply]:
    args = request.args.strip()
    if not args:
        return [Reply(text=USAGE)]
    mode = Mode.FULL if FULL_WORDS.search(args) else Mode.CONDENSED
    refs = find_arxiv_refs(args, limit=MAX_NAMED)
    if not refs:
        raise no_reference_error(FULL_WORDS.sub(" ", args).strip() or args)
    return await summarize_refs(request, services, refs, mode)


def always_answered(request: Request) -> bool:
    """Private chats, commands and messages addressed to the bot always get an answer."""
    return request.chat_kind is ChatKind.PRIVATE or request.addressed or bool(request.command)


def may_want_answer(request: Request) -> bool:
    """The cheap first look (no I/O), for platforms that see every message of a group: only
    what is always answered or holds an arXiv link can deserve an answer."""
    return always_answered(request) or bool(find_arxiv_refs(request.text, limit=1))


async def wants_answer(request: Request, services: Services) -> bool:
    """The one rule of "should we answer this message": what is always answered, or group
    chatter holding an arXiv link when the chat turned on auto_links."""
    if always_answered(request):
        return True
    if not find_arxiv_refs(request.text, limit=1):
        return False
    info = await services.chats.get_chat(request.chat)
    return info is not None and info.settings.auto_links


async def handle_message(request: Request, services: Services) -> list[Reply]:
    """A plain message, answered when `wants_answer` says so."""
    if not await wants_answer(request, services):
        return []
    refs = find_arxiv_refs(request.text, limit=MAX_NAMED)
    if not refs:
        refused = no_reference_error(request.text)  # a link gets its own wording
        if isinstance(refused, NotArxivLink | MalformedArxivLink):
            return [Reply(text=error_text(refused, await chat_language(request, services)))]
        language = await chat_language(request, services)
        return [Reply(text=localize(NO_REFERENCE_HINT, "no_reference", language))]
    return await summarize_refs(request, services, refs, Mode.CONDENSED)


async def summarize_refs(
    request: Request, services: Services, refs: list[ArxivRef], mode: Mode
) -> list[Reply]:
    """Fair to ordinary use: cached answers are served first and cost nothing; the rest of one
    message costs one hit of the per-user limit (links asked again within the window: none);
    links past the per-message cap are named; in groups a refusal is said once per window."""
    refs = one_per_paper(refs)  # v1 and v2 of one paper: one summary
    kept, dropped = refs[: services.max_links], refs[services.max_links :]
    language = await chat_language(request, services)
    ready = await services.summaries.stored(kept, mode, language=language)
    todo = [ref for ref in kept if ref not in ready]
    user = f"{request.chat.platform}:{request.user_id}"
    wait = services.user_limiter.admit(user, [r.versioned for r in todo]) if todo else 0.0
    refused = todo if wait > 0 else []
    todo = [] if wait > 0 else todo
    papers = await services.papers.fetch_papers(todo) if todo else {}
    # Streaming shows one summary being written: only when it is the only one.
    preview = request.preview if len(todo) == 1 and not ready else None

    async def one(ref: ArxivRef) -> Reply | None:
        if ref in ready:
            return summary_reply(ready[ref], mode, language=language)
        if ref in refused:
            return None
        paper = papers.get(ref)
        if paper is None:
            return Reply(text=error_text(PaperNotFound(ref.versioned), language))
        note = withdrawal_note(paper)
        if note is not None:  # never summarized as if it were a normal paper
            return Reply(
                text=WITHDRAWN.format(id=paper.versioned_id, title=paper.title, note=note),
                buttons=(Button("原文", url=paper.abs_url),),
            )
        try:
            result = await services.summaries.summarize_paper(
                paper,
                mode,
                progress=request.progress,
                chat=str(request.chat),
                language=language,
                preview=preview,
            )
        except PaperbotError as exc:
            return Reply(text=error_text(exc, language))
        if services.relevance is not None:  # a paper the chat asked for teaches its ranking
            await services.relevance.remember(request.chat, [paper], "asked", wait=False)
        return summary_reply(result, mode, language=language)

    replies = [r for r in await asyncio.gather(*(one(ref) for ref in kept)) if r is not None]
    if refused and (
        request.chat_kind is ChatKind.PRIVATE
        or request.answers_privately
        or services.user_limiter.announce(user)
    ):
        text = refusal(wait, refused, some_served=bool(ready), language=language)
        replies.append(Reply(text=text, ephemeral=request.answers_privately))
    if dropped:
        replies.append(Reply(text=dropped_note(services.max_links, dropped, language)))
    return replies


def named(refs: list[ArxivRef]) -> str:
    shown = "、".join(f"arXiv:{ref.versioned}" for ref in refs[:MAX_NAMED_SHOWN])
    more = len(refs) - MAX_NAMED_SHOWN
    return shown + (f" 等 {len(refs)} 篇" if more > 0 else "")


def refusal(
    wait: float, refused: list[ArxivRef], *, some_served: bool, language: str | None = None
) -> str:
    seconds = math.ceil(wait)
    if not some_served:
        text = f"请求太频繁了，请 {seconds} 秒后再试。"
        return localize(text, "rate_limited", language, seconds=seconds)
    # the cached ones were answered: say which ones were not
    text = f"请求太频繁了，请 {seconds} 秒后再试。（未处理：{named(refused)}）"
    return localize(text, "rate_limited_some", language, seconds=seconds, links=named(refused))


def dropped_note(limit: int, dropped: list[ArxivRef], language: str | None = None) -> str:
    links = named(dropped)
    text = f"一条消息最多处理 {limit} 篇论文，这些没有处理：{links}。请另发一条消息。"
    return localize(text, "links_dropped", language, count=limit, links=links)


async def handle_summary_action(request: Request, services: Services) -> list[Reply]:
    """`x:f:<id>` expands to the full summary, `x:c:<id>` collapses back, in place."""
    _, what, raw_id = (request.action or "").split(":", 2)
    ref = parse_arxiv_ref(raw_id)
    mode = Mode.FULL if what == "f" else Mode.CONDENSED
    language = await chat_language(request, services)
    # 收起 (and a second 展开) finds the summary stored: no "⏳ 正在读取论文…" toast for it.
    result = await services.summaries.cached(ref, mode, language=language)
    if result is None:
        result = await services.summaries.summarize(
            ref, mode, progress=request.progress, chat=str(request.chat), language=language
        )
    return [summary_reply(result, mode, edit=True, language=language)]


async def handle_feedback_action(request: Request, services: Services) -> list[Reply]:
    """`fb:1:<id>` / `fb:-1:<id>`: store the vote, answer with a short acknowledgement."""
    _, value, raw_id = (request.action or "").split(":", 2)
    vote = 1 if value == "1" else -1
    ref = parse_arxiv_ref(raw_id)
    await services.feedback.record_feedback(request.chat, request.user_id, ref.arxiv_id, vote)
    return [Reply(toast="感谢反馈！👍" if vote > 0 else "感谢反馈，我们会改进。👎")]
