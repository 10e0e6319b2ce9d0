"""End to end: the real discord.py client against the fake Discord gateway + REST server."""

from __future__ import annotations

import pytest

from bot.discord.commands import CONTEXT_MENU_NAME
from handlers.ports import ChatSettings
from handlers.registry import COMMANDS
from handlers.types import ChatKind, ChatRef, ChatUnreachable, Reply
from summarizer.models import ArxivRef, Mode
from tests.fakes.discord_server import (
    APP_ID,
    BOT_USER,
    CHANNEL_ID,
    DM_CHANNEL_ID,
    MANAGE_CHANNELS,
    DiscordBot,
    FakeDiscord,
    embeds_text,
    start_discord_bot,
)
from tests.fakes.services import fake_services, sample_paper

PAPER = "2401.12215"
TLDR_START = "在胸片基础模型上"
CHAT = ChatRef("discord", str(CHANNEL_ID))

# Discord names its own rule (Manage Channels), not a Telegram group role (issue 14).
NOT_ADMIN = "只有拥有「管理频道」（Manage Channels）权限的成员可以修改本频道的设置。"


async def test_startup_syncs_commands_from_registry(discord_bot: DiscordBot) -> None:
    (sync,) = discord_bot.server.find("PUT", rf"^/applications/{APP_ID}/commands$")
    by_name = {c["name"]: c for c in sync.body}
    assert set(by_name) == {*COMMANDS, CONTEXT_MENU_NAME}
    paper = by_name["paper"]
    assert paper["description"] == COMMANDS["paper"].description
    assert paper["options"] == [
        {
            "type": 3,
            "name": "link",
            "description": COMMANDS["paper"].arg_description,
            "required": True,
        }
    ]
    assert by_name["settings"]["options"][0]["name"] == "change"
    assert by_name["settings"]["options"][0]["required"] is False
    assert by_name["help"].get("options", []) == []
    assert by_name[CONTEXT_MENU_NAME]["type"] == 3  # message context menu
    assert all(len(c.get("description", "")) <= 100 for c in sync.body)


async def test_paper_command_defers_then_follows_up_with_embed(discord_bot: DiscordBot) -> None:
    payload = await discord_bot.server.slash("paper", PAPER, option="link")
    (followup,) = await discord_bot.server.wait_for(
        "POST", rf"^/webhooks/{APP_ID}/{payload['token']}$"
    )
    assert discord_bot.server.callbacks(payload) == [{"type": 5}]  # deferred with "thinking"
    (embed,) = followup.body["embeds"]
    assert embed["title"].endswith("少即是多：参数高效微调推动医学视觉基础模型")
    assert embed["url"] == f"https://arxiv.org/abs/{PAPER}v1"
    assert TLDR_START in embed["description"]
    assert "fake · fake-1" in embed["footer"]["text"]
    assert followup.body["allowed_mentions"] == {"parse": []}
    custom_ids = [
        c.get("custom_id") for row in followup.body["components"] for c in row["components"]
    ]
    assert f"x:f:{PAPER}v1" in custom_ids
    assert f"fb:1:{PAPER}v1" in custom_ids


async def test_cached_paper_answers_at_once(discord_bot: DiscordBot) -> None:
    await discord_bot.services.summaries.summarize(ArxivRef(arxiv_id=PAPER), Mode.CONDENSED)
    payload = await discord_bot.server.slash("paper", PAPER, option="link")
    await discord_bot.server.wait_for("POST", rf"^/interactions/{payload['id']}/")
    (answer,) = discord_bot.server.callbacks(payload)
    assert answer["type"] == 4
    assert TLDR_START in answer["data"]["embeds"][0]["description"]
    assert not discord_bot.server.find("POST", rf"^/webhooks/{APP_ID}/{payload['token']}$")


async def test_context_menu_summarizes_target_message(discord_bot: DiscordBot) -> None:
    target = discord_bot.server.message_payload(f"看看这篇 https://arxiv.org/abs/{PAPER}")
    data = {
        "id": discord_bot.server.next_id(),
        "name": CONTEXT_MENU_NAME,
        "type": 3,
        "target_id": target["id"],
        "resolved": {"messages": {target["id"]: target}},
    }
    payload = discord_bot.server.interaction_payload(data)
    await discord_bot.server.dispatch("INTERACTION_CREATE", payload)
    (followup,) = await discord_bot.server.wait_for(
        "POST", rf"^/webhooks/{APP_ID}/{payload['token']}$"
    )
    assert TLDR_START in followup.body["embeds"][0]["description"]
    assert discord_bot.services.summaries.model_calls == 1  # type: ignore[attr-defined]


async def test_expand_button_edits_the_message(discord_bot: DiscordBot) -> None:
    action = f"x:f:{PAPER}v1"
    message = discord_bot.server.message_payload(
        "",
        author=BOT_USER,
        components=[
            {
                "type": 1,
                "components": [
                    {"type": 2, "style": 2, "label": "展开完整总结", "custom_id": action}
                ],
            }
        ],
    )
    data = {"custom_id": action, "component_type": 2}
    payload = discord_bot.server.interaction_payload(data, kind=3, message=message)
    await discord_bot.server.dispatch("INTERACTION_CREATE", payload)
    edit = await discord_bot.server.wait_for(
        "PATCH", rf"^/webhooks/{APP_ID}/{payload['token']}/messages"
    )
    # an uncached full summary is slow: deferred update (type 6), then the original edited
    assert discord_bot.server.callbacks(payload) == [{"type": 6}]
    text = embeds_text(edit[0].body)
    assert "研究背景" in text
    assert "结论" in text
    ids = [c.get("custom_id") for row in edit[0].body["components"] for c in row["components"]]
    assert f"x:c:{PAPER}v1" in ids  # the toggle now collapses


async def test_feedback_button_answers_ephemerally(discord_bot: DiscordBot) -> None:
    action = f"fb:1:{PAPER}v1"
    message = discord_bot.server.message_payload(
        "",
        author=BOT_USER,
        components=[
            {"type": 1, "components": [{"type": 2, "style": 2, "label": "👍", "custom_id": action}]}
        ],
    )
    payload = discord_bot.server.interaction_payload(
        {"custom_id": action, "component_type": 2}, kind=3, message=message
    )
    await discord_bot.server.dispatch("INTERACTION_CREATE", payload)
    await discord_bot.server.wait_for("POST", rf"^/interactions/{payload['id']}/")
    (answer,) = discord_bot.server.callbacks(payload)
    assert answer["type"] == 4
    assert answer["data"]["flags"] & 64  # ephemeral
    assert "感谢反馈" in answer["data"]["content"]
    assert discord_bot.services.feedback.votes  # type: ignore[attr-defined]


async def test_mentions_in_abstract_never_ping(discord_server: FakeDiscord) -> None:
    paper = sample_paper(abstract="Hello @everyone and @here, <@123> and <@&456> were here.")
    services = fake_services([paper], status="degraded")
    platform = await start_discord_bot(discord_server, services)
    try:
        payload = await discord_server.slash("paper", PAPER, option="link")
        (followup,) = await discord_server.wait_for("POST", rf"^/webhooks/{APP_ID}/")
        assert "@everyone" in embeds_text(followup.body)  # the abstract is shown (degraded)
        assert "摘要生成失败" in embeds_text(followup.body)
        await platform.send_reply(CHANNEL_ID, Reply(text="@everyone 新论文 <@123>"))
        sent = [
            c
            for c in discord_server.calls
            if c.method in ("POST", "PATCH")
            and isinstance(c.body, dict)
            and ("content" in c.body or "embeds" in c.body or "data" in c.body)
        ]
        bodies = [
            c.body.get("data", c.body) if c.path.endswith("/callback") else c.body for c in sent
        ]
        with_content = [b for b in bodies if b.get("content") or b.get("embeds")]
        assert len(with_content) >= 2
        for body in with_content:
            assert body["allowed_mentions"] == {"parse": []}, body
        assert discord_server.callbacks(payload)
    finally:
        await platform.stop()


async def test_settings_change_needs_manage_channels(discord_bot: DiscordBot) -> None:
    payload = await discord_bot.server.slash("settings", "links on", option="change", permissions=0)
    await discord_bot.server.wait_for("POST", rf"^/interactions/{payload['id']}/")
    (answer,) = discord_bot.server.callbacks(payload)
    assert answer["data"]["content"] == NOT_ADMIN
    assert answer["data"]["flags"] & 64
    info = await discord_bot.chats.get_chat(CHAT)
    assert info is not None
    assert info.settings.auto_links is False

    payload = await discord_bot.server.slash(
        "settings", "links on", option="change", permissions=MANAGE_CHANNELS
    )
    await discord_bot.server.wait_for("POST", rf"^/interactions/{payload['id']}/")
    info = await discord_bot.chats.get_chat(CHAT)
    assert info is not None
    assert info.settings.auto_links is True
    assert info.kind is ChatKind.CHANNEL


async def test_rate_limited_followup_is_retried(discord_bot: DiscordBot) -> None:
    discord_bot.server.fail("POST", rf"^/webhooks/{APP_ID}/", 429, retry_after=0.3)
    payload = await discord_bot.server.slash("paper", PAPER, option="link")
    calls = await discord_bot.server.wait_for(
        "POST", rf"^/webhooks/{APP_ID}/{payload['token']}$", 2
    )
    assert len(calls) == 2
    assert calls[0].body == calls[1].body
    assert TLDR_START in calls[1].body["embeds"][0]["description"]


async def test_forbidden_channel_marks_chat_inactive(discord_bot: DiscordBot) -> None:
    discord_bot.server.fail("POST", rf"^/channels/{CHANNEL_ID}/messages$", 403)
    with pytest.raises(ChatUnreachable) as caught:
        await discord_bot.platform.send_reply(CHANNEL_ID, Reply(text="今日速递"))
    assert caught.value.chat == CHAT
    info = await discord_bot.chats.get_chat(CHAT)
    assert info is not None
    assert info.active is False
    assert "403" in (discord_bot.chats.inactive_reasons[CHAT] or "")


async def test_plain_message_with_link_replies_when_auto_links(discord_server: FakeDiscord) -> None:
    services = fake_services()
    await services.chats.upsert_chat(CHAT, ChatKind.CHANNEL, None)
    await services.chats.save_settings(CHAT, ChatSettings(auto_links=True, reply_in_thread=True))
    platform = await start_discord_bot(discord_server, services, discord_message_content=True)
    try:
        await discord_server.send_message("ignored chatter without links")
        await discord_server.send_message(f"new: https://arxiv.org/abs/{PAPER}")
        (thread,) = await discord_server.wait_for("POST", r"^/channels/\d+/messages/\d+/threads$")
        (sent,) = await discord_server.wait_for("POST", r"^/channels/\d+/messages$")
        assert sent.path != f"/channels/{CHANNEL_ID}/messages"  # posted inside the thread
        assert TLDR_START in sent.body["embeds"][0]["description"]
        assert thread.body["name"].startswith("少即是多")
        assert services.summaries.model_calls == 1  # type: ignore[attr-defined]
    finally:
        await platform.stop()


async def test_cached_expand_updates_message_in_place(discord_bot: DiscordBot) -> None:
    await discord_bot.services.summaries.summarize(ArxivRef(arxiv_id=PAPER), Mode.FULL)
    action = f"x:f:{PAPER}v1"
    message = discord_bot.server.message_payload(
        "",
        author=BOT_USER,
        components=[
            {
                "type": 1,
                "components": [{"type": 2, "style": 2, "label": "展开", "custom_id": action}],
            }
        ],
    )
    payload = discord_bot.server.interaction_payload(
        {"custom_id": action, "component_type": 2}, kind=3, message=message
    )
    await discord_bot.server.dispatch("INTERACTION_CREATE", payload)
    await discord_bot.server.wait_for("POST", rf"^/interactions/{payload['id']}/")
    (answer,) = discord_bot.server.callbacks(payload)
    assert answer["type"] == 7  # UPDATE_MESSAGE: the pressed message itself changes
    assert "研究背景" in embeds_text(answer["data"])
    assert answer["data"]["allowed_mentions"] == {"parse": []}


async def test_direct_message_with_bare_id_is_answered(discord_bot: DiscordBot) -> None:
    server = discord_bot.server
    await server.send_message(PAPER, channel_id=DM_CHANNEL_ID, guild=False)
    (sent,) = await server.wait_for("POST", rf"^/channels/{DM_CHANNEL_ID}/messages$")
    assert TLDR_START in sent.body["embeds"][0]["description"]
    assert int(sent.body["message_reference"]["channel_id"]) == DM_CHANNEL_ID
    info = await discord_bot.chats.get_chat(ChatRef("discord", str(DM_CHANNEL_ID)))
    assert info is not None
    assert info.kind is ChatKind.PRIVATE
