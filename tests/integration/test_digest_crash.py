"""What a crash leaves in doubt, on SQLite and PostgreSQL: only the request in flight; Discord
parts in doubt are resent with their nonce key, a one-message digest is resent marked
（补发）, any other part in doubt is written off and counted, never sent twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers.digest.ledger import PlannedPart
from handlers.digest.owners import forget_owner, lease_planning, new_owner
from handlers.digest.render import reply_to_json
from handlers.digest.sender import RESENT_MARK, LedgerSender
from handlers.digest.types import FeedEntry, Ready, SendCancelled
from handlers.types import ChatKind, ChatRef, Reply
from storage.chat_store import SqlChatStore
from storage.digest_store import SqlDigestStore
from storage.engine import Database
from summarizer.models import Mode, Paper, SummaryResult
from tests.fakes.digest_fakes import (
    LLM_PAPERS,
    Clock,
    FakeFeed,
    build_pipeline,
    entry,
)
from tests.fakes.services import FakePapers, FakeSummaries
from tests.fakes.subscription_store import MemorySubscriptions

NOW = datetime(2026, 11, 25, 1, 31, tzinfo=UTC)
DAY = date(2026, 11, 24)
TG = ChatRef("telegram", "-100200")
DC = ChatRef("discord", "3001")


class PacedMessenger:
    """A platform whose rate gate is an event the test opens; records what it sent with the
    key. Like the real messengers it calls `ready` only once the gate let it through."""

    def __init__(self, platform: str, resend_window: float = 0.0) -> None:
        self.platform = platform
        self.resend_window = resend_window
        self.gate = asyncio.Event()
        self.waiting = asyncio.Event()
        self.sent: list[tuple[ChatRef, str, str | None]] = []

    async def send(
        self,
        chat: ChatRef,
        replies: list[Reply],
        *,
        ready: Ready | None = None,
        key: str | None = None,
    ) -> list[str]:
        self.waiting.set()
        await self.gate.wait()
        if ready is not None and not await ready():
            raise SendCancelled
        self.sent += [(chat, r.text, key) for r in replies]
        return [str(len(self.sent))]


def parts(*texts: str) -> list[PlannedPart]:
    return [
        PlannedPart(part=n, kind="header" if n == 1 else "entry", payload=reply_to_json(Reply(t)))
        for n, t in enumerate(texts, 1)
    ]


async def planned(db: Database, chat: ChatRef, *texts: str) -> SqlDigestStore:
    await SqlChatStore(db).upsert_chat(chat, ChatKind.GROUP, None)
    store = SqlDigestStore(db)
    assert await store.claim_and_plan(chat, DAY, parts(*texts))
    return store


def sender(db: Database, messenger: PacedMessenger, clock: Clock) -> LedgerSender:
    return LedgerSender(
        SqlDigestStore(db), {messenger.platform: messenger}, SqlChatStore(db), clock=clock
    )


async def crash_in_flight(db: Database, store: SqlDigestStore, chat: ChatRef) -> int:
    """A process that died after its first part left: that part stays `sending`."""
    [first, *_] = await store.parts_for(chat, DAY)
    dead = sender(db, PacedMessenger(chat.platform), Clock(NOW))
    assert await store.begin_send(first.id, dead.owner, NOW)
    dead.close()
    return first.id


async def test_a_part_waiting_for_its_rate_slot_is_still_pending_and_sent_after_a_crash(
    database: Database,
) -> None:
    store = await planned(database, TG, "🗞 header", "paper one", "paper two")
    slow = PacedMessenger("telegram")
    first = sender(database, slow, Clock(NOW))
    run = asyncio.create_task(first.deliver())
    await asyncio.wait_for(slow.waiting.wait(), 5)
    # Queued in the rate limiter, nothing has left: nothing may be `sending`.
    assert {p.status for p in await store.parts_for(TG, DAY)} == {"pending"}
    run.cancel()  # the process dies here
    await asyncio.gather(run, return_exceptions=True)
    first.close()
    fresh = PacedMessenger("telegram")
    fresh.gate.set()
    report = await sender(database, fresh, Clock(NOW)).deliver()
    assert report.uncertain == 0
    assert [text for _, text, _ in fresh.sent] == ["🗞 header", "paper one", "paper two"]
    assert {p.status for p in await store.parts_for(TG, DAY)} == {"sent"}


async def test_two_senders_racing_for_a_part_send_it_once(database: Database) -> None:
    store = await planned(database, TG, "🗞 header", "paper one")
    a, b = PacedMessenger("telegram"), PacedMessenger("telegram")
    runs = [sender(database, m, Clock(NOW)).deliver() for m in (a, b)]
    tasks = [asyncio.create_task(r) for r in runs]
    await asyncio.wait_for(asyncio.gather(a.waiting.wait(), b.waiting.wait()), 5)
    a.gate.set()
    b.gate.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 10)
    texts = [text for m in (a, b) for _, text, _ in m.sent]
    assert sorted(texts) == ["paper one", "🗞 header"]
    assert {p.status for p in await store.parts_for(TG, DAY)} == {"sent"}


async def test_a_discord_part_in_doubt_is_resent_with_its_nonce_key_inside_the_window(
    database: Database,
) -> None:
    store = await planned(database, DC, "🗞 header", "paper one")
    part_id = await crash_in_flight(database, store, DC)
    discord = PacedMessenger("discord", resend_window=60.0)
    discord.gate.set()
    report = await sender(database, discord, Clock(NOW + timedelta(seconds=20))).deliver()
    assert report.uncertain == 0
    assert discord.sent[0] == (DC, "🗞 header", f"pb{part_id}")
    assert [p.status for p in await store.parts_for(DC, DAY)] == ["sent", "sent"]


async def test_a_discord_part_in_doubt_past_the_nonce_window_is_written_off(
    database: Database,
) -> None:
    store = await planned(database, DC, "🗞 header", "paper one")
    await crash_in_flight(database, store, DC)
    discord = PacedMessenger("discord", resend_window=60.0)
    discord.gate.set()
    report = await sender(database, discord, Clock(NOW + timedelta(seconds=61))).deliver()
    assert report.uncertain == 1
    assert [text for _, text, _ in discord.sent] == ["paper one"]
    assert [p.status for p in await store.parts_for(DC, DAY)] == ["uncertain", "sent"]


async def test_a_telegram_part_in_doubt_is_written_off_and_never_sent_twice(
    database: Database,
) -> None:
    store = await planned(database, TG, "🗞 header", "paper one")
    await crash_in_flight(database, store, TG)
    telegram = PacedMessenger("telegram")
    telegram.gate.set()
    report = await sender(database, telegram, Clock(NOW)).deliver()
    assert (report.uncertain, report.sent) == (1, 1)
    assert [text for _, text, _ in telegram.sent] == ["paper one"]
    [doubt, _] = await store.parts_for(TG, DAY)
    assert (doubt.status, doubt.error) == ("uncertain", "in flight when a process died")


async def test_a_one_message_digest_in_doubt_is_resent_once_marked(database: Database) -> None:
    store = await planned(database, TG, "🗞 今日速递：3 篇")
    await crash_in_flight(database, store, TG)
    telegram = PacedMessenger("telegram")
    telegram.gate.set()
    report = await sender(database, telegram, Clock(NOW)).deliver()
    assert (report.uncertain, report.recovered) == (0, 1)
    assert [text for _, text, _ in telegram.sent] == [f"{RESENT_MARK}🗞 今日速递：3 篇"]
    assert [p.status for p in await store.parts_for(TG, DAY)] == ["sent"]
    again = await sender(database, telegram, Clock(NOW)).deliver()
    assert again.sent == 0
    assert len(telegram.sent) == 1


class SlowSummaries(FakeSummaries):
    """Each model call takes a moment, so two planners overlap."""

    async def summarize_paper(self, paper: Paper, mode: Mode, **kwargs: Any) -> SummaryResult:
        await asyncio.sleep(0.05)
        return await super().summarize_paper(paper, mode, **kwargs)


async def test_two_processes_planning_at_once_summarize_each_paper_once(
    database: Database,
) -> None:
    chats, subs = SqlChatStore(database), MemorySubscriptions()
    for chat in (ChatRef("telegram", "1001"), ChatRef("discord", "3001")):
        await chats.upsert_chat(chat, ChatKind.PRIVATE, None)
        subs.subscribe(chat, "cs.CL")
    feed = FakeFeed(DAY, [entry(p) for p in LLM_PAPERS])
    now = datetime(2026, 11, 25, 9, 31, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)
    models = [SlowSummaries(FakePapers(LLM_PAPERS)) for _ in range(2)]
    pipelines = [
        build_pipeline(database, subs, feed, Clock(now), [], summaries=m, chats=chats)
        for m in models
    ]
    reports = await asyncio.gather(*(p.plan(now) for p in pipelines))
    assert sum(r.claimed for r in reports) == 2
    planned = {e.paper.arxiv_id for e in feed_entries_for_cs_cl()}
    # One process summarized the day; the other waited instead of calling the model again.
    assert sum(m.model_calls for m in models) == len(planned)
    assert sorted(m.model_calls for m in models)[0] == 0
    # The lease was let go: a later tick (another chat due) may plan the day again.
    assert await SqlDigestStore(database).planning_lease(DAY) == (None, None)
    for p in pipelines:
        p.close()


async def test_a_dead_planners_lease_is_taken_over(database: Database) -> None:
    store = SqlDigestStore(database)
    feed = FakeFeed(DAY, [entry(p) for p in LLM_PAPERS])
    await store.save_announcement(await feed.fetch_announcement(["cs.CL"]))
    dead = new_owner()
    forget_owner(dead)  # this "process" is gone
    alive = new_owner()
    assert await store.take_planning(DAY, dead, NOW + timedelta(hours=1), None)
    assert await lease_planning(store, DAY, alive, NOW, 1800.0)
    assert (await store.planning_lease(DAY))[0] == alive  # type: ignore[index]
    other = new_owner()
    assert not await lease_planning(store, DAY, other, NOW, 1800.0)  # alive holder: wait
    forget_owner(alive)
    forget_owner(other)


def feed_entries_for_cs_cl() -> list[FeedEntry]:
    return [entry(p) for p in LLM_PAPERS if "cs.CL" in p.categories]
