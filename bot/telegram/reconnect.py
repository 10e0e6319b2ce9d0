"""`run` after start: the long-polling connection reports each drop and recovery (logged once
per outage, /healthz follows). PTB's polling loop already retries network errors forever with
a backoff of 1 s growing ×1.5 up to 30 s (telegram.ext._utils.networkloop, PTB 22.8)."""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import NetworkError, TelegramError
from telegram.request import HTTPXRequest

from bot.ops.network import ConnectionWatch

log = logging.getLogger(__name__)


class WatchedRequest(HTTPXRequest):
    """The getUpdates HTTP client: a transport error or a 5xx is a drop, any answer after it
    is the recovery."""

    def __init__(self, watch: ConnectionWatch, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.watch = watch

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except NetworkError as exc:
            self.watch.lost(exc)
            raise
        if code >= 500:
            self.watch.lost(NetworkError(f"HTTP {code} from the Bot API"))
        else:
            self.watch.restored()
        return code, payload


def polling_error(exc: TelegramError) -> None:
    """The polling loop's error callback: network errors are the watch's (one line per outage,
    not a traceback per retry); anything else (e.g. Conflict: another instance polling) is
    logged as an error."""
    if isinstance(exc, NetworkError):
        log.debug("telegram polling: %s", exc)
    else:
        log.error("telegram polling failed: %s", exc)
