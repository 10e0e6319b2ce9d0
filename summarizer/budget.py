"""The daily token budget: a provider wrapper that refuses calls once today's tokens are spent."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

from pydantic import BaseModel

from summarizer.errors import ProviderError
from summarizer.ports import Generation, LLMProvider
from summarizer.providers.wrapped import WrappedProvider

log = logging.getLogger(__name__)

REASON_BUDGET = "今日模型用量已达上限"


def _utc_today() -> date:
    return datetime.now(UTC).date()


class BudgetExhausted(ProviderError):
    """Raised instead of calling the model: the service then serves the extractive fallback,
    labelled with `degraded_reason`."""

    user_message = "⚠️ 今日模型用量已达上限，先为你展示原文摘要要点。"
    degraded_reason = REASON_BUDGET
    log_level = logging.INFO  # the wrapper warns once per day; each refusal is routine

    def __init__(self, provider: str, spent: int, budget: int) -> None:
        super().__init__(
            provider,
            f"daily token budget spent ({spent} of {budget} tokens, PAPERBOT_DAILY_TOKEN_BUDGET)",
        )
        self.spent = spent
        self.budget = budget


class BudgetedProvider(WrappedProvider):
    """LLMProvider that asks `tokens_today()` before each call; at or over `budget` it raises
    BudgetExhausted and warns the operator once per day. A budget of 0 means unlimited."""

    def __init__(
        self,
        inner: LLMProvider,
        tokens_today: Callable[[], Awaitable[int]],
        budget: int,
        *,
        today: Callable[[], date] = _utc_today,
        on_exhausted: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(inner)
        self._tokens_today = tokens_today
        self.budget = budget
        self._today = today
        self._on_exhausted = on_exhausted
        self._warned_on: date | None = None

    async def generate(self, *, system: str, user: str, schema: type[BaseModel]) -> Generation:
        if self.budget > 0:
            spent = await self._tokens_today()
            if spent >= self.budget:
                self._refused(spent)
                raise BudgetExhausted(self.name, spent, self.budget)
        return await self.inner.generate(system=system, user=user, schema=schema)

    async def generate_streaming(
        self,
        *,
        system: str,
        user: str,
        schema: type[BaseModel],
        on_text: Callable[[str], Awaitable[None]],
    ) -> Generation:
        """`generate` streamed, when the wrapped provider streams (else in one piece)."""
        stream = getattr(self.inner, "generate_streaming", None)
        if stream is None:
            return await self.generate(system=system, user=user, schema=schema)
        if self.budget > 0:
            spent = await self._tokens_today()
            if spent >= self.budget:
                self._refused(spent)
                raise BudgetExhausted(self.name, spent, self.budget)
        generation: Generation = await stream(
            system=system, user=user, schema=schema, on_text=on_text
        )
        return generation

    def _refused(self, spent: int) -> None:
        if self._on_exhausted is not None:
            self._on_exhausted()
        today = self._today()
        if self._warned_on != today:
            self._warned_on = today
            log.warning(
                "daily token budget spent: %d of %d tokens used today (UTC); summaries fall back "
                "to the extractive provider until midnight UTC. Raise PAPERBOT_DAILY_TOKEN_BUDGET "
                "(0 = unlimited) to lift it.",
                spent,
                self.budget,
            )
