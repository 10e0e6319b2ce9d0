"""/healthz follows the Discord gateway: closed → unhealthy until READY or RESUMED again."""

from __future__ import annotations

import asyncio

from bot.ops import metrics

COMPONENT = "discord"


class GatewayHealth:
    """Gateway event handlers for the client class (discord.py calls `on_<event>` methods)."""

    async def on_disconnect(self) -> None:
        metrics.report_component(COMPONENT, False, "gateway closed")

    async def on_ready(self) -> None:
        metrics.report_component(COMPONENT, True)

    async def on_resumed(self) -> None:
        metrics.report_component(COMPONENT, True)


def gateway_ended(task: asyncio.Task[None]) -> None:
    """connect() gave up (it reconnects by itself otherwise): unhealthy for good."""
    if not task.cancelled() and task.exception() is not None:
        metrics.report_component(COMPONENT, False, f"gateway gave up: {task.exception()!r}"[:200])
