"""Reply -> Discord messages: summary embeds within Discord's limits, or plain content."""

from __future__ import annotations

from dataclasses import dataclass, field

import discord

from bot.render.common import Part, author_line, provider_label, reply_parts
from bot.render.text import split_text
from handlers.types import Reply
from summarizer.latex import plain_text
from summarizer.models import Mode, SummaryResult

CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
MESSAGE_EMBED_CHARS = 6000
MESSAGE_EMBEDS = 10
HEADER_KINDS = {"title", "subtitle", "meta"}
ESCAPE_WHOLE_MAX = 4096
COLOR_OK = discord.Colour(0xB31B1B)  # arXiv red
COLOR_FALLBACK = discord.Colour(0x99AAB5)


@dataclass
class DiscordMessage:
    """One message to send: `content` and/or up to ten embeds (buttons are added by the sender)."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """arXiv titles and abstracts contain `*`, `_` and LaTeX: show them literally. Every `](`
    is escaped too: escape_markdown escapes only the first of several masked links on a line
    (`[a](x)[b](y)` kept the second one clickable), and text we quote must never carry one."""
    if len(text) <= ESCAPE_WHOLE_MAX:
        escaped = discord.utils.escape_markdown(text)
    else:
        # escape_markdown is quadratic on some inputs (100k newlines took 14 s): escape big
        # texts piece by piece (pairs of `*` split across pieces may then stay unescaped).
        escaped = "\n".join(
            "".join(
                discord.utils.escape_markdown(line[i : i + ESCAPE_WHOLE_MAX])
                for i in range(0, len(line), ESCAPE_WHOLE_MAX)
            )
            for line in text.split("\n")
        )
    return escaped.replace("](", "]\\(")


def render_part(part: Part) -> str:
    lines = [escape(line) for line in part.lines]
    if part.bullets:
        lines = [f"• {line}" for line in lines]
    if part.kind == "quote":
        lines = [f"> {line}" for line in "\n".join(lines).split("\n")]
    if part.heading:
        return "\n".join([f"**{part.heading}**", *lines])
    return "\n".join(lines)


def render_discord(reply: Reply) -> list[DiscordMessage]:
    """A summary becomes embeds; any other reply becomes content split at 2000 characters."""
    if reply.digest is not None:
        from bot.render.discord_digest import render_digest  # it imports this module

        return render_digest(reply.digest, reply.language)
    if reply.summary is not None:
        return summary_messages(reply, reply.summary)
    if not reply.text:
        return []
    chunks = reply.text.split("\n\n")
    return [DiscordMessage(content=text) for text in split_text(chunks, CONTENT_LIMIT)]


def summary_messages(reply: Reply, result: SummaryResult) -> list[DiscordMessage]:
    parts = reply_parts(reply)
    if reply.footer and parts:
        parts = parts[:-1]  # the reply's own footer goes into the embed footer
    body = [render_part(p) for p in parts if p.kind not in HEADER_KINDS or p.heading]
    header = discord.Embed(colour=_colour(result))
    _decorate_header(header, reply, result)
    footer = clip(footer_text(reply, result), FOOTER_LIMIT)
    # Every embed must fit a message together with the header and footer (6000 in total).
    budget = min(DESCRIPTION_LIMIT, MESSAGE_EMBED_CHARS - len(header) - len(footer))
    descriptions = split_text(body, budget) or [""]
    embeds = [header] + [discord.Embed(colour=_colour(result)) for _ in descriptions[1:]]
    for embed, description in zip(embeds, descriptions, strict=True):
        embed.description = description
    embeds[-1].set_footer(text=footer)
    return pack(embeds)


def _colour(result: SummaryResult) -> discord.Colour:
    return COLOR_OK if result.record.status == "ok" else COLOR_FALLBACK


def _decorate_header(embed: discord.Embed, reply: Reply, result: SummaryResult) -> None:
    paper, record = result.paper, result.record
    title_zh = record.title_zh if record.status == "ok" else None
    embed.title = clip(f"📄 {escape(title_zh or plain_text(paper.title))}", TITLE_LIMIT)
    embed.url = paper.abs_url
    if reply.mode is Mode.FULL and record.status == "ok":
        return  # the full summary's own 题目 / 作者 / 关键词 parts carry these facts
    if title_zh:
        embed.add_field(
            name="英文标题",
            value=clip(escape(plain_text(paper.title)), FIELD_VALUE_LIMIT),
            inline=False,
        )
    if paper.authors:
        embed.add_field(name="作者", value=clip(escape(author_line(paper)), FIELD_VALUE_LIMIT))
    categories = list(paper.categories) or (
        [paper.primary_category] if paper.primary_category else []
    )
    if categories:
        embed.add_field(name="分类", value=clip(" · ".join(categories), FIELD_VALUE_LIMIT))


def footer_text(reply: Reply, result: SummaryResult) -> str:
    paper = result.paper
    bits = [reply.footer] if reply.footer else []
    bits.append(f"arXiv:{paper.versioned_id}")
    if reply.day is not None:
        bits.append(reply.day.isoformat())
    elif paper.published is not None:
        bits.append(paper.published.date().isoformat())
    bits.append(provider_label(result.record))
    return " · ".join(bits)


def pack(embeds: list[discord.Embed]) -> list[DiscordMessage]:
    """Group embeds into messages of at most ten embeds and 6000 characters in total."""
    messages: list[DiscordMessage] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        if current and (len(current) >= MESSAGE_EMBEDS or size + len(embed) > MESSAGE_EMBED_CHARS):
            messages.append(DiscordMessage(embeds=current))
            current, size = [], 0
        current.append(embed)
        size += len(embed)
    if current:
        messages.append(DiscordMessage(embeds=current))
    return messages
