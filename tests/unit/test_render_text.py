"""Plain text and Markdown rendering of summaries, and structure-preserving splitting."""

from __future__ import annotations

from bot.render.common import author_line
from bot.render.markdown import render_markdown
from bot.render.text import render_text, split_text
from handlers.ondemand.paper import summary_reply
from summarizer.models import Mode
from tests.fakes.services import make_result, sample_paper


def test_condensed_text_layout() -> None:
    text = render_text(summary_reply(make_result(sample_paper(), Mode.CONDENSED), Mode.CONDENSED))
    lines = text.split("\n")
    assert lines[0] == "📄 少即是多：参数高效微调推动医学视觉基础模型"
    assert lines[1].startswith("Less Could Be Better")
    assert lines[2] == (
        "Chenyu Lian, Hong-Yu Zhou, Yizhou Yu, Liansheng Wang · cs.CV · 2024-01-22 · arXiv:2401.12215v1"
    )
    assert "一句话：在胸片基础模型上" in text
    assert "要点\n• 系统比较" in text


def test_full_text_has_the_eight_parts_in_order() -> None:
    text = render_text(summary_reply(make_result(sample_paper(), Mode.FULL), Mode.FULL))
    order = ["题目", "作者", "关键词", "链接", "摘要", "方法", "结论"]
    positions = [text.index(h) for h in order]
    assert positions == sorted(positions)
    assert "单位" not in text  # never guessed: only shown when read from the paper
    assert "(1) 研究背景" in text and "创新点：" in text


def test_degraded_and_extractive_are_labelled_with_the_original_abstract() -> None:
    paper = sample_paper()
    degraded = render_text(
        summary_reply(make_result(paper, Mode.CONDENSED, status="degraded"), Mode.CONDENSED)
    )
    assert "⚠️ 摘要生成失败（模型暂不可用），以下为原文摘要：" in degraded
    assert paper.abstract in degraded
    extractive = render_text(
        summary_reply(make_result(paper, Mode.CONDENSED, status="extractive"), Mode.CONDENSED)
    )
    assert "ℹ️ 未配置大模型，以下为摘要原文要点（未经机器总结）" in extractive
    assert "一句话" not in extractive


def test_author_line_caps_long_lists() -> None:
    paper = sample_paper(authors=tuple(f"Author {i}" for i in range(17)))
    assert author_line(paper).endswith("Author 5 等 17 人")


def test_markdown_escapes_and_structures() -> None:
    paper = sample_paper(title="A *bold* [claim] <script>")
    md = render_markdown(summary_reply(make_result(paper, Mode.FULL), Mode.FULL))
    assert "\\*bold\\*" in md and "\\[claim\\]" in md and "\\<script\\>" in md
    assert "[arXiv](https://arxiv.org/abs/2401.12215v1)" in md


def test_split_text_cuts_only_between_parts_when_possible() -> None:
    parts = [f"part {i} " + "字" * 900 for i in range(10)]
    messages = split_text(parts, 2000)
    assert all(len(m) <= 2000 for m in messages)
    assert "\n\n".join(messages) == "\n\n".join(parts)
    assert all(m.startswith("part ") for m in messages)


def test_split_text_hard_wraps_a_giant_part() -> None:
    messages = split_text(["x" * 9000], 4096)
    assert [len(m) for m in messages] == [4096, 4096, 808]
