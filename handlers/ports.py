"""Protocols the handlers need from storage and the summarizer, plus per-chat settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from handlers.types import ChatKind, ChatRef
from summarizer.language import Language
from summarizer.models import ArxivRef, Mode, Paper, SummaryResult
from summarizer.qa.service import Answer
from summarizer.streaming import PreviewFn


class ChatSettings(BaseModel):
    """A chat's preferences, stored as one JSON document so new fields need no migration."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    auto_links: bool = False
    """Groups: answer plain messages that contain arXiv links (private chats always do)."""
    reply_in_thread: bool = False
    """Discord: answer plain links in a thread rather than as a reply."""
    language: str = "zh"
    # Digest preferences (topic subscriptions, issue "daily digest").
    digest_time: str = "09:30"
    """Local time HH:MM when the daily digest is sent (after arXiv's 20:00 ET announcement)."""
    timezone: str = "Asia/Shanghai"
    """IANA time zone of digest_time."""
    max_papers: int = 10
    include_cross: bool = True
    """Include cross-listed papers (announce_type cross) in the digest."""
    digest_mode: str = "condensed"
    """condensed | full"""
    empty_notice: bool = False
    """Send a one-line notice on days arXiv announces nothing."""
    paused: bool = False
    digest_style: str = "compact"
    """compact (one message per digest when it fits) | cards (one message per paper)"""
    updates: bool = False
    """Add a short note when a paper the chat received gets a new version (or is withdrawn)."""
    skip_day: str | None = None
    """ISO date of an announcement day the chat chose not to get: set when a resume, a time
    change or a first subscription comes after that day's delivery time (no surprise digest)."""
    rank_mode: str = "learned"
    """Digest order: learned (topic terms + meaning + this chat's 👍/👎) | keyword."""
    explore: bool = True
    """Keep one digest slot in ten for a paper in a new direction (learned order only)."""


class ChatInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    chat: ChatRef
    kind: ChatKind
    title: str | None = None
    active: bool = True
    settings: ChatSettings = ChatSettings()


class ChatStore(Protocol):
    async def upsert_chat(self, chat: ChatRef, kind: ChatKind, title: str | None) -> ChatInfo:
        """Create the chat on first sight (active, default settings) or refresh kind/title;
        returns what is stored. Re-activates a chat that was marked inactive."""
        ...

    async def get_chat(self, chat: ChatRef) -> ChatInfo | None: ...

    async def save_settings(self, chat: ChatRef, settings: ChatSettings) -> None: ...

    async def set_active(self, chat: ChatRef, active: bool, reason: str | None = None) -> None:
        """Mark a chat (in)active, e.g. after a 403 from the platform."""
        ...

    async def migrate_chat(self, old: ChatRef, new: ChatRef) -> None:
        """A Telegram group became a supergroup: move the chat and everything keyed by it."""
        ...

    async def forget_chat(self, chat: ChatRef) -> int:
        """`/forget`: delete the chat and everything keyed by it (settings, subscriptions,
        votes, digest state and records); returns how many stored rows were removed."""
        ...


class FeedbackStore(Protocol):
    async def record_feedback(self, chat: ChatRef, user_id: str, arxiv_id: str, value: int) -> None:
        """Store 👍 (+1) / 👎 (-1) once per chat, user and paper (a second press replaces)."""
        ...


ProgressFn = Callable[[str], Awaitable[None]]


class Summaries(Protocol):
    """The summary service as handlers see it (summarizer.service.SummaryService)."""

    async def cached(
        self, ref: ArxivRef, mode: Mode, *, language: str | None = None
    ) -> SummaryResult | None: ...

    async def stored(
        self, refs: Sequence[ArxivRef], mode: Mode, *, language: str | None = None
    ) -> dict[ArxivRef, SummaryResult]:
        """Stored summaries of the refs whose papers are already known locally; never calls
        arXiv or the model (what the per-user limit lets through for free)."""
        ...

    async def summarize(
        self,
        ref: ArxivRef,
        mode: Mode,
        *,
        progress: ProgressFn | None = None,
        chat: str | None = None,
        language: str | None = None,
        preview: PreviewFn | None = None,
    ) -> SummaryResult: ...

    async def summarize_paper(
        self,
        paper: Paper,
        mode: Mode,
        *,
        progress: ProgressFn | None = None,
        chat: str | None = None,
        language: str | None = None,
        preview: PreviewFn | None = None,
    ) -> SummaryResult:
        """`language`: the chat's (zh, zh-TW, en); None is the service default (zh)."""
        ...


class Answers(Protocol):
    """Questions about a paper (summarizer.qa.service.AnswerService)."""

    async def ask(
        self, paper: Paper, question: str, *, chat: str, thread: str, language: Language = "zh"
    ) -> Answer:
        """Answer from the paper's own text; earlier turns of `thread` are read only within
        `chat` (a thread id seen in another chat finds nothing)."""
        ...
