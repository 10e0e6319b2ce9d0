"""/healthz follows the platforms' real connections while `paperbot run` is up (a subprocess
against the fake Bot API and Discord gateway): 503 while Telegram polling fails or the Discord
gateway is closed, 200 again once polling recovers; the Docker HEALTHCHECK relies on it."""

from __future__ import annotations

import asyncio
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.fakes.discord_server import TOKEN as DISCORD_TOKEN
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.ops_servers import PAPERBOT, clean_env, fake_upstreams, free_port
from tests.fakes.telegram_server import TOKEN, FakeTelegram


async def wait_health(
    client: httpx.AsyncClient, check: Callable[[int, dict[str, Any]], bool], within: float = 40
) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + within
    last: object = None
    while asyncio.get_running_loop().time() < deadline:
        try:
            response = await client.get("/healthz")
            last = (response.status_code, response.text)
            if check(response.status_code, response.json()):
                return dict(response.json())
        except httpx.TransportError as exc:
            last = exc
        await asyncio.sleep(0.2)
    raise AssertionError(f"/healthz never reached the expected state: {last}")


async def test_healthz_reports_polling_failures_and_a_closed_gateway(
    telegram_server: FakeTelegram, discord_server: FakeDiscord, tmp_path: Path
) -> None:
    port = free_port()
    async with fake_upstreams() as upstreams:
        env = clean_env(
            DATABASE_URL=f"sqlite:///{tmp_path / 'paperbot.db'}",
            TELEGRAM_BOT_TOKEN=TOKEN,
            PAPERBOT_TELEGRAM_API_URL=telegram_server.url,
            DISCORD_BOT_TOKEN=DISCORD_TOKEN,
            PAPERBOT_DISCORD_API_URL=discord_server.api_url,
            PAPERBOT_DISCORD_GATEWAY_URL=discord_server.gateway_url,
            PAPERBOT_ARXIV_RSS_URL=f"{upstreams.url}/rss",
            PAPERBOT_ARXIV_API_URL=f"{upstreams.url}/api/query",
            PAPERBOT_HTTP_PORT=str(port),
        )
        with tempfile.TemporaryFile() as log:
            proc = await asyncio.create_subprocess_exec(
                *PAPERBOT, "run", env=env, cwd=tmp_path, stdout=log, stderr=log
            )
            try:
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                    await wait_health(client, lambda code, body: code == 200)
                    await telegram_server.wait_for("getUpdates", within=30)

                    telegram_server.fail("getUpdates", 502, "Bad Gateway", times=10_000)
                    body = await wait_health(client, lambda code, body: code == 503)
                    telegram = body["platforms"]["telegram"]
                    assert telegram["ok"] is False and telegram["detail"] == "reconnecting"
                    assert body["platforms"]["discord"]["ok"] is True

                    telegram_server.faults.clear()
                    await wait_health(client, lambda code, body: code == 200)

                    await discord_server.close_gateway(refuse=True)
                    body = await wait_health(client, lambda code, body: code == 503)
                    discord = body["platforms"]["discord"]
                    assert discord["ok"] is False and discord["detail"] == "reconnecting"
                    assert body["platforms"]["telegram"]["ok"] is True
            finally:
                if proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
                await asyncio.wait_for(proc.wait(), 30)
                log.seek(0)
                output = log.read().decode(errors="replace")
    assert proc.returncode == 0, output[-3000:]
