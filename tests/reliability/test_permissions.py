"""Permissions: only admins change a group's settings and subscriptions (Telegram and Discord),
chats never see each other's settings, and per-user rate limits hold under a flood."""

from __future__ import annotations

import asyncio

import pytest

from handlers.registry import dispatch
from handlers.services import Services
from handlers.types import ChatKind, ChatRef, Request
from tests.fakes.arxiv_server import FakeArxivServer
from tests.fakes.discord_server import (
    MANAGE_CHANNELS,
    MEMBER_PERMISSIONS,
    FakeDiscord,
    start_discord_bot,
)
from tests.fakes.services import MemoryChats, fake_services
from tests.fakes.subscription_store import MemorySubscriptions
from tests.fakes.telegram_server import FakeTelegram, running_platform
from tests.reliability import sql_services

GROUP = -1005550001
MEMBER, ADMIN = 222, 333
REFUSED = (
    "只有群管理员可以修改本群的设置。",
    "只有群管理员可以修改本群的订阅。",
    # Discord names its own rule (issue 14).
    "只有拥有「管理频道」（Manage Channels）权限的成员可以修改本频道的设置。",
    "只有拥有「管理频道」（Manage Channels）权限的成员可以修改本频道的订阅。",
)
# Every command that changes a chat, with and without arguments.
CHANGES = ["/settings links on", "/settings time 08:00", "/sub cs.CL", "/unsub all", "/pause",
           "/resume"]  # fmt: skip


def services_with_subscriptions() -> Services:
    services = fake_services()
    services.subscriptions = MemorySubscriptions(services.chats)
    return services


async def test_telegram_group_members_cannot_change_the_group(
    telegram_server: FakeTelegram,
) -> None:
    services = services_with_subscriptions()
    chats = services.chats
    assert isinstance(chats, MemoryChats)
    telegram_server.chat(GROUP, "supergroup", "Paper Club")
    telegram_server.members[(GROUP, ADMIN)] = "administrator"
    group = ChatRef("telegram", str(GROUP))
    async with running_platform(telegram_server, services):
        for count, command in enumerate(CHANGES, 1):
            telegram_server.push_message(command, chat_id=GROUP, user_id=MEMBER)
            sent = await telegram_server.wait_for("sendMessage", count)
            assert sent[-1].params["text"] in REFUSED, (command, sent[-1].params["text"])
        info = await chats.get_chat(group)
        assert info is not None and info.settings == type(info.settings)()
        assert await services.subscriptions.list_subscriptions(group) == []  # type: ignore[union-attr]
        # the same commands from an administrator go through
        for count, command in enumerate(CHANGES, len(CHANGES) + 1):
            telegram_server.push_message(command, chat_id=GROUP, user_id=ADMIN)
            sent = await telegram_server.wait_for("sendMessage", count)
            assert sent[-1].params["text"] not in REFUSED, command
    info = await chats.get_chat(group)
    assert info is not None and info.settings.auto_links and info.settings.digest_time == "08:00"


async def test_discord_members_cannot_change_the_channel(discord_server: FakeDiscord) -> None:
    services = services_with_subscriptions()
    platform = await start_discord_bot(discord_server, services)
    channel = ChatRef("discord", "900000000000000200")
    try:
        for permissions, allowed in ((MEMBER_PERMISSIONS, False), (MANAGE_CHANNELS, True)):
            for command in CHANGES:
                name, _, value = command[1:].partition(" ")
                option = {"settings": "change", "sub": "topic", "unsub": "number"}.get(name)
                payload = await discord_server.slash(
                    name, value or None, option=option, permissions=permissions
                )
                path = rf"^/interactions/{payload['id']}/"
                await discord_server.wait_for("POST", path)
                [body] = discord_server.callbacks(payload)
                content = body["data"]["content"]
                assert (content in REFUSED) is not allowed, (command, permissions, content)
                if not allowed:
                    assert body["data"]["flags"] & 64  # ephemeral
            if not allowed:
                info = await services.chats.get_chat(channel)
                assert info is None or info.settings == type(info.settings)()
    finally:
        await platform.stop()
    info = await services.chats.get_chat(channel)
    assert info is not None and info.settings.auto_links


@pytest.mark.parametrize("kind", [ChatKind.GROUP, ChatKind.CHANNEL])
async def test_chats_never_see_or_change_each_other(
    database_url: str, arxiv_server: FakeArxivServer, kind: ChatKind
) -> None:
    async with sql_services(database_url, arxiv_server.url) as (services, _db):
        a, b = ChatRef("telegram", "-1001"), ChatRef("discord", "-1001")  # same id, other platform
        c = ChatRef("telegram", "-1002")

        async def run(chat: ChatRef, command: str, args: str = "", admin: bool = True) -> str:
            request = Request(chat=chat, user_id="5", command=command, args=args,
                              chat_kind=kind, is_admin=admin, chat_title=f"chat {chat}")  # fmt: skip
            # A schedule change may add a question (send today's digest now?): the first
            # reply is the answer to the command.
            replies = await dispatch(request, services)
            return replies[0].text

        assert (await run(a, "settings", "links on")).startswith("✅")
        assert (await run(a, "settings", "time 07:15")).startswith("✅")
        for other in (b, c):
            shown = await run(other, "settings")
            assert "自动回复链接：关" in shown
            assert (await run(other, "settings", "links off")).startswith("✅")
            assert await run(other, "settings", "links on", admin=False) in REFUSED
        info_a = await services.chats.get_chat(a)
        assert info_a is not None and info_a.settings.auto_links
        assert info_a.settings.digest_time == "07:15" and info_a.title == "chat telegram:-1001"
        for other in (b, c):
            info = await services.chats.get_chat(other)
            assert info is not None and not info.settings.auto_links
            assert info.settings.digest_time == "09:30"
        # votes are per chat too
        await dispatch(Request(chat=c, user_id="5", action="fb:1:2401.12215"), services)
        await dispatch(Request(chat=a, user_id="5", action="fb:-1:2401.12215"), services)
        async with _db.engine.connect() as conn:
            from sqlalchemy import text

            votes = (await conn.execute(text("SELECT chat_id, value FROM feedback"))).all()
        assert sorted(map(tuple, votes)) == [("-1001", -1), ("-1002", 1)]


async def test_a_flood_from_one_user_gets_at_most_the_limit(
    database_url: str, arxiv_server: FakeArxivServer
) -> None:
    async with sql_services(database_url, arxiv_server.url, rate_limit=5) as (services, _db):
        chat = ChatRef("telegram", "77")

        def request(user: str, text: str = "https://arxiv.org/abs/2401.12215") -> Request:
            return Request(chat=chat, user_id=user, text=text)

        # One paper asked 100 times at once: repeats cost nothing, one answer is written.
        floods = await asyncio.gather(*(dispatch(request("flooder"), services) for _ in range(100)))
        replies = [reply for replies in floods for reply in replies]
        assert len(replies) == 100 and all(r.summary is not None for r in replies)
        before = len(arxiv_server.requests)
        assert before <= 2  # coalesced (a second look-up can race the first one's save)
        # 30 different papers at once: the 4 hits left go through, 26 are refused before arXiv.
        others = [request("flooder", f"2402.{i:05d}") for i in range(30)]
        floods = await asyncio.gather(*(dispatch(r, services) for r in others))
        replies = [reply for replies in floods for reply in replies]
        refused = [r for r in replies if r.text.startswith("请求太频繁了，请")]
        assert len(replies) == 30 and len(refused) == 26
        assert len(arxiv_server.requests) <= before + 4  # refused ones never reached arXiv
        # another user in the same chat is not punished for the flood
        [other] = await dispatch(request("bystander", "2401.12215"), services)
        assert other.summary is not None


async def test_a_telegram_flood_is_answered_kindly(telegram_server: FakeTelegram) -> None:
    services = fake_services(rate_limit=5)
    async with running_platform(telegram_server, services):
        for i in range(100):
            telegram_server.push_message(f"2402.{i:05d}", user_id=4242, chat_id=4242)
        await telegram_server.wait_for("sendMessage", 100, within=30)
        await telegram_server.settle(0.3)
    # What the chat shows (a call the fake refused with 429 under the 30 msg/s limit and PTB
    # sent again is one message, not two).
    final = [m for (chat, _), m in telegram_server.messages.items() if chat == 4242]
    answered = [m for m in final if str(m["text"]).startswith("找不到论文")]
    kind = [m for m in final if str(m["text"]).startswith("请求太频繁了")]
    assert len(answered) == 5 and len(kind) == 95  # a private chat always hears why


async def test_telegram_forget_needs_an_admin_to_ask_and_to_confirm(
    telegram_server: FakeTelegram,
) -> None:
    """/forget and its 确认删除 button: a member is refused both; an admin's press deletes."""
    services = fake_services()
    chats = services.chats
    assert isinstance(chats, MemoryChats)
    telegram_server.chat(GROUP, "supergroup", "Paper Club")
    telegram_server.members[(GROUP, ADMIN)] = "administrator"
    group = ChatRef("telegram", str(GROUP))
    async with running_platform(telegram_server, services):
        telegram_server.push_message("/forget", chat_id=GROUP, user_id=MEMBER)
        sent = await telegram_server.wait_for("sendMessage", 1)
        assert sent[-1].params["text"] == "只有群管理员可以删除本群的数据。"
        telegram_server.push_message("/forget", chat_id=GROUP, user_id=ADMIN)
        await telegram_server.wait_for("sendMessage", 2)
        [question] = [
            m for (chat, _), m in telegram_server.messages.items()
            if chat == GROUP and "确定要删除本群" in m.get("text", "")
        ]  # fmt: skip
        assert await chats.get_chat(group) is not None

        telegram_server.push_callback("fg:yes", question, user_id=MEMBER)
        answers = await telegram_server.wait_for("answerCallbackQuery", 1)
        assert answers[-1].params.get("text") == "只有群管理员可以删除本群的数据。"
        assert await chats.get_chat(group) is not None

        telegram_server.push_callback("fg:yes", question, user_id=ADMIN)
        edits = await telegram_server.wait_for("editMessageText", 1)
        assert edits[-1].params["text"].startswith("🗑 已删除本群")
    assert await chats.get_chat(group) is None
