"""Per-key API rate limiters with an injectable clock.

* ``TokenBucket``: allows bursts up to ``capacity``, sustained ``rate``/s.
* ``SlidingWindowLog``: exact "at most ``limit`` requests in any ``window``".
* ``SlidingWindowCounter``: O(1) memory per key; weights the previous fixed
  window by how much of it still overlaps the sliding window (an estimate).

Every limiter takes ``clock`` (a zero-argument callable returning seconds,
default ``time.monotonic``) so tests control time exactly. Each ``allow``
returns a ``Decision``; when denied, ``retry_after`` is the number of seconds
to put into an HTTP 429 response's ``Retry-After`` header.

Distributed follow-up (not implemented here): keep the state in Redis and make
check-and-update atomic with one Lua script per request (or the GCRA, which
stores a single timestamp per key); shard by key so one key lives on one node;
decide to fail open or closed when the store is down; let each gateway node
pre-spend a local slice of the budget to avoid a network hop per request.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]


def _check_limits(limit: int, window: float) -> None:
    if limit < 1 or window <= 0:
        raise ValueError("limit must be >= 1 and window positive")


@dataclass(frozen=True)
class Decision:
    """Outcome of one ``allow`` call; ``retry_after`` is 0.0 when allowed."""

    allowed: bool
    retry_after: float = 0.0


class TokenBucket:
    """Token bucket per key: O(1) time and O(1) memory per key.

    A key starts full. Tokens refill continuously at ``rate`` per second up to
    ``capacity``. A request costing ``cost`` passes if that many tokens are
    there. Edge cases: ``cost > capacity`` can never pass (denied with
    ``retry_after = inf``); a clock that steps backwards adds no tokens.
    """

    def __init__(self, capacity: float, rate: float, clock: Clock = time.monotonic) -> None:
        if capacity <= 0 or rate <= 0:
            raise ValueError("capacity and rate must be positive")
        self.capacity = capacity
        self.rate = rate
        self._clock = clock
        self._state: dict[str, tuple[float, float]] = {}  # key -> (tokens, last)

    def allow(self, key: str, cost: float = 1.0) -> Decision:
        """Spend ``cost`` tokens of ``key`` if it has them."""
        now = self._clock()
        tokens, last = self._state.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + max(0.0, now - last) * self.rate)
        now = max(now, last)
        if cost > self.capacity:
            self._state[key] = (tokens, now)
            return Decision(False, math.inf)
        if tokens >= cost:
            self._state[key] = (tokens - cost, now)
            return Decision(True)
        self._state[key] = (tokens, now)
        return Decision(False, (cost - tokens) / self.rate)


class SlidingWindowLog:
    """Exact sliding window: at most ``limit`` requests in any ``window``.

    Keeps one timestamp per accepted request, so memory is O(limit) per key;
    ``allow`` is amortised O(1). The window is half-open, ``(now - window,
    now]``: a request exactly ``window`` seconds old no longer counts.
    Denied requests are not logged, so a client hammering the API does not
    extend its own ban.
    """

    def __init__(self, limit: int, window: float, clock: Clock = time.monotonic) -> None:
        _check_limits(limit, window)
        self.limit = limit
        self.window = window
        self._clock = clock
        self._logs: dict[str, deque[float]] = {}

    def allow(self, key: str) -> Decision:
        """Accept and log the request of ``key`` if the window has room."""
        now = self._clock()
        log = self._logs.setdefault(key, deque())
        while log and log[0] <= now - self.window:
            log.popleft()
        if len(log) < self.limit:
            log.append(now)
            return Decision(True)
        return Decision(False, log[0] + self.window - now)


class SlidingWindowCounter:
    """Approximate sliding window from two fixed-window counters per key.

    Estimate = previous window's count x (share of it still inside the sliding
    window) + current window's count. O(1) time and memory per key. It assumes
    requests were spread evenly over the previous window, so it can be off in
    either direction for bursty traffic; that is the price of O(1) memory.
    Windows are aligned to multiples of ``window`` on the clock.
    """

    def __init__(self, limit: int, window: float, clock: Clock = time.monotonic) -> None:
        _check_limits(limit, window)
        self.limit = limit
        self.window = window
        self._clock = clock
        self._state: dict[str, tuple[int, int, int]] = {}  # key -> (index, prev, curr)

    def allow(self, key: str) -> Decision:
        """Accept the request of ``key`` if the weighted count is below limit."""
        now = self._clock()
        index = math.floor(now / self.window)
        old_index, prev, curr = self._state.get(key, (index, 0, 0))
        if index == old_index + 1:
            prev, curr = curr, 0
        elif index != old_index:
            prev, curr = 0, 0
        overlap = 1.0 - (now - index * self.window) / self.window
        if prev * overlap + curr < self.limit:
            self._state[key] = (index, prev, curr + 1)
            return Decision(True)
        self._state[key] = (index, prev, curr)
        start = index * self.window
        if curr < self.limit:  # denied by the previous window's weight
            free_at = start + self.window * (1 - (self.limit - curr) / prev)
        else:  # full on its own: wait until its weight in the next window drops
            free_at = start + self.window * (2 - self.limit / curr)
        return Decision(False, max(0.0, free_at - now))
