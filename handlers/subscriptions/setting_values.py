"""Values of the digest's `/settings` words: delivery time, time zone, paper count, mode."""

from __future__ import annotations

import functools
import re
import unicodedata
import zoneinfo

MAX_PAPERS = 50
TZ_EXAMPLES = "Asia/Shanghai、Europe/Berlin、America/New_York"
_TZ_ALIASES = {
    "北京": "Asia/Shanghai",
    "北京时间": "Asia/Shanghai",
    "上海": "Asia/Shanghai",
    "beijing": "Asia/Shanghai",
    "china": "Asia/Shanghai",
    "utc": "UTC",
    "gmt": "UTC",
}
_MODES = {"condensed": "condensed", "精简": "condensed", "简洁": "condensed", "简要": "condensed"}
_MODES |= {"full": "full", "完整": "full", "详细": "full"}


def parse_time(text: str) -> str:
    """`9:30`, `09:30`, `21：05` -> `HH:MM` (24-hour)."""
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})", unicodedata.normalize("NFKC", text).strip())
    if m is None or int(m[1]) > 23 or int(m[2]) > 59:
        raise ValueError("请用 24 小时制 HH:MM，例如 08:00 或 21:30")
    return f"{int(m[1]):02d}:{m[2]}"


@functools.cache
def _zones_by_lower() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def parse_timezone(text: str) -> str:
    """An IANA zone name (case-insensitive), or a few Chinese aliases (北京 -> Asia/Shanghai)."""
    value = unicodedata.normalize("NFKC", text).strip()
    key = _TZ_ALIASES.get(value.lower(), value)
    if not re.fullmatch(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*", key):
        key = ""
    name = _zones_by_lower().get(key.lower()) if key else None
    if name is None:
        raise ValueError(f"「{value[:40]}」不是有效的时区（IANA 名称），例如 {TZ_EXAMPLES}")
    return name


def parse_max(text: str) -> int:
    value = unicodedata.normalize("NFKC", text).strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAPERS:
        raise ValueError(f"请填写 1 到 {MAX_PAPERS} 之间的整数")
    return int(value)


def parse_mode(text: str) -> str:
    mode = _MODES.get(text.strip().lower())
    if mode is None:
        raise ValueError("请填写 condensed（精简）或 full（完整）")
    return mode


def show_mode(value: object) -> str:
    return "完整（full）" if value == "full" else "精简（condensed）"
