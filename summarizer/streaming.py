"""Field-by-field streaming: finished fields of a JSON answer still being written, each shown
only once it passed the same rule checks as the whole (which is checked again at the end)."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from summarizer.checks import check_field
from summarizer.models import ArxivRef, Mode, Paper
from summarizer.ports import Generation, LLMProvider, PaperSource
from summarizer.prompt import output_schema

log = logging.getLogger(__name__)
_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\r\n"


@dataclass(frozen=True)
class Preview:
    """What may be shown of a summary being written: the checked fields so far, in order.
    String fields hold a str, list fields the checked items so far."""

    paper: Paper
    mode: Mode
    fields: dict[str, str | list[str]] = field(default_factory=dict)

    def text(self, name: str) -> str:
        value = self.fields.get(name, "")
        return value if isinstance(value, str) else ""

    def items(self, name: str) -> list[str]:
        value = self.fields.get(name, [])
        return value if isinstance(value, list) else []


PreviewFn = Callable[[Preview], Awaitable[None]]


def finished_fields(text: str) -> list[tuple[str, str | list[str], bool]]:
    """(name, value, closed) for every top-level field of the JSON object being written whose
    value (string) or items (list of strings) are complete; `closed` is False for a list that
    is still growing. Tolerates a ``` fence or prose before the `{`."""
    start = text.find("{")
    if start < 0:
        return []
    out: list[tuple[str, str | list[str], bool]] = []
    pos = _skip(text, start + 1)
    while pos < len(text) and text[pos] == '"':
        try:
            name, pos = _DECODER.raw_decode(text, pos)
        except ValueError:
            return out
        pos = _skip(text, pos)
        if pos >= len(text) or text[pos] != ":":
            return out
        pos = _skip(text, pos + 1)
        if pos < len(text) and text[pos] == "[":
            items, pos, closed = _items(text, pos + 1)
            out.append((str(name), items, closed))
            if not closed:
                return out
        else:
            try:
                value, pos = _DECODER.raw_decode(text, pos)
            except ValueError:
                return out
            if isinstance(value, str):
                out.append((str(name), value, True))
        pos = _skip(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
    return out


def _items(text: str, pos: int) -> tuple[list[str], int, bool]:
    items: list[str] = []
    pos = _skip(text, pos)
    while pos < len(text):
        if text[pos] == "]":
            return items, pos + 1, True
        try:
            item, pos = _DECODER.raw_decode(text, pos)
        except ValueError:
            return items, pos, False
        if isinstance(item, str):
            items.append(item)
        pos = _skip(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
    return items, pos, False


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


class FieldStream:
    """Feed it the answer so far; it returns a new Preview whenever one more field (or list
    item) is finished and passed the checks, None otherwise. A field that fails is never
    shown (the whole answer then fails too, and is re-asked or degraded as usual)."""

    def __init__(self, paper: Paper, mode: Mode, source_text: str) -> None:
        self.paper = paper
        self.mode = mode
        self.source_text = source_text
        self.allowed = set(output_schema(mode).model_fields)
        self.shown: dict[str, str | list[str]] = {}
        self.rejected: set[str] = set()

    def feed(self, text: str) -> Preview | None:
        changed = False
        for name, value, _closed in finished_fields(text):
            if name not in self.allowed or name in self.rejected:
                continue
            if isinstance(value, str):
                if name not in self.shown and self._passes(name, value):
                    self.shown[name] = value.strip()
                    changed = True
                continue
            shown = self.shown.setdefault(name, [])
            assert isinstance(shown, list)
            for index in range(len(shown), len(value)):
                if not self._passes(f"{name}[{index}]", value[index]):
                    self.rejected.add(name)  # later items would be shown out of order
                    break
                shown.append(value[index].strip())
                changed = True
        if not changed:
            return None
        snapshot = {k: (list(v) if isinstance(v, list) else v) for k, v in self.shown.items()}
        return Preview(self.paper, self.mode, {k: v for k, v in snapshot.items() if v})

    def _passes(self, name: str, value: str) -> bool:
        if not value.strip():
            return False
        failures = check_field(self.mode, name, value.strip(), self.source_text)
        if failures:
            self.rejected.add(name.split("[")[0])
        return not failures


def previewer(
    fields: FieldStream, preview: PreviewFn | None
) -> Callable[[str], Awaitable[None]] | None:
    """The provider's `on_text`: each newly checked field goes to `preview` (cosmetic: a
    failing preview never fails the summary)."""
    if preview is None:
        return None
    watcher = preview

    async def on_text(text: str) -> None:
        shown: Preview | None = fields.feed(text)
        if shown is None:
            return
        try:
            await watcher(shown)
        except Exception:
            log.warning("preview callback failed", exc_info=True)

    return on_text


async def generate(
    provider: LLMProvider,
    system: str,
    user: str,
    mode: Mode,
    on_text: Callable[[str], Awaitable[None]] | None,
) -> Generation:
    """One model call: streamed (`generate_streaming`) when someone watches and the provider
    can, otherwise in one piece."""
    schema = output_schema(mode)
    stream = getattr(provider, "generate_streaming", None)
    if on_text is not None and stream is not None:
        streamed: Generation = await stream(
            system=system, user=user, schema=schema, on_text=on_text
        )
        return streamed
    return await provider.generate(system=system, user=user, schema=schema)


async def known_papers(source: PaperSource, refs: Sequence[ArxivRef]) -> dict[ArxivRef, Paper]:
    """What the source knows without asking arXiv (`known_papers`; none if it cannot say)."""
    known = getattr(source, "known_papers", None)
    if known is None:
        return {}
    papers: dict[ArxivRef, Paper] = await known(refs)
    return papers
