"""arXiv's announcement calendar: Sun–Thu 20:00 ET, weekends, holidays, DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from summarizer.arxiv.calendar import (
    ARXIV_TZ,
    NO_MAILING,
    announcement_at,
    announcement_day,
    day_of_mailing,
    describe_day,
    feed_ready_at,
    holiday,
    is_announcement_expected,
    mailing_date,
    next_announcement,
)

ET = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 11, 23), True),  # Sunday: Monday's mailing
        (date(2025, 11, 24), True),  # Monday
        (date(2025, 11, 25), True),  # Tuesday
        (date(2025, 11, 26), False),  # Wednesday before Thanksgiving: no Thursday mailing
        (date(2025, 11, 27), True),  # Thanksgiving evening: Friday's mailing goes out
        (date(2025, 11, 28), False),  # Friday
        (date(2025, 11, 29), False),  # Saturday
        (date(2025, 12, 24), False),  # Christmas Eve: no mailing on the 25th
        (date(2025, 12, 25), False),  # no mailing on the 26th
        (date(2025, 12, 31), False),  # New Year's Eve: no mailing on 1 January
        (date(2026, 1, 4), True),  # Sunday after New Year
    ],
)
def test_announcement_days(day: date, expected: bool) -> None:
    assert is_announcement_expected(day) is expected


def test_holiday_table_holds_weekday_mailings_only() -> None:
    assert NO_MAILING
    assert all(d.weekday() < 5 for d in NO_MAILING)
    assert holiday(date(2025, 11, 26)) == "Thanksgiving"
    assert holiday(date(2025, 11, 28)) is None  # a Friday, but not a holiday
    assert describe_day(date(2025, 11, 26)) == "arXiv 节假日休息（Thanksgiving）"
    assert describe_day(date(2025, 11, 29)) == "arXiv 周末不发布"
    assert describe_day(date(2025, 11, 24)) == "arXiv 正常发布"


def test_mailing_is_the_next_day() -> None:
    assert mailing_date(date(2025, 11, 23)) == date(2025, 11, 24)
    assert day_of_mailing(date(2025, 11, 24)) == date(2025, 11, 23)


def test_announcement_day_switches_at_20_et() -> None:
    before = datetime(2025, 11, 24, 19, 59, tzinfo=ET)
    at = datetime(2025, 11, 24, 20, 0, tzinfo=ET)
    assert announcement_day(before) == date(2025, 11, 23)
    assert announcement_day(at) == date(2025, 11, 24)


def test_announcement_day_over_a_weekend_is_thursday() -> None:
    for hour in range(0, 24, 3):
        friday = datetime(2025, 11, 21, hour, tzinfo=ET)
        saturday = datetime(2025, 11, 22, hour, tzinfo=ET)
        assert announcement_day(friday) == date(2025, 11, 20)
        assert announcement_day(saturday) == date(2025, 11, 20)
    sunday_late = datetime(2025, 11, 23, 20, 30, tzinfo=ET)
    assert announcement_day(sunday_late) == date(2025, 11, 23)


def test_announcement_day_skips_thanksgiving() -> None:
    thursday_noon = datetime(2025, 11, 27, 12, tzinfo=ET)
    assert announcement_day(thursday_noon) == date(2025, 11, 25)  # Wednesday was skipped


def test_announcement_day_accepts_any_zone() -> None:
    # 09:30 Tuesday in Shanghai is 20:30 Monday in New York (EST, UTC-5).
    assert announcement_day(datetime(2025, 11, 25, 9, 30, tzinfo=SHANGHAI)) == date(2025, 11, 24)
    # 08:30 Tuesday in Shanghai is 19:30 Monday in New York: Monday's not made yet.
    assert announcement_day(datetime(2025, 11, 25, 8, 30, tzinfo=SHANGHAI)) == date(2025, 11, 23)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        announcement_day(datetime(2025, 11, 25, 9, 30))  # noqa: DTZ001
    with pytest.raises(ValueError, match="naive"):
        next_announcement(datetime(2025, 11, 25, 9, 30))  # noqa: DTZ001


def test_announcement_time_follows_dst() -> None:
    summer = announcement_at(date(2025, 7, 14))
    winter = announcement_at(date(2025, 12, 15))
    assert summer.astimezone(UTC).hour == 0 and summer.utcoffset() == timedelta(hours=-4)
    assert winter.astimezone(UTC).hour == 1 and winter.utcoffset() == timedelta(hours=-5)


def test_next_announcement_across_the_spring_dst_change() -> None:
    # DST starts Sunday 2026-03-08 at 02:00 ET; Friday 20:00 EST -> Sunday 20:00 EDT.
    friday = datetime(2026, 3, 6, 20, 0, tzinfo=ET)
    nxt = next_announcement(friday)
    assert nxt == datetime(2026, 3, 8, 20, 0, tzinfo=ET)
    assert nxt.astimezone(UTC) == datetime(2026, 3, 9, 0, 0, tzinfo=UTC)
    assert nxt - friday.astimezone(UTC) == timedelta(hours=47)  # one hour lost


def test_next_announcement_across_the_autumn_dst_change() -> None:
    # DST ends Sunday 2025-11-02 at 02:00 ET: Thursday 20:00 EDT -> Sunday 20:00 EST.
    thursday = datetime(2025, 10, 30, 20, 0, tzinfo=ET)
    nxt = next_announcement(thursday)
    assert nxt == datetime(2025, 11, 2, 20, 0, tzinfo=ET)
    assert nxt.astimezone(UTC) - thursday.astimezone(UTC) == timedelta(hours=73)


def test_next_announcement_is_strictly_after() -> None:
    monday = announcement_at(date(2025, 11, 24))
    assert next_announcement(monday) == announcement_at(date(2025, 11, 25))
    assert next_announcement(monday - timedelta(seconds=1)) == monday
    # Over Christmas: 24th, 25th skipped, 26th Friday, weekend -> Sunday the 28th.
    assert next_announcement(announcement_at(date(2025, 12, 23))) == announcement_at(
        date(2025, 12, 28)
    )


def test_feed_ready_at_midnight_et_of_the_mailing() -> None:
    ready = feed_ready_at(date(2025, 11, 24))
    assert ready == datetime(2025, 11, 25, 0, 0, tzinfo=ARXIV_TZ)
    assert ready.astimezone(UTC) == datetime(2025, 11, 25, 5, 0, tzinfo=UTC)


def test_every_day_of_two_years_is_consistent() -> None:
    day = date(2025, 1, 1)
    while day < date(2027, 1, 1):
        at = announcement_at(day)
        if is_announcement_expected(day):
            assert announcement_day(at) == day
            assert next_announcement(at - timedelta(minutes=1)) == at
        else:
            assert announcement_day(at) != day
        day += timedelta(days=1)
