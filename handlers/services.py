"""The dependencies handlers receive, built once by bot.wiring.build_services()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from handlers.digest.types import SubscriptionStore
from handlers.ports import Answers, ChatStore, FeedbackStore, Summaries
from handlers.rate_limit import FairLimiter
from summarizer.ports import PaperSource

if TYPE_CHECKING:  # PyMuPDF loads only where full text is wired; the pipeline imports us
    from handlers.digest.pipeline import DigestPipeline
    from summarizer.fulltext import FullTextSource


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    papers: PaperSource
    summaries: Summaries
    chats: ChatStore
    feedback: FeedbackStore
    user_limiter: FairLimiter
    max_links: int = 3
    model_label: str = "extractive"
    digest: DigestPipeline | None = None
    """The daily digest pipeline, when wired (build_services always wires it)."""
    subscriptions: SubscriptionStore | None = None
    """Topic subscriptions (`/sub`, `/subs`, `/unsub`); None when not wired."""
    default_archive: str = "cs"
    """Scope of keyword and author topics that name no category (PAPERBOT_DEFAULT_ARCHIVE)."""
    fulltext: FullTextSource | None = None
    """Papers' full text and page images (arXiv HTML / PDF); None when not wired."""
    clock: Callable[[], datetime] = field(default=utc_now, repr=False)
    """Now, as an aware UTC datetime (replies that say when the next digest comes)."""
    answers: Answers | None = None
    """Questions about papers (`/ask`, replies to summaries); None when not wired."""
