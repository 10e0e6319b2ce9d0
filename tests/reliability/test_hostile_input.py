"""Hostile input through dispatch with the real stores: huge messages, thousands of links,
unicode tricks, SQL-looking text and control characters get a clear reply and store nothing
wrong (checked in the database rows), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from handlers.ondemand.paper import NO_REFERENCE_HINT
from handlers.registry import dispatch
from handlers.types import ChatKind, ChatRef, Reply, Request
from storage import Database
from tests.fakes.arxiv_server import FakeArxivServer
from tests.reliability import sql_services

LORA = "2401.12215"
KNOWN = ["0804.0970", "1106.3680", "1202.4527", "1205.1866"]
CHAT = ChatRef("telegram", "1001")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
async def wired(database_url: str, arxiv_server: FakeArxivServer) -> AsyncIterator[Any]:
    async with sql_services(database_url, arxiv_server.url) as (services, db):
        yield services, db


async def ask(
    services: Any, body: str = "", *, title: str | None = None, **fields: Any
) -> list[Reply]:
    request = Request(chat=CHAT, user_id="7", text=body, chat_title=title, **fields)
    started = time.perf_counter()
    replies = await dispatch(request, services)
    assert time.perf_counter() - started < 10.0
    return replies


def ids_of(replies: list[Reply]) -> list[str]:
    return [r.summary.paper.arxiv_id for r in replies if r.summary is not None]


async def rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    async with db.engine.connect() as conn:
        return [tuple(row) for row in (await conn.execute(text(sql))).all()]


async def assert_clean_database(db: Database, papers: set[str]) -> None:
    """Only canonical arXiv ids were stored, each with arXiv's own title."""
    stored = await rows(db, "SELECT arxiv_id, title FROM papers")
    assert {arxiv_id for arxiv_id, _ in stored} == papers
    for arxiv_id, title in stored:
        assert re.fullmatch(r"\d{4}\.\d{4,5}", arxiv_id)
        assert "DROP" not in title and "\x00" not in title
    summaries = await rows(db, "SELECT DISTINCT arxiv_id FROM summaries")
    assert {s for (s,) in summaries} <= papers
    assert await rows(db, "SELECT count(*) FROM feedback") == [(0,)]


async def test_a_one_megabyte_message_gets_the_hint(wired: Any) -> None:
    services, db = wired
    replies = await ask(services, "论文" * 250_000 + "x" * 500_000)
    assert [r.text for r in replies] == [NO_REFERENCE_HINT]
    replies = await ask(services, command="paper", args="z" * 1_000_000)
    assert len(replies) == 1 and CJK.search(replies[0].text) and len(replies[0].text) < 200
    await assert_clean_database(db, set())
    assert [c for (c,) in await rows(db, "SELECT chat_id FROM chats")] == ["1001"]


async def test_thousands_of_links_are_capped_with_a_note(
    wired: Any, arxiv_server: FakeArxivServer
) -> None:
    services, db = wired
    links = [f"https://arxiv.org/abs/{i}" for i in KNOWN]
    links += [f"arXiv:2402.{n:05d}" for n in range(5000)]
    replies = await ask(services, "\n".join(links) * 3)  # ~1 MB
    assert ids_of(replies) == KNOWN[:3]
    assert "最多处理 3 篇" in replies[-1].text
    assert len(arxiv_server.requests) == 1  # one batched lookup, for the first three only
    assert arxiv_server.requests[0].query["id_list"].count(",") == 2
    await assert_clean_database(db, set(KNOWN[:3]))


@pytest.mark.parametrize(
    "message",
    [
        "２４０１．１２２１５",
        "arXiv：２４０１．１２２１５ｖ１",
        "\u202e2401.12215\u202c",
        "24\u200b01.122\u200d15",
        "\ufeffhttps://arxiv.org/abs/2401.12215\u2060",
        "看看 https://ａｒｘｉｖ.org/abs/2401.12215 这篇",
        "\x00\x01\x07\x1b[2J 2401.12215 \x7f\x9b",
        "2401.12215'; DROP TABLE chats;--",
        "/paper 2401.12215 OR 1=1; DELETE FROM papers",
    ],
    ids=["fullwidth", "fullwidth-prefix", "rtl", "zero-width", "bom-wj", "fullwidth-host",
         "control", "sql", "sql-or"],
)  # fmt: skip
async def test_tricky_ids_are_read_as_the_real_paper(wired: Any, message: str) -> None:
    services, db = wired
    if message.startswith("/paper"):
        replies = await ask(services, message, command="paper", args=message[7:])
    else:
        replies = await ask(services, message)
    assert ids_of(replies) == [LORA], [r.text for r in replies]
    assert replies[0].summary is not None
    assert replies[0].summary.paper.title.startswith("Less Could Be Better")
    await assert_clean_database(db, {LORA})


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"command": "paper", "args": "'; DROP TABLE papers;--"}, "没有在消息中找到"),
        ({"command": "paper", "args": "2401.1221'; DROP TABLE chats;-- x y"}, "没有在消息中找到"),
        ({"command": "paper", "args": "\x00\x1b\x07"}, "不是有效的 arXiv 编号"),
        ({"command": "paper", "args": "9999.99999"}, "不是有效的 arXiv 编号"),
        ({"command": "settings", "args": "cross '; DROP TABLE chats;--"}, "取值无效"),
        ({"command": "settings", "args": "\x00 on"}, "没有名为"),
        ({"command": "x" * 10_000}, "未知命令"),
        ({"action": "x:f:2401.12215'; DROP TABLE summaries;--"}, "不是有效的 arXiv 编号"),
        ({"action": "fb:1:" + "9" * 100_000}, "不是有效的 arXiv 编号"),
        ({"action": "\x00" * 1000}, None),
    ],
    ids=["paper-sql", "paper-sql-cut", "paper-control", "paper-impossible", "settings-sql",
         "settings-nul", "huge-command", "action-sql", "action-huge", "action-nul"],
)  # fmt: skip
async def test_bad_commands_get_a_clear_reply_and_store_nothing(
    wired: Any, fields: dict[str, Any], expected: str | None
) -> None:
    services, db = wired
    replies = await ask(services, "", **fields)
    [reply] = replies
    shown = reply.text or reply.toast or ""
    assert CJK.search(shown) and len(shown) < 300, shown
    if expected is not None:
        assert expected in shown
    await assert_clean_database(db, set())
    [(settings,)] = await rows(db, "SELECT settings FROM chats")
    assert "DROP" not in str(settings)


async def test_hostile_chat_titles_are_stored_verbatim(wired: Any) -> None:
    services, db = wired
    title = "Robert'); DROP TABLE chats;-- \u202e\u200b\x07\x1b[31m 论文组 🧪"
    await ask(services, "/help", title=title, command="help", chat_kind=ChatKind.GROUP)
    info = await services.chats.get_chat(CHAT)
    assert info is not None and info.title == title and info.kind is ChatKind.GROUP
    # PostgreSQL text cannot hold NUL: it used to fail every request from such a chat
    replies = await ask(services, "/help", title="a\x00b", command="help", chat_kind=ChatKind.GROUP)
    assert replies and replies[0].text
    info = await services.chats.get_chat(CHAT)
    assert info is not None and info.title == "ab"
    assert await rows(db, "SELECT count(*) FROM chats") == [(1,)]
