"""Patterns and anomalies in workout logs.

Three detectors, for the shapes the question can take:

* Batch (a large dataset already stored): group by user, then flag workouts
  whose modified z-score 0.6745 * (x - median) / MAD exceeds 3.5 (Iglewicz and
  Hoaglin). Median and MAD ignore the outliers they are hunting, where mean and
  standard deviation get dragged towards them.
* Streaming (events arrive one by one): per-user running mean and variance by
  Welford's update, which is O(1) memory per user and numerically stable;
  score each new value against the history *before* it.
* Streaming follow-up: ``EwmaDetector``, exponentially weighted mean and
  variance, which forgets old workouts and so follows a rider who gets fitter.

Two data facts shape the code. Power and heart rate arrive rounded to whole
watts and beats, so more than half of a steady rider's workouts can share one
value; then MAD is 0 and a naive score calls every 1 W wobble infinite. We
fall back to the mean absolute deviation and floor the scale at the data's
resolution (``min_scale``, default 1 unit). And events are delivered at least
once, so the batch code deduplicates by workout id before any statistics: a
redelivered outlier would otherwise be flagged once per copy, and five copies
of it would drag the median towards it until it hides.

Anomalies are per user on purpose: 300 W is routine for one rider and a
sensor fault for another. Physically impossible values (a heart rate of 0 or
above 250 bpm) are data-quality rules to apply before any statistics.
"""

from __future__ import annotations

import math
import statistics
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAD_TO_SD = 1.4826  # 1 / 0.6745: MAD x this estimates the standard deviation of normal data
MEANAD_TO_SD = 1.2533  # sqrt(pi / 2): the same for the mean absolute deviation


@dataclass(frozen=True)
class WorkoutLog:
    """One finished workout as the anomaly code needs it."""

    user_id: str
    workout_id: str
    started_at: float  # seconds since the epoch
    duration_min: float
    avg_output_w: float
    avg_heart_rate: float | None = None  # None when no monitor was paired


@dataclass(frozen=True)
class Anomaly:
    """A flagged workout with the score that flagged it."""

    workout_id: str
    user_id: str
    metric: str
    value: float
    score: float


def robust_z_scores(values: Sequence[float], min_scale: float = 0.0) -> list[float]:
    """Return the modified z-score ``(x - median) / scale`` of every value.

    ``scale`` estimates the standard deviation robustly: 1.4826 x MAD; if MAD
    is 0 (more than half the values are identical), 1.2533 x the mean absolute
    deviation from the median (the fallback IBM documents for this score);
    never below ``min_scale``. Every score is finite: a zero scale is only
    possible when all values are equal (and ``min_scale`` is 0), and then
    every score is 0.
    Time O(n log n) (the median sorts; quickselect makes it O(n)), space O(n).
    Edge cases: empty input gives []; one value scores [0.0].
    """
    if not values:
        return []
    med = statistics.median(values)
    deviations = [abs(x - med) for x in values]
    scale = MAD_TO_SD * statistics.median(deviations)
    if scale == 0:
        scale = MEANAD_TO_SD * statistics.fmean(deviations)
    scale = max(scale, min_scale)
    if scale == 0:
        return [0.0] * len(values)
    return [(x - med) / scale for x in values]


def find_anomalies(
    logs: Iterable[WorkoutLog],
    metric: str = "avg_output_w",
    threshold: float = 3.5,
    min_history: int = 5,
    min_scale: float = 1.0,
) -> list[Anomaly]:
    """Flag workouts whose ``metric`` is a robust outlier for their own user.

    Duplicates (same ``workout_id``) are dropped first, keeping the first
    copy, so a redelivered workout is scored once. Logs whose metric is None
    are ignored; users with fewer than ``min_history`` distinct usable
    workouts are skipped (too little history to call anything unusual).
    ``min_scale`` is the finest spread the data can show: 1 for values
    rounded to whole watts or beats per minute.
    One pass to group, then O(n_u log n_u) per user: O(n log n) overall, O(n)
    space. Results are ordered by user, then first-seen order.
    """
    seen: set[str] = set()
    by_user: dict[str, list[WorkoutLog]] = defaultdict(list)
    for log in logs:
        if log.workout_id in seen or getattr(log, metric) is None:
            continue
        seen.add(log.workout_id)
        by_user[log.user_id].append(log)
    found: list[Anomaly] = []
    for user in sorted(by_user):
        rows = by_user[user]
        if len(rows) < min_history:
            continue
        values = [float(getattr(r, metric)) for r in rows]
        for row, value, score in zip(
            rows, values, robust_z_scores(values, min_scale), strict=True
        ):
            if abs(score) > threshold:
                found.append(Anomaly(row.workout_id, user, metric, value, score))
    return found


class RunningStats:
    """Welford's online mean and variance: O(1) time and memory per update.

    Avoids the catastrophic cancellation of ``sum(x*x)/n - mean**2`` when the
    values are large and close together.
    """

    def __init__(self) -> None:
        self.n = 0
        self.mean = 0.0
        self._m2 = 0.0  # sum of squared deviations from the current mean

    def update(self, x: float) -> None:
        """Add one observation."""
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self._m2 += delta * (x - self.mean)

    @property
    def variance(self) -> float:
        """Sample variance (n - 1 denominator); 0.0 with fewer than 2 values."""
        return self._m2 / (self.n - 1) if self.n > 1 else 0.0

    @property
    def stdev(self) -> float:
        """Sample standard deviation."""
        return math.sqrt(self.variance)


class _RecentIds:
    """The last ``size`` event ids seen, to drop redeliveries in O(1).

    Bounded on purpose: redeliveries arrive within minutes, and an unbounded
    set of every workout id ever seen would grow without limit.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def seen(self, event_id: str | None) -> bool:
        """Record ``event_id``; True if it was already among the recent ids."""
        if event_id is None:
            return False
        if event_id in self._ids:
            return True
        self._ids[event_id] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return False


def _score(diff: float, spread: float, min_scale: float) -> float:
    scale = max(spread, min_scale)
    if scale > 0:
        return diff / scale
    return 0.0 if diff == 0 else math.copysign(math.inf, diff)


class StreamingAnomalyDetector:
    """Per-user z-score of each new value against that user's history.

    ``observe`` is O(1); memory is O(users) plus the recent-id buffer.
    Returns None during the first ``warmup`` values of a user (no baseline
    yet) and for a redelivered ``event_id``. The spread is floored at
    ``min_scale`` (the data's resolution), so integer-rounded values with a
    zero standard deviation do not make every 1-unit change infinite; with
    ``min_scale=0`` an unequal value after a constant history scores +/-inf.
    With ``absorb_anomalies=False`` flagged values stay out of the baseline,
    which keeps it clean but never adapts to a genuine step change (a rider
    who got fitter); the default absorbs everything and adapts.
    """

    def __init__(
        self,
        threshold: float = 3.0,
        warmup: int = 10,
        absorb_anomalies: bool = True,
        min_scale: float = 1.0,
        dedupe_window: int = 100_000,
    ) -> None:
        if warmup < 2:
            raise ValueError("warmup must be at least 2 to estimate a spread")
        self.threshold = threshold
        self.warmup = warmup
        self.absorb_anomalies = absorb_anomalies
        self.min_scale = min_scale
        self._stats: dict[str, RunningStats] = defaultdict(RunningStats)
        self._recent = _RecentIds(dedupe_window)

    def observe(self, user: str, value: float, event_id: str | None = None) -> float | None:
        """Score ``value`` for ``user``, then fold it into the baseline."""
        if self._recent.seen(event_id):
            return None
        stats = self._stats[user]
        score: float | None = None
        if stats.n >= self.warmup:
            score = _score(value - stats.mean, stats.stdev, self.min_scale)
        if score is None or self.absorb_anomalies or abs(score) <= self.threshold:
            stats.update(value)
        return score

    def is_anomaly(self, score: float | None) -> bool:
        """Whether a score returned by ``observe`` crosses the threshold."""
        return score is not None and abs(score) > self.threshold


class EwmaDetector:
    """Per-user exponentially weighted mean and variance (follow-up).

    ``alpha = 1 - 2 ** (-1 / half_life)``: a workout's weight halves every
    ``half_life`` later workouts, so a rider who gets fitter stops looking
    anomalous after a few half-lives, where Welford's all-history mean never
    forgets. Update (Finch, "Incremental calculation of weighted mean and
    variance", 2009): ``d = x - mean``; ``mean += alpha * d``;
    ``var = (1 - alpha) * (var + alpha * d * d)``. Each value is scored
    against the state *before* it, with the spread floored at ``min_scale``.
    O(1) time and three numbers per user. Returns None during ``warmup`` and
    for a redelivered ``event_id``.
    """

    def __init__(
        self,
        half_life: float = 10.0,
        threshold: float = 3.0,
        warmup: int = 5,
        min_scale: float = 1.0,
        dedupe_window: int = 100_000,
    ) -> None:
        if half_life <= 0 or warmup < 1:
            raise ValueError("half_life must be positive and warmup at least 1")
        self.alpha = 1 - 2 ** (-1 / half_life)
        self.threshold = threshold
        self.warmup = warmup
        self.min_scale = min_scale
        self._state: dict[str, tuple[int, float, float]] = {}  # user -> (n, mean, var)
        self._recent = _RecentIds(dedupe_window)

    def observe(self, user: str, value: float, event_id: str | None = None) -> float | None:
        """Score ``value`` for ``user`` against the weighted history, then update."""
        if self._recent.seen(event_id):
            return None
        n, mean, var = self._state.get(user, (0, value, 0.0))
        score = (
            _score(value - mean, math.sqrt(var), self.min_scale)
            if n >= self.warmup
            else None
        )
        diff = value - mean
        mean += self.alpha * diff
        var = (1 - self.alpha) * (var + self.alpha * diff * diff)
        self._state[user] = (n + 1, mean, var)
        return score

    def is_anomaly(self, score: float | None) -> bool:
        """Whether a score returned by ``observe`` crosses the threshold."""
        return score is not None and abs(score) > self.threshold
