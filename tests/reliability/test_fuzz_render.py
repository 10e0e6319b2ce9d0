"""Fuzzing every renderer with random unicode papers and summaries: valid, bounded output."""

from __future__ import annotations

import html
import json
import re
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.render.discord_embed import DiscordMessage, render_discord
from bot.render.markdown import render_markdown
from bot.render.telegram_html import MAX_MESSAGE, TelegramText, render_telegram, units
from bot.render.text import render_text
from handlers.types import Reply
from summarizer.models import (
    CondensedSummary,
    FullSummary,
    Mode,
    Paper,
    SummaryKey,
    SummaryRecord,
    SummaryResult,
)
from tests.reliability import hrefs, telegram_html_problems

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Random unicode plus the characters markup languages care about, emoji (two UTF-16 units)
# and bidi / zero-width tricks.
SPICY = st.sampled_from(
    [*list("<>&\"'`*_~|[]()#\\\n "), "&amp;", "&lt;b&gt;", "<b>", "</a>", "<a href=x>", "@everyone", "🧪", "👨\u200d👩\u200d👧", "\u202e", "\u200b", "\x00", "\x1b[31m", "[x](https://evil.example)", "||s||", "> quote", "```", "&#0;", "&bogus;"]
)  # fmt: skip
TEXT = st.lists(st.one_of(st.text(max_size=12), SPICY), max_size=25).map("".join)
LONG = st.one_of(TEXT, st.builds(lambda s, n: s * n, TEXT, st.integers(1, 400)))


def paper_strategy() -> st.SearchStrategy[Paper]:
    return st.builds(
        Paper,
        arxiv_id=st.sampled_from(["2401.12215", "hep-th/9901001", "0704.0001"]),
        version=st.one_of(st.none(), st.integers(1, 99)),
        title=LONG,
        authors=st.lists(TEXT, max_size=12).map(tuple),
        abstract=LONG,
        categories=st.lists(st.sampled_from(["cs.CL", "cs.LG", "<b>", "q-bio.NC"]), max_size=4).map(
            tuple
        ),
        primary_category=st.one_of(st.none(), st.just("cs.CL")),
        published=st.one_of(st.none(), st.just(datetime(2024, 1, 22, tzinfo=UTC))),
        comment=st.one_of(st.none(), TEXT),
    )


@st.composite
def replies(draw: Any) -> Reply:
    paper = draw(paper_strategy())
    mode = draw(st.sampled_from([Mode.CONDENSED, Mode.FULL]))
    status = draw(st.sampled_from(["ok", "degraded", "extractive"]))
    key = SummaryKey(
        arxiv_id=paper.arxiv_id, version=paper.version, mode=mode, provider="fake",
        model=draw(TEXT), prompt_version="t",
    )  # fmt: skip
    fields: dict[str, Any] = {"key": key, "status": status}
    if status == "ok" and mode is Mode.CONDENSED:
        fields["condensed"] = CondensedSummary(
            title_zh=draw(TEXT), tldr=draw(LONG), highlights=draw(st.lists(LONG, max_size=6))
        )
    elif status == "ok":
        fields["full"] = FullSummary(
            title_zh=draw(TEXT), keywords=draw(st.lists(TEXT, max_size=8)), background=draw(LONG),
            prior_work=draw(TEXT), approach=draw(LONG), results=draw(TEXT),
            methods=draw(st.lists(LONG, max_size=8)), innovation=draw(TEXT),
            performance=draw(TEXT), workload=draw(TEXT),
        )  # fmt: skip
        fields["affiliations"] = draw(st.lists(TEXT, max_size=3))
        fields["code_urls"] = draw(st.lists(st.sampled_from(["https://github.com/a/b", 'https://x.example/"><script>']), max_size=2))  # fmt: skip
    else:
        fields["extract"] = draw(st.lists(LONG, max_size=5))
        fields["degraded_reason"] = draw(st.one_of(st.none(), TEXT))
    result = SummaryResult(paper=paper, record=SummaryRecord(**fields))
    return Reply(summary=result, mode=mode, footer=draw(st.one_of(st.none(), TEXT)))


def check_telegram(messages: list[TelegramText], *, summary: bool) -> None:
    for message in messages:
        problems = telegram_html_problems(message.html)
        assert not problems, (problems, message.html[:500])
        assert units(message.html) <= MAX_MESSAGE
        assert units(message.plain) <= MAX_MESSAGE
        if summary:
            visible = html.unescape(re.sub(r"<[^>]+>", "", message.html))
            assert visible.strip(), "Telegram rejects an empty message"
        for href in hrefs(message.html):
            assert href.startswith(
                ("https://arxiv.org/", "https://github.com/", "https://x.example/")
            )


MASKED_LINK = re.compile(r"(?<!\\)\[[^\]\n]*(?<!\\)\]\((?!https://arxiv\.org/)[^)\s]+\)")


def check_discord(messages: list[DiscordMessage]) -> None:
    for message in messages:
        assert message.content is None or len(message.content) <= 2000
        assert len(message.embeds) <= 10
        assert sum(len(e) for e in message.embeds) <= 6000
        for embed in message.embeds:
            assert len(embed.title or "") <= 256
            assert len(embed.description or "") <= 4096
            assert len(embed.footer.text or "") <= 2048
            assert all(
                len(f.value or "") <= 1024 and len(f.name or "") <= 256 for f in embed.fields
            )
            assert embed.url in (None, "") or str(embed.url).startswith("https://arxiv.org/abs/")
            assert not MASKED_LINK.search(embed.description or ""), embed.description
            payload = embed.to_dict()
            assert json.loads(json.dumps(payload)) == payload  # what discord.py will send


@FUZZ
@given(replies())
def test_summaries_render_validly_on_every_platform(reply: Reply) -> None:
    check_telegram(render_telegram(reply), summary=True)
    check_discord(render_discord(reply))
    assert reply.summary is not None
    paper = reply.summary.paper
    for rendered in (render_text(reply), render_markdown(reply)):
        # Every rendering names the paper by its id (facts come from arXiv, not the model).
        assert paper.arxiv_id in rendered, rendered[:300]


@FUZZ
@given(LONG)
def test_plain_text_replies_render_validly(text: str) -> None:
    reply = Reply(text=text)
    check_telegram(render_telegram(reply), summary=False)
    check_discord(render_discord(reply))
    render_text(reply)
    render_markdown(reply)


PATHOLOGICAL = {
    "arxiv-200k": "arXiv:" * 35_000,
    "dots": "." * 100_000,
    "newlines": "\n" * 100_000,
    "short-lines": "a\n" * 100_000,
    "angles": "<" * 100_000,
    "ampersands": "&" * 100_000,
    "brackets": "[" * 50_000 + "]" * 50_000,
    "emoji": "🧪" * 60_000,
    "one-mb": "论文" * 500_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_replies_render_in_bounded_time(name: str) -> None:
    from tests.fakes.services import make_result, sample_paper

    text = PATHOLOGICAL[name]
    degraded = make_result(sample_paper(title=text[:5000], abstract=text), Mode.CONDENSED,
                           status="degraded")  # fmt: skip
    for reply in (Reply(text=text), Reply(summary=degraded, mode=Mode.CONDENSED)):
        started = time.perf_counter()
        telegram = render_telegram(reply)
        discord_messages = render_discord(reply)
        render_text(reply)
        render_markdown(reply)
        elapsed = time.perf_counter() - started
        assert elapsed < 5.0, f"{name}: {elapsed:.2f} s"
        check_telegram(telegram, summary=False)
        check_discord(discord_messages)
