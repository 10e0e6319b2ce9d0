"""A provider around another (budget, counting): the same name and model, closed with it."""

from __future__ import annotations

from pydantic import BaseModel

from summarizer.ports import Generation, LLMProvider


class WrappedProvider:
    """Delegates everything to `inner`; subclasses override `generate`."""

    def __init__(self, inner: LLMProvider) -> None:
        self.inner = inner

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def model(self) -> str:
        return self.inner.model

    async def generate(self, *, system: str, user: str, schema: type[BaseModel]) -> Generation:
        return await self.inner.generate(system=system, user=user, schema=schema)

    async def aclose(self) -> None:
        close = getattr(self.inner, "aclose", None)
        if close is not None:
            await close()
