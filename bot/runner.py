"""`paperbot run`: every configured platform (and the scheduler) on one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Protocol

from bot.config import ConfigError, Settings
from bot.ops import metrics
from bot.wiring import build_services
from handlers.services import Services

log = logging.getLogger(__name__)


class Platform(Protocol):
    """A running connection to one chat platform (or the scheduler)."""

    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def build_platforms(settings: Settings, services: Services) -> list[Platform]:
    platforms: list[Platform] = []
    if settings.telegram_bot_token is not None:
        from bot.telegram.platform import TelegramPlatform

        platforms.append(TelegramPlatform(settings, services))
    if settings.discord_bot_token is not None:
        from bot.discord.platform import DiscordPlatform

        platforms.append(DiscordPlatform(settings, services))
    return platforms


async def start_platform(platform: Platform, settings: Settings) -> None:
    """Start one platform; a failure we can explain (network, DNS, proxy, token) becomes a
    StartupFailure: one Chinese line with the fix, no traceback."""
    from bot.cli.failures import StartupFailure, explain

    try:
        await platform.start()
    except Exception as exc:
        failure = explain(exc, settings, platform.name)
        if failure is None:
            raise
        metrics.set_component(platform.name, False, failure.kind)
        raise StartupFailure(failure) from exc


async def run(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Start everything, wait for SIGINT/SIGTERM (or `stop`), shut down cleanly."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    async with build_services(settings) as services:
        platforms = build_platforms(settings, services)
        if not platforms:
            raise ConfigError(
                "没有可启动的平台：请在 .env 或环境变量中设置 TELEGRAM_BOT_TOKEN 和/或 "
                "DISCORD_BOT_TOKEN。不配置它们也可以用 `paperbot summarize 2401.12215`。"
            )
        from bot.scheduler import scheduler_for

        scheduler = scheduler_for(services, platforms)
        if scheduler is not None:
            platforms.append(scheduler)  # last: it sends through the chat platforms
        if settings.http_port is not None:
            from bot.ops.http_server import HttpPlatform

            # First, so /healthz answers (503) while the chat platforms connect.
            platforms.insert(0, HttpPlatform(settings))
        for platform in platforms:
            metrics.set_component(platform.name, False, "starting")
        started: list[Platform] = []
        try:
            for platform in platforms:
                await start_platform(platform, settings)
                started.append(platform)
                metrics.set_component(platform.name, True)
                log.info("platform started: %s", platform.name)
            await stop.wait()
        finally:
            for platform in reversed(started):
                metrics.set_component(platform.name, False, "stopped")
                with contextlib.suppress(Exception):
                    await platform.stop()
                log.info("platform stopped: %s", platform.name)
