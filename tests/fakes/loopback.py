"""The lifecycle every fake HTTP server shares: start on 127.0.0.1 (port 0 picks one), stop,
and `async with`. A server subclasses LoopbackSite and adds its routes in `routes()`."""

from __future__ import annotations

from typing import Self

from aiohttp import web


class LoopbackSite:
    host: str
    port: int
    _runner: web.AppRunner | None

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def start(self) -> Self:
        app = web.Application()
        self.routes(app)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
