"""Tests for solutions.workout_anomalies."""

import math
import random
import statistics
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_robust_z_mad_zero_falls_back_to_mean_absolute_deviation() -> None:
    """With MAD 0 the scale is 1.2533 x the mean absolute deviation, so scores stay finite."""
    scores = workout_anomalies.robust_z_scores([100, 100, 100, 100, 90, 130])
    scale = 1.2533 * (10 + 30) / 6
    assert scores[:4] == [0.0] * 4
    assert scores[4] == pytest.approx(-10 / scale) and scores[5] == pytest.approx(30 / scale)


def test_integer_rounded_power_is_not_flagged() -> None:
    """The reported bug: 21 rides at 150 W and 19 at 149 or 151 W used to flag all 19 as infinite."""
    values = [150] * 21 + [149] * 10 + [151] * 9
    logs = [_log("steady", i, v) for i, v in enumerate(values)]
    assert workout_anomalies.find_anomalies(logs) == []
    spike = workout_anomalies.find_anomalies([*logs, _log("steady", 99, 190)])
    assert [a.workout_id for a in spike] == ["steady-99"]


def test_redelivered_outlier_is_flagged_once() -> None:
    """Two copies of one outlier workout give one anomaly, not two."""
    logs = [_log("u", i, 150 + i % 4) for i in range(20)]
    outlier = _log("u", 99, 400)
    found = workout_anomalies.find_anomalies([*logs, outlier, outlier])
    assert [a.workout_id for a in found] == ["u-99"]


def test_outlier_delivered_five_times_is_not_hidden() -> None:
    """Five copies among five normal rides would pull the median to 277 W and hide the outlier."""
    logs = [_log("u", i, 150 + i) for i in range(5)]
    outlier = _log("u", 99, 400)
    copies = [*logs, *[outlier] * 5]
    values = [log.avg_output_w for log in copies]
    assert max(abs(z) for z in workout_anomalies.robust_z_scores(values)) < 3.5  # what no dedupe sees
    assert [a.workout_id for a in workout_anomalies.find_anomalies(copies)] == ["u-99"]


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
    """With zero spread the floor keeps a 1-unit change at score 1; without it, infinity."""
    det = workout_anomalies.StreamingAnomalyDetector(warmup=3)
    raw = workout_anomalies.StreamingAnomalyDetector(warmup=3, min_scale=0)
    for d in (det, raw):
        for _ in range(3):
            d.observe("u", 100)
        assert d.observe("u", 100) == 0.0
    assert det.observe("u", 101) == 1.0
    assert raw.observe("u", 101) == math.inf


def test_streaming_ignores_redelivered_event() -> None:
    """A repeated event id is not scored or counted twice."""
    det = workout_anomalies.StreamingAnomalyDetector(warmup=2)
    det.observe("u", 100, "w1")
    det.observe("u", 104, "w2")
    assert det.observe("u", 100, "w1") is None
    assert det.observe("u", 102, "w3") == pytest.approx((102 - 102) / 2.8284271247461903)


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


def test_ewma_adapts_to_a_step_change() -> None:
    """A rider steps up from ~150 W to ~200 W. EWMA re-centres and stays sensitive; Welford either
    flags the new normal forever (no absorption) or inflates its spread and misses a real spike."""
    ewma = workout_anomalies.EwmaDetector(half_life=3, warmup=5)
    absorb = workout_anomalies.StreamingAnomalyDetector(warmup=5)
    strict = workout_anomalies.StreamingAnomalyDetector(warmup=5, absorb_anomalies=False)
    detectors = (ewma, absorb, strict)
    for i in range(40):
        for det in detectors:
            det.observe("u", 150 + (i % 5))
    for i in range(15):
        for det in detectors:
            det.observe("u", 200 + (i % 5))
    assert not ewma.is_anomaly(ewma.observe("u", 202, "x1"))
    assert ewma.is_anomaly(ewma.observe("u", 225, "x2"))
    assert strict.is_anomaly(strict.observe("u", 202))
    assert not absorb.is_anomaly(absorb.observe("u", 225))


def test_ewma_edge_cases() -> None:
    """Warm-up returns None, a repeated id is ignored, bad settings are rejected."""
    det = workout_anomalies.EwmaDetector(warmup=1)
    assert det.observe("u", 100, "a") is None
    assert det.observe("u", 100, "a") is None
    assert det.observe("u", 100, "b") == 0.0
    with pytest.raises(ValueError):
        workout_anomalies.EwmaDetector(half_life=0)


# ---- properties against brute-force oracles ------------------------------------------------

WATTS = st.lists(st.integers(80, 400), max_size=30)


def _exact_median(xs: list[Fraction]) -> Fraction:
    s = sorted(xs)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


@settings(max_examples=80, deadline=None)
@given(WATTS, st.sampled_from([0, 1, 5]))
def test_robust_z_matches_exact_oracle(values: list[int], min_scale: int) -> None:
    """Scores equal the definition in exact arithmetic; all finite, for any integer data."""
    got = workout_anomalies.robust_z_scores(values, min_scale)
    xs = [Fraction(v) for v in values]
    if not xs:
        assert got == []
        return
    med = _exact_median(xs)
    dev = [abs(x - med) for x in xs]
    scale = Fraction(1.4826) * _exact_median(dev)
    if scale == 0:
        scale = Fraction(1.2533) * sum(dev) / len(dev)
    scale = max(scale, Fraction(min_scale))
    want = [0.0] * len(xs) if scale == 0 else [float((x - med) / scale) for x in xs]
    assert got == pytest.approx(want, rel=1e-9, abs=1e-9)
    assert all(math.isfinite(z) for z in got)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.integers(100, 300)), max_size=25), st.data())
def test_redelivery_never_changes_the_answer(rows: list[tuple[str, int]], data: st.DataObject) -> None:
    """Any redelivery pattern (copies, in any order) flags exactly what one copy of each flags."""
    logs = [_log(user, i, watts) for i, (user, watts) in enumerate(rows)]
    copies = data.draw(st.lists(st.sampled_from(logs), max_size=15)) if logs else []
    shuffled = data.draw(st.permutations([*logs, *copies]))
    once = workout_anomalies.find_anomalies(logs)
    again = workout_anomalies.find_anomalies(shuffled)
    assert sorted(a.workout_id for a in again) == sorted(a.workout_id for a in once)
    assert len({a.workout_id for a in again}) == len(again)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(100, 300), min_size=1, max_size=25), st.sampled_from([1.0, 2.5, 10.0]))
def test_ewma_matches_weighted_sum_oracle(values: list[int], half_life: float) -> None:
    """The recursive state equals the explicitly weighted mean and variance of the whole history."""
    det = workout_anomalies.EwmaDetector(half_life=half_life, warmup=1, min_scale=0)
    alpha = 1 - 2 ** (-1 / half_life)
    for n, x in enumerate(values):
        score = det.observe("u", x)
        if n == 0:
            assert score is None
            continue
        history = values[:n]
        m = len(history) - 1
        weights = [(1 - alpha) ** m] + [alpha * (1 - alpha) ** (m - i) for i in range(1, m + 1)]
        mean = sum(w * h for w, h in zip(weights, history, strict=True))
        var = sum(w * (h - mean) ** 2 for w, h in zip(weights, history, strict=True))
        if var > 1e-9:
            assert score == pytest.approx((x - mean) / math.sqrt(var), rel=1e-6, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), max_size=30))
def test_welford_matches_two_pass(values: list[float]) -> None:
    """Running mean and variance equal the two-pass results, empty and single inputs included."""
    rs = workout_anomalies.RunningStats()
    for x in values:
        rs.update(x)
    assert rs.n == len(values)
    if values:
        assert rs.mean == pytest.approx(statistics.fmean(values), abs=1e-6)
    want = statistics.variance(values) if len(values) > 1 else 0.0
    assert rs.variance == pytest.approx(want, rel=1e-6, abs=1e-6)
