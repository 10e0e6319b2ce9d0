"""Values of the digest's `/settings` words: delivery time, time zone, paper count, mode."""

from __future__ import annotations

import re
import unicodedata

from handlers.subscriptions import zones

MAX_PAPERS = 50
TZ_EXAMPLES = zones.TZ_EXAMPLES
_MODES = {"condensed": "condensed", "精简": "condensed", "简洁": "condensed", "简要": "condensed"}
_MODES |= {"full": "full", "完整": "full", "详细": "full"}


def parse_time(text: str) -> str:
    """`9:30`, `09:30`, `21：05` -> `HH:MM` (24-hour)."""
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})", unicodedata.normalize("NFKC", text).strip())
    if m is None or int(m[1]) > 23 or int(m[2]) > 59:
        raise ValueError("请用 24 小时制 HH:MM，例如 08:00 或 21:30")
    return f"{int(m[1]):02d}:{m[2]}"


def parse_timezone(text: str) -> str:
    """IANA names, `UTC+8`, `+08:00` and city names (handlers.subscriptions.zones)."""
    return zones.parse_timezone(text)


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


_STYLES = {"compact": "compact", "精简": "compact", "紧凑": "compact", "一条": "compact"}
_STYLES |= {"cards": "cards", "card": "cards", "卡片": "cards"}


def parse_style(text: str) -> str:
    style = _STYLES.get(text.strip().lower())
    if style is None:
        raise ValueError("请填写 compact（精简，一条消息）或 cards（卡片，每篇一条）")
    return style


def show_style(value: object) -> str:
    return "卡片（每篇一条消息）" if value == "cards" else "精简（一条消息）"
