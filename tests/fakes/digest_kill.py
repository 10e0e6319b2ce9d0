"""Kill -9 harness for `paperbot digest --run-now` with the REAL platform adapters: the CLI
subprocess talks to the fake Bot API and the fake Discord REST in this process, and what the
fakes received (not what the product says it sent) is counted per chat and paper."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from handlers.digest.matching import PaperIndex
from handlers.subscriptions.topics import parse_topic
from handlers.types import ChatRef
from tests.fakes.digest_fakes import LLM_PAPERS, FakeRssServer, cli_env, entry
from tests.fakes.discord_server import TOKEN as DISCORD_TOKEN
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.telegram_server import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 24)
AT = "2026-11-25T09:31:00+08:00"  # Shanghai 09:31 Wednesday: Tuesday evening's is due
ARXIV_ID = re.compile(r"\b(\d{4}\.\d{4,5})(?:v\d+)?\b")
Delivered = Counter[tuple[str, str | None]]
"""(chat, arXiv id of the paper a message shows, or None for the header/notice) → count."""

TOPIC_SETS: tuple[tuple[str, ...], ...] = (
    ("cs.CL",),
    ('"language model"',),
    ("cs",),
    ("cs.CL", "retrieval"),
    ("cs.SE",),
)


def many_chats(count: int, platforms: Sequence[str] = ("telegram", "discord")) -> dict[
    ChatRef, list[str]
]:  # fmt: skip
    """`count` chats spread over the platforms (Telegram: private chats and groups)."""
    chats: dict[ChatRef, list[str]] = {}
    for n in range(count):
        platform = platforms[n % len(platforms)]
        if platform == "telegram":
            chat_id = str(-1001000000 - n) if n % 3 == 2 else str(100000 + n)
        else:
            chat_id = str(444000000000000000 + n)
        chats[ChatRef(platform, chat_id)] = list(TOPIC_SETS[n % len(TOPIC_SETS)])
    return chats


def expected(topics: Mapping[ChatRef, Sequence[str]]) -> Delivered:
    index = PaperIndex([entry(p) for p in LLM_PAPERS])
    want: Delivered = Counter()
    for chat, raws in topics.items():
        matches = index.match([parse_topic(r) for r in raws], include_cross=True)
        if not matches:
            continue
        want[(str(chat), None)] += 1  # the header
        for match in matches:
            want[(str(chat), match.paper.arxiv_id)] += 1
    return want


def _paper_of(text: str) -> str | None:
    found = ARXIV_ID.search(text)
    return found.group(1) if found else None


@dataclass
class FakePlatforms:
    telegram: FakeTelegram
    discord: FakeDiscord
    rss: FakeRssServer

    def env(self, database_url: str, platforms: Sequence[str]) -> dict[str, str]:
        extra: dict[str, str] = {}
        if "telegram" in platforms:
            extra |= {
                "TELEGRAM_BOT_TOKEN": self.telegram.token,
                "PAPERBOT_TELEGRAM_API_URL": self.telegram.url,
            }
        if "discord" in platforms:
            extra |= {
                "DISCORD_BOT_TOKEN": DISCORD_TOKEN,
                "PAPERBOT_DISCORD_API_URL": self.discord.api_url,
            }
        return cli_env(database_url, self.rss.url, **extra)

    def messages(self) -> int:
        return len(self.telegram.messages) + len(self.discord.messages)

    def received(self) -> Delivered:
        got: Delivered = Counter()
        for (chat_id, _), message in self.telegram.messages.items():
            got[(f"telegram:{chat_id}", _paper_of(message["text"]))] += 1
        for message in self.discord.messages.values():
            text = message.get("content", "") + json.dumps(message.get("embeds") or [])
            got[(f"discord:{message['channel_id']}", _paper_of(text))] += 1
        return got


@asynccontextmanager
async def fake_platforms() -> AsyncIterator[FakePlatforms]:
    telegram, discord = FakeTelegram(), FakeDiscord()
    rss = FakeRssServer(DAY, [entry(p) for p in LLM_PAPERS])
    await telegram.start()
    await discord.start()
    await rss.start()
    try:
        yield FakePlatforms(telegram, discord, rss)
    finally:
        await rss.close()
        await discord.close()
        await telegram.close()


_LOGS: dict[int, IO[bytes]] = {}
"""stderr of each started process: a file, never a pipe nobody reads while it runs (a full
pipe would block the child in the middle of a digest)."""


async def start_cli(env: dict[str, str], max_wait: float = 5.0) -> asyncio.subprocess.Process:
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in finish/forget)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "digest", "--run-now", "--at", AT,
        "--max-wait", str(max_wait),
        env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=log,
    )  # fmt: skip
    _LOGS[proc.pid] = log
    return proc


def stderr_of(proc: asyncio.subprocess.Process) -> str:
    log = _LOGS.pop(proc.pid, None)
    if log is None:
        return ""
    with log:
        log.seek(0)
        return log.read().decode(errors="replace")


async def finish(proc: asyncio.subprocess.Process, within: float = 120.0) -> str:
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=within)
    err = stderr_of(proc)
    assert proc.returncode == 0, err[-3000:]
    return out.decode()


async def kill_when(
    proc: asyncio.subprocess.Process, fakes: FakePlatforms, messages: int, extra: float = 0.0
) -> bool:
    """SIGKILL once the fakes hold `messages` messages (plus `extra` seconds). False when the
    process finished first (nothing to kill)."""
    while fakes.messages() < messages:
        if proc.returncode is not None:
            return False
        await asyncio.sleep(0.002)
    if extra:
        await asyncio.sleep(extra)
    if proc.returncode is not None:
        return False
    os.kill(proc.pid, signal.SIGKILL)
    await proc.communicate()
    stderr_of(proc)
    return True


def uncertain_count(summary: str) -> int:
    found = re.search(r"存疑 (\d+)", summary)
    return int(found.group(1)) if found else 0
