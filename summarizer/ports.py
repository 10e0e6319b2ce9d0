"""Protocols the core depends on; storage/ and the in-memory fakes implement them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from pydantic import BaseModel

from summarizer.models import ArxivRef, Frozen, Paper, SummaryKey, SummaryRecord, UsageEvent

if TYPE_CHECKING:
    from summarizer.errors import ModelUnavailable


class PaperStore(Protocol):
    async def get_papers(
        self, refs: Sequence[ArxivRef], *, fresh_after: datetime | None = None
    ) -> dict[ArxivRef, Paper]:
        """Stored metadata for the refs found. A versioned ref matches that exact version; an
        unversioned ref matches the latest stored version fetched at or after `fresh_after`."""
        ...

    async def save_papers(self, papers: Sequence[Paper]) -> None:
        """Insert or update (by arxiv_id + version), stamping the fetch time."""
        ...


class SummaryStore(Protocol):
    async def get_summary(self, key: SummaryKey) -> SummaryRecord | None: ...

    async def save_summary(self, record: SummaryRecord) -> None:
        """Insert or replace the record stored under record.key."""
        ...


class UsageStore(Protocol):
    async def record_usage(self, event: UsageEvent) -> None: ...


class PaperSource(Protocol):
    async def fetch_papers(self, refs: Sequence[ArxivRef]) -> dict[ArxivRef, Paper]:
        """Metadata for each ref that exists; missing refs are simply absent from the result."""
        ...

    async def fetch_paper(self, ref: ArxivRef) -> Paper:
        """One paper; raises PaperNotFound / MalformedArxivId / ArxivUnavailable."""
        ...


class Generation(Frozen):
    """One model answer: the raw text (JSON expected) and the tokens it cost."""

    text: str
    input_tokens: int = 0
    output_tokens: int = 0


class LLMProvider(Protocol):
    """A model endpoint. `name` is the provider family (gemini/openai), `model` the model id."""

    @property
    def name(self) -> str: ...

    @property
    def model(self) -> str: ...

    async def generate(self, *, system: str, user: str, schema: type[BaseModel]) -> Generation:
        """Ask for JSON matching `schema`; raises ProviderError on failure."""
        ...


@runtime_checkable
class ModelLifecycle(Protocol):
    """A provider that can tell whether its model still exists (start-up check, 404s)."""

    on_unavailable: Callable[[ModelUnavailable], None] | None

    async def check_model(self) -> tuple[bool | None, str]:
        """(True, "") known; (False, fix) unknown or retired; (None, why) not checkable."""
        ...
