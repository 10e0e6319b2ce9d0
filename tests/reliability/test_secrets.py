"""Secrets never leak: a full flow (real wiring, Telegram, Discord, Gemini, arXiv fakes, the ops
server) with distinctive fake secrets, then every log line, reply, REST body and /metrics grepped."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.config import Settings
from bot.discord.platform import DiscordPlatform
from bot.ops import metrics
from bot.ops.http_server import HttpPlatform
from bot.ops.logging_setup import NOISY_LOGGERS
from bot.telegram.platform import TelegramPlatform
from bot.wiring import build_services
from tests.fakes.arxiv_server import FakeArxivServer
from tests.fakes.discord_server import DM_CHANNEL_ID, FakeDiscord
from tests.fakes.llm_servers import FakeGeminiServer
from tests.fakes.telegram_server import FakeTelegram
from tests.reliability import Capture, capture_all_logs

TELEGRAM_SECRET = "7099887766:AAHsecretTELEGRAMtokenXYZ_9876543210abcdef"
DISCORD_SECRET = "MTAsecretDISCORDtoken.GqQqQq.zZzSecretSecretSecret0123456"
GEMINI_SECRET = "AIzaSecretGEMINIkey_ABCDEFGHIJKLMNOPQRSTUV"
WEBHOOK_SECRET = "webhookSECRETvalue_0123456789abcdefABCDEF"
# each secret, and a distinctive piece of it (a truncated or re-encoded leak counts too)
NEEDLES = [TELEGRAM_SECRET, TELEGRAM_SECRET.split(":")[1], "secretTELEGRAMtoken", DISCORD_SECRET,
           "secretDISCORDtoken", GEMINI_SECRET, "SecretGEMINIkey", WEBHOOK_SECRET, "webhookSECRET"]  # fmt: skip


@pytest.fixture
def production_logging() -> Iterator[Capture]:
    """Every record at DEBUG, raw (no redacting handler), the noisy loggers as production
    sets them: a secret must simply never be logged."""
    levels = {name: logging.getLogger(name).level for name in NOISY_LOGGERS}
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        with capture_all_logs() as capture:
            yield capture
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def leaks(text: str) -> list[str]:
    return [needle for needle in NEEDLES if needle in text]


async def test_a_full_flow_never_shows_a_secret(
    tmp_path: Path, arxiv_server: FakeArxivServer, production_logging: Capture
) -> None:
    metrics.reset()
    telegram, discord_server, gemini = FakeTelegram(TELEGRAM_SECRET), FakeDiscord(), FakeGeminiServer(GEMINI_SECRET)  # fmt: skip
    for server in (telegram, discord_server, gemini):
        await server.start()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        arxiv_api_url=arxiv_server.url, arxiv_min_interval=0, arxiv_retries=0,
        gemini_api_key=GEMINI_SECRET, gemini_base_url=gemini.base_url, llm_timeout=5,
        telegram_bot_token=TELEGRAM_SECRET, telegram_api_url=telegram.url,
        telegram_webhook_secret=WEBHOOK_SECRET,
        discord_bot_token=DISCORD_SECRET, discord_api_url=discord_server.api_url,
        discord_gateway_url=discord_server.gateway_url, discord_message_content=True,
        log_level="DEBUG",
    )  # fmt: skip
    outputs: list[str] = []
    try:
        async with build_services(settings) as services:
            tg = TelegramPlatform(settings.model_copy(update={"telegram_webhook_url": None}),
                                  services, poll_timeout=1)  # fmt: skip
            dc = DiscordPlatform(settings, services, guild_ready_timeout=0.1, ready_timeout=10,
                                 defer_after=0.1)  # fmt: skip
            ops = HttpPlatform(settings, port=0)
            await tg.start()
            await dc.start()
            await ops.start()
            try:
                await exercise(telegram, discord_server, gemini, arxiv_server)
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{ops.port}") as client:
                    for path in ("/metrics", "/healthz"):
                        response = await client.get(path)
                        outputs.append(response.text)
                assert "paperbot_" in outputs[0]
            finally:
                await ops.stop()
                await dc.stop()
                await tg.stop()
    finally:
        for server in (telegram, discord_server, gemini):
            await server.close()
    outputs += [json.dumps(c.params, ensure_ascii=False) for c in telegram.calls]
    outputs += [json.dumps(c.body, ensure_ascii=False, default=str) for c in discord_server.calls]
    outputs += [json.dumps(r.body, ensure_ascii=False) for r in gemini.requests]
    user_texts = telegram.sent_texts() + [
        json.dumps(c.body, ensure_ascii=False) for c in discord_server.find("POST", r"/(messages|webhooks|callback)")
    ]  # fmt: skip
    assert any("摘要" in t or "📄" in t for t in user_texts)  # the flow really answered
    assert any("抱歉" in t or "⚠️" in t for t in user_texts)  # ...and hit errors
    assert len(production_logging.lines) > 50
    for where, text in [("logs", production_logging.text), ("outputs", "\n".join(outputs))]:
        assert not leaks(text), (where, leaks(text))


async def exercise(
    telegram: FakeTelegram, discord_server: FakeDiscord, gemini: FakeGeminiServer,
    arxiv: FakeArxivServer,
) -> None:  # fmt: skip
    """Successes and every kind of failure, on both platforms, one after the other."""

    def text_has(part: str, chat_id: int | None = None) -> Any:
        return lambda c: (
            part in str(c.params.get("text")) and chat_id in (None, c.params["chat_id"])
        )

    telegram.push_message("https://arxiv.org/abs/2401.12215")
    # streamed into a draft, then sent whole (a private chat with a streaming model)
    await telegram.wait_for("sendMessage", where=text_has("📄"), within=10)
    gemini.enqueue_status(403, "API key not valid. Please pass a valid API key.")
    telegram.push_message("/paper 0804.0970 full")
    await telegram.wait_for("editMessageText", where=text_has("摘要生成失败"), within=10)
    telegram.push_message("/paper 9999.12345")
    await telegram.wait_for("sendMessage", where=text_has("不是有效"), within=10)
    arxiv.fail_next(1, status=503)
    telegram.push_message("/paper 1106.3680")
    await telegram.wait_for("sendMessage", where=text_has("无法连接 arXiv"), within=10)
    telegram.fail_429("sendMessage", retry_after=1)
    telegram.push_message("/help")
    await telegram.wait_for("sendMessage", 2, where=text_has("📖 paperbot 帮助"), within=10)
    telegram.fail_403("sendMessage", chat_id=555)
    telegram.push_message("/help", chat_id=555, user_id=555)
    await telegram.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == 555, within=10)
    await telegram.settle(0.3)
    gemini.enqueue_text("not json at all")
    gemini.enqueue_text("still not json")
    payload: dict[str, Any] = await discord_server.slash("paper", "1202.4527", option="link")
    await discord_server.wait_for("POST", r"^/webhooks/", within=10)
    discord_server.fail("POST", r"^/channels/\d+/messages$", 403)
    await discord_server.send_message(
        "https://arxiv.org/abs/1205.1866", channel_id=DM_CHANNEL_ID, guild=False
    )
    await discord_server.wait_for("POST", r"^/channels/\d+/messages$", within=10)
    await discord_server.slash("settings", "links maybe", option="change")
    await discord_server.wait_for("POST", r"^/interactions/\d+/[^/]+/callback$", 2, within=10)
    assert payload
