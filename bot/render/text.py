"""Plain-text rendering (terminal, demo, and the fallback when rich formatting is rejected)."""

from __future__ import annotations

from bot.render.common import Part, reply_parts
from handlers.types import Reply

TITLE_ICON = "📄 "


def render_part(part: Part) -> str:
    lines = [f"• {line}" for line in part.lines] if part.bullets else list(part.lines)
    if part.kind == "title" and lines:
        lines[0] = TITLE_ICON + lines[0]
    if part.heading:
        if len(lines) == 1 and not part.bullets:
            return f"{part.heading}：{lines[0]}"
        return "\n".join([f"{part.heading}", *lines])
    return "\n".join(lines)


def render_text(reply: Reply) -> str:
    """One reply as plain text; parts separated by blank lines, except the header block."""
    chunks: list[str] = []
    for part in reply_parts(reply):
        text = render_part(part)
        if chunks and part.kind in ("subtitle", "meta") and not part.heading:
            chunks[-1] += "\n" + text
        else:
            chunks.append(text)
    return "\n\n".join(chunks)


def split_text(chunks: list[str], limit: int, sep: str = "\n\n") -> list[str]:
    """Join rendered parts into messages of at most `limit` characters, cutting only between
    parts; a single part longer than the limit is cut between lines, then hard-wrapped."""
    messages: list[str] = []
    current = ""
    for chunk in chunks:
        for piece in _fit(chunk, limit):
            candidate = f"{current}{sep}{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def _fit(chunk: str, limit: int) -> list[str]:
    if len(chunk) <= limit:
        return [chunk]
    pieces: list[str] = []
    current = ""
    for line in chunk.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
        else:
            pieces.append(current)
            current = line
    if current:
        pieces.append(current)
    return pieces
