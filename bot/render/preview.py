"""A summary still being written: the checked fields so far, laid out like the final summary,
as Telegram HTML and plain text (Discord), with a line saying more is coming."""

from __future__ import annotations

from collections.abc import Callable

from bot.render.common import Part, meta_line
from bot.render.telegram_html import MAX_MESSAGE, render_part_html, units
from bot.render.text import render_part
from summarizer.streaming import Preview

WRITING = "⏳ 正在继续生成…（已显示的内容均已通过校验）"
# Full-summary fields in the order of the final layout, with their headings.
FULL_HEADINGS = (
    ("keywords", "关键词"),
    ("background", "(1) 研究背景"),
    ("prior_work", "(2) 过去的方法及问题"),
    ("approach", "(3) 研究方法"),
    ("results", "(4) 任务与性能"),
    ("methods", "方法"),
    ("innovation", "创新点"),
    ("performance", "性能"),
    ("workload", "工作量"),
)
CONDENSED_HEADINGS = (("tldr", "一句话"), ("highlights", "要点"))


def preview_parts(preview: Preview) -> list[Part]:
    paper = preview.paper
    title = preview.text("title_zh")
    parts = [Part(lines=(title or paper.title,), kind="title")]
    if title:
        parts.append(Part(lines=(paper.title,), kind="subtitle"))
    parts.append(Part(lines=(meta_line(paper),), kind="meta"))
    headings = FULL_HEADINGS if preview.mode.value == "full" else CONDENSED_HEADINGS
    for name, heading in headings:
        value = preview.fields.get(name)
        if isinstance(value, str) and value:
            parts.append(Part(heading=heading, lines=(value,)))
        elif isinstance(value, list) and value:
            sep_list = name == "keywords"
            lines = ("，".join(value),) if sep_list else tuple(value)
            parts.append(Part(heading=heading, lines=lines, bullets=not sep_list))
    parts.append(Part(lines=(WRITING,), kind="notice"))
    return parts


def _join(pieces: list[tuple[Part, str]], limit: int, measure: Callable[[str], int]) -> str:
    """Header block lines joined by newlines, other parts by a blank line; parts that would
    pass `limit` are left out (the final message shows everything)."""
    out = ""
    for part, text in pieces:
        sep = "\n" if part.kind in ("subtitle", "meta") else "\n\n"
        candidate = f"{out}{sep}{text}" if out else text
        if measure(candidate) > limit - 64 and part.kind != "notice":
            continue
        out = candidate
    return out


def preview_html(preview: Preview, limit: int = MAX_MESSAGE) -> str:
    parts = preview_parts(preview)
    return _join([(p, render_part_html(p)) for p in parts], limit, units)


def preview_text(preview: Preview, limit: int = 2000) -> str:
    parts = preview_parts(preview)
    return _join([(p, render_part(p)) for p in parts], limit, len)
