"""Per-key API rate limiters with an injectable clock.

* ``TokenBucket``: bursts up to ``capacity``, sustained ``rate`` per second.
* ``SlidingWindowLog``: exact "at most ``limit`` requests in any ``window``".
* ``SlidingWindowCounter``: O(1) memory per key; weights the previous fixed
  window by how much of it still overlaps the sliding window (an estimate).
* ``GCRA`` (follow-up): the token bucket stored as one timestamp per key.
* ``SharedGCRA`` (follow-up): GCRA over a shared store with compare-and-set,
  so a fleet of gateways enforces one budget per key.

Every limiter takes ``clock`` (a zero-argument callable returning seconds,
default ``time.monotonic``) so tests control time exactly. Each ``allow``
returns a ``Decision``; when denied, ``retry_after`` is the number of seconds
to put into an HTTP 429 response's ``Retry-After`` header.

Time is kept as whole microseconds (``_ticks``), never as accumulated floats:
``0.7 - 0.5`` is ``0.19999999999999996`` in binary floating point, so a float
limiter misjudges a request that is exactly one window (or one token) later.
Integer ticks make the boundaries exact for decimal clock readings.
A clock that steps backwards never mints tokens or frees window slots.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

Clock = Callable[[], float]
TICKS_PER_SECOND = 1_000_000  # one tick = 1 microsecond


def _ticks(seconds: float) -> int:
    """Convert seconds to whole microseconds (rounded, so 0.1 s is 100000)."""
    return round(seconds * TICKS_PER_SECOND)


def _seconds(ticks: int) -> float:
    return ticks / TICKS_PER_SECOND


def _check_limits(limit: int, window: float) -> None:
    if limit < 1 or _ticks(window) <= 0:
        raise ValueError("limit must be >= 1 and window at least one microsecond")


@dataclass(frozen=True)
class Decision:
    """Outcome of one ``allow`` call; ``retry_after`` is 0.0 when allowed."""

    allowed: bool
    retry_after: float = 0.0


class TokenBucket:
    """Token bucket per key: O(1) time and O(1) memory per key.

    A key starts full. Tokens refill continuously at ``rate`` per second up to
    ``capacity``. A request costing ``cost`` passes if that many tokens are
    there. The bucket is stored as *microseconds of refill* it holds (one
    token = ``1/rate`` seconds), so elapsed clock ticks add exactly; the
    price is that one token's interval is rounded to a whole microsecond.
    Edge cases: ``cost > capacity`` can never pass (``retry_after = inf``);
    a clock that steps backwards is held at the latest reading, so it adds
    no tokens.
    """

    def __init__(self, capacity: float, rate: float, clock: Clock = time.monotonic) -> None:
        if capacity <= 0 or rate <= 0:
            raise ValueError("capacity and rate must be positive")
        self.capacity = capacity
        self.rate = rate
        self._clock = clock
        self._full = _ticks(capacity / rate)
        self._state: dict[
            str, tuple[int, int]
        ] = {}  # key -> (credit ticks, latest reading)

    def allow(self, key: str, cost: float = 1.0) -> Decision:
        """Spend ``cost`` tokens of ``key`` if it has them."""
        reading = _ticks(self._clock())
        credit, last = self._state.get(key, (self._full, reading))
        now = max(reading, last)
        credit = min(self._full, credit + (now - last))
        price = _ticks(cost / self.rate)
        if price > self._full:
            self._state[key] = (credit, now)
            return Decision(False, float("inf"))
        if credit >= price:
            self._state[key] = (credit - price, now)
            return Decision(True)
        self._state[key] = (credit, now)
        return Decision(
            False, _seconds(price - credit) + (now - reading) / TICKS_PER_SECOND
        )


class SlidingWindowLog:
    """Exact sliding window: at most ``limit`` requests in any ``window``.

    Keeps one timestamp per accepted request, so memory is O(limit) per key;
    ``allow`` is amortised O(1). The window is half-open, ``(now - window,
    now]``: a request exactly ``window`` seconds old no longer counts.
    Denied requests are not logged, so a client hammering the API does not
    extend its own ban. A backwards clock step is held at the latest reading.
    """

    def __init__(self, limit: int, window: float, clock: Clock = time.monotonic) -> None:
        _check_limits(limit, window)
        self.limit = limit
        self.window = window
        self._span = _ticks(window)
        self._clock = clock
        self._logs: dict[str, deque[int]] = {}

    def allow(self, key: str) -> Decision:
        """Accept and log the request of ``key`` if the window has room."""
        reading = _ticks(self._clock())
        log = self._logs.setdefault(key, deque())
        now = max(reading, log[-1]) if log else reading
        while log and log[0] <= now - self._span:
            log.popleft()
        if len(log) < self.limit:
            log.append(now)
            return Decision(True)
        return Decision(False, _seconds(log[0] + self._span - reading))


class SlidingWindowCounter:
    """Approximate sliding window from two fixed-window counters per key.

    Estimate = previous window's count x (share of it still inside the sliding
    window) + current window's count; a request passes while the estimate is
    below ``limit``. O(1) time and memory per key. It assumes requests were
    spread evenly over the previous window, so it can be off in either
    direction for bursty traffic; that is the price of O(1) memory.
    Windows are aligned to multiples of ``window`` on the clock; the estimate
    is compared in integer ticks, so it is exact at decimal boundaries.
    """

    def __init__(self, limit: int, window: float, clock: Clock = time.monotonic) -> None:
        _check_limits(limit, window)
        self.limit = limit
        self.window = window
        self._span = _ticks(window)
        self._clock = clock
        self._state: dict[
            str, tuple[int, int, int, int]
        ] = {}  # key -> (latest, index, prev, curr)

    def allow(self, key: str) -> Decision:
        """Accept the request of ``key`` if the weighted count is below limit."""
        reading = _ticks(self._clock())
        latest, old_index, prev, curr = self._state.get(
            key, (reading, reading // self._span, 0, 0)
        )
        now = max(reading, latest)
        index = now // self._span
        if index == old_index + 1:
            prev, curr = curr, 0
        elif index != old_index:
            prev, curr = 0, 0
        start = index * self._span
        remaining = self._span - (now - start)  # ticks of the previous window still inside
        if prev * remaining + curr * self._span < self.limit * self._span:
            self._state[key] = (now, index, prev, curr + 1)
            return Decision(True)
        self._state[key] = (now, index, prev, curr)
        # First tick at which the estimate is below the limit: ceil division, one tick on.
        if curr < self.limit:  # denied by the previous window's weight: wait for it to fade
            free_at = start + self._span + (-(self.limit - curr) * self._span) // prev + 1
        else:  # full on its own: in the next window its weight must drop below the limit
            free_at = start + 2 * self._span + (-self.limit * self._span) // curr + 1
        return Decision(False, _seconds(max(0, free_at - reading)))


class GCRA:
    """Generic cell rate algorithm: a token bucket stored as one timestamp.

    Each key keeps its *theoretical arrival time* ``tat``: when the bucket
    would next be full. A request at ``now`` conforms if
    ``max(tat, now) - now <= tolerance`` and then pushes ``tat`` one emission
    interval ``T = 1/rate`` later. With ``tolerance = (burst - 1) * T`` it
    accepts exactly what ``TokenBucket(capacity=burst, rate=rate)`` accepts.
    O(1) time, one integer per key: cheap to keep in Redis. A clock behind
    the stored ``tat`` only makes the limiter stricter.
    """

    def __init__(self, rate: float, burst: int, clock: Clock = time.monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.interval = _ticks(1 / rate)
        self.tolerance = (burst - 1) * self.interval
        self._clock = clock
        self._tat: dict[str, int] = {}

    def allow(self, key: str) -> Decision:
        """Accept the request of ``key`` if it conforms."""
        decision, new_tat = gcra_step(
            self._tat.get(key), _ticks(self._clock()), self.interval, self.tolerance
        )
        if new_tat is not None:
            self._tat[key] = new_tat
        return decision


def gcra_step(
    tat: int | None, now: int, interval: int, tolerance: int
) -> tuple[Decision, int | None]:
    """One GCRA decision: return it and the new ``tat`` (None: leave it)."""
    start = now if tat is None else max(tat, now)
    if start - now > tolerance:
        return Decision(False, _seconds(start - tolerance - now)), None
    return Decision(True), start + interval


class StoreUnavailable(Exception):
    """The shared store could not be reached."""


class AtomicStore(Protocol):
    """The one primitive a distributed limiter needs from its store.

    ``get`` returns ``(value, version)``; ``compare_and_set`` writes only if
    the version is unchanged and reports whether it did. Redis provides it as
    WATCH/MULTI/EXEC, or as a Lua script that reads and writes in one step
    (then no retry loop is needed); DynamoDB as a conditional put.
    """

    def get(self, key: str) -> tuple[int | None, int]: ...

    def compare_and_set(self, key: str, version: int, value: int) -> bool: ...


class InMemoryStore:
    """A thread-safe ``AtomicStore`` for tests and for one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, tuple[int, int]] = {}  # key -> (value, version)

    def get(self, key: str) -> tuple[int | None, int]:
        with self._lock:
            value, version = self._data.get(key, (None, 0))
            return value, version

    def compare_and_set(self, key: str, version: int, value: int) -> bool:
        with self._lock:
            if self._data.get(key, (None, 0))[1] != version:
                return False
            self._data[key] = (value, version + 1)
            return True


class SharedGCRA:
    """GCRA whose state lives in a shared ``AtomicStore``: one budget per key
    across every gateway that shares the store.

    Each ``allow`` reads ``tat`` with its version, decides locally, and writes
    with compare-and-set; if another gateway wrote first it re-reads and
    decides again (optimistic concurrency, at most ``max_attempts`` times).
    A denial writes nothing, so hammering costs one read. When the store is
    down (or contention exhausts the attempts) it fails open or closed as
    configured: open keeps serving without protection, closed protects the
    backend and rejects everyone. Gateways' clocks must agree to well within
    one interval; a gateway whose clock lags only rejects more.
    """

    def __init__(
        self,
        store: AtomicStore,
        rate: float,
        burst: int,
        clock: Clock = time.monotonic,
        fail_open: bool = True,
        max_attempts: int = 8,
    ) -> None:
        if rate <= 0 or burst < 1 or max_attempts < 1:
            raise ValueError("rate must be positive, burst and max_attempts at least 1")
        self.interval = _ticks(1 / rate)
        self.tolerance = (burst - 1) * self.interval
        self.fail_open = fail_open
        self.max_attempts = max_attempts
        self._store = store
        self._clock = clock

    def allow(self, key: str) -> Decision:
        """Accept the request of ``key`` if it conforms, fleet-wide."""
        try:
            for _ in range(self.max_attempts):
                tat, version = self._store.get(key)
                decision, new_tat = gcra_step(
                    tat, _ticks(self._clock()), self.interval, self.tolerance
                )
                if new_tat is None or self._store.compare_and_set(key, version, new_tat):
                    return decision
        except StoreUnavailable:
            pass
        return (
            Decision(True) if self.fail_open else Decision(False, _seconds(self.interval))
        )
