"""The dependencies handlers receive, built once by bot.wiring.build_services()."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.ports import ChatStore, FeedbackStore, Summaries
from handlers.rate_limit import SlidingWindowLimiter
from summarizer.ports import PaperSource


@dataclass
class Services:
    papers: PaperSource
    summaries: Summaries
    chats: ChatStore
    feedback: FeedbackStore
    user_limiter: SlidingWindowLimiter
    max_links: int = 3
    model_label: str = "extractive"
