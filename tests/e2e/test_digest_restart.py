"""Kill -9 a real `paperbot digest --run-now` talking through the REAL Telegram and Discord
adapters to the fake Bot API and Discord REST, restart it, and count what the fakes received:
every chat gets each matched paper exactly once; at most the requests in flight at the kill
are written off (and those still arrived, or are counted lost here); two processes at once
never double-send."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from handlers.types import ChatRef
from storage.engine import Database
from storage.health import delivery_status_counts
from tests.fakes.digest_fakes import seed_chats
from tests.fakes.digest_kill import (
    DAY,
    FakePlatforms,
    expected,
    fake_platforms,
    finish,
    kill_when,
    start_cli,
    uncertain_count,
)

TOPICS: dict[ChatRef, list[str]] = {
    ChatRef("telegram", "1001"): ["cs.CL"],
    ChatRef("telegram", "-100200"): ['"language model"'],
    ChatRef("telegram", "1003"): ["cs.SE"],
    ChatRef("discord", "444000000000000001"): ["cs.CL", "retrieval"],
    ChatRef("discord", "444000000000000002"): ["cs.SE"],
}
PLATFORMS = ("telegram", "discord")


@pytest.fixture
async def fakes() -> AsyncIterator[FakePlatforms]:
    async with fake_platforms() as platforms:
        yield platforms


async def written_off(url: str) -> int:
    db = Database(url)
    try:
        counts = await delivery_status_counts(db, DAY)
    finally:
        await db.dispose()
    return sum(n for (_day, status), n in counts.items() if status == "uncertain")


@pytest.mark.parametrize(("messages", "extra"), [(1, 0.0), (6, 0.01)])
async def test_killed_run_resumes_with_every_paper_exactly_once(
    database_url: str, fakes: FakePlatforms, messages: int, extra: float
) -> None:
    await seed_chats(database_url, TOPICS, digest_style="cards")
    want = expected(TOPICS)
    env = fakes.env(database_url, PLATFORMS)
    assert await kill_when(await start_cli(env), fakes, messages, extra)
    assert fakes.messages() < sum(want.values())  # the kill really cut the run short
    summary = await finish(await start_cli(env))
    got = fakes.received()
    assert got - want == {}, summary  # nothing twice
    off = await written_off(database_url)
    lost = want - got
    # Only parts in flight at the kill may be missing, and they are counted as written off:
    # at most one per chat (each chat sends its parts one after the other).
    assert sum(lost.values()) <= off <= len(TOPICS), (lost, summary)
    assert uncertain_count(summary) == off
    # A third run finds nothing to do and sends nothing.
    before = fakes.messages()
    assert "发送 0 条" in await finish(await start_cli(env))
    assert fakes.messages() == before


@pytest.mark.postgres
async def test_two_processes_at_once_never_double_send(
    postgres_database_url: str, fakes: FakePlatforms
) -> None:
    await seed_chats(postgres_database_url, TOPICS, digest_style="cards")
    env = fakes.env(postgres_database_url, PLATFORMS)
    procs = [await start_cli(env) for _ in range(2)]
    outputs = await asyncio.gather(*(finish(p) for p in procs))
    assert fakes.received() == expected(TOPICS), outputs
