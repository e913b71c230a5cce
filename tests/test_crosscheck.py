"""Cross-checks: the kit's transparent algorithms against the libraries of the field.

The kit keeps short implementations that learners can read; these tests prove
them against the libraries practitioners use, on the same inputs. Each section
skips (with the reason) when its library is absent, so the suite still runs
without the ``crosscheck`` extra (``pip install -e ".[crosscheck]"``).

- river: Page-Hinkley (every mode), DDM (with its warnings) and ADWIN: identical
  detection indices, read river's way (``update`` then ``drift_detected``);
  river's own detector tests (its test_drift_detectors and test_adwin_regression
  cases, restated here because river's wheel leaves its tests out) and river's
  own estimator checks (``river.checks.common``: repr, clone, parameters,
  pickling), each run on river's class and on the kit's.
- cleanlab: label issues on the same out-of-fold probabilities, for all seven of its rules and
  three rankings, on seeded datasets and random multiclass cases (a property test).
- krippendorff: alpha at every level of measurement, with missing ratings.
- prov: the PROV-JSON export read back by the W3C PROV library.
- jellyfish and rapidfuzz: Jaro-Winkler similarity.
"""

import json
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

SEEDS = range(5)


# ---------------------------------------------------------------------------
# river: stream drift detectors
# ---------------------------------------------------------------------------

def _river_detect(detector, stream):
    """Indices where a detector (river's or the kit's) reports ``drift_detected`` after an update."""
    out = []
    for i, x in enumerate(stream):
        detector.update(float(x))
        if detector.drift_detected:
            out.append(i)
    return out


def _value_streams(seed):
    """Seeded streams of a monitored value, each with its change points."""
    rng = np.random.default_rng(seed)
    return {
        "sudden": (np.concatenate([rng.normal(0, 1, 1000), rng.normal(3, 1, 1000)]), [1000]),
        "gradual": (np.concatenate([rng.normal(0, 1, 800), rng.normal(np.linspace(0, 2, 800), 1),
                                    rng.normal(2, 1, 400)]), [800]),
        "small": (np.concatenate([rng.normal(0, 1, 1000), rng.normal(0.5, 1, 1000)]), [1000]),
        "two shifts": (np.concatenate([rng.normal(0, 1, 700), rng.normal(2, 1, 700), rng.normal(5, 1, 700)]),
                       [700, 1400]),
        "no drift": (rng.normal(0, 1, 2000), []),
    }


def _error_streams(seed):
    """Seeded Bernoulli error streams (1 = the model was wrong), each with its change point."""
    rng = np.random.default_rng(seed)
    return {
        "jump": (np.concatenate([rng.random(1000) < 0.1, rng.random(1000) < 0.4]).astype(int), [1000]),
        "gradual": ((rng.random(2000) < np.concatenate([np.full(1000, 0.1), np.linspace(0.1, 0.5, 1000)]))
                    .astype(int), [1000]),
        "small": (np.concatenate([rng.random(1000) < 0.2, rng.random(1000) < 0.3]).astype(int), [1000]),
        "no drift": ((rng.random(2000) < 0.2).astype(int), []),
    }


@pytest.fixture(scope="module")
def river_drift():
    return pytest.importorskip("river.drift", reason="river is in the crosscheck extra")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("threshold", [10.0, 50.0])
@pytest.mark.parametrize("mode", ["both", "up", "down", None])
def test_page_hinkley_fires_where_river_fires(river_drift, seed, threshold, mode):
    from lifecycle_kit.drift.detectors import PageHinkley

    options = {} if mode is None else {"mode": mode}  # None: both libraries' defaults
    fired = 0
    for name, (stream, _) in _value_streams(seed).items():
        for values in (stream, -stream):  # a fall as well as a rise
            kit = PageHinkley(threshold=threshold, **options).detect(values)
            river = _river_detect(river_drift.PageHinkley(threshold=threshold, **options), values)
            assert kit == river, name
            assert _kit_update_loop(PageHinkley(threshold=threshold, **options), values) == kit, name
            fired += len(kit)
    assert fired > 0  # the comparison covered detections, not only silence


# The kit's detectors are used river's way too (update, then read drift_detected): one loop for both.
_kit_update_loop = _river_detect


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("warm_start", [30, 99, None])
def test_ddm_fires_where_river_fires(river_drift, seed, warm_start):
    from lifecycle_kit.drift.detectors import DDM

    options = {} if warm_start is None else {"warm_start": warm_start}  # None: both libraries' defaults
    fired = 0
    for name, (errors, _) in _error_streams(seed).items():
        kit_detector, river_detector = DDM(**options), river_drift.binary.DDM(**options)
        kit, river = [], []
        for i, x in enumerate(errors):
            kit_detector.update(float(x))
            river_detector.update(float(x))
            assert kit_detector.warning_detected == river_detector.warning_detected, (name, i)
            if kit_detector.drift_detected:
                kit.append(i)
            if river_detector.drift_detected:
                river.append(i)
        assert kit == river == DDM(**options).detect(errors), name
        fired += len(kit)
    assert fired > 0


def test_a_longer_ddm_warm_up_raises_fewer_false_alarms(river_drift):
    """Why the drift lab sets warm_start=100 where river's default is 30."""
    from lifecycle_kit.drift.detectors import DDM

    long_false, default_false = 0, 0
    for seed in SEEDS:
        for errors, changes in _error_streams(seed).values():
            first_change = changes[0] if changes else len(errors)
            long_false += sum(i < first_change for i in DDM(warm_start=100).detect(errors))
            default_false += sum(i < first_change for i in _river_detect(river_drift.binary.DDM(), errors))
    assert long_false < default_false


def _adwin_streams(seed):
    rng = np.random.default_rng(seed + 100)
    streams = dict(_value_streams(seed))
    streams["errors 10% -> 30%"] = (np.concatenate([rng.random(3000) < 0.1, rng.random(3000) < 0.3]).astype(float),
                                    [3000])
    streams["long, far from zero"] = (1e4 + np.concatenate([rng.normal(0, 1, 20000), rng.normal(0.2, 1, 20000)]),
                                      [20000])
    return streams


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("options", [{}, {"clock": 1}, {"delta": 0.1, "clock": 8},
                                     {"max_buckets": 2, "min_window_length": 10, "grace_period": 50}])
def test_adwin_fires_where_river_fires(river_drift, seed, options):
    """The same exponential histogram and bound as river's: identical detection indices."""
    from lifecycle_kit.drift.detectors import ADWIN

    fired = 0
    for name, (stream, changes) in _adwin_streams(seed).items():
        kit = ADWIN(**options).detect(stream)
        river = _river_detect(river_drift.ADWIN(**options), stream)
        assert kit == river, f"seed {seed}, {name}: kit {kit}, river {river}"
        if name in ("sudden", "two shifts") and not options:
            assert kit and min(kit) >= changes[0], name  # fires, and not before the change
        fired += len(kit)
    assert fired > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_adwin_update_loop_matches_river_and_detect(river_drift, seed):
    """The readable one-value-at-a-time path gives the same indices as river and as the vectorised detect."""
    from lifecycle_kit.drift.detectors import ADWIN

    for name, (stream, _) in _value_streams(seed).items():
        kit = _kit_update_loop(ADWIN(), stream)
        river = _river_detect(river_drift.ADWIN(), stream)
        assert kit == river == ADWIN().detect(stream), name


# river's own detector tests, on river's classes and on the kit's. The streams, parameters and expected
# indices are those of river's river/drift/test_drift_detectors.py (for the three detectors the kit has) and
# river/drift/test_adwin_regression.py (all but its tests of river's internal Rust class), as of river 0.26.

def _river_test_streams():
    """River's three test streams, drawn as its tests draw them (numpy's legacy generator, seed 12345)."""
    rng = np.random.RandomState(12345)
    coins_then_dice = np.concatenate((rng.randint(2, size=1000), rng.randint(8, size=1000)))
    rng = np.random.RandomState(12345)
    errors_20_then_80 = np.array([rng.binomial(1, 0.2) for _ in range(1000)]
                                 + [rng.binomial(1, 0.8) for _ in range(1000)], dtype=int)
    rng = np.random.RandomState(12345)
    four_regimes = np.concatenate([rng.normal(mean, 0.1, 500) > 0 for mean in (0.0, 0.25, 0.0, 0.25)]).astype(int)
    return {"coins then dice": coins_then_dice, "errors 20% then 80%": errors_20_then_80,
            "four regimes": four_regimes, "ones": np.ones(1000)}


RIVER_DETECTOR_CASES = [  # (detector, parameters, stream, the indices river's tests expect)
    ("ADWIN", {}, "coins then dice", [1023]),
    ("DDM", {}, "errors 20% then 80%", [1049]),
    ("DDM", {}, "ones", []),
    ("PageHinkley", {"mode": "up"}, "four regimes", [588, 1681]),
    ("PageHinkley", {"mode": "down"}, "four regimes", [1172]),
    ("PageHinkley", {"mode": "both"}, "four regimes", [588, 1097, 1585]),
]


@pytest.fixture(scope="module", params=["river", "kit"])
def detectors(request, river_drift):
    """The three detector classes of one library, by the kit's names."""
    if request.param == "river":
        return {"ADWIN": river_drift.ADWIN, "DDM": river_drift.binary.DDM, "PageHinkley": river_drift.PageHinkley}
    from lifecycle_kit.drift import detectors as kit

    return {"ADWIN": kit.ADWIN, "DDM": kit.DDM, "PageHinkley": kit.PageHinkley}


@pytest.mark.parametrize("name, params, stream, expected", RIVER_DETECTOR_CASES)
def test_rivers_detector_tests(detectors, name, params, stream, expected):
    assert _river_detect(detectors[name](**params), _river_test_streams()[stream]) == expected


def _sum_squared_deviations(adwin):
    """River's ``variance`` is the window's sum of squared deviations; the kit names it so."""
    return adwin.sum_squared_deviations if hasattr(adwin, "sum_squared_deviations") else adwin.variance


def _count(adwin, values):
    return len(_river_detect(adwin, values))


def _adwin_regression_cases():
    """River's test_adwin_regression checks, each a function of the ADWIN class (river's or the kit's)."""
    def multiple_drifts(ADWIN):
        rng = random.Random(42)
        data = (rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
                + rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000))
        assert _river_detect(ADWIN(), data) == [1023, 2015, 3007]

    def no_drift_constant_stream(ADWIN):
        assert _count(ADWIN(), [1.0] * 5000) == 0

    def no_drift_stable_distribution(ADWIN):
        rng = random.Random(123)
        assert _count(ADWIN(), [rng.gauss(0, 1) for _ in range(5000)]) <= 2

    def immediate_large_shift(ADWIN):
        adwin = ADWIN(delta=0.01)
        _river_detect(adwin, [0.0] * 200)
        assert _river_detect(adwin, [100.0] * 200)

    def width_grows(ADWIN):
        adwin = ADWIN()
        for i in range(1, 101):
            adwin.update(1.0)
            assert adwin.width == i

    def total_and_estimation(ADWIN):
        adwin = ADWIN()
        _river_detect(adwin, [1.0, 2.0, 3.0, 4.0, 5.0])
        assert (adwin.total, adwin.estimation, adwin.width) == (pytest.approx(15.0), pytest.approx(3.0), 5)

    def variance_is_the_sum_of_squared_deviations(ADWIN):
        rng = random.Random(999)
        values = [rng.gauss(5, 2) for _ in range(500)]
        adwin = ADWIN()
        _river_detect(adwin, values)
        mean = sum(values) / len(values)
        assert _sum_squared_deviations(adwin) == pytest.approx(sum((v - mean) ** 2 for v in values), rel=1e-6)

    def estimation_after_drift(ADWIN):
        adwin = ADWIN()
        _river_detect(adwin, [0.0] * 1000 + [10.0] * 1000)
        assert adwin.estimation > 5.0

    def empty_window_estimates_zero(ADWIN):
        assert ADWIN().estimation == 0.0

    def clock_1(ADWIN):
        assert _count(ADWIN(clock=1), _river_test_streams()["coins then dice"]) >= 1

    def smaller_delta_fewer_detections(ADWIN):
        rng = np.random.RandomState(42)
        data = np.concatenate((rng.randn(500), rng.randn(500) + 0.5))
        assert _count(ADWIN(delta=0.2), data) >= _count(ADWIN(delta=0.001), data)

    def max_buckets_variation(ADWIN):
        for max_buckets in [2, 5, 10, 20]:
            rng = random.Random(42)
            adwin = ADWIN(max_buckets=max_buckets)
            _river_detect(adwin, [rng.random() for _ in range(2000)])
            assert adwin.width > 0

    def min_window_length_1(ADWIN):
        rng = random.Random(42)
        adwin = ADWIN(min_window_length=1, clock=1)
        before = _count(adwin, [rng.gauss(0, 1) for _ in range(500)])
        assert before + _count(adwin, [rng.gauss(5, 1) for _ in range(500)]) >= 1

    def grace_period(ADWIN):
        adwin = ADWIN(grace_period=100, clock=1)
        _river_detect(adwin, [0.0] * 50 + [1000.0] * 50)
        assert adwin.n_detections == 0

    def edge_values(ADWIN):
        adwin = ADWIN()
        adwin.update(42.0)
        assert (adwin.width, adwin.total, adwin.estimation) == (1, 42.0, 42.0)
        adwin = ADWIN()
        _river_detect(adwin, [1.0, 2.0])
        assert (adwin.width, adwin.total, adwin.estimation) == (2, 3.0, 1.5)
        for value in (1e15, -5.0):
            adwin = ADWIN()
            _river_detect(adwin, [value] * 100)
            assert adwin.width == 100 and adwin.estimation == pytest.approx(value)

    def alternating_values(ADWIN):
        assert _count(ADWIN(), [float(i % 2) for i in range(2000)]) <= 1

    def very_long_stream(ADWIN):
        rng = random.Random(42)
        adwin = ADWIN()
        _river_detect(adwin, [rng.random() for _ in range(100_000)])
        assert adwin.width > 0 and 0.0 < adwin.estimation < 1.0

    def fresh_window_after_a_detection(ADWIN):
        adwin = ADWIN(clock=1)
        _river_detect(adwin, [0.0] * 500)
        for _ in range(500):
            adwin.update(100.0)
            if adwin.drift_detected:
                break
        assert adwin.drift_detected
        adwin.update(50.0)
        assert adwin.width == 1

    return {name: case for name, case in locals().items() if callable(case)}


ADWIN_REGRESSION = _adwin_regression_cases()


@pytest.mark.parametrize("case", list(ADWIN_REGRESSION))
def test_rivers_adwin_regression_tests(detectors, case):
    ADWIN_REGRESSION[case](detectors["ADWIN"])


def test_n_detections_counts_what_rivers_adwin_forgets(river_drift):
    """The one difference the kit keeps on purpose: river's count restarts with its window after each drift."""
    from lifecycle_kit.drift.detectors import ADWIN

    rng = random.Random(42)
    data = (rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
            + rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000))
    kit, river = ADWIN(), river_drift.ADWIN()
    assert _river_detect(kit, data) == _river_detect(river, data) == [1023, 2015, 3007]
    assert kit.n_detections == 3 and river.n_detections < 3


RIVER_ESTIMATOR_CHECKS = ["check_repr", "check_str", "check_doc", "check_clone_same_class",
                          "check_clone_is_idempotent", "check_init_default_params_are_not_mutable",
                          "check_clone_changes_memory_addresses", "check_pickling_supports_roundtrip",
                          "check_repr_roundtrips_clone", "check_clone_with_new_params_applies",
                          "check_get_params_matches_signature"]


@pytest.mark.parametrize("check", RIVER_ESTIMATOR_CHECKS)
@pytest.mark.parametrize("name", ["ADWIN", "DDM", "PageHinkley"])
def test_rivers_estimator_checks_pass_on_the_kits_detectors(river_drift, name, check):
    """river's own checks of an estimator's conventions (river.checks.common), given the kit's detectors."""
    common = pytest.importorskip("river.checks.common")
    from lifecycle_kit.drift import detectors as kit

    detector = getattr(kit, name)()
    _river_detect(detector, _river_test_streams()["errors 20% then 80%"])  # a detector that has seen data
    getattr(common, check)(detector)


# ---------------------------------------------------------------------------
# cleanlab: label issues from out-of-fold probabilities
# ---------------------------------------------------------------------------

METHOD_PAIRS = {  # kit method -> cleanlab filter_by: all seven of cleanlab's rules
    "prune_by_noise_rate": "prune_by_noise_rate",
    "confident_joint": "confident_learning",
    "disagreement": "predicted_neq_given",
    "prune_by_class": "prune_by_class",
    "both": "both",
    "low_self_confidence": "low_self_confidence",
    "low_normalized_margin": "low_normalized_margin",
}


def _noisy_cases():
    """Out-of-fold probabilities for 10% random label flips: breast_cancer (2 classes), iris and wine (3)."""
    from sklearn.datasets import load_iris, load_wine

    from lifecycle_kit.datasets import load
    from lifecycle_kit.poisoning import flip_labels
    from lifecycle_kit.quality.label_noise import cross_val_probabilities

    cancer = load("breast_cancer")
    tables = {"breast_cancer": (cancer.frame, pd.Series(np.asarray(cancer.target)))}
    for name, loader in [("iris", load_iris), ("wine", load_wine)]:
        bunch = loader(as_frame=True)
        tables[name] = (bunch.data, pd.Series(np.asarray(bunch.target)))
    cases = []
    for name, (X, target) in tables.items():
        for seed in SEEDS:
            y, _ = flip_labels(target, 0.1, random_state=seed)
            y = y.to_numpy()
            cases.append((name, seed, X, y, cross_val_probabilities(X, y, random_state=seed)))
    return cases


@pytest.fixture(scope="module")
def noisy_cases():
    return _noisy_cases()


@pytest.mark.parametrize("method", list(METHOD_PAIRS))
def test_label_issues_are_the_rows_cleanlab_finds(noisy_cases, method):
    cleanlab_filter = pytest.importorskip("cleanlab.filter", reason="cleanlab is in the crosscheck extra")
    from lifecycle_kit.quality.label_noise import find_label_issues

    for name, seed, X, y, probabilities in noisy_cases:
        labels = np.searchsorted(np.unique(y), y)
        kit = find_label_issues(X, y, probabilities=probabilities, method=method).indices
        theirs = cleanlab_filter.find_label_issues(labels=labels, pred_probs=probabilities,
                                                   filter_by=METHOD_PAIRS[method], n_jobs=1)
        assert len(kit) > 0
        assert sorted(kit.tolist()) == np.flatnonzero(theirs).tolist(), f"{name}, seed {seed}"


def _multiclass_case(seed, classes, rows, absent, decimals):
    """A seeded label-noise case: Dirichlet probabilities leaning to each row's true class, some labels flipped,
    ``absent`` classes relabelled away (their columns stay), probabilities rounded to ``decimals`` (ties)."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, classes, rows)
    labels = np.where(rng.random(rows) < rng.uniform(0.05, 0.4), rng.integers(0, classes, rows), truth)
    for gone in range(1, absent + 1):
        labels[labels == classes - gone] = 0
    alpha = np.full((rows, classes), rng.uniform(0.2, 1.0))
    alpha[np.arange(rows), truth] += rng.uniform(0.5, 6.0)
    probabilities = np.vstack([rng.dirichlet(a) for a in alpha])
    return labels, probabilities if decimals is None else np.round(probabilities, decimals)


@settings(max_examples=100, deadline=None)
# Two cases where rounding the calibrated joint meets ties broken by the order of float sums (cleanlab's layout).
@example(seed=175, classes=6, rows=253, absent=0, decimals=1, ranked_by="self_confidence")
@example(seed=230, classes=10, rows=73, absent=1, decimals=2, ranked_by="normalized_margin")
@given(seed=st.integers(0, 2**32 - 1), classes=st.integers(5, 10), rows=st.integers(20, 300),
       absent=st.integers(0, 2), decimals=st.sampled_from([None, 1, 2]),
       ranked_by=st.sampled_from(["self_confidence", "normalized_margin", "confidence_weighted_entropy"]))
def test_label_issues_agree_with_cleanlab_on_random_multiclass_cases(seed, classes, rows, absent, decimals, ranked_by):
    """Every rule of cleanlab's, 5 to 10 classes, some absent from the labels, ties in the probabilities."""
    import warnings

    from hypothesis import assume

    cleanlab_filter = pytest.importorskip("cleanlab.filter", reason="cleanlab is in the crosscheck extra")
    from lifecycle_kit.quality.label_noise import find_label_issues

    labels, probabilities = _multiclass_case(seed, classes, rows, absent, decimals)
    assume(len(np.unique(labels)) >= 2)  # cleanlab's own requirement
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cleanlab warns about small classes
        for filter_by in METHOD_PAIRS.values():
            theirs = cleanlab_filter.find_label_issues(labels, probabilities, filter_by=filter_by, n_jobs=1)
            np.testing.assert_array_equal(find_label_issues(labels, probabilities, filter_by=filter_by), theirs,
                                          err_msg=filter_by)
        theirs = cleanlab_filter.find_label_issues(labels, probabilities, return_indices_ranked_by=ranked_by, n_jobs=1)
    np.testing.assert_array_equal(find_label_issues(labels, probabilities, return_indices_ranked_by=ranked_by), theirs)


def test_no_rule_flags_a_row_whose_label_the_model_predicts(noisy_cases):
    """Holds without cleanlab: the cause of the old seed-2 difference (60 flagged vs cleanlab's 58)."""
    from lifecycle_kit.quality.label_noise import find_label_issues

    for name, seed, X, y, probabilities in noisy_cases:
        given = np.searchsorted(np.unique(y), y)
        for method in METHOD_PAIRS:
            if method.startswith("low_"):
                continue  # cleanlab's score-based rules keep rows the model agrees with (by design, in both)
            flagged = find_label_issues(X, y, probabilities=probabilities, method=method).indices
            own = probabilities[flagged, given[flagged]]
            assert (own + 1e-6 < probabilities[flagged].max(axis=1)).all(), f"{name}, seed {seed}, {method}"


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 6).flatmap(lambda k: st.lists(st.lists(st.floats(0, 1000), min_size=k, max_size=k),
                                                     min_size=1, max_size=6)))
def test_rounding_keeps_each_row_total(rows):
    from lifecycle_kit.quality.label_noise import _round_keeping_total

    matrix = np.array(rows)
    rounded = _round_keeping_total(matrix)
    assert np.array_equal(rounded, np.round(rounded))
    assert np.array_equal(rounded.sum(axis=1), np.round(matrix.sum(axis=1)))
    assert (np.abs(rounded - matrix) < 1.0 + 1e-9).all()


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 6).flatmap(lambda k: st.lists(
    st.lists(st.one_of(st.floats(0, 100), st.integers(0, 200).map(lambda i: i / 2)), min_size=k, max_size=k),
    min_size=1, max_size=6)))
def test_rounding_matches_cleanlabs(rows):
    util = pytest.importorskip("cleanlab.internal.util", reason="cleanlab is in the crosscheck extra")
    from lifecycle_kit.quality.label_noise import _round_keeping_total

    matrix = np.array(rows)
    assert np.array_equal(_round_keeping_total(matrix), util.round_preserving_row_totals(matrix))


# ---------------------------------------------------------------------------
# krippendorff: alpha
# ---------------------------------------------------------------------------

LEVELS = ["nominal", "ordinal", "interval", "ratio"]


def _reliability_matrices():
    """Seeded experts x items matrices: integer scales and continuous scores, a quarter missing."""
    rng = np.random.default_rng(0)
    out = []
    for trial in range(60):
        experts, items = int(rng.integers(2, 7)), int(rng.integers(3, 25))
        truth = rng.integers(1, 6, items)
        ratings = (truth + rng.integers(-1, 2, (experts, items))).astype(float)
        if trial % 3 == 0:
            ratings += rng.normal(0, 0.3, ratings.shape)
        ratings[rng.random(ratings.shape) < 0.25] = np.nan
        out.append(ratings)
    return out


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_equals_krippendorff_library(level):
    krippendorff = pytest.importorskip("krippendorff", reason="krippendorff is in the crosscheck extra")
    from lifecycle_kit.errors import LifecycleKitError
    from lifecycle_kit.experts import krippendorffs_alpha

    nan = np.nan
    worked_example = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
                      [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    compared = 0
    for ratings in [np.array(worked_example, dtype=float), *_reliability_matrices()]:
        try:
            ours = krippendorffs_alpha(ratings, level=level)
        except LifecycleKitError:
            with pytest.raises((ValueError, ZeroDivisionError)):
                krippendorff.alpha(reliability_data=ratings, level_of_measurement=level)
            continue
        theirs = float(krippendorff.alpha(reliability_data=ratings, level_of_measurement=level))
        assert ours == pytest.approx(theirs, abs=1e-9)
        compared += 1
    assert compared >= 50


# ---------------------------------------------------------------------------
# prov: the PROV-JSON export
# ---------------------------------------------------------------------------

def _lineage():
    from lifecycle_kit.provenance import Lineage, LineageRecorder

    frame = pd.DataFrame({"x": [1.0, None, 3.0, 3.0], "y": ["a", "b", "a", "a"]})
    recorder = LineageRecorder(frame, name="raw survey", agent="data steward")
    recorder.apply("drop missing", lambda df: df.dropna())
    recorder.apply("deduplicate", lambda df, keep: df.drop_duplicates(keep=keep), keep="first")
    lineage = recorder.lineage
    # A second agent and an activity with two inputs, added by hand as a learner would.
    reviewer = lineage.add_agent("reviewer", role="checks the merge")
    extra = lineage.add_entity("reference table", digest="0" * 64, rows=2, columns=2, description="lookup")
    merged = lineage.add_entity("merged", digest="f" * 64)
    lineage.add_activity("merge", used=[lineage.activities[-1]["generated"][0], extra], generated=[merged],
                         agent=reviewer, parameters={"on": ["y"], "how": "left"})
    assert isinstance(lineage, Lineage)
    return lineage


def _prov_document(text):
    prov_model = pytest.importorskip("prov.model", reason="prov is in the crosscheck extra")
    return prov_model.ProvDocument.deserialize(content=text, format="json")


def _local(qualified_name):
    return f"{qualified_name.namespace.prefix}:{qualified_name.localpart}"


def test_prov_library_reads_the_export_back():
    import datetime

    prov_model = pytest.importorskip("prov.model", reason="prov is in the crosscheck extra")
    lineage = _lineage()
    document = _prov_document(lineage.to_prov_json())

    def records(kind):
        return {_local(r.identifier): r for r in document.get_records(kind)}

    entities = records(prov_model.ProvEntity)
    assert set(entities) == {e["id"] for e in lineage.entities}
    for e in lineage.entities:
        attributes = {_local(k): v for k, v in entities[e["id"]].attributes}
        assert attributes["prov:label"] == e["name"] and attributes["lk:sha256"] == e["sha256"]
        assert attributes.get("lk:rows") == e["rows"] and attributes.get("lk:columns") == e["columns"]
    agents = records(prov_model.ProvAgent)
    assert {k: r.get_attribute("prov:label") for k, r in agents.items()} == \
        {a["id"]: {a["name"]} for a in lineage.agents}
    activities = records(prov_model.ProvActivity)
    assert set(activities) == {a["id"] for a in lineage.activities}
    for a in lineage.activities:
        record = activities[a["id"]]
        assert record.get_startTime() == datetime.datetime.fromisoformat(a["started"])
        assert json.loads(next(iter(record.get_attribute("lk:parameters")))) == json.loads(json.dumps(a["parameters"]))

    def relation(kind):
        """(first, second) formal arguments: used(activity, entity), wasGeneratedBy(entity, activity), ..."""
        return sorted((_local(r.formal_attributes[0][1]), _local(r.formal_attributes[1][1]))
                      for r in document.get_records(kind))
    assert relation(prov_model.ProvUsage) == sorted((a["id"], e) for a in lineage.activities for e in a["used"])
    assert relation(prov_model.ProvGeneration) == \
        sorted((e, a["id"]) for a in lineage.activities for e in a["generated"])
    assert relation(prov_model.ProvAssociation) == \
        sorted((a["id"], a["agent"]) for a in lineage.activities if a["agent"])


def test_prov_json_round_trip_is_stable():
    document = _prov_document(_lineage().to_prov_json())
    again = _prov_document(document.serialize(format="json"))
    assert again == document
    assert "wasAssociatedWith(" in again.get_provn()


def test_prov_export_declares_every_prefix_it_uses():
    """Holds without prov: the cause of the old rejection (entity:, activity:, agent: were undeclared)."""
    doc = json.loads(_lineage().to_prov_json())
    declared = set(doc["prefix"]) | {"prov", "xsd"}
    used = set()
    for kind, records in doc.items():
        if kind == "prefix":
            continue
        for identifier, attributes in records.items():
            used.add(identifier.split(":", 1)[0])
            used.update(key.split(":", 1)[0] for key in attributes)
            used.update(v.split(":", 1)[0] for k, v in attributes.items()
                        if k in {"prov:activity", "prov:entity", "prov:agent"})
    assert used <= declared


# ---------------------------------------------------------------------------
# jellyfish and rapidfuzz: Jaro-Winkler
# ---------------------------------------------------------------------------

ALPHABET = "abcAB é-ßж中😀"


def _mutated(draw_list):
    a, edits = draw_list
    chars = list(a)
    for position, kind, ch in edits:
        if kind == 0 and chars:
            del chars[position % len(chars)]
        elif kind == 1:
            chars.insert(position % (len(chars) + 1), ch)
        elif kind == 2 and len(chars) > 1:
            i = position % (len(chars) - 1)
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif chars:
            chars[position % len(chars)] = ch
    return a, "".join(chars)


string_pairs = st.one_of(
    st.tuples(st.text(ALPHABET, max_size=14), st.text(ALPHABET, max_size=14)),
    st.text(ALPHABET, max_size=14).map(lambda a: (a, a)),
    st.tuples(st.text(ALPHABET, max_size=14),
              st.lists(st.tuples(st.integers(0, 20), st.integers(0, 3), st.sampled_from(ALPHABET)), max_size=4))
    .map(_mutated),
)


@settings(max_examples=600, deadline=None)
@given(string_pairs)
def test_jaro_winkler_equals_jellyfish_and_rapidfuzz(pair):
    jellyfish = pytest.importorskip("jellyfish", reason="jellyfish is in the crosscheck extra")
    jaro_winkler_rf = pytest.importorskip("rapidfuzz.distance.JaroWinkler", reason="rapidfuzz is in the crosscheck extra")
    from lifecycle_kit.platform.linkage import jaro_winkler

    a, b = pair
    ours = jaro_winkler(a, b)
    assert ours == pytest.approx(jaro_winkler_rf.similarity(a, b), abs=1e-12)
    if a or b:  # jellyfish scores two empty strings 0.0 (see test_two_empty_strings)
        assert ours == pytest.approx(jellyfish.jaro_winkler_similarity(a, b), abs=1e-12)


def test_jaro_winkler_agreement_rate_on_identifier_like_pairs():
    jellyfish = pytest.importorskip("jellyfish", reason="jellyfish is in the crosscheck extra")
    jaro_winkler_rf = pytest.importorskip("rapidfuzz.distance.JaroWinkler", reason="rapidfuzz is in the crosscheck extra")
    from lifecycle_kit.platform.linkage import jaro_winkler

    rng = random.Random(0)
    pairs = [("".join(rng.choice("ACGN12") for _ in range(rng.randint(1, 9))),
              "".join(rng.choice("ACGN12") for _ in range(rng.randint(1, 9)))) for _ in range(5000)]
    boosted_low = 0
    for a, b in pairs:
        ours = jaro_winkler(a, b)
        assert abs(ours - jellyfish.jaro_winkler_similarity(a, b)) <= 1e-12, (a, b)
        assert abs(ours - jaro_winkler_rf.similarity(a, b)) <= 1e-12, (a, b)
        boosted_low += a[0] == b[0] and jaro_winkler(a, b, prefix_scale=0.0) <= 0.7
    assert boosted_low > 0  # the sample includes pairs the old prefix boost got wrong


def test_the_two_issue_cases():
    """Holds without the libraries: the prefix boost waits for Jaro > 0.7; an odd transposition count rounds down."""
    from lifecycle_kit.platform.linkage import jaro_winkler

    # Jaro = (2/10 + 2/10 + 1) / 3 <= 0.7: the shared "AB" must not raise it.
    assert jaro_winkler("ABCDEFGHIJ", "ABWXYZKLMN") == pytest.approx((0.2 + 0.2 + 1) / 3, abs=1e-15)
    # 5 of 7 characters match and their orders differ at 3 places: 3 // 2 = 1 transposition, not 1.5.
    assert jaro_winkler("ccdcadb", "bdadcbd") == pytest.approx((5 / 7 + 5 / 7 + 4 / 5) / 3, abs=1e-15)


def test_two_empty_strings():
    jellyfish = pytest.importorskip("jellyfish", reason="jellyfish is in the crosscheck extra")
    jaro_winkler_rf = pytest.importorskip("rapidfuzz.distance.JaroWinkler", reason="rapidfuzz is in the crosscheck extra")
    from lifecycle_kit.platform.linkage import jaro_winkler

    # Equal strings are equal: the kit sides with rapidfuzz, jellyfish returns 0.0.
    assert jaro_winkler("", "") == jaro_winkler_rf.similarity("", "") == 1.0
    assert jellyfish.jaro_winkler_similarity("", "") == 0.0
