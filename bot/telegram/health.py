"""The getUpdates connection reporting to /healthz whether Telegram polling works."""

from __future__ import annotations

from typing import Any

from telegram.request import HTTPXRequest

from bot.ops import metrics


class PollHealth(HTTPXRequest):
    """The getUpdates connection, reporting to /healthz whether polling works: a failed
    call (network error, 5xx, 401, 409 conflict with another poller) turns the platform
    unhealthy until a call succeeds again."""

    def __init__(self, component: str = "telegram", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.component = component

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except Exception as exc:
            metrics.report_component(self.component, False, f"polling failed: {type(exc).__name__}")
            raise
        if code == 200:
            metrics.report_component(self.component, True)
        else:
            metrics.report_component(self.component, False, f"polling failed: HTTP {code}")
        return code, payload
