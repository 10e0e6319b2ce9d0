"""A compact digest as Telegram HTML: numbered entries with the 要点 in an expandable
blockquote, packed into as few messages as fit (split only between papers)."""

from __future__ import annotations

import html
import re

from bot.render.telegram_html import MAX_MESSAGE, TelegramText, esc, units
from handlers.digest.view import DigestEntry, DigestView
from handlers.messages import card_label, localize

NUMBERS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")
MAX_FOLDED = 1500
"""Characters of folded text per entry (a degraded entry folds arXiv's abstract): keeps every
entry far below one message, so the split between papers always works."""
MAX_TITLE = 300
_TAG = re.compile(r"<[^>]+>")


def shown_units(text: TelegramText) -> int:
    """What Telegram counts: "1-4096 characters after entities parsing" (Bot API sendMessage,
    core.telegram.org/bots/api#sendmessage, read 2026-12-01), in UTF-16 code units; tags and
    link targets are free. The plain twin (resent when the HTML is refused) must fit too."""
    visible = html.unescape(_TAG.sub("", text.html))
    return max(units(visible), units(text.plain))


def number_label(number: int) -> str:
    return NUMBERS[number - 1] if 1 <= number <= len(NUMBERS) else f"#{number}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _link(url: str, label: str) -> str:
    return f'<a href="{html.escape(url)}">{esc(label)}</a>'


def entry_text(entry: DigestEntry, language: str = "zh") -> TelegramText:
    """UX.md's entry: number first, Chinese title (bold), English title (italic) · id · PDF,
    一句话, the points folded (Telegram Bot API 7.4, 2024-05-28, added expandable blockquotes:
    `<blockquote expandable>`; core.telegram.org/bots/api-changelog, read 2026-12-01), then
    the reason line."""
    number = number_label(entry.number)
    title_en = _clip(entry.title, MAX_TITLE)
    links_html = (
        f"{_link(entry.abs_url, 'arXiv:' + entry.arxiv_id)} · {_link(entry.pdf_url, 'PDF')}"
    )
    links_plain = entry.abs_url
    html_lines: list[str] = []
    plain_lines: list[str] = []
    if entry.title_zh and not entry.withdrawn:
        html_lines += [
            f"{number} <b>{esc(_clip(entry.title_zh, MAX_TITLE))}</b>",
            f"<i>{esc(title_en)}</i> · {links_html}",
        ]
        plain_lines += [f"{number} {entry.title_zh}", f"{title_en} · {links_plain}"]
    else:
        html_lines += [f"{number} <b>{esc(title_en)}</b>", links_html]
        plain_lines += [f"{number} {title_en}", links_plain]
    if entry.withdrawn:
        note = _clip(entry.note or "已撤回", MAX_FOLDED)
        html_lines.append(f"🚫 <b>{esc(note)}</b>")
        plain_lines.append(f"🚫 {note}")
    else:
        if entry.note:
            html_lines.append(esc(entry.note))
            plain_lines.append(entry.note)
        if entry.tldr:
            label = card_label("一句话", language)
            html_lines.append(f"<b>{esc(label)}</b>：{esc(entry.tldr)}")
            plain_lines.append(f"{label}：{entry.tldr}")
        if entry.points:
            folded = _clip("\n".join(f"• {p}" for p in entry.points), MAX_FOLDED)
            html_lines.append(f"<blockquote expandable>{esc(folded)}</blockquote>")
            plain_lines.append(folded)
    if entry.reason:
        html_lines.append(f"🔎 {esc(entry.reason)}")
        plain_lines.append(f"🔎 {entry.reason}")
    return TelegramText("\n".join(html_lines), "\n".join(plain_lines))


def more_texts(view: DigestView, limit: int, language: str = "zh") -> list[TelegramText]:
    """ "还有 N 篇：" and the titles as links, cut into pieces that each fit a message."""
    if not view.more:
        return []
    count = len(view.more)
    head = localize(f"还有 {count} 篇：", "digest_more", language, count=count)
    pieces: list[TelegramText] = []
    current_html, current_plain = head, head
    first = True
    for item in view.more:
        title = _clip(item.title, MAX_TITLE)
        sep = "" if first else " · "
        add_html = sep + _link(item.abs_url, title)
        add_plain = f"{sep}{title} ({item.abs_url})"
        candidate = TelegramText(current_html + add_html, current_plain + add_plain)
        if not first and shown_units(candidate) > limit:
            pieces.append(TelegramText(current_html, current_plain))
            current_html, current_plain = _link(item.abs_url, title), f"{title} ({item.abs_url})"
        else:
            current_html, current_plain = candidate.html, candidate.plain
        first = False
    pieces.append(TelegramText(current_html, current_plain))
    return pieces


def render_digest(
    view: DigestView, limit: int = MAX_MESSAGE, language: str = "zh"
) -> list[TelegramText]:
    """Header, entries and the remainder list, packed greedily into messages of at most
    `limit` UTF-16 code units (Telegram's count), never cutting inside an entry."""
    blocks: list[TelegramText] = []
    if view.heading:  # a lone card (cards style) has no header
        header = f"{view.heading}\n{view.intro}"
        blocks.append(TelegramText(f"<b>{esc(view.heading)}</b>\n{esc(view.intro)}", header))
    blocks += [entry_text(e, language) for e in view.entries]
    blocks += more_texts(view, limit, language)
    messages: list[TelegramText] = []
    for block in blocks:
        if messages:
            last = messages[-1]
            merged = TelegramText(
                last.html + "\n\n" + block.html, last.plain + "\n\n" + block.plain
            )
            if shown_units(merged) <= limit:
                messages[-1] = merged
                continue
        messages.append(block)
    return messages


__all__ = ["entry_text", "number_label", "render_digest", "shown_units"]
