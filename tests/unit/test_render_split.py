"""Telegram splitting at its edges: a part exactly at the limit stays whole, an oversized part
keeps its heading once (on the first chunk), keeps every line in order, and its links go with
the whole part only; lengths in UTF-16 units, as Telegram counts."""

from __future__ import annotations

from bot.render.common import Part
from bot.render.telegram_html import fit_part, render_telegram, units
from handlers.types import Reply
from tests.fakes.telegram_server import html_errors, utf16_len


def test_a_message_exactly_at_the_limit_is_not_split() -> None:
    whole = render_telegram(Reply(text="a" * 100), limit=100)
    assert [m.plain for m in whole] == ["a" * 100]
    assert len(render_telegram(Reply(text="a" * 101), limit=100)) == 2


def test_an_oversized_part_keeps_its_heading_once_and_every_line_in_order() -> None:
    lines = tuple(f"第 {n} 行：{'要点' * 20}" for n in range(40))
    part = Part(heading="要点", lines=lines, bullets=True)
    chunks = fit_part(part, limit=600)
    assert len(chunks) > 2
    assert chunks[0].plain.startswith("要点")
    assert all("要点\n" not in c.plain[:3] for c in chunks[1:])  # the heading once
    assert sum(c.plain.count("要点") for c in chunks) == 1 + 20 * len(lines)
    joined = "\n".join(c.plain for c in chunks)
    assert [n for n in range(40) if f"第 {n} 行" in joined] == list(range(40))
    assert joined.index("第 3 行") < joined.index("第 30 行")
    for chunk in chunks:
        assert chunk.size <= 600 and utf16_len(chunk.plain) <= 600
        errors, _ = html_errors(chunk.html)
        assert errors == [], chunk.html[:200]


def test_a_heading_longer_than_the_room_left_still_fits() -> None:
    part = Part(heading="标" * 200, lines=("正" * 700, "文" * 100))
    chunks = fit_part(part, limit=600)
    assert all(c.size <= 600 for c in chunks)
    assert "".join(c.plain for c in chunks).count("正") == 700


def test_emoji_count_twice() -> None:
    assert units("🧪a") == 3
    messages = render_telegram(Reply(text="🧪" * 300), limit=100)
    assert all(utf16_len(m.plain) <= 100 for m in messages)
    assert len(messages) >= 6


def test_no_message_is_ever_empty_whatever_the_title_length() -> None:
    """A degraded summary with an empty abstract and a title of astral characters (2 UTF-16
    units each) near the limit once produced an empty message (found by the render fuzz)."""
    import html as html_lib
    import re
    from datetime import UTC, datetime

    from bot.render.telegram_html import MAX_MESSAGE, render_telegram, units
    from handlers.types import Reply
    from summarizer.models import Mode, Paper, SummaryKey, SummaryRecord, SummaryResult

    key = SummaryKey(arxiv_id="2401.12215", version=None, mode=Mode.CONDENSED, language="zh",
                     provider="fake", model="", prompt_version="t")  # fmt: skip
    record = SummaryRecord(key=key, status="degraded")
    for repeats in range(120, 300, 3):
        paper = Paper(
            arxiv_id="2401.12215",
            title="00000000000000\U00010000" * repeats,
            authors=("", "<", "0&&0"),
            abstract="",
            published=datetime(2024, 1, 22, tzinfo=UTC),
        )
        messages = render_telegram(Reply(summary=SummaryResult(paper=paper, record=record)))
        for message in messages:
            visible = html_lib.unescape(re.sub(r"<[^>]+>", "", message.html))
            assert visible.strip(), repeats
            assert units(message.html) <= MAX_MESSAGE
