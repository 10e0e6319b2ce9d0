"""Storage: SqlRelevanceStore (paper vectors shared by all chats, a chat's rating signals) on
SQLite and PostgreSQL, and chat migration moving /like seeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlmodel import select

from handlers.relevance.profile import Signal
from handlers.types import ChatKind, ChatRef
from storage import Database, SqlChatStore, SqlFeedbackStore
from storage.relevance_store import SqlRelevanceStore, decode_vector
from storage.relevance_tables import PaperEmbeddingRow

GROUP = ChatRef("telegram", "-1001")
OTHER = ChatRef("discord", "555")


async def test_vectors_round_trip_per_model_and_are_stored_once(database: Database) -> None:
    store = SqlRelevanceStore(database)
    first = np.array([0.6, 0.8, 0.0], dtype=np.float32)
    await store.save_vectors("e5", {"2401.12187": first, "2402.00001": -first})
    await store.save_vectors("e5", {"2401.12187": first[::-1].copy()})  # replaced, not doubled
    await store.save_vectors("hashing-3", {"2401.12187": first})
    found = await store.get_vectors("e5", ["2401.12187", "2402.00001", "2403.99999"])
    assert set(found) == {"2401.12187", "2402.00001"}
    assert np.array_equal(found["2401.12187"], first[::-1])
    assert found["2401.12187"].dtype == np.float32
    recent = await store.recent_vectors("e5", datetime.now(UTC) - timedelta(hours=1))
    assert set(recent) == {"2401.12187", "2402.00001"}
    assert await store.recent_vectors("e5", datetime.now(UTC) + timedelta(hours=1)) == {}


async def test_mostly_zero_vectors_are_packed_and_read_back_exactly(database: Database) -> None:
    store = SqlRelevanceStore(database)
    rng = np.random.default_rng(7)
    hybrid = np.zeros(384 + 8192, dtype=np.float32)  # meaning half dense, words half sparse
    hybrid[:384] = rng.normal(size=384)
    hybrid[384 + rng.choice(8192, size=300, replace=False)] = rng.normal(size=300)
    dense = rng.normal(size=384).astype(np.float32)
    await store.save_vectors("hybrid", {"2401.12187": hybrid, "2402.00001": dense})
    async with database.session() as s:
        rows = (await s.exec(select(PaperEmbeddingRow))).all()
        sizes = {r.arxiv_id: len(r.vector) for r in rows}
    assert sizes["2401.12187"] < 4 * len(hybrid) // 8  # ~3.4 KB instead of 34 KB
    assert decode_vector(dense.astype("<f4").tobytes(), 384).tolist() == dense.tolist()  # raw rows
    found = await store.get_vectors("hybrid", ["2401.12187", "2402.00001"])
    assert np.array_equal(found["2401.12187"], hybrid) and np.array_equal(
        found["2402.00001"], dense
    )
    since = datetime.now(UTC) - timedelta(hours=1)
    heads = await store.recent_vectors("hybrid", since, head=384)
    assert np.array_equal(heads["2401.12187"], hybrid[:384]) and heads["2402.00001"].shape == (384,)


async def test_many_ids_are_read_in_chunks(database: Database) -> None:
    store = SqlRelevanceStore(database)
    vectors = {f"2501.{i:05d}": np.full(4, i, dtype=np.float32) for i in range(1200)}
    await store.save_vectors("m", vectors)
    found = await store.get_vectors("m", list(vectors))
    assert len(found) == 1200 and found["2501.01199"][0] == 1199


async def test_group_signals_sum_members_votes_then_seeds(database: Database) -> None:
    store = SqlRelevanceStore(database)
    votes = SqlFeedbackStore(database)
    await votes.record_feedback(GROUP, "alice", "A", 1)
    await votes.record_feedback(GROUP, "bob", "A", 1)
    await votes.record_feedback(GROUP, "carol", "A", -1)  # 2 vs 1: the group likes A
    await votes.record_feedback(GROUP, "alice", "B", 1)
    await votes.record_feedback(GROUP, "bob", "B", -1)  # a tie says nothing
    await votes.record_feedback(GROUP, "alice", "C", -1)
    await votes.record_feedback(OTHER, "alice", "D", 1)  # another chat's vote
    await store.add_interests(GROUP, ["C", "E", "E"], "like")  # the 👎 on C wins over /like
    await store.add_interests(GROUP, ["F"], "asked")
    assert await store.signals(GROUP) == [
        Signal("A", 1.0),
        Signal("C", -1.0),
        Signal("E", 1.0),
        Signal("F", 0.5),
    ]
    with pytest.raises(ValueError, match="unknown interest source"):
        await store.add_interests(GROUP, ["G"], "bogus")


async def test_migrating_a_group_moves_its_seeds(database: Database) -> None:
    chats = SqlChatStore(database)
    store = SqlRelevanceStore(database)
    await chats.upsert_chat(GROUP, ChatKind.GROUP, "组")
    await store.add_interests(GROUP, ["2401.12187"], "like")
    supergroup = ChatRef("telegram", "-1001000001")
    await chats.migrate_chat(GROUP, supergroup)
    assert await store.signals(GROUP) == []
    assert await store.signals(supergroup) == [Signal("2401.12187", 1.0)]
