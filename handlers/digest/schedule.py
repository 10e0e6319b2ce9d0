"""When a chat's digest is due: its latest local delivery slot mapped to an announcement day.

A digest carries the announcement whose RSS feed is ready at the chat's slot. The feed of the
20:00 ET announcement of day D is rebuilt at midnight ET (its mailing date D+1), so the slot's
ET date minus one is the day: Shanghai 09:30 on Wednesday (Tuesday 20:30 ET) gets Monday's
announcement, mailed Tuesday. Days arXiv skips (Fri, Sat, holidays) are still days: chats that
asked for it get the 📭 notice, the others nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.ports import ChatSettings
from summarizer.arxiv.calendar import ARXIV_TZ, day_of_mailing

DEFAULT_TIME = time(9, 30)
DEFAULT_ZONE = "Asia/Shanghai"


class Calendar(Protocol):
    """arXiv's announcement calendar (the module summarizer.arxiv.calendar implements it)."""

    def is_announcement_expected(self, day: date) -> bool:
        """False on days arXiv announces nothing (Fri, Sat, holidays)."""
        ...


def parse_digest_time(text: str) -> time:
    """`HH:MM` → time; anything unusable falls back to 09:30 rather than never sending."""
    try:
        hours, minutes = text.strip().split(":", 1)
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        return DEFAULT_TIME


def chat_zone(settings: ChatSettings) -> ZoneInfo:
    try:
        return ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def latest_slot(settings: ChatSettings, now: datetime) -> datetime:
    """The latest moment ≤ now whose local wall time is the chat's digest_time.

    A wall time skipped by a DST change (02:30 on spring-forward day) resolves with the
    pre-transition offset, i.e. one hour later in the new offset: still once that day."""
    zone = chat_zone(settings)
    at = parse_digest_time(settings.digest_time)
    local = now.astimezone(zone)
    for back in (0, 1, 2):
        slot = datetime.combine(local.date() - timedelta(days=back), at, tzinfo=zone)
        # Compare instants: aware datetimes sharing a tzinfo compare by wall time, which a
        # skipped wall time (02:30 on spring-forward day) would get wrong.
        if slot.timestamp() <= now.timestamp():
            return slot.astimezone(UTC)
    raise AssertionError("a slot within two days always exists")  # pragma: no cover


def feed_day(at: datetime) -> date:
    """The announcement day whose feed arXiv serves at `at`."""
    return day_of_mailing(at.astimezone(ARXIV_TZ).date())


def due_day(settings: ChatSettings, now: datetime) -> date:
    """The announcement day whose digest the chat should have by `now`: the one served at
    its latest slot. After downtime the same day is still due (caught up); once a later slot
    has passed, the chat moves on to that slot's day (a missed day is not replayed)."""
    return feed_day(latest_slot(settings, now))


def is_due(settings: ChatSettings, now: datetime, last: date | None) -> bool:
    return last is None or last < due_day(settings, now)
