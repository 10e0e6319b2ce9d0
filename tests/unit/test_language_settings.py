"""`/settings lang` and its buttons, and what a chat's language changes in on-demand replies."""

from __future__ import annotations

from handlers.registry import dispatch
from handlers.types import ChatKind, ChatRef, Request
from tests.fakes.services import FakeSummaries, fake_services

PRIVATE = ChatRef("telegram", "42")
GROUP = ChatRef("discord", "900")


def command(text: str, chat: ChatRef = PRIVATE, **kw: object) -> Request:
    name, _, args = text.lstrip("/").partition(" ")
    kind = ChatKind.PRIVATE if chat == PRIVATE else ChatKind.CHANNEL
    return Request(chat=chat, user_id="1", text=text, command=name, args=args, chat_kind=kind, **kw)  # type: ignore[arg-type]


async def test_lang_setting_is_stored_and_shown() -> None:
    services = fake_services()
    [done] = await dispatch(command("/settings lang zh-TW"), services)
    assert done.text == "✅ 這個聊天的語言已設為 繁體中文。"
    info = await services.chats.get_chat(PRIVATE)
    assert info is not None and info.settings.language == "zh-TW"
    [shown] = await dispatch(command("/settings"), services)
    assert "• 语言：zh-TW" in shown.text
    [bad] = await dispatch(command("/settings lang klingon"), services)
    assert "zh-CN（简体）、zh-TW（繁體）或 en（English）" in bad.text


async def test_lang_without_value_offers_buttons_and_a_button_sets_it() -> None:
    services = fake_services()
    [choice] = await dispatch(command("/settings lang"), services)
    assert [b.action for b in choice.buttons] == ["lang:zh", "lang:zh-TW", "lang:en"]
    assert choice.buttons[0].label == "✓ 简体中文"
    press = Request(chat=PRIVATE, user_id="1", action="lang:en")
    [done] = await dispatch(press, services)
    assert done.edit and done.text == "✅ This chat's language is now English."


async def test_group_members_cannot_change_the_language() -> None:
    services = fake_services()
    [refused] = await dispatch(command("/settings lang en", chat=GROUP, is_admin=False), services)
    # Discord names its own rule (issue 14).
    assert refused.text == "只有拥有「管理频道」（Manage Channels）权限的成员可以修改本频道的设置。"
    press = Request(chat=GROUP, user_id="1", action="lang:en", chat_kind=ChatKind.CHANNEL)
    [toast] = await dispatch(press, services)
    assert toast.toast == "只有拥有「管理频道」（Manage Channels）权限的成员可以修改本频道的设置。"
    info = await services.chats.get_chat(GROUP)
    assert info is None or info.settings.language == "zh"


async def test_summaries_and_errors_follow_the_language() -> None:
    services = fake_services()
    await dispatch(command("/settings lang zh-TW"), services)
    [card] = await dispatch(command("/paper 2401.12215"), services)
    assert card.language == "zh-TW" and card.buttons[0].label == "展開完整總結"
    assert isinstance(services.summaries, FakeSummaries)
    assert services.summaries.languages[-1] == "zh-TW"
    await dispatch(command("/settings lang en"), services)
    [missing] = await dispatch(command("/paper 2401.99999"), services)
    assert missing.text == "Cannot find arXiv:2401.99999; please check the id."
    [hint] = await dispatch(Request(chat=PRIVATE, user_id="1", text="hello"), services)
    assert hint.text.startswith("No arXiv link or id found")


async def test_help_follows_the_language_and_lists_ask() -> None:
    services = fake_services()
    [zh] = await dispatch(command("/help"), services)
    assert "/ask — 就一篇论文提问" in zh.text and "你就论文向我提出的问题" in zh.text
    await dispatch(command("/settings lang zh-TW"), services)
    [tw] = await dispatch(command("/help"), services)
    assert "隱私說明" in tw.text
    await dispatch(command("/settings lang en"), services)
    [en] = await dispatch(command("/help"), services)
    assert "Commands:" in en.text and "/ask — Ask about a paper" in en.text
    assert "Privacy:" in en.text
