"""Stream detectors follow river's conventions: update then drift_detected, river's names and defaults.

The cross-checks against river itself are in tests/test_crosscheck.py; these hold without river.
"""

import warnings

import numpy as np
import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.drift.detectors import ADWIN, DDM, PageHinkley, _bucket_counts, _bucket_counts_many, _Detector


def _update_loop(detector, stream):
    out = []
    for i, x in enumerate(stream):
        returned = detector.update(float(x))
        assert returned == detector.drift_detected
        if detector.drift_detected:
            out.append(i)
    return out


def _streams(seed):
    rng = np.random.default_rng(seed)
    return {
        "rise": np.concatenate([rng.normal(0, 1, 1500), rng.normal(2, 1, 1500)]),
        "fall": np.concatenate([rng.normal(0, 1, 1500), rng.normal(-2, 1, 1500)]),
        "errors": np.concatenate([rng.random(1500) < 0.1, rng.random(1500) < 0.4]).astype(float),
        "far from zero, mixed scales": np.concatenate([rng.normal(0, 1, 2000), 1e6 + (rng.random(2000) < 0.3)]),
    }


def test_defaults_are_rivers():
    assert (PageHinkley().min_instances, PageHinkley().delta, PageHinkley().threshold, PageHinkley().alpha,
            PageHinkley().mode) == (30, 0.005, 50.0, 1 - 0.0001, "both")
    assert (DDM().warm_start, DDM().warning_threshold, DDM().drift_threshold) == (30, 2.0, 3.0)
    adwin = ADWIN()
    assert (adwin.delta, adwin.clock, adwin.max_buckets, adwin.min_window_length, adwin.grace_period) == (
        0.002, 32, 5, 5, 10)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("make", [lambda: PageHinkley(threshold=20), lambda: PageHinkley(mode="up"),
                                  lambda: DDM(), lambda: ADWIN(), lambda: ADWIN(clock=4, delta=0.1)])
def test_drift_detected_after_update_matches_detect(seed, make):
    total = 0
    for name, stream in _streams(seed).items():
        if isinstance(make(), DDM) and name != "errors":
            continue
        hits = make().detect(stream)
        assert _update_loop(make(), stream) == hits, name
        total += len(hits)
    assert total > 0


def test_page_hinkley_modes_watch_their_direction():
    rng = np.random.default_rng(0)
    rise = np.concatenate([rng.normal(0, 1, 1000), rng.normal(3, 1, 1000)])
    up, down, both = (PageHinkley(mode=m).detect(rise) for m in ("up", "down", "both"))
    assert up and 1000 <= up[0] < 1050
    assert not any(h < 1500 for h in down)  # a rise is not a fall
    assert both[0] == up[0]
    assert PageHinkley(mode="down").detect(-rise)[0] == up[0]  # the mirror image
    with pytest.raises(LifecycleKitError, match="mode"):
        PageHinkley(mode="sideways")


def test_ddm_warning_detected_comes_before_drift():
    rng = np.random.default_rng(0)
    errors = np.concatenate([rng.random(1000) < 0.1, rng.random(1000) < 0.4]).astype(int)
    ddm, first_warning = DDM(warm_start=100), None
    for i, x in enumerate(errors):
        ddm.update(x)
        if ddm.warning_detected and first_warning is None and i >= 1000:
            first_warning = i
        if ddm.drift_detected:
            break
    assert first_warning is not None and 1000 <= first_warning < i
    assert ddm.warning is ddm.warning_detected  # the former name still reads


def test_deprecated_names_still_work_with_a_future_warning():
    rng = np.random.default_rng(3)
    errors = (rng.random(3000) < np.repeat([0.1, 0.35], 1500)).astype(int)
    with pytest.warns(FutureWarning, match="min_instances is deprecated; use warm_start"):
        old = DDM(min_instances=100)
    assert old.warm_start == 99  # the kit checked *at* min_instances, river *after* warm_start
    assert old.detect(errors) == DDM(warm_start=99).detect(errors)
    with pytest.warns(FutureWarning) as caught:
        assert DDM(warning_level=1.5, drift_level=2.5).drift_threshold == 2.5
    assert sorted(str(w.message).split()[0] for w in caught) == ["drift_level", "warning_level"]
    with pytest.warns(FutureWarning, match="min_window is deprecated; use min_window_length"):
        assert ADWIN(min_window=7).min_window_length == 7
    with pytest.raises(LifecycleKitError, match="not both"):
        DDM(warm_start=50, min_instances=100)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        DDM(warm_start=50), ADWIN(min_window_length=7), PageHinkley(mode="up")  # new names: no warning


@pytest.mark.parametrize("max_buckets", [2, 3, 5])
def test_bucket_counts_formula_matches_the_histogram_built_value_by_value(max_buckets):
    detector = ADWIN(max_buckets=max_buckets, clock=10**9)
    widths = np.arange(1, 3001)
    many = _bucket_counts_many(widths, max_buckets)
    for width in widths:
        detector.update(float(width % 7))
        counts = [len(row) for row in detector.rows]
        assert counts == _bucket_counts(width, max_buckets)
        assert list(many[width - 1][:len(counts)]) == counts and not many[width - 1][len(counts):].any()
        assert sum(c << k for k, c in enumerate(counts)) == width


@pytest.mark.parametrize("seed", range(3))
def test_adwin_detect_leaves_the_state_update_would(seed):
    stream = _streams(seed)["far from zero, mixed scales"]
    fast, slow = ADWIN(delta=0.1, clock=8), ADWIN(delta=0.1, clock=8)
    assert fast.detect(stream) == _Detector.detect(slow, stream)
    assert (fast.width, fast.ticks) == (slow.width, slow.ticks)
    assert fast.total == pytest.approx(slow.total)
    assert fast.sum_squared_deviations == pytest.approx(slow.sum_squared_deviations)
    assert (fast.n_detections, fast.drift_detected) == (slow.n_detections, slow.drift_detected)
    for fast_row, slow_row in zip(fast.rows, slow.rows, strict=True):
        np.testing.assert_allclose(fast_row, slow_row, rtol=1e-9, atol=1e-6)
    tail = np.random.default_rng(seed).normal(0, 1, 500)  # and both go on alike
    assert _update_loop(fast, tail) == _update_loop(slow, tail)


def test_adwin_max_window_caps_the_window():
    rng = np.random.default_rng(0)
    detector = ADWIN(max_window=1000)
    for x in rng.normal(0, 1, 5000):
        detector.update(x)
        assert detector.width <= 1000
    assert detector.width > 500
    window = detector.width
    assert detector.window_variance == pytest.approx(1.0, abs=0.2) and window <= 1000


DETECTORS = [PageHinkley(threshold=20, mode="up"), DDM(warm_start=100, drift_threshold=2.5), ADWIN(delta=0.01, clock=8)]


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: type(d).__name__)
def test_repr_is_the_call_that_builds_the_same_detector(detector):
    shown = repr(detector)
    assert " object at 0x" not in shown and shown.startswith(type(detector).__name__ + "(")
    rebuilt = eval(shown, {"PageHinkley": PageHinkley, "DDM": DDM, "ADWIN": ADWIN})
    assert rebuilt.get_params() == detector.get_params() and repr(rebuilt) == shown
    assert "min_window=" not in shown and "min_instances=None" not in shown  # former names are not shown


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: type(d).__name__)
def test_clone_is_fresh_with_the_same_or_the_given_parameters(detector):
    stream = _streams(0)["errors"]
    seen = detector.clone()
    seen.detect(stream)
    assert seen.n_detections > 0
    fresh = seen.clone()
    assert type(fresh) is type(seen) and fresh is not seen and repr(fresh) == repr(detector)
    assert fresh.n_detections == 0 and fresh.detect(stream) == detector.clone().detect(stream)
    name = {"PageHinkley": "threshold", "DDM": "warm_start", "ADWIN": "clock"}[type(detector).__name__]
    changed = seen.clone({name: 40})
    assert getattr(changed, name) == 40
    assert {k: v for k, v in changed.get_params().items() if k != name} == \
        {k: v for k, v in seen.get_params().items() if k != name}
    with pytest.raises(LifecycleKitError, match=f"{type(detector).__name__} has no parameter 'speed'; its parameters"):
        seen.clone({"speed": 2})


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: type(d).__name__)
def test_clone_with_attributes_carries_on_where_the_original_is(detector):
    stream = _streams(1)["errors"]
    original = detector.clone()
    _update_loop(original, stream[:1600])
    twin = original.clone(include_attributes=True)
    assert twin.n_detections == original.n_detections
    assert _update_loop(twin, stream[1600:]) == _update_loop(original, stream[1600:])
    assert twin.n_detections == original.n_detections
    alone = original.clone(include_attributes=True)
    _update_loop(alone, stream)  # the copy's state is its own
    assert alone.n_detections != original.n_detections


def test_clone_takes_a_former_parameter_name_with_its_warning():
    with pytest.warns(FutureWarning, match="min_instances is deprecated"):
        assert DDM(warm_start=50).clone({"min_instances": 100}).warm_start == 99
    with pytest.warns(FutureWarning, match="min_window is deprecated"):
        assert ADWIN(min_window_length=9).clone({"min_window": 7}).min_window_length == 7


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: type(d).__name__)
def test_n_detections_counts_every_detection_until_reset(detector):
    stream = np.concatenate([_streams(2)["errors"], _streams(3)["errors"], _streams(4)["errors"]])
    looped = detector.clone()
    hits = _update_loop(looped, stream)
    assert len(hits) >= 2 and looped.n_detections == len(hits)  # not only since the last one
    assert detector.clone().detect(stream) == hits
    ran = detector.clone()
    assert len(ran.detect(stream)) == ran.n_detections == len(hits)
    ran.detect(stream[:100])
    assert ran.n_detections == 0  # detect starts from scratch
    looped.reset()
    assert looped.n_detections == 0 and not looped.drift_detected


def test_adwin_names_its_two_spreads_and_the_old_variance_warns():
    rng = np.random.default_rng(0)
    values = rng.normal(5, 2, 500)
    detector = ADWIN(clock=10**9)  # never checks: the window holds every value
    _update_loop(detector, values)
    squares = float(((values - values.mean()) ** 2).sum())
    assert detector.sum_squared_deviations == pytest.approx(squares, rel=1e-9)  # river's "variance"
    assert detector.window_variance == pytest.approx(values.var(), rel=1e-9)
    with pytest.warns(FutureWarning, match="sum of squared deviations"):
        assert detector.variance == detector.window_variance
