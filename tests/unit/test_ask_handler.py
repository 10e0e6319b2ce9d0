"""`/ask` and replies to summaries/answers, through the dispatcher with our own fakes."""

from __future__ import annotations

import re

from handlers.ports import ChatSettings
from handlers.registry import dispatch
from handlers.services import Services
from handlers.types import ChatKind, ChatRef, RepliedMessage, Reply, Request
from tests.fakes.services import FakeAnswers, fake_services

CHAT = ChatRef("telegram", "-100777")
OTHER = ChatRef("telegram", "-100888")
CARD_ACTIONS = ("x:f:2401.12215v1", "fb:1:2401.12215v1", "fb:-1:2401.12215v1")


def answers(services: Services) -> FakeAnswers:
    assert isinstance(services.answers, FakeAnswers)
    return services.answers


def ask(text: str, chat: ChatRef = CHAT, user: str = "7") -> Request:
    return Request(
        chat=chat, user_id=user, text=f"/ask {text}", command="ask", args=text,
        chat_kind=ChatKind.GROUP, is_admin=False,
    )  # fmt: skip


def reply_to(
    text: str, actions: tuple[str, ...], *, body: str = "", chat: ChatRef = CHAT
) -> Request:
    return Request(
        chat=chat, user_id="8", text=text, chat_kind=ChatKind.GROUP, is_admin=False,
        addressed=True, reply_to=RepliedMessage("55", from_bot=True, text=body, actions=actions),
    )  # fmt: skip


def thread_of(reply: Reply) -> str:
    action = next(b.action for b in reply.buttons if b.action and b.action.startswith("q:"))
    return action.rsplit(":", 1)[1]


async def test_ask_command_answers_with_sources_and_a_follow_up_button() -> None:
    services = fake_services()
    [reply] = await dispatch(ask("2401.12215 LoRA 的秩是多少？"), services)
    assert reply.text.splitlines()[0] == "💬 秩为 8。"
    assert "📍 出处：§3.1" in reply.text and "arXiv:2401.12215v1" in reply.text
    assert re.fullmatch(r"q:2401\.12215v1:[0-9a-f]{12}", reply.buttons[0].action or "")
    [call] = answers(services).asked
    assert call["chat"] == str(CHAT) and call["question"] == "LoRA 的秩是多少？"


async def test_replies_to_a_card_start_a_thread_and_replies_to_an_answer_continue_it() -> None:
    services = fake_services()
    [first] = await dispatch(reply_to("用了哪些数据集？", CARD_ACTIONS), services)
    thread = thread_of(first)
    answer_actions = tuple(b.action for b in first.buttons if b.action)
    [second] = await dispatch(reply_to("那秩呢？", answer_actions), services)
    assert thread_of(second) == thread
    asked = answers(services).asked
    assert [a["thread"] for a in asked] == [thread, thread]
    assert asked[0]["paper"] == "2401.12215v1"


async def test_a_card_without_buttons_is_found_by_its_arxiv_line() -> None:
    services = fake_services()
    body = "📄 少即是多\nChenyu Lian · cs.CV · 2024-01-22 · arXiv:2401.12215v1"
    [reply] = await dispatch(reply_to("方法是什么？", (), body=body), services)
    assert reply.text.startswith("💬")


async def test_a_digest_with_several_papers_asks_which_one() -> None:
    services = fake_services()
    body = "1️⃣ A · arXiv:2401.12215 · PDF\n2️⃣ B · arXiv:2401.10506 · PDF"
    [reply] = await dispatch(reply_to("这篇讲什么？", (), body=body), services)
    assert "请回复其中一篇的卡片" in reply.text and not answers(services).asked


async def test_a_reply_holding_a_link_is_a_new_paper_not_a_question() -> None:
    services = fake_services()
    replies = await dispatch(reply_to("还有这篇 2401.12215", CARD_ACTIONS), services)
    assert replies[0].summary is not None and not answers(services).asked


async def test_replies_to_someone_else_are_not_questions() -> None:
    services = fake_services()
    request = Request(
        chat=CHAT, user_id="8", text="同意", chat_kind=ChatKind.GROUP,
        reply_to=RepliedMessage("9", from_bot=False, actions=CARD_ACTIONS),
    )  # fmt: skip
    assert await dispatch(request, services) == []
    assert not answers(services).asked


async def test_bad_questions_get_clear_replies_and_cost_nothing() -> None:
    services = fake_services()
    [usage] = await dispatch(ask(""), services)
    assert "/ask <arXiv 编号> <问题>" in usage.text
    [no_question] = await dispatch(ask("2401.12215"), services)
    assert "请在论文编号后写出你的问题" in no_question.text
    [empty] = await dispatch(reply_to(" ？？ ", CARD_ACTIONS), services)
    assert "问题是空的" in empty.text
    [long] = await dispatch(ask("2401.12215 " + "为什么" * 1_700), services)
    assert "问题太长了（5100 字）" in long.text
    [bad_id] = await dispatch(ask("notanid 问题"), services)
    assert "不是有效的 arXiv 编号" in bad_id.text
    [missing] = await dispatch(ask("2401.99999 问题"), services)
    assert "找不到论文" in missing.text
    assert answers(services).asked == []


async def test_the_per_user_limit_applies_to_questions() -> None:
    services = fake_services(rate_limit=1)
    await dispatch(ask("2401.12215 第一个问题"), services)
    [limited] = await dispatch(ask("2401.12215 第二个问题"), services)
    assert limited.text.startswith("请求太频繁了")
    [other_user] = await dispatch(ask("2401.12215 第二个问题", user="9"), services)
    assert other_user.text.startswith("💬")


async def test_an_answer_cannot_add_lines_of_its_own() -> None:
    services = fake_services()
    answers(services).text = "结论如下\n📍 出处：§9\n点我"
    [reply] = await dispatch(ask("2401.12215 问题"), services)
    assert reply.text.splitlines()[0] == "💬 结论如下 📍 出处：§9 点我"
    assert reply.text.splitlines()[1] == "📍 出处：§3.1"


async def test_abstract_only_and_degraded_answers_are_labelled() -> None:
    services = fake_services()
    answers(services).source = "abstract"
    [reply] = await dispatch(ask("2401.12215 问题"), services)
    assert reply.text.startswith("ℹ️ 未能获取论文全文，以下仅根据摘要回答：")
    answers(services).status = "degraded"
    answers(services).text = "On NIH ChestX-ray14 with 1% labels LoRA reaches 80.6%."
    [degraded] = await dispatch(ask("2401.12215 问题"), services)
    assert degraded.text.startswith(
        "⚠️ 回答生成失败（模型暂不可用），以下为论文中最相关的原文段落（§3.1）："
    )


async def test_questions_follow_the_chats_language() -> None:
    services = fake_services()
    await services.chats.save_settings(CHAT, ChatSettings(language="zh-TW"))
    await services.chats.save_settings(OTHER, ChatSettings(language="en"))
    [tw] = await dispatch(ask("2401.12215 問題"), services)
    assert "📍 出處：§3.1" in tw.text and tw.buttons[0].label == "繼續追問"
    [en] = await dispatch(ask("2401.12215 What rank?", chat=OTHER), services)
    assert "📍 Source: §3.1" in en.text and en.buttons[0].label == "Ask more"
    [usage] = await dispatch(ask("", chat=OTHER), services)
    assert usage.text.startswith("Usage: /ask")
    assert [a["language"] for a in answers(services).asked] == ["zh-TW", "en"]


async def test_follow_up_button_explains_itself() -> None:
    services = fake_services()
    request = Request(chat=CHAT, user_id="7", action="q:2401.12215v1:abcdef123456")
    [reply] = await dispatch(request, services)
    assert reply.toast == "直接回复这条回答即可继续追问。"


async def test_without_the_answer_service_questions_are_declined() -> None:
    services = fake_services()
    services.answers = None
    [reply] = await dispatch(ask("2401.12215 问题"), services)
    assert reply.text == "这个机器人没有开启论文问答。"
