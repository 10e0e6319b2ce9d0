"""The Telegram adapter end to end: a real PTB Application against the fake Bot API."""

from __future__ import annotations

from typing import Any

from handlers.registry import COMMANDS
from handlers.types import ChatKind, ChatRef
from tests.fakes.telegram_server import (
    BOT_USERNAME,
    USER_ID,
    FakeTelegram,
    html_errors,
    running_platform,
)

LINK_MESSAGE = "看看这篇 https://arxiv.org/abs/2401.12215v1 。"
GROUP_ID = -1001234567890
OTHER_USER = 444555666
PRIVATE = ChatRef("telegram", str(USER_ID))

NOT_ADMIN = "只有群管理员可以修改本群的设置。"


def buttons(call_params: dict[str, Any]) -> list[dict[str, Any]]:
    rows = (call_params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def mention(text: str) -> dict[str, Any]:
    at = f"@{BOT_USERNAME}"
    return {
        "text": f"{at} {text}",
        "entities": [{"type": "mention", "offset": 0, "length": len(at)}],
    }


async def last_text(server: FakeTelegram, count: int) -> str:
    calls = await server.wait_for("sendMessage", count)
    return str(calls[-1].params["text"])


async def test_private_link_gets_typing_status_then_summary_with_buttons(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    telegram_server.push_message(LINK_MESSAGE)
    [edit] = await telegram_server.wait_for("editMessageText")
    [status] = telegram_server.calls_of("sendMessage")
    assert status.params["text"].startswith("⏳ 正在")
    [typing] = telegram_server.calls_of("sendChatAction")
    assert typing.params == {"chat_id": USER_ID, "action": "typing"}
    status_message = next(m for m in telegram_server.messages.values() if m["from"]["is_bot"])
    assert edit.params["message_id"] == status_message["message_id"]
    text = edit.params["text"]
    assert text.startswith(
        "📄 <b>少即是多：参数高效微调推动医学视觉基础模型</b>\n<i>Less Could Be Better"
    )
    assert "\n\n<b>一句话</b>：在胸片基础模型上" in text
    assert "<b>要点</b>\n• 系统比较参数高效微调（PEFT）" in text
    assert edit.params["parse_mode"] == "HTML"
    labels = [b["text"] for b in buttons(edit.params)]
    assert labels == ["展开完整总结", "原文", "PDF", "👍", "👎"]
    assert buttons(edit.params)[0]["callback_data"] == "x:f:2401.12215v1"
    assert buttons(edit.params)[1]["url"] == "https://arxiv.org/abs/2401.12215v1"
    info = await telegram_bot.services.chats.get_chat(PRIVATE)
    assert info is not None and info.kind is ChatKind.PRIVATE and info.title is None

    # the same paper again is cached: answered at once, no status message, no edit
    telegram_server.push_message(LINK_MESSAGE)
    answer = await last_text(telegram_server, 2)
    await telegram_server.settle(0.2)
    assert answer == text
    assert len(telegram_server.calls_of("editMessageText")) == 1
    assert len(telegram_server.calls_of("sendMessage")) == 2
    assert len(telegram_server.calls_of("sendChatAction")) == 2
    # The repeat came from the stored summary: one request in all, one model call.
    assert sum(telegram_bot.services.summaries.requests.values()) == 1
    assert telegram_bot.services.summaries.model_calls == 1


async def test_set_my_commands_lists_the_registry_in_chinese(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    [call] = telegram_server.calls_of("setMyCommands")
    expected = [{"command": c.name, "description": c.description} for c in COMMANDS.values()]
    assert call.params["commands"] == expected
    assert {"paper", "help", "settings"} <= {c["command"] for c in call.params["commands"]}


async def test_paper_command_errors_are_clear_chinese(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    telegram_server.push_message("/paper 2401.99999")
    assert (
        await last_text(telegram_server, 1) == "找不到论文 arXiv:2401.99999，请检查编号是否正确。"
    )
    telegram_server.push_message("/paper abc")
    assert (await last_text(telegram_server, 2)).startswith("「abc」不是有效的 arXiv 编号")
    telegram_server.push_message("/frobnicate")
    assert "未知命令 /frobnicate" in await last_text(telegram_server, 3)
    telegram_server.push_message("你好")
    assert "没有在消息中找到 arXiv 链接" in await last_text(telegram_server, 4)


async def test_group_answers_only_when_addressed_or_auto_links(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    server = telegram_server
    server.chat(GROUP_ID, "supergroup", "Paper Club")
    group: dict[str, Any] = {"chat_id": GROUP_ID, "chat_type": "supergroup"}
    server.push_message("大家看 2401.12215", **group)
    server.push_message("/paper@some_other_bot 2401.12215", **group)
    server.push_message("/other_bots_command", **group)
    await server.settle(0.3)
    assert server.calls_of("sendMessage", "sendChatAction") == []

    server.push_message(**mention("2401.12215 讲了什么？"), **group)
    first = (await server.wait_for("editMessageText"))[-1]
    assert first.params["text"].startswith("📄 <b>少即是多")
    status = server.calls_of("sendMessage")[0]
    assert status.params["reply_parameters"]["message_id"] > 0  # answers as a reply
    info = await telegram_bot.services.chats.get_chat(ChatRef("telegram", str(GROUP_ID)))
    assert info.kind is ChatKind.GROUP and info.title == "Paper Club"

    server.push_message("/paper@PaperBot_Test_Bot 2401.12215", **group)
    assert (await last_text(server, 2)).startswith("📄")
    server.push_message("这篇呢？2401.12215", reply_to_bot=True, **group)
    assert (await last_text(server, 3)).startswith("📄")

    # a member may look at the settings but not change them
    server.push_message("/settings", user_id=OTHER_USER, **group)
    assert (await last_text(server, 4)).startswith("⚙️ 设置（Telegram 群组）")
    assert server.calls_of("getChatMember") == []
    server.push_message("/settings links on", user_id=OTHER_USER, **group)
    assert await last_text(server, 5) == NOT_ADMIN
    [member_check] = server.calls_of("getChatMember")
    assert member_check.params == {"chat_id": GROUP_ID, "user_id": OTHER_USER}

    # an administrator turns auto_links on: plain links are now answered
    server.members[(GROUP_ID, USER_ID)] = "administrator"
    server.push_message("/settings links on", **group)
    assert (await last_text(server, 6)).startswith("✅ 已开启自动回复链接")
    server.push_message("大家看 2401.12215", **group)
    assert (await last_text(server, 7)).startswith("📄")
    assert len(server.calls_of("getChatMember")) == 2


async def test_expand_button_edits_in_place_and_feedback_answers_with_a_toast(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    server = telegram_server
    server.push_message("2401.12215")
    [summary_call] = await server.wait_for("editMessageText")
    message_id = summary_call.params["message_id"]
    pressed = server.messages[(USER_ID, message_id)]

    server.push_callback("x:f:2401.12215v1", pressed)
    edits = await server.wait_for("editMessageText", 2)
    [answer] = await server.wait_for("answerCallbackQuery")
    full = edits[-1].params
    assert full["message_id"] == message_id
    for heading in ("题目", "作者", "关键词", "链接", "摘要", "方法", "结论"):
        assert f"<b>{heading}</b>" in full["text"]
    assert '<a href="https://arxiv.org/pdf/2401.12215v1">PDF</a>' in full["text"]
    assert buttons(full)[0]["text"] == "收起"
    assert html_errors(full["text"])[0] == []
    assert answer.params["callback_query_id"]
    assert len(server.calls_of("sendMessage")) == 1  # no new message for an edit

    _, query_id = server.push_callback("fb:1:2401.12215v1", server.messages[(USER_ID, message_id)])
    answers = await server.wait_for("answerCallbackQuery", 2)
    assert answers[-1].params == {"callback_query_id": query_id, "text": "感谢反馈！👍"}
    votes = telegram_bot.services.feedback.votes
    assert votes[(PRIVATE, str(USER_ID), "2401.12215")] == 1

    server.push_callback("nonsense", pressed)
    answers = await server.wait_for("answerCallbackQuery", 3)
    assert answers[-1].params["text"] == "这个按钮已失效。"


async def test_long_summary_is_split_into_valid_html_messages(
    telegram_server: FakeTelegram,
) -> None:
    from tests.fakes.services import fake_services, sample_paper

    sentence = "We show that x < y & z > w holds for <b>every</b> model in the benchmark. "
    paper = sample_paper(abstract=sentence * 160)  # ~11,800 characters
    services = fake_services([paper], status="extractive")
    async with running_platform(telegram_server, services):
        telegram_server.push_message("/paper 2401.12215")
        await telegram_server.wait_for("editMessageText")
        await telegram_server.settle(0.2)
    calls = (
        telegram_server.calls_of("editMessageText") + telegram_server.calls_of("sendMessage")[1:]
    )
    assert len(calls) >= 3
    texts = [str(call.params["text"]) for call in calls]
    for text in texts:
        assert len(text) <= 4096
        errors, _ = html_errors(text)
        assert errors == []
    assert "&lt;b&gt;every&lt;/b&gt;" in texts[1]
    assert [bool(buttons(call.params)) for call in calls] == [False] * (len(calls) - 1) + [True]
    stripped = "".join(html_errors(text)[1] for text in texts).replace("\n", "")
    assert stripped.count("holds for <b>every</b> model") == 160


async def test_a_digest_number_button_opens_the_card_as_a_reply(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    server = telegram_server
    server.push_message("2401.12215")  # any message of ours to press a button on
    [summary_call] = await server.wait_for("editMessageText")
    pressed = server.messages[(USER_ID, summary_call.params["message_id"])]
    sent_before = len(server.calls_of("sendMessage"))
    server.push_callback("p:2401.12215v1:20261125", pressed)
    calls = await server.wait_for("sendMessage", sent_before + 1)
    card = calls[-1].params
    assert card["reply_parameters"]["message_id"] == pressed["message_id"]  # as a reply
    assert "2026-11-25" in card["text"] and "2024-01-22" not in card["text"]  # one date
    assert [b["text"] for b in buttons(card)][:3] == ["展开完整总结", "原文", "PDF"]
