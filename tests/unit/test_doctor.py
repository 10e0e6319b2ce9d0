"""`paperbot doctor` checks, one by one, against loopback fakes (real httpx, real protocols)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.cli.doctor import (
    Check,
    check_arxiv_api,
    check_arxiv_rss,
    check_config,
    check_database,
    check_discord,
    check_model,
    check_telegram,
    report,
    run_checks,
    verdict,
)
from bot.config import Settings
from storage import upgrade_database
from tests.fakes.arxiv_server import FakeArxivServer
from tests.fakes.ops_servers import (
    DISCORD_TOKEN,
    GEMINI_KEY,
    OPENAI_KEY,
    FakeUpstreams,
    fake_upstreams,
    free_port,
)
from tests.fakes.telegram_server import TOKEN, FakeTelegram


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def upstreams() -> AsyncIterator[FakeUpstreams]:
    async with fake_upstreams() as server:
        yield server


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as c:
        yield c


def test_config_without_platforms_fails_with_the_variables_to_set() -> None:
    checks = check_config(settings())
    platforms = [c for c in checks if c.status == "fail"]
    assert len(platforms) == 1
    assert "TELEGRAM_BOT_TOKEN" in platforms[0].fix and "DISCORD_BOT_TOKEN" in platforms[0].fix


def test_config_with_a_token_is_ok() -> None:
    checks = check_config(settings(telegram_bot_token=TOKEN))
    assert [c.status for c in checks] == ["ok"]


async def test_telegram_good_and_bad_token(
    telegram_server: FakeTelegram, client: httpx.AsyncClient
) -> None:
    good = await check_telegram(
        settings(telegram_bot_token=TOKEN, telegram_api_url=telegram_server.url), client
    )
    assert good.status == "ok" and "@paperbot_test_bot" in good.message
    bad = await check_telegram(
        settings(telegram_bot_token="123:wrong", telegram_api_url=telegram_server.url), client
    )
    assert bad.status == "fail"
    assert "TELEGRAM_BOT_TOKEN 无效" in bad.message and "401" in bad.message
    assert "@BotFather" in bad.fix


async def test_telegram_unreachable_names_proxy_and_api_url(client: httpx.AsyncClient) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    check = await check_telegram(settings(telegram_bot_token=TOKEN, telegram_api_url=url), client)
    assert check.status == "fail" and "无法连接" in check.message
    assert "HTTPS_PROXY" in check.fix and "PAPERBOT_TELEGRAM_API_URL" in check.fix


async def test_discord_good_and_bad_token(
    upstreams: FakeUpstreams, client: httpx.AsyncClient
) -> None:
    api = f"{upstreams.url}/api/v10"
    good = await check_discord(
        settings(discord_bot_token=DISCORD_TOKEN, discord_api_url=api), client
    )
    assert good.status == "ok"
    bad = await check_discord(settings(discord_bot_token="nope", discord_api_url=api), client)
    assert bad.status == "fail" and "DISCORD_BOT_TOKEN 无效" in bad.message


async def test_gemini_key_checked_against_model_list(
    upstreams: FakeUpstreams, client: httpx.AsyncClient
) -> None:
    good = await check_model(
        settings(gemini_api_key=GEMINI_KEY, gemini_base_url=upstreams.url), client
    )
    assert good.status == "ok"
    assert upstreams.requests[-1][1]["x-goog-api-key"] == GEMINI_KEY
    bad = await check_model(
        settings(gemini_api_key="AIzaWrong", gemini_base_url=upstreams.url), client
    )
    assert bad.status == "fail" and "GEMINI_API_KEY" in bad.message


async def test_unknown_model_name_is_a_warning(
    upstreams: FakeUpstreams, client: httpx.AsyncClient
) -> None:
    values = {"gemini_api_key": GEMINI_KEY, "gemini_base_url": upstreams.url}
    check = await check_model(settings(**values, gemini_model="gemini-2.5-flsh"), client)
    assert check.status == "fail" and "gemini-2.5-flsh" in check.message
    assert "PAPERBOT_GEMINI_MODEL=gemini-3.5-flash-lite" in check.fix
    openai = {"openai_api_key": OPENAI_KEY, "openai_base_url": f"{upstreams.url}/v1"}
    check = await check_model(settings(**openai, openai_model="qwen-tset"), client)
    assert check.status == "fail" and "PAPERBOT_OPENAI_MODEL" in check.fix


async def test_retired_model_is_reported_and_fallback_named(
    upstreams: FakeUpstreams, client: httpx.AsyncClient
) -> None:
    values = {"gemini_api_key": GEMINI_KEY, "gemini_base_url": upstreams.url}
    retired = await check_model(settings(**values, gemini_model="gemini-2.5-flash"), client)
    assert retired.status == "fail" and "已停用" in retired.message
    with_fallback = settings(
        **values, gemini_model="gemini-2.5-flash", gemini_fallback_models="gemini-2.5-flash-lite"
    )
    check = await check_model(with_fallback, client)
    assert check.status == "warn" and "gemini-2.5-flash-lite" in check.message
    default = await check_model(settings(**values), client)  # the new default is served
    assert default.status == "ok" and "gemini-3.5-flash-lite" in default.message


async def test_unreachable_gemini_suggests_base_url_and_proxy(client: httpx.AsyncClient) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    check = await check_model(settings(gemini_api_key=GEMINI_KEY, gemini_base_url=url), client)
    assert check.status == "fail"
    assert "PAPERBOT_GEMINI_BASE_URL" in check.fix and "HTTPS_PROXY" in check.fix


async def test_openai_compatible_endpoint(
    upstreams: FakeUpstreams, client: httpx.AsyncClient
) -> None:
    values = {"openai_api_key": OPENAI_KEY, "openai_base_url": f"{upstreams.url}/v1",
              "openai_model": "qwen-test"}  # fmt: skip
    assert (await check_model(settings(**values), client)).status == "ok"
    upstreams.openai_lists_models = False
    assert (await check_model(settings(**values), client)).status == "warn"
    bad = await check_model(settings(**{**values, "openai_api_key": "sk-wrong"}), client)
    assert bad.status == "fail" and "OPENAI_API_KEY" in bad.message


async def test_no_model_is_a_warning(client: httpx.AsyncClient) -> None:
    check = await check_model(settings(), client)
    assert check.status == "warn" and "GEMINI_API_KEY" in check.fix


async def test_arxiv_api_and_rss(
    arxiv_server: FakeArxivServer, upstreams: FakeUpstreams, client: httpx.AsyncClient
) -> None:
    values = {
        "arxiv_api_url": arxiv_server.url,
        "arxiv_rss_url": f"{upstreams.url}/rss",
    }
    assert (await check_arxiv_api(settings(**values), client)).status == "ok"
    assert arxiv_server.requests[-1].query["id_list"] == "2401.12215"
    assert (await check_arxiv_rss(settings(**values), client)).status == "ok"
    arxiv_server.fail_next(status=503)
    failed = await check_arxiv_api(settings(**values), client)
    assert failed.status == "fail" and "503" in failed.message
    assert "PAPERBOT_ARXIV_API_URL" in failed.fix


async def test_arxiv_without_the_known_paper_is_a_warning(client: httpx.AsyncClient) -> None:
    async with FakeArxivServer(preload=False) as server:
        check = await check_arxiv_api(settings(arxiv_api_url=server.url), client)
    assert check.status == "warn"


async def test_unreachable_rss_names_the_mirror_setting(client: httpx.AsyncClient) -> None:
    url = f"http://127.0.0.1:{free_port()}/rss"
    check = await check_arxiv_rss(settings(arxiv_rss_url=url), client)
    assert check.status == "fail" and "PAPERBOT_ARXIV_RSS_URL" in check.fix


async def test_database_states(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    missing = await check_database(settings(database_url=url))
    assert missing.status == "warn" and not (tmp_path / "p.db").exists()  # doctor creates nothing
    await upgrade_database(url)
    current = await check_database(settings(database_url=url))
    assert current.status == "ok" and "sqlite" in current.message


async def test_unreachable_postgres_fails_with_the_compose_hint() -> None:
    url = f"postgresql://paperbot:hunter22@127.0.0.1:{free_port()}/paperbot"
    check = await check_database(settings(database_url=url))
    assert check.status == "fail" and "PostgreSQL" in check.fix
    assert "hunter22" not in check.message


def test_verdict_and_redaction() -> None:
    checks = [Check("a", "ok", "fine"), Check("b", "warn", "hmm")]
    assert verdict(checks)[1] == 0
    text, code = report([*checks, Check("c", "fail", f"token {TOKEN} bad")], [TOKEN])
    assert code == 1 and TOKEN not in text and "❌ c：token *** bad" in text


async def test_run_checks_all_healthy(
    telegram_server: FakeTelegram, arxiv_server: FakeArxivServer, upstreams: FakeUpstreams,
    tmp_path: Path,
) -> None:  # fmt: skip
    url = f"sqlite:///{tmp_path / 'p.db'}"
    await upgrade_database(url)
    checks = await run_checks(
        settings(
            database_url=url,
            telegram_bot_token=TOKEN,
            telegram_api_url=telegram_server.url,
            gemini_api_key=GEMINI_KEY,
            gemini_base_url=upstreams.url,
            arxiv_api_url=arxiv_server.url,
            arxiv_rss_url=f"{upstreams.url}/rss",
        )
    )
    assert {c.status for c in checks} == {"ok", "skip"}, checks
    assert verdict(checks)[1] == 0


async def test_sqlite_in_an_uncreatable_directory_fails(tmp_path: Path) -> None:
    in_the_way = tmp_path / "data"
    in_the_way.write_text("a file where the database directory should be")
    url = f"sqlite:///{in_the_way / 'sub' / 'p.db'}"
    check = await check_database(settings(database_url=url))
    assert check.status == "fail", check
    assert "不是目录" in check.message and "will be created" not in check.message
    assert "DATABASE_URL=sqlite:///" in check.fix
    assert not (tmp_path / "data" / "sub").exists()  # doctor creates nothing
    deeper = await check_database(
        settings(database_url=f"sqlite:///{tmp_path / 'a' / 'b' / 'p.db'}")
    )
    assert deeper.status == "warn" and "尚不存在" in deeper.message  # mkdir -p would work


def test_sqlite_blocker_sees_read_only_and_unwritable_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli.doctor import sqlite_blocker

    assert sqlite_blocker(tmp_path / "new" / "p.db") is None
    monkeypatch.setattr("os.access", lambda path, mode: False)  # as a non-root user would see
    assert "写权限" in (sqlite_blocker(tmp_path / "new" / "p.db") or "")
