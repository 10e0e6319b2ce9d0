"""Telegram HTML rendering: a Reply as ≤ 4096-char HTML messages (each with a plain twin)."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render.common import Part, reply_parts
from bot.render.text import TITLE_ICON, render_part
from handlers.types import Button, Reply

log = logging.getLogger(__name__)

MAX_MESSAGE = 4096
MAX_CALLBACK_DATA = 64
BUTTONS_PER_ROW = 3
NUMBERS_PER_ROW = 8
"""A digest's number buttons share one row up to this many (ten go as two rows of five)."""
_TAG_ROOM = 64  # room for the tags wrapped around a piece of an oversized part


@dataclass(frozen=True)
class TelegramText:
    """One message: `html` for parse_mode=HTML, `plain` to resend if Telegram rejects it."""

    html: str
    plain: str

    @property
    def size(self) -> int:
        return max(units(self.html), units(self.plain))


def units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP is two)."""
    return len(text.encode("utf-16-le")) // 2


def esc(text: str) -> str:
    """Telegram's HTML mode: only <, > and & must be escaped in text."""
    return html.escape(text, quote=False)


def render_part_html(part: Part) -> str:
    if part.links:
        lines = [
            " · ".join(f'<a href="{html.escape(url)}">{esc(name)}</a>' for name, url in part.links)
        ]
    else:
        lines = [esc(line) for line in part.lines]
    if part.bullets:
        lines = [f"• {line}" for line in lines]
    if not lines:
        return f"<b>{esc(part.heading)}</b>" if part.heading else ""
    if part.kind == "title":
        lines[0] = f"{TITLE_ICON}<b>{lines[0]}</b>"
    elif part.kind == "subtitle":
        lines = [f"<i>{line}</i>" for line in lines]
    body = "\n".join(lines)
    if part.kind == "quote":
        body = f"<blockquote>{body}</blockquote>"
    if part.heading:
        heading = f"<b>{esc(part.heading)}</b>"
        if len(lines) == 1 and not part.bullets and part.kind != "quote":
            return f"{heading}：{body}"
        return f"{heading}\n{body}"
    return body


def render_pair(part: Part) -> TelegramText:
    return TelegramText(render_part_html(part), render_part(part))


def _wrap_line(line: str, budget: int) -> list[str]:
    """Cut one over-long line so each piece, escaped, fits in `budget` characters."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = units(esc(char))
        if current and size + width > budget:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    if current:
        pieces.append(current)
    return pieces


def _clip_units(text: str, budget: int) -> str:
    """`text` cut so that, escaped and with "…", it takes at most `budget` UTF-16 units."""
    pieces = _wrap_line(text, budget - 1)
    return text if len(pieces) <= 1 else pieces[0].rstrip() + "…"


def fit_part(part: Part, limit: int = MAX_MESSAGE) -> list[TelegramText]:
    """A part as one message chunk, or, when longer than `limit`, several chunks cut between
    lines (and inside a line only as a last resort), each wrapped in its own tags."""
    whole = render_pair(part)
    if not whole.plain.strip():  # nothing to show: Telegram rejects an empty message
        return []
    if whole.size <= limit:
        return [whole]
    if part.heading and units(esc(part.heading)) > limit // 4:  # a heading cannot fill a message
        part = replace(part, heading=_clip_units(part.heading, limit // 4))
    budget = max(limit // 2, limit - _TAG_ROOM - units(esc(part.heading or "")))
    lines = [piece for line in part.lines for piece in _wrap_line(line, budget) if piece.strip()]
    chunks: list[TelegramText] = []
    current: list[str] = []

    def piece(lines_: list[str]) -> TelegramText:
        heading = part.heading if not chunks else None
        return render_pair(replace(part, heading=heading, lines=tuple(lines_), links=()))

    for line in lines:
        if current and piece([*current, line]).size > limit:
            chunks.append(piece(current))
            current = []
        current.append(line)
    if current:
        chunks.append(piece(current))
    return [chunk for chunk in chunks if chunk.plain.strip()]


def render_telegram(reply: Reply, limit: int = MAX_MESSAGE) -> list[TelegramText]:
    """The reply's parts laid out like UX.md (the English title and meta line stay under the
    title, other parts separated by a blank line), packed into messages between parts."""
    if reply.digest is not None:
        from bot.render.telegram_digest import render_digest  # it imports this module

        return render_digest(reply.digest, limit, reply.language)
    blocks: list[TelegramText] = []
    for part in reply_parts(reply):
        chunks = fit_part(part, limit)
        if not chunks:
            continue
        first = chunks[0]
        joined = (
            TelegramText(f"{blocks[-1].html}\n{first.html}", f"{blocks[-1].plain}\n{first.plain}")
            if blocks and part.kind in ("subtitle", "meta") and not part.heading
            else None
        )
        if joined is not None and joined.size <= limit:
            blocks[-1] = joined
            chunks = chunks[1:]
        blocks.extend(chunks)
    return _pack(blocks, limit)


def _pack(blocks: list[TelegramText], limit: int, sep: str = "\n\n") -> list[TelegramText]:
    messages: list[TelegramText] = []
    for block in blocks:
        if messages:
            last = messages[-1]
            merged = TelegramText(last.html + sep + block.html, last.plain + sep + block.plain)
            if merged.size <= limit:
                messages[-1] = merged
                continue
        messages.append(block)
    return messages


def render_telegram_html(reply: Reply) -> list[str]:
    return [message.html for message in render_telegram(reply)]


def inline_keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """URL buttons and callback buttons (callback_data = the action, at most 64 bytes:
    Telegram rejects the whole message otherwise, so an over-long action is dropped)."""
    keys: list[InlineKeyboardButton] = []
    for button in buttons:
        if button.url:
            keys.append(InlineKeyboardButton(button.label, url=button.url))
        elif button.action and len(button.action.encode()) <= MAX_CALLBACK_DATA:
            keys.append(InlineKeyboardButton(button.label, callback_data=button.action))
        else:
            log.warning("dropping button %r: no url, or action over 64 bytes", button.label)
    if not keys:
        return None
    width = BUTTONS_PER_ROW
    if all(b.label.isdigit() for b in buttons):
        rows_needed = -(-len(keys) // NUMBERS_PER_ROW)
        width = -(-len(keys) // rows_needed)
    rows = [keys[i : i + width] for i in range(0, len(keys), width)]
    return InlineKeyboardMarkup(rows)
