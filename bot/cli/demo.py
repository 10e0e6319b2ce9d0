"""`paperbot demo`: the product end to end on the shipped seed papers, offline by default."""

from __future__ import annotations

import asyncio

from bot.cli.summarize import buttons_line
from bot.config import Settings
from bot.render.text import render_text
from bot.wiring import build_provider
from handlers.ondemand.paper import summary_reply
from summarizer.demo_data import SeedPaperSource, load_seed_papers
from summarizer.memory import MemorySummaryStore, MemoryUsageStore
from summarizer.models import Mode
from summarizer.ports import LLMProvider
from summarizer.providers.recorded import RecordedProvider
from summarizer.service import SummaryService

CONCURRENCY = 4


def demo_provider(settings: Settings, *, extractive: bool) -> LLMProvider | None:
    """The configured model; without one, the shipped recordings (condensed and full), or
    the extractive offline mode when asked."""
    provider = build_provider(settings)
    if provider is not None or extractive:
        return provider
    return RecordedProvider.from_package()


def provider_banner(provider: LLMProvider | None) -> str:
    if isinstance(provider, RecordedProvider):
        return "离线演示：回放随包附带的示例模型输出（经过与实时输出相同的校验）"
    if provider is None:
        return "未配置大模型：离线摘录模式"
    return f"{provider.name} · {provider.model}"


async def run_demo(settings: Settings, *, full: bool, limit: int, extractive: bool = False) -> int:
    papers = load_seed_papers()[: max(1, limit)]
    provider = demo_provider(settings, extractive=extractive)
    usage = MemoryUsageStore()
    summaries = MemorySummaryStore()
    service = SummaryService(SeedPaperSource(), summaries, usage, provider)
    mode = Mode.FULL if full else Mode.CONDENSED
    print(f"🗞 paperbot 演示 · arXiv 2024-01-24 · LLM 方向 {len(papers)} 篇")
    print(f"模型：{provider_banner(provider)}")
    if provider is None or isinstance(provider, RecordedProvider):
        print("（设置 GEMINI_API_KEY 或 OPENAI_BASE_URL / OPENAI_API_KEY 后，将由大模型实时生成）")
    print()
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(index: int) -> str:
        async with gate:
            result = await service.summarize_paper(papers[index], mode)
        reply = summary_reply(result, mode)
        return f"{index + 1}. {render_text(reply)}\n{buttons_line(reply)}"

    try:
        for text in await asyncio.gather(*(one(i) for i in range(len(papers)))):
            print(text, end="\n\n" + "─" * 40 + "\n\n")
    finally:
        close = getattr(provider, "aclose", None)
        if close is not None:
            await close()
    calls = len(usage.events)
    tokens = sum(e.input_tokens + e.output_tokens for e in usage.events)
    print(f"完成：{len(papers)} 篇，模型调用 {calls} 次，共 {tokens} tokens。")
    for line in check_report(summaries, calls - len(papers) if provider else 0):
        print(line)
    return 0


def check_report(summaries: MemorySummaryStore, reasks: int) -> list[str]:
    """What the faithfulness checks did (re-asks, degraded papers), said plainly."""
    lines = []
    if reasks > 0:
        lines.append(f"校验：{reasks} 次模型输出未通过校验（如编造的数字、链接），已要求模型重写。")
    for record in summaries.records.values():
        if record.degraded:
            problems = "；".join(record.failed_checks[:3])
            lines.append(f"⚠️ arXiv:{record.key.arxiv_id} 降级显示原文摘要：{problems}")
    return lines
