"""Network facts the platforms share: the proxy a URL goes through, and a connection's up/down
log (once when it drops, once when it is back) that `/healthz` follows."""

from __future__ import annotations

import logging
import os
import time
import urllib.request
from urllib.parse import urlsplit

from bot.ops import metrics

log = logging.getLogger(__name__)

# httpx reads these (trust_env, the default); the first one set wins, as in httpx.
PROXY_VARIABLES = {
    "https": ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"),
    "http": ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"),
}


def env_proxy(url: str, environ: dict[str, str] | None = None) -> tuple[str, str] | None:
    """(proxy URL, variable name) that a request to `url` goes through, or None (no proxy set,
    or the host is listed in NO_PROXY)."""
    env = os.environ if environ is None else environ
    parts = urlsplit(url)
    for name in PROXY_VARIABLES.get(parts.scheme, ()):
        value = env.get(name)
        if value:
            bypass = env.get("NO_PROXY") or env.get("no_proxy") or ""
            if bypass and _bypassed(parts.hostname or "", bypass):
                return None
            return value, name
    return None


def _bypassed(host: str, no_proxy: str) -> bool:
    if no_proxy.strip() == "*":
        return True
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    return bool(bypass(host, {"no": no_proxy}))


class ConnectionWatch:
    """One platform's connection after start: `lost()` on each failed attempt (logged once per
    outage), `restored()` on each success (logged once, with how long it was down)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.down_since: float | None = None
        self.failures = 0

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def lost(self, error: BaseException) -> None:
        self.failures += 1
        if self.down_since is not None:
            log.debug("%s: still unreachable (attempt %d): %s", self.name, self.failures, error)
            return
        self.down_since = time.monotonic()
        log.warning("%s: connection lost (%s); retrying with backoff", self.name, _short(error))
        metrics.set_component(self.name, False, "reconnecting")

    def restored(self) -> None:
        if self.down_since is None:
            return
        seconds = time.monotonic() - self.down_since
        log.warning(
            "%s: connection is back after %.0f s (%d failed attempts)",
            self.name,
            seconds,
            self.failures,
        )
        self.down_since = None
        self.failures = 0
        metrics.set_component(self.name, True)


def _short(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__
