"""The repositories' stable import path: SQL implementations of the summarizer/handlers ports."""

from __future__ import annotations

from storage.chat_store import SqlChatStore, SqlFeedbackStore
from storage.paper_store import SqlPaperStore
from storage.summary_store import SqlSummaryStore
from storage.usage_store import SqlUsageStore, UsageRow

__all__ = [
    "SqlChatStore",
    "SqlFeedbackStore",
    "SqlPaperStore",
    "SqlSummaryStore",
    "SqlUsageStore",
    "UsageRow",
]
