"""The delivery ledger as the digest pipeline sees it: planned parts, stored parts, the port."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from handlers.digest.types import Announcement
from handlers.types import ChatRef

PartStatus = Literal["pending", "sending", "sent", "failed", "uncertain"]
PartKind = Literal["header", "entry", "more", "empty", "unreachable", "digest", "update"]
"""`digest`: a whole compact digest in one part (one message when it fits); `update`: new
versions of papers the chat received (`/settings updates on`)."""

UNREACHABLE_PART = 0
"""Part number of the "arXiv unreachable" notice: at most one per chat and day by the ledger's
unique key; digest parts are numbered from 1."""


class PlannedPart(BaseModel):
    """A message part to write into the ledger (payload: a serialized Reply)."""

    model_config = ConfigDict(frozen=True)

    part: int
    kind: PartKind
    payload: dict[str, Any]
    arxiv_id: str | None = None
    """The paper an entry part summarizes."""
    papers: tuple[str, ...] = ()
    """Every paper the part shows (entry: its paper; "还有 N 篇": the listed ones)."""


class DeliveryPart(BaseModel):
    """A ledger row."""

    model_config = ConfigDict(frozen=True)

    id: int
    chat: ChatRef
    day: date
    part: int
    kind: PartKind
    payload: dict[str, Any]
    arxiv_id: str | None
    status: PartStatus
    attempts: int
    next_attempt_at: datetime | None = None
    owner: str | None = None
    sending_since: datetime | None = None
    message_ids: tuple[str, ...] = ()
    error: str | None = None


class DigestStore(Protocol):
    async def get_announcement(self, day: date) -> Announcement | None: ...

    async def save_announcement(self, announcement: Announcement) -> Announcement:
        """Record the day once; a later fetch for more categories merges into it. Returns
        what is stored."""
        ...

    async def planning_lease(self, day: date) -> tuple[str | None, datetime | None] | None:
        """(planner, until) of the stored announcement of `day`; None when not stored."""
        ...

    async def take_planning(
        self, day: date, owner: str, until: datetime, replacing: str | None
    ) -> bool:
        """Give the day's planning lease to `owner` if it is still held by `replacing`."""
        ...

    async def release_planning(self, day: date, owner: str) -> None: ...

    async def last_digest_days(self, chats: Sequence[ChatRef]) -> dict[ChatRef, date]:
        """The last claimed day of each chat that has one."""
        ...

    async def sent_paper_ids(self, chat: ChatRef, arxiv_ids: Sequence[str]) -> set[str]:
        """Those of `arxiv_ids` already planned for (sent to) the chat on any day."""
        ...

    async def claim_and_plan(self, chat: ChatRef, day: date, parts: Sequence[PlannedPart]) -> bool:
        """In one transaction: claim (chat, day) with the conditional UPDATE, and only if this
        caller won (rowcount 1) write the pending parts and the chat's sent papers."""
        ...

    async def add_notice(self, chat: ChatRef, day: date, part: PlannedPart) -> bool:
        """Insert a one-off notice part unless that (chat, day, part) exists; True if added."""
        ...

    async def open_parts(self) -> list[DeliveryPart]:
        """Pending and sending parts, ordered by chat, day, part."""
        ...

    async def begin_send(self, part_id: int, owner: str, at: datetime) -> bool:
        """pending → sending (attempts + 1) for exactly one caller."""
        ...

    async def take_over(self, part_id: int, owner: str, at: datetime) -> bool:
        """A sending part whose owner died: hand it to `owner` (still sending)."""
        ...

    async def mark_sent(self, part_id: int, message_ids: Sequence[str], at: datetime) -> None: ...

    async def mark_retry(self, part_id: int, next_attempt_at: datetime, error: str) -> None: ...

    async def mark_final(self, part_id: int, status: PartStatus, error: str | None) -> None:
        """failed or uncertain."""
        ...

    async def fail_open_parts(self, chat: ChatRef, error: str) -> int:
        """Every pending part of the chat → failed (the chat is unreachable for good)."""
        ...

    async def parts_for(self, chat: ChatRef, day: date | None = None) -> list[DeliveryPart]: ...
