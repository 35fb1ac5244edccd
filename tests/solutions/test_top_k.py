"""Tests for solutions.top_k."""

import random
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solutions import top_k


def test_exact_basic_order() -> None:
    """The most frequent users come first with their counts."""
    events = ["a", "b", "a", "c", "a", "b"]
    assert top_k.top_k_exact(events, 2) == [("a", 3), ("b", 2)]


def test_exact_k_zero_and_negative() -> None:
    """k of zero or below returns an empty list."""
    assert top_k.top_k_exact(["a", "b"], 0) == []
    assert top_k.top_k_exact(["a", "b"], -3) == []


def test_exact_empty_input() -> None:
    """An empty stream has no top users."""
    assert top_k.top_k_exact([], 3) == []


def test_exact_k_larger_than_users() -> None:
    """Asking for more users than exist returns all of them."""
    assert top_k.top_k_exact(["x", "y", "x"], 10) == [("x", 2), ("y", 1)]


def test_exact_ties_break_on_user_id() -> None:
    """Equal counts are ordered by the smaller user id."""
    assert top_k.top_k_exact(["c", "b", "a", "c", "b", "a"], 2) == [("a", 2), ("b", 2)]


def test_exact_accepts_generator() -> None:
    """A one-shot iterator works, as a real stream would be."""
    assert top_k.top_k_exact((u for u in "abcabca"), 1) == [("a", 3)]


def test_exact_matches_full_sort() -> None:
    """On random data the heap answer equals sorting every count."""
    rng = random.Random(7)
    events = [f"u{rng.randint(0, 50)}" for _ in range(2000)]
    full = sorted(Counter(events).items(), key=lambda kv: (-kv[1], kv[0]))
    for k in (1, 5, 51, 100):
        assert top_k.top_k_exact(events, k) == full[:k]


def test_window_expires_old_events() -> None:
    """Events older than the window stop counting."""
    w = top_k.SlidingWindowTopK(window=10)
    w.add("a", 0)
    w.add("a", 1)
    w.add("b", 5)
    assert w.top(1, now=5) == [("a", 2)]
    assert w.top(2, now=10.5) == [("a", 1), ("b", 1)]
    assert w.top(2, now=11.5) == [("b", 1)]


def test_window_boundary_is_exclusive() -> None:
    """An event exactly one window old has expired."""
    w = top_k.SlidingWindowTopK(window=10)
    w.add("a", 0)
    assert w.top(1, now=9.999) == [("a", 1)]
    assert w.top(1, now=10) == []


def test_window_empty_and_k_zero() -> None:
    """An empty window and k=0 both return an empty list."""
    w = top_k.SlidingWindowTopK(window=5)
    assert w.top(3) == []
    w.add("a", 1)
    assert w.top(0) == []


def test_window_rejects_time_travel() -> None:
    """Out-of-order timestamps and a non-positive window are rejected."""
    w = top_k.SlidingWindowTopK(window=5)
    w.add("a", 10)
    with pytest.raises(ValueError):
        w.add("a", 9)
    with pytest.raises(ValueError):
        w.top(1, now=8)
    assert w.top(1) == [("a", 1)]  # the rejected event changed nothing
    with pytest.raises(ValueError):
        top_k.SlidingWindowTopK(window=0)


def test_window_decimal_boundary() -> None:
    """An event at 0.2 s has expired at 0.7 s in a 0.5 s window, despite float subtraction."""
    w = top_k.SlidingWindowTopK(window=0.5)
    w.add("a", 0.2)
    assert w.top(1, now=0.6999) == [("a", 1)]
    assert w.top(1, now=0.7) == []


def test_bucketed_accepts_late_events_inside_window() -> None:
    """A late event lands in its own bucket; one older than the window is refused."""
    w = top_k.BucketedWindowTopK(buckets=3, bucket=1.0)
    assert w.add("a", 5.5)
    assert w.add("b", 3.2)  # bucket 3 is still in the window (3, 4, 5)
    assert not w.add("c", 2.9)  # bucket 2 has left it
    assert w.top(5) == [("a", 1), ("b", 1)]
    assert w.top(5, now=6.0) == [("a", 1)]
    assert w.top(5, now=100) == []


def test_merge_partitioned_rejects_overlap() -> None:
    """Two shards reporting the same user means the partitioning is broken."""
    with pytest.raises(ValueError):
        top_k.merge_partitioned([[("a", 3)], [("a", 2)]], 1)
    assert top_k.merge_partitioned([], 3) == []


def test_window_matches_brute_force() -> None:
    """The incremental window agrees with recounting the window from scratch."""
    rng = random.Random(3)
    w = top_k.SlidingWindowTopK(window=30)
    history: list[tuple[float, str]] = []
    t = 0.0
    for _ in range(500):
        t += rng.random() * 3
        user = f"u{rng.randint(0, 9)}"
        w.add(user, t)
        history.append((t, user))
        expected = Counter(u for ts, u in history if ts > t - 30)
        want = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        assert w.top(3) == want


def test_space_saving_exact_when_capacity_suffices() -> None:
    """With a counter per distinct user the counts are exact."""
    s = top_k.SpaceSaving(capacity=3)
    for u in "aabbbc":
        s.add(u)
    assert s.top(3) == [("b", 3), ("a", 2), ("c", 1)]
    assert s.estimate("b") == (3, 0)


def test_space_saving_capacity_one() -> None:
    """With one counter each new user takes over and inherits the count."""
    s = top_k.SpaceSaving(capacity=1)
    for u in "aab":
        s.add(u)
    assert s.top(1) == [("b", 3)]
    assert s.estimate("b") == (3, 2)
    assert s.estimate("a") == (0, 0)


def test_space_saving_bounds_hold() -> None:
    """Estimates bracket the true count and heavy hitters are never missed."""
    rng = random.Random(11)
    heavy = ["h1"] * 900 + ["h2"] * 600
    noise = [f"n{rng.randint(0, 5000)}" for _ in range(3500)]
    stream = heavy + noise
    rng.shuffle(stream)
    m = 50
    s = top_k.SpaceSaving(capacity=m)
    for u in stream:
        s.add(u)
    truth = Counter(stream)
    n = len(stream)
    for user, count in s.top(m):
        _, error = s.estimate(user)
        assert count - error <= truth[user] <= count
        assert error <= n / m
    for user, true_count in truth.items():
        if true_count > n / m:
            assert s.estimate(user)[0] > 0
    assert [u for u, _ in s.top(2)] == ["h1", "h2"]


def test_space_saving_invalid_capacity() -> None:
    """A capacity below one is rejected."""
    with pytest.raises(ValueError):
        top_k.SpaceSaving(capacity=0)


# ---- properties against brute-force oracles ------------------------------------------------

USERS = st.sampled_from(["a", "b", "c", "d", "e"])


def _oracle_rank(counts: Counter[str], k: int) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: max(k, 0)]


@settings(max_examples=80, deadline=None)
@given(st.lists(USERS, max_size=40), st.integers(-1, 7))
def test_exact_property(events: list[str], k: int) -> None:
    """Heap ranking equals a full sort, ties and empty input included."""
    assert top_k.top_k_exact(events, k) == _oracle_rank(Counter(events), k)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(USERS, st.integers(0, 7)), max_size=40), st.integers(1, 20), st.integers(1, 4))
def test_sliding_window_property(steps: list[tuple[str, int]], window_tenths: int, k: int) -> None:
    """Incremental window equals recounting (t - w, t] exactly, with 0.1 s steps accumulated in floats."""
    w = top_k.SlidingWindowTopK(window=window_tenths / 10)
    now, exact, seen = 0.0, Fraction(0), []
    window = Fraction(window_tenths, 10)
    for user, step in steps:
        now += step / 10
        exact += Fraction(step, 10)
        w.add(user, now)
        seen.append((exact, user))
        want = Counter(u for t, u in seen if t > exact - window)
        assert w.top(k) == _oracle_rank(want, k)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(USERS, st.integers(-12, 12)), max_size=40), st.integers(1, 4), st.integers(1, 5))
def test_bucketed_window_property(steps: list[tuple[str, int]], buckets: int, width_tenths: int) -> None:
    """Against a full event log, with clocks that step backwards."""
    w = top_k.BucketedWindowTopK(buckets=buckets, bucket=width_tenths / 10)
    now, exact, newest = 0.0, 0, None
    kept: list[tuple[int, str]] = []
    for user, step in steps:
        now += step / 10
        exact += step
        index = exact // width_tenths  # exact integer arithmetic in tenths
        accepted = newest is None or index > newest - buckets
        assert w.add(user, now) == accepted
        if accepted:
            kept.append((index, user))
            newest = index if newest is None else max(newest, index)
        assert newest is not None
        want = Counter(u for i, u in kept if i > newest - buckets)
        assert w.top(5) == _oracle_rank(want, 5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([f"u{i}" for i in range(12)]), max_size=60), st.integers(1, 4), st.integers(0, 5))
def test_merge_partitioned_property(events: list[str], shards: int, k: int) -> None:
    """Shard by user, rank locally, merge: the global exact answer."""
    parts: list[list[str]] = [[] for _ in range(shards)]
    for user in events:
        parts[int(user[1:]) % shards].append(user)
    local = [top_k.top_k_exact(part, k) for part in parts]
    assert top_k.merge_partitioned(local, k) == top_k.top_k_exact(events, k)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([f"u{i}" for i in range(15)]), max_size=80), st.integers(1, 6))
def test_space_saving_property(stream: list[str], m: int) -> None:
    """The three guarantees hold on any stream, and the counts sum to n."""
    s = top_k.SpaceSaving(capacity=m)
    for user in stream:
        s.add(user)
    truth, n = Counter(stream), len(stream)
    tracked = s.top(m)
    assert sum(c for _, c in tracked) == n
    for user, count in tracked:
        error = s.estimate(user)[1]
        assert count - error <= truth[user] <= count and error * m <= n
    for user, true_count in truth.items():
        if true_count * m > n:
            assert s.estimate(user)[0] > 0
