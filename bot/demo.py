"""`paperbot demo`: the product end to end on the shipped seed papers, offline by default."""

from __future__ import annotations

import asyncio
import sys

from bot.cli import buttons_line
from bot.config import Settings
from bot.render.text import render_text
from bot.wiring import build_provider
from handlers.paper import summary_reply
from summarizer.demo_data import SeedPaperSource, load_seed_papers
from summarizer.memory import MemorySummaryStore, MemoryUsageStore
from summarizer.models import Mode
from summarizer.service import SummaryService

CONCURRENCY = 4


async def run_demo(settings: Settings, *, full: bool, limit: int) -> int:
    papers = load_seed_papers()[: max(1, limit)]
    provider = build_provider(settings)
    usage = MemoryUsageStore()
    service = SummaryService(SeedPaperSource(), MemorySummaryStore(), usage, provider)
    mode = Mode.FULL if full else Mode.CONDENSED
    label = f"{provider.name} · {provider.model}" if provider else "未配置大模型：离线摘录模式"
    print(f"🗞 paperbot 演示 · arXiv 2024-01-24 · LLM 方向 {len(papers)} 篇 · {label}")
    if provider is None:
        print(
            "（设置 GEMINI_API_KEY 或 OPENAI_BASE_URL / OPENAI_API_KEY 后，将由大模型生成中文摘要）"
        )
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
    print(f"完成：{len(papers)} 篇，模型调用 {calls} 次，共 {tokens} tokens。", file=sys.stderr)
    return 0
