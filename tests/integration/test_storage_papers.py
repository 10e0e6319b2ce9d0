"""Storage: SqlPaperStore and SqlSummaryStore round-trips, upserts and races on both databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError

from storage import Database, SqlPaperStore, SqlSummaryStore
from summarizer.models import (
    ArxivRef,
    CondensedSummary,
    FullSummary,
    Mode,
    Paper,
    SummaryKey,
    SummaryRecord,
)

BEIJING = timezone(timedelta(hours=8))


def paper(version: int | None = 1, title: str = "Attention Is All You Need") -> Paper:
    return Paper(
        arxiv_id="1706.03762",
        version=version,
        title=title,
        authors=("Ashish Vaswani", "Noam Shazeer", "张三"),
        abstract="The dominant sequence transduction models… 28.4 BLEU.",
        categories=("cs.CL", "cs.LG"),
        primary_category="cs.CL",
        published=datetime(2017, 6, 12, 17, 57, 34, tzinfo=UTC),
        updated=datetime(2023, 8, 2, 8, 0, tzinfo=BEIJING),
        comment="15 pages, 5 figures",
        journal_ref="NeurIPS 2017",
        doi="10.48550/arXiv.1706.03762",
    )


async def count(db: Database, table: str) -> int:
    async with db.engine.connect() as s:
        n: int = (await s.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
    return n


async def test_paper_round_trip_keeps_text_lists_and_aware_datetimes(database: Database) -> None:
    store = SqlPaperStore(database)
    saved = paper(title="注意力机制就是你所需要的一切")
    await store.save_papers([saved])
    found = await store.get_papers([ArxivRef(arxiv_id="1706.03762", version=1)])
    got = found[ArxivRef(arxiv_id="1706.03762", version=1)]
    assert got == saved
    assert got.updated is not None
    assert got.updated.tzinfo == UTC
    assert got.updated == datetime(2023, 8, 2, 0, 0, tzinfo=UTC)


async def test_unversioned_ref_gets_latest_fresh_version(database: Database) -> None:
    store = SqlPaperStore(database)
    before = datetime.now(UTC) - timedelta(seconds=5)
    await store.save_papers([paper(1), paper(3, "v3"), paper(2, "v2")])
    ref = ArxivRef(arxiv_id="1706.03762")
    assert (await store.get_papers([ref]))[ref].version == 3
    assert (await store.get_papers([ref], fresh_after=before))[ref].title == "v3"
    later = datetime.now(UTC) + timedelta(hours=1)
    assert await store.get_papers([ref], fresh_after=later) == {}
    exact = ArxivRef(arxiv_id="1706.03762", version=2)
    # A versioned ref ignores freshness: a version's metadata does not change.
    assert (await store.get_papers([exact], fresh_after=later))[exact].title == "v2"
    assert await store.get_papers([ArxivRef(arxiv_id="1706.03762", version=9)]) == {}
    assert await store.get_papers([]) == {}


async def test_paper_without_version_round_trips(database: Database) -> None:
    store = SqlPaperStore(database)
    legacy = paper(None).model_copy(update={"arxiv_id": "hep-th/9901001"})
    await store.save_papers([legacy])
    ref = ArxivRef(arxiv_id="hep-th/9901001")
    assert (await store.get_papers([ref]))[ref] == legacy


async def test_save_papers_updates_in_place(database: Database) -> None:
    store = SqlPaperStore(database)
    await store.save_papers([paper(1, "old"), paper(1, "duplicate in one batch")])
    await store.save_papers([paper(1, "新标题")])
    ref = ArxivRef(arxiv_id="1706.03762", version=1)
    assert (await store.get_papers([ref]))[ref].title == "新标题"
    assert await count(database, "papers") == 1


async def test_concurrent_paper_saves_leave_one_row(database: Database) -> None:
    store = SqlPaperStore(database)
    await asyncio.gather(*(store.save_papers([paper(1, f"t{i}")]) for i in range(20)))
    assert await count(database, "papers") == 1


async def test_naive_datetimes_are_refused(database: Database) -> None:
    naive = paper().model_copy(update={"published": datetime(2017, 6, 12)})  # noqa: DTZ001
    with pytest.raises(StatementError, match="naive datetime"):
        await SqlPaperStore(database).save_papers([naive])


def key(**changes: object) -> SummaryKey:
    base: dict[str, object] = {
        "arxiv_id": "1706.03762",
        "version": 1,
        "mode": Mode.FULL,
        "provider": "gemini",
        "model": "gemini-2.5-flash",
        "prompt_version": "p3",
    }
    return SummaryKey.model_validate(base | changes)


def record(k: SummaryKey, status: str = "ok") -> SummaryRecord:
    return SummaryRecord.model_validate(
        {
            "key": k,
            "status": status,
            "condensed": CondensedSummary(
                title_zh="注意力就是一切",
                tldr="提出完全基于注意力机制（attention）的 Transformer，BLEU 达 28.4。",
                highlights=["无需循环", "并行训练", "28.4 BLEU"],
            ),
            "full": FullSummary(
                title_zh="注意力就是一切",
                keywords=["Transformer", "自注意力（self-attention）"],
                background="序列转导模型",
                prior_work="RNN 难以并行",
                approach="多头注意力",
                results="WMT 2014 英德 28.4 BLEU",
                methods=["编码器", "解码器"],
                innovation="纯注意力",
                performance="更快更好",
                workload="8 块 P100 训练 3.5 天",
            ),
            "failed_checks": ["numbers"],
            "affiliations": ["Google Brain"],
            "code_urls": ["https://github.com/tensorflow/tensor2tensor"],
            "input_tokens": 1234,
            "output_tokens": 567,
            "created_at": datetime(2026, 11, 20, 9, 30, tzinfo=BEIJING),
        }
    )


async def test_summary_round_trip_is_equal(database: Database) -> None:
    store = SqlSummaryStore(database)
    saved = record(key())
    await store.save_summary(saved)
    got = await store.get_summary(key())
    assert got == saved
    assert got is not None
    assert got.created_at is not None
    assert got.created_at.tzinfo == UTC
    assert await store.get_summary(key(prompt_version="p4")) is None
    assert await store.get_summary(key(mode=Mode.CONDENSED)) is None
    assert await store.get_summary(key(version=None)) is None


async def test_summaries_are_keyed_by_what_they_read(database: Database) -> None:
    store = SqlSummaryStore(database)
    from_abstract = record(key(reads="abstract"), "ok")
    await store.save_summary(from_abstract)
    assert await store.get_summary(key(reads="fulltext")) is None
    from_paper = record(key(reads="fulltext"), "ok")
    await store.save_summary(from_paper)
    assert await store.get_summary(key(reads="abstract")) == from_abstract
    assert await store.get_summary(key(reads="fulltext")) == from_paper
    assert await count(database, "summaries") == 2


async def test_summary_without_version_or_date_round_trips(database: Database) -> None:
    store = SqlSummaryStore(database)
    saved = SummaryRecord(
        key=key(version=None), status="degraded", degraded_reason="没有可用的模型"
    )
    await store.save_summary(saved)
    assert await store.get_summary(key(version=None)) == saved


async def test_summary_save_replaces(database: Database) -> None:
    store = SqlSummaryStore(database)
    await store.save_summary(record(key(), "degraded"))
    await store.save_summary(record(key(), "ok"))
    got = await store.get_summary(key())
    assert got is not None
    assert got.status == "ok"
    assert await count(database, "summaries") == 1


async def test_concurrent_summary_saves_leave_one_row(database: Database) -> None:
    store = SqlSummaryStore(database)
    records = [record(key()).model_copy(update={"input_tokens": i}) for i in range(20)]
    await asyncio.gather(*(store.save_summary(r) for r in records))
    assert await count(database, "summaries") == 1
    assert await store.get_summary(key()) in records
