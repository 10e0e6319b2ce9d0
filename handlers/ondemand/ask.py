"""Questions about a paper: `/ask <id> <question>`, and replies to a summary or an answer."""

from __future__ import annotations

import math
import re
import secrets

from handlers.messages import chat_language, reason_text, text_for
from handlers.services import Services
from handlers.types import Button, Reply, Request
from summarizer.arxiv.ids import find_arxiv_refs, parse_arxiv_ref
from summarizer.errors import MalformedArxivId, PaperbotError
from summarizer.language import Language
from summarizer.models import ArxivRef
from summarizer.qa.service import Answer

MAX_QUESTION_CHARS = 1_000
"""A question, not a document: longer input is refused with a clear reply."""
ASK_ACTION = "q"
# Actions on the bot's own messages that name one paper (see handlers.ondemand.paper):
# x:f:<id> / x:c:<id> (summary toggle), fb:±1:<id> (votes), q:<id>:<thread> (answers).
_PAPER_ACTION = re.compile(r"^(?:x:[fc]|fb:-?1|q):([^:]+)")
_CARD_ID = re.compile(r"arXiv:([\w./-]+?)(?=[\s·,，。)）]|$)")
_WORDS = re.compile(r"[\s\W_]+")
_THREAD_ACTION = re.compile(r"^q:[^:]+:([0-9a-f]{6,32})$")


def replied_papers(request: Request) -> list[ArxivRef]:
    """The papers the replied-to bot message is about, read from its buttons, in order."""
    if request.reply_to is None or not request.reply_to.from_bot:
        return []
    found: dict[str, ArxivRef] = {}
    for action in request.reply_to.actions:
        match = _PAPER_ACTION.match(action)
        if match:
            try:
                ref = parse_arxiv_ref(match.group(1))
            except PaperbotError:
                continue
            found.setdefault(ref.arxiv_id, ref)
    if not found:
        # A client that leaves the buttons out of the quoted message (Telegram documents
        # Message.reply_markup, but a forwarded copy has none): the card's own
        # "arXiv:<id>" line names the paper.
        for raw in _CARD_ID.findall(request.reply_to.text):
            try:
                ref = parse_arxiv_ref(raw)
            except PaperbotError:
                continue
            found.setdefault(ref.arxiv_id, ref)
    return list(found.values())


def replied_thread(request: Request) -> str | None:
    """The thread of the answer replied to: its follow-up button carries it."""
    if request.reply_to is None or not request.reply_to.from_bot:
        return None
    for action in request.reply_to.actions:
        match = _THREAD_ACTION.match(action)
        if match:
            return match.group(1)
    return None


def is_question_reply(request: Request) -> bool:
    """A plain message replying to one of the bot's summaries or answers, without a link of
    its own (a link is a new paper to summarize, not a question)."""
    if request.command or request.action or not replied_papers(request):
        return False
    return not find_arxiv_refs(request.text, limit=1)


async def handle_ask(request: Request, services: Services) -> list[Reply]:
    """`/ask <id> <question>`: starts a new thread."""
    language = await chat_language(request, services)
    args = request.args.strip()
    if not args:
        return [Reply(text=text_for("ask_usage", language))]
    first, _, question = args.partition(" ")
    refs = find_arxiv_refs(first, limit=1)
    if not refs:
        raise MalformedArxivId(first[:60])
    if not question.strip():
        return [Reply(text=text_for("ask_no_question", language, arxiv_id=refs[0].versioned))]
    return await answer_question(request, services, refs[0], question, None, language)


async def handle_question_reply(request: Request, services: Services) -> list[Reply]:
    """A reply to a summary (new thread) or to an answer (the same thread, with its turns)."""
    language = await chat_language(request, services)
    refs = replied_papers(request)
    if len(refs) != 1:
        return [Reply(text=text_for("ask_which_paper", language))]
    thread = replied_thread(request)
    return await answer_question(request, services, refs[0], request.text, thread, language)


async def handle_ask_action(request: Request, services: Services) -> list[Reply]:
    """The 继续追问 button under an answer: explains how to follow up."""
    language = await chat_language(request, services)
    return [Reply(toast=text_for("ask_follow_up_toast", language))]


async def answer_question(
    request: Request,
    services: Services,
    ref: ArxivRef,
    question: str,
    thread: str | None,
    language: Language,
) -> list[Reply]:
    question = question.strip()
    if not _WORDS.sub("", question):  # nothing but spaces and punctuation
        return [Reply(text=text_for("ask_empty", language))]
    if len(question) > MAX_QUESTION_CHARS:
        return [
            Reply(
                text=text_for(
                    "ask_too_long", language, length=len(question), limit=MAX_QUESTION_CHARS
                )
            )
        ]
    if services.answers is None:
        return [Reply(text=text_for("ask_disabled", language))]
    # The same per-user limit as summaries: a question costs one model call, like a paper.
    wait = services.user_limiter.hit(f"{request.chat.platform}:{request.user_id}")
    if wait > 0:
        return [Reply(text=text_for("rate_limited", language, seconds=math.ceil(wait)))]
    paper = await services.papers.fetch_paper(ref)
    await request.progress(text_for("ask_progress", language))
    thread = thread or secrets.token_hex(6)
    answer = await services.answers.ask(
        paper, question, chat=str(request.chat), thread=thread, language=language
    )
    return [answer_reply(answer, thread, language)]


def answer_text(answer: Answer, language: Language) -> str:
    lines: list[str] = []
    if answer.source == "abstract" and answer.status in ("ok", "not_found"):
        lines.append(text_for("ask_abstract_only", language))
    label = answer.citations[0] if answer.citations else ""
    if answer.status == "extractive":
        lines += [text_for("ask_extractive", language, label=label), answer.text]
    elif answer.status == "degraded":
        reason = reason_text(answer.reason, language)
        if answer.text:
            lines += [text_for("ask_degraded", language, reason=reason, label=label), answer.text]
        else:
            lines.append(text_for("ask_degraded_empty", language, reason=reason))
    else:
        # one paragraph: a model cannot fake a 出处 line or a second message with newlines
        lines.append(f"💬 {' '.join(answer.text.split())}")
        if answer.status == "ok" and answer.citations:
            separator = ", " if language == "en" else "、"
            citations = separator.join(answer.citations)
            lines.append(text_for("ask_sources", language, citations=citations))
    lines.append(f"— arXiv:{answer.paper.versioned_id}")
    return "\n".join(lines)


def answer_reply(answer: Answer, thread: str, language: Language) -> Reply:
    vid = answer.paper.versioned_id
    buttons = (
        Button(text_for("ask_follow_up_button", language), action=f"{ASK_ACTION}:{vid}:{thread}"),
        Button(text_for("button_abs", language), url=answer.paper.abs_url),
    )
    return Reply(text=answer_text(answer, language), buttons=buttons)
