"""The （补发） mark of a one-message digest resent after a doubt is visible on every kind of
reply: plain text, a summary (footer) and the compact digest (its heading)."""

from __future__ import annotations

from datetime import date

from bot.render.telegram_html import render_telegram
from handlers.digest.sender import RESENT_MARK, mark_resent
from handlers.digest.view import DigestView
from handlers.types import Reply


def test_a_compact_digest_shows_the_mark_first() -> None:
    view = DigestView(heading="🗞 arXiv 每日速递", intro="今天 3 篇", day=date(2026, 11, 24))
    [message, *_] = render_telegram(mark_resent(Reply(digest=view)))
    assert message.plain.startswith(f"{RESENT_MARK}🗞 arXiv 每日速递")


def test_a_text_reply_shows_the_mark_first() -> None:
    [message] = render_telegram(mark_resent(Reply(text="📭 今天没有新论文")))
    assert message.plain == f"{RESENT_MARK}📭 今天没有新论文"
