"""Top K most active users in a stream of activity events.

Three answers, in the order you would give them in the interview:

1. ``top_k_exact``: count every user, then keep a min-heap of size k.
2. ``SlidingWindowTopK``: the same, but only over the last ``window`` seconds.
3. ``SpaceSaving``: the follow-up for unbounded cardinality; fixed memory,
   approximate counts with a per-item error bound (Metwally et al., ICDT 2005).

Ordering contract shared by all three: higher count first; ties broken by the
smaller user id, so results are deterministic and easy to assert in tests.
"""

from __future__ import annotations

import heapq
from collections import Counter, deque
from collections.abc import Iterable, Mapping

UserCount = tuple[str, int]


def _rank(counts: Mapping[str, int], k: int) -> list[UserCount]:
    """Return the k best (user, count) pairs of ``counts``.

    ``heapq.nsmallest`` keeps a bounded heap of size k internally, so this is
    O(u log k) time and O(k) extra space for u distinct users.
    Edge cases: k <= 0 returns []; k > u returns all u users.
    """
    if k <= 0:
        return []
    return heapq.nsmallest(k, counts.items(), key=lambda kv: (-kv[1], kv[0]))


def top_k_exact(events: Iterable[str], k: int) -> list[UserCount]:
    """Return the k most active users in ``events`` (one user id per event).

    Time O(n + u log k), space O(u) for n events and u distinct users.
    Edge cases: empty input or k <= 0 gives []; ties go to the smaller id.
    """
    return _rank(Counter(events), k)


class SlidingWindowTopK:
    """Exact top K over the events of the last ``window`` seconds.

    The window is half-open, ``(now - window, now]``: an event exactly
    ``window`` seconds old has expired. ``add`` is amortised O(1) (each event
    is appended once and evicted once); ``top`` is O(u log k) over the u users
    still in the window. Space is O(events in window).
    Timestamps must be non-decreasing; an older one raises ``ValueError``.
    """

    def __init__(self, window: float) -> None:
        if window <= 0:
            raise ValueError("window must be positive")
        self.window = window
        self._events: deque[tuple[float, str]] = deque()
        self._counts: Counter[str] = Counter()
        self._latest = float("-inf")

    def add(self, user: str, ts: float) -> None:
        """Record one event of ``user`` at time ``ts``."""
        if ts < self._latest:
            raise ValueError("timestamps must be non-decreasing")
        self._latest = ts
        self._events.append((ts, user))
        self._counts[user] += 1
        self._evict(ts)

    def top(self, k: int, now: float | None = None) -> list[UserCount]:
        """Return the k most active users in the window ending at ``now``."""
        if now is not None:
            if now < self._latest:
                raise ValueError("now must not go back in time")
            self._latest = now
        self._evict(self._latest)
        return _rank(self._counts, k)

    def _evict(self, now: float) -> None:
        """Drop events at or before ``now - window``; forget users at zero."""
        while self._events and self._events[0][0] <= now - self.window:
            _, user = self._events.popleft()
            self._counts[user] -= 1
            if self._counts[user] == 0:
                del self._counts[user]


class SpaceSaving:
    """Approximate heavy hitters in O(capacity) memory (Space-Saving).

    Keeps at most ``capacity`` counters. A new user, when all counters are
    taken, evicts the user with the smallest count c and inherits c + 1, with
    error c. Guarantees, for a stream of n events and m = capacity:

    * each estimate over-counts: ``count - error <= true count <= count``;
    * the error of any counter is at most n / m;
    * every user with true count > n / m is being tracked.

    Finding the minimum uses a lazy min-heap (stale entries are skipped and
    the heap is rebuilt when it grows past 4m), so ``add`` is amortised
    O(log m). The paper's Stream-Summary list makes it O(1).
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._count: dict[str, int] = {}
        self._error: dict[str, int] = {}
        self._heap: list[tuple[int, str]] = []

    def add(self, user: str) -> None:
        """Count one event of ``user``."""
        if user in self._count:
            self._count[user] += 1
        elif len(self._count) < self.capacity:
            self._count[user] = 1
            self._error[user] = 0
        else:
            floor, victim = self._pop_min()
            del self._count[victim], self._error[victim]
            self._count[user] = floor + 1
            self._error[user] = floor
        heapq.heappush(self._heap, (self._count[user], user))
        if len(self._heap) > 4 * self.capacity:
            self._heap = [(c, u) for u, c in self._count.items()]
            heapq.heapify(self._heap)

    def _pop_min(self) -> tuple[int, str]:
        """Pop the live (count, user) with the smallest count."""
        while True:
            count, user = heapq.heappop(self._heap)
            if self._count.get(user) == count:
                return count, user

    def estimate(self, user: str) -> tuple[int, int]:
        """Return (count, error) for ``user``; (0, 0) if it is not tracked."""
        return self._count.get(user, 0), self._error.get(user, 0)

    def top(self, k: int) -> list[UserCount]:
        """Return the k users with the highest estimated counts."""
        return _rank(self._count, k)
