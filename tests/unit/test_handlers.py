"""Platform-neutral handlers through the dispatcher, with fakes of our own ports."""

from __future__ import annotations

from handlers.registry import COMMANDS, dispatch
from handlers.services import Services
from handlers.types import ChatKind, ChatRef, Reply, Request
from summarizer.models import Mode
from tests.fakes.services import FakeSummaries, MemoryChats, MemoryFeedback, fake_services

PRIVATE = ChatRef("telegram", "42")
GROUP = ChatRef("telegram", "-100")


def request(text: str = "", **kw: object) -> Request:
    base: dict[str, object] = {"chat": PRIVATE, "user_id": "7", "text": text}
    base.update(kw)
    return Request(**base)  # type: ignore[arg-type]


def summaries(services: Services) -> FakeSummaries:
    assert isinstance(services.summaries, FakeSummaries)
    return services.summaries


async def test_private_link_gets_a_condensed_summary_with_buttons() -> None:
    services = fake_services()
    progress: list[str] = []

    async def record(message: str) -> None:
        progress.append(message)

    replies = await dispatch(
        request("看看这篇 https://arxiv.org/abs/2401.12215v1 。", progress=record), services
    )
    assert len(replies) == 1
    reply = replies[0]
    assert reply.summary is not None and reply.mode is Mode.CONDENSED
    assert reply.summary.paper.arxiv_id == "2401.12215"
    labels = [b.label for b in reply.buttons]
    assert labels == ["展开完整总结", "原文", "PDF", "👍", "👎"]
    assert reply.buttons[1].url == "https://arxiv.org/abs/2401.12215v1"
    assert reply.buttons[0].action == "x:f:2401.12215v1"
    assert progress  # uncached: the user saw progress
    progress.clear()
    again = await dispatch(request("2401.12215", progress=record), services)
    assert again[0].summary is not None and again[0].summary.cached
    assert progress == []
    # The handler answers the repeat from the stored summary without asking for a summary
    # again (`requests` counts every call, the fake's cache cannot hide a second one).
    assert summaries(services).requests[("2401.12215", Mode.CONDENSED)] == 1


async def test_message_without_link_gets_a_hint_in_private_and_silence_in_groups() -> None:
    services = fake_services()
    hint = await dispatch(request("你好"), services)
    assert "没有在消息中找到 arXiv 链接" in hint[0].text
    group = request("看看 2401.12215", chat=GROUP, chat_kind=ChatKind.GROUP)
    assert await dispatch(group, services) == []
    addressed = request(
        "@paperbot 看看 2401.12215", chat=GROUP, chat_kind=ChatKind.GROUP, addressed=True
    )
    assert (await dispatch(addressed, services))[0].summary is not None


async def test_group_auto_links_setting_is_admin_only_and_takes_effect() -> None:
    services = fake_services()
    member = request(
        chat=GROUP, chat_kind=ChatKind.GROUP, command="settings", args="links on", is_admin=False
    )
    refused = await dispatch(member, services)
    assert refused[0].text == "只有群管理员可以修改本群的设置。"
    admin = request(
        chat=GROUP, chat_kind=ChatKind.GROUP, command="settings", args="links on", is_admin=True
    )
    assert "已开启自动回复链接" in (await dispatch(admin, services))[0].text
    plain = request("2401.12215", chat=GROUP, chat_kind=ChatKind.GROUP)
    assert (await dispatch(plain, services))[0].summary is not None
    shown = await dispatch(
        request(chat=GROUP, chat_kind=ChatKind.GROUP, command="settings"), services
    )
    assert "自动回复链接：开" in shown[0].text
    assert "子区" not in shown[0].text  # a Discord setting, not shown on Telegram


async def test_settings_errors_are_specific() -> None:
    services = fake_services()
    assert (
        "没有名为「colour」的设置"
        in (await dispatch(request(command="settings", args="colour red"), services))[0].text
    )
    assert (
        "取值无效"
        in (await dispatch(request(command="settings", args="cross maybe"), services))[0].text
    )
    assert (
        "请给出取值"
        in (await dispatch(request(command="settings", args="cross"), services))[0].text
    )
    # A group setting is not offered in a private chat.
    private_links = await dispatch(request(command="settings", args="links on"), services)
    assert "没有名为「links」的设置" in private_links[0].text


async def test_paper_command_errors() -> None:
    services = fake_services()
    usage = await dispatch(request(command="paper"), services)
    assert usage[0].text.startswith("用法：/paper")
    missing = await dispatch(request(command="paper", args="2401.99999"), services)
    assert missing[0].text == "找不到论文 arXiv:2401.99999，请检查编号是否正确。"
    malformed = await dispatch(request(command="paper", args="abc"), services)
    assert "不是有效的 arXiv 编号" in malformed[0].text
    prose = await dispatch(
        request(command="paper", args="please summarize the attention paper"), services
    )
    assert "没有在消息中找到 arXiv 链接或编号" in prose[0].text


async def test_paper_full_mode_and_unknown_command() -> None:
    services = fake_services()
    full = await dispatch(request(command="paper", args="2401.12215 full"), services)
    assert full[0].mode is Mode.FULL and full[0].buttons[0].label == "收起"
    unknown = await dispatch(request(command="frobnicate"), services)
    assert unknown[0].text == "未知命令 /frobnicate。发送 /help 查看可用命令。"


async def test_links_are_capped_with_a_note_and_rate_limited() -> None:
    services = fake_services(rate_limit=1)
    text = "2401.12215 2401.00001 2401.00002 2401.00003 2401.00004"
    replies = await dispatch(request(text), services)
    assert len(replies) == 4
    assert "最多处理 3 篇" in replies[-1].text
    assert "arXiv:2401.00003、arXiv:2401.00004" in replies[-1].text  # the dropped ones, named
    assert replies[1].text == "找不到论文 arXiv:2401.00001，请检查编号是否正确。"
    limited = await dispatch(request("2401.00003 2401.00004"), services)  # new links: one hit
    assert limited[0].text.startswith("请求太频繁了，请 ") and limited[0].text.endswith(
        " 秒后再试。"
    )


async def test_buttons_expand_collapse_and_feedback() -> None:
    services = fake_services()
    expanded = await dispatch(request(action="x:f:2401.12215v1"), services)
    assert expanded[0].edit and expanded[0].mode is Mode.FULL
    collapsed = await dispatch(request(action="x:c:2401.12215v1"), services)
    assert collapsed[0].edit and collapsed[0].mode is Mode.CONDENSED
    vote = await dispatch(request(action="fb:-1:2401.12215v1"), services)
    assert vote[0].toast and not vote[0].text
    assert isinstance(services.feedback, MemoryFeedback)
    assert services.feedback.votes == {(PRIVATE, "7", "2401.12215"): -1}
    stale = await dispatch(request(action="zz:1"), services)
    assert stale[0].toast == "这个按钮已失效。"


async def test_chat_is_remembered_and_reactivated() -> None:
    services = fake_services()
    chats = services.chats
    assert isinstance(chats, MemoryChats)
    await dispatch(
        request("hi", chat=GROUP, chat_kind=ChatKind.GROUP, chat_title="NLP 组"), services
    )
    assert chats.chats[GROUP].title == "NLP 组"
    await chats.set_active(GROUP, False, "403")
    await dispatch(request("hi", chat=GROUP, chat_kind=ChatKind.GROUP), services)
    assert chats.chats[GROUP].active


async def test_help_lists_every_command_with_privacy_note() -> None:
    replies = await dispatch(request(command="help"), fake_services())
    text = replies[0].text
    for name in COMMANDS:
        if name not in ("start", "help"):
            assert f"/{name} — " in text
    assert "隐私说明" in text
    assert text.index("📄 论文摘要") < text.index("🗞 订阅与每日速递") < text.index("⚙️ 设置")
    assert "群管理员" in text and "Manage Channels" not in text
    discord_help = await dispatch(
        request(command="help", chat=ChatRef("discord", "55")), fake_services()
    )
    assert "管理频道」（Manage Channels）" in discord_help[0].text
    assert "群管理员" not in discord_help[0].text
    start = (await dispatch(request(command="start"), fake_services()))[0]
    assert len(start.text.splitlines()) <= 5 and len(start.buttons) == 3


def test_command_descriptions_fit_platform_limits() -> None:
    for command in COMMANDS.values():
        assert 1 <= len(command.description) <= 100
        assert command.name.islower() and len(command.name) <= 32
        if command.arg_description:
            assert len(command.arg_description) <= 100


def test_reply_defaults() -> None:
    assert Reply().mode is Mode.CONDENSED
