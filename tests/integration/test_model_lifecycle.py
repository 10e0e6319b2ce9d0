"""Retired or unknown models: 404 at call time, fallback lists, the start-up check, no thinking."""

from __future__ import annotations

import logging
import re

import pytest

from summarizer.errors import ModelUnavailable
from summarizer.models import ArxivRef, CondensedSummary, Mode
from summarizer.prompt import build_prompt
from summarizer.providers.gemini import GeminiProvider
from summarizer.providers.openai_compat import OpenAICompatProvider
from summarizer.service import SummaryService
from tests.fakes.llm_servers import (
    API_KEY,
    GEMINI_MODEL,
    LORA_PAPER,
    OPENAI_MODEL,
    FakeGeminiServer,
    FakeOpenAIServer,
    StaticPaperSource,
)
from tests.fakes.memory_stores import MemorySummaryStore, MemoryUsageStore

PROMPT = build_prompt(LORA_PAPER, Mode.CONDENSED)


async def ask(provider: GeminiProvider | OpenAICompatProvider) -> str:
    generation = await provider.generate(
        system=PROMPT.system, user=PROMPT.user, schema=CondensedSummary
    )
    return generation.text


def gemini(server: FakeGeminiServer, model: str, *fallback: str) -> GeminiProvider:
    return GeminiProvider(
        API_KEY,
        model,
        base_url=server.base_url,
        retry_initial_delay=0.01,
        fallback_models=fallback,
    )


def openai_compat(server: FakeOpenAIServer, model: str, *fallback: str) -> OpenAICompatProvider:
    return OpenAICompatProvider(API_KEY, server.base_url, model, fallback_models=fallback)


async def test_gemini_retired_model_is_reported_once_and_not_asked_again(
    gemini_server: FakeGeminiServer,
) -> None:
    provider = gemini(gemini_server, "gemini-2.5-flash")
    seen: list[ModelUnavailable] = []
    provider.on_unavailable = seen.append
    try:
        with pytest.raises(ModelUnavailable) as first:
            await ask(provider)
        assert "404" in first.value.reason and "NOT_FOUND" in first.value.reason
        assert "PAPERBOT_GEMINI_MODEL" in first.value.fix
        assert first.value.retryable is False
        assert gemini_server.count == 1  # a 404 is not retried by the SDK
        with pytest.raises(ModelUnavailable):
            await ask(provider)
        assert gemini_server.count == 1  # known gone: no request per summary
        assert [e.model for e in seen] == ["gemini-2.5-flash"]  # reported once (/healthz)
    finally:
        await provider.aclose()


async def test_gemini_falls_back_to_the_next_model(gemini_server: FakeGeminiServer) -> None:
    provider = gemini(gemini_server, "gemini-2.5-flash", "gemini-gone", GEMINI_MODEL)
    gemini_server.retired.add("gemini-gone")
    try:
        assert await ask(provider)
        assert provider.model == GEMINI_MODEL
        paths = [r.path for r in gemini_server.requests]
        assert paths == [
            "/v1/models/gemini-2.5-flash:generateContent",
            "/v1/models/gemini-gone:generateContent",
            f"/v1/models/{GEMINI_MODEL}:generateContent",
        ]
        await ask(provider)  # the working model is kept
        assert gemini_server.requests[-1].path.endswith(f"{GEMINI_MODEL}:generateContent")
    finally:
        await provider.aclose()


async def test_gemini_start_check_uses_models_get(gemini_server: FakeGeminiServer) -> None:
    good, gone = gemini(gemini_server, GEMINI_MODEL), gemini(gemini_server, "gemini-2.5-flash")
    try:
        assert await good.check_model() == (True, "")
        ok, problem = await gone.check_model()
        assert ok is False
        assert "gemini-2.5-flash" in problem and "PAPERBOT_GEMINI_MODEL=" in problem
        assert gemini_server.count == 0  # models.get, not a generation
    finally:
        await good.aclose()
        await gone.aclose()


@pytest.mark.parametrize(
    ("model", "thinking"),
    [
        ("gemini-3.5-flash-lite", {"thinkingLevel": "MINIMAL"}),
        ("gemini-3.1-pro-preview", {"thinkingLevel": "LOW"}),
        ("gemini-2.5-flash-lite", {"thinkingBudget": 0}),
        ("gemma-3-27b-it", None),
    ],
)
async def test_gemini_asks_for_the_least_thinking(
    gemini_server: FakeGeminiServer, model: str, thinking: dict[str, object] | None
) -> None:
    provider = gemini(gemini_server, model)
    try:
        await ask(provider)
    finally:
        await provider.aclose()
    config = gemini_server.requests[0].body["generationConfig"]
    sent = config.get("thinkingConfig", config.get("thinking_config"))
    # google-genai writes the proto field names (thinking_level); proto JSON accepts both
    camel = {re.sub(r"_(\w)", lambda m: m.group(1).upper(), k): v for k, v in (sent or {}).items()}
    assert (camel or None) == thinking


async def test_openai_unknown_model_is_reported_once(openai_server: FakeOpenAIServer) -> None:
    provider = openai_compat(openai_server, "deepseek-chat")
    try:
        with pytest.raises(ModelUnavailable) as raised:
            await ask(provider)
        assert "does not exist" in raised.value.reason
        with pytest.raises(ModelUnavailable):
            await ask(provider)
        assert openai_server.count == 1  # neither the SDK nor we retried the 404
    finally:
        await provider.aclose()


async def test_openai_fallback_and_start_check(openai_server: FakeOpenAIServer) -> None:
    provider = openai_compat(openai_server, "deepseek-chat", OPENAI_MODEL)
    try:
        ok, problem = await provider.check_model()
        assert ok is False and "deepseek-chat" in problem
        seen: list[ModelUnavailable] = []
        provider.on_unavailable = seen.append
        assert await ask(provider)
        assert provider.model == OPENAI_MODEL and seen == []  # a fallback answered
        assert await provider.check_model() == (True, "")
    finally:
        await provider.aclose()


@pytest.mark.parametrize(
    ("model", "body"),
    [
        ("deepseek-flash", {"thinking": {"type": "disabled"}}),
        ("qwen3.6-plus", {"enable_thinking": False}),
        ("gpt-4o-mini", {}),
    ],
)
async def test_openai_compatible_thinking_switches(
    openai_server: FakeOpenAIServer, model: str, body: dict[str, object]
) -> None:
    provider = openai_compat(openai_server, model)
    try:
        await ask(provider)
    finally:
        await provider.aclose()
    sent = openai_server.requests[0].body
    assert {k: sent[k] for k in ("thinking", "enable_thinking") if k in sent} == body


async def test_chats_get_a_labelled_degraded_summary_without_temporarily(
    gemini_server: FakeGeminiServer, caplog: pytest.LogCaptureFixture
) -> None:
    provider = gemini(gemini_server, "gemini-2.5-flash")
    service = SummaryService(
        StaticPaperSource(LORA_PAPER), MemorySummaryStore(), MemoryUsageStore(), provider
    )
    try:
        with caplog.at_level(logging.ERROR):
            result = await service.summarize(ArxivRef(arxiv_id="2401.12215"), Mode.CONDENSED)
            again = await service.summarize(ArxivRef(arxiv_id="2401.12215"), Mode.FULL)
    finally:
        await provider.aclose()
    for record in (result.record, again.record):
        assert record.degraded
        assert record.degraded_reason is not None
        assert "模型不可用" in record.degraded_reason and "暂" not in record.degraded_reason
        assert record.extract  # the abstract's own sentences stand in
    assert gemini_server.count == 1
    assert any("PAPERBOT_GEMINI_MODEL" in r.getMessage() for r in caplog.records)
