"""Done-when: one announcement day, 3 chats on Telegram and Discord with overlapping topics;
`paperbot digest --run-now` (a real subprocess) delivers each chat its papers exactly once
through the real adapters, with one model call per paper."""

from __future__ import annotations

import asyncio
import re
import sys
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from handlers.types import ChatRef
from tests.fakes.digest_fakes import LLM_PAPERS, FakeRssServer, cli_env, entry, seed_chats
from tests.fakes.discord_server import TOKEN as DISCORD_TOKEN
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.llm_servers import API_KEY, FakeOpenAIServer
from tests.fakes.telegram_server import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 24)
AT = "2026-11-25T09:31:00+08:00"
TG_PRIVATE = ChatRef("telegram", "1001")
TG_GROUP = ChatRef("telegram", "-100200")
DC_CHANNEL = ChatRef("discord", "333000000000000001")
TOPICS = {
    TG_PRIVATE: ["cs.CL"],
    TG_GROUP: ['"language model"'],
    DC_CHANNEL: ["cs.CL", "retrieval"],
}
WANT = {
    TG_PRIVATE: {"2611.00001", "2611.00002", "2611.00006"},
    TG_GROUP: {"2611.00001", "2611.00002", "2611.00005"},
    DC_CHANNEL: {"2611.00001", "2611.00002", "2611.00003", "2611.00006"},
}
ARXIV_ID = re.compile(r"arXiv:(\d{4}\.\d{5})")


@pytest.fixture
async def rss() -> AsyncIterator[FakeRssServer]:
    server = await FakeRssServer(DAY, [entry(p) for p in LLM_PAPERS]).start()
    try:
        yield server
    finally:
        await server.close()


async def run_cli(env: dict[str, str], *args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "digest", *args, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), timeout=40)
    assert proc.returncode == 0, err.decode()[-3000:]
    return out.decode()


def telegram_papers(server: FakeTelegram) -> Counter[tuple[str, str]]:
    sent: Counter[tuple[str, str]] = Counter()
    for call in server.calls_of("sendMessage"):
        ids = set(ARXIV_ID.findall(str(call.params.get("text"))))
        if len(ids) == 1:  # an entry (the header and "还有 N 篇" list none or several)
            sent[(str(call.params["chat_id"]), ids.pop())] += 1
    return sent


def discord_papers(server: FakeDiscord) -> Counter[tuple[str, str]]:
    sent: Counter[tuple[str, str]] = Counter()
    for call in server.find("POST", r"^/channels/\d+/messages$"):
        channel = call.path.split("/")[2]
        ids = set(ARXIV_ID.findall(str(call.body)))
        if len(ids) == 1:
            sent[(channel, ids.pop())] += 1
    return sent


async def test_run_now_delivers_each_chat_once_with_one_model_call_per_paper(
    sqlite_database_url: str,
    rss: FakeRssServer,
    telegram_server: FakeTelegram,
    discord_server: FakeDiscord,
    openai_server: FakeOpenAIServer,
) -> None:
    await seed_chats(
        sqlite_database_url, TOPICS, digest_style="cards"
    )  # papers counted per message
    env = cli_env(
        sqlite_database_url,
        rss.url,
        TELEGRAM_BOT_TOKEN=telegram_server.token,
        PAPERBOT_TELEGRAM_API_URL=telegram_server.url,
        DISCORD_BOT_TOKEN=DISCORD_TOKEN,
        PAPERBOT_DISCORD_API_URL=discord_server.api_url,
        PAPERBOT_LLM_PROVIDER="openai",
        OPENAI_BASE_URL=openai_server.base_url,
        OPENAI_API_KEY=API_KEY,
    )
    preview = await run_cli(env, "--chat", str(TG_PRIVATE), "--dry-run", "--at", AT)
    assert "🗞 arXiv 每日速递 · 2026-11-24（周二）· cs.CL" in preview
    assert telegram_server.calls_of("sendMessage") == []  # a dry run sends nothing
    summary = await run_cli(env, "--run-now", "--at", AT)
    assert "新认领 3 个" in summary, summary
    got = telegram_papers(telegram_server) + discord_papers(discord_server)
    assert set(got.values()) == {1}
    for chat, papers in WANT.items():
        assert {aid for c, aid in got if c == chat.chat_id} == papers
    unique = set().union(*WANT.values())
    assert openai_server.count == len(unique)  # the preview's summaries were cached and reused
    headers = [
        c for c in telegram_server.calls_of("sendMessage") if "每日速递" in str(c.params["text"])
    ]
    assert sorted(str(c.params["chat_id"]) for c in headers) == ["-100200", "1001"]
    # Running again the same day sends nothing and asks the model nothing.
    before = (len(telegram_server.calls_of("sendMessage")), len(discord_server.calls))
    assert "发送 0 条" in await run_cli(env, "--run-now", "--at", AT)
    assert len(telegram_server.calls_of("sendMessage")) == before[0]
    assert openai_server.count == len(unique)
