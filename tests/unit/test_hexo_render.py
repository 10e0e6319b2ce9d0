"""The Hexo post renderer: front matter, notice, per-paper layout, escaping, failure marks."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest

from bot.render.hexo import (
    FAILED_ALL,
    FAILED_CONDENSED,
    FAILED_FULL,
    NO_MODEL,
    PostEntry,
    PostMeta,
    render_post,
    yaml_scalar,
)
from summarizer.models import (
    CondensedSummary,
    FullSummary,
    Mode,
    Paper,
    SummaryKey,
    SummaryRecord,
    SummaryStatus,
)
from tests.conftest import SEED_POST

SEED = SEED_POST
SEED_KEYS = [
    "title", "date", "author", "cover", "categories", "tags", "description", "keywords", "toc",
    "toc_number", "toc_style_simple", "copyright", "copyright_author", "copyright_author_href",
    "copyright_url", "copyright_info", "mathjax", "katex", "aplayer", "highlight_shrink",
    "aside", "abcjs",
]  # fmt: skip

PAPER = Paper(
    arxiv_id="2401.00001",
    version=2,
    title="Stars *and* <Stripes>: a_b [test]",
    authors=("Ada Lovelace", "Alan <Turing>"),
    abstract="We study <b>bold</b> claims and *emphasis*.",
    comment="10 pages",
)
META = PostMeta(
    topic="LLM", day=date(2024, 1, 24), generated_at=datetime(2024, 1, 24, 1, 2, 3, tzinfo=UTC)
)
CONDENSED = CondensedSummary(
    title_zh="星与条纹",
    tldr="一句话 <script>alert(1)</script> 摘要",
    highlights=["要点一", "要点二"],
)
FULL = FullSummary(
    title_zh="星与条纹 <i>",
    keywords=["甲", "乙"],
    background="背景 & <b>加粗</b>",
    prior_work="过去\n\n的方法",
    approach="方法",
    results="结果",
    methods=["第一步", "第二步"],
    innovation="创新",
    performance="性能",
    workload="工作量",
)


def record(
    mode: Mode,
    status: SummaryStatus = "ok",
    *,
    provider: str = "gemini",
    model: str = "gemini-2.5-flash",
    **extra: object,
) -> SummaryRecord:
    key = SummaryKey(
        arxiv_id=PAPER.arxiv_id,
        version=PAPER.version,
        mode=mode,
        provider=provider,
        model=model,
        prompt_version="t",
    )
    if status == "ok":
        extra.setdefault(
            "condensed" if mode is Mode.CONDENSED else "full",
            CONDENSED if mode is Mode.CONDENSED else FULL,
        )
    return SummaryRecord.model_validate({"key": key, "status": status, **extra})


def entry(**kw: object) -> PostEntry:
    values: dict[str, object] = {
        "paper": PAPER,
        "condensed": record(Mode.CONDENSED),
        "full": record(Mode.FULL),
    }
    values.update(kw)
    return PostEntry(**values)  # type: ignore[arg-type]


def front_keys(text: str) -> list[str]:
    head = text.split("---\n")[1]
    return [m.group(1) for m in re.finditer(r"^([a-z_]+):", head, re.MULTILINE)]


def test_front_matter_has_the_seeds_keys_in_the_seeds_order() -> None:
    seed_keys = front_keys(SEED.read_text("utf-8").lstrip())
    assert seed_keys == SEED_KEYS
    post = render_post(META, [entry()])
    assert post.startswith("---\n")
    assert front_keys(post) == SEED_KEYS
    assert "date: 2024-01-24 01:02:03\n" in post
    assert "author: paperbot\n" in post
    assert "cover:\n" in post
    assert "tags:\n    - LLM\n" in post


def test_description_names_topic_day_and_first_title_and_is_valid_yaml() -> None:
    post = render_post(META, [entry()])
    line = next(x for x in post.splitlines() if x.startswith("description: "))
    value = line.removeprefix("description: ")
    # quoted because the title holds ": " - the JSON string is a valid YAML double-quoted scalar
    assert json.loads(value) == (
        "LLM 方向最新论文已更新，请持续关注 Update in 2024-01-24 " + PAPER.title
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("LLM", "LLM"),
        ("", ""),
        ("a: b", '"a: b"'),
        ("- x", '"- x"'),
        ("true", '"true"'),
        ("2024", '"2024"'),
        ("#tag", '"#tag"'),
        ("大语言模型", "大语言模型"),
        ('say "hi": now', '"say \\"hi\\": now"'),
    ],
)
def test_yaml_scalar_quotes_only_when_needed(value: str, expected: str) -> None:
    assert yaml_scalar(value) == expected


def test_author_and_cover_settings_are_used() -> None:
    meta = PostMeta(
        topic="LLM",
        day=date(2024, 1, 24),
        generated_at=datetime(2024, 1, 24, tzinfo=UTC),
        author="Kedreamix",
        cover="https://example.org/c.jpg",
    )
    post = render_post(meta, [entry()])
    assert "author: Kedreamix\n" in post
    assert "cover: https://example.org/c.jpg\n" in post


def test_notice_names_the_model_actually_used() -> None:
    gemini = render_post(META, [entry()])
    assert "Google 的大语言模型 [gemini-2.5-flash](https://ai.google.dev/)" in gemini
    assert "# 2024-01-24 更新" in gemini
    openai = render_post(
        META,
        [
            entry(
                condensed=record(Mode.CONDENSED, provider="openai", model="qwen2.5"),
                full=record(Mode.FULL, provider="openai", model="qwen2.5"),
            )
        ],
    )
    assert "qwen2.5（OpenAI 兼容接口）" in openai
    assert "Gemini" not in openai and "gemini" not in openai
    recorded = render_post(
        META,
        [
            entry(
                condensed=record(Mode.CONDENSED, provider="recorded", model="demo-recordings"),
                full=record(Mode.FULL, provider="recorded", model="demo-recordings"),
            )
        ],
    )
    assert "随包附带的示例模型输出" in recorded and "gemini" not in recorded.lower()
    extractive = render_post(
        META,
        [
            entry(
                condensed=record(Mode.CONDENSED, "extractive", provider="extractive", model="-"),
                full=record(Mode.FULL, "extractive", provider="extractive", model="-"),
            )
        ],
    )
    assert "本文未使用大语言模型" in extractive
    assert NO_MODEL in extractive


def test_paper_section_in_the_seeds_order() -> None:
    post = render_post(META, [entry()])
    order = [
        "## Stars",
        "**Authors:Ada Lovelace",
        "We study",
        "[PDF](https://arxiv.org/pdf/2401.00001v2) [arXiv](https://arxiv.org/abs/2401.00001v2) 10 pages",
        "**摘要**\n",
        "**要点**\n\n- 要点一\n- 要点二",
        "<ol>\n<li><p>题目：",
        "<li><p>作者：",
        "<li><p>关键词：甲，乙</p>",
        "<li><p>链接：",
        "<li><p>摘要：",
        "<li><p>方法：",
        "<li><p>结论：",
        "</ol>",
    ]
    positions = [post.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "单位" not in post  # unknown: never guessed
    assert "<details>" not in post  # no images: no block


def test_markdown_and_html_are_escaped() -> None:
    post = render_post(META, [entry()])
    assert "## Stars \\*and\\* \\<Stripes\\>: a\\_b \\[test\\]" in post
    assert "**Authors:Ada Lovelace, Alan \\<Turing\\>**" in post
    assert "We study \\<b\\>bold\\</b\\> claims and \\*emphasis\\*." in post
    assert "<script>" not in post
    assert "一句话 \\<script\\>alert(1)\\</script\\> 摘要" in post
    assert "<li><p>题目：星与条纹 &lt;i&gt;</p>" in post
    assert "背景 &amp; &lt;b&gt;加粗&lt;/b&gt;" in post
    assert "<li><p>作者：Ada Lovelace, Alan &lt;Turing&gt;</p>" in post


def test_html_block_has_no_blank_line_and_parses_balanced() -> None:
    post = render_post(META, [entry()])
    block = post[post.index("<ol>") : post.index("</ol>") + len("</ol>")]
    assert "\n\n" not in block  # a blank line would end the HTML block in Markdown
    assert "过去 的方法" in block

    class Balance(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in ("br", "img"):
                self.stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert self.stack.pop() == tag

    parser = Balance()
    parser.feed(block)
    assert parser.stack == []


def test_affiliations_and_code_links_only_when_read_from_the_paper() -> None:
    full = record(
        Mode.FULL, affiliations=["厦门大学", "香港大学"], code_urls=["https://github.com/x/y"]
    )
    post = render_post(META, [entry(full=full)])
    assert "<li><p>单位：厦门大学；香港大学</p>" in post
    assert '代码：<a href="https://github.com/x/y">' in post
    assert post.index("<li><p>作者") < post.index("<li><p>单位") < post.index("<li><p>关键词")


def test_images_block_with_relative_paths() -> None:
    post = render_post(META, [entry(images=("2024-01-24-llm/a_page1.jpg", 'b".jpg'))])
    assert (
        "<details>\n  <summary>点此查看论文截图</summary>\n"
        '<img src="2024-01-24-llm/a_page1.jpg" align="middle">\n'
        '<img src="b&quot;.jpg" align="middle">\n</details>'
    ) in post


def test_failed_full_summary_is_omitted_and_marked() -> None:
    full = record(
        Mode.FULL, "degraded", degraded_reason="输出未通过校验", failed_checks=["placeholder: xxx"]
    )
    post = render_post(META, [entry(full=full)])
    assert FAILED_FULL.format(reason="输出未通过校验") in post
    assert "<ol>" not in post and "**八段式总结**" not in post
    assert "**摘要**" in post and "**要点**" in post
    assert "xxx" not in post


def test_failed_condensed_summary_is_omitted_and_marked() -> None:
    condensed = record(Mode.CONDENSED, "degraded", degraded_reason="模型暂不可用")
    post = render_post(META, [entry(condensed=condensed)])
    assert FAILED_CONDENSED.format(reason="模型暂不可用") in post
    assert "**摘要**" not in post and "**要点**" not in post
    assert "<li><p>题目" in post


def test_both_failed_keeps_only_arxiv_text_and_the_mark() -> None:
    reason, extract = "模型暂不可用", ["Some Error for method"]
    condensed = record(Mode.CONDENSED, "degraded", degraded_reason=reason, extract=extract)
    full = record(Mode.FULL, "degraded", degraded_reason=reason, extract=extract)
    post = render_post(META, [entry(condensed=condensed, full=full)])
    assert FAILED_ALL.format(reason="模型暂不可用") in post
    assert "Some Error" not in post
    assert "We study" in post and "**摘要**" not in post and "<ol>" not in post
    assert "本次未能生成中文总结" in post  # the notice does not claim a model wrote anything
