"""Every table whose rows belong to a chat (columns `platform`, `chat_id`), written out in one
place, each with the other columns of its unique key: migrate_chat moves all of their rows and
forgetting a chat deletes them. A new chat-keyed table must be added here (a test checks that
every table with `platform` and `chat_id` columns is listed)."""

from __future__ import annotations

from sqlmodel import SQLModel

from storage.digest_tables import DeliveryRow, DigestStateRow, SentPaperRow
from storage.qa_tables import QaTurnRow
from storage.subscription_tables import SubscriptionRow
from storage.tables import FeedbackRow

CHAT_KEYED: tuple[tuple[type[SQLModel], tuple[str, ...]], ...] = (
    (FeedbackRow, ("user_id", "arxiv_id")),
    (SubscriptionRow, ("raw",)),
    (DigestStateRow, ()),
    (DeliveryRow, ("day", "part")),
    (SentPaperRow, ("arxiv_id",)),
    (QaTurnRow, ("id",)),  # question threads: no key besides the row id, nothing can clash
)
