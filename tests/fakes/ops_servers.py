"""Loopback fakes for `paperbot doctor` (Discord /users/@me, Gemini and OpenAI model lists,
arXiv RSS) and helpers to run `paperbot` as a subprocess against them."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

ROOT = Path(__file__).resolve().parents[2]
PAPERBOT = [sys.executable, "-m", "bot"]
DISCORD_TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0.GfakeX.discord-test-token-abcdefghijkl"
GEMINI_KEY = "AIzaFakeGeminiKeyForOpsTests0123456789"
OPENAI_KEY = "sk-fake-openai-key-for-ops-tests"
RSS = b"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel><title>cs.AI updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.AI</link>
  <description>cs.AI updates on the arXiv.org e-print archive.</description>
  <skipDays><day>Saturday</day><day>Sunday</day></skipDays></channel>
</rss>
"""


@dataclass
class FakeUpstreams:
    """One aiohttp server playing Discord's REST `/users/@me`, Gemini's `GET /v1beta/models`,
    an OpenAI-compatible `GET /v1/models` and arXiv's `/rss/<category>`."""

    discord_token: str = DISCORD_TOKEN
    gemini_key: str = GEMINI_KEY
    openai_key: str = OPENAI_KEY
    openai_lists_models: bool = True
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    port: int = 0
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/api/v10/users/@me", self.discord_me)
        app.router.add_get("/v1beta/models", self.gemini_models)
        app.router.add_get("/v1/models", self.openai_models)
        app.router.add_get("/rss/{category}", self.rss)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _log(self, request: web.Request) -> None:
        self.requests.append((request.path, dict(request.headers)))

    async def discord_me(self, request: web.Request) -> web.Response:
        self._log(request)
        if request.headers.get("Authorization") != f"Bot {self.discord_token}":
            return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        return web.json_response({"id": "1098765432109876543", "username": "paperbot", "bot": True})

    async def gemini_models(self, request: web.Request) -> web.Response:
        self._log(request)
        if request.headers.get("x-goog-api-key") != self.gemini_key:
            error = {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                     "status": "INVALID_ARGUMENT"}  # fmt: skip
            return web.json_response({"error": error}, status=400)
        # 2026-12-01: gemini-2.5-flash is shut down; 2.5 Flash-Lite and the 3.x models remain
        names = ["gemini-3.5-flash-lite", "gemini-2.5-flash-lite", "gemini-test"]
        models = [{"name": f"models/{name}"} for name in names]
        return web.json_response({"models": models})

    async def openai_models(self, request: web.Request) -> web.Response:
        self._log(request)
        if request.headers.get("Authorization") != f"Bearer {self.openai_key}":
            return web.json_response({"error": {"message": "Incorrect API key"}}, status=401)
        if not self.openai_lists_models:
            return web.json_response({"error": {"message": "not found"}}, status=404)
        return web.json_response({"object": "list", "data": [{"id": "qwen-test"}]})

    async def rss(self, request: web.Request) -> web.Response:
        self._log(request)
        return web.Response(body=RSS, content_type="application/rss+xml")


@asynccontextmanager
async def fake_upstreams(**kwargs: Any) -> AsyncIterator[FakeUpstreams]:
    server = FakeUpstreams(**kwargs)
    await server.start()
    try:
        yield server
    finally:
        await server.close()


def free_port() -> int:
    """A port nobody listens on right now (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**values: str) -> dict[str, str]:
    """The test process's environment (already scrubbed by conftest) plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env["PAPERBOT_ENV_FILE"] = os.devnull
    env.update(values)
    return env


@dataclass
class Finished:
    code: int
    out: str
    err: str


async def run_paperbot(*args: str, env: dict[str, str], cwd: Path, limit: float = 60) -> Finished:
    """`python -m bot ARGS` as a subprocess; the test's loop keeps serving the fakes meanwhile."""
    proc = await asyncio.create_subprocess_exec(
        *PAPERBOT, *args, env=env, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        out, err = await asyncio.wait_for(proc.communicate(), limit)
    except TimeoutError:
        proc.kill()
        await proc.communicate()
        raise
    assert proc.returncode is not None
    return Finished(proc.returncode, out.decode(), err.decode())
