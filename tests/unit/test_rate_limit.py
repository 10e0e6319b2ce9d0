"""The sliding-window limiter used for per-user summary requests."""

from __future__ import annotations

from handlers.rate_limit import SlidingWindowLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_limit_then_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(3, 60.0, clock)
    assert [limiter.hit("u") for _ in range(3)] == [0.0, 0.0, 0.0]
    clock.now += 10
    assert limiter.hit("u") == 50.0
    assert limiter.hit("other") == 0.0
    clock.now += 50
    assert limiter.hit("u") == 0.0


def test_cost_counts_several_hits_and_a_refusal_records_nothing() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(5, 60.0, clock)
    assert limiter.hit("u", 3) == 0.0
    assert limiter.hit("u", 3) > 0
    assert limiter.hit("u", 2) == 0.0
    assert limiter.hit("u", 6) == 60.0


def test_idle_keys_are_forgotten() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(1, 1.0, clock)
    for i in range(1000):
        limiter.hit(f"user{i}")
    clock.now += 2
    for i in range(1000):
        limiter.retry_after(f"user{i}")
    assert limiter._hits == {}
