"""The dependencies handlers receive, built once by bot.wiring.build_services()."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from handlers.digest_ledger import DigestPreviewer
from handlers.digest_types import SubscriptionStore
from handlers.ports import ChatStore, FeedbackStore, Summaries
from handlers.rate_limit import FairLimiter
from summarizer.ports import PaperSource

if TYPE_CHECKING:  # PyMuPDF loads only where full text is wired
    from summarizer.fulltext import FullTextSource


@dataclass
class Services:
    papers: PaperSource
    summaries: Summaries
    chats: ChatStore
    feedback: FeedbackStore
    user_limiter: FairLimiter
    max_links: int = 3
    model_label: str = "extractive"
    digest: DigestPreviewer | None = None
    """The daily digest pipeline (handlers.digest.DigestPipeline), when wired."""
    subscriptions: SubscriptionStore | None = None
    """Topic subscriptions (`/sub`, `/subs`, `/unsub`); None when not wired."""
    default_archive: str = "cs"
    """Scope of keyword and author topics that name no category (PAPERBOT_DEFAULT_ARCHIVE)."""
    fulltext: FullTextSource | None = None
    """Papers' full text and page images (arXiv HTML / PDF); None when not wired."""
