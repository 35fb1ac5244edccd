"""Tests for solutions.rate_limiter."""

import math

import pytest

from solutions import rate_limiter


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_token_bucket_allows_burst_then_denies() -> None:
    """A full bucket serves a burst of capacity requests, then refuses."""
    clock = FakeClock()
    tb = rate_limiter.TokenBucket(capacity=3, rate=1, clock=clock)
    assert [tb.allow("k").allowed for _ in range(4)] == [True, True, True, False]


def test_token_bucket_refill_boundary() -> None:
    """A token is back exactly 1/rate seconds later, not before."""
    clock = FakeClock()
    tb = rate_limiter.TokenBucket(capacity=1, rate=2, clock=clock)
    assert tb.allow("k").allowed
    clock.now = 0.25
    denied = tb.allow("k")
    assert not denied.allowed
    assert denied.retry_after == pytest.approx(0.25)
    clock.now = 0.5
    assert tb.allow("k").allowed


def test_token_bucket_caps_at_capacity() -> None:
    """A long idle period does not bank more than capacity tokens."""
    clock = FakeClock()
    tb = rate_limiter.TokenBucket(capacity=2, rate=1, clock=clock)
    clock.now = 1000
    assert [tb.allow("k").allowed for _ in range(3)] == [True, True, False]


def test_token_bucket_keys_are_independent() -> None:
    """One user's exhausted bucket does not affect another user."""
    tb = rate_limiter.TokenBucket(capacity=1, rate=1, clock=FakeClock())
    assert tb.allow("alice").allowed
    assert not tb.allow("alice").allowed
    assert tb.allow("bob").allowed


def test_token_bucket_cost_above_capacity() -> None:
    """A request costing more than the bucket holds can never pass."""
    tb = rate_limiter.TokenBucket(capacity=2, rate=1, clock=FakeClock())
    decision = tb.allow("k", cost=3)
    assert not decision.allowed and math.isinf(decision.retry_after)


def test_token_bucket_clock_going_backwards() -> None:
    """A clock step backwards adds no tokens and does not crash."""
    clock = FakeClock(10)
    tb = rate_limiter.TokenBucket(capacity=1, rate=1, clock=clock)
    assert tb.allow("k").allowed
    clock.now = 5
    assert not tb.allow("k").allowed
    clock.now = 10.5
    assert not tb.allow("k").allowed
    clock.now = 11
    assert tb.allow("k").allowed


def test_token_bucket_invalid_config() -> None:
    """Non-positive capacity or rate is rejected."""
    with pytest.raises(ValueError):
        rate_limiter.TokenBucket(capacity=0, rate=1)
    with pytest.raises(ValueError):
        rate_limiter.TokenBucket(capacity=1, rate=0)


def test_log_limit_and_retry_after() -> None:
    """The log allows limit requests per window and says when the next fits."""
    clock = FakeClock()
    lim = rate_limiter.SlidingWindowLog(limit=2, window=10, clock=clock)
    assert lim.allow("k").allowed
    clock.now = 4
    assert lim.allow("k").allowed
    clock.now = 6
    denied = lim.allow("k")
    assert not denied.allowed and denied.retry_after == pytest.approx(4)


def test_log_window_boundary_is_exclusive() -> None:
    """A request exactly one window old no longer counts."""
    clock = FakeClock()
    lim = rate_limiter.SlidingWindowLog(limit=1, window=10, clock=clock)
    assert lim.allow("k").allowed
    clock.now = 9.999
    assert not lim.allow("k").allowed
    clock.now = 10
    assert lim.allow("k").allowed


def test_log_denied_requests_not_logged() -> None:
    """Hammering while limited does not push the reset further out."""
    clock = FakeClock()
    lim = rate_limiter.SlidingWindowLog(limit=1, window=10, clock=clock)
    lim.allow("k")
    for t in range(1, 10):
        clock.now = t
        assert not lim.allow("k").allowed
    clock.now = 10
    assert lim.allow("k").allowed


def test_log_no_double_burst_at_window_edge() -> None:
    """Unlike a fixed window, two full bursts cannot straddle a boundary."""
    clock = FakeClock(9.9)
    lim = rate_limiter.SlidingWindowLog(limit=3, window=10, clock=clock)
    assert all(lim.allow("k").allowed for _ in range(3))
    clock.now = 10.1
    assert not lim.allow("k").allowed


def test_log_invalid_config() -> None:
    """A limit below one or a non-positive window is rejected."""
    with pytest.raises(ValueError):
        rate_limiter.SlidingWindowLog(limit=0, window=1)
    with pytest.raises(ValueError):
        rate_limiter.SlidingWindowCounter(limit=1, window=0)


def test_counter_weights_previous_window() -> None:
    """Part of the previous window still counts, in proportion to its overlap."""
    clock = FakeClock(0)
    lim = rate_limiter.SlidingWindowCounter(limit=4, window=10, clock=clock)
    assert all(lim.allow("k").allowed for _ in range(4))
    clock.now = 12  # estimate = 4 * 0.8 + 0 = 3.2
    assert lim.allow("k").allowed
    denied = lim.allow("k")  # 3.2 + 1 >= 4
    assert not denied.allowed
    assert denied.retry_after == pytest.approx(0.5)  # 4 * (1 - f) + 1 < 4 once f > 0.25
    clock.now = 12.6  # 4 * 0.74 + 1 = 3.96
    assert lim.allow("k").allowed


def test_counter_retry_after_when_current_full() -> None:
    """A full current window points to when its carried weight drops enough."""
    clock = FakeClock(0)
    lim = rate_limiter.SlidingWindowCounter(limit=2, window=10, clock=clock)
    assert lim.allow("k").allowed and lim.allow("k").allowed
    denied = lim.allow("k")
    assert not denied.allowed
    # Next window: 2 * (1 - f) < 2 for any f > 0, so free just after t = 10.
    assert denied.retry_after == pytest.approx(10)


def test_counter_skipped_windows_reset() -> None:
    """After more than one idle window all history is forgotten."""
    clock = FakeClock(0)
    lim = rate_limiter.SlidingWindowCounter(limit=1, window=10, clock=clock)
    assert lim.allow("k").allowed
    clock.now = 25
    assert lim.allow("k").allowed
    assert not lim.allow("k").allowed
