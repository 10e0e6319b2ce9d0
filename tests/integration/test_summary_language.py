"""Per-chat language in the summary service: 繁體 converted from the cached Simplified summary,
English asked of the model in English; each cached under its own key."""

from __future__ import annotations

from summarizer.models import Mode
from summarizer.providers.gemini import GeminiProvider
from summarizer.service import SummaryService
from tests.fakes.llm_servers import LORA_PAPER, FakeGeminiServer, StaticPaperSource
from tests.fakes.memory_stores import MemorySummaryStore, MemoryUsageStore

CONDENSED_ZH = {
    "title_zh": "少即是多：参数高效微调推动医学视觉基础模型",
    "tldr": "低秩适配（LoRA 参数）以不到 1% 的可调参数，在 18 个任务中的 13 个超过全参数微调。",
    "highlights": [
        "系统比较参数高效微调与全参数微调。",
        "两个自监督胸片基础模型。",
        "最多提升 2.9%。",
    ],
}
CONDENSED_EN = {
    "title_zh": LORA_PAPER.title,
    "tldr": "LoRA beats full fine-tuning in 13 of 18 tasks with under 1% tunable parameters.",
    "highlights": [
        "Compares PEFT with FFT.",
        "Two chest X-ray foundation models.",
        "Up to 2.9% better.",
    ],
}


def service(provider: GeminiProvider, store: MemorySummaryStore) -> SummaryService:
    return SummaryService(StaticPaperSource(LORA_PAPER), store, MemoryUsageStore(), provider)


async def test_traditional_is_converted_from_simplified_and_cached(
    gemini_server: FakeGeminiServer, gemini_provider: GeminiProvider
) -> None:
    store = MemorySummaryStore()
    svc = service(gemini_provider, store)
    gemini_server.enqueue_json(CONDENSED_ZH)
    simplified = await svc.summarize_paper(LORA_PAPER, Mode.CONDENSED)
    traditional = await svc.summarize_paper(LORA_PAPER, Mode.CONDENSED, language="zh-TW")
    assert gemini_server.count == 1  # one model call for both scripts
    assert simplified.record.condensed is not None and traditional.record.condensed is not None
    assert traditional.record.condensed.title_zh == "少即是多：參數高效微調推動醫學視覺基礎模型"
    assert "（LoRA 参数）" in traditional.record.condensed.tldr  # parenthesized term untouched
    assert traditional.record.key.language == "zh-TW"
    again = await svc.summarize_paper(LORA_PAPER, Mode.CONDENSED, language="zh-TW")
    assert again.cached and gemini_server.count == 1


async def test_english_is_asked_in_english_and_keyed_apart(
    gemini_server: FakeGeminiServer, gemini_provider: GeminiProvider
) -> None:
    svc = service(gemini_provider, MemorySummaryStore())
    gemini_server.enqueue_json(CONDENSED_EN)
    english = await svc.summarize_paper(LORA_PAPER, Mode.CONDENSED, language="en")
    assert english.record.status == "ok", english.record.failed_checks
    assert "in clear English" in gemini_server.requests[0].system
    gemini_server.enqueue_json(CONDENSED_ZH)
    chinese = await svc.summarize_paper(LORA_PAPER, Mode.CONDENSED)
    assert gemini_server.count == 2 and not chinese.cached
    assert chinese.record.key.language == "zh"


async def test_english_summary_still_gets_the_number_check(
    gemini_server: FakeGeminiServer, gemini_provider: GeminiProvider
) -> None:
    svc = service(gemini_provider, MemorySummaryStore())
    bad = dict(CONDENSED_EN, tldr="LoRA wins by 99.36% on every task.")
    gemini_server.enqueue_json(bad)
    gemini_server.enqueue_json(bad)
    result = await svc.summarize_paper(LORA_PAPER, Mode.CONDENSED, language="en")
    assert result.record.status == "degraded"
    assert any("99.36" in f for f in result.record.failed_checks)
