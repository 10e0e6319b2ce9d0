"""Replies to the bot's summaries reach the question handler on both platforms, and the answer
goes back as a reply to the person who asked (real PTB / discord.py against the fakes)."""

from __future__ import annotations

from typing import Any

from handlers.types import ChatKind, ChatRef
from tests.fakes.discord_server import BOT_USER as DISCORD_BOT
from tests.fakes.discord_server import CHANNEL_ID, DM_CHANNEL_ID, DiscordBot, embeds_text
from tests.fakes.services import FakeAnswers
from tests.fakes.telegram_server import USER_ID, FakeTelegram

GROUP_ID = -1001234567890
ASKER = 444555666


def telegram_answers(bot: Any) -> FakeAnswers:
    answers = bot.services.answers
    assert isinstance(answers, FakeAnswers)
    return answers


async def test_telegram_reply_to_a_card_is_answered_in_reply_to_the_asker(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    server = telegram_server
    server.chat(GROUP_ID, "supergroup", "Paper Club")
    group: dict[str, Any] = {"chat_id": GROUP_ID, "chat_type": "supergroup"}
    server.push_message("/paper@paperbot_test_bot 2401.12215", **group)
    edited = (await server.wait_for("editMessageText"))[-1]
    card = server.messages[(GROUP_ID, int(edited.params["message_id"]))]
    assert card["reply_markup"]["inline_keyboard"]  # the card carries its paper in its buttons

    question = server.message("LoRA 的秩是多少？", user_id=ASKER, reply_to=card, **group)
    server.push_update({"message": question})
    status = (await server.wait_for("sendMessage", 2))[-1].params
    assert status["text"] == "⏳ 正在阅读论文并查找答案…"
    assert status["reply_parameters"]["message_id"] == question["message_id"]  # to the asker
    answer = (await server.wait_for("editMessageText", 2))[-1].params
    assert answer["text"].startswith("💬 秩为 8。")  # the status message becomes the answer
    [asked] = telegram_answers(telegram_bot).asked
    assert asked["chat"] == f"telegram:{GROUP_ID}" and asked["paper"] == "2401.12215v1"

    # a follow-up replies to the answer: same thread
    sent = max(
        (m for (c, _), m in server.messages.items() if c == GROUP_ID and m["text"][:1] == "💬"),
        key=lambda m: int(m["message_id"]),
    )
    server.push_update({"message": server.message("那 alpha 呢？", reply_to=sent, **group)})
    await server.wait_for("editMessageText", 3)
    first, second = telegram_answers(telegram_bot).asked
    assert second["thread"] == first["thread"]


async def test_discord_reply_to_a_card_is_answered_with_a_reference(
    discord_bot: DiscordBot,
) -> None:
    server = discord_bot.server
    await server.send_message("2401.12215", channel_id=DM_CHANNEL_ID, guild=False)
    await server.wait_for("POST", rf"^/channels/{DM_CHANNEL_ID}/messages$")
    card = list(server.messages.values())[-1]
    assert "少即是多" in embeds_text(card)

    question = await server.send_message(
        "LoRA 的秩是多少？", channel_id=DM_CHANNEL_ID, guild=False, reply_to=card
    )
    _, answer = await server.wait_for("POST", rf"^/channels/{DM_CHANNEL_ID}/messages$", 2)
    assert answer.body["content"].startswith("💬 秩为 8。")
    assert str(answer.body["message_reference"]["message_id"]) == question["id"]
    assert answer.body["allowed_mentions"]["parse"] == []  # nobody is pinged
    answers = discord_bot.services.answers
    assert isinstance(answers, FakeAnswers)
    [asked] = answers.asked
    assert asked["chat"] == f"discord:{DM_CHANNEL_ID}"


async def test_discord_guild_reply_pings_the_bot_and_is_answered(discord_bot: DiscordBot) -> None:
    server = discord_bot.server
    chat = ChatRef("discord", str(CHANNEL_ID))
    await discord_bot.chats.upsert_chat(chat, ChatKind.CHANNEL, None)
    card = server.message_payload(
        "", author=DISCORD_BOT,
        components=[{"type": 1, "components": [
            {"type": 2, "style": 2, "label": "展开完整总结", "custom_id": "x:f:2401.12215v1"}]}],
    )  # fmt: skip
    server.messages[card["id"]] = card
    # Discord's reply "ping" puts the replied-to author in `mentions`
    await server.send_message("方法是什么？", reply_to=card, mentions=[DISCORD_BOT])
    (answer,) = await server.wait_for("POST", rf"^/channels/{CHANNEL_ID}/messages$")
    assert answer.body["content"].startswith("💬")
    answers = discord_bot.services.answers
    assert isinstance(answers, FakeAnswers)
    assert answers.asked[0]["chat"] == str(chat)


async def test_telegram_language_buttons_need_a_group_administrator(
    telegram_server: FakeTelegram, telegram_bot: Any
) -> None:
    server = telegram_server
    server.chat(GROUP_ID, "supergroup", "Paper Club")
    group: dict[str, Any] = {"chat_id": GROUP_ID, "chat_type": "supergroup"}
    server.members[(GROUP_ID, USER_ID)] = "administrator"
    server.push_message("/settings@paperbot_test_bot lang", **group)
    [choice] = await server.wait_for("sendMessage")
    assert [b["callback_data"] for b in choice.params["reply_markup"]["inline_keyboard"][0]] == [
        "lang:zh", "lang:zh-TW", "lang:en",
    ]  # fmt: skip
    sent = server.messages[(GROUP_ID, max(k[1] for k in server.messages if k[0] == GROUP_ID))]
    server.push_callback("lang:en", sent, user_id=ASKER)  # a member
    [refused] = await server.wait_for("answerCallbackQuery")
    assert refused.params["text"] == "只有群管理员可以修改本群的设置。"
    chat = ChatRef("telegram", str(GROUP_ID))
    info = await telegram_bot.services.chats.get_chat(chat)
    assert info.settings.language == "zh"
    server.push_callback("lang:en", sent, user_id=USER_ID)  # the administrator
    edited = (await server.wait_for("editMessageText"))[-1]
    assert edited.params["text"] == "✅ This chat's language is now English."
    info = await telegram_bot.services.chats.get_chat(chat)
    assert info.settings.language == "en"
