"""Telegram failures: 429, 403, rejected HTML, group migration, crashes, secrets, webhook."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from bot.config import ConfigError
from bot.ops.logging_setup import NOISY_LOGGERS
from bot.telegram.platform import APOLOGY
from bot.telegram.send import TelegramDeliveryError, send_reply
from handlers.types import ChatKind, ChatRef, ChatUnreachable, Reply
from summarizer.models import Mode, Paper
from tests.fakes.services import FakeSummaries, fake_services
from tests.fakes.telegram_server import TOKEN, USER_ID, FakeTelegram, running_platform

PRIVATE = ChatRef("telegram", str(USER_ID))


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter("%(name)s %(message)s").format(record))


@pytest.fixture
def all_logs() -> Iterator[Capture]:
    """Every record at DEBUG, logger levels as production sets them, and NO redaction:
    the token must simply never be logged."""
    capture = Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    old = {name: logging.getLogger(name).level for name in NOISY_LOGGERS}
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    yield capture
    root.removeHandler(capture)
    root.setLevel(old_level)
    for name, level in old.items():
        logging.getLogger(name).setLevel(level)


class ExplodingSummaries(FakeSummaries):
    async def summarize_paper(self, paper: Paper, mode: Mode, **kwargs: Any) -> Any:
        raise RuntimeError(f"kaboom with {TOKEN}")


async def test_429_waits_retry_after_then_delivers(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    telegram_server.fail_429("sendMessage", retry_after=1)
    telegram_server.push_message("/help")
    first, second = await telegram_server.wait_for("sendMessage", 2)
    assert 1.0 <= second.at - first.at < 1.8  # retry_after (+0.1 s in PTB), not longer
    assert second.params["text"] == first.params["text"]
    assert "/paper" in second.params["text"]


async def test_403_marks_the_chat_inactive_without_apology(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    telegram_server.fail_403("sendMessage")
    telegram_server.push_message("/help")
    await telegram_server.wait_for("sendMessage")
    await telegram_server.settle(0.2)
    chats = telegram_bot.services.chats
    assert (await chats.get_chat(PRIVATE)).active is False
    assert "blocked" in chats.inactive_reasons[PRIVATE]
    assert len(telegram_server.calls_of("sendMessage")) == 1


async def test_bot_added_then_kicked_from_a_group(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    chats = telegram_bot.services.chats
    group = ChatRef("telegram", "-1009876")
    telegram_server.push_my_chat_member(-1009876, "supergroup", "left", "member")
    telegram_server.push_my_chat_member(-1009876, "supergroup", "member", "kicked")
    telegram_server.push_message("/help")  # handled after both updates were fetched
    await telegram_server.wait_for("sendMessage")
    info = await chats.get_chat(group)
    assert info.kind is ChatKind.GROUP and info.active is False


async def test_rejected_html_is_resent_as_plain_text(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    telegram_server.fail_parse("sendMessage")
    telegram_server.push_message("/help")
    rejected, plain = await telegram_server.wait_for("sendMessage", 2)
    assert rejected.params["parse_mode"] == "HTML" and "parse_mode" not in plain.params
    assert plain.params["text"].startswith("📖 paperbot 帮助")

    telegram_server.fail_parse("editMessageText")
    telegram_server.push_message("2401.12215")
    _, plain_edit = await telegram_server.wait_for("editMessageText", 2)
    assert plain_edit.params["text"].startswith("📄 少即是多：参数高效微调推动医学视觉基础模型\n")
    assert "<b>" not in plain_edit.params["text"] and "reply_markup" in plain_edit.params


async def test_migrated_group_is_followed(telegram_server: FakeTelegram, telegram_bot: Any) -> None:
    old_id, new_id = -4001234, -1004001234
    telegram_server.chat(old_id, "group", "Old Group")
    telegram_server.fail_migrate("sendMessage", new_id, chat_id=old_id)
    telegram_server.push_message("/paper 2401.99999", chat_id=old_id, chat_type="group")
    _, resent = await telegram_server.wait_for("sendMessage", 2)
    assert resent.params["chat_id"] == new_id
    assert "reply_parameters" not in resent.params  # the replied-to message stayed behind
    chats = telegram_bot.services.chats
    assert await chats.get_chat(ChatRef("telegram", str(old_id))) is None
    assert (await chats.get_chat(ChatRef("telegram", str(new_id)))).title == "Old Group"


async def test_crash_is_logged_and_answered_with_an_apology_never_the_token(
    telegram_server: FakeTelegram, all_logs: Capture
) -> None:
    services = fake_services()
    services.summaries = ExplodingSummaries(services.papers)
    async with running_platform(telegram_server, services):
        telegram_server.push_message("2401.12215")
        await telegram_server.wait_for("sendMessage")
        await telegram_server.settle(0.2)
    [apology] = telegram_server.calls_of("sendMessage")
    assert apology.params["text"] == APOLOGY
    assert any("telegram update failed" in line for line in all_logs.lines)
    assert any("Traceback" in line or "kaboom" in line for line in all_logs.lines)
    assert len(all_logs.lines) > 10
    secret = TOKEN.split(":", 1)[1]
    assert not [line for line in all_logs.lines if secret in line]


async def test_rejected_token_fails_start_with_a_clear_message(
    telegram_server: FakeTelegram, all_logs: Capture
) -> None:
    wrong = "7000000001:AAwrongTokenWrongTokenWrongToken0123"
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN 被 Telegram 拒绝") as raised:
        async with running_platform(telegram_server, telegram_bot_token=wrong):
            pass
    assert wrong.split(":")[1] not in str(raised.value)
    assert not [line for line in all_logs.lines if wrong.split(":")[1] in line]


async def test_send_reply_helper_returns_ids_and_raises_typed_errors(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    bot = telegram_bot.app.bot
    chats = telegram_bot.services.chats
    ids = await send_reply(bot, USER_ID, Reply(text="🗞 arXiv 每日速递"), chats=chats)
    assert len(ids) == 1 and (USER_ID, ids[0]) in telegram_server.messages
    telegram_server.fail_403("sendMessage")
    with pytest.raises(ChatUnreachable) as unreachable:
        await send_reply(bot, USER_ID, Reply(text="again"), chats=chats)
    assert unreachable.value.chat == PRIVATE and "blocked" in unreachable.value.reason
    assert (await chats.get_chat(PRIVATE)).active is False
    telegram_server.fail("sendMessage", 400, "Bad Request: chat not found")
    with pytest.raises(TelegramDeliveryError) as missing:
        await send_reply(bot, 999, Reply(text="hello"))
    assert missing.value.permanent and "chat not found" in missing.value.reason.lower()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_mode_requires_the_secret(telegram_server: FakeTelegram) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    async with running_platform(
        telegram_server,
        webhook_listen="127.0.0.1",
        telegram_webhook_url=url,
        telegram_webhook_port=port,
    ) as platform:
        hook = telegram_server.webhook
        assert hook["url"] == url
        secret = hook["secret_token"]
        assert secret == platform.webhook_secret and len(secret) >= 32
        assert telegram_server.calls_of("getUpdates") == []
        message = telegram_server.message("/help")
        assert await telegram_server.post_webhook({"message": message}, None) == 403
        assert await telegram_server.post_webhook({"message": message}, "wrong") == 403
        await telegram_server.settle(0.2)
        assert telegram_server.calls_of("sendMessage") == []
        assert await telegram_server.post_webhook({"message": message}, secret) == 200
        [answer] = await telegram_server.wait_for("sendMessage")
        assert answer.params["text"].startswith("📖 paperbot 帮助")
