"""Tests for solutions.workout_anomalies."""

import math
import random
import statistics

import pytest

from solutions import workout_anomalies


def _log(
    user: str, i: int, output: float, hr: float | None = 140.0
) -> workout_anomalies.WorkoutLog:
    """Build a 30-minute workout log with the given output and heart rate."""
    return workout_anomalies.WorkoutLog(
        user, f"{user}-{i}", 1_700_000_000.0 + i * 86_400, 30, output, hr
    )


def test_robust_z_flags_single_outlier() -> None:
    """One wild value gets a large score while the rest stay small."""
    scores = workout_anomalies.robust_z_scores([150, 152, 149, 151, 148, 150, 400])
    assert abs(scores[-1]) > 3.5
    assert all(abs(s) <= 3.5 for s in scores[:-1])


def test_robust_z_empty() -> None:
    """An empty series has no scores."""
    assert workout_anomalies.robust_z_scores([]) == []


def test_robust_z_constant_series_mad_zero() -> None:
    """A constant series has MAD 0 and every score is 0, not a division error."""
    assert workout_anomalies.robust_z_scores([120.0] * 6) == [0.0] * 6


def test_robust_z_mad_zero_with_deviation() -> None:
    """With MAD 0 a value off the median scores infinity with its sign."""
    scores = workout_anomalies.robust_z_scores([100, 100, 100, 100, 90, 130])
    assert scores[:4] == [0.0] * 4
    assert scores[4] == -math.inf and scores[5] == math.inf


def test_find_anomalies_is_per_user() -> None:
    """A value normal for one rider is flagged only for the rider it is unusual for."""
    logs = [_log("strong", i, 300 + i % 3) for i in range(8)]
    logs += [_log("casual", i, 120 + i % 3) for i in range(8)]
    logs.append(_log("casual", 99, 300))
    found = workout_anomalies.find_anomalies(logs)
    assert [(a.user_id, a.workout_id) for a in found] == [("casual", "casual-99")]
    assert found[0].value == 300 and found[0].score > 3.5


def test_find_anomalies_min_history() -> None:
    """Users with too few workouts are never flagged."""
    logs = [_log("new", i, 100) for i in range(3)] + [_log("new", 3, 900)]
    assert workout_anomalies.find_anomalies(logs, min_history=5) == []


def test_find_anomalies_skips_missing_heart_rate() -> None:
    """Workouts without a heart-rate monitor are ignored for that metric."""
    logs = [_log("u", i, 200, hr=140 + i % 2) for i in range(6)]
    logs += [_log("u", 10 + i, 200, hr=None) for i in range(5)]
    logs.append(_log("u", 20, 200, hr=195))
    found = workout_anomalies.find_anomalies(logs, metric="avg_heart_rate")
    assert [a.workout_id for a in found] == ["u-20"]


def test_find_anomalies_empty() -> None:
    """No logs means no anomalies."""
    assert workout_anomalies.find_anomalies([]) == []


def test_welford_matches_statistics() -> None:
    """Running mean and variance equal the two-pass results."""
    rng = random.Random(1)
    data = [rng.gauss(180, 25) for _ in range(1000)]
    rs = workout_anomalies.RunningStats()
    for x in data:
        rs.update(x)
    assert rs.mean == pytest.approx(statistics.fmean(data))
    assert rs.variance == pytest.approx(statistics.variance(data))


def test_welford_is_stable_with_large_offset() -> None:
    """A huge common offset does not destroy the variance."""
    data = [1e9 + x for x in (4.0, 7.0, 13.0, 16.0)]
    rs = workout_anomalies.RunningStats()
    for x in data:
        rs.update(x)
    assert rs.variance == pytest.approx(30.0)


def test_welford_small_samples() -> None:
    """Zero or one value has variance 0 rather than a division error."""
    rs = workout_anomalies.RunningStats()
    assert rs.variance == 0.0
    rs.update(5)
    assert rs.variance == 0.0 and rs.mean == 5


def test_streaming_warmup_then_flags_spike() -> None:
    """No score during warm-up; afterwards a spike scores far beyond the threshold."""
    det = workout_anomalies.StreamingAnomalyDetector(threshold=3.0, warmup=5)
    scores = [det.observe("u", v) for v in (150, 152, 148, 151, 149)]
    assert scores == [None] * 5
    normal = det.observe("u", 150)
    spike = det.observe("u", 260)
    assert not det.is_anomaly(normal) and det.is_anomaly(spike)


def test_streaming_constant_history() -> None:
    """With zero spread an equal value scores 0 and any change scores infinity."""
    det = workout_anomalies.StreamingAnomalyDetector(warmup=3)
    for _ in range(3):
        det.observe("u", 100)
    assert det.observe("u", 100) == 0.0
    assert det.observe("u", 101) == math.inf


def test_streaming_users_are_separate() -> None:
    """Each user has their own baseline."""
    det = workout_anomalies.StreamingAnomalyDetector(warmup=2)
    for v in (100, 101, 99):
        det.observe("a", v)
    assert det.observe("b", 500) is None


def test_streaming_absorb_flag() -> None:
    """Without absorption a flagged value does not shift the baseline."""
    keep = workout_anomalies.StreamingAnomalyDetector(warmup=4, absorb_anomalies=False)
    take = workout_anomalies.StreamingAnomalyDetector(warmup=4, absorb_anomalies=True)
    for det in (keep, take):
        for v in (100, 102, 98, 100):
            det.observe("u", v)
        det.observe("u", 400)
    follow_keep = keep.observe("u", 100)
    follow_take = take.observe("u", 100)
    assert follow_keep is not None and follow_take is not None
    assert abs(follow_keep) < 0.1 < abs(follow_take)
    with pytest.raises(ValueError):
        workout_anomalies.StreamingAnomalyDetector(warmup=1)
