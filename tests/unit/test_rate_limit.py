"""The sliding-window limiter used for per-user summary requests."""

from __future__ import annotations

from handlers.rate_limit import FairLimiter, SlidingWindowLimiter


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


def test_fair_limit_counts_a_message_once_and_repeated_links_never() -> None:
    clock = Clock()
    limiter = FairLimiter(2, 60.0, clock)
    assert limiter.admit("u", ["2401.1", "2401.2", "2401.3"]) == 0.0  # one message, one hit
    assert limiter.admit("u", ["2401.2"]) == 0.0  # asked already: free
    assert limiter.admit("u", ["2401.1", "2401.3"]) == 0.0
    assert limiter.admit("u", ["2401.4"]) == 0.0  # second hit
    clock.now += 10
    assert limiter.admit("u", ["2401.5"]) == 50.0  # third new message in the window
    assert limiter.admit("u", ["2401.5"]) == 50.0  # a refusal records nothing
    assert limiter.admit("u", ["2401.4", "2401.1"]) == 0.0  # still only repeats
    clock.now += 50
    assert limiter.admit("u", ["2401.5"]) == 0.0
    assert limiter.admit("v", ["2401.5"]) == 0.0  # per user


def test_repeats_expire_with_the_window() -> None:
    clock = Clock()
    limiter = FairLimiter(1, 60.0, clock)
    assert limiter.admit("u", ["2401.1"]) == 0.0
    clock.now += 61
    assert limiter.admit("u", ["2401.2"]) == 0.0
    assert limiter.admit("u", ["2401.1"]) > 0  # forgotten after the window: a new request


def test_a_refusal_is_announced_once_per_window() -> None:
    clock = Clock()
    limiter = FairLimiter(1, 60.0, clock)
    assert limiter.announce("u") is True
    assert limiter.announce("u") is False
    assert limiter.announce("v") is True
    clock.now += 59
    assert limiter.announce("u") is False
    clock.now += 1
    assert limiter.announce("u") is True
