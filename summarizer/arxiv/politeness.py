"""arXiv politeness: one request at a time per site (every *.arxiv.org host is one site), with
request starts at least `min_interval` apart, shared by the API, feed and full-text clients."""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit


class _Gate:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.last_start = float("-inf")


# Per event loop (an asyncio.Lock belongs to one loop) and per site.
_GATES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, _Gate]] = (
    weakref.WeakKeyDictionary()
)


def site_of(url: str) -> str:
    """`arxiv.org` for arxiv.org and its subdomains (export., rss.), else host:port."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return "arxiv.org" if host == "arxiv.org" or host.endswith(".arxiv.org") else parts.netloc


@asynccontextmanager
async def polite(url: str, min_interval: float) -> AsyncIterator[None]:
    """Hold the site's gate for one request, starting it `min_interval` after the last one."""
    gates = _GATES.setdefault(asyncio.get_running_loop(), {})
    gate = gates.setdefault(site_of(url), _Gate())
    async with gate.lock:
        wait = gate.last_start + min_interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        gate.last_start = time.monotonic()
        yield
