"""Markdown rendering of a reply (CLI `--format markdown`; renders in any Markdown viewer)."""

from __future__ import annotations

import re

from bot.render.common import Part, reply_parts
from handlers.types import Reply

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def escape_markdown(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def render_part(part: Part) -> str:
    lines = [escape_markdown(line) for line in part.lines]
    if part.links:
        lines = [f"[{escape_markdown(name)}]({url})" for name, url in part.links]
        lines = ["，".join(lines)]
    if part.kind == "title":
        return f"## {lines[0]}" if lines else ""
    if part.kind == "subtitle":
        return f"*{lines[0]}*" if lines else ""
    if part.kind == "quote":
        return "\n".join(f"> {line}" for line in lines)
    if part.bullets:
        lines = [f"- {line}" for line in lines]
    if part.heading:
        if len(lines) == 1 and not part.bullets:
            return f"**{part.heading}**：{lines[0]}"
        return "\n".join([f"**{part.heading}**", "", *lines])
    return "\n".join(lines)


def render_markdown(reply: Reply) -> str:
    return "\n\n".join(text for text in map(render_part, reply_parts(reply)) if text)
