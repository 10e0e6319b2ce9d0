"""arXiv's announcement calendar: Sun–Thu 20:00 ET, weekends, holidays, DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from summarizer.arxiv.calendar import (
    ARXIV_TZ,
    SKIPPED_EVENINGS,
    announcement_at,
    announcement_day,
    announcement_days,
    day_of_mailing,
    describe_day,
    doubtful,
    feed_ready_at,
    give_up_at,
    holiday,
    is_announcement_expected,
    mailing_date,
    next_announcement,
)

ET = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")


# Every evening arXiv's availability page lists (see the sources in summarizer.arxiv.calendar),
# written out here by hand from those pages, so that a slip in the table fails a test.
LISTED = [
    (date(2024, 1, 15), "Mon"),
    (date(2024, 5, 22), "Wed"),
    (date(2024, 6, 19), "Wed"),
    (date(2024, 7, 4), "Thu"),
    (date(2024, 9, 2), "Mon"),
    (date(2024, 11, 28), "Thu"),
    (date(2024, 12, 25), "Wed"),
    (date(2024, 12, 26), "Thu"),
    (date(2024, 12, 31), "Tue"),
    (date(2025, 1, 1), "Wed"),
    (date(2025, 1, 20), "Mon"),
    (date(2025, 6, 19), "Thu"),
    (date(2025, 7, 6), "Sun"),
    (date(2025, 9, 1), "Mon"),
    (date(2025, 11, 27), "Thu"),
    (date(2026, 1, 1), "Thu"),
    (date(2026, 1, 19), "Mon"),
    (date(2026, 6, 19), "Fri"),
    (date(2026, 7, 3), "Fri"),
    (date(2026, 9, 7), "Mon"),
    (date(2026, 11, 26), "Thu"),
    (date(2026, 12, 25), "Fri"),
    (date(2026, 12, 29), "Tue"),
    (date(2026, 12, 31), "Thu"),
]


@pytest.mark.parametrize(("day", "weekday"), LISTED, ids=[d.isoformat() for d, _ in LISTED])
def test_listed_evening_is_skipped_and_its_neighbours_are_not(day: date, weekday: str) -> None:
    assert day.strftime("%a") == weekday  # the page's weekday and date agree
    assert not is_announcement_expected(day)
    assert holiday(day) is not None
    # The misreading skipped the evening BEFORE a listed date: that evening announces.
    before = day - timedelta(days=1)
    if before.weekday() in (6, 0, 1, 2, 3) and before not in SKIPPED_EVENINGS:
        assert is_announcement_expected(before)
    # At 20:30 ET on a listed evening the latest announcement is an earlier one.
    latest = announcement_day(datetime.combine(day, time(20, 30), tzinfo=ET))
    assert latest is not None and latest < day


def test_table_is_exactly_the_listed_evenings() -> None:
    assert sorted(SKIPPED_EVENINGS) == [d for d, _ in LISTED]


@pytest.mark.parametrize(
    "day",
    # Evenings the old table (keyed by the mailing date) skipped although arXiv announced.
    [
        date(2024, 11, 27),
        date(2024, 12, 24),
        date(2025, 11, 26),
        date(2025, 12, 24),
        date(2026, 11, 25),
        date(2026, 12, 23),
        date(2026, 12, 24),
        date(2026, 12, 30),
    ],
)
def test_evenings_before_a_holiday_announce(day: date) -> None:
    assert is_announcement_expected(day)
    assert describe_day(day) == "arXiv 正常发布"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 11, 23), True),  # Sunday: Monday's mailing
        (date(2025, 11, 26), True),  # Wednesday before Thanksgiving announces
        (date(2025, 11, 27), False),  # Thanksgiving evening: deferred to Sunday
        (date(2025, 11, 28), False),  # Friday
        (date(2025, 11, 29), False),  # Saturday
        (date(2025, 11, 30), True),  # Sunday after Thanksgiving
        (date(2026, 1, 4), True),  # Sunday after New Year
    ],
)
def test_announcement_days(day: date, expected: bool) -> None:
    assert is_announcement_expected(day) is expected


def test_describe_day() -> None:
    assert describe_day(date(2025, 11, 27)) == "arXiv 节假日休息（Thanksgiving）"
    assert describe_day(date(2025, 11, 29)) == "arXiv 周末不发布"
    assert describe_day(date(2026, 12, 25)) == "arXiv 周末不发布"  # a listed Friday
    assert describe_day(date(2025, 11, 24)) == "arXiv 正常发布"


def test_sunday_after_a_listed_friday_is_doubtful_but_expected() -> None:
    sunday = date(2026, 7, 5)
    assert doubtful(sunday) and is_announcement_expected(sunday)
    assert not doubtful(date(2026, 7, 12))


def test_give_up_is_after_the_feed_rebuild() -> None:
    day = date(2026, 11, 30)
    assert give_up_at(day) > feed_ready_at(day) > announcement_at(day)


def test_announcement_days_between() -> None:
    # Thanksgiving week 2026: Sun 22 .. Sun 29; the 26th is skipped, Fri/Sat have none.
    assert announcement_days(date(2026, 11, 21), date(2026, 11, 29)) == [
        date(2026, 11, 22),
        date(2026, 11, 23),
        date(2026, 11, 24),
        date(2026, 11, 25),
        date(2026, 11, 29),
    ]


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


def test_announcement_day_over_thanksgiving() -> None:
    thursday_night = datetime(2025, 11, 27, 21, tzinfo=ET)
    assert announcement_day(thursday_night) == date(2025, 11, 26)  # Wednesday announced


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
    # Christmas 2024: Tue 24th announces, Wed 25th and Thu 26th skipped -> Sunday the 29th.
    assert next_announcement(announcement_at(date(2024, 12, 23))) == announcement_at(
        date(2024, 12, 24)
    )
    assert next_announcement(announcement_at(date(2024, 12, 24))) == announcement_at(
        date(2024, 12, 29)
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
