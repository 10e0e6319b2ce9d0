"""When arXiv announces: Sun–Thu 20:00 America/New_York, minus the evenings arXiv skips.

Vocabulary: an *announcement day* (an *evening*) is the ET date of a 20:00 announcement (what
`Announcement.day` holds); its *mailing date* is the next day, the date arXiv prints on the
listing ("announced Tue 1 Dec") and on the RSS feed's pubDate. Announcements happen Sun–Thu
evenings, so mailings are dated Mon–Fri.

The table below is a forecast, not the truth: what the listing page or the feed shows wins
(an announcement that appears is delivered; an expected one that never comes ends, at
`give_up_at`, as "no announcement").
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ARXIV_TZ = ZoneInfo("America/New_York")
ANNOUNCE_TIME = time(20, 0)
ANNOUNCE_WEEKDAYS = frozenset({6, 0, 1, 2, 3})  # Sun, Mon, Tue, Wed, Thu (date.weekday())
MAX_LOOKAROUND_DAYS = 60
GIVE_UP_AFTER = timedelta(hours=6)
"""An expected announcement not seen by 02:00 ET (listing at 20:00, RSS at midnight) is taken
as not made."""

# The US/Eastern evenings whose 20:00 announcement arXiv skips, as its availability page
# (info.arxiv.org/help/availability, "On Deferred Mailings") lists them: the date listed IS the
# skipped evening (arXiv's notice for 2019: "deferred for 28 Nov 2019 … announced Sun 1 Dec").
# Sources, read 2026-12-01:
# - 2024: the page's 2024 list as copied in DCoEngine/PCoCrawler arxiv_time.py (HOLIDAY_2024).
# - 2025: arXiv/arxiv-docs source/help/availability.md @782dfdf ("2025 Holidays"; it says
#   "December Holidays are not yet scheduled"; no later version was found, so December 2025 is
#   absent here and the feed decides).
# - 2026: the page's "2026 Holidays" list as quoted in a 2026-02 capture of
#   info.arxiv.org/help/availability.html (Thursday 2026-01-01 … Thursday 2026-12-31).
# - 2027: not published (or not found) as of 2026-12-01: add it when arXiv publishes it.
# Fridays are listed as the page lists them; a Friday evening never has an announcement, and
# whether the Sunday after is also skipped is left to the feed (see `doubtful`).
SKIPPED_EVENINGS: dict[date, str] = {
    date(2024, 1, 15): "Martin Luther King Jr. Day",
    date(2024, 5, 22): "arXiv deferred mailing",
    date(2024, 6, 19): "Juneteenth",
    date(2024, 7, 4): "Independence Day",
    date(2024, 9, 2): "Labor Day",
    date(2024, 11, 28): "Thanksgiving",
    date(2024, 12, 25): "Christmas",
    date(2024, 12, 26): "Christmas",
    date(2024, 12, 31): "New Year's Eve",
    date(2025, 1, 1): "New Year's Day",
    date(2025, 1, 20): "Martin Luther King Jr. Day",
    date(2025, 6, 19): "Juneteenth",
    date(2025, 7, 6): "Independence Day",
    date(2025, 9, 1): "Labor Day",
    date(2025, 11, 27): "Thanksgiving",
    date(2026, 1, 1): "New Year's Day",
    date(2026, 1, 19): "Martin Luther King Jr. Day",
    date(2026, 6, 19): "Juneteenth",
    date(2026, 7, 3): "Independence Day",
    date(2026, 9, 7): "Labor Day",
    date(2026, 11, 26): "Thanksgiving",
    date(2026, 12, 25): "Christmas",
    date(2026, 12, 29): "Christmas week",
    date(2026, 12, 31): "New Year's Eve",
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
    """Why arXiv skips the announcement of the evening `day`, when the table says so."""
    return SKIPPED_EVENINGS.get(day)


def doubtful(day: date) -> bool:
    """A Sunday right after a listed Friday: arXiv has skipped some of those, not all."""
    return day.weekday() == 6 and (day - timedelta(days=2)) in SKIPPED_EVENINGS


def is_announcement_expected(day: date) -> bool:
    """Whether arXiv plans to announce at 20:00 ET on `day` (Sun–Thu and not listed)."""
    return day.weekday() in ANNOUNCE_WEEKDAYS and day not in SKIPPED_EVENINGS


def could_announce(day: date) -> bool:
    """Whether an announcement on `day` is possible at all (Sun–Thu): a listed evening can
    still turn out to have one, and then it is delivered."""
    return day.weekday() in ANNOUNCE_WEEKDAYS


def announcement_at(day: date) -> datetime:
    """The moment of `day`'s announcement (20:00 ET; DST handled by zoneinfo)."""
    return datetime.combine(day, ANNOUNCE_TIME, tzinfo=ARXIV_TZ)


def give_up_at(day: date) -> datetime:
    """After this, an expected announcement of `day` that no source shows is "not made"."""
    return announcement_at(day) + GIVE_UP_AFTER


def feed_ready_at(day: date) -> datetime:
    """When the RSS feed carries `day`'s announcement: midnight ET of its mailing date."""
    return datetime.combine(mailing_date(day), time(0, 0), tzinfo=ARXIV_TZ)


def evening_of(at: datetime) -> date:
    """The ET date of the latest 20:00 ET at or before `at` (whatever the weekday)."""
    _require_aware(at)
    local = at.astimezone(ARXIV_TZ)
    return local.date() if local.time() >= ANNOUNCE_TIME else local.date() - timedelta(days=1)


def announcement_day(at: datetime) -> date | None:
    """The day of the latest announcement planned at or before `at` (None if there was none
    in the last MAX_LOOKAROUND_DAYS days, which only a broken table could cause)."""
    day = evening_of(at)
    for _ in range(MAX_LOOKAROUND_DAYS):
        if is_announcement_expected(day):
            return day
        day -= timedelta(days=1)
    return None


def announcement_days(after: date, until: date) -> list[date]:
    """The planned announcement days d with after < d <= until, oldest first."""
    days: list[date] = []
    day = after + timedelta(days=1)
    while day <= until:
        if is_announcement_expected(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def next_announcement(after: datetime) -> datetime:
    """The first planned announcement strictly after `after` (an aware datetime)."""
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
    if reason is not None and could_announce(day):
        return f"arXiv 节假日休息（{reason}）"
    return "arXiv 周末不发布"
