"""Discord rendering: embed content, labels, escaping, and Discord's size limits."""

from __future__ import annotations

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.common import DEGRADED_LABEL, EXTRACTIVE_LABEL
from bot.render.discord_embed import (
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    MESSAGE_EMBED_CHARS,
    MESSAGE_EMBEDS,
    DiscordMessage,
    render_discord,
)
from handlers.types import Reply
from summarizer.models import Mode, SummaryResult
from tests.fakes.services import make_result, sample_full, sample_paper


def assert_within_limits(messages: list[DiscordMessage]) -> None:
    for message in messages:
        assert message.content is None or len(message.content) <= CONTENT_LIMIT
        assert len(message.embeds) <= MESSAGE_EMBEDS
        assert sum(len(e) for e in message.embeds) <= MESSAGE_EMBED_CHARS
        for embed in message.embeds:
            assert len(embed.description or "") <= DESCRIPTION_LIMIT
            assert len(embed.title or "") <= 256
            assert all(len(f.value or "") <= FIELD_VALUE_LIMIT for f in embed.fields)


def only_embed(reply: Reply) -> discord.Embed:
    (message,) = render_discord(reply)
    (embed,) = message.embeds
    return embed


def full_result(**changes: object) -> SummaryResult:
    result = make_result(sample_paper(), Mode.FULL)
    assert result.record.full is not None
    full = result.record.full.model_copy(update=changes)
    return result.model_copy(update={"record": result.record.model_copy(update={"full": full})})


def test_condensed_embed_layout() -> None:
    result = make_result(sample_paper(), Mode.CONDENSED)
    embed = only_embed(Reply(summary=result))
    assert embed.title == "📄 少即是多：参数高效微调推动医学视觉基础模型"
    assert embed.url == "https://arxiv.org/abs/2401.12215v1"
    fields = {f.name: f.value for f in embed.fields}
    assert fields["英文标题"] == discord.utils.escape_markdown(result.paper.title)
    assert (fields["作者"] or "").startswith("Chenyu Lian, Hong-Yu Zhou")
    assert fields["分类"] == "cs.CV"
    assert "**一句话**" in (embed.description or "")
    assert "• LoRA 在 13/18 个任务上更优" in (embed.description or "")
    assert embed.footer.text == "arXiv:2401.12215v1 · 2024-01-22 · fake · fake-1"


def test_degraded_shows_label_and_quoted_abstract_under_english_title() -> None:
    result = make_result(sample_paper(), Mode.CONDENSED, status="degraded")
    embed = only_embed(Reply(summary=result))
    assert embed.title == f"📄 {result.paper.title}"
    description = embed.description or ""
    assert description.startswith(DEGRADED_LABEL.format(reason="模型暂不可用"))
    assert "> Parameter-efficient fine-tuning" in description
    assert "英文标题" not in {f.name for f in embed.fields}


def test_extractive_label_and_footer() -> None:
    result = make_result(sample_paper(), Mode.CONDENSED, status="extractive")
    embed = only_embed(Reply(summary=result, footer='🔎 匹配：cs.CV · "LoRA"'))
    assert (embed.description or "").startswith(EXTRACTIVE_LABEL)
    assert embed.footer.text is not None
    assert embed.footer.text.startswith('🔎 匹配：cs.CV · "LoRA" · arXiv:2401.12215v1')
    assert embed.footer.text.endswith("未使用大模型（原文摘录）")
    assert "🔎" not in (embed.description or "")


def test_markdown_in_arxiv_text_is_escaped() -> None:
    paper = sample_paper(title="The *star* of __init__ and `code`")
    embed = only_embed(Reply(summary=make_result(paper, Mode.CONDENSED, status="degraded")))
    assert embed.title == "📄 The \\*star\\* of \\_\\_init\\_\\_ and \\`code\\`"
    paper = sample_paper(abstract="We use *bold* claims and x_1 _ y_2.")
    embed = only_embed(Reply(summary=make_result(paper, Mode.CONDENSED, status="degraded")))
    assert "\\*bold\\*" in (embed.description or "")
    assert "x\\_1" in (embed.description or "")


def test_full_summary_has_all_parts_in_order() -> None:
    (message,) = render_discord(
        Reply(summary=make_result(sample_paper(), Mode.FULL), mode=Mode.FULL)
    )
    text = "\n".join(e.description or "" for e in message.embeds)
    headings = ["题目", "作者", "关键词", "链接", "摘要", "方法", "结论"]
    positions = [text.index(f"**{h}**") for h in headings]
    assert positions == sorted(positions)
    assert "**单位**" not in text  # never guessed when not read from the paper
    assert "(1) 研究背景" in text


def test_long_full_summary_is_split_within_limits() -> None:
    result = full_result(
        background="背景" * 2500,
        approach="方法" * 1800,
        methods=[f"步骤 {i}：" + "细节" * 700 for i in range(6)],
        performance="性能" * 1500,
    )
    messages = render_discord(Reply(summary=result, mode=Mode.FULL))
    assert len(messages) > 1
    assert_within_limits(messages)
    embeds = [e for m in messages for e in m.embeds]
    assert embeds[0].title and embeds[0].url
    assert all(e.title is None for e in embeds[1:])
    assert [bool(e.footer.text) for e in embeds] == [False] * (len(embeds) - 1) + [True]
    text = "".join(e.description or "" for e in embeds)
    assert text.count("背景") >= 2500
    assert "**结论**" in text


def test_huge_title_and_fields_are_clipped() -> None:
    paper = sample_paper(title="Long " * 400, categories=tuple(f"cs.{i}" for i in range(300)))
    messages = render_discord(Reply(summary=make_result(paper, Mode.CONDENSED, status="degraded")))
    assert_within_limits(messages)


def test_plain_text_is_split_at_2000_between_paragraphs() -> None:
    paragraphs = [f"第 {i} 段：" + "内容" * 300 for i in range(8)]
    messages = render_discord(Reply(text="\n\n".join(paragraphs)))
    assert len(messages) > 1
    assert_within_limits(messages)
    assert all(not m.embeds for m in messages)
    joined = "\n\n".join(m.content or "" for m in messages)
    assert joined == "\n\n".join(paragraphs)


def test_toast_only_reply_renders_nothing() -> None:
    assert render_discord(Reply(toast="感谢反馈！")) == []


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=6000), min_size=4, max_size=4),
    methods=st.lists(st.text(min_size=1, max_size=1500), min_size=1, max_size=8),
)
def test_full_summary_always_fits(sizes: list[int], methods: list[str]) -> None:
    base = sample_full()
    result = full_result(
        background=base.background * sizes[0],
        prior_work="问" * sizes[1],
        results="果" * sizes[2],
        workload="量\n" * sizes[3],
        methods=methods,
    )
    messages = render_discord(Reply(summary=result, mode=Mode.FULL))
    assert_within_limits(messages)
