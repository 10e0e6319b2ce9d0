"""Time zones as people type them; the next delivery in words; the no-surprise rule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from handlers.digest.when import next_delivery, next_digest_line, pending_today
from handlers.ports import ChatSettings
from handlers.subscriptions.glossary import needs_english, suggest
from handlers.subscriptions.zones import ZoneError, describe_zone, parse_timezone
from summarizer.arxiv.calendar import is_announcement_expected

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Asia/Shanghai", "Asia/Shanghai"),
        ("asia/shanghai", "Asia/Shanghai"),
        ("UTC+8", "Etc/GMT-8"),
        ("utc+08:00", "Etc/GMT-8"),
        ("+08:00", "Etc/GMT-8"),
        ("GMT-5", "Etc/GMT+5"),
        ("-05:00", "Etc/GMT+5"),
        ("+0530", "Asia/Kolkata"),
        ("北京", "Asia/Shanghai"),
        ("上海", "Asia/Shanghai"),
        ("Beijing", "Asia/Shanghai"),
        ("东京", "Asia/Tokyo"),
        ("new york", "America/New_York"),
        ("Berlin", "Europe/Berlin"),
        ("ＵＴＣ＋８", "Etc/GMT-8"),  # full-width, as a Chinese keyboard types it
    ],
)
def test_time_zones_people_type(typed: str, zone: str) -> None:
    assert parse_timezone(typed) == zone
    ZoneInfo(parse_timezone(typed))  # usable by the scheduler


def test_offsets_read_back_as_utc_offsets() -> None:
    winter = datetime(2026, 12, 1, tzinfo=UTC)
    assert describe_zone("Etc/GMT-8", winter) == "UTC+8"
    assert describe_zone("Asia/Shanghai", winter) == "Asia/Shanghai（UTC+8）"
    assert describe_zone("America/New_York", winter) == "America/New_York（UTC-5）"


@pytest.mark.parametrize("typed", ["火星", "x/y", "UTC+25", "+05:15", ""])
def test_unusable_zones_say_what_to_type(typed: str) -> None:
    with pytest.raises(ZoneError, match=r"UTC|IANA|例如"):
        parse_timezone(typed)


def test_chinese_topics_get_english_suggestions() -> None:
    assert needs_english("大语言模型") and not needs_english("LLM 大模型")
    assert suggest("大语言模型")[:2] == ['"large language model"', "LLM"]
    assert '"diffusion model"' in suggest("扩散模型")
    assert suggest("蛋白质折叠") == []


def test_next_delivery_skips_days_without_announcement() -> None:
    settings = ChatSettings()  # 09:30 Asia/Shanghai
    friday_night = datetime(2026, 12, 4, 22, 0, tzinfo=SHANGHAI).astimezone(UTC)
    found = next_delivery(
        settings, friday_night, last_day=date(2026, 12, 3), expected=is_announcement_expected
    )
    assert found is not None
    slot, day = found
    # Saturday and Sunday 09:30 bring Friday's and Saturday's evenings (no announcement);
    # Monday 09:30 (Sunday 20:30 ET) brings Sunday's.
    assert slot.astimezone(SHANGHAI) == datetime(2026, 12, 7, 9, 30, tzinfo=SHANGHAI)
    assert day == date(2026, 12, 6)
    line = next_digest_line(
        settings, friday_night, last_day=date(2026, 12, 3), expected=is_announcement_expected
    )
    assert line.startswith("下一期速递：") and "（Asia/Shanghai（UTC+8））" in line


def test_after_the_slot_today_is_pending_once_and_skippable() -> None:
    settings = ChatSettings()
    evening = datetime(2026, 12, 1, 22, 0, tzinfo=SHANGHAI).astimezone(UTC)
    day = pending_today(settings, evening, None, is_announcement_expected)
    assert day == date(2026, 11, 30)  # this morning's digest: Monday evening's announcement
    assert pending_today(settings, evening, day, is_announcement_expected) is None
    skipped = settings.model_copy(update={"skip_day": day.isoformat()})
    assert pending_today(skipped, evening, None, is_announcement_expected) is None
    found = next_delivery(skipped, evening, last_day=None, expected=is_announcement_expected)
    assert found is not None and found[1] == date(2026, 12, 1)
    saturday = datetime(2026, 12, 5, 22, 0, tzinfo=SHANGHAI).astimezone(UTC)
    # Saturday evening: this morning's slot carried Friday evening (no announcement).
    assert pending_today(settings, saturday, None, is_announcement_expected) is None
