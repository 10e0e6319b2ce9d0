"""When a chat's next digest comes, in words (`明天（12-02 周三）09:30（Asia/Shanghai（UTC+8））`),
and whether a change would make today's digest go out at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from handlers.digest.schedule import chat_zone, due_day, parse_digest_time
from handlers.ports import ChatSettings
from handlers.subscriptions.zones import describe_zone
from summarizer.arxiv.calendar import evening_of

WEEKDAYS = "一二三四五六日"
HORIZON_DAYS = 14


def skipped_day(settings: ChatSettings) -> date | None:
    """The announcement day the chat chose not to get (asked after its delivery time)."""
    try:
        return date.fromisoformat(settings.skip_day) if settings.skip_day else None
    except ValueError:
        return None


def next_delivery(
    settings: ChatSettings,
    now: datetime,
    *,
    last_day: date | None,
    expected: Callable[[date], bool],
) -> tuple[datetime, date] | None:
    """The next local slot after `now` that brings an announcement the chat has not had:
    slot s carries evening_of(s), the latest 20:00 ET announcement; days arXiv skips bring
    nothing (or only the 📭 notice)."""
    skip = skipped_day(settings)
    done = max(d for d in (last_day, skip) if d is not None) if (last_day or skip) else None
    zone = chat_zone(settings)
    at = parse_digest_time(settings.digest_time)
    local = now.astimezone(zone)
    for ahead in range(HORIZON_DAYS):
        slot = datetime.combine(local.date() + timedelta(days=ahead), at, tzinfo=zone)
        if slot.timestamp() <= now.timestamp():
            continue
        day = evening_of(slot)
        if done is not None and day <= done:
            continue
        if expected(day):
            return slot, day
    return None


def pending_today(
    settings: ChatSettings, now: datetime, last_day: date | None, expected: Callable[[date], bool]
) -> date | None:
    """The announcement day a tick would deliver right away (its slot has passed, the chat
    has not had it): the "surprise digest" a resume, a time change or a first /sub causes."""
    day = due_day(settings, now)
    skip = skipped_day(settings)
    if (last_day is not None and last_day >= day) or (skip is not None and skip >= day):
        return None
    return day if expected(day) else None


def day_label(day: date) -> str:
    return f"{day.isoformat()}（周{WEEKDAYS[day.weekday()]}）"


def when_text(slot: datetime, now: datetime, settings: ChatSettings) -> str:
    zone = chat_zone(settings)
    local, today = slot.astimezone(zone), now.astimezone(zone).date()
    ahead = (local.date() - today).days
    named = {0: "今天", 1: "明天", 2: "后天"}.get(ahead)
    day = f"{local:%m-%d} 周{WEEKDAYS[local.weekday()]}"
    when = f"{named}（{day}）" if named else day
    sep = "" if named else " "
    return f"{when}{sep}{local:%H:%M}（{describe_zone(zone.key, slot)}）"


def next_digest_line(
    settings: ChatSettings,
    now: datetime,
    *,
    last_day: date | None,
    expected: Callable[[date], bool],
    prefix: str = "下一期速递",
) -> str:
    if settings.paused:
        return f"{prefix}：已暂停（/resume 恢复）。"
    found = next_delivery(settings, now, last_day=last_day, expected=expected)
    if found is None:
        return f"{prefix}：两周内 arXiv 没有公告。"
    slot, day = found
    return f"{prefix}：{when_text(slot, now, settings)}，内容为 {day_label(day)}的 arXiv 公告。"
