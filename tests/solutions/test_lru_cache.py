"""Tests for solutions.lru_cache."""

import random
import sys
import threading
from collections import OrderedDict
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solutions import lru_cache


def test_evicts_least_recently_used() -> None:
    """When full, the key untouched the longest is evicted."""
    c: lru_cache.LRUCache[str, int] = lru_cache.LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    c.put("c", 3)
    assert "a" not in c and c.get("b") == 2 and c.get("c") == 3


def test_get_refreshes_recency() -> None:
    """A get makes the key most recent, so the other key is evicted."""
    c: lru_cache.LRUCache[str, int] = lru_cache.LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    assert c.get("a") == 1
    c.put("c", 3)
    assert c.keys() == ["c", "a"]


def test_put_existing_updates_without_eviction() -> None:
    """Overwriting a key changes its value, refreshes it and evicts nothing."""
    c: lru_cache.LRUCache[str, int] = lru_cache.LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    c.put("a", 10)
    assert len(c) == 2 and c.keys() == ["a", "b"] and c.get("a") == 10


def test_capacity_one() -> None:
    """With capacity 1 each new key replaces the previous one."""
    c: lru_cache.LRUCache[str, int] = lru_cache.LRUCache(1)
    c.put("a", 1)
    c.put("b", 2)
    assert c.get("a") is None and c.get("b") == 2 and len(c) == 1
    c.put("b", 3)
    assert c.get("b") == 3


def test_missing_key_returns_default() -> None:
    """A miss returns None or the given default and changes nothing."""
    c: lru_cache.LRUCache[str, int] = lru_cache.LRUCache(2)
    assert c.get("nope") is None
    assert c.get("nope", -1) == -1
    assert len(c) == 0


def test_falsy_values_are_hits() -> None:
    """A stored 0 is returned as 0, not treated as a miss."""
    c: lru_cache.LRUCache[str, int] = lru_cache.LRUCache(2)
    c.put("zero", 0)
    assert c.get("zero", -1) == 0


def test_delete_and_evict_on_empty() -> None:
    """Delete reports presence; evicting an empty cache returns None."""
    c: lru_cache.LRUCache[str, int] = lru_cache.LRUCache(2)
    assert c.evict() is None
    c.put("a", 1)
    assert c.delete("a") is True and c.delete("a") is False
    assert c.keys() == [] and c.evict() is None


def test_invalid_capacity() -> None:
    """A capacity below one is rejected."""
    with pytest.raises(ValueError):
        lru_cache.LRUCache(0)


OPS = st.lists(st.tuples(st.sampled_from(["get", "put", "delete"]), st.integers(0, 6)), max_size=60)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 4), OPS)
def test_property_matches_ordereddict_oracle(capacity: int, ops: list[tuple[str, int]]) -> None:
    """Any operation sequence, empty included, behaves like the OrderedDict model."""
    cache: lru_cache.LRUCache[int, int] = lru_cache.LRUCache(capacity)
    model: OrderedDict[int, int] = OrderedDict()
    for step, (op, key) in enumerate(ops):
        if op == "put":
            cache.put(key, step)
            model[key] = step
            model.move_to_end(key)
            if len(model) > capacity:
                model.popitem(last=False)
        elif op == "get":
            if key in model:
                model.move_to_end(key)
            assert cache.get(key) == model.get(key)
        else:
            assert cache.delete(key) == (model.pop(key, None) is not None)
        cache.check_invariants()
        assert cache.keys() == list(reversed(model))


def test_matches_ordereddict_model() -> None:
    """Random operations behave exactly like an OrderedDict reference model."""
    rng = random.Random(5)
    cache: lru_cache.LRUCache[int, int] = lru_cache.LRUCache(4)
    model: OrderedDict[int, int] = OrderedDict()
    for step in range(3000):
        key = rng.randrange(10)
        if rng.random() < 0.5:
            cache.put(key, step)
            model[key] = step
            model.move_to_end(key)
            if len(model) > 4:
                model.popitem(last=False)
        else:
            want = model.get(key)
            if key in model:
                model.move_to_end(key)
            assert cache.get(key) == want
        assert cache.keys() == list(reversed(model))


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_ttl_expiry_boundary() -> None:
    """An entry lives for strictly less than ttl seconds."""
    clock = FakeClock()
    c: lru_cache.TTLLRUCache[str, int] = lru_cache.TTLLRUCache(2, ttl=5, clock=clock)
    c.put("a", 1)
    clock.now = 4.999
    assert c.get("a") == 1
    clock.now = 5
    assert c.get("a") is None and len(c) == 0


def test_ttl_put_refreshes_expiry() -> None:
    """Writing a key again restarts its time to live."""
    clock = FakeClock()
    c: lru_cache.TTLLRUCache[str, int] = lru_cache.TTLLRUCache(2, ttl=5, clock=clock)
    c.put("a", 1)
    clock.now = 4
    c.put("a", 2)
    clock.now = 8
    assert c.get("a") == 2


def test_ttl_decimal_boundary() -> None:
    """A 0.3 s TTL set at an accumulated 0.1 s ends exactly at 0.4 s."""
    clock = FakeClock()
    c: lru_cache.TTLLRUCache[str, int] = lru_cache.TTLLRUCache(2, ttl=0.3, clock=clock)
    clock.now += 0.1
    c.put("a", 1)
    clock.now += 0.1
    clock.now += 0.1
    assert c.get("a") == 1  # 0.30000000000000004
    clock.now += 0.1  # 0.4 in decimal, 0.4000000000000001 in binary
    assert c.get("a") is None


def test_ttl_clock_backwards_cannot_revive() -> None:
    """After a clock steps back, an entry already past its expiry stays expired."""
    clock = FakeClock()
    c: lru_cache.TTLLRUCache[str, int] = lru_cache.TTLLRUCache(2, ttl=5, clock=clock)
    c.put("a", 1)
    clock.now = 6
    c.put("b", 2)
    clock.now = 1
    assert c.get("a") is None and c.get("b") == 2


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(1, 20),
    st.lists(st.tuples(st.sampled_from(["get", "put"]), st.integers(0, 4), st.integers(-10, 15)), max_size=50),
)
def test_ttl_property_matches_oracle(capacity: int, ttl_tenths: int, ops: list[tuple[str, int, int]]) -> None:
    """Against an exact model, with clocks moving in 0.1 s steps, backwards too."""
    clock = FakeClock()
    c: lru_cache.TTLLRUCache[int, int] = lru_cache.TTLLRUCache(capacity, ttl=ttl_tenths / 10, clock=clock)
    model: OrderedDict[int, tuple[int, Fraction]] = OrderedDict()
    exact, latest = Fraction(0), None
    for step, (op, key, dt) in enumerate(ops):
        clock.now += dt / 10
        exact += Fraction(dt, 10)
        latest = exact if latest is None else max(latest, exact)
        if op == "put":
            model[key] = (step, latest + Fraction(ttl_tenths, 10))
            model.move_to_end(key)
            if len(model) > capacity:
                model.popitem(last=False)
            c.put(key, step)
        else:
            want = None
            if key in model:
                model.move_to_end(key)
                value, expires = model[key]
                if latest >= expires:
                    del model[key]
                else:
                    want = value
            assert c.get(key) == want
        assert len(c) == len(model)


@pytest.mark.parametrize("make", [lambda: lru_cache.ThreadSafeLRUCache(64), lambda: lru_cache.ShardedLRUCache(64, 8)])
def test_concurrent_hammering_keeps_invariants(make) -> None:  # type: ignore[no-untyped-def]
    """Eight threads mixing get, put and delete never corrupt the cache or cross values."""
    cache = make()
    errors: list[str] = []
    start = threading.Barrier(8)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        start.wait()
        for i in range(3000):
            key = rng.randrange(200)
            roll = rng.random()
            if roll < 0.5:
                cache.put(key, (key, seed, i))
            elif roll < 0.9:
                got = cache.get(key)
                if got is not None and got[0] != key:
                    errors.append(f"key {key} returned {got}")
            else:
                cache.delete(key)
            if len(cache) > 64:
                errors.append("over capacity")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so unlocked code would interleave
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    cache.check_invariants()
    assert len(cache) <= 64


def test_sharded_rejects_bad_shape() -> None:
    """Shards must be between one and the capacity."""
    with pytest.raises(ValueError):
        lru_cache.ShardedLRUCache(4, shards=8)
    with pytest.raises(ValueError):
        lru_cache.ShardedLRUCache(4, shards=0)


def test_ttl_still_bounded_by_capacity() -> None:
    """Live entries are still evicted in LRU order when the cache is full."""
    c: lru_cache.TTLLRUCache[str, int] = lru_cache.TTLLRUCache(1, ttl=100, clock=FakeClock())
    c.put("a", 1)
    c.put("b", 2)
    assert c.get("a") is None and c.get("b") == 2
    with pytest.raises(ValueError):
        lru_cache.TTLLRUCache(1, ttl=0)
