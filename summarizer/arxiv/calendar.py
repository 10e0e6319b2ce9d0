"""When arXiv announces: Sun–Thu 20:00 America/New_York, minus weekends and arXiv holidays.

Vocabulary: an *announcement day* is the ET date of a 20:00 announcement (what
`Announcement.day` holds); its *mailing date* is the next day, the date arXiv prints on the
listing and on the RSS feed's pubDate (the feed is rebuilt at midnight ET). Announcements
happen Sun–Thu evenings, so mailings are dated Mon–Fri.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ARXIV_TZ = ZoneInfo("America/New_York")
ANNOUNCE_TIME = time(20, 0)
ANNOUNCE_WEEKDAYS = frozenset({6, 0, 1, 2, 3})  # Sun, Mon, Tue, Wed, Thu (date.weekday())
MAX_LOOKAROUND_DAYS = 60

# Mailing dates on which arXiv publishes nothing (so the 20:00 announcement the evening before
# is skipped), from arXiv's published holiday schedules (arxiv.org/about → "Availability").
# Add a year's dates when arXiv publishes them; weekday mailings only.
NO_MAILING: dict[date, str] = {
    date(2024, 11, 28): "Thanksgiving",
    date(2024, 12, 25): "Christmas",
    date(2025, 1, 1): "New Year's Day",
    date(2025, 11, 27): "Thanksgiving",
    date(2025, 12, 25): "Christmas",
    date(2025, 12, 26): "Christmas week",
    date(2026, 1, 1): "New Year's Day",
    date(2026, 11, 26): "Thanksgiving",
    date(2026, 12, 24): "Christmas Eve",
    date(2026, 12, 25): "Christmas",
    date(2026, 12, 31): "New Year's Eve",
    date(2027, 1, 1): "New Year's Day",
}


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"naive datetime {at!r}: pass a timezone-aware datetime")


def mailing_date(day: date) -> date:
    """The date arXiv prints on the listing announced on the evening of `day`."""
    return day + timedelta(days=1)


def day_of_mailing(mailing: date) -> date:
    """The announcement day of a mailing (inverse of mailing_date)."""
    return mailing - timedelta(days=1)


def holiday(day: date) -> str | None:
    """Why arXiv skips the announcement of `day`, when a holiday is the reason."""
    return NO_MAILING.get(mailing_date(day))


def is_announcement_expected(day: date) -> bool:
    """Whether arXiv announces at 20:00 ET on `day` (Sun–Thu and not a holiday)."""
    return day.weekday() in ANNOUNCE_WEEKDAYS and mailing_date(day) not in NO_MAILING


def announcement_at(day: date) -> datetime:
    """The moment of `day`'s announcement (20:00 ET; DST handled by zoneinfo)."""
    return datetime.combine(day, ANNOUNCE_TIME, tzinfo=ARXIV_TZ)


def feed_ready_at(day: date) -> datetime:
    """When the RSS feed carries `day`'s announcement: midnight ET of its mailing date."""
    return datetime.combine(mailing_date(day), time(0, 0), tzinfo=ARXIV_TZ)


def announcement_day(at: datetime) -> date | None:
    """The day of the latest announcement made at or before `at` (None if there was none in
    the last MAX_LOOKAROUND_DAYS days, which only a broken holiday table could cause)."""
    _require_aware(at)
    local = at.astimezone(ARXIV_TZ)
    day = local.date() if local.time() >= ANNOUNCE_TIME else local.date() - timedelta(days=1)
    for _ in range(MAX_LOOKAROUND_DAYS):
        if is_announcement_expected(day):
            return day
        day -= timedelta(days=1)
    return None


def next_announcement(after: datetime) -> datetime:
    """The first announcement strictly after `after` (an aware datetime in ET)."""
    _require_aware(after)
    day = after.astimezone(ARXIV_TZ).date()
    for _ in range(MAX_LOOKAROUND_DAYS):
        if is_announcement_expected(day) and announcement_at(day) > after:
            return announcement_at(day)
        day += timedelta(days=1)
    raise ValueError(f"no arXiv announcement within {MAX_LOOKAROUND_DAYS} days after {after}")


def describe_day(day: date) -> str:
    """Why there is (no) announcement on `day`, in Chinese, for notices and logs."""
    if is_announcement_expected(day):
        return "arXiv 正常发布"
    reason = holiday(day)
    if reason is not None:
        return f"arXiv 节假日休息（{reason}）"
    return "arXiv 周末不发布"
