"""Tests for solutions.top_k."""

import random
from collections import Counter

import pytest

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
    with pytest.raises(ValueError):
        top_k.SlidingWindowTopK(window=0)


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
