"""Operations while `paperbot run` is up (a subprocess): /healthz, /metrics, JSON logs, SIGTERM;
and two `paperbot db upgrade` processes started at once on one SQLite file."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

import httpx

from storage import Database
from storage.health import schema_revision
from storage.migrate import head_revision
from tests.fakes.arxiv_server import FakeArxivServer
from tests.fakes.ops_servers import PAPERBOT, clean_env, fake_upstreams, free_port, run_paperbot
from tests.fakes.telegram_server import TOKEN, FakeTelegram


async def wait_healthy(client: httpx.AsyncClient, url: str, within: float = 40) -> httpx.Response:
    deadline = asyncio.get_running_loop().time() + within
    last: object = None
    while asyncio.get_running_loop().time() < deadline:
        try:
            response = await client.get(url)
            if response.status_code == 200:
                return response
            last = response.text
        except httpx.TransportError as exc:
            last = exc
        await asyncio.sleep(0.2)
    raise AssertionError(f"{url} never became healthy: {last}")


async def test_health_and_metrics_while_running(
    telegram_server: FakeTelegram, arxiv_server: FakeArxivServer, tmp_path: Path
) -> None:
    port = free_port()
    async with fake_upstreams() as upstreams:
        env = clean_env(
            DATABASE_URL=f"sqlite:///{tmp_path / 'paperbot.db'}",
            TELEGRAM_BOT_TOKEN=TOKEN,
            PAPERBOT_TELEGRAM_API_URL=telegram_server.url,
            PAPERBOT_ARXIV_API_URL=arxiv_server.url,
            PAPERBOT_ARXIV_RSS_URL=f"{upstreams.url}/rss",
            PAPERBOT_ARXIV_MIN_INTERVAL="0",
            PAPERBOT_HTTP_PORT=str(port),
            PAPERBOT_LOG_FORMAT="json",
            PAPERBOT_LOG_LEVEL="DEBUG",
        )
        # Output to files: a DEBUG run fills a 64 KB pipe nobody reads yet, and a child
        # blocked writing its logs stops answering /metrics.
        out_file, err_file = (tmp_path / "out.log").open("wb"), (tmp_path / "err.log").open("wb")
        proc = await asyncio.create_subprocess_exec(
            *PAPERBOT, "run", env=env, cwd=tmp_path, stdout=out_file, stderr=err_file,
        )  # fmt: skip
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                health = (await wait_healthy(client, "/healthz")).json()
                assert health["status"] == "ok" and health["database"]["ok"] is True
                assert health["platforms"]["telegram"]["ok"] is True

                await telegram_server.wait_for("getUpdates", within=30)
                telegram_server.push_message("/paper 2401.12215")
                await telegram_server.wait_for("sendMessage", within=30)
                text = ""
                for _ in range(50):  # the counter moves once the handler returns
                    text = (await client.get("/metrics")).text
                    if "paperbot_summaries_total{" in text:
                        break
                    await asyncio.sleep(0.1)
                assert 'paperbot_component_up{component="telegram"} 1' in text
                assert (
                    'paperbot_summaries_total{provider="extractive",outcome="extractive"} 1' in text
                )
                assert TOKEN not in text
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 30)
            out_file.close()
            err_file.close()
    err = (tmp_path / "err.log").read_bytes()
    assert proc.returncode == 0, err.decode()[-3000:]
    lines = [line for line in err.decode().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON event
    assert {"ts", "level", "logger", "msg"} <= set(records[0])
    assert any(r["msg"] == "platform started: http" for r in records)
    assert any(r["msg"] == "platform stopped: telegram" for r in records)
    assert TOKEN not in err.decode()


async def test_two_concurrent_db_upgrades_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'paperbot.db'}"
    env = clean_env(DATABASE_URL=url)
    first, second = await asyncio.gather(
        run_paperbot("db", "upgrade", env=env, cwd=tmp_path),
        run_paperbot("db", "upgrade", env=env, cwd=tmp_path),
    )
    assert (first.code, second.code) == (0, 0), first.err + second.err
    assert "数据库已是最新结构" in first.out and "数据库已是最新结构" in second.out
    db = Database(url)
    try:
        assert await schema_revision(db) == head_revision()
    finally:
        await db.dispose()
