"""Kill -9 a real `paperbot digest --run-now` at several points, restart it, and check every
chat got each matched paper exactly once; two processes at once never double-send."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.digest_delivery import read_records
from handlers.digest.matching import PaperIndex
from handlers.subscriptions.topics import parse_topic
from handlers.types import ChatRef
from tests.fakes.digest_fakes import LLM_PAPERS, FakeRssServer, cli_env, entry, seed_chats

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 24)
AT = "2026-11-25T09:31:00+08:00"  # Shanghai 09:31 Wednesday: Tuesday evening's is due
TOPICS: dict[ChatRef, list[str]] = {
    ChatRef("telegram", "1001"): ["cs.CL"],
    ChatRef("telegram", "-100200"): ['"language model"'],
    ChatRef("telegram", "1003"): ["cs"],
    ChatRef("discord", "3001"): ["cs.CL", "retrieval"],
    ChatRef("discord", "3002"): ["cs.SE"],
}
SEND_DELAY = 0.04


def expected() -> Counter[tuple[str, str | None]]:
    index = PaperIndex([entry(p) for p in LLM_PAPERS])
    want: Counter[tuple[str, str | None]] = Counter()
    for chat, raws in TOPICS.items():
        matches = index.match([parse_topic(r) for r in raws], include_cross=True)
        want[(str(chat), None)] += 1  # the header
        for match in matches:
            want[(str(chat), match.paper.arxiv_id)] += 1
    return want


def delivered(record: Path) -> Counter[tuple[str, str | None]]:
    return Counter((r["chat"], r["arxiv_id"]) for r in read_records(record))


@pytest.fixture
async def rss() -> AsyncIterator[FakeRssServer]:
    server = await FakeRssServer(DAY, [entry(p) for p in LLM_PAPERS]).start()
    try:
        yield server
    finally:
        await server.close()


async def start_cli(url: str, rss_url: str, record: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "digest", "--run-now", "--at", AT,
        "--record", str(record), "--record-delay", str(SEND_DELAY), "--max-wait", "5",
        env=cli_env(url, rss_url), cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def finish(proc: asyncio.subprocess.Process) -> str:
    out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0, err.decode()
    return out.decode()


async def kill_after(
    proc: asyncio.subprocess.Process, record: Path, sends: int, jitter: bool
) -> int:
    """SIGKILL once `sends` messages are recorded: at once (most likely between the send and
    its ledger update) or after a random fraction of one send (anywhere)."""
    while len(read_records(record)) < sends:
        assert proc.returncode is None, "finished before the kill point"
        await asyncio.sleep(0.002)
    if jitter:
        await asyncio.sleep(random.uniform(0, SEND_DELAY))
    os.kill(proc.pid, signal.SIGKILL)
    await proc.wait()
    return len(read_records(record))


@pytest.mark.parametrize(("sends", "jitter"), [(1, False), (7, True), (14, False)])
async def test_killed_run_resumes_with_every_paper_exactly_once(
    database_url: str, rss: FakeRssServer, tmp_path: Path, sends: int, jitter: bool
) -> None:
    await seed_chats(database_url, TOPICS)
    record = tmp_path / "sent.jsonl"
    first = await start_cli(database_url, rss.url, record)
    at_kill = await kill_after(first, record, sends, jitter)
    want = expected()
    assert at_kill < sum(want.values())  # the kill really cut the run short
    summary = await finish(await start_cli(database_url, rss.url, record))
    got = delivered(record)
    assert got == want, summary
    assert "存疑 0" in summary
    # A third run finds nothing to do.
    assert "发送 0 条" in await finish(await start_cli(database_url, rss.url, record))
    assert delivered(record) == want


@pytest.mark.postgres
async def test_two_processes_at_once_never_double_send(
    postgres_database_url: str, rss: FakeRssServer, tmp_path: Path
) -> None:
    await seed_chats(postgres_database_url, TOPICS)
    record = tmp_path / "sent.jsonl"
    procs = [await start_cli(postgres_database_url, rss.url, record) for _ in range(2)]
    outputs = await asyncio.gather(*(finish(p) for p in procs))
    assert delivered(record) == expected(), outputs
