"""A day's papers as one Hexo blog post in the seed's layout (front matter, notice, per paper)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.render.markdown import escape_markdown
from summarizer.models import CondensedSummary, FullSummary, Paper, SummaryRecord

SCREENSHOTS = "点此查看论文截图"
TAKEAWAYS = "要点"  # the seed's majority heading (it also has 主要要点 once, Key Takeaways 5×)
STRUCTURED = "八段式总结"  # where the seed advertised its own app, a plain heading

FAILED_ALL = "> ⚠️ 本文摘要生成失败（{reason}），以下仅列出原文摘要"
NO_MODEL = "> ℹ️ 未使用大语言模型，本文仅列出原文摘要"
FAILED_CONDENSED = "> ⚠️ 本文的一句话摘要与要点生成失败（{reason}），已省略"
FAILED_FULL = "> ⚠️ 本文的八段式总结生成失败（{reason}），已省略"
DEFAULT_REASON = "模型暂不可用"

CAUTION = ">🔴 请注意：千万不要用于严肃的学术场景，只能用于论文阅读前的初筛！"
SOURCE_NOTE = ">💗 标题、作者与链接均取自 arXiv 元数据；本文由 paperbot 自动生成。"


@dataclass(frozen=True)
class PostEntry:
    """One paper of the post: arXiv metadata, its two summaries, and image paths (relative
    to the post file)."""

    paper: Paper
    condensed: SummaryRecord | None = None
    full: SummaryRecord | None = None
    images: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostMeta:
    topic: str
    day: date
    generated_at: datetime
    author: str = "paperbot"
    cover: str = ""
    tags: tuple[str, ...] = field(default=())


# --- front matter ---------------------------------------------------------------------------

_YAML_PLAIN_BAD_START = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]")
_YAML_RESERVED = re.compile(
    r"^(?:true|false|yes|no|on|off|null|~|[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)$",
    re.IGNORECASE,
)


def yaml_scalar(value: str) -> str:
    """A YAML scalar for `value`: plain when unambiguous, else double-quoted (JSON escapes are
    valid YAML); empty stays empty (`key:` is null, as the seed writes unset keys)."""
    value = " ".join(value.split())
    if not value:
        return ""
    if (
        _YAML_PLAIN_BAD_START.match(value)
        or _YAML_RESERVED.match(value)
        or ": " in value
        or " #" in value
        or value.endswith(":")
    ):
        return json.dumps(value, ensure_ascii=False)
    return value


def description(meta: PostMeta, first_title: str | None) -> str:
    text = f"{meta.topic} 方向最新论文已更新，请持续关注 Update in {meta.day.isoformat()}"
    return f"{text} {first_title}" if first_title else text


def front_matter(meta: PostMeta, first_title: str | None) -> str:
    """The seed's keys, in the seed's order."""
    tags = meta.tags or (meta.topic,)

    def line(key: str, value: str) -> str:
        return f"{key}: {value}" if value else f"{key}:"

    lines = [
        "---",
        line("title", yaml_scalar(meta.topic)),
        line("date", f"{meta.day.isoformat()} {meta.generated_at:%H:%M:%S}"),
        line("author", yaml_scalar(meta.author)),
        line("cover", yaml_scalar(meta.cover)),
        line("categories", "Paper"),
        "tags:",
        *(f"    - {yaml_scalar(tag)}" for tag in tags),
        line("description", yaml_scalar(description(meta, first_title))),
        line("keywords", yaml_scalar(meta.topic)),
        "toc:",
        "toc_number: false",
        "toc_style_simple: true",
        "copyright:",
        "copyright_author:",
        "copyright_author_href:",
        "copyright_url:",
        "copyright_info:",
        "mathjax: true",
        "katex:",
        "aplayer:",
        "highlight_shrink:",
        "aside:",
        "abcjs:",
        "---",
    ]
    return "\n".join(lines)


# --- notice ---------------------------------------------------------------------------------


def _who(provider: str, model: str) -> str:
    if provider == "gemini":
        return f"Google 的大语言模型 [{escape_markdown(model)}](https://ai.google.dev/)"
    if provider == "openai":
        return f"大语言模型 {escape_markdown(model)}（OpenAI 兼容接口）"
    return f"大语言模型 {escape_markdown(provider)} · {escape_markdown(model)}"


def model_notice(records: Sequence[SummaryRecord]) -> str:
    """The seed's disclaimer, naming the models that actually wrote the summaries shown."""
    used = list(dict.fromkeys((r.key.provider, r.key.model) for r in records if r.status == "ok"))
    live = [(p, m) for p, m in used if p != "recorded"]
    if live:
        who = "、".join(_who(p, m) for p, m in live)
        first = f">⚠️ 以下中文总结由{who}生成，如有错误，仅供参考，谨慎使用"
        if len(live) < len(used):
            first += "（部分为随包附带的示例输出）"
    elif used:
        first = (
            ">⚠️ 以下中文总结为随包附带的示例模型输出（离线回放，未实时调用大语言模型，"
            "经过与实时输出相同的校验），仅供演示与参考"
        )
    elif any(r.status == "extractive" for r in records):
        first = ">⚠️ 本文未使用大语言模型：各篇仅列出 arXiv 原文摘要，未生成中文总结"
    else:
        first = ">⚠️ 本次未能生成中文总结（大语言模型不可用），各篇仅列出 arXiv 原文摘要"
    return "\n".join([first, CAUTION, SOURCE_NOTE])


# --- one paper ------------------------------------------------------------------------------


def _oneline(text: str) -> str:
    """Model text on one line: a blank line would end the HTML block in Markdown."""
    return " ".join(text.split())


def _h(text: str) -> str:
    return html.escape(_oneline(text), quote=True)


def _li(label: str, body: str) -> str:
    return f"<li><p>{label}：{body}</p>\n</li>"


def _link(url: str) -> str:
    safe = html.escape(url, quote=True)
    return f'<a href="{safe}">{safe}</a>'


def structured_block(paper: Paper, record: SummaryRecord) -> str:
    """The 8-part summary as the seed's `<ol><li><p>` HTML; 单位 only when read from the paper."""
    full = record.full
    assert full is not None and record.status == "ok"
    items = [
        _li("题目", _h(full.title_zh)),
        _li("作者", _h(", ".join(paper.authors))),
    ]
    if record.affiliations:
        items.append(_li("单位", _h("；".join(record.affiliations))))
    items.append(_li("关键词", _h("，".join(full.keywords))))
    links = [f"arXiv：{_link(paper.abs_url)}", f"PDF：{_link(paper.pdf_url)}"]
    links += [f"代码：{_link(url)}" for url in record.code_urls]
    items.append(_li("链接", "，".join(links)))
    items.append(
        _li(
            "摘要",
            "<br>\n".join(
                [
                    "",
                    f"(1) 研究背景：{_h(full.background)}",
                    f"(2) 过去的方法及问题：{_h(full.prior_work)}",
                    f"(3) 研究方法：{_h(full.approach)}",
                    f"(4) 任务与性能：{_h(full.results)}",
                ]
            ),
        )
    )
    steps = [f"({i}) {_h(step)}" for i, step in enumerate(full.methods, 1)]
    items.append(_li("方法", "<br>\n".join(["", *steps])))
    conclusion = [
        f"(1) 创新点：{_h(full.innovation)}",
        f"(2) 性能：{_h(full.performance)}",
        f"(3) 工作量：{_h(full.workload)}",
    ]
    items.append(_li("结论", "<br>\n".join(["", *conclusion])))
    return "\n".join(["<ol>", *items, "</ol>"])


def images_block(images: Sequence[str]) -> str:
    tags = [f'<img src="{html.escape(src, quote=True)}" align="middle">' for src in images]
    return "\n".join(["<details>", f"  <summary>{SCREENSHOTS}</summary>", *tags, "</details>"])


def _condensed(entry: PostEntry) -> CondensedSummary | None:
    record = entry.condensed
    return record.condensed if record is not None and record.status == "ok" else None


def _full(entry: PostEntry) -> FullSummary | None:
    record = entry.full
    return record.full if record is not None and record.status == "ok" else None


def _reason(*records: SummaryRecord | None) -> str:
    for record in records:
        if record is not None and record.status == "degraded" and record.degraded_reason:
            return record.degraded_reason
    return DEFAULT_REASON


def _marks(entry: PostEntry) -> list[str]:
    condensed_ok, full_ok = _condensed(entry) is not None, _full(entry) is not None
    records = [r for r in (entry.condensed, entry.full) if r is not None]
    if not condensed_ok and not full_ok:
        if records and all(r.status == "extractive" for r in records):
            return [NO_MODEL]
        return [FAILED_ALL.format(reason=_reason(entry.condensed, entry.full))]
    if not condensed_ok:
        return [FAILED_CONDENSED.format(reason=_reason(entry.condensed))]
    if not full_ok:
        return [FAILED_FULL.format(reason=_reason(entry.full))]
    return []


def paper_section(entry: PostEntry) -> str:
    paper = entry.paper
    comment = escape_markdown(_oneline(paper.comment or ""))
    blocks = [
        f"## {escape_markdown(_oneline(paper.title))}\n"
        f"**Authors:{escape_markdown(', '.join(paper.authors))}**",
        escape_markdown(_oneline(paper.abstract)),
        f"[PDF]({paper.pdf_url}) [arXiv]({paper.abs_url}) {comment}".rstrip(),
        *_marks(entry),
    ]
    condensed = _condensed(entry)
    if condensed is not None:
        blocks.append(f"**摘要**\n{escape_markdown(_oneline(condensed.tldr))}")
        bullets = [f"- {escape_markdown(_oneline(h))}" for h in condensed.highlights]
        blocks.append("\n".join([f"**{TAKEAWAYS}**", "", *bullets]))
    if entry.full is not None and _full(entry) is not None:
        blocks.append(f"**{STRUCTURED}**")
        blocks.append(structured_block(paper, entry.full))
    if entry.images:
        blocks.append(images_block(entry.images))
    return "\n\n".join(blocks)


# --- the post -------------------------------------------------------------------------------


def render_post(meta: PostMeta, entries: Sequence[PostEntry]) -> str:
    """The whole post. Titles, authors and links come from arXiv metadata only; a failed
    summary is omitted and marked, never replaced by template text."""
    records = [r for e in entries for r in (e.condensed, e.full) if r is not None]
    first_title = _oneline(entries[0].paper.title) if entries else None
    parts = [
        front_matter(meta, first_title),
        model_notice(records),
        f"# {meta.day.isoformat()} 更新",
        *(paper_section(entry) for entry in entries),
    ]
    return "\n\n".join(parts) + "\n"
