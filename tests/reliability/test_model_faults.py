"""Model endpoint down, slow or babbling for many papers, and arXiv unreachable: replies still
arrive (degraded, labelled), nothing wrong is stored, and everything recovers by itself."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from bot.render.telegram_html import render_telegram
from handlers.registry import dispatch
from handlers.types import ChatRef, Reply, Request
from summarizer.providers.gemini import GeminiProvider
from tests.fakes.arxiv_server import FakeArxivServer
from tests.fakes.llm_servers import API_KEY, GEMINI_MODEL, FakeGeminiServer
from tests.reliability import sql_services

PAPERS = ["0804.0970", "1106.3680", "1202.4527", "1205.1866", "1306.4664", "1309.0683",
          "1408.2674", "1509.08401", "1601.06222"]  # fmt: skip
CHAT = ChatRef("telegram", "31337")
UNAVAILABLE = "⚠️ 摘要生成失败（模型暂不可用），以下为原文摘要："
REJECTED = "⚠️ 摘要生成失败（输出未通过校验），以下为原文摘要："


@pytest.fixture
async def wired(
    sqlite_database_url: str, arxiv_server: FakeArxivServer, gemini_server: FakeGeminiServer
) -> AsyncIterator[Any]:
    provider = GeminiProvider(
        API_KEY, GEMINI_MODEL, base_url=gemini_server.base_url, timeout=0.5, attempts=1
    )
    try:
        async with sql_services(sqlite_database_url, arxiv_server.url, provider) as (services, db):
            yield services, db
    finally:
        await provider.aclose()


async def ask(services: Any, ids: list[str]) -> list[Reply]:
    body = " ".join(f"https://arxiv.org/abs/{i}" for i in ids)
    return await dispatch(Request(chat=CHAT, user_id="1", text=body), services)


def first_lines(replies: list[Reply]) -> list[str]:
    return [render_telegram(r)[0].plain for r in replies]


async def test_model_down_slow_or_garbage_then_recovers(
    wired: Any, gemini_server: FakeGeminiServer
) -> None:
    services, db = wired
    down, slow, garbage = PAPERS[0:3], PAPERS[3:6], PAPERS[6:9]

    gemini_server.enqueue_status(503, "The model is overloaded.", times=3)
    replies = await ask(services, down)
    assert [r.summary.record.degraded_reason for r in replies] == ["模型暂不可用"] * 3  # type: ignore[union-attr]
    assert all(UNAVAILABLE in text for text in first_lines(replies))

    gemini_server.delay = 1.5  # longer than the provider's 0.5 s timeout
    replies = await ask(services, slow)
    gemini_server.delay = 0.0
    assert all(UNAVAILABLE in text for text in first_lines(replies))

    for _ in range(6):  # first answer and the re-ask, for each of three papers
        gemini_server.enqueue_text("<html><body>502 Bad Gateway</body></html>")
    replies = await ask(services, garbage)
    assert all(REJECTED in text for text in first_lines(replies))
    for reply in replies:  # the original abstract is shown, labelled, never passed off as ours
        assert reply.summary is not None and reply.summary.record.status == "degraded"
        assert reply.summary.paper.abstract[:40] in render_telegram(reply)[0].plain
    calls_while_broken = gemini_server.count
    assert calls_while_broken == 3 + 3 + 6

    # the endpoint is back: every degraded paper is summarized again on its next request...
    for batch in (down, slow, garbage):
        replies = await ask(services, batch)
        assert [r.summary.record.status for r in replies] == ["ok"] * 3  # type: ignore[union-attr]
        assert not any(r.summary.cached for r in replies)  # type: ignore[union-attr]
    assert gemini_server.count == calls_while_broken + 9
    # ...and then served from the cache
    for batch in (down, slow, garbage):
        replies = await ask(services, batch)
        assert all(r.summary.cached and r.summary.record.status == "ok" for r in replies)  # type: ignore[union-attr]
    assert gemini_server.count == calls_while_broken + 9
    async with db.engine.connect() as conn:
        statuses = (
            await conn.execute(text("SELECT status, count(*) FROM summaries GROUP BY status"))
        ).all()
        usage = (await conn.execute(text("SELECT ok, count(*) FROM usage GROUP BY ok"))).all()
    assert dict(map(tuple, statuses)) == {"ok": 9}  # the degraded rows were replaced
    assert dict(map(tuple, usage)) == {False: 6, True: 6 + 9} or dict(map(tuple, usage)) == {
        0: 6, 1: 15
    }  # fmt: skip


@pytest.mark.parametrize("fault", ["503", "dropped"])
async def test_arxiv_unreachable_gets_a_clear_message_and_stores_nothing(
    wired: Any, arxiv_server: FakeArxivServer, gemini_server: FakeGeminiServer, fault: str
) -> None:
    services, db = wired
    for request in (
        Request(chat=CHAT, user_id="1", text="https://arxiv.org/abs/2401.12215"),
        Request(chat=CHAT, user_id="1", command="paper", args="2401.12215 full"),
    ):
        if fault == "503":
            arxiv_server.fail_next(2, status=503)
        else:
            arxiv_server.drop_next(2)
        [reply] = await dispatch(request, services)
        assert reply.text == "⚠️ 暂时无法连接 arXiv，请稍后再试。"
    assert gemini_server.count == 0
    async with db.engine.connect() as conn:
        for table in ("papers", "summaries", "usage"):
            assert (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar() == 0
    # arXiv is back: the same request works, nothing stale was cached
    [reply] = await dispatch(Request(chat=CHAT, user_id="1", text="2401.12215"), services)
    assert reply.summary is not None and reply.summary.record.status == "ok"
