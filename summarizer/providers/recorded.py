"""A provider that replays recorded model outputs (offline demo), through the real checks."""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources

from pydantic import BaseModel

from summarizer.demo_data import load_seed_papers
from summarizer.errors import ProviderError
from summarizer.models import CondensedSummary, FullSummary, Mode
from summarizer.ports import Generation

NAME = "recorded"


class RecordedProvider:
    """Answers each request with the next recording for the paper whose title is in the
    prompt; a re-ask gets the following recording. Unknown papers raise ProviderError."""

    def __init__(self, recordings: dict[str, dict[str, list[str]]], model: str) -> None:
        self._model = model
        self._titles = {p.title: p.arxiv_id for p in load_seed_papers()}
        self._recordings = recordings
        self._served: dict[tuple[str, str], int] = defaultdict(int)

    @classmethod
    def from_package(cls) -> RecordedProvider:
        text = (
            resources.files("summarizer.data").joinpath("seed_recordings.json").read_text("utf-8")
        )
        data = json.loads(text)
        return cls(data["recordings"], data["model"])

    @property
    def name(self) -> str:
        return NAME

    @property
    def model(self) -> str:
        return self._model

    async def generate(self, *, system: str, user: str, schema: type[BaseModel]) -> Generation:
        mode = Mode.FULL if schema is FullSummary else Mode.CONDENSED
        assert schema in (CondensedSummary, FullSummary)
        arxiv_id = next((aid for title, aid in self._titles.items() if title in user), None)
        answers = self._recordings.get(arxiv_id or "", {}).get(mode.value, [])
        index = self._served[(arxiv_id or "", mode.value)]
        if index >= len(answers):
            raise ProviderError(NAME, f"no recording for {arxiv_id or 'this paper'} ({mode.value})")
        self._served[(arxiv_id or "", mode.value)] += 1
        text = answers[index]
        return Generation(text=text, input_tokens=len(system + user) // 2, output_tokens=len(text))
