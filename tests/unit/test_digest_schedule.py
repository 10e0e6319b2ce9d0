"""When a chat's digest is due: time zones, DST changes, weekends, holidays, downtime."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.digest.schedule import due_day, due_days, is_due, latest_slot, parse_digest_time
from handlers.ports import ChatSettings
from summarizer.arxiv import calendar as arxiv_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
SH = ChatSettings(digest_time="09:30", timezone="Asia/Shanghai")


def at(zone: ZoneInfo, *parts: int, fold: int = 0) -> datetime:
    return datetime(*parts, tzinfo=zone, fold=fold)  # type: ignore[misc]


def test_the_day_moves_on_exactly_at_the_chats_local_time() -> None:
    before = at(SHANGHAI, 2026, 11, 25, 9, 29)
    after = at(SHANGHAI, 2026, 11, 25, 9, 30)
    assert due_day(SH, before) == date(2026, 11, 23)
    # 09:30 Wednesday in Shanghai is Tuesday 20:30 ET: Tuesday's announcement, made 09:00
    # Beijing time (the misreading gave Monday's, a day stale).
    assert due_day(SH, after) == date(2026, 11, 24)
    assert not is_due(SH, before, date(2026, 11, 23))
    assert is_due(SH, after, date(2026, 11, 23))
    assert is_due(SH, after, None)


@pytest.mark.parametrize(
    ("settings", "now", "day"),
    [
        (ChatSettings(digest_time="08:00", timezone="America/New_York"),
         at(NEW_YORK, 2026, 11, 24, 8, 0), date(2026, 11, 23)),
        (ChatSettings(digest_time="23:59", timezone="America/New_York"),
         at(NEW_YORK, 2026, 11, 24, 23, 59), date(2026, 11, 24)),  # listed since 20:00
        (ChatSettings(digest_time="19:59", timezone="America/New_York"),
         at(NEW_YORK, 2026, 11, 24, 19, 59), date(2026, 11, 23)),  # not made yet
        (ChatSettings(digest_time="07:00", timezone="Europe/Berlin"),
         at(BERLIN, 2026, 11, 24, 7, 0), date(2026, 11, 23)),  # 01:00 ET
        (ChatSettings(digest_time="05:00", timezone="Europe/Berlin"),
         at(BERLIN, 2026, 11, 24, 5, 59), date(2026, 11, 23)),  # 23:00 ET: listed at 20:00
    ],
)  # fmt: skip
def test_time_zones_map_to_the_latest_announcement_at_the_slot(
    settings: ChatSettings, now: datetime, day: date
) -> None:
    assert due_day(settings, now) == day


def test_spring_forward_skipped_wall_time_still_fires_once() -> None:
    ny = ChatSettings(digest_time="02:30", timezone="America/New_York")
    # 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist that day.
    early = at(NEW_YORK, 2026, 3, 8, 3, 15)
    late = at(NEW_YORK, 2026, 3, 8, 3, 45)
    assert latest_slot(ny, early).date() == date(2026, 3, 7)
    assert latest_slot(ny, late).astimezone(NEW_YORK).hour == 3  # 02:30 EST = 03:30 EDT
    days = {
        due_day(ny, at(NEW_YORK, 2026, 3, 8, 0, 0) + timedelta(minutes=m))
        for m in range(0, 24 * 60, 5)
    }
    assert len(days) == 2  # Saturday's until 03:30 EDT, then Sunday's: one change


def test_fall_back_repeated_wall_time_fires_once() -> None:
    ny = ChatSettings(digest_time="01:30", timezone="America/New_York")
    first = at(NEW_YORK, 2026, 11, 1, 1, 45, fold=0)  # EDT
    second = at(NEW_YORK, 2026, 11, 1, 1, 45, fold=1)  # EST, an hour later
    assert second.timestamp() - first.timestamp() == 3600
    assert due_day(ny, first) == due_day(ny, second)
    assert latest_slot(ny, first) == latest_slot(ny, second)


def test_weekends_and_holidays_are_days_without_announcement() -> None:
    mornings = {d: due_day(SH, at(SHANGHAI, 2026, 11, d, 10, 0)) for d in range(17, 24)}
    expected = {d: arxiv_calendar.is_announcement_expected(day) for d, day in mornings.items()}
    # Shanghai mornings Tue–Fri and Monday carry an announcement; Saturday and Sunday do not.
    assert [expected[d] for d in range(17, 24)] == [True, True, True, True, False, False, True]
    # Thanksgiving 2026 (Thu 26th, evening skipped): Friday morning in Shanghai has nothing,
    # Thursday morning has Wednesday's.
    friday = due_day(SH, at(SHANGHAI, 2026, 11, 27, 10, 0))
    assert friday == date(2026, 11, 26)
    assert not arxiv_calendar.is_announcement_expected(friday)
    assert due_day(SH, at(SHANGHAI, 2026, 11, 26, 10, 0)) == date(2026, 11, 25)
    assert arxiv_calendar.is_announcement_expected(date(2026, 11, 25))


def test_downtime_owes_every_missed_announcement_day() -> None:
    last = date(2026, 11, 22)
    back_at = at(SHANGHAI, 2026, 11, 25, 15, 0)  # bot down 09:00-15:00
    assert due_days(SH, back_at, last) == [date(2026, 11, 23), date(2026, 11, 24)]
    two_days_later = at(SHANGHAI, 2026, 11, 27, 10, 0)
    assert due_days(SH, two_days_later, last) == [date(2026, 11, d) for d in (23, 24, 25, 26)]
    # A week and more down: 7 days back at most; Fri/Sat are skipped unless the due day.
    much_later = at(SHANGHAI, 2026, 12, 5, 10, 0)  # due day Fri 4 Dec
    assert due_days(SH, much_later, last) == [
        date(2026, 11, 29), date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2),
        date(2026, 12, 3), date(2026, 12, 4),
    ]  # fmt: skip
    assert due_days(SH, much_later, date(2026, 12, 4)) == []
    assert due_days(SH, much_later, None) == [date(2026, 12, 4)]  # a new chat: today only


def test_unusable_settings_fall_back_instead_of_never_sending() -> None:
    assert parse_digest_time("25:99").hour == 9
    broken = ChatSettings(digest_time="soon", timezone="Mars/Olympus")
    assert due_day(broken, at(SHANGHAI, 2026, 11, 25, 9, 31)) == date(2026, 11, 24)
