"""The question use case: paper text -> passages -> retrieved context -> checked, cited answer."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from summarizer.errors import ProviderError
from summarizer.language import Language, to_traditional
from summarizer.models import Paper, UsageEvent
from summarizer.ports import Generation, LLMProvider, UsageStore
from summarizer.prompt import Prompt
from summarizer.qa.answer_checks import check_answer, scrub
from summarizer.qa.passages import Passage, abstract_passages, paper_passages
from summarizer.qa.passages import paper_text as full_paper_text
from summarizer.qa.prompt import (
    PaperAnswer,
    Turn,
    build_answer_prompt,
    build_answer_repair,
)
from summarizer.qa.retrieval import (
    BM25,
    DEFAULT_BUDGET_TOKENS,
    Retrieved,
    passage_index,
    retrieve,
)
from summarizer.qa.turns import MemoryTurnStore, TurnStore

if TYPE_CHECKING:
    from summarizer.fulltext import FullTextSource

log = logging.getLogger(__name__)

AnswerStatus = Literal["ok", "not_found", "degraded", "extractive"]
HISTORY_TURNS = 3
FALLBACK_CHARS = 500
REASON_UNAVAILABLE = "模型暂不可用"
REASON_CHECKS = "回答未通过校验"


@dataclass(frozen=True)
class Answer:
    """An answer as handlers show it."""

    paper: Paper
    question: str
    text: str
    status: AnswerStatus
    citations: tuple[str, ...] = ()
    source: Literal["html", "pdf", "abstract"] = "abstract"
    """What the answer was read from: the paper (arXiv HTML or PDF) or only its abstract."""
    reason: str | None = None
    """Why an answer is degraded (shown in its label)."""
    input_tokens: int = 0
    output_tokens: int = 0
    context_tokens: int = 0
    """Tokens of the passages sent (what retrieval saved is measured on this)."""


@dataclass(frozen=True)
class PaperText:
    passages: tuple[Passage, ...]
    text: str
    """Everything numbers are checked against: metadata, abstract and the paper body."""
    source: Literal["html", "pdf", "abstract"]
    index: BM25

    @property
    def citations(self) -> set[str]:
        return {c for p in self.passages for c in p.cites}


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AnswerService:
    def __init__(
        self,
        provider: LLMProvider | None,
        usage: UsageStore,
        *,
        fulltext: FullTextSource | None = None,
        turns: TurnStore | None = None,
        cost_per_million: tuple[float, float] = (0.0, 0.0),
        budget_tokens: int = DEFAULT_BUDGET_TOKENS,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._provider = provider
        self._usage = usage
        self._fulltext = fulltext
        self.turns: TurnStore = turns or MemoryTurnStore()
        self._cost = cost_per_million
        self.budget_tokens = budget_tokens
        self._clock = clock
        self._texts: OrderedDict[str, PaperText] = OrderedDict()

    async def paper_text(self, paper: Paper) -> PaperText:
        """The paper cut into passages (memoised for the last 32 papers); the abstract alone
        when the full text cannot be had."""
        cached = self._texts.get(paper.versioned_id)
        if cached is not None:
            self._texts.move_to_end(paper.versioned_id)
            return cached
        fulltext = None
        if self._fulltext is not None:
            try:
                fulltext = await self._fulltext.fetch(paper)
            except Exception:
                log.warning("full text of %s unavailable", paper.versioned_id, exc_info=True)
        if fulltext is not None:
            passages = tuple(paper_passages(fulltext))
            text = f"{paper.source_text()}\n{full_paper_text(fulltext)}"
            result = PaperText(passages, text, fulltext.source, passage_index(passages))
        else:
            only = tuple(abstract_passages(paper.abstract))
            result = PaperText(only, paper.source_text(), "abstract", passage_index(only))
        if fulltext is not None or self._fulltext is None:
            self._texts[paper.versioned_id] = result  # a failed fetch is retried next time
            if len(self._texts) > 32:
                self._texts.popitem(last=False)
        return result

    async def ask(
        self, paper: Paper, question: str, *, chat: str, thread: str, language: Language = "zh"
    ) -> Answer:
        history = await self.turns.recent_turns(chat, thread, HISTORY_TURNS)
        text = await self.paper_text(paper)
        found = retrieve(
            text.passages,
            question,
            history=[t.question for t in history],
            budget_tokens=self.budget_tokens,
            index=text.index,
        )
        if self._provider is None:
            answer = self._fallback(paper, question, text, found, "extractive", None)
        else:
            answer = await self._generate(
                self._provider, paper, question, text, found, history, chat, language
            )
        answer = _localize(answer, language)
        if answer.status in ("ok", "not_found"):
            await self.turns.add_turn(chat, thread, paper.arxiv_id, Turn(question, answer.text))
        return answer

    async def _generate(
        self,
        provider: LLMProvider,
        paper: Paper,
        question: str,
        text: PaperText,
        found: Retrieved,
        history: list[Turn],
        chat: str,
        language: Language,
    ) -> Answer:
        prompt = build_answer_prompt(
            paper,
            question,
            found.passages,
            history=history,
            language="en" if language == "en" else "zh",
            abstract_only=text.source == "abstract",
        )
        check_language = "en" if language == "en" else "zh"
        tokens = [0, 0]
        try:
            generation = await self._call(provider, prompt, paper, chat, tokens)
            outcome = check_answer(
                generation.text,
                paper_text=text.text,
                allowed_citations=text.citations,
                language=check_language,
            )
            if not outcome.ok:
                log.info(
                    "answer for %s failed checks, re-asking: %s",
                    paper.versioned_id,
                    outcome.failures,
                )
                repair = build_answer_repair(prompt, generation.text, outcome.failures)
                generation = await self._call(provider, repair, paper, chat, tokens)
                outcome = check_answer(
                    generation.text,
                    paper_text=text.text,
                    allowed_citations=text.citations,
                    language=check_language,
                )
        except ProviderError as exc:
            log.log(exc.log_level, "provider failed answering on %s: %s", paper.versioned_id, exc)
            reason = exc.degraded_reason or REASON_UNAVAILABLE
            return self._fallback(paper, question, text, found, "degraded", reason, tokens)
        if outcome.answer is None or outcome.failures:
            log.warning(
                "answer for %s failed checks twice: %s", paper.versioned_id, outcome.failures
            )
            return self._fallback(paper, question, text, found, "degraded", REASON_CHECKS, tokens)
        reply: PaperAnswer = outcome.answer
        return Answer(
            paper=paper,
            question=question,
            text=reply.answer,
            status="ok" if reply.found else "not_found",
            citations=tuple(reply.citations),
            source=text.source,
            input_tokens=tokens[0],
            output_tokens=tokens[1],
            context_tokens=found.tokens,
        )

    async def _call(
        self, provider: LLMProvider, prompt: Prompt, paper: Paper, chat: str, tokens: list[int]
    ) -> Generation:
        """One model call; its cost is counted for the asking chat like a summary's."""
        try:
            generation = await provider.generate(
                system=prompt.system, user=prompt.user, schema=PaperAnswer
            )
        except ProviderError:
            await self._usage.record_usage(self._event(provider, paper, chat, 0, 0, ok=False))
            raise
        tokens[0] += generation.input_tokens
        tokens[1] += generation.output_tokens
        await self._usage.record_usage(
            self._event(provider, paper, chat, generation.input_tokens, generation.output_tokens)
        )
        return generation

    def _event(
        self,
        provider: LLMProvider,
        paper: Paper,
        chat: str,
        tokens_in: int,
        tokens_out: int,
        *,
        ok: bool = True,
    ) -> UsageEvent:
        price_in, price_out = self._cost
        return UsageEvent(
            at=self._clock(),
            provider=provider.name,
            model=provider.model,
            arxiv_id=paper.arxiv_id,
            mode="answer",
            input_tokens=tokens_in,
            output_tokens=tokens_out,
            cost_usd=(tokens_in * price_in + tokens_out * price_out) / 1_000_000,
            chat=chat,
            ok=ok,
        )

    def _fallback(
        self,
        paper: Paper,
        question: str,
        text: PaperText,
        found: Retrieved,
        status: AnswerStatus,
        reason: str | None,
        tokens: list[int] | None = None,
    ) -> Answer:
        """No model answer: the most relevant passage as the paper writes it, labelled."""
        spent_in, spent_out = tokens or (0, 0)
        best = found.ranked[0] if found.ranked and found.matched else None
        excerpt = scrub(best.text) if best is not None else ""
        if len(excerpt) > FALLBACK_CHARS:
            excerpt = excerpt[:FALLBACK_CHARS].rstrip() + "…"
        return Answer(
            paper=paper,
            question=question,
            text=excerpt,
            status=status,
            citations=(best.label,) if best is not None else (),
            source=text.source,
            reason=reason,
            input_tokens=spent_in,
            output_tokens=spent_out,
            context_tokens=found.tokens,
        )


def _localize(answer: Answer, language: Language) -> Answer:
    """Traditional Chinese chats get the Simplified answer converted; paper excerpts stay."""
    if language != "zh-TW" or answer.status not in ("ok", "not_found"):
        return answer
    return replace(answer, text=to_traditional(answer.text))
