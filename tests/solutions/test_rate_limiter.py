"""Tests for solutions.rate_limiter: examples, then properties against brute-force oracles."""

import math
import threading
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solutions import rate_limiter

FAST = settings(max_examples=60, deadline=None)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_token_bucket_allows_burst_then_denies() -> None:
    """A full bucket serves a burst of capacity requests, then refuses."""
    tb = rate_limiter.TokenBucket(capacity=3, rate=1, clock=FakeClock())
    assert [tb.allow("k").allowed for _ in range(4)] == [True, True, True, False]


def test_token_bucket_refill_boundary() -> None:
    """A token is back exactly 1/rate seconds later, not before."""
    clock = FakeClock()
    tb = rate_limiter.TokenBucket(capacity=1, rate=2, clock=clock)
    assert tb.allow("k").allowed
    clock.now = 0.25
    denied = tb.allow("k")
    assert not denied.allowed and denied.retry_after == pytest.approx(0.25)
    clock.now = 0.5
    assert tb.allow("k").allowed


def test_token_bucket_decimal_steps_do_not_drift() -> None:
    """At 10 requests/s, one request every accumulated 0.1 s always passes."""
    clock = FakeClock()
    tb = rate_limiter.TokenBucket(capacity=1, rate=10, clock=clock)
    for _ in range(200):
        assert tb.allow("k").allowed
        clock.now += 0.1  # accumulates binary rounding error on purpose


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


def test_invalid_config() -> None:
    """Non-positive sizes and rates are rejected by every limiter."""
    with pytest.raises(ValueError):
        rate_limiter.TokenBucket(capacity=0, rate=1)
    with pytest.raises(ValueError):
        rate_limiter.TokenBucket(capacity=1, rate=0)
    with pytest.raises(ValueError):
        rate_limiter.SlidingWindowLog(limit=0, window=1)
    with pytest.raises(ValueError):
        rate_limiter.SlidingWindowCounter(limit=1, window=0)
    with pytest.raises(ValueError):
        rate_limiter.GCRA(rate=1, burst=0)
    with pytest.raises(ValueError):
        rate_limiter.SharedGCRA(rate_limiter.InMemoryStore(), rate=0, burst=1)


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
    """A request exactly one window old no longer counts, also at decimal times."""
    clock = FakeClock(0.2)
    lim = rate_limiter.SlidingWindowLog(limit=1, window=0.5, clock=clock)
    assert lim.allow("k").allowed
    clock.now = 0.6999
    assert not lim.allow("k").allowed
    clock.now = 0.7  # 0.7 - 0.5 == 0.19999999999999996 in floats; ticks make it exact
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


def test_counter_weights_previous_window() -> None:
    """Part of the previous window still counts, in proportion to its overlap."""
    clock = FakeClock(0)
    lim = rate_limiter.SlidingWindowCounter(limit=4, window=10, clock=clock)
    assert all(lim.allow("k").allowed for _ in range(4))
    clock.now = 12  # estimate = 4 * 0.8 + 0 = 3.2
    assert lim.allow("k").allowed
    denied = lim.allow("k")  # 3.2 + 1 >= 4
    assert not denied.allowed
    assert denied.retry_after == pytest.approx(0.5, abs=1e-5)  # 4 * (1 - f) + 1 < 4 once f > 0.25
    clock.now = 12.6  # 4 * 0.74 + 1 = 3.96
    assert lim.allow("k").allowed


def test_counter_retry_after_when_current_full() -> None:
    """A full current window points to when its carried weight drops enough."""
    clock = FakeClock(0)
    lim = rate_limiter.SlidingWindowCounter(limit=2, window=10, clock=clock)
    assert lim.allow("k").allowed and lim.allow("k").allowed
    denied = lim.allow("k")
    assert not denied.allowed
    assert denied.retry_after == pytest.approx(10, abs=1e-5)  # 2 * (1 - f) < 2 for any f > 0


def test_counter_skipped_windows_reset() -> None:
    """After more than one idle window all history is forgotten."""
    clock = FakeClock(0)
    lim = rate_limiter.SlidingWindowCounter(limit=1, window=10, clock=clock)
    assert lim.allow("k").allowed
    clock.now = 25
    assert lim.allow("k").allowed
    assert not lim.allow("k").allowed


def test_gcra_retry_after_and_burst() -> None:
    """GCRA admits the burst, then one request per interval, and says when."""
    clock = FakeClock()
    g = rate_limiter.GCRA(rate=2, burst=3, clock=clock)
    assert [g.allow("k").allowed for _ in range(4)] == [True, True, True, False]
    clock.now = 0.2
    denied = g.allow("k")
    assert not denied.allowed and denied.retry_after == pytest.approx(0.3)
    clock.now = 0.5
    assert g.allow("k").allowed


def test_shared_gcra_gateways_share_one_budget() -> None:
    """Three gateways on one store admit the burst once between them, not three times."""
    clock = FakeClock()
    store = rate_limiter.InMemoryStore()
    gateways = [rate_limiter.SharedGCRA(store, rate=1, burst=5, clock=clock) for _ in range(3)]
    allowed = sum(g.allow("k").allowed for _ in range(4) for g in gateways)
    assert allowed == 5


def test_shared_gcra_threads_never_overshoot() -> None:
    """Threads racing through compare-and-set admit exactly the burst at a frozen clock."""
    store = rate_limiter.InMemoryStore()
    clock = FakeClock(100.0)
    limiter = rate_limiter.SharedGCRA(store, rate=1, burst=40, clock=clock, max_attempts=10_000)
    results: list[bool] = []
    lock = threading.Lock()

    def hammer() -> None:
        mine = [limiter.allow("k").allowed for _ in range(50)]
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 400 and sum(results) == 40


class _DownStore:
    def get(self, key: str) -> tuple[int | None, int]:
        raise rate_limiter.StoreUnavailable

    def compare_and_set(self, key: str, version: int, value: int) -> bool:
        raise rate_limiter.StoreUnavailable


class _ContendedStore(rate_limiter.InMemoryStore):
    def compare_and_set(self, key: str, version: int, value: int) -> bool:
        return False  # another gateway always wins


@pytest.mark.parametrize("store", [_DownStore(), _ContendedStore()])
def test_shared_gcra_fail_open_or_closed(store: rate_limiter.AtomicStore) -> None:
    """Without a usable store the limiter does what it was configured to do."""
    open_ = rate_limiter.SharedGCRA(store, rate=1, burst=1, clock=FakeClock(), fail_open=True)
    closed = rate_limiter.SharedGCRA(store, rate=1, burst=1, clock=FakeClock(), fail_open=False)
    assert open_.allow("k").allowed
    denied = closed.allow("k")
    assert not denied.allowed and denied.retry_after == pytest.approx(1)


# ---- properties against brute-force oracles ------------------------------------------------

RATES = [Fraction(1), Fraction(2), Fraction(5, 2), Fraction(4), Fraction(5), Fraction(10)]
# Clock moves in tenths of a second, sometimes backwards (an NTP step or another host's clock).
STEPS = st.lists(st.integers(min_value=-15, max_value=25), min_size=0, max_size=40)


def _readings(steps: list[int]) -> list[tuple[float, Fraction]]:
    """Float clock readings built by accumulation, with their exact decimal values."""
    out, now, tenths = [], 0.0, 0
    for step in steps:
        now += step / 10
        tenths += step
        out.append((now, Fraction(tenths, 10)))
    return out


def _drive(
    limiter_call: Callable[[], rate_limiter.Decision], readings: list[tuple[float, Fraction]], clock: FakeClock
) -> list[bool]:
    out = []
    for reading, _ in readings:
        clock.now = reading
        out.append(limiter_call().allowed)
    return out


def _running_max(exact: list[Fraction]) -> list[Fraction]:
    out: list[Fraction] = []
    for t in exact:
        out.append(max(t, out[-1]) if out else t)
    return out


def _bucket_oracle(times: list[Fraction], costs: list[int], capacity: int, rate: Fraction) -> list[bool]:
    """A request passes iff the tokens left, derived from the whole accepted history, cover it."""
    accepted: list[tuple[Fraction, int]] = []
    out = []
    for t, cost in zip(_running_max(times), costs, strict=True):
        level = Fraction(capacity)
        spent = 0
        for s, c in reversed(accepted):  # suffixes of the accepted history
            spent += c
            level = min(level, capacity + rate * (t - s) - spent)
        ok = level >= cost
        out.append(ok)
        if ok:
            accepted.append((t, cost))
    return out


@FAST
@given(STEPS, st.sampled_from(RATES), st.integers(1, 4), st.data())
def test_token_bucket_matches_oracle(steps: list[int], rate: Fraction, capacity: int, data: st.DataObject) -> None:
    """Token bucket decisions equal the definition, for decimal and backwards clocks."""
    readings = _readings(steps)
    costs = data.draw(st.lists(st.integers(1, 2), min_size=len(steps), max_size=len(steps)))
    clock = FakeClock()
    tb = rate_limiter.TokenBucket(capacity=capacity, rate=float(rate), clock=clock)
    got = []
    for (reading, _), cost in zip(readings, costs, strict=True):
        clock.now = reading
        got.append(tb.allow("k", cost=cost).allowed)
    assert got == _bucket_oracle([e for _, e in readings], costs, capacity, rate)


@FAST
@given(STEPS, st.sampled_from(RATES), st.integers(1, 4))
def test_gcra_matches_token_bucket_and_leaky_bucket(steps: list[int], rate: Fraction, burst: int) -> None:
    """GCRA equals the token bucket on a monotonic clock and the leaky-bucket counter on any clock."""
    readings = _readings(steps)
    clock = FakeClock()
    g = rate_limiter.GCRA(rate=float(rate), burst=burst, clock=clock)
    got = _drive(lambda: g.allow("k"), readings, clock)
    interval, tolerance = 1 / rate, (burst - 1) / rate
    level, last, want = Fraction(0), None, []  # ITU-T I.371 continuous-state leaky bucket
    for _, t in readings:
        drained = level if last is None else max(Fraction(0), level - (t - last))
        ok = drained <= tolerance
        want.append(ok)
        if ok:
            level, last = drained + interval, t
    assert got == want
    monotonic = [(float(t), t) for t in _running_max([e for _, e in readings])]
    clock2 = FakeClock()
    g2 = rate_limiter.GCRA(rate=float(rate), burst=burst, clock=clock2)
    tb = rate_limiter.TokenBucket(capacity=burst, rate=float(rate), clock=clock2)
    assert _drive(lambda: g2.allow("k"), monotonic, clock2) == _drive(lambda: tb.allow("k"), monotonic, clock2)


@FAST
@given(STEPS, st.integers(1, 30), st.integers(1, 4))
def test_sliding_log_matches_oracle(steps: list[int], window_tenths: int, limit: int) -> None:
    """The log admits a request iff fewer than limit accepted ones lie in (t - w, t]."""
    readings = _readings(steps)
    window = Fraction(window_tenths, 10)
    clock = FakeClock()
    lim = rate_limiter.SlidingWindowLog(limit=limit, window=window_tenths / 10, clock=clock)
    got = _drive(lambda: lim.allow("k"), readings, clock)
    accepted: list[Fraction] = []
    want = []
    for t in _running_max([e for _, e in readings]):
        ok = sum(1 for s in accepted if s > t - window) < limit
        want.append(ok)
        if ok:
            accepted.append(t)
    assert got == want


@FAST
@given(STEPS, st.integers(1, 30), st.integers(1, 4))
def test_sliding_counter_matches_oracle(steps: list[int], window_tenths: int, limit: int) -> None:
    """The counter's decisions equal its formula recomputed from the full accepted history."""
    readings = _readings(steps)
    window = Fraction(window_tenths, 10)
    clock = FakeClock()
    lim = rate_limiter.SlidingWindowCounter(limit=limit, window=window_tenths / 10, clock=clock)
    got = _drive(lambda: lim.allow("k"), readings, clock)
    accepted: list[Fraction] = []
    want = []
    for t in _running_max([e for _, e in readings]):
        index = math.floor(t / window)
        prev = sum(1 for s in accepted if math.floor(s / window) == index - 1)
        curr = sum(1 for s in accepted if math.floor(s / window) == index)
        ok = prev * (1 - (t - index * window) / window) + curr < limit
        want.append(ok)
        if ok:
            accepted.append(t)
    assert got == want


@FAST
@given(STEPS, st.sampled_from(RATES), st.integers(1, 4), st.lists(st.integers(0, 2), max_size=40))
def test_shared_gcra_fleet_equals_one_gcra(
    steps: list[int], rate: Fraction, burst: int, picks: list[int]
) -> None:
    """Requests spread over three gateways get the decisions one local GCRA would give."""
    readings = _readings(steps)
    clock = FakeClock()
    store = rate_limiter.InMemoryStore()
    fleet = [rate_limiter.SharedGCRA(store, rate=float(rate), burst=burst, clock=clock) for _ in range(3)]
    local = rate_limiter.GCRA(rate=float(rate), burst=burst, clock=clock)
    for i, (reading, _) in enumerate(readings):
        clock.now = reading
        gateway = fleet[picks[i] if i < len(picks) else 0]
        assert gateway.allow("k") == local.allow("k")
