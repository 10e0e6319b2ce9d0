"""Hand-written fakes of our own ports (papers, summaries, chats, feedback) for adapter tests."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

from handlers.ports import ChatInfo, ChatSettings, ProgressFn
from handlers.rate_limit import FairLimiter
from handlers.services import Services
from handlers.types import ChatKind, ChatRef
from summarizer.errors import PaperNotFound
from summarizer.language import Language
from summarizer.models import (
    ArxivRef,
    CondensedSummary,
    FullSummary,
    Mode,
    Paper,
    SummaryKey,
    SummaryRecord,
    SummaryResult,
)
from summarizer.qa.service import Answer
from summarizer.streaming import Preview, PreviewFn

LORA_ABSTRACT = (
    "Parameter-efficient fine-tuning (PEFT) that was initially developed for exploiting "
    "pre-trained large language models has recently emerged as an effective approach to perform "
    "transfer learning on computer vision tasks. Our results showed that LoRA outperformed FFT in "
    "13 out of 18 transfer learning tasks by at most 2.9% using fewer than 1% tunable parameters."
)


def sample_paper(arxiv_id: str = "2401.12215", version: int = 1, **changes: object) -> Paper:
    base = Paper(
        arxiv_id=arxiv_id,
        version=version,
        title="Less Could Be Better: Parameter-efficient Fine-tuning Advances Medical Vision "
        "Foundation Models",
        authors=("Chenyu Lian", "Hong-Yu Zhou", "Yizhou Yu", "Liansheng Wang"),
        abstract=LORA_ABSTRACT,
        categories=("cs.CV",),
        primary_category="cs.CV",
        published=datetime(2024, 1, 22, 18, 0, tzinfo=UTC),
        comment="Technical report",
    )
    return base.model_copy(update=changes)


def sample_condensed() -> CondensedSummary:
    return CondensedSummary(
        title_zh="少即是多：参数高效微调推动医学视觉基础模型",
        tldr="在胸片基础模型上，低秩适配（LoRA）以不到 1% 的可调参数，在 18 个迁移任务中的 13 个超过全参数微调（FFT）。",
        highlights=[
            "系统比较参数高效微调（PEFT）与全参数微调在医学视觉基础模型上的效果",
            "LoRA 在 13/18 个任务上更优，最多提升 2.9%",
            "仅用不到 1% 的可调参数",
        ],
    )


def sample_full() -> FullSummary:
    return FullSummary(
        title_zh="少即是多：参数高效微调推动医学视觉基础模型",
        keywords=["参数高效微调（PEFT）", "低秩适配（LoRA）", "医学影像"],
        background="参数高效微调最初用于大语言模型，近来成为视觉迁移学习的有效方法。",
        prior_work="全参数微调（FFT）参数量大，标注有限时未必最优。",
        approach="在两个自监督胸片基础模型上系统比较 LoRA 与全参数微调。",
        results="LoRA 在 18 个任务中的 13 个上超过全参数微调，最多提升 2.9%。",
        methods=["选取两个自监督胸片基础模型", "在三个公开数据集上比较 LoRA 与 FFT"],
        innovation="首次系统评估 PEFT 在医学视觉基础模型上的效果。",
        performance="以不到 1% 的可调参数取得更好结果。",
        workload="覆盖 18 个迁移学习任务。",
    )


def make_result(
    paper: Paper, mode: Mode, *, status: str = "ok", cached: bool = False
) -> SummaryResult:
    key = SummaryKey(
        arxiv_id=paper.arxiv_id,
        version=paper.version,
        mode=mode,
        provider="fake",
        model="fake-1",
        prompt_version="test",
    )
    if status == "ok":
        record = SummaryRecord(
            key=key,
            status="ok",
            condensed=sample_condensed() if mode is Mode.CONDENSED else None,
            full=sample_full() if mode is Mode.FULL else None,
        )
    else:
        record = SummaryRecord(
            key=key,
            status="degraded" if status == "degraded" else "extractive",
            extract=[paper.abstract],
            degraded_reason="模型暂不可用" if status == "degraded" else None,
        )
    return SummaryResult(paper=paper, record=record, cached=cached)


class FakePapers:
    """A PaperSource over a dict; unknown ids are absent / raise PaperNotFound."""

    def __init__(self, papers: Sequence[Paper] = ()) -> None:
        self.papers = {p.arxiv_id: p for p in papers}
        self.requests: list[list[ArxivRef]] = []

    async def fetch_papers(self, refs: Sequence[ArxivRef]) -> dict[ArxivRef, Paper]:
        self.requests.append(list(refs))
        return {ref: self.papers[ref.arxiv_id] for ref in refs if ref.arxiv_id in self.papers}

    async def known_papers(self, refs: Sequence[ArxivRef]) -> dict[ArxivRef, Paper]:
        """What is known without asking arXiv (here: everything; not counted as a request)."""
        return {ref: self.papers[ref.arxiv_id] for ref in refs if ref.arxiv_id in self.papers}

    async def fetch_paper(self, ref: ArxivRef) -> Paper:
        found = await self.fetch_papers([ref])
        if ref not in found:
            raise PaperNotFound(ref.versioned)
        return found[ref]


class FakeSummaries:
    """The Summaries port: canned results; counts 'model calls'; reports progress when the
    (paper, mode) was not summarized before, like the real service."""

    def __init__(self, papers: FakePapers, status: str = "ok") -> None:
        self.papers = papers
        self.status = status
        self.done: set[tuple[str, Mode]] = set()
        self.model_calls = 0
        """Requests the service's cache could not answer (what the real service sends to the
        model): a claim about the CACHE. A claim that the product itself asks once per paper
        must count `requests`, which counts every call (this fake's cache cannot hide it)."""
        self.requests: Counter[tuple[str, Mode]] = Counter()
        self.languages: list[str | None] = []
        self.streams = False  # like a streaming model: show checked fields while "writing"
        self.stream_pause = 0.0  # seconds between two streamed fields

    async def cached(
        self, ref: ArxivRef, mode: Mode, *, language: str | None = None
    ) -> SummaryResult | None:
        if (ref.arxiv_id, mode) in self.done:
            paper = await self.papers.fetch_paper(ref)
            return make_result(paper, mode, status=self.status, cached=True)
        return None

    async def stored(
        self, refs: Sequence[ArxivRef], mode: Mode, *, language: str | None = None
    ) -> dict[ArxivRef, SummaryResult]:
        known = await self.papers.known_papers(refs)
        return {
            ref: make_result(paper, mode, status=self.status, cached=True)
            for ref, paper in known.items()
            if (paper.arxiv_id, mode) in self.done
        }

    async def summarize(
        self,
        ref: ArxivRef,
        mode: Mode,
        *,
        progress: ProgressFn | None = None,
        chat: str | None = None,
        language: str | None = None,
        preview: PreviewFn | None = None,
    ) -> SummaryResult:
        paper = await self.papers.fetch_paper(ref)
        return await self.summarize_paper(
            paper,
            mode,
            progress=progress,
            chat=chat,
            language=language,
            preview=preview,
        )

    async def summarize_paper(
        self,
        paper: Paper,
        mode: Mode,
        *,
        progress: ProgressFn | None = None,
        chat: str | None = None,
        language: str | None = None,
        preview: PreviewFn | None = None,
    ) -> SummaryResult:
        self.languages.append(language)
        self.requests[(paper.arxiv_id, mode)] += 1
        cached = (paper.arxiv_id, mode) in self.done
        self.model_calls += int(not cached)
        if progress is not None and not cached:
            await progress("⏳ 正在生成中文摘要…")
        streamed = self.streams and preview is not None and self.status == "ok"
        if streamed and not cached and mode is Mode.CONDENSED:
            await stream_previews(paper, preview, self.stream_pause)
        self.done.add((paper.arxiv_id, mode))
        return make_result(paper, mode, status=self.status, cached=cached)


async def stream_previews(paper: Paper, preview: PreviewFn, pause: float) -> None:
    """What the real service shows while a streaming model writes: title, tl;dr, then each
    highlight, every one already checked."""
    summary = sample_condensed()
    fields: dict[str, str | list[str]] = {}
    steps: list[tuple[str, str | list[str]]] = [("title_zh", summary.title_zh)]
    steps.append(("tldr", summary.tldr))
    steps += [("highlights", summary.highlights[: i + 1]) for i in range(len(summary.highlights))]
    for name, value in steps:
        await asyncio.sleep(pause)
        fields[name] = value
        await preview(Preview(paper, Mode.CONDENSED, dict(fields)))


class MemoryChats:
    def __init__(self) -> None:
        self.chats: dict[ChatRef, ChatInfo] = {}
        self.inactive_reasons: dict[ChatRef, str | None] = {}

    async def upsert_chat(self, chat: ChatRef, kind: ChatKind, title: str | None) -> ChatInfo:
        old = self.chats.get(chat)
        info = ChatInfo(
            chat=chat, kind=kind, title=title, settings=old.settings if old else ChatSettings()
        )
        self.chats[chat] = info
        return info

    async def get_chat(self, chat: ChatRef) -> ChatInfo | None:
        return self.chats.get(chat)

    async def save_settings(self, chat: ChatRef, settings: ChatSettings) -> None:
        info = self.chats.get(chat) or ChatInfo(chat=chat, kind=ChatKind.PRIVATE)
        self.chats[chat] = info.model_copy(update={"settings": settings})

    async def set_active(self, chat: ChatRef, active: bool, reason: str | None = None) -> None:
        info = self.chats.get(chat) or ChatInfo(chat=chat, kind=ChatKind.PRIVATE)
        self.chats[chat] = info.model_copy(update={"active": active})
        self.inactive_reasons[chat] = reason

    async def migrate_chat(self, old: ChatRef, new: ChatRef) -> None:
        info = self.chats.pop(old, None)
        if info is not None:
            self.chats[new] = info.model_copy(update={"chat": new})

    async def forget_chat(self, chat: ChatRef) -> int:
        self.inactive_reasons.pop(chat, None)
        return 1 if self.chats.pop(chat, None) is not None else 0


class MemoryFeedback:
    def __init__(self) -> None:
        self.votes: dict[tuple[ChatRef, str, str], int] = {}

    async def record_feedback(self, chat: ChatRef, user_id: str, arxiv_id: str, value: int) -> None:
        self.votes[(chat, user_id, arxiv_id)] = value


def fake_services(
    papers: Sequence[Paper] | None = None, *, status: str = "ok", rate_limit: int = 100
) -> Services:
    source = FakePapers(papers if papers is not None else [sample_paper()])
    return Services(
        papers=source,
        summaries=FakeSummaries(source, status=status),
        chats=MemoryChats(),
        feedback=MemoryFeedback(),
        user_limiter=FairLimiter(rate_limit, 60.0),
        max_links=3,
        model_label="fake · fake-1",
        answers=FakeAnswers(),
    )


class FakeAnswers:
    """The answer service as handlers see it: a canned, cited answer; records every question
    (chat, thread, language) so tests can check isolation and threading."""

    def __init__(self, text: str = "秩为 8。", citations: tuple[str, ...] = ("§3.1",)) -> None:
        self.text = text
        self.citations = citations
        self.source: Literal["html", "pdf", "abstract"] = "html"
        self.status: Literal["ok", "not_found", "degraded", "extractive"] = "ok"
        self.asked: list[dict[str, object]] = []

    async def ask(
        self, paper: Paper, question: str, *, chat: str, thread: str, language: Language = "zh"
    ) -> Answer:
        self.asked.append(
            {"paper": paper.versioned_id, "question": question, "chat": chat, "thread": thread,
             "language": language}
        )  # fmt: skip
        return Answer(
            paper=paper,
            question=question,
            text=self.text,
            status=self.status,
            citations=self.citations,
            source=self.source,
            reason="模型暂不可用" if self.status == "degraded" else None,
        )
