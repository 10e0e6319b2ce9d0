"""Streaming through the real SDKs (Gemini SSE, OpenAI chunks): the service shows each field once
it passed the checks, and the final result is the checked whole."""

from __future__ import annotations

import pytest

from summarizer.models import Mode
from summarizer.ports import LLMProvider
from summarizer.service import SummaryService
from summarizer.streaming import Preview
from tests.fakes.llm_servers import (
    FINSQL_PAPER,
    LORA_PAPER,
    FakeGeminiServer,
    FakeLLMServer,
    FakeOpenAIServer,
    StaticPaperSource,
)
from tests.fakes.memory_stores import MemorySummaryStore, MemoryUsageStore

GOOD = {
    "title_zh": "少即是多：参数高效微调推动医学视觉基础模型",
    "tldr": "在胸片基础模型上，低秩适配（LoRA）以不到 1% 的可调参数，在 18 个迁移任务中的 13 个超过全参数微调。",
    "highlights": [
        "系统比较参数高效微调（PEFT）与全参数微调在医学视觉基础模型上的效果",
        "LoRA 在 13/18 个任务上更优，最多提升 2.9%",
        "在 NIH ChestX-ray14 上仅用 1% 标注数据取得 80.6% AUROC",
    ],
}


def service(provider: LLMProvider) -> SummaryService:
    source = StaticPaperSource(LORA_PAPER, FINSQL_PAPER)
    return SummaryService(source, MemorySummaryStore(), MemoryUsageStore(), provider)


@pytest.fixture(params=["gemini", "openai"])
def streaming(
    request: pytest.FixtureRequest,
) -> tuple[FakeLLMServer, LLMProvider]:
    if request.param == "gemini":
        server: FakeLLMServer = request.getfixturevalue("gemini_server")
        provider: LLMProvider = request.getfixturevalue("gemini_provider")
    else:
        server = request.getfixturevalue("openai_server")
        provider = request.getfixturevalue("openai_provider")
    return server, provider


async def test_fields_are_shown_as_they_pass_and_the_final_is_the_whole(
    streaming: tuple[FakeLLMServer, LLMProvider],
) -> None:
    server, provider = streaming
    server.enqueue_json(GOOD)
    previews: list[Preview] = []

    async def show(preview: Preview) -> None:
        previews.append(preview)

    result = await service(provider).summarize_paper(LORA_PAPER, Mode.CONDENSED, preview=show)
    assert server.streamed == 1
    assert result.record.status == "ok" and result.record.condensed is not None
    assert result.record.condensed.model_dump() == GOOD
    assert result.record.output_tokens > 0  # usage read from the stream's last chunk
    assert len(previews) >= 3
    assert list(previews[0].fields) == ["title_zh"]
    sizes = [sum(len(v) if isinstance(v, list) else 1 for v in p.fields.values()) for p in previews]
    assert sizes == sorted(sizes) and sizes[-1] == 5
    assert previews[-1].fields == GOOD


async def test_a_field_failing_the_checks_is_withheld_and_the_answer_re_asked(
    streaming: tuple[FakeLLMServer, LLMProvider],
) -> None:
    server, provider = streaming
    server.enqueue_json(dict(GOOD, tldr="LoRA 在 99.36% 的任务上超过全参数微调。"))
    server.enqueue_json(GOOD)
    previews: list[Preview] = []

    async def show(preview: Preview) -> None:
        previews.append(preview)

    result = await service(provider).summarize_paper(LORA_PAPER, Mode.CONDENSED, preview=show)
    assert all("99.36" not in p.text("tldr") for p in previews)
    assert all("tldr" not in p.fields for p in previews)
    assert server.count == 2 and server.streamed == 1  # the re-ask is not streamed
    assert result.record.status == "ok" and result.record.condensed is not None
    assert result.record.condensed.tldr == GOOD["tldr"]


async def test_without_a_watcher_nothing_streams(
    gemini_server: FakeGeminiServer, gemini_provider: LLMProvider, openai_server: FakeOpenAIServer
) -> None:
    gemini_server.enqueue_json(GOOD)
    result = await service(gemini_provider).summarize_paper(LORA_PAPER, Mode.CONDENSED)
    assert result.record.status == "ok" and gemini_server.streamed == 0


async def test_a_failing_preview_does_not_fail_the_summary(
    gemini_server: FakeGeminiServer, gemini_provider: LLMProvider
) -> None:
    gemini_server.enqueue_json(GOOD)

    async def broken(_: Preview) -> None:
        raise RuntimeError("chat went away")

    result = await service(gemini_provider).summarize_paper(
        LORA_PAPER, Mode.CONDENSED, preview=broken
    )
    assert result.record.status == "ok"
