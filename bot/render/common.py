"""Platform-neutral summary layout: the parts every renderer formats in its own markup."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from handlers.digest.view import DigestView
from handlers.messages import card_label as _l
from handlers.messages import localize
from handlers.types import Reply
from summarizer.latex import plain_text
from summarizer.models import Mode, Paper, SummaryRecord, SummaryResult
from summarizer.withdrawn import withdrawal_note

MAX_AUTHORS = 6
DEGRADED_LABEL = "⚠️ 摘要生成失败（{reason}），以下为原文摘要："
EXTRACTIVE_LABEL = "ℹ️ 未配置大模型，以下为摘要原文要点（未经机器总结）"


@dataclass(frozen=True)
class Part:
    """One structural block: an optional bold heading, then lines (bulleted when `bullets`).

    `kind` lets renderers style blocks: "title" (Chinese title), "subtitle" (English title,
    italic), "meta" (authors · category · date · id), "notice" (labels), "quote" (abstract).
    Long messages are split only between parts.
    """

    heading: str | None = None
    lines: tuple[str, ...] = ()
    bullets: bool = False
    kind: str = "body"
    links: tuple[tuple[str, str], ...] = field(default=())


def author_line(paper: Paper, limit: int = MAX_AUTHORS) -> str:
    authors = list(paper.authors)
    if len(authors) <= limit:
        return ", ".join(authors)
    return ", ".join(authors[:limit]) + f" 等 {len(authors)} 人"


def meta_line(paper: Paper, day: date | None = None) -> str:
    """Authors · category · date · id; `day` (a digest's announcement date) replaces the
    submission date so that a digest shows one date everywhere."""
    bits = [author_line(paper)]
    if paper.primary_category or paper.categories:
        bits.append(paper.primary_category or paper.categories[0])
    if day is not None:
        bits.append(day.isoformat())
    elif paper.published is not None:
        bits.append(paper.published.date().isoformat())
    bits.append(f"arXiv:{paper.versioned_id}")
    return " · ".join(b for b in bits if b)


def notice(record: SummaryRecord, lang: str = "zh") -> str | None:
    if record.status == "degraded":
        reason = record.degraded_reason or "模型暂不可用"
        return _l(DEGRADED_LABEL, lang).format(reason=_l(reason, lang))
    if record.status == "extractive":
        return _l(EXTRACTIVE_LABEL, lang)
    return None


def header_parts(result: SummaryResult, day: date | None = None) -> list[Part]:
    paper, record = result.paper, result.record
    title = record.title_zh
    parts = []
    if title and record.status == "ok" and withdrawal_note(paper) is None:
        parts.append(Part(lines=(title,), kind="title"))
        parts.append(Part(lines=(plain_text(paper.title),), kind="subtitle"))
    else:
        parts.append(Part(lines=(plain_text(paper.title),), kind="title"))
    parts.append(Part(lines=(meta_line(paper, day),), kind="meta"))
    return parts


WITHDRAWN_LINE = "🚫 已撤回：{note}"


def withdrawn_parts(result: SummaryResult, day: date | None = None) -> list[Part] | None:
    """A withdrawn paper: its header and arXiv's withdrawal note, never a summary."""
    note = withdrawal_note(result.paper)
    if note is None:
        return None
    return [
        *header_parts(result, day),
        Part(lines=(WITHDRAWN_LINE.format(note=note),), kind="notice"),
    ]


def fallback_parts(result: SummaryResult, lang: str = "zh") -> list[Part]:
    """Extractive or degraded: the label, then arXiv's own words (never passed off as ours),
    with their LaTeX markup turned into plain text (\\emph{x} -> x, $\\alpha$ -> α)."""
    record = result.record
    label = notice(record, lang) or ""
    if record.status == "extractive" and record.extract:
        return [
            Part(lines=(label,), kind="notice"),
            Part(lines=tuple(plain_text(s) for s in record.extract), bullets=True, kind="quote"),
        ]
    return [
        Part(lines=(label,), kind="notice"),
        Part(lines=(plain_text(result.paper.abstract),), kind="quote"),
    ]


def condensed_parts(result: SummaryResult, lang: str = "zh", day: date | None = None) -> list[Part]:
    withdrawn = withdrawn_parts(result, day)
    if withdrawn is not None:
        return withdrawn
    parts = header_parts(result, day)
    summary = result.record.condensed
    if result.record.status != "ok" or summary is None:
        return parts + fallback_parts(result, lang)
    parts.append(Part(heading=_l("一句话", lang), lines=(summary.tldr,)))
    parts.append(Part(heading=_l("要点", lang), lines=tuple(summary.highlights), bullets=True))
    return parts


ABSTRACT_ONLY_NOTE = "ℹ️ 未能取得论文全文，本总结仅依据 arXiv 摘要写成。"


def full_parts(result: SummaryResult, lang: str = "zh") -> list[Part]:
    """The seed's eight parts: 题目 · 作者 · 单位 · 关键词 · 链接 · 摘要 · 方法 · 结论."""
    paper, record = result.paper, result.record
    full = record.full
    withdrawn = withdrawn_parts(result)
    if withdrawn is not None:
        return withdrawn
    if record.status != "ok" or full is None:
        return header_parts(result) + fallback_parts(result, lang)
    english = plain_text(paper.title)
    title = full.title_zh if full.title_zh == paper.title else f"{full.title_zh}（{english}）"
    parts = [
        Part(heading=_l("题目", lang), lines=(title,)),
        Part(heading=_l("作者", lang), lines=(", ".join(paper.authors),)),
    ]
    if record.affiliations:
        parts.append(Part(heading=_l("单位", lang), lines=("；".join(record.affiliations),)))
    parts.append(Part(heading=_l("关键词", lang), lines=("，".join(full.keywords),)))
    links = [("arXiv", paper.abs_url), ("PDF", paper.pdf_url)]
    links += [(_l("代码", lang), url) for url in record.code_urls]
    parts.append(
        Part(
            heading=_l("链接", lang),
            lines=tuple(f"{name}：{url}" for name, url in links),
            links=tuple(links),
        )
    )
    parts.append(
        Part(
            heading=_l("摘要", lang),
            lines=(
                f"{_l('(1) 研究背景：', lang)}{full.background}",
                f"{_l('(2) 过去的方法及问题：', lang)}{full.prior_work}",
                f"{_l('(3) 研究方法：', lang)}{full.approach}",
                f"{_l('(4) 任务与性能：', lang)}{full.results}",
            ),
        )
    )
    parts.append(
        Part(
            heading=_l("方法", lang),
            lines=tuple(f"({i}) {m}" for i, m in enumerate(full.methods, 1)),
        )
    )
    parts.append(
        Part(
            heading=_l("结论", lang),
            lines=(
                f"{_l('创新点：', lang)}{full.innovation}",
                f"{_l('性能：', lang)}{full.performance}",
                f"{_l('工作量：', lang)}{full.workload}",
            ),
        )
    )
    if record.text_source == "abstract":  # labelled: this one did not read the paper itself
        # kind "notice", not "meta": Discord moves meta parts into the embed's fields and
        # dropped this note (issue 14); every platform must show it.
        parts.append(Part(lines=(_l(ABSTRACT_ONLY_NOTE, lang),), kind="notice"))
    return parts


def reply_parts(reply: Reply) -> list[Part]:
    """The parts of any reply: a summary in its mode, or a plain text message."""
    if reply.digest is not None:
        return digest_parts(reply.digest, reply.language)
    if reply.summary is None:
        return [Part(lines=(reply.text,))] if reply.text else []
    lang = reply.language
    parts = (
        full_parts(reply.summary, lang)
        if reply.mode is Mode.FULL
        else condensed_parts(reply.summary, lang, reply.day)
    )
    if reply.footer:
        parts.append(Part(lines=(reply.footer,), kind="meta"))
    return parts


def provider_label(record: SummaryRecord) -> str:
    """`gemini · gemini-2.5-flash`, or the offline label, for footers and disclaimers."""
    if record.status == "extractive":
        return "未使用大模型（原文摘录）"
    return f"{record.key.provider} · {record.key.model}"


def digest_parts(view: DigestView, lang: str = "zh") -> list[Part]:
    """A compact digest as plain parts (terminal, recordings, plain fallbacks): one part per
    entry, the points as bullets after the 一句话."""
    parts = [Part(lines=(view.heading, view.intro), kind="digest-header")] if view.heading else []
    for entry in view.entries:
        lines = [f"{entry.number}. {entry.title_zh or entry.title}"]
        if entry.title_zh:
            lines.append(entry.title)
        lines.append(f"arXiv:{entry.arxiv_id} · {entry.abs_url} · PDF {entry.pdf_url}")
        if entry.note:
            lines.append(("🚫 " if entry.withdrawn else "") + entry.note)
        if entry.tldr:
            lines.append(f"{_l('一句话', lang)}：{entry.tldr}")
        lines += [f"• {point}" for point in entry.points]
        if entry.reason:
            lines.append(f"🔎 {entry.reason}")
        parts.append(Part(lines=tuple(lines), kind="digest-entry"))
    if view.more:
        titles = " · ".join(f"{m.title} ({m.abs_url})" for m in view.more)
        count = len(view.more)
        head = localize(f"还有 {count} 篇：", "digest_more", lang, count=count)
        parts.append(Part(lines=(f"{head}{titles}",), kind="digest-more"))
    return parts
