"""Telegram HTML rendering and update parsing: layout, escaping, splitting, keyboards."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.telegram_html import (
    MAX_MESSAGE,
    inline_keyboard,
    render_telegram,
    render_telegram_html,
)
from handlers.command import parse_command
from handlers.ondemand.paper import summary_reply
from handlers.types import Button, Reply
from summarizer.models import Mode
from tests.fakes.services import make_result, sample_paper
from tests.fakes.telegram_server import html_errors

CONDENSED = """📄 <b>少即是多：参数高效微调推动医学视觉基础模型</b>
<i>Less Could Be Better: Parameter-efficient Fine-tuning Advances Medical Vision Foundation Models</i>
Chenyu Lian, Hong-Yu Zhou, Yizhou Yu, Liansheng Wang · cs.CV · 2024-01-22 · arXiv:2401.12215v1

<b>一句话</b>：在胸片基础模型上，低秩适配（LoRA）以不到 1% 的可调参数，在 18 个迁移任务中的 13 个超过全参数微调（FFT）。

<b>要点</b>
• 系统比较参数高效微调（PEFT）与全参数微调在医学视觉基础模型上的效果
• LoRA 在 13/18 个任务上更优，最多提升 2.9%
• 仅用不到 1% 的可调参数"""


def condensed(**paper_changes: object) -> Reply:
    return summary_reply(make_result(sample_paper(**paper_changes), Mode.CONDENSED), Mode.CONDENSED)


def test_condensed_layout_matches_the_mockup() -> None:
    [message] = render_telegram(condensed())
    assert message.html == CONDENSED
    assert message.plain.startswith("📄 少即是多：参数高效微调推动医学视觉基础模型\nLess Could")
    assert "<" not in message.plain


def test_only_lt_gt_amp_are_escaped() -> None:
    [text] = render_telegram_html(condensed(title="A <b>\"quoted\"</b> & 'odd' title"))
    assert "<i>A &lt;b&gt;\"quoted\"&lt;/b&gt; &amp; 'odd' title</i>" in text
    assert html_errors(text)[0] == []


def test_full_mode_has_bold_headings_in_order_and_links() -> None:
    reply = summary_reply(make_result(sample_paper(), Mode.FULL), Mode.FULL)
    [text] = render_telegram_html(reply)
    headings = ["题目", "作者", "关键词", "链接", "摘要", "方法", "结论"]
    positions = [text.index(f"<b>{h}</b>") for h in headings]
    assert positions == sorted(positions)
    assert '<a href="https://arxiv.org/abs/2401.12215v1">arXiv</a>' in text
    assert "<b>摘要</b>\n(1) 研究背景：" in text
    assert html_errors(text)[0] == []


def test_degraded_summary_is_labelled_and_quotes_the_abstract() -> None:
    reply = summary_reply(make_result(sample_paper(), Mode.CONDENSED, status="degraded"), Mode.FULL)
    [text] = render_telegram_html(reply)
    assert "⚠️ 摘要生成失败（模型暂不可用），以下为原文摘要：" in text
    assert "<blockquote>Parameter-efficient fine-tuning" in text


def test_oversized_part_is_cut_into_balanced_messages() -> None:
    abstract = "Results & more <results>. " * 600  # one 15,600-character line
    reply = summary_reply(
        make_result(sample_paper(abstract=abstract), Mode.CONDENSED, status="degraded"),
        Mode.CONDENSED,
    )
    messages = render_telegram(reply)
    assert len(messages) >= 4
    for message in messages:
        assert len(message.html) <= MAX_MESSAGE and len(message.plain) <= MAX_MESSAGE
        assert html_errors(message.html)[0] == []
    pieces = [m.html for m in messages if "Results" in m.html]
    assert all("<blockquote>Results" in piece for piece in pieces)  # re-opened in each piece
    text = "".join(html_errors(m.html)[1] for m in messages)
    assert text.count("Results & more <results>.") == 600


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.text(min_size=1, max_size=900), min_size=1, max_size=12),
    limit=st.integers(min_value=200, max_value=MAX_MESSAGE),
)
def test_any_text_renders_to_valid_html_within_the_limit(texts: list[str], limit: int) -> None:
    body = "\n\n".join(texts)
    messages = render_telegram(Reply(text=body), limit)
    for message in messages:
        assert len(message.html) <= limit
        assert html_errors(message.html)[0] == []
        assert html.unescape(message.html) == message.plain
    assert "".join(m.plain for m in messages).replace("\n", "") == body.replace("\n", "")


def test_keyboard_rows_and_callback_data_limit() -> None:
    markup = inline_keyboard(condensed().buttons)
    assert markup is not None
    rows = [[b.text for b in row] for row in markup.inline_keyboard]
    assert rows == [["展开完整总结", "原文", "PDF"], ["👍", "👎"]]
    assert markup.inline_keyboard[0][1].url == "https://arxiv.org/abs/2401.12215v1"
    long_action = Button("太长", action="x:f:" + "9" * 61)
    assert inline_keyboard((long_action,)) is None
    assert inline_keyboard(()) is None


def test_parse_command_with_bot_name_and_arguments() -> None:
    parsed = parse_command("/Paper@PaperBot 2401.12215 full\n")
    assert parsed is not None
    assert (parsed.name, parsed.target, parsed.args) == ("paper", "PaperBot", "2401.12215 full")
    assert parse_command("/settings") is not None
    assert parse_command("看看 /paper 2401.12215") is None
    assert parse_command("/paper/abc") is None
