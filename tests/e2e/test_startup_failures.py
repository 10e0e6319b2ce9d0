"""Start-up failures of the real `paperbot` process: one Chinese line with the fix, an exit code
that says which kind, never a traceback (network, DNS, proxy, token, database, data dir)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.failures import EX_CANTCREAT, EX_CONFIG, EX_UNAVAILABLE
from tests.fakes.discord_server import TOKEN as DISCORD_TOKEN
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.ops_servers import Finished, clean_env, free_port, run_paperbot
from tests.fakes.telegram_server import TOKEN, FakeTelegram

CLOSED_PG = "postgresql://postgres@127.0.0.1:{port}/test"
# Listed as loopback by the network guard, absent from /etc/hosts: a real DNS failure.
UNRESOLVABLE = "localhost.localdomain"


def assert_one_line(result: Finished, code: int, *words: str) -> str:
    output = result.out + result.err
    assert "Traceback" not in output, output
    lines = [line for line in result.err.splitlines() if line.startswith("❌")]
    assert len(lines) == 1, result.err
    line = lines[0]
    assert "→ 修复：" in line, line
    for word in words:
        assert word in line, line
    assert result.code == code, (result.code, output)
    return line


def sqlite_env(tmp_path: Path, **values: str) -> dict[str, str]:
    return clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'data' / 'paperbot.db'}", **values)


async def test_run_telegram_unreachable(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{free_port()}"
    env = sqlite_env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, PAPERBOT_TELEGRAM_API_URL=api)
    result = await run_paperbot("run", env=env, cwd=tmp_path)
    assert_one_line(result, EX_UNAVAILABLE, "Telegram", api, "HTTPS_PROXY")


async def test_run_telegram_dns_failure(tmp_path: Path) -> None:
    api = f"http://{UNRESOLVABLE}:8081"
    env = sqlite_env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, PAPERBOT_TELEGRAM_API_URL=api)
    result = await run_paperbot("run", env=env, cwd=tmp_path)
    assert_one_line(result, EX_UNAVAILABLE, "Telegram", UNRESOLVABLE, "DNS")


async def test_run_telegram_dead_proxy(telegram_server: FakeTelegram, tmp_path: Path) -> None:
    proxy = f"http://127.0.0.1:{free_port()}"
    env = sqlite_env(
        tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, PAPERBOT_TELEGRAM_API_URL=telegram_server.url,
        HTTP_PROXY=proxy, NO_PROXY="",
    )  # fmt: skip
    result = await run_paperbot("run", env=env, cwd=tmp_path)
    assert_one_line(result, EX_UNAVAILABLE, "Telegram", proxy, "HTTP_PROXY")
    assert telegram_server.calls == []  # nothing got past the proxy


async def test_run_telegram_bad_token(telegram_server: FakeTelegram, tmp_path: Path) -> None:
    env = sqlite_env(
        tmp_path,
        TELEGRAM_BOT_TOKEN="7012345678:AAwrongTokenWrongTokenWrongToken12345",
        PAPERBOT_TELEGRAM_API_URL=telegram_server.url,
    )
    result = await run_paperbot("run", env=env, cwd=tmp_path)
    line = assert_one_line(result, EX_CONFIG, "TELEGRAM_BOT_TOKEN", "@BotFather")
    assert "AAwrongToken" not in result.out + result.err
    assert line


async def test_run_discord_unreachable_and_bad_token(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{free_port()}/api/v10"
    env = sqlite_env(tmp_path, DISCORD_BOT_TOKEN=DISCORD_TOKEN, PAPERBOT_DISCORD_API_URL=api)
    result = await run_paperbot("run", env=env, cwd=tmp_path)
    assert_one_line(result, EX_UNAVAILABLE, "Discord", api)

    server = FakeDiscord()
    await server.start()
    try:
        server.fail("GET", r"^/users/@me$", 401)
        env = sqlite_env(
            tmp_path, DISCORD_BOT_TOKEN=DISCORD_TOKEN, PAPERBOT_DISCORD_API_URL=server.api_url,
            PAPERBOT_DISCORD_GATEWAY_URL=server.gateway_url,
        )  # fmt: skip
        result = await run_paperbot("run", env=env, cwd=tmp_path)
    finally:
        await server.close()
    assert_one_line(result, EX_CONFIG, "DISCORD_BOT_TOKEN", "Reset Token")


@pytest.mark.parametrize("args", [("run",), ("digest", "--run-now"), ("db", "upgrade"), ("usage",)])
async def test_database_unreachable(args: tuple[str, ...], tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(
        DATABASE_URL=CLOSED_PG.format(port=port),
        TELEGRAM_BOT_TOKEN=TOKEN,
        PAPERBOT_TELEGRAM_API_URL=f"http://127.0.0.1:{free_port()}",
    )
    result = await run_paperbot(*args, env=env, cwd=tmp_path)
    assert_one_line(result, EX_UNAVAILABLE, "数据库", f"127.0.0.1:{port}", "PostgreSQL")


@pytest.mark.parametrize("args", [("run",), ("digest", "--run-now"), ("db", "upgrade"), ("usage",)])
async def test_data_directory_uncreatable(args: tuple[str, ...], tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the data directory should be")
    env = clean_env(
        DATABASE_URL=f"sqlite:///{blocker / 'data' / 'paperbot.db'}",
        TELEGRAM_BOT_TOKEN=TOKEN,
        PAPERBOT_TELEGRAM_API_URL=f"http://127.0.0.1:{free_port()}",
    )
    result = await run_paperbot(*args, env=env, cwd=tmp_path)
    assert_one_line(result, EX_CANTCREAT, "数据目录", str(blocker / "data"), "DATABASE_URL")


async def test_digest_run_now_telegram_unreachable(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{free_port()}"
    env = sqlite_env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, PAPERBOT_TELEGRAM_API_URL=api)
    result = await run_paperbot("digest", "--run-now", env=env, cwd=tmp_path)
    assert_one_line(result, EX_UNAVAILABLE, "Telegram", api)
