"""When a chat's digest is due: its latest local delivery slot mapped to an announcement day.

A digest carries the newest announcement made by the chat's slot: the one of the latest
20:00 ET at or before it (the listing page shows it from 20:00 ET). Shanghai 09:30 on Wednesday
(Tuesday 20:30 ET) gets Tuesday evening's announcement, made 08:00/09:00 Beijing time. Days
arXiv skips (Fri, Sat, holidays) are still days: chats that asked for it get the 📭 notice, the
others nothing. After downtime, each missed day of the last CATCH_UP_DAYS is still due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.ports import ChatSettings
from summarizer.arxiv.calendar import ARXIV_TZ, could_announce, day_of_mailing, evening_of

DEFAULT_TIME = time(9, 30)
DEFAULT_ZONE = "Asia/Shanghai"
CATCH_UP_DAYS = 7


class Calendar(Protocol):
    """arXiv's announcement calendar (the module summarizer.arxiv.calendar implements it)."""

    def is_announcement_expected(self, day: date) -> bool:
        """False on days arXiv plans no announcement (Fri, Sat, listed holidays)."""
        ...

    def could_announce(self, day: date) -> bool:
        """Sun–Thu: an announcement is possible (the sources decide)."""
        ...

    def announcement_at(self, day: date) -> datetime: ...

    def give_up_at(self, day: date) -> datetime:
        """When an expected announcement no source shows is taken as not made."""
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
    """The announcement day whose RSS feed arXiv serves at `at` (rebuilt at midnight ET)."""
    return day_of_mailing(at.astimezone(ARXIV_TZ).date())


def due_day(settings: ChatSettings, now: datetime) -> date:
    """The announcement day whose digest the chat should have by `now`: the ET evening of
    the latest 20:00 at or before its latest slot."""
    return evening_of(latest_slot(settings, now))


def due_days(settings: ChatSettings, now: datetime, last: date | None) -> list[date]:
    """Every day still owed to the chat, oldest first: the due day, and after downtime each
    announcement evening (Sun–Thu) since its last digest, CATCH_UP_DAYS back at most."""
    day = due_day(settings, now)
    if last is not None and last >= day:
        return []
    earliest = day - timedelta(days=CATCH_UP_DAYS)
    start = max(earliest, last) if last is not None else day - timedelta(days=1)
    days = []
    d = start + timedelta(days=1)
    while d <= day:
        if d == day or could_announce(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def is_due(settings: ChatSettings, now: datetime, last: date | None) -> bool:
    return last is None or last < due_day(settings, now)
