"""Per-key sliding-window rate limiting (per user for on-demand summaries)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    """At most `limit` hits per `window` seconds per key; memory bounded by active keys."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def retry_after(self, key: str, cost: int = 1) -> float:
        """Seconds until `cost` more hits fit (0 when they fit now). Does not record."""
        now = self._clock()
        hits = self._prune(key, now)
        if len(hits) + cost <= self.limit:
            return 0.0
        if cost > self.limit:
            return self.window
        oldest_needed = hits[len(hits) + cost - self.limit - 1]
        return max(0.0, oldest_needed + self.window - now)

    def hit(self, key: str, cost: int = 1) -> float:
        """Record `cost` hits if they fit and return 0; otherwise record nothing and return
        the seconds to wait."""
        wait = self.retry_after(key, cost)
        if wait == 0.0:
            now = self._clock()
            self._hits.setdefault(key, deque()).extend([now] * cost)
        return wait

    def _prune(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if not hits:
            del self._hits[key]
        return hits
