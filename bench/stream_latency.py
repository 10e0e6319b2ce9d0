"""Faster first words: an uncached on-demand summary against a fake Gemini that streams at a
realistic rate (first token after 1 s, 50 tokens/s, ~1.5 characters a token), through the real
Telegram platform (PTB) and the real SummaryService + GeminiProvider (google-genai, SSE).
Figures: time from the user's message (handed to getUpdates) to the first checked text shown
(draft / status edit), and to the final message; and the same without streaming (today)."""

from __future__ import annotations

import asyncio
import json
import statistics
from typing import Any

from handlers.rate_limit import FairLimiter
from handlers.services import Services
from summarizer.providers.gemini import GeminiProvider
from summarizer.service import SummaryService
from tests.fakes.llm_servers import (
    API_KEY,
    GEMINI_MODEL,
    LORA_PAPER,
    FakeGeminiServer,
    StaticPaperSource,
    StreamPace,
)
from tests.fakes.memory_stores import MemorySummaryStore, MemoryUsageStore
from tests.fakes.services import MemoryChats, MemoryFeedback
from tests.fakes.telegram_server import fake_telegram, running_platform

RUNS = 3
PACE = StreamPace(first_token=1.0, tokens_per_second=50, tokens_per_chunk=5, chars_per_token=1.5)
SUMMARY = {  # UX.md's example: a realistic condensed answer (~330 characters of JSON)
    "title_zh": "少即是多：参数高效微调推动医学视觉基础模型",
    "tldr": "在胸片基础模型上，低秩适配（LoRA）以不到 1% 的可调参数，"
    "在 18 个迁移任务中的 13 个超过全参数微调（FFT）。",
    "highlights": [
        "系统比较参数高效微调（PEFT）与全参数微调在医学视觉基础模型上的效果",
        "两个自监督胸片基础模型 × 三个公开数据集，共 18 个迁移任务",
        "LoRA 在 13/18 个任务上更优，最多提升 2.9%",
        "在 NIH ChestX-ray14 上仅用 1% 标注数据取得 80.6% AUROC 的新最好结果",
    ],
}
GROUP = -1001234567890


class OneShot:
    """The same provider without `generate_streaming`: today's behaviour."""

    def __init__(self, inner: GeminiProvider) -> None:
        self.inner, self.name, self.model = inner, inner.name, inner.model

    async def generate(self, **kwargs: Any) -> Any:
        return await self.inner.generate(**kwargs)


async def one_run(streaming: bool, private: bool, index: int) -> tuple[float, float]:
    papers = [LORA_PAPER.model_copy(update={"arxiv_id": f"2401.{12215 + i}"}) for i in range(9)]
    paper = papers[index]
    gemini = FakeGeminiServer()
    await gemini.start()
    gemini.pace = PACE
    text = json.dumps(SUMMARY, ensure_ascii=False)
    gemini.delay = 0.0 if streaming else PACE.duration(text)
    gemini.enqueue_json(SUMMARY)
    provider = GeminiProvider(API_KEY, GEMINI_MODEL, base_url=gemini.base_url)
    service = SummaryService(
        StaticPaperSource(*papers), MemorySummaryStore(), MemoryUsageStore(),
        provider if streaming else OneShot(provider),  # type: ignore[arg-type]
    )  # fmt: skip
    services = Services(
        papers=StaticPaperSource(*papers), summaries=service, chats=MemoryChats(),
        feedback=MemoryFeedback(), user_limiter=FairLimiter(100, 60.0),
    )  # fmt: skip
    try:
        async with fake_telegram() as server, running_platform(server, services):
            chat = {} if private else {"chat_id": GROUP, "chat_type": "supergroup"}
            command = f"/paper {paper.arxiv_id}"
            update = server.push_message(command if not private else paper.arxiv_id, **chat)
            final = await wait_final(server)
            start = server.delivered_at[update]
            first = first_shown(server, final)
            return first - start, final - start
    finally:
        await provider.aclose()
        await gemini.close()


async def wait_final(server: Any) -> float:
    """When the summary (with its buttons) reached the chat."""
    while True:
        done = [
            c for c in server.calls_of("sendMessage", "editMessageText")
            if "reply_markup" in c.params and "要点" in str(c.params.get("text"))
        ]  # fmt: skip
        if done:
            return float(done[0].at)
        await server.wait_for("sendMessage", 1, within=60)
        await asyncio.sleep(0.02)


def first_shown(server: Any, final: float) -> float:
    """The first text of the summary the user could read: a draft or a status edit showing a
    checked field, else the final message."""
    previews = [
        c.at for c in server.calls_of("sendMessageDraft", "editMessageText", "sendMessage")
        if "少即是多" in str(c.params.get("text")) and c.at <= final
    ]  # fmt: skip
    return float(min(previews, default=final))


def show(label: str, runs: list[tuple[float, float]]) -> None:
    first = statistics.median(r[0] for r in runs)
    final = statistics.median(r[1] for r in runs)
    each = ", ".join(f"{a:.2f}/{b:.2f}" for a, b in runs)
    print(f"{label}: first checked text {first:.2f} s, final message {final:.2f} s "
          f"(median of {len(runs)}; runs {each})")  # fmt: skip


async def run_all() -> None:
    text = json.dumps(SUMMARY, ensure_ascii=False)
    tokens = len(text) / PACE.chars_per_token
    print(f"fake model: first token {PACE.first_token:.1f} s, {PACE.tokens_per_second:.0f} tok/s, "
          f"answer ≈ {tokens:.0f} tokens, generated in {PACE.duration(text):.1f} s")  # fmt: skip
    for private in (True, False):
        where = "private chat" if private else "group"
        how = "sendMessageDraft" if private else "status-message edits"
        streamed = [await one_run(True, private, i) for i in range(RUNS)]
        show(f"{where}, streamed ({how})", streamed)
        today = [await one_run(False, private, i + RUNS) for i in range(RUNS)]
        show(f"{where}, not streamed (before this change)", today)


def main() -> None:
    asyncio.run(run_all())


if __name__ == "__main__":
    main()
