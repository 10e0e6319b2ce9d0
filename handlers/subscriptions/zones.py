"""Time zones as people type them: IANA names, `UTC+8`, `+08:00`, and common city names."""

from __future__ import annotations

import functools
import re
import unicodedata
import zoneinfo
from datetime import UTC, datetime

TZ_EXAMPLES = "Asia/Shanghai、UTC+8、+08:00、北京、Berlin"
CITIES = {
    # Chinese names people type; English city names mostly resolve through the IANA list
    # (the zone's last component: "new york" → America/New_York).
    "北京": "Asia/Shanghai", "北京时间": "Asia/Shanghai", "上海": "Asia/Shanghai",
    "中国": "Asia/Shanghai", "广州": "Asia/Shanghai", "深圳": "Asia/Shanghai",
    "杭州": "Asia/Shanghai", "南京": "Asia/Shanghai", "武汉": "Asia/Shanghai",
    "成都": "Asia/Shanghai", "西安": "Asia/Shanghai", "合肥": "Asia/Shanghai",
    "香港": "Asia/Hong_Kong", "澳门": "Asia/Macau", "台北": "Asia/Taipei",
    "东京": "Asia/Tokyo", "日本": "Asia/Tokyo", "首尔": "Asia/Seoul", "新加坡": "Asia/Singapore",
    "伦敦": "Europe/London", "英国": "Europe/London", "巴黎": "Europe/Paris",
    "柏林": "Europe/Berlin", "慕尼黑": "Europe/Berlin", "苏黎世": "Europe/Zurich",
    "阿姆斯特丹": "Europe/Amsterdam", "纽约": "America/New_York", "波士顿": "America/New_York",
    "美东": "America/New_York", "美西": "America/Los_Angeles",
    "洛杉矶": "America/Los_Angeles", "旧金山": "America/Los_Angeles",
    "西雅图": "America/Los_Angeles", "湾区": "America/Los_Angeles",
    "芝加哥": "America/Chicago", "多伦多": "America/Toronto", "温哥华": "America/Vancouver",
    "悉尼": "Australia/Sydney", "墨尔本": "Australia/Melbourne",
    "beijing": "Asia/Shanghai", "china": "Asia/Shanghai", "peking": "Asia/Shanghai",
    "guangzhou": "Asia/Shanghai", "shenzhen": "Asia/Shanghai", "hangzhou": "Asia/Shanghai",
    "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles",
    "boston": "America/New_York", "munich": "Europe/Berlin", "beijing time": "Asia/Shanghai",
    "utc": "UTC", "gmt": "UTC", "z": "UTC",
}  # fmt: skip
# Offsets that are not whole hours have no Etc/ zone: a zone without DST that keeps them.
FRACTIONAL = {
    (5, 30): "Asia/Kolkata", (5, 45): "Asia/Kathmandu", (6, 30): "Asia/Yangon",
    (9, 30): "Australia/Darwin", (3, 30): "Asia/Tehran", (4, 30): "Asia/Kabul",
    (8, 45): "Australia/Eucla", (-9, -30): "Pacific/Marquesas",
}  # fmt: skip
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?")


class ZoneError(ValueError):
    """Not a time zone we can use; the message says what to type instead."""


@functools.cache
def _zones_by_key() -> dict[str, str]:
    zones = sorted(zoneinfo.available_timezones())
    by_key: dict[str, str] = {}
    for name in zones:
        city = name.rsplit("/", 1)[-1].replace("_", " ").lower()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/")):
            by_key.setdefault(city, name)
    by_key |= {name.lower(): name for name in zones}
    return by_key


def _from_offset(sign: str, hours: int, minutes: int) -> str:
    if hours > 14 or minutes >= 60:
        raise ZoneError(f"UTC 偏移应在 -12 到 +14 小时之间，例如 {TZ_EXAMPLES}")
    if minutes == 0:
        if hours == 0:
            return "UTC"
        # POSIX sign: Etc/GMT-8 is UTC+8 (IANA's etcetera file says so).
        return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
    key = (hours, minutes) if sign == "+" else (-hours, -minutes)
    if key not in FRACTIONAL:
        raise ZoneError(f"没有 UTC{sign}{hours}:{minutes:02d} 的固定时区，请用城市名或 IANA 名称")
    return FRACTIONAL[key]


def parse_timezone(text: str) -> str:
    """The IANA name to store for what a user typed: `Asia/Shanghai` (any case), `UTC+8`,
    `GMT-5`, `+08:00`, `+0530`, `北京`, `Beijing`, `new york`."""
    value = " ".join(unicodedata.normalize("NFKC", text).strip().split())
    key = value.lower()
    if key in CITIES:
        return CITIES[key]
    offset = _OFFSET.fullmatch(key)
    if offset is not None:
        return _from_offset(offset[1], int(offset[2]), int(offset[3] or 0))
    name = _zones_by_key().get(key) or _zones_by_key().get(key.replace("_", " "))
    if name is None:
        raise ZoneError(f"「{value[:40]}」不是可识别的时区，例如 {TZ_EXAMPLES}")
    return name


def utc_offset(name: str, at: datetime | None = None) -> str:
    """`UTC+8`, `UTC-4`, `UTC+5:30` for the zone at `at` (default now)."""
    moment = (at or datetime.now(UTC)).astimezone(zoneinfo.ZoneInfo(name))
    delta = moment.utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def describe_zone(name: str, at: datetime | None = None) -> str:
    """How a zone reads in confirmations: `Asia/Shanghai（UTC+8）`, or just `UTC+8`."""
    try:
        offset = utc_offset(name, at)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return name
    if name.startswith("Etc/") or name == "UTC":
        return offset
    return f"{name}（{offset}）"
