"""`run` after start on Discord: discord.py reconnects by itself (exponential backoff); these
gateway events tell the platform's ConnectionWatch when it dropped and when it is back. Also
the proxy discord.py should use (aiohttp ignores HTTPS_PROXY unless given `proxy=`)."""

from __future__ import annotations

import discord

from bot.config import Settings
from bot.ops.network import ConnectionWatch, env_proxy

DISCORD_API = "https://discord.com/api/v10"


def discord_proxy(settings: Settings) -> str | None:
    """The proxy httpx would use for Discord's API, so one setting covers every client."""
    proxy = env_proxy(settings.discord_api_url or DISCORD_API)
    return proxy[0] if proxy else None


class WatchedClient(discord.Client):
    """A discord.Client reporting gateway drops and recoveries to `watch`."""

    watch: ConnectionWatch

    async def on_disconnect(self) -> None:
        if not self.is_closed():
            self.watch.lost(ConnectionError("gateway connection closed"))

    async def on_resumed(self) -> None:
        self.watch.restored()

    async def on_ready(self) -> None:
        self.watch.restored()
