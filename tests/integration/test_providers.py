"""GeminiProvider and OpenAICompatProvider through the real SDKs against loopback fakes."""

from __future__ import annotations

import json

import pytest

from summarizer.errors import ProviderError
from summarizer.models import CondensedSummary, FullSummary, Mode
from summarizer.prompt import build_prompt
from summarizer.providers.gemini import GeminiProvider
from summarizer.providers.openai_compat import OpenAICompatProvider
from tests.fakes.llm_servers import (
    API_KEY,
    GEMINI_MODEL,
    LORA_PAPER,
    OPENAI_MODEL,
    FakeGeminiServer,
    FakeOpenAIServer,
)

PROMPT = build_prompt(LORA_PAPER, Mode.CONDENSED)


async def ask(provider: GeminiProvider | OpenAICompatProvider, schema: type = CondensedSummary):
    return await provider.generate(system=PROMPT.system, user=PROMPT.user, schema=schema)


# --- Gemini ----------------------------------------------------------------------------------


async def test_gemini_request_and_answer(
    gemini_server: FakeGeminiServer, gemini_provider: GeminiProvider
) -> None:
    generation = await ask(gemini_provider)
    assert (gemini_provider.name, gemini_provider.model) == ("gemini", GEMINI_MODEL)
    summary = CondensedSummary.model_validate_json(generation.text)
    assert "2.9%" in summary.highlights[-1]  # the default responder quotes the paper's numbers
    assert generation.input_tokens > 0 and generation.output_tokens > 0
    [request] = gemini_server.requests
    assert request.path == f"/v1/models/{GEMINI_MODEL}:generateContent"  # the SDK's default
    assert request.headers["x-goog-api-key"] == API_KEY
    config = request.body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert set(config["responseJsonSchema"]["properties"]) == {"title_zh", "tldr", "highlights"}
    assert config["temperature"] == pytest.approx(0.3)
    assert request.system == PROMPT.system
    assert request.user == PROMPT.user


async def test_gemini_full_schema_is_sent(
    gemini_server: FakeGeminiServer, gemini_provider: GeminiProvider
) -> None:
    await ask(gemini_provider, FullSummary)
    schema = gemini_server.requests[0].body["generationConfig"]["responseJsonSchema"]
    assert "background" in schema["properties"]


async def test_gemini_v1beta_api_version(gemini_server: FakeGeminiServer) -> None:
    provider = GeminiProvider(
        API_KEY, GEMINI_MODEL, base_url=gemini_server.base_url, api_version="v1beta"
    )
    try:
        await ask(provider)
    finally:
        await provider.aclose()
    assert gemini_server.requests[0].path == f"/v1beta/models/{GEMINI_MODEL}:generateContent"


async def test_gemini_retries_429_then_succeeds(
    gemini_server: FakeGeminiServer, gemini_provider: GeminiProvider
) -> None:
    gemini_server.enqueue_status(429, "Resource has been exhausted")
    gemini_server.enqueue_status(503)
    generation = await ask(gemini_provider)
    assert gemini_server.count == 3
    assert CondensedSummary.model_validate_json(generation.text)


async def test_gemini_persistent_500_raises_after_all_attempts(
    gemini_server: FakeGeminiServer, gemini_provider: GeminiProvider
) -> None:
    gemini_server.enqueue_status(500, times=5)
    with pytest.raises(ProviderError) as info:
        await ask(gemini_provider)
    assert info.value.retryable
    assert "500" in info.value.reason
    assert gemini_server.count == 3  # attempts=3


async def test_gemini_bad_key_is_not_retried(gemini_server: FakeGeminiServer) -> None:
    provider = GeminiProvider("wrong-key", GEMINI_MODEL, base_url=gemini_server.base_url)
    try:
        with pytest.raises(ProviderError) as info:
            await ask(provider)
    finally:
        await provider.aclose()
    assert not info.value.retryable
    assert "403" in info.value.reason
    assert gemini_server.count == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"candidates": [], "promptFeedback": {"blockReason": "SAFETY"}}, "prompt blocked"),
        ({"candidates": []}, "no candidates"),
        (
            {"candidates": [{"content": {"role": "model", "parts": []}, "finishReason": "SAFETY"}]},
            "generation stopped: SAFETY",
        ),
        (
            {
                "candidates": [
                    {
                        "content": {"role": "model", "parts": [{"text": '{"title_zh": "少'}]},
                        "finishReason": "MAX_TOKENS",
                    }
                ]
            },
            "generation stopped: MAX_TOKENS",
        ),
        (
            {"candidates": [{"content": {"role": "model", "parts": []}, "finishReason": "STOP"}]},
            "empty answer",
        ),
    ],
)
async def test_gemini_unusable_answers(
    gemini_server: FakeGeminiServer, gemini_provider: GeminiProvider, body: dict, reason: str
) -> None:
    gemini_server.enqueue_body(body)
    with pytest.raises(ProviderError) as info:
        await ask(gemini_provider)
    assert info.value.reason.startswith(reason)
    assert gemini_server.count == 1


# --- OpenAI-compatible -----------------------------------------------------------------------


async def test_openai_request_and_answer(
    openai_server: FakeOpenAIServer, openai_provider: OpenAICompatProvider
) -> None:
    generation = await ask(openai_provider)
    assert (openai_provider.name, openai_provider.model) == ("openai", OPENAI_MODEL)
    assert CondensedSummary.model_validate_json(generation.text)
    assert generation.input_tokens > 0 and generation.output_tokens > 0
    [request] = openai_server.requests
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.body["response_format"] == {"type": "json_object"}
    assert request.body["model"] == OPENAI_MODEL
    assert [m["role"] for m in request.body["messages"]] == ["system", "user"]
    assert request.user == PROMPT.user


async def test_openai_without_key_or_json_mode(openai_server: FakeOpenAIServer) -> None:
    openai_server.api_key = "not-needed"  # what a local server sees when no key is configured
    provider = OpenAICompatProvider(None, openai_server.base_url, "llama3", json_mode=False)
    try:
        await ask(provider)
    finally:
        await provider.aclose()
    assert "response_format" not in openai_server.requests[0].body


async def test_openai_retries_429_then_succeeds(
    openai_server: FakeOpenAIServer, openai_provider: OpenAICompatProvider
) -> None:
    openai_server.enqueue_status(429, "Rate limit reached")
    generation = await ask(openai_provider)
    assert openai_server.count == 2
    assert json.loads(generation.text)["title_zh"]


async def test_openai_persistent_500(
    openai_server: FakeOpenAIServer, openai_provider: OpenAICompatProvider
) -> None:
    openai_server.enqueue_status(500, times=5)
    with pytest.raises(ProviderError) as info:
        await ask(openai_provider)
    assert info.value.retryable
    assert openai_server.count == 3  # max_retries=2


async def test_openai_bad_key(openai_server: FakeOpenAIServer) -> None:
    provider = OpenAICompatProvider("wrong", openai_server.base_url, OPENAI_MODEL)
    try:
        with pytest.raises(ProviderError) as info:
            await ask(provider)
    finally:
        await provider.aclose()
    assert "401" in info.value.reason
    assert not info.value.retryable


async def test_openai_truncated_answer(
    openai_server: FakeOpenAIServer, openai_provider: OpenAICompatProvider
) -> None:
    openai_server.enqueue_body(
        {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": OPENAI_MODEL,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": '{"title_zh": "少'},
                    "finish_reason": "length",
                }
            ],
        }
    )
    with pytest.raises(ProviderError, match="generation stopped: length"):
        await ask(openai_provider)
