"""Discord faults through the real discord.py client: 429 (with Via) and 5xx on channel
messages and interaction follow-ups; every reply lands exactly once, never early."""

from __future__ import annotations

import itertools

from tests.fakes.discord_server import DM_CHANNEL_ID, FakeDiscord, start_discord_bot
from tests.fakes.services import fake_services

SEND = rf"^/channels/{DM_CHANNEL_ID}/messages$"
FOLLOWUP = r"^/webhooks/\d+/[^/]+$"


def posted_summaries(server: FakeDiscord, channel_id: int) -> list[dict[str, object]]:
    """Messages that exist on the fake (stored after a successful POST) with an embed."""
    return [
        m for m in server.messages.values()
        if int(m["channel_id"]) == channel_id and m.get("embeds")
    ]  # fmt: skip


async def test_429_storm_and_5xx_on_channel_messages_deliver_once(
    discord_server: FakeDiscord,
) -> None:
    platform = await start_discord_bot(discord_server, fake_services())
    try:
        # three 429s in a row (Via + retry_after 0.3 s): discord.py waits each one out
        discord_server.fail("POST", SEND, 429, times=3, retry_after=0.3)
        await discord_server.send_message("2401.12215", channel_id=DM_CHANNEL_ID, guild=False)
        calls = await discord_server.wait_for("POST", SEND, 4, within=10)
        gaps = [b.at - a.at for a, b in itertools.pairwise(calls)]
        assert min(gaps) >= 0.3, gaps
        assert max(gaps) < 0.3 + 0.7, gaps  # exactly retry_after, not a backoff of its own
        # 500 and 502 are retried by discord.py; 503 by us (discord.py gives up at once)
        for status in (500, 502, 503):
            before = len(discord_server.find("POST", SEND))
            discord_server.fail("POST", SEND, status)
            await discord_server.send_message(
                "https://arxiv.org/abs/2401.12215", channel_id=DM_CHANNEL_ID, guild=False
            )
            retried = await discord_server.wait_for("POST", SEND, before + 2, within=10)
            assert retried[-1].at - retried[-2].at >= 0.9, status
    finally:
        await platform.stop()
    assert len(posted_summaries(discord_server, DM_CHANNEL_ID)) == 4  # one per message
    for call in discord_server.find("POST", SEND):
        assert call.body["allowed_mentions"]["parse"] == []


async def test_429_and_503_on_interaction_followups_deliver_once(
    discord_server: FakeDiscord,
) -> None:
    platform = await start_discord_bot(discord_server, fake_services(), defer_after=0.05)
    try:
        discord_server.fail("POST", FOLLOWUP, 503)  # webhooks: discord.py retries 5xx itself
        discord_server.fail("POST", FOLLOWUP, 429, times=2, retry_after=0.3)
        payload = await discord_server.slash("paper", "2401.12215", option="link")
        calls = await discord_server.wait_for("POST", FOLLOWUP, 4, within=10)
        await discord_server.slash("help")
    finally:
        await platform.stop()
    assert [c["type"] for c in discord_server.callbacks(payload)] == [5]  # deferred once
    assert calls[1].at - calls[0].at >= 0.9  # after the 503, a second later
    assert calls[2].at - calls[1].at >= 0.3 and calls[3].at - calls[2].at >= 0.3
    followups = [
        m for m in discord_server.messages.values()
        if any("arxiv.org/abs/2401.12215" in str(e.get("url")) for e in m.get("embeds", []))
    ]  # fmt: skip
    assert len(followups) == 1
