"""`paperbot demo`: the product end to end on the shipped seed papers, offline by default."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from pydantic import BaseModel

from bot.cli.summarize import buttons_line
from bot.config import Settings
from bot.render.text import render_text
from bot.wiring import build_provider, build_services
from handlers.ondemand.paper import summary_reply
from summarizer.demo_data import SeedPaperSource, load_seed_papers
from summarizer.models import Mode, SummaryResult
from summarizer.ports import Generation, LLMProvider
from summarizer.providers.recorded import RecordedProvider
from summarizer.providers.wrapped import WrappedProvider

CONCURRENCY = 4


def demo_provider(settings: Settings, *, extractive: bool) -> LLMProvider | None:
    """The configured model; without one, the shipped recordings (condensed and full), or
    the extractive offline mode when asked."""
    provider = build_provider(settings)
    if provider is not None or extractive:
        return provider
    return RecordedProvider.from_package()


def offline_settings(settings: Settings, folder: Path) -> Settings:
    """The demo's settings: a throwaway SQLite database in `folder` (never the configured one)
    and no full text (the shipped papers come with their abstracts; nothing is fetched)."""
    update = {"database_url": f"sqlite:///{folder / 'demo.db'}", "fulltext_enabled": False}
    return settings.model_copy(update=update)


def provider_banner(provider: LLMProvider | None) -> str:
    if isinstance(provider, RecordedProvider):
        return "离线演示：回放随包附带的示例模型输出（经过与实时输出相同的校验）"
    if provider is None:
        return "未配置大模型：离线摘录模式"
    return f"{provider.name} · {provider.model}"


class CountingProvider(WrappedProvider):
    """The demo's model, counted: calls (re-asks included) and tokens."""

    def __init__(self, inner: LLMProvider) -> None:
        super().__init__(inner)
        self.calls = 0
        self.tokens = 0

    async def generate(self, *, system: str, user: str, schema: type[BaseModel]) -> Generation:
        self.calls += 1
        generation = await self.inner.generate(system=system, user=user, schema=schema)
        self.tokens += generation.input_tokens + generation.output_tokens
        return generation


async def run_demo(settings: Settings, *, full: bool, limit: int, extractive: bool = False) -> int:
    """The real wiring (build_services) on the shipped papers, in a throwaway SQLite database
    so the demo never writes into the configured one."""
    papers = load_seed_papers()[: max(1, limit)]
    chosen = demo_provider(settings, extractive=extractive)
    provider = CountingProvider(chosen) if chosen is not None else None
    mode = Mode.FULL if full else Mode.CONDENSED
    print(f"🗞 paperbot 演示 · arXiv 2024-01-24 · LLM 方向 {len(papers)} 篇")
    print(f"模型：{provider_banner(chosen)}")
    if chosen is None or isinstance(chosen, RecordedProvider):
        print("（设置 GEMINI_API_KEY 或 OPENAI_BASE_URL / OPENAI_API_KEY 后，将由大模型实时生成）")
    print()
    gate = asyncio.Semaphore(CONCURRENCY)
    with tempfile.TemporaryDirectory(prefix="paperbot-demo-") as folder:
        async with build_services(
            offline_settings(settings, Path(folder)),
            provider=provider,
            papers=SeedPaperSource(papers),
        ) as services:

            async def one(index: int) -> tuple[str, SummaryResult]:
                async with gate:
                    result = await services.summaries.summarize_paper(papers[index], mode)
                reply = summary_reply(result, mode)
                return f"{index + 1}. {render_text(reply)}\n{buttons_line(reply)}", result

            done = await asyncio.gather(*(one(i) for i in range(len(papers))))
    for text, _ in done:
        print(text, end="\n\n" + "─" * 40 + "\n\n")
    calls = provider.calls if provider else 0
    tokens = provider.tokens if provider else 0
    print(f"完成：{len(papers)} 篇，模型调用 {calls} 次，共 {tokens} tokens。")
    for line in check_report([r for _, r in done], calls - len(papers) if provider else 0):
        print(line)
    return 0


def check_report(results: list[SummaryResult], reasks: int) -> list[str]:
    """What the faithfulness checks did (re-asks, degraded papers), said plainly."""
    lines = []
    if reasks > 0:
        lines.append(f"校验：{reasks} 次模型输出未通过校验（如编造的数字、链接），已要求模型重写。")
    for result in results:
        record = result.record
        if record.degraded:
            problems = "；".join(record.failed_checks[:3])
            lines.append(f"⚠️ arXiv:{record.key.arxiv_id} 降级显示原文摘要：{problems}")
    return lines
