"""Tests for solutions.lru_cache."""

import random
from collections import OrderedDict

import pytest

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


def test_ttl_still_bounded_by_capacity() -> None:
    """Live entries are still evicted in LRU order when the cache is full."""
    c: lru_cache.TTLLRUCache[str, int] = lru_cache.TTLLRUCache(1, ttl=100, clock=FakeClock())
    c.put("a", 1)
    c.put("b", 2)
    assert c.get("a") is None and c.get("b") == 2
    with pytest.raises(ValueError):
        lru_cache.TTLLRUCache(1, ttl=0)
