"""LRU cache with O(1) get and put: a hash map plus a hand-made doubly linked list.

The dict finds a node in O(1); the list keeps recency order and can unlink or
relink a node in O(1) because each node knows both neighbours. Two sentinel
nodes (head = most recent side, tail = least recent side) remove every
"is this the first/last node?" branch.

Follow-ups implemented:

* ``TTLLRUCache``: a per-entry time to live with an injectable clock.
* ``ThreadSafeLRUCache``: ``get`` also writes (it moves the node), so reads
  need the lock too; one ``threading.Lock`` around every operation.
* ``ShardedLRUCache``: when that lock is contended, n independent locked
  shards chosen by ``hash(key) % n``. Recency is then per shard, so the
  evicted key is the least recent *of its shard*, not of the whole cache.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Node(Generic[K, V]):
    """One entry of the recency list."""

    __slots__ = ("key", "value", "prev", "next")

    def __init__(self, key: K, value: V) -> None:
        self.key = key
        self.value = value
        self.prev: _Node[K, V] = self
        self.next: _Node[K, V] = self


class LRUCache(Generic[K, V]):
    """Bounded map that evicts the least recently used key.

    ``get`` and ``put`` are O(1); space is O(capacity). A successful ``get``
    and any ``put`` make the key the most recent. ``in`` and ``len`` do not
    change recency. Edge cases: capacity < 1 raises ``ValueError``; with
    capacity 1 every put of a new key evicts the previous one; ``put`` of an
    existing key updates the value without evicting anything.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._map: dict[K, _Node[K, V]] = {}
        self._head: _Node[K, V] = _Node(None, None)  # type: ignore[arg-type]
        self._tail: _Node[K, V] = _Node(None, None)  # type: ignore[arg-type]
        self._head.next, self._tail.prev = self._tail, self._head

    def __len__(self) -> int:
        return len(self._map)

    def __contains__(self, key: object) -> bool:
        return key in self._map

    def get(self, key: K, default: V | None = None) -> V | None:
        """Return the value of ``key`` (now most recent) or ``default``."""
        node = self._map.get(key)
        if node is None:
            return default
        self._unlink(node)
        self._push_front(node)
        return node.value

    def put(self, key: K, value: V) -> None:
        """Insert or update ``key``; evict the least recent key if full."""
        node = self._map.get(key)
        if node is not None:
            node.value = value
            self._unlink(node)
        else:
            if len(self._map) == self.capacity:
                self.evict()
            node = _Node(key, value)
            self._map[key] = node
        self._push_front(node)

    def delete(self, key: K) -> bool:
        """Remove ``key``; return whether it was present."""
        node = self._map.pop(key, None)
        if node is None:
            return False
        self._unlink(node)
        return True

    def evict(self) -> K | None:
        """Remove and return the least recently used key (None if empty)."""
        node = self._tail.prev
        if node is self._head:
            return None
        self._unlink(node)
        del self._map[node.key]
        return node.key

    def keys(self) -> list[K]:
        """Return the keys from most to least recently used (O(n))."""
        out, node = [], self._head.next
        while node is not self._tail:
            out.append(node.key)
            node = node.next
        return out

    def check_invariants(self) -> None:
        """Raise AssertionError if the map and the list disagree (for tests)."""
        seen, node = 0, self._head
        while node.next is not self._tail:
            assert node.next.prev is node, "broken back link"
            node = node.next
            assert self._map.get(node.key) is node, "list node missing from the map"
            seen += 1
        assert self._tail.prev is node, "tail not linked to the last node"
        assert seen == len(self._map) <= self.capacity, "size mismatch or over capacity"

    def _unlink(self, node: _Node[K, V]) -> None:
        node.prev.next, node.next.prev = node.next, node.prev

    def _push_front(self, node: _Node[K, V]) -> None:
        node.prev, node.next = self._head, self._head.next
        self._head.next.prev = node
        self._head.next = node


class TTLLRUCache(Generic[K, V]):
    """LRU cache whose entries also expire ``ttl`` seconds after their put.

    Expiry is lazy: an expired entry is dropped when ``get`` finds it, and it
    is the natural eviction victim anyway because it stops being touched.
    An entry is expired when ``now >= expires_at`` (so ``ttl`` is exclusive).
    Times are whole microseconds, so a 0.3 s TTL set at 0.1 s ends exactly
    at 0.4 s; a clock that steps backwards is held at its latest reading, so
    it cannot revive an entry. Same O(1) costs as ``LRUCache``.
    """

    def __init__(
        self, capacity: int, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self.ttl = ttl
        self._ttl_us = round(ttl * 1_000_000)
        self._clock = clock
        self._latest = -(2**63)
        self._lru: LRUCache[K, tuple[V, int]] = LRUCache(capacity)

    def _now(self) -> int:
        self._latest = max(self._latest, round(self._clock() * 1_000_000))
        return self._latest

    def __len__(self) -> int:
        return len(self._lru)

    def get(self, key: K, default: V | None = None) -> V | None:
        """Return the live value of ``key`` or ``default``."""
        now = self._now()
        entry = self._lru.get(key)
        if entry is None:
            return default
        value, expires_at = entry
        if now >= expires_at:
            self._lru.delete(key)
            return default
        return value

    def put(self, key: K, value: V) -> None:
        """Insert or refresh ``key`` with a new expiry time."""
        self._lru.put(key, (value, self._now() + self._ttl_us))


class ThreadSafeLRUCache(Generic[K, V]):
    """``LRUCache`` behind one lock; every method holds it, ``get`` included.

    A read-write lock would buy nothing: ``get`` reorders the list. Costs stay
    O(1) but all threads serialise on the lock.
    """

    def __init__(self, capacity: int) -> None:
        self._lock = threading.Lock()
        self._lru: LRUCache[K, V] = LRUCache(capacity)

    def __len__(self) -> int:
        with self._lock:
            return len(self._lru)

    def get(self, key: K, default: V | None = None) -> V | None:
        with self._lock:
            return self._lru.get(key, default)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._lru.put(key, value)

    def delete(self, key: K) -> bool:
        with self._lock:
            return self._lru.delete(key)

    def check_invariants(self) -> None:
        with self._lock:
            self._lru.check_invariants()


class ShardedLRUCache(Generic[K, V]):
    """``shards`` independent ``ThreadSafeLRUCache`` s, chosen by key hash.

    Threads touching different shards do not contend. Capacity is split as
    evenly as possible (each shard holds at least one entry), so the total
    never exceeds ``capacity``; eviction is LRU within a shard only, which is
    the usual price (Caffeine and Guava made the same trade).
    """

    def __init__(self, capacity: int, shards: int = 16) -> None:
        if shards < 1 or capacity < shards:
            raise ValueError("need 1 <= shards <= capacity")
        base, extra = divmod(capacity, shards)
        self._shards: list[ThreadSafeLRUCache[K, V]] = [
            ThreadSafeLRUCache(base + (1 if i < extra else 0)) for i in range(shards)
        ]

    def _shard(self, key: K) -> ThreadSafeLRUCache[K, V]:
        return self._shards[hash(key) % len(self._shards)]

    def __len__(self) -> int:
        return sum(len(s) for s in self._shards)

    def get(self, key: K, default: V | None = None) -> V | None:
        return self._shard(key).get(key, default)

    def put(self, key: K, value: V) -> None:
        self._shard(key).put(key, value)

    def delete(self, key: K) -> bool:
        return self._shard(key).delete(key)

    def check_invariants(self) -> None:
        for shard in self._shards:
            shard.check_invariants()
