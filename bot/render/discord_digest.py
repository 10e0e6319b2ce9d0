"""A compact digest as Discord messages: the header as content, one embed per paper (ten
embeds and 6000 characters per message at most), "还有 N 篇" as masked links."""

from __future__ import annotations

import discord

from bot.render.discord_embed import (
    COLOR_FALLBACK,
    COLOR_OK,
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    TITLE_LIMIT,
    DiscordMessage,
    clip,
    escape,
    pack,
)
from handlers.digest.view import DigestEntry, DigestView
from handlers.messages import card_label, localize

NUMBERS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")
MAX_ENTRY = 1500
"""Characters of one entry's description: ten entries (plus titles and footers) stay within
one message's 6000 whenever the model kept to its length limits."""


def _number(n: int) -> str:
    return NUMBERS[n - 1] if 1 <= n <= len(NUMBERS) else f"#{n}"


def entry_embed(entry: DigestEntry, language: str = "zh") -> discord.Embed:
    """Discord has no folded block: the points are a short list under 一句话 (the embed is the
    paper's card-sized unit; the number button opens the full card)."""
    title = entry.title_zh if entry.title_zh and not entry.withdrawn else entry.title
    ok = entry.note is None
    embed = discord.Embed(
        title=clip(f"{_number(entry.number)} {escape(title)}", TITLE_LIMIT),
        url=entry.abs_url,
        colour=COLOR_OK if ok else COLOR_FALLBACK,
    )
    lines: list[str] = []
    if entry.title_zh and not entry.withdrawn:
        lines.append(f"*{escape(entry.title)}*")
    lines.append(f"[arXiv:{entry.arxiv_id}]({entry.abs_url}) · [PDF]({entry.pdf_url})")
    if entry.note:
        lines.append(
            ("🚫 **" + escape(entry.note) + "**") if entry.withdrawn else escape(entry.note)
        )
    if not entry.withdrawn:
        if entry.tldr:
            lines.append(f"**{card_label('一句话', language)}**：{escape(entry.tldr)}")
        lines += [f"• {escape(p)}" for p in entry.points]
    embed.description = clip("\n".join(lines), min(MAX_ENTRY, DESCRIPTION_LIMIT))
    if entry.reason:
        embed.set_footer(text=clip(f"🔎 {entry.reason}", 200))
    return embed


def more_embed(view: DigestView, language: str = "zh") -> discord.Embed | None:
    if not view.more:
        return None
    links = [f"[{escape(clip(m.title, 200))}]({m.abs_url})" for m in view.more]
    text = " · ".join(links)
    while len(text) > DESCRIPTION_LIMIT and links:  # very long lists keep their head
        links.pop()
        text = " · ".join(links) + " …"
    count = len(view.more)
    title = localize(f"还有 {count} 篇：", "digest_more", language, count=count).rstrip("：:")
    return discord.Embed(title=title, description=text, colour=COLOR_FALLBACK)


def render_digest(view: DigestView, language: str = "zh") -> list[DiscordMessage]:
    """Messages of at most ten embeds and 6000 embed characters; the header is the first
    message's content."""
    embeds = [entry_embed(e, language) for e in view.entries]
    extra = more_embed(view, language)
    if extra is not None:
        embeds.append(extra)
    messages = pack(embeds)
    if view.heading:  # a lone card (cards style) has no header
        header = clip(f"**{escape(view.heading)}**\n{escape(view.intro)}", CONTENT_LIMIT)
        if messages:
            messages[0].content = header
        else:
            messages.append(DiscordMessage(content=header))
    return messages
