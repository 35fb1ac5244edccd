"""Patterns and anomalies in workout logs.

Two detectors, for the two shapes the question can take:

* Batch (a large dataset already stored): group by user, then flag workouts
  whose modified z-score 0.6745 * (x - median) / MAD exceeds 3.5 (Iglewicz and
  Hoaglin). Median and MAD ignore the outliers they are hunting, where mean and
  standard deviation get dragged towards them.
* Streaming (events arrive one by one): per-user running mean and variance by
  Welford's update, which is O(1) memory per user and numerically stable;
  score each new value against the history *before* it.

Anomalies are per user on purpose: 300 W is routine for one rider and a
sensor fault for another. Physically impossible values (a heart rate of 0 or
above 250 bpm) are data-quality rules to apply before any statistics.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAD_SCALE = 0.6745  # makes MAD comparable to a standard deviation for normal data


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


def robust_z_scores(values: Sequence[float]) -> list[float]:
    """Return the modified z-score of every value.

    Time O(n log n) (the median sorts; quickselect makes it O(n)), space O(n).
    Edge cases: empty input gives []; when MAD is 0 (more than half the values
    are identical) values equal to the median score 0 and any other value
    scores +/-inf, so a constant series flags nothing and a lone deviation
    from it is always flagged.
    """
    if not values:
        return []
    med = statistics.median(values)
    mad = statistics.median(abs(x - med) for x in values)
    if mad == 0:
        return [0.0 if x == med else math.copysign(math.inf, x - med) for x in values]
    return [MAD_SCALE * (x - med) / mad for x in values]


def find_anomalies(
    logs: Iterable[WorkoutLog],
    metric: str = "avg_output_w",
    threshold: float = 3.5,
    min_history: int = 5,
) -> list[Anomaly]:
    """Flag workouts whose ``metric`` is a robust outlier for their own user.

    One pass to group, then O(n_u log n_u) per user: O(n log n) overall, O(n)
    space. Users with fewer than ``min_history`` usable workouts are skipped
    (too little history to call anything unusual); logs whose metric is None
    are ignored. Results are ordered by user, then input order.
    """
    by_user: dict[str, list[WorkoutLog]] = defaultdict(list)
    for log in logs:
        if getattr(log, metric) is not None:
            by_user[log.user_id].append(log)
    found: list[Anomaly] = []
    for user in sorted(by_user):
        rows = by_user[user]
        if len(rows) < min_history:
            continue
        values = [float(getattr(r, metric)) for r in rows]
        for row, value, score in zip(rows, values, robust_z_scores(values), strict=True):
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


class StreamingAnomalyDetector:
    """Per-user z-score of each new value against that user's history.

    ``observe`` is O(1); memory is O(users). Returns None during the first
    ``warmup`` values of a user (no baseline yet). A zero standard deviation
    scores 0 for an equal value and +/-inf otherwise, like the batch version.
    With ``absorb_anomalies=False`` flagged values stay out of the baseline,
    which keeps it clean but never adapts to a genuine step change (a rider
    who got fitter); the default absorbs everything and adapts.
    """

    def __init__(
        self, threshold: float = 3.0, warmup: int = 10, absorb_anomalies: bool = True
    ) -> None:
        if warmup < 2:
            raise ValueError("warmup must be at least 2 to estimate a spread")
        self.threshold = threshold
        self.warmup = warmup
        self.absorb_anomalies = absorb_anomalies
        self._stats: dict[str, RunningStats] = defaultdict(RunningStats)

    def observe(self, user: str, value: float) -> float | None:
        """Score ``value`` for ``user``, then fold it into the baseline."""
        stats = self._stats[user]
        score: float | None = None
        if stats.n >= self.warmup:
            diff = value - stats.mean
            if stats.stdev > 0:
                score = diff / stats.stdev
            else:
                score = 0.0 if diff == 0 else math.copysign(math.inf, diff)
        if score is None or self.absorb_anomalies or abs(score) <= self.threshold:
            stats.update(value)
        return score

    def is_anomaly(self, score: float | None) -> bool:
        """Whether a score returned by ``observe`` crosses the threshold."""
        return score is not None and abs(score) > self.threshold
