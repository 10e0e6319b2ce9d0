"""Discord as a user-installable app, and a summary streamed into the deferred reply."""

from __future__ import annotations

from tests.fakes.discord_server import APP_ID, PRIVATE_CHANNEL_ID, DiscordBot, embeds_text
from tests.fakes.services import FakeSummaries

PAPER = "2401.12215"
GUILD_INSTALL, USER_INSTALL = 0, 1
GUILD, BOT_DM, PRIVATE_CHANNEL = 0, 1, 2


async def test_reading_commands_install_for_users_everywhere(discord_bot: DiscordBot) -> None:
    (sync,) = discord_bot.server.find("PUT", rf"^/applications/{APP_ID}/commands$")
    by_name = {c["name"]: c for c in sync.body}
    for name in ("paper", "help", "总结这篇论文"):
        assert sorted(by_name[name]["integration_types"]) == [GUILD_INSTALL, USER_INSTALL]
        assert sorted(by_name[name]["contexts"]) == [GUILD, BOT_DM, PRIVATE_CHANNEL]
    for name in ("sub", "settings", "pause"):  # a digest goes only where the bot is
        assert by_name[name]["integration_types"] == [GUILD_INSTALL]
        assert sorted(by_name[name]["contexts"]) == [GUILD, BOT_DM]
    echoed = {c["name"]: c for c in discord_bot.server.commands}
    assert echoed["paper"]["integration_types"] == by_name["paper"]["integration_types"]


async def test_paper_in_a_dm_between_two_users(discord_bot: DiscordBot) -> None:
    payload = await discord_bot.server.slash("paper", PAPER, option="link", private_channel=True)
    route = rf"^/webhooks/{APP_ID}/{payload['token']}$"
    (followup,) = await discord_bot.server.wait_for("POST", route)
    assert discord_bot.server.callbacks(payload) == [{"type": 5}]
    assert "少即是多" in embeds_text(followup.body)
    # nothing was sent through the bot's own channel routes: it is not in that DM
    assert not discord_bot.server.find("POST", rf"^/channels/{PRIVATE_CHANNEL_ID}/")


async def test_a_summary_streams_into_the_deferred_reply(discord_bot: DiscordBot) -> None:
    summaries = discord_bot.services.summaries
    assert isinstance(summaries, FakeSummaries)
    summaries.streams, summaries.stream_pause = True, 0.3
    payload = await discord_bot.server.slash("paper", PAPER, option="link")
    route = rf"^/webhooks/{APP_ID}/{payload['token']}/messages/@original$"
    edits = await discord_bot.server.wait_for("PATCH", route, count=2, within=10)
    while not edits[-1].body.get("embeds"):  # previews until the final answer
        edits = await discord_bot.server.wait_for("PATCH", route, count=len(edits) + 1)
    previews = [e.body for e in edits if e.body.get("content")]
    assert previews and "正在继续生成" in previews[0]["content"]
    assert "少即是多" in previews[0]["content"]  # the first checked field: the title
    final = edits[-1].body
    assert not final.get("content") and "少即是多" in embeds_text(final)
    assert final["components"]  # the buttons come with the final answer
    # the answer replaced the preview: no second message
    assert not discord_bot.server.find("POST", rf"^/webhooks/{APP_ID}/{payload['token']}$")
