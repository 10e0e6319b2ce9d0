"""Persistence: the only package importing sqlmodel (tables, engine, repositories, migrations)."""

from storage.engine import DEFAULT_URL, Database, normalize_url
from storage.migrate import upgrade_database
from storage.repositories import (
    SqlChatStore,
    SqlFeedbackStore,
    SqlPaperStore,
    SqlSummaryStore,
    SqlUsageStore,
    UsageRow,
)

__all__ = [
    "DEFAULT_URL",
    "Database",
    "SqlChatStore",
    "SqlFeedbackStore",
    "SqlPaperStore",
    "SqlSummaryStore",
    "SqlUsageStore",
    "UsageRow",
    "normalize_url",
    "upgrade_database",
]
