"""Per-key sliding-window rate limiting, and the fair per-user limit on new summaries."""

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


MAX_TRACKED_USERS = 4096


class FairLimiter:
    """The per-user limit on new summaries, fair to ordinary use: one message costs one hit
    however many links it holds; links the user already asked for within the window (an answer
    still being written, a re-ask) cost nothing; cached answers never reach it (the handler
    serves them first). A refusal is worth announcing once per user per window (`announce`)."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.window = window
        self._clock = clock
        self._hits = SlidingWindowLimiter(limit, window, clock)
        self._asked: dict[str, dict[str, float]] = {}
        self._announced: dict[str, float] = {}

    def admit(self, user: str, links: list[str]) -> float:
        """Links of one message that need the model: 0 when they may go ahead (recorded),
        otherwise the seconds to wait (nothing recorded)."""
        now = self._clock()
        if len(self._asked) > MAX_TRACKED_USERS:  # users who never came back
            for other in list(self._asked):
                self._recent(self._asked, other, now)
        asked = self._recent(self._asked, user, now)
        if all(link in asked for link in links):
            return 0.0
        wait = self._hits.hit(user)
        if wait == 0.0:
            self._asked.setdefault(user, {}).update(dict.fromkeys(links, now))
        return wait

    def hit(self, user: str, cost: int = 1) -> float:
        """A plain hit on the same budget (e.g. a question about a paper): 0 when it fits."""
        return self._hits.hit(user, cost)

    def announce(self, user: str) -> bool:
        """True the first time in a window a refusal is due for `user` (then said once)."""
        now = self._clock()
        last = self._announced.get(user)
        if last is not None and now - last < self.window:
            return False
        self._announced = {u: t for u, t in self._announced.items() if now - t < self.window}
        self._announced[user] = now
        return True

    def _recent(
        self, table: dict[str, dict[str, float]], user: str, now: float
    ) -> dict[str, float]:
        entries = table.get(user)
        if entries is None:
            return {}
        fresh = {link: at for link, at in entries.items() if now - at < self.window}
        if fresh:
            table[user] = fresh
        else:
            del table[user]
        return fresh
