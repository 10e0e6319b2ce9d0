"""`paperbot doctor` as an operator runs it (a subprocess), in five situations, on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage import upgrade_database
from tests.fakes.arxiv_server import FakeArxivServer
from tests.fakes.ops_servers import (
    GEMINI_KEY,
    FakeUpstreams,
    clean_env,
    fake_upstreams,
    free_port,
    run_paperbot,
)
from tests.fakes.telegram_server import TOKEN, FakeTelegram


@dataclass
class World:
    telegram: FakeTelegram
    arxiv: FakeArxivServer
    upstreams: FakeUpstreams
    cwd: Path

    def healthy_env(self) -> dict[str, str]:
        return clean_env(
            DATABASE_URL=f"sqlite:///{self.cwd / 'paperbot.db'}",
            TELEGRAM_BOT_TOKEN=TOKEN,
            PAPERBOT_TELEGRAM_API_URL=self.telegram.url,
            GEMINI_API_KEY=GEMINI_KEY,
            PAPERBOT_GEMINI_BASE_URL=self.upstreams.url,
            PAPERBOT_ARXIV_API_URL=self.arxiv.url,
            PAPERBOT_ARXIV_RSS_URL=f"{self.upstreams.url}/rss",
        )


@pytest.fixture
async def world(
    telegram_server: FakeTelegram, arxiv_server: FakeArxivServer, tmp_path: Path
) -> AsyncIterator[World]:
    await upgrade_database(f"sqlite:///{tmp_path / 'paperbot.db'}")
    async with fake_upstreams() as upstreams:
        yield World(telegram_server, arxiv_server, upstreams, tmp_path)


def lines_with(out: str, marker: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(marker)]


async def test_healthy(world: World) -> None:
    done = await run_paperbot("doctor", env=world.healthy_env(), cwd=world.cwd)
    assert done.code == 0, done.out + done.err
    assert "结论：✅ 一切正常" in done.out
    assert not lines_with(done.out, "❌") and not lines_with(done.out, "⚠️")
    assert any("@paperbot_test_bot" in line for line in lines_with(done.out, "✅ Telegram"))
    assert TOKEN not in done.out and GEMINI_KEY not in done.out


async def test_nothing_configured(world: World) -> None:
    # Only the arXiv URLs point at the fakes: the defaults would leave this machine.
    env = clean_env(
        PAPERBOT_ARXIV_API_URL=world.arxiv.url, PAPERBOT_ARXIV_RSS_URL=f"{world.upstreams.url}/rss"
    )
    done = await run_paperbot("doctor", env=env, cwd=world.cwd)
    assert done.code == 1
    failed = lines_with(done.out, "❌")
    assert failed == ["❌ 聊天平台（platforms）：没有配置任何平台，`paperbot run` 无法启动"]
    assert "TELEGRAM_BOT_TOKEN=" in done.out
    assert lines_with(done.out, "⚠️ 模型（model）")  # extractive only: a warning, not broken
    assert lines_with(done.out, "⚠️ 数据库（database）")  # ./data/paperbot.db not created yet
    assert not (world.cwd / "data").exists()


async def test_bad_token(world: World) -> None:
    env = world.healthy_env() | {
        "TELEGRAM_BOT_TOKEN": "7012345678:AAwrongwrongwrongwrongwrongwrong123"
    }
    done = await run_paperbot("doctor", env=env, cwd=world.cwd)
    assert done.code == 1
    assert lines_with(done.out, "❌") == ["❌ Telegram：TELEGRAM_BOT_TOKEN 无效（getMe 返回 401）"]
    assert "/token" in done.out
    assert "AAwrongwrong" not in done.out


async def test_unreachable_model_endpoint(world: World) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    env = world.healthy_env() | {"PAPERBOT_GEMINI_BASE_URL": dead}
    done = await run_paperbot("doctor", env=env, cwd=world.cwd)
    assert done.code == 1
    [line] = lines_with(done.out, "❌")
    assert line.startswith(f"❌ 模型 Gemini（gemini-3.5-flash-lite）：{dead} 无法连接")
    assert "PAPERBOT_GEMINI_BASE_URL" in done.out and "HTTPS_PROXY" in done.out


async def test_unreachable_arxiv(world: World) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    env = world.healthy_env() | {
        "PAPERBOT_ARXIV_API_URL": f"{dead}/api/query",
        "PAPERBOT_ARXIV_RSS_URL": f"{dead}/rss",
    }
    done = await run_paperbot("doctor", env=env, cwd=world.cwd)
    assert done.code == 1
    failed = lines_with(done.out, "❌")
    assert [line.split("：")[0] for line in failed] == ["❌ arXiv API", "❌ arXiv RSS"]
    assert "PAPERBOT_ARXIV_API_URL 指向镜像" in done.out
    assert "PAPERBOT_ARXIV_RSS_URL 指向镜像" in done.out
    assert "结论：❌ 有 2 项需要修复" in done.out


async def test_invalid_configuration(world: World) -> None:
    env = world.healthy_env() | {"PAPERBOT_LLM_PROVIDER": "gemini", "GEMINI_API_KEY": ""}
    done = await run_paperbot("doctor", env=env, cwd=world.cwd)
    assert done.code == 2
    assert done.out.startswith("❌ 配置（configuration）：")
    assert "GEMINI_API_KEY" in done.out and "其余检查未运行" in done.out
