"""Telegram faults (429 storms, 5xx, timeouts, dropped connections) through the real PTB
adapter: every reply is delivered exactly once, and never before retry_after has passed."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from bot.telegram.send import TelegramDeliveryError, send_reply
from handlers.types import Reply
from tests.fakes.telegram_server import USER_ID, FakeTelegram, running_platform

HELP_START = "📖 paperbot 帮助"
# PTB waits retry_after + 0.1 s; the rest is scheduling on a loaded machine. A wait twice as
# long as asked (or a fixed backoff) exceeds it.
SLACK = 0.8
SUMMARY_START = "📄 少即是多"


def delivered(server: FakeTelegram, start: str, chat_id: int = USER_ID) -> list[str]:
    return [t for t in server.stored_texts(chat_id) if t.startswith(start)]


async def test_a_429_storm_is_waited_out_and_delivers_once(telegram_server: FakeTelegram) -> None:
    storm = 5  # consecutive 429s, each with retry_after=1
    telegram_server.fail_429("sendMessage", retry_after=1, times=storm)
    async with running_platform(telegram_server):
        telegram_server.push_message("/help")
        calls = await telegram_server.wait_for("sendMessage", storm + 1, within=20)
        await telegram_server.settle(0.3)
    assert len(telegram_server.calls_of("sendMessage")) == storm + 1
    gaps = [b.at - a.at for a, b in itertools.pairwise(calls)]
    assert min(gaps) >= 1.0, gaps  # never before retry_after
    assert max(gaps) < 1.0 + SLACK, gaps  # and not much after: "wait exactly retry_after"
    assert len({c.params["text"] for c in calls}) == 1  # the same message, resent
    assert len(delivered(telegram_server, HELP_START)) == 1


async def test_429_on_a_summary_edit_keeps_the_answer_single(telegram_server: FakeTelegram) -> None:
    telegram_server.fail_429("editMessageText", retry_after=1, times=2)
    async with running_platform(telegram_server):
        telegram_server.push_message("2401.12215")
        await telegram_server.wait_for("editMessageText", 3, within=10)
        await telegram_server.settle(0.3)
    edits = telegram_server.calls_of("editMessageText")
    gaps = [b.at - a.at for a, b in itertools.pairwise(edits)]
    assert min(gaps) >= 1.0 and max(gaps) < 1.0 + SLACK, gaps
    assert len(delivered(telegram_server, SUMMARY_START)) == 1
    assert telegram_server.stored_texts(USER_ID) == delivered(telegram_server, SUMMARY_START)


FAULTS = {
    "500": lambda s, m, c: s.fail(m, 500, "Internal Server Error", times=2, chat_id=c),
    "502": lambda s, m, c: s.fail(m, 502, "Bad Gateway", chat_id=c),
    "503-504": lambda s, m, c: (s.fail(m, 503, "Service Unavailable", chat_id=c),
                                s.fail(m, 504, "Gateway Timeout", chat_id=c)),
    "timeout": lambda s, m, c: s.delay(m, 1.5, times=2, chat_id=c),
    "dropped": lambda s, m, c: s.drop(m, times=2, chat_id=c),
}  # fmt: skip
FAILED_CALLS = {"500": 2, "502": 1, "503-504": 2, "timeout": 2, "dropped": 2}


@pytest.mark.parametrize("method", ["sendMessage", "editMessageText"])
async def test_transient_failures_are_retried_and_deliver_once(
    telegram_server: FakeTelegram, method: str
) -> None:
    """Each fault kind hits its own chat (all at once): the status message (sendMessage) or
    its edit into the summary (editMessageText) fails, is retried, and lands exactly once."""
    chats = {fault: USER_ID + n for n, fault in enumerate(FAULTS, 1)}
    for fault, chat_id in chats.items():
        FAULTS[fault](telegram_server, method, chat_id)
    async with running_platform(telegram_server, read_timeout=0.5):
        for chat_id in chats.values():
            telegram_server.push_message("2401.12215", chat_id=chat_id, user_id=chat_id)
        for _ in range(100):
            if all(delivered(telegram_server, SUMMARY_START, c) for c in chats.values()):
                break
            await telegram_server.settle(0.1)
        await telegram_server.settle(0.3)
    for fault, chat_id in chats.items():
        # the summary exists once, and nothing else is left in the chat (no stray ⏳ status)
        assert telegram_server.stored_texts(chat_id) == delivered(
            telegram_server, SUMMARY_START, chat_id
        ), (fault, telegram_server.stored_texts(chat_id))
        assert len(telegram_server.stored_texts(chat_id)) == 1, fault
        attempts = [c for c in telegram_server.calls_of(method) if c.params["chat_id"] == chat_id]
        assert len(attempts) >= FAILED_CALLS[fault] + 1, fault  # the faults happened
    assert not [t for t in telegram_server.sent_texts() if t.startswith("抱歉")]


async def test_digest_sends_are_not_resent_on_an_ambiguous_failure(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    """send_reply (the digest's path) keeps its own ledger: a 5xx raises, never resends."""
    telegram_server.fail("sendMessage", 500, "Internal Server Error")
    with pytest.raises(TelegramDeliveryError) as failed:
        await send_reply(telegram_bot.app.bot, USER_ID, Reply(text="🗞 今日速递"))
    assert not failed.value.permanent
    assert len(telegram_server.calls_of("sendMessage")) == 1
