"""SqlSummaryStore: summaries cached by their full SummaryKey, shared by every chat."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from storage.engine import Database
from storage.tables import SummaryRow, as_utc, utc_now, version_to_db
from storage.upsert import upsert
from summarizer.models import SummaryKey, SummaryRecord

_KEY = ("arxiv_id", "version", "mode", "language", "provider", "model", "prompt_version", "reads")


def _key_columns(key: SummaryKey) -> dict[str, Any]:
    return {
        "arxiv_id": key.arxiv_id,
        "version": version_to_db(key.version),
        "mode": key.mode.value,
        "language": key.language,
        "provider": key.provider,
        "model": key.model,
        "prompt_version": key.prompt_version,
        "reads": key.reads,
    }


class SqlSummaryStore:
    """summarizer.ports.SummaryStore on SQL: the record (minus its key) is one JSON payload, so
    new SummaryRecord fields need no migration."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_summary(self, key: SummaryKey) -> SummaryRecord | None:
        stmt = select(SummaryRow)
        for name, value in _key_columns(key).items():
            stmt = stmt.where(getattr(SummaryRow, name) == value)
        async with self._db.session() as s:
            row = (await s.exec(stmt)).first()
        if row is None:
            return None
        record = SummaryRecord.model_validate({**row.payload, "key": key})
        if record.created_at is not None:
            record = record.model_copy(update={"created_at": as_utc(record.created_at)})
        return record

    async def save_summary(self, record: SummaryRecord) -> None:
        """Insert or replace the record stored under record.key."""
        row = {
            **_key_columns(record.key),
            "status": record.status,
            "payload": record.model_dump(mode="json", exclude={"key"}),
            "created_at": record.created_at or utc_now(),
        }
        async with self._db.session() as s:
            await upsert(
                s, SummaryRow, [row], keys=_KEY, update=("status", "payload", "created_at")
            )
            await s.commit()
