"""End to end: slow handlers, crashing handlers, unreachable channels and DMs on Discord."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.discord.interactions import GENERIC_ERROR
from handlers.ports import ProgressFn
from handlers.types import ChatKind, ChatRef, ChatUnreachable, Reply
from summarizer.models import Mode, Paper, SummaryResult
from summarizer.streaming import PreviewFn
from tests.fakes.discord_server import (
    APP_ID,
    BOT_USER,
    CHANNEL_ID,
    DM_CHANNEL_ID,
    DiscordBot,
    FakeDiscord,
    start_discord_bot,
)
from tests.fakes.services import FakePapers, FakeSummaries, fake_services

PAPER = "2401.12215"
CHAT = ChatRef("discord", str(CHANNEL_ID))


class SilentSlowSummaries(FakeSummaries):
    """Slow work that never reports progress: only the adapter's timer can defer in time."""

    async def summarize_paper(
        self,
        paper: Paper,
        mode: Mode,
        *,
        progress: ProgressFn | None = None,
        chat: str | None = None,
        language: str | None = None,
        preview: PreviewFn | None = None,
    ) -> SummaryResult:
        await asyncio.sleep(0.6)
        return await super().summarize_paper(paper, mode, progress=None, chat=chat)


class BrokenSummaries(FakeSummaries):
    async def summarize_paper(
        self,
        paper: Paper,
        mode: Mode,
        *,
        progress: ProgressFn | None = None,
        chat: str | None = None,
        language: str | None = None,
        preview: PreviewFn | None = None,
    ) -> SummaryResult:
        raise RuntimeError("bug in the summarizer")

    async def summarize(self, *args: object, **kwargs: object) -> SummaryResult:
        raise RuntimeError("bug in the summarizer")


async def bot_with(
    server: FakeDiscord, summaries: type[FakeSummaries], **settings: object
) -> DiscordBot:
    services = fake_services()
    assert isinstance(services.papers, FakePapers)
    services.summaries = summaries(services.papers)
    platform = await start_discord_bot(server, services, defer_after=0.2, **settings)
    return DiscordBot(platform, services, server)


@pytest.fixture
async def slow_bot(discord_server: FakeDiscord) -> AsyncIterator[DiscordBot]:
    bot = await bot_with(discord_server, SilentSlowSummaries)
    yield bot
    await bot.platform.stop()


@pytest.fixture
async def broken_bot(discord_server: FakeDiscord) -> AsyncIterator[DiscordBot]:
    bot = await bot_with(discord_server, BrokenSummaries, discord_message_content=True)
    yield bot
    await bot.platform.stop()


async def wait_inactive(bot: DiscordBot, chat: ChatRef) -> None:
    async def poll() -> None:
        while True:
            info = await bot.chats.get_chat(chat)
            if info is not None and not info.active:
                return
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), 5)


async def test_slow_handler_without_progress_is_deferred_by_timer(slow_bot: DiscordBot) -> None:
    server = slow_bot.server
    payload = await server.slash("paper", PAPER, option="link")
    (followup,) = await server.wait_for("POST", rf"^/webhooks/{APP_ID}/{payload['token']}$")
    assert server.callbacks(payload) == [{"type": 5}]
    defer_at = next(i for i, c in enumerate(server.calls) if c.path.endswith("/callback"))
    assert defer_at < server.calls.index(followup)
    assert followup.body["embeds"]


async def test_crashing_command_gets_the_generic_apology(broken_bot: DiscordBot) -> None:
    payload = await broken_bot.server.slash("paper", PAPER, option="link")
    await broken_bot.server.wait_for("POST", rf"^/interactions/{payload['id']}/")
    (answer,) = broken_bot.server.callbacks(payload)
    assert answer["type"] == 4
    assert answer["data"]["content"] == GENERIC_ERROR
    assert answer["data"]["flags"] & 64


async def test_crashing_button_gets_the_generic_apology(broken_bot: DiscordBot) -> None:
    server = broken_bot.server
    action = f"x:f:{PAPER}v1"
    message = server.message_payload(
        "",
        author=BOT_USER,
        components=[
            {
                "type": 1,
                "components": [{"type": 2, "style": 2, "label": "展开", "custom_id": action}],
            }
        ],
    )
    payload = server.interaction_payload(
        {"custom_id": action, "component_type": 2}, kind=3, message=message
    )
    await server.dispatch("INTERACTION_CREATE", payload)
    await server.wait_for("POST", rf"^/interactions/{payload['id']}/")
    (answer,) = server.callbacks(payload)
    assert answer["data"]["content"] == GENERIC_ERROR


async def test_deleted_channel_marks_chat_inactive(discord_bot: DiscordBot) -> None:
    discord_bot.server.fail("POST", rf"^/channels/{CHANNEL_ID}/messages$", 404)
    with pytest.raises(ChatUnreachable):
        await discord_bot.platform.send_reply(CHANNEL_ID, Reply(text="今日速递"))
    assert "404" in (discord_bot.chats.inactive_reasons[CHAT] or "")


async def test_forbidden_reply_to_a_mention_marks_chat_inactive(
    discord_server: FakeDiscord,
) -> None:
    bot = await bot_with(discord_server, FakeSummaries)
    try:
        discord_server.fail("POST", rf"^/channels/{CHANNEL_ID}/messages$", 403)
        await discord_server.send_message(f"<@{APP_ID}> {PAPER}", mentions=[BOT_USER])
        await wait_inactive(bot, CHAT)
        (attempt,) = discord_server.find("POST", rf"^/channels/{CHANNEL_ID}/messages$")
        assert attempt.body["message_reference"]["message_id"]  # answered as a reply
        assert attempt.body["allowed_mentions"]["parse"] == []
    finally:
        await bot.platform.stop()


async def test_settings_in_dm_need_no_permissions(discord_bot: DiscordBot) -> None:
    payload = await discord_bot.server.slash(
        "settings", "cross off", option="change", dm=True, permissions=0
    )  # a digest setting: `links` is a group setting, not offered in a DM (issue 14)
    await discord_bot.server.wait_for("POST", rf"^/interactions/{payload['id']}/")
    (answer,) = discord_bot.server.callbacks(payload)
    assert answer["data"]["content"].startswith("✅")
    info = await discord_bot.chats.get_chat(ChatRef("discord", str(DM_CHANNEL_ID)))
    assert info is not None
    assert info.kind is ChatKind.PRIVATE
    assert info.settings.include_cross is False
