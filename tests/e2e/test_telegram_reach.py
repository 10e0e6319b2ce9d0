"""Telegram reach and responsiveness through real PTB and the fake Bot API: streamed previews
(drafts in private chats, status edits in groups), channels as digest targets, inline and guest
answers, and the polling connection's drop/recovery log."""

from __future__ import annotations

import logging

import pytest

from handlers.services import Services
from handlers.types import ChatRef
from tests.fakes.services import FakeSummaries, fake_services
from tests.fakes.subscription_store import MemorySubscriptions
from tests.fakes.telegram_server import BOT_ID, USER_ID, FakeTelegram, running_platform

PAPER = "2401.12215"
GROUP = -1001234567890
CHANNEL = -1009990001112


def streaming_services(pause: float = 0.0) -> tuple[Services, FakeSummaries]:
    services = fake_services()
    services.subscriptions = MemorySubscriptions(services.chats)
    summaries = services.summaries
    assert isinstance(summaries, FakeSummaries)
    summaries.streams, summaries.stream_pause = True, pause
    return services, summaries


async def test_private_chat_streams_into_a_draft_then_sends_the_whole(
    telegram_server: FakeTelegram,
) -> None:
    services, _ = streaming_services()
    async with running_platform(telegram_server, services):
        telegram_server.push_message(PAPER)
        await telegram_server.wait_for("sendMessage", 2)  # the status, then the answer
        await telegram_server.settle()
    drafts = telegram_server.calls_of("sendMessageDraft")
    assert drafts, "no draft shown"
    first = str(drafts[0].params["text"])
    assert "少即是多" in first and "正在继续生成" in first  # the title passed: shown first
    assert drafts[0].params["chat_id"] == USER_ID and int(drafts[0].params["draft_id"]) != 0
    final = telegram_server.calls_of("sendMessage")[-1].params
    assert "少即是多" in final["text"] and "reply_markup" in final  # the checked whole
    assert drafts[0].at < telegram_server.calls_of("sendMessage")[-1].at
    assert telegram_server.calls_of("deleteMessage")  # the status gave way to the answer
    assert not [
        c for c in telegram_server.calls_of("editMessageText") if "要点" in c.params["text"]
    ]


async def test_group_streams_by_editing_the_status_message(telegram_server: FakeTelegram) -> None:
    services, _ = streaming_services()
    telegram_server.chat(GROUP, "supergroup", "读书会")
    async with running_platform(telegram_server, services):
        telegram_server.push_message(f"/paper {PAPER}", chat_id=GROUP, chat_type="supergroup")
        await telegram_server.wait_for("editMessageText", 2)
        await telegram_server.settle()
    assert not telegram_server.calls_of("sendMessageDraft")  # drafts are for private chats
    edits = [str(c.params["text"]) for c in telegram_server.calls_of("editMessageText")]
    previews = [t for t in edits if "正在继续生成" in t]
    assert previews and "少即是多" in previews[0]
    assert "正在继续生成" not in edits[-1] and "要点" in edits[-1]
    [status] = [m for m in telegram_server.messages.values() if m["chat"]["id"] == GROUP]
    assert "reply_markup" in status  # the status message became the answer


async def test_a_channel_subscribes_by_posting_a_command(telegram_server: FakeTelegram) -> None:
    services, _ = streaming_services()
    telegram_server.channel(CHANNEL, "arxiv_daily_cn", "arXiv 每日速递")
    async with running_platform(telegram_server, services):
        telegram_server.push_channel_post(CHANNEL, "/sub cs.CL")
        await telegram_server.wait_for("sendMessage", 1)
        await telegram_server.settle()
    subscriptions = services.subscriptions
    assert isinstance(subscriptions, MemorySubscriptions)
    assert [r.topic.raw for r in subscriptions.rows.values()] == ["cs.CL"]
    assert {r.chat for r in subscriptions.rows.values()} == {ChatRef("telegram", str(CHANNEL))}
    [answer] = telegram_server.calls_of("sendMessage")
    assert answer.params["chat_id"] == CHANNEL and "cs.CL" in str(answer.params["text"])
    info = await services.chats.get_chat(ChatRef("telegram", str(CHANNEL)))
    assert info is not None
    assert info.kind == "channel" and info.title == "arXiv 每日速递"


@pytest.mark.parametrize("admin", [True, False])
async def test_sub_at_channel_from_a_private_chat(
    telegram_server: FakeTelegram, admin: bool
) -> None:
    services, _ = streaming_services()
    telegram_server.channel(CHANNEL, "arxiv_daily_cn", "arXiv 每日速递")
    telegram_server.members[(CHANNEL, BOT_ID)] = "administrator"
    telegram_server.members[(CHANNEL, USER_ID)] = "creator" if admin else "member"
    async with running_platform(telegram_server, services):
        telegram_server.push_message("/sub @arxiv_daily_cn cs.CL")
        await telegram_server.wait_for("sendMessage", 1)
        await telegram_server.settle()
    [answer] = telegram_server.calls_of("sendMessage")
    assert answer.params["chat_id"] == USER_ID  # answered where it was asked
    assert isinstance(services.subscriptions, MemorySubscriptions)
    rows = services.subscriptions.rows.values()
    if admin:
        assert [(r.chat.chat_id, r.topic.raw) for r in rows] == [(str(CHANNEL), "cs.CL")]
        assert str(answer.params["text"]).startswith("📢 频道「arXiv 每日速递」：")
    else:
        assert list(rows) == []
        assert "只有频道「arXiv 每日速递」的管理员" in str(answer.params["text"])
    calls = telegram_server.calls_of("getChatMember")
    checked = {(c.params["chat_id"], c.params["user_id"]) for c in calls}
    assert (CHANNEL, USER_ID) in checked


async def test_sub_at_channel_where_the_bot_cannot_post(telegram_server: FakeTelegram) -> None:
    services, _ = streaming_services()
    telegram_server.channel(CHANNEL, "arxiv_daily_cn", "arXiv 每日速递")
    telegram_server.members[(CHANNEL, USER_ID)] = "administrator"
    async with running_platform(telegram_server, services):
        telegram_server.push_message("/sub @arxiv_daily_cn cs.CL")
        await telegram_server.wait_for("sendMessage", 1)
        await telegram_server.settle()
    [answer] = telegram_server.calls_of("sendMessage")
    assert "请先把我加为频道「arXiv 每日速递」的管理员" in str(answer.params["text"])


async def test_inline_query_cached_and_uncached(telegram_server: FakeTelegram) -> None:
    services, summaries = streaming_services()
    async with running_platform(telegram_server, services):
        telegram_server.push_inline_query(f"https://arxiv.org/abs/{PAPER}")
        await telegram_server.wait_for("answerInlineQuery", 1)
        [answer] = telegram_server.inline_answers.values()
        [working] = answer["results"]
        assert working["id"] == f"s:{PAPER}" and answer["cache_time"] == 0
        assert "正在生成" in working["input_message_content"]["message_text"]
        inline_id = telegram_server.push_chosen_inline_result(working["id"], PAPER)
        await telegram_server.wait_for("editMessageText", 1)
        await telegram_server.settle()
        assert summaries.model_calls == 1
        final = telegram_server.inline_messages[inline_id]
        assert "少即是多" in final["text"] and "正在继续生成" not in final["text"]
        # now cached: the summary itself is the result
        telegram_server.push_inline_query(PAPER)
        await telegram_server.wait_for("answerInlineQuery", 2)
        [*_, cached] = list(telegram_server.inline_answers.values())
        [article] = cached["results"]
        assert "少即是多" in article["input_message_content"]["message_text"]
        assert article["input_message_content"]["parse_mode"] == "HTML"
        assert summaries.model_calls == 1


async def test_guest_mode_answers_in_a_chat_without_the_bot(telegram_server: FakeTelegram) -> None:
    services, summaries = streaming_services()
    async with running_platform(telegram_server, services):
        query_id = telegram_server.push_guest_message(f"@paperbot_test_bot {PAPER}")
        await telegram_server.wait_for("answerGuestQuery", 1)
        await telegram_server.wait_for("editMessageText", 1)
        await telegram_server.settle()
    [call] = telegram_server.calls_of("answerGuestQuery")
    assert call.params["guest_query_id"] == query_id
    assert "正在生成" in call.params["result"]["input_message_content"]["message_text"]
    inline_id = telegram_server.guest_answers[query_id]
    assert "少即是多" in telegram_server.inline_messages[inline_id]["text"]
    assert summaries.model_calls == 1
    assert not telegram_server.calls_of("sendMessage")  # nothing through the normal route


async def test_polling_says_once_when_the_connection_drops_and_when_it_is_back(
    telegram_server: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.ops.network")
    async with running_platform(telegram_server, fake_services(), poll_timeout=1):
        await telegram_server.wait_for("getUpdates", 1)
        telegram_server.drop("getUpdates", times=3)  # three failed polls in a row
        # the poll in flight, three dropped ones (PTB waits 1, 1.5, 2.25 s), one that answers
        await telegram_server.wait_for("getUpdates", 5, within=30)
        telegram_server.push_message(PAPER)
        await telegram_server.wait_for("sendMessage", 1, within=30)
        await telegram_server.settle()
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.ops.network"]
    lost = [line for line in lines if "connection lost" in line]
    back = [line for line in lines if "connection is back" in line]
    assert len(lost) == 1 and len(back) == 1, lines
    assert "failed attempts" in back[0]
