"""Operators see a retired model: one start-up log line with the fix, and /healthz "degraded"."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from bot.config import Settings
from bot.ops import metrics
from bot.ops.http_server import HttpPlatform
from bot.wiring import build_provider, check_model_at_start
from storage import upgrade_database
from summarizer.errors import ModelUnavailable
from summarizer.models import CondensedSummary
from summarizer.ports import LLMProvider
from tests.fakes.llm_servers import API_KEY, GEMINI_MODEL, FakeGeminiServer, FakeOpenAIServer
from tests.fakes.telegram_server import TOKEN


@pytest.fixture(autouse=True)
def fresh_metrics() -> Iterator[None]:
    metrics.reset()
    yield
    metrics.reset()


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, telegram_bot_token=TOKEN, **values)  # type: ignore[call-arg]


@pytest.fixture
async def healthz(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    await upgrade_database(database_url)
    platform = HttpPlatform(settings(database_url=database_url), port=0)
    await platform.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{platform.port}") as client:
            yield client
    finally:
        await platform.stop()


async def closing(provider: LLMProvider | None) -> None:
    close = getattr(provider, "aclose", None)
    if close is not None:
        await close()


async def test_start_check_logs_the_fix_and_healthz_says_degraded(
    gemini_server: FakeGeminiServer,
    healthz: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    provider = build_provider(
        settings(
            gemini_api_key=API_KEY,
            gemini_base_url=gemini_server.base_url,
            gemini_model="gemini-2.5-flash",
        )
    )
    assert provider is not None
    try:
        with caplog.at_level(logging.INFO):
            await check_model_at_start(provider)
    finally:
        await closing(provider)
    [line] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "gemini-2.5-flash" in line.getMessage()
    assert "PAPERBOT_GEMINI_MODEL=gemini-3.5-flash-lite" in line.getMessage()
    body = (await healthz.get("/healthz")).json()
    assert body["status"] == "degraded"
    assert body["model"]["ok"] is False and "gemini-2.5-flash" in body["model"]["detail"]
    assert gemini_server.count == 0  # models.get, no generation


async def test_a_known_model_is_healthy(
    gemini_server: FakeGeminiServer, healthz: httpx.AsyncClient
) -> None:
    provider = build_provider(
        settings(
            gemini_api_key=API_KEY,
            gemini_base_url=gemini_server.base_url,
            gemini_model=GEMINI_MODEL,
        )
    )
    assert provider is not None
    try:
        await check_model_at_start(provider)
    finally:
        await closing(provider)
    response = await healthz.get("/healthz")
    assert response.status_code == 200
    assert response.json()["model"] == {"ok": True, "detail": GEMINI_MODEL}


async def test_a_404_at_call_time_reaches_healthz(
    openai_server: FakeOpenAIServer, healthz: httpx.AsyncClient
) -> None:
    provider = build_provider(
        settings(
            openai_api_key=API_KEY,
            openai_base_url=openai_server.base_url,
            openai_model="deepseek-chat",
        )
    )
    assert provider is not None
    try:
        with pytest.raises(ModelUnavailable):
            await provider.generate(system="s", user="u", schema=CondensedSummary)
    finally:
        await closing(provider)
    body = (await healthz.get("/healthz")).json()
    assert body["status"] == "degraded"
    assert "deepseek-chat" in body["model"]["detail"]
    assert "PAPERBOT_OPENAI_MODEL" in body["model"]["detail"]
