"""The compact digest: neutral entries, Telegram HTML (one message when it fits, split between
papers at 4096 UTF-16 code units), Discord embeds within limits, withdrawn papers."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.render.common import ABSTRACT_ONLY_NOTE
from bot.render.discord_embed import (
    CONTENT_LIMIT,
    MESSAGE_EMBED_CHARS,
    MESSAGE_EMBEDS,
    render_discord,
)
from bot.render.telegram_digest import shown_units
from bot.render.telegram_html import inline_keyboard, render_telegram
from bot.render.text import render_text
from handlers.digest.view import (
    DigestView,
    MoreEntry,
    number_buttons,
    summary_entry,
)
from handlers.types import Reply
from summarizer.models import Mode
from summarizer.withdrawn import is_withdrawn, withdrawal_note
from tests.fakes.digest_fakes import LLM_PAPERS
from tests.fakes.services import make_result, sample_paper

DAY = date(2026, 11, 25)


PAPERS = [*LLM_PAPERS] + [
    sample_paper(f"2411.{20000 + i}", title=f"A Study of Agents, Part {i}") for i in range(20)
]


def view(n: int, rest: int = 0, *, pad: str = "") -> DigestView:
    entries = []
    for i, paper in enumerate(PAPERS[:n], 1):
        result = make_result(paper, Mode.CONDENSED)
        entry = summary_entry(i, result, reason="cs.CL")
        if pad:
            entry = type(entry)(**{**vars(entry), "tldr": (entry.tldr or "") + pad})
        entries.append(entry)
    more = tuple(MoreEntry(p.versioned_id, p.title) for p in PAPERS[n : n + rest])
    return DigestView(
        heading="🗞 arXiv 每日速递 · 2026-11-25（周三）· cs.CL",
        intro=f"今日匹配 {n + rest} 篇，按与你的相关度排序：",
        day=DAY,
        entries=tuple(entries),
        more=more,
    )


def test_ten_papers_fit_one_telegram_message_numbered_first() -> None:
    digest = view(10)
    [message] = render_telegram(Reply(digest=digest))
    assert shown_units(message) <= 4096
    html = message.html
    numbers = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")
    firsts = [
        line.split(" ", 1)[0] for line in html.splitlines() if line and line[0] in "123456789🔟"
    ]
    assert firsts == list(numbers)  # the number comes first, in order
    for entry in digest.entries:
        assert f'href="https://arxiv.org/pdf/{entry.arxiv_id}"' in html
        assert f"<i>{entry.title}</i>" in html
    assert html.count("<blockquote expandable>") == 10
    assert html.count("<blockquote expandable>") == html.count("</blockquote>")


def test_long_digest_splits_between_papers_at_the_utf16_limit() -> None:
    digest = view(10, pad="😀" * 300)  # emoji count twice in UTF-16
    messages = render_telegram(Reply(digest=digest))
    assert len(messages) > 1
    for message in messages:
        assert shown_units(message) <= 4096
        assert message.html.count("<blockquote expandable>") == message.html.count("</blockquote>")
    joined = "\n\n".join(m.html for m in messages)
    starts = [m.html.splitlines()[0] for m in messages[1:]]
    assert all(re.match(r"^(\d️⃣|🔟) ", s) for s in starts), starts  # each starts a paper
    assert joined.count("<blockquote expandable>") == 10


def test_rest_is_listed_as_linked_titles() -> None:
    digest = view(2, rest=3)
    html = render_telegram(Reply(digest=digest))[-1].html
    assert "还有 3 篇：" in html
    for item in digest.more:
        assert f'<a href="https://arxiv.org/abs/{item.arxiv_id}">' in html
    assert "还有 3 篇" in render_text(Reply(digest=digest))


def test_number_buttons_share_rows_and_open_cards() -> None:
    digest = view(10)
    buttons = number_buttons(digest)
    assert [b.label for b in buttons] == [str(i) for i in range(1, 11)]
    assert all(
        b.action and b.action.startswith("p:") and b.action.endswith(":20261125") for b in buttons
    )
    markup = inline_keyboard(buttons)
    assert markup is not None
    assert [len(row) for row in markup.inline_keyboard] == [5, 5]
    three = inline_keyboard(number_buttons(view(3)))
    assert three is not None and [len(r) for r in three.inline_keyboard] == [3]


def test_discord_digest_is_within_limits() -> None:
    for digest in (view(10, rest=4), view(10, pad="长" * 900)):
        messages = render_discord(Reply(digest=digest))
        assert messages[0].content and "2026-11-25" in messages[0].content
        for message in messages:
            assert len(message.embeds) <= MESSAGE_EMBEDS
            assert sum(len(e) for e in message.embeds) <= MESSAGE_EMBED_CHARS
            assert len(message.content or "") <= CONTENT_LIMIT
        titles = [e.title or "" for m in messages for e in m.embeds]
        assert titles[0].startswith("1️⃣")


def test_discord_shows_the_abstract_only_note() -> None:
    result = make_result(sample_paper(), Mode.FULL)
    result = result.model_copy(
        update={"record": result.record.model_copy(update={"text_source": "abstract"})}
    )
    rendered = render_discord(Reply(summary=result, mode=Mode.FULL))
    text = "\n".join((e.description or "") for m in rendered for e in m.embeds)
    assert ABSTRACT_ONLY_NOTE in text
    assert ABSTRACT_ONLY_NOTE in "\n".join(
        m.plain for m in render_telegram(Reply(summary=result, mode=Mode.FULL))
    )


@pytest.mark.parametrize(
    ("abstract", "comment"),
    [
        ("This paper has been withdrawn by the author due to a crucial error in equation 3.", None),
        ("We present X. The article has been withdrawn.", None),
        ("Some abstract.", "Withdrawn"),
        ("Some abstract.", "withdrawn due to a flaw in Lemma 2"),
        ("Some abstract.", "This submission has been withdrawn by arXiv administrators"),
    ],
)
def test_withdrawn_papers_are_detected(abstract: str, comment: str | None) -> None:
    paper = sample_paper(abstract=abstract, comment=comment)
    assert is_withdrawn(paper)
    entry = summary_entry(1, make_result(paper, Mode.CONDENSED), reason=None)
    assert entry.withdrawn and entry.tldr is None and entry.points == ()
    [message] = render_telegram(Reply(digest=DigestView("h", "i", DAY, (entry,))))
    assert "已撤回" in message.html and "一句话" not in message.html
    card = render_text(Reply(summary=make_result(paper, Mode.CONDENSED)))
    assert "已撤回" in card and "一句话" not in card


@pytest.mark.parametrize(
    ("abstract", "comment"),
    [
        ("We study the withdrawal of antidepressants in 97 patients.", None),
        ("97 papers were withdrawn from the archive in one day; we analyse why.", None),
        ("A normal abstract.", "12 pages; withdrawn sections restored in v3"),
    ],
)
def test_papers_about_withdrawals_are_not_withdrawn(abstract: str, comment: str | None) -> None:
    assert withdrawal_note(sample_paper(abstract=abstract, comment=comment)) is None


def test_one_date_everywhere_in_cards() -> None:
    paper = sample_paper()
    card = render_text(Reply(summary=make_result(paper, Mode.CONDENSED), day=DAY))
    assert "2026-11-25" in card and "2024-01-22" not in card


async def test_paper_command_on_a_withdrawn_paper_says_so_without_the_model() -> None:
    from handlers.registry import dispatch
    from handlers.types import ChatRef, Request
    from tests.fakes.services import fake_services

    services = fake_services()
    withdrawn = sample_paper(abstract="This paper has been withdrawn by the authors.")
    services.papers.papers[withdrawn.arxiv_id] = withdrawn  # type: ignore[attr-defined]
    replies = await dispatch(
        Request(ChatRef("telegram", "1"), "7", command="paper", args="2401.12215"), services
    )
    assert "已撤回" in replies[0].text and replies[0].summary is None
    assert services.summaries.model_calls == 0  # type: ignore[attr-defined]
