"""The summary use case: paper -> cached or freshly generated, checked Chinese summary."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from summarizer.checks import CheckOutcome, check_output
from summarizer.errors import ProviderError
from summarizer.language import traditional_record
from summarizer.models import (
    LANGUAGE_ZH,
    ArxivRef,
    CondensedSummary,
    FullSummary,
    Mode,
    Paper,
    SummaryKey,
    SummaryRecord,
    SummaryResult,
    UsageEvent,
)
from summarizer.ports import Generation, LLMProvider, PaperSource, SummaryStore, UsageStore
from summarizer.prompt import (
    MAX_FULL_TEXT_CHARS,
    PROMPT_VERSION,
    Prompt,
    build_prompt,
    build_repair_prompt,
)
from summarizer.prompt_en import build_prompt_en
from summarizer.providers import extractive
from summarizer.providers.extractive import extractive_record, key_sentences
from summarizer.single_flight import SingleFlight
from summarizer.streaming import FieldStream, PreviewFn, generate, known_papers, previewer

if TYPE_CHECKING:  # imported lazily: PyMuPDF loads only when full text is wired
    from summarizer.fulltext import FullText, FullTextSource

log = logging.getLogger(__name__)

ProgressFn = Callable[[str], Awaitable[None]]

PROGRESS_READING = "⏳ 正在读取论文…"
PROGRESS_GENERATING = "⏳ 正在生成中文摘要…"
REASON_UNAVAILABLE = "模型暂不可用"
REASON_CHECKS = "输出未通过校验"
SERVABLE = ("ok", "extractive")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SummaryService:
    def __init__(
        self,
        source: PaperSource,
        summaries: SummaryStore,
        usage: UsageStore,
        provider: LLMProvider | None,
        *,
        language: str = LANGUAGE_ZH,
        cost_per_million: tuple[float, float] = (0.0, 0.0),
        clock: Callable[[], datetime] = _utc_now,
        fulltext: FullTextSource | None = None,
    ) -> None:
        self._source = source
        self._fulltext = fulltext
        self._summaries = summaries
        self._usage = usage
        self._provider = provider
        self._language = language
        self._cost_per_million = cost_per_million
        self._clock = clock
        # One generation per key, however many callers (chats, the digest) want it at once.
        self._generations: SingleFlight[SummaryKey, SummaryRecord] = SingleFlight()

    @property
    def fulltext(self) -> FullTextSource | None:
        """Where full summaries read the paper itself (None: abstracts only)."""
        return self._fulltext

    def key_for(self, paper: Paper, mode: Mode, language: str | None = None) -> SummaryKey:
        provider, model = (
            (self._provider.name, self._provider.model)
            if self._provider is not None
            else (extractive.NAME, extractive.MODEL)
        )
        reads_paper = mode is Mode.FULL and self._fulltext is not None and self._provider
        return SummaryKey(
            arxiv_id=paper.arxiv_id,
            version=paper.version,
            mode=mode,
            language=language or self._language,
            provider=provider,
            model=model,
            prompt_version=PROMPT_VERSION,
            reads="fulltext" if reads_paper else "abstract",
        )

    async def cached(
        self, ref: ArxivRef, mode: Mode, *, language: str | None = None
    ) -> SummaryResult | None:
        """A stored ok/extractive summary, without calling the model. The paper comes from the
        source (served from its store when known); its errors (PaperNotFound...) propagate."""
        paper = await self._source.fetch_paper(ref)
        record = await self._summaries.get_summary(self.key_for(paper, mode, language))
        if record is None or record.status not in SERVABLE:
            return None
        return SummaryResult(paper=paper, record=record, cached=True)

    async def stored(
        self, refs: Sequence[ArxivRef], mode: Mode, *, language: str | None = None
    ) -> dict[ArxivRef, SummaryResult]:
        """Stored ok/extractive summaries of the refs whose papers the source already knows
        (`known_papers`, no network); never calls arXiv or the model."""
        papers = await known_papers(self._source, refs)
        keys = {ref: self.key_for(paper, mode, language) for ref, paper in papers.items()}
        records = {ref: await self._summaries.get_summary(key) for ref, key in keys.items()}
        return {
            ref: SummaryResult(paper=papers[ref], record=record, cached=True)
            for ref, record in records.items()
            if record is not None and record.status in SERVABLE
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
        await _report(progress, PROGRESS_READING)
        paper = await self._source.fetch_paper(ref)
        return await self.summarize_paper(
            paper, mode, progress=progress, chat=chat, language=language, preview=preview
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
        """`language`: the chat's (zh, zh-TW, en; None: zh). `preview`: gets the checked fields
        so far while a streaming provider writes (only the caller that started it)."""
        key = self.key_for(paper, mode, language)
        record = await self._summaries.get_summary(key)
        if record is not None and record.status in SERVABLE:
            return SummaryResult(paper=paper, record=record, cached=True)
        task = self._generations.start(key, lambda: self._produce(paper, mode, key, chat, preview))
        await _report(progress if self._provider else None, PROGRESS_GENERATING)  # extract: instant
        record = await asyncio.shield(task)
        return SummaryResult(paper=paper, record=record, cached=False)

    async def _produce(
        self, paper: Paper, mode: Mode, key: SummaryKey, chat: str | None,
        preview: PreviewFn | None = None,
    ) -> SummaryRecord:  # fmt: skip
        if key.language == "zh-TW":  # 繁體: the Simplified summary, converted by OpenCC
            base = await self.summarize_paper(paper, mode, chat=chat, language=LANGUAGE_ZH)
            converted = traditional_record(base.record, key)
            await self._summaries.save_summary(converted)
            return converted
        fulltext = await self._read_paper(paper) if mode is Mode.FULL else None
        if self._provider is None:
            record = extractive_record(paper, mode, key)
        else:
            record = await self._generate(self._provider, paper, mode, key, chat, fulltext, preview)
        facts = _paper_facts(paper, fulltext) if mode is Mode.FULL else {}
        if facts and self._provider is None:
            facts["text_source"] = "abstract"  # the extract is the abstract's own sentences
        if key.reads == "fulltext" and fulltext is None:
            # Written from the abstract only (full text unavailable): cached as such, so the
            # next request for this paper tries the full text again.
            facts["key"] = key.model_copy(update={"reads": "abstract"})
        record = record.model_copy(update={"created_at": self._clock(), **facts})
        await self._summaries.save_summary(record)
        return record

    async def _read_paper(self, paper: Paper) -> FullText | None:
        """The paper's full text for a full summary; None (abstract only) when there is none
        or it cannot be had: full text improves a summary, it never fails one."""
        if self._fulltext is None:
            return None
        try:
            return await self._fulltext.fetch(paper)
        except Exception:
            log.warning("full text of %s unavailable", paper.versioned_id, exc_info=True)
            return None

    async def _generate(
        self,
        provider: LLMProvider,
        paper: Paper,
        mode: Mode,
        key: SummaryKey,
        chat: str | None,
        fulltext: FullText | None = None,
        preview: PreviewFn | None = None,
    ) -> SummaryRecord:
        excerpt = fulltext.excerpt(MAX_FULL_TEXT_CHARS) if fulltext is not None else None
        english = key.language == "en"
        if english:
            prompt = build_prompt_en(paper, mode, full_text=excerpt)
        else:
            prompt = build_prompt(paper, mode, full_text=excerpt)
        # Numbers may come from what the model read: the metadata and the paper's own text.
        source_text = paper.source_text() + (f"\n{excerpt}" if excerpt else "")
        tokens = [0, 0]
        earlier: list[str] = []  # check failures of a first answer, kept if the re-ask errors
        try:
            on_text = previewer(FieldStream(paper, mode, source_text), preview)
            generation = await self._call(provider, prompt, mode, key, chat, on_text)
            tokens = [generation.input_tokens, generation.output_tokens]
            outcome = _checked(generation.text, mode, source_text, english=english)
            if not outcome.ok:
                log.info("summary %s failed checks, re-asking: %s", key, outcome.failures)
                earlier = outcome.failures
                repair = build_repair_prompt(prompt, generation.text, outcome.failures)
                generation = await self._call(provider, repair, mode, key, chat)
                tokens = [tokens[0] + generation.input_tokens, tokens[1] + generation.output_tokens]
                outcome = _checked(generation.text, mode, source_text, english=english)
        except ProviderError as exc:
            log.log(exc.log_level, "provider failed for %s: %s", key, exc)
            failures = [*earlier, f"provider: {exc.reason}"]
            reason = exc.degraded_reason or REASON_UNAVAILABLE
            return self._degraded(paper, key, reason, failures, tokens)
        if outcome.summary is None or outcome.failures:
            log.warning("summary %s failed checks twice: %s", key, outcome.failures)
            return self._degraded(paper, key, REASON_CHECKS, outcome.failures, tokens)
        summary = outcome.summary
        return SummaryRecord(
            key=key,
            status="ok",
            condensed=summary if isinstance(summary, CondensedSummary) else None,
            full=summary if isinstance(summary, FullSummary) else None,
            input_tokens=tokens[0],
            output_tokens=tokens[1],
        )

    def _degraded(
        self, paper: Paper, key: SummaryKey, reason: str, failures: list[str], tokens: list[int]
    ) -> SummaryRecord:
        return SummaryRecord(
            key=key,
            status="degraded",
            extract=key_sentences(paper.abstract),
            failed_checks=failures,
            degraded_reason=reason,
            input_tokens=tokens[0],
            output_tokens=tokens[1],
        )

    async def _call(
        self, provider: LLMProvider, prompt: Prompt, mode: Mode, key: SummaryKey,
        chat: str | None, on_text: Callable[[str], Awaitable[None]] | None = None,
    ) -> Generation:  # fmt: skip
        """One model call (streamed when someone watches and the provider can), with its usage
        event recorded whether it succeeds or fails."""
        try:
            generation = await generate(provider, prompt.system, prompt.user, mode, on_text)
        except ProviderError:
            await self._usage.record_usage(self._usage_event(key, chat, 0, 0, ok=False))
            raise
        await self._usage.record_usage(
            self._usage_event(key, chat, generation.input_tokens, generation.output_tokens)
        )
        return generation

    def _usage_event(
        self, key: SummaryKey, chat: str | None, tokens_in: int, tokens_out: int, *, ok: bool = True
    ) -> UsageEvent:
        price_in, price_out = self._cost_per_million
        return UsageEvent(
            at=self._clock(),
            provider=key.provider,
            model=key.model,
            arxiv_id=key.arxiv_id,
            mode=key.mode,
            input_tokens=tokens_in,
            output_tokens=tokens_out,
            cost_usd=(tokens_in * price_in + tokens_out * price_out) / 1_000_000,
            chat=chat,
            ok=ok,
        )


def _checked(raw: str, mode: Mode, source_text: str, *, english: bool) -> CheckOutcome:
    """The summary checks; an English summary is exempt from the Chinese-prose rule only."""
    outcome = check_output(raw, mode, source_text)
    if not english:
        return outcome
    return CheckOutcome(
        outcome.summary, [f for f in outcome.failures if not f.startswith("not_chinese")]
    )


def _paper_facts(paper: Paper, fulltext: FullText | None) -> dict[str, Any]:
    """单位 and code links as the paper prints them (never the model's), and what was read."""
    if fulltext is None:  # code links still come from arXiv's comment and abstract
        from summarizer.fulltext.code_links import find_code_urls as urls

        return {"code_urls": urls([paper.comment or "", paper.abstract]), "text_source": "abstract"}
    return {
        "affiliations": list(fulltext.affiliations),
        "code_urls": list(fulltext.code_urls),
        "text_source": fulltext.source,
    }


async def _report(progress: ProgressFn | None, text: str) -> None:
    """Progress is cosmetic: a failed status edit must not fail the summary."""
    if progress is None:
        return
    try:
        await progress(text)
    except Exception:
        log.warning("progress callback failed", exc_info=True)
