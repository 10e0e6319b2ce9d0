"""PostgreSQL "restarted" under a running bot (every connection of the test database killed
with pg_terminate_backend, as a server restart does): later requests just work."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text

from handlers.registry import dispatch
from handlers.types import ChatKind, ChatRef, Request
from tests.fakes.arxiv_server import FakeArxivServer
from tests.fakes.databases import asyncpg_dsn, postgres_server_url
from tests.reliability import sql_services

pytestmark = pytest.mark.postgres
CHAT = ChatRef("telegram", "-100424242")


async def kill_connections(database_url: str) -> int:
    """What a server restart does to the bot: every connection to its database dies."""
    admin = await asyncpg.connect(asyncpg_dsn(postgres_server_url()))
    try:
        name = database_url.rsplit("/", 1)[1]
        killed: int = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
    finally:
        await admin.close()
    return killed


async def test_the_bot_survives_database_restarts(
    postgres_database_url: str, arxiv_server: FakeArxivServer
) -> None:
    async with sql_services(postgres_database_url, arxiv_server.url) as (services, db):

        async def call(**fields: Any) -> str:
            request = Request(chat=CHAT, user_id="9", chat_kind=ChatKind.GROUP, chat_title="组", is_admin=True,
                              **fields)  # fmt: skip
            replies = await dispatch(request, services)
            reply = replies[0]
            if reply.summary is not None:
                return f"summary:{reply.summary.paper.arxiv_id}:{reply.summary.cached}"
            return reply.text or reply.toast or ""

        steps: list[dict[str, Any]] = [
            {"command": "settings", "args": "links on"},
            {"text": "https://arxiv.org/abs/2401.12215", "addressed": True},
            {"action": "fb:1:2401.12215"},
            {"command": "settings"},
            {"text": "0804.0970", "addressed": True},
            {"command": "settings", "args": "cross off"},  # `thread` is Discord's only
        ]
        answers = []
        restarts = 0
        for step in steps:
            answers.append(await call(**step))
            assert await kill_connections(postgres_database_url) >= 1  # the pool held one
            restarts += 1
        assert answers[0].startswith("✅") and answers[5].startswith("✅")
        assert answers[1] == "summary:2401.12215:False"
        assert answers[4] == "summary:0804.0970:False"
        assert "自动回复链接：开" in answers[3]
        # a burst right after a restart: pre-ping replaces every dead pooled connection
        burst = await asyncio.gather(*(call(text="2401.12215", addressed=True) for _ in range(10)))
        assert set(burst) == {"summary:2401.12215:True"}
        info = await services.chats.get_chat(CHAT)
        assert info is not None and info.settings.auto_links and not info.settings.include_cross
        async with db.engine.connect() as conn:
            votes = (await conn.execute(text("SELECT count(*) FROM feedback"))).scalar()
        assert votes == 1 and restarts == len(steps)
