"""`paperbot run` as deployed: one process serving Telegram and Discord (fakes on loopback)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.test_cli_summarize import cli_env
from tests.fakes import discord_server as dfake
from tests.fakes import telegram_server as tfake
from tests.fakes.arxiv_server import FakeArxivServer
from tests.fakes.llm_servers import API_KEY, FakeGeminiServer


@pytest.fixture
async def fake_telegram() -> AsyncIterator[tfake.FakeTelegram]:
    server = tfake.FakeTelegram()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def fake_discord() -> AsyncIterator[dfake.FakeDiscord]:
    server = dfake.FakeDiscord()
    await server.start()
    yield server
    await server.close()


async def test_run_serves_telegram_and_discord_in_one_process(
    tmp_path: Path,
    arxiv_server: FakeArxivServer,
    gemini_server: FakeGeminiServer,
    fake_telegram: tfake.FakeTelegram,
    fake_discord: dfake.FakeDiscord,
) -> None:
    env = cli_env(
        tmp_path,
        PAPERBOT_ARXIV_API_URL=arxiv_server.url,
        PAPERBOT_GEMINI_BASE_URL=gemini_server.base_url,
        GEMINI_API_KEY=API_KEY,
        TELEGRAM_BOT_TOKEN=tfake.TOKEN,
        PAPERBOT_TELEGRAM_API_URL=fake_telegram.url,
        DISCORD_BOT_TOKEN=dfake.TOKEN,
        PAPERBOT_DISCORD_API_URL=fake_discord.api_url,
        PAPERBOT_DISCORD_GATEWAY_URL=fake_discord.gateway_url,
        PAPERBOT_LOG_LEVEL="DEBUG",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        # Discord: commands synced at startup, then /paper → deferred → embed follow-up.
        synced = await fake_discord.wait_for("PUT", r"/applications/\d+/commands", within=30)
        names = {command["name"] for command in synced[0].body}
        assert {"paper", "help", "settings"} <= names
        payload = await fake_discord.slash("paper", "2401.12215", option="link")
        # Gemini streams: the deferred reply shows the checked fields, then becomes the answer.
        original = rf"/webhooks/\d+/{payload['token']}/messages/@original$"
        edits = await fake_discord.wait_for("PATCH", original, within=20)
        while not edits[-1].body.get("embeds"):
            edits = await fake_discord.wait_for("PATCH", original, len(edits) + 1, within=20)
        assert [c["type"] for c in fake_discord.callbacks(payload)] == [5]
        embed_text = dfake.embeds_text(edits[-1].body)
        assert "Less Could Be Better" in embed_text or "arxiv.org/abs/2401.12215" in embed_text
        assert edits[-1].body["allowed_mentions"]["parse"] == []

        # Telegram, same process: a private link message → a summary with the five buttons.
        await fake_telegram.wait_for("getUpdates", within=30)
        fake_telegram.push_message("看看这篇 https://arxiv.org/abs/2401.12215v1 。")

        def has_buttons(call: tfake.Call) -> bool:
            return "reply_markup" in call.params

        # Already cached by the Discord request: answered at once, no status message to edit.
        sent = await fake_telegram.wait_for("sendMessage", where=has_buttons, within=20)
        assert fake_telegram.calls_of("editMessageText") == []
        keyboard = json.dumps(sent[0].params["reply_markup"], ensure_ascii=False)
        for label in ("展开完整总结", "原文", "PDF", "👍", "👎"):
            assert label in keyboard
        assert "<b>" in str(sent[0].params["text"])
        # The paper was summarized once for both platforms (the shared cache).
        assert gemini_server.count == 1

        fake_telegram.push_message("/paper 2401.99999")

        def not_found(call: tfake.Call) -> bool:
            return "找不到论文 arXiv:2401.99999" in str(call.params.get("text"))

        await fake_telegram.wait_for("sendMessage", where=not_found, within=20)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, err_bytes = await asyncio.wait_for(process.communicate(), timeout=30)
    err = err_bytes.decode()
    assert process.returncode == 0, err[-3000:]
    assert "Traceback" not in err
    assert tfake.TOKEN not in err
    assert tfake.TOKEN.split(":")[1] not in err
    assert dfake.TOKEN not in err
    assert API_KEY not in err
    assert os.environ.get("TELEGRAM_BOT_TOKEN") is None
