"""Frozen domain objects shared by every layer: papers, summaries and their cache keys."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ARXIV_ABS = "https://arxiv.org/abs/"
ARXIV_PDF = "https://arxiv.org/pdf/"

LANGUAGE_ZH = "zh"


class Mode(StrEnum):
    """How much the summary says: a digest-sized one, or the seed's 8-part structure."""

    CONDENSED = "condensed"
    FULL = "full"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ArxivRef(Frozen):
    """A canonical arXiv id (`2401.12215`, `hep-th/9901001`) with an optional version."""

    arxiv_id: str
    version: int | None = None

    @property
    def versioned(self) -> str:
        return f"{self.arxiv_id}v{self.version}" if self.version else self.arxiv_id

    def __str__(self) -> str:
        return self.versioned


class Paper(Frozen):
    """arXiv's metadata for one paper version: the only source of facts we show."""

    arxiv_id: str
    version: int | None = None
    title: str
    authors: tuple[str, ...]
    abstract: str
    affiliations: tuple[tuple[str, ...], ...] = ()
    """Per author, in `authors` order, as arXiv's author line wrote them (may be empty)."""
    categories: tuple[str, ...] = ()
    primary_category: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None

    @property
    def ref(self) -> ArxivRef:
        return ArxivRef(arxiv_id=self.arxiv_id, version=self.version)

    @property
    def versioned_id(self) -> str:
        return self.ref.versioned

    @property
    def abs_url(self) -> str:
        return ARXIV_ABS + self.versioned_id

    @property
    def pdf_url(self) -> str:
        return ARXIV_PDF + self.versioned_id

    def source_text(self) -> str:
        """The text a summary may draw facts (numbers) from."""
        return "\n".join(p for p in (self.title, self.abstract, self.comment or "") if p)


class CondensedSummary(Frozen):
    """The digest-sized summary: Chinese title, one sentence, 3-5 takeaways."""

    title_zh: str = Field(description="论文标题的中文译名")
    tldr: str = Field(description="一句话摘要，不超过 100 个汉字")
    highlights: list[str] = Field(description="3-5 条要点，每条一句话")


class FullSummary(Frozen):
    """The seed's 8-part structure; title, authors and links are rendered from metadata."""

    title_zh: str = Field(description="论文标题的中文译名")
    keywords: list[str] = Field(description="3-6 个关键词，英文术语可保留原文")
    background: str = Field(description="(1) 研究背景")
    prior_work: str = Field(description="(2) 过去的方法及其问题")
    approach: str = Field(description="(3) 研究方法")
    results: str = Field(description="(4) 任务与性能")
    methods: list[str] = Field(description="方法：按步骤列出的 2-6 条")
    innovation: str = Field(description="结论-创新点")
    performance: str = Field(description="结论-性能")
    workload: str = Field(description="结论-工作量")


SummaryStatus = Literal["ok", "extractive", "degraded"]


class SummaryKey(Frozen):
    """Everything a cached summary depends on; equal keys mean the model need not be asked."""

    arxiv_id: str
    version: int | None
    mode: Mode
    language: str = LANGUAGE_ZH
    provider: str
    model: str
    prompt_version: str
    reads: Literal["abstract", "fulltext"] = "abstract"
    """What the summary was written from: a full summary that could only read the abstract
    (full text unavailable) is not served where the paper itself should have been read."""


class SummaryRecord(Frozen):
    """A summary as stored and shown, with the outcome of the faithfulness checks."""

    key: SummaryKey
    status: SummaryStatus
    condensed: CondensedSummary | None = None
    full: FullSummary | None = None
    extract: list[str] = Field(default_factory=list)
    failed_checks: list[str] = Field(default_factory=list)
    degraded_reason: str | None = None
    affiliations: list[str] = Field(default_factory=list)
    code_urls: list[str] = Field(default_factory=list)
    text_source: Literal["html", "pdf", "abstract"] | None = None
    """What a full summary was written from: the paper (arXiv HTML or PDF) or only its
    abstract (no full text to be had); None for condensed summaries."""
    input_tokens: int = 0
    output_tokens: int = 0
    created_at: datetime | None = None

    @property
    def degraded(self) -> bool:
        return self.status == "degraded"

    @property
    def title_zh(self) -> str | None:
        if self.condensed is not None:
            return self.condensed.title_zh
        if self.full is not None:
            return self.full.title_zh
        return None


class SummaryResult(Frozen):
    """What the summary service hands to callers: the paper, its summary, and whether cached."""

    paper: Paper
    record: SummaryRecord
    cached: bool = False


class UsageEvent(Frozen):
    """One model call's cost, for `paperbot usage` and the daily budget."""

    at: datetime
    provider: str
    model: str
    arxiv_id: str
    mode: Mode | Literal["answer"]
    """What the call produced: a summary in that mode, or an answer to a question."""
    input_tokens: int
    output_tokens: int
    cost_usd: float = 0.0
    chat: str | None = None
    ok: bool = True
