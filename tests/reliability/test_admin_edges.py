"""Admin checks fail closed at the edges (Telegram): a getChatMember error is "not an admin",
and only the group itself as `sender_chat` (an anonymous administrator) counts as an admin,
not a linked channel or another chat posting in the group."""

from __future__ import annotations

import pytest

from handlers.types import ChatRef
from tests.fakes.services import MemoryChats
from tests.fakes.telegram_server import FakeTelegram, running_platform
from tests.reliability.test_permissions import (
    GROUP,
    REFUSED,
    services_with_subscriptions,
)

ADMIN = 333
CHANNEL_BOT = 136817688  # the `from` of messages a linked channel posts in its group
ANONYMOUS_ADMIN = 1087968824  # GroupAnonymousBot, the `from` of an anonymous admin


@pytest.mark.parametrize(
    ("code", "description"),
    [(400, "Bad Request: user not found"), (500, "Internal Server Error")],
)
async def test_a_failing_get_chat_member_refuses_the_change(
    telegram_server: FakeTelegram, code: int, description: str
) -> None:
    services = services_with_subscriptions()
    telegram_server.chat(GROUP, "supergroup", "Paper Club")
    telegram_server.members[(GROUP, ADMIN)] = "administrator"
    telegram_server.fail("getChatMember", code, description, times=50)
    async with running_platform(telegram_server, services):
        telegram_server.push_message("/settings time 08:00", chat_id=GROUP, user_id=ADMIN)
        [*_, answer] = await telegram_server.wait_for("sendMessage", 1)
    assert answer.params["text"] in REFUSED
    chats = services.chats
    assert isinstance(chats, MemoryChats)
    info = await chats.get_chat(ChatRef("telegram", str(GROUP)))
    assert info is None or info.settings.digest_time != "08:00"


async def test_a_linked_channel_posting_in_the_group_is_not_an_admin(
    telegram_server: FakeTelegram,
) -> None:
    services = services_with_subscriptions()
    telegram_server.chat(GROUP, "supergroup", "Paper Club")
    channel = {"id": -1007770001, "type": "channel", "title": "Linked channel"}
    async with running_platform(telegram_server, services):
        telegram_server.push_message(
            "/sub cs.CL", chat_id=GROUP, user_id=CHANNEL_BOT, sender_chat=channel
        )
        [*_, answer] = await telegram_server.wait_for("sendMessage", 1)
    assert answer.params["text"] in REFUSED


async def test_an_anonymous_admin_posting_as_the_group_is_an_admin(
    telegram_server: FakeTelegram,
) -> None:
    services = services_with_subscriptions()
    group = telegram_server.chat(GROUP, "supergroup", "Paper Club")
    async with running_platform(telegram_server, services):
        telegram_server.push_message(
            "/sub cs.CL", chat_id=GROUP, user_id=ANONYMOUS_ADMIN, sender_chat=group
        )
        [*_, answer] = await telegram_server.wait_for("sendMessage", 1)
    assert answer.params["text"] not in REFUSED
