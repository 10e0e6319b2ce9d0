"""SqlDigestStore: announcements recorded once, the per-chat claim, the delivery ledger."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.digest.ledger import DeliveryPart, PartStatus, PlannedPart
from handlers.digest.types import Announcement, FeedEntry
from handlers.types import ChatRef
from storage.digest_tables import AnnouncementRow, DeliveryRow, DigestStateRow, SentPaperRow
from storage.engine import Database
from storage.tables import as_utc, utc_now
from storage.upsert import table_of, upsert, upsert_statement

OPEN = ("pending", "sending")


def _to_part(row: DeliveryRow) -> DeliveryPart:
    assert row.id is not None
    return DeliveryPart.model_validate(
        {
            "id": row.id,
            "chat": ChatRef(row.platform, row.chat_id),
            "day": row.day,
            "part": row.part,
            "kind": row.kind,
            "payload": row.payload,
            "arxiv_id": row.arxiv_id,
            "status": row.status,
            "attempts": row.attempts,
            "next_attempt_at": as_utc(row.next_attempt_at) if row.next_attempt_at else None,
            "owner": row.owner,
            "sending_since": as_utc(row.sending_since) if row.sending_since else None,
            "message_ids": tuple(row.message_ids),
            "error": row.error,
        }
    )


def _merge(stored: Announcement | None, fresh: Announcement) -> Announcement:
    if stored is None:
        return fresh
    seen = {(e.paper.arxiv_id, e.announce_type) for e in stored.entries}
    extra = tuple(e for e in fresh.entries if (e.paper.arxiv_id, e.announce_type) not in seen)
    categories = tuple(dict.fromkeys(stored.categories + fresh.categories))
    return Announcement(day=stored.day, categories=categories, entries=stored.entries + extra)


class SqlDigestStore:
    """handlers.digest.ledger.DigestStore on SQL (SQLite and PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_announcement(self, day: date) -> Announcement | None:
        async with self._db.session() as s:
            row = (
                await s.exec(select(AnnouncementRow).where(col(AnnouncementRow.day) == day))
            ).first()
        if row is None:
            return None
        entries = tuple(FeedEntry.model_validate(e) for e in row.entries)
        return Announcement(day=row.day, categories=tuple(row.categories), entries=entries)

    async def save_announcement(self, announcement: Announcement) -> Announcement:
        merged = _merge(await self.get_announcement(announcement.day), announcement)
        row = {
            "day": merged.day,
            "categories": list(merged.categories),
            "paper_ids": [e.paper.arxiv_id for e in merged.entries],
            "entries": [e.model_dump(mode="json") for e in merged.entries],
            "fetched_at": utc_now(),
        }
        update_cols = ("categories", "paper_ids", "entries", "fetched_at")
        async with self._db.session() as s:
            await upsert(s, AnnouncementRow, [row], keys=("day",), update=update_cols)
            await s.commit()
        return merged

    async def planning_lease(self, day: date) -> tuple[str | None, datetime | None] | None:
        """(planner, until) of the day's announcement; None when it is not stored."""
        stmt = select(AnnouncementRow).where(col(AnnouncementRow.day) == day)
        async with self._db.session() as s:
            row = (await s.exec(stmt)).first()
        if row is None:
            return None
        return row.planner, as_utc(row.planning_until) if row.planning_until else None

    async def take_planning(
        self, day: date, owner: str, until: datetime, replacing: str | None
    ) -> bool:
        """Conditional UPDATE: the lease goes to `owner` only if its holder is still
        `replacing` (None: free), so exactly one of two racing processes gets it."""
        table = table_of(AnnouncementRow)
        held = table.c.planner.is_(None) if replacing is None else table.c.planner == replacing
        stmt = (
            update(table)
            .where(table.c.day == day, held)
            .values(planner=owner, planning_until=until)
        )
        async with self._db.session() as s:
            count = (await s.exec(stmt)).rowcount
            await s.commit()
        return bool(count == 1)

    async def release_planning(self, day: date, owner: str) -> None:
        table = table_of(AnnouncementRow)
        stmt = (
            update(table)
            .where(table.c.day == day, table.c.planner == owner)
            .values(planner=None, planning_until=None)
        )
        async with self._db.session() as s:
            await s.exec(stmt)
            await s.commit()

    async def last_digest_days(self, chats: Sequence[ChatRef]) -> dict[ChatRef, date]:
        wanted = set(chats)
        stmt = select(DigestStateRow).where(col(DigestStateRow.last_digest_day).is_not(None))
        async with self._db.session() as s:
            rows = (await s.exec(stmt)).all()
        found: dict[ChatRef, date] = {}
        for row in rows:
            chat = ChatRef(row.platform, row.chat_id)
            if chat in wanted and row.last_digest_day is not None:
                found[chat] = row.last_digest_day
        return found

    async def sent_paper_ids(self, chat: ChatRef, arxiv_ids: Sequence[str]) -> set[str]:
        if not arxiv_ids:
            return set()
        stmt = select(SentPaperRow.arxiv_id).where(
            col(SentPaperRow.platform) == chat.platform,
            col(SentPaperRow.chat_id) == chat.chat_id,
            col(SentPaperRow.arxiv_id).in_(list(arxiv_ids)),
        )
        async with self._db.session() as s:
            return set((await s.exec(stmt)).all())

    async def claim_and_plan(self, chat: ChatRef, day: date, parts: Sequence[PlannedPart]) -> bool:
        state = table_of(DigestStateRow)
        now = utc_now()
        seed = {"platform": chat.platform, "chat_id": chat.chat_id, "updated_at": now}
        claim = (
            update(state)
            .where(
                state.c.platform == chat.platform,
                state.c.chat_id == chat.chat_id,
                or_(state.c.last_digest_day.is_(None), state.c.last_digest_day < day),
            )
            .values(last_digest_day=day, updated_at=now)
        )
        async with self._db.session() as s:
            # Writes first (SQLite: a read-then-write transaction can hit SQLITE_BUSY).
            await upsert(s, DigestStateRow, [seed], keys=("platform", "chat_id"), update=())
            if (await s.exec(claim)).rowcount != 1:
                await s.rollback()
                return False
            await self._insert_parts(s, chat, day, parts)
            papers = [
                {
                    "platform": chat.platform,
                    "chat_id": chat.chat_id,
                    "arxiv_id": arxiv_id,
                    "day": day,
                    "created_at": now,
                }
                for p in parts
                for arxiv_id in p.papers
            ]
            keys = ("platform", "chat_id", "arxiv_id")
            await upsert(s, SentPaperRow, papers, keys=keys, update=())
            await s.commit()
        return True

    async def add_notice(self, chat: ChatRef, day: date, part: PlannedPart) -> bool:
        async with self._db.session() as s:
            added = await self._insert_parts(s, chat, day, [part])
            await s.commit()
        return added == 1

    async def _insert_parts(
        self, s: AsyncSession, chat: ChatRef, day: date, parts: Sequence[PlannedPart]
    ) -> int:
        if not parts:
            return 0
        now = utc_now()
        rows: list[dict[str, Any]] = [
            {
                "platform": chat.platform,
                "chat_id": chat.chat_id,
                "day": day,
                "part": p.part,
                "kind": p.kind,
                "arxiv_id": p.arxiv_id,
                "payload": p.payload,
                "status": "pending",
                "attempts": 0,
                "message_ids": [],
                "created_at": now,
                "updated_at": now,
            }
            for p in parts
        ]
        dialect = s.get_bind().dialect.name
        keys = ("platform", "chat_id", "day", "part")
        result = await s.exec(upsert_statement(dialect, DeliveryRow, rows, keys, ()))
        return int(result.rowcount)

    async def open_parts(self) -> list[DeliveryPart]:
        stmt = (
            select(DeliveryRow)
            .where(col(DeliveryRow.status).in_(OPEN))
            .order_by(
                col(DeliveryRow.platform),
                col(DeliveryRow.chat_id),
                col(DeliveryRow.day),
                col(DeliveryRow.part),
            )
        )
        async with self._db.session() as s:
            return [_to_part(r) for r in (await s.exec(stmt)).all()]

    async def _transition(self, part_id: int, where: Any, **values: Any) -> bool:
        ledger = table_of(DeliveryRow)
        stmt = (
            update(ledger)
            .where(ledger.c.id == part_id, where)
            .values(updated_at=utc_now(), **values)
        )
        async with self._db.session() as s:
            count = (await s.exec(stmt)).rowcount
            await s.commit()
        return bool(count == 1)

    async def begin_send(self, part_id: int, owner: str, at: datetime) -> bool:
        ledger = table_of(DeliveryRow)
        return await self._transition(
            part_id,
            ledger.c.status == "pending",
            status="sending",
            attempts=ledger.c.attempts + 1,
            owner=owner,
            sending_since=at,
        )

    async def take_over(self, part_id: int, owner: str, at: datetime) -> bool:
        ledger = table_of(DeliveryRow)
        return await self._transition(
            part_id, ledger.c.status == "sending", owner=owner, sending_since=at
        )

    async def mark_sent(self, part_id: int, message_ids: Sequence[str], at: datetime) -> None:
        ledger = table_of(DeliveryRow)
        await self._transition(
            part_id,
            ledger.c.status == "sending",
            status="sent",
            message_ids=list(message_ids),
            error=None,
        )

    async def mark_retry(self, part_id: int, next_attempt_at: datetime, error: str) -> None:
        ledger = table_of(DeliveryRow)
        await self._transition(
            part_id,
            ledger.c.status == "sending",
            status="pending",
            next_attempt_at=next_attempt_at,
            owner=None,
            sending_since=None,
            error=error[:500],
        )

    async def mark_final(self, part_id: int, status: PartStatus, error: str | None) -> None:
        ledger = table_of(DeliveryRow)
        await self._transition(
            part_id,
            ledger.c.status.in_(OPEN),
            status=status,
            error=None if error is None else error[:500],
        )

    async def fail_open_parts(self, chat: ChatRef, error: str) -> int:
        ledger = table_of(DeliveryRow)
        stmt = (
            update(ledger)
            .where(
                ledger.c.platform == chat.platform,
                ledger.c.chat_id == chat.chat_id,
                ledger.c.status == "pending",
            )
            .values(status="failed", error=error[:500], updated_at=utc_now())
        )
        async with self._db.session() as s:
            count = (await s.exec(stmt)).rowcount
            await s.commit()
        return int(count)

    async def parts_for(self, chat: ChatRef, day: date | None = None) -> list[DeliveryPart]:
        stmt = select(DeliveryRow).where(
            col(DeliveryRow.platform) == chat.platform, col(DeliveryRow.chat_id) == chat.chat_id
        )
        if day is not None:
            stmt = stmt.where(col(DeliveryRow.day) == day)
        stmt = stmt.order_by(col(DeliveryRow.day), col(DeliveryRow.part))
        async with self._db.session() as s:
            return [_to_part(r) for r in (await s.exec(stmt)).all()]
