import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.spatial.distance import jensenshannon

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.drift import (
    ADWIN,
    DDM,
    PageHinkley,
    compare,
    covariate_shift,
    detection_delays,
    domain_classifier,
    make_detector,
    make_stream,
    prior_shift,
    serving_bug,
)
from lifecycle_kit.drift import statistics as st


@pytest.fixture
def frames():
    rng = np.random.default_rng(0)
    n = 400
    ref = pd.DataFrame({"a": rng.normal(0, 1, n), "b": rng.normal(5, 2, n), "c": rng.choice(list("xyz"), n),
                        "d": rng.exponential(1, n)})
    cur = pd.DataFrame({"a": rng.normal(0.6, 1, n), "b": rng.normal(5, 2, n),
                        "c": rng.choice(list("xyz"), n, p=[0.6, 0.2, 0.2]), "d": rng.exponential(1, n)})
    return ref, cur


def test_auto_flags_exactly_the_shifted_columns(frames):
    ref, cur = frames
    report = compare(ref, cur)
    assert sorted(report.drifted_columns) == ["a", "c"]
    assert report.drift_share == 0.5 and report.dataset_drift
    frame = report.to_frame()
    assert list(frame.columns[:7]) == ["column", "kind", "test", "statistic", "p_value", "threshold", "drifted"]
    assert frame["drifted"].tolist() == [True, True, False, False]
    assert frame["severity"].iloc[0] >= frame["severity"].iloc[1] and (frame["severity"][:2] > 1).all()
    assert (frame["severity"][2:] <= 1).all()


def test_statistics_equal_scipy_to_1e_12(frames):
    ref, cur = frames
    frame = compare(ref, cur).to_frame().set_index("column")
    ks = stats.ks_2samp(ref["a"], cur["a"])
    assert frame.loc["a", "test"] == "ks"
    assert abs(frame.loc["a", "statistic"] - ks.statistic) < 1e-12 and abs(frame.loc["a", "p_value"] - ks.pvalue) < 1e-12
    table = pd.crosstab(np.r_[np.zeros(len(ref)), np.ones(len(cur))], np.r_[ref["c"], cur["c"]])
    chi = stats.chi2_contingency(table.to_numpy())
    assert abs(frame.loc["c", "statistic"] - chi.statistic) < 1e-12 and abs(frame.loc["c", "p_value"] - chi.pvalue) < 1e-12
    w = compare(ref, cur, method="wasserstein").to_frame().set_index("column")
    expected = stats.wasserstein_distance(ref["a"], cur["a"]) / np.std(ref["a"])
    assert abs(w.loc["a", "statistic"] - expected) < 1e-12
    cvm = compare(ref, cur, method="cramer_von_mises").to_frame().set_index("column")
    res = stats.cramervonmises_2samp(ref["a"], cur["a"])
    assert abs(cvm.loc["a", "statistic"] - res.statistic) < 1e-12 and abs(cvm.loc["a", "p_value"] - res.pvalue) < 1e-12
    js = compare(ref, cur, method="jensen_shannon").to_frame().set_index("column")
    counts = pd.crosstab(np.r_[np.zeros(len(ref)), np.ones(len(cur))], np.r_[ref["c"], cur["c"]]).to_numpy()
    assert abs(js.loc["c", "statistic"] - jensenshannon(counts[0], counts[1])) < 1e-12  # natural log, as Evidently


def test_large_reference_switches_to_distances():
    rng = np.random.default_rng(1)
    ref = pd.DataFrame({"a": rng.normal(size=5000), "c": rng.choice(list("xy"), 5000)})
    cur = pd.DataFrame({"a": rng.normal(0.05, 1, 5000), "c": rng.choice(list("xy"), 5000)})
    frame = compare(ref, cur).to_frame().set_index("column")
    assert frame.loc["a", "test"] == "wasserstein" and frame.loc["c", "test"] == "jensen_shannon"
    assert not frame["drifted"].any()  # a 0.05-sd shift is below the 0.1 distance threshold
    ks = compare(ref, cur, method="ks").to_frame().set_index("column")
    assert ks.loc["a", "test"] == "ks"


def test_psi_values_and_reading():
    assert st.psi_from_counts([50, 50], [50, 50]) == 0
    assert st.psi_from_counts([50, 50], [80, 20]) == pytest.approx(0.3 * np.log(1.6) + 0.3 * np.log(2.5))
    rng = np.random.default_rng(0)
    ref, cur = rng.normal(size=2000), rng.normal(1.0, 1, 2000)
    assert st.psi(ref, cur) > 0.25 > st.psi(ref, rng.normal(size=2000))


@pytest.mark.parametrize("correction", ["bonferroni", "holm", "bh"])
def test_corrections_match_their_definitions(correction):
    from lifecycle_kit.drift.compare import _adjust

    p = np.array([0.01, 0.04, 0.03, 0.2, np.nan])
    adjusted = _adjust(p, correction)
    expected = {"bonferroni": [0.04, 0.16, 0.12, 0.8], "holm": [0.04, 0.09, 0.09, 0.2],
                "bh": [0.04, 0.0533333333, 0.0533333333, 0.2]}[correction]
    assert np.allclose(adjusted[:4], expected) and math.isnan(adjusted[4])


def test_correction_can_remove_a_marginal_drift():
    rng = np.random.default_rng(3)
    ref = pd.DataFrame({f"c{i}": rng.normal(size=300) for i in range(20)})
    cur = pd.DataFrame({f"c{i}": rng.normal(size=300) for i in range(20)})
    plain = compare(ref, cur).drifted_columns
    corrected = compare(ref, cur, correction="bonferroni").drifted_columns
    assert len(corrected) <= len(plain) and corrected == []


def test_explanations_name_the_move(frames):
    ref, cur = frames
    explanations = compare(ref, cur).explanations()
    assert explanations["a"].startswith("median moved from ")
    assert explanations["c"].startswith("share of 'x' went from ")
    assert set(explanations) == {"a", "c"}


def test_report_outputs(frames, tmp_path):
    ref, cur = frames
    report = compare(ref, cur)
    html = report.to_html(tmp_path / "d.html")
    assert "<script" not in html and "<link" not in html and "median moved" in html
    assert report.to_markdown().startswith("# Data drift report")
    ax = report.plot()
    assert len(ax.patches) == 4
    assert "2 of 4 columns drifted" in repr(report)


@pytest.mark.parametrize("make,match", [
    (lambda r, c: compare(r, c.rename(columns={"a": "z", "b": "y", "c": "x", "d": "w"})), "share no column"),
    (lambda r, c: compare(r, c, columns=["a", "nope"]), "column 'nope' is missing from reference"),
    (lambda r, c: compare(r.iloc[:0], c), "reference has no rows"),
    (lambda r, c: compare(r, c.assign(a=np.nan)), "column 'a' is all missing in current"),
    (lambda r, c: compare(r, c, method="t-test"), "method must be one of"),
    (lambda r, c: compare(r, c, correction="sidak"), "correction must be one of"),
    (lambda r, c: compare(r, c, thresholds={"ks": -1}), "must be a positive number"),
    (lambda r, c: compare(r.to_numpy(), c), "reference must be a pandas DataFrame"),
])
def test_bad_inputs_raise_lifecycle_kit_error(frames, make, match):
    ref, cur = frames
    with pytest.raises(LifecycleKitError, match=match):
        make(ref, cur)


@pytest.mark.parametrize("seed", range(4))
def test_page_hinkley_fires_after_the_change_within_150_rows(seed):
    rng = np.random.default_rng(seed)
    stream = np.concatenate([rng.normal(0, 1, 1000), rng.normal(3, 1, 1000)])
    hits = PageHinkley(threshold=50, mode="up").detect(stream)
    assert hits and 1000 <= hits[0] < 1150


def test_ddm_exact_seeded_outcome():
    rng = np.random.default_rng(0)
    errors = np.concatenate([rng.random(1000) < 0.1, rng.random(1000) < 0.4]).astype(int)
    assert DDM(warm_start=100).detect(errors) == [1041]


def test_ddm_detects_within_150_rows_and_rarely_before():
    false_alarms, delays = 0, []
    for seed in range(20):
        rng = np.random.default_rng(seed + 10)
        errors = np.concatenate([rng.random(1000) < 0.1, rng.random(1000) < 0.4]).astype(int)
        hits = DDM(warm_start=100).detect(errors)
        false_alarms += sum(h < 1000 for h in hits)
        delays.append(next(h for h in hits if h >= 1000) - 1000)
    assert max(delays) < 150 and false_alarms <= 5


@pytest.mark.parametrize("seed", range(4))
def test_adwin_fires_after_the_change_and_not_before(seed):
    rng = np.random.default_rng(seed + 20)
    stream = np.concatenate([rng.normal(0, 1, 1000), rng.normal(1.5, 1, 1000)])
    hits = ADWIN().detect(stream)
    assert hits and all(h >= 1000 for h in hits) and hits[0] < 1100


def test_detectors_validate_their_input():
    with pytest.raises(LifecycleKitError, match="DDM watches errors"):
        DDM().detect([0, 1, 0.5])
    with pytest.raises(LifecycleKitError, match="not a finite number"):
        ADWIN().detect([0.0, float("nan")])
    with pytest.raises(LifecycleKitError, match="detector must be one of"):
        make_detector("cusum")
    with pytest.raises(LifecycleKitError, match="drift_threshold"):
        DDM(warning_threshold=3, drift_threshold=2)


def test_detection_delays_counts_false_alarms():
    timing = detection_delays([100, 1050, 1900], [1000])
    assert timing == {"delays": [50], "false_alarms": 1, "detections": 3, "matched": 1}
    assert detection_delays([], [500])["delays"] == [None]


@pytest.mark.parametrize("kind", ["covariate", "prior", "concept"])
@pytest.mark.parametrize("pattern", ["sudden", "gradual", "incremental", "recurring"])
def test_streams_change_where_they_say(kind, pattern):
    s = make_stream(4000, kind=kind, pattern=pattern, random_state=0)
    cp = s.change_points[0]
    assert cp == 2000 and (s.frame["weight"][:cp] == 0).all() and s.frame["weight"][cp:].max() == 1
    if pattern == "recurring":
        assert len(s.change_points) == 2 and (s.frame["weight"][s.change_points[1]:] == 0).all()
    before = s.frame.iloc[:cp]
    after = s.frame.iloc[cp + 400:cp + 800] if pattern in ("gradual", "incremental") else s.frame.iloc[cp:cp + 400]
    if kind == "covariate":
        assert after["x1"].mean() - before["x1"].mean() > 0.5
    elif kind == "prior":
        assert after["y"].mean() - before["y"].mean() > 0.2
    else:
        assert abs(after["x1"].mean() - before["x1"].mean()) < 0.2 and before["y"].mean() - after["y"].mean() > 0.1


def test_covariate_and_prior_shift_helpers():
    df = pd.DataFrame({"a": np.arange(100.0), "b": list("xy") * 50})
    shifted = covariate_shift(df, ["a"], shift=0.5, scale=2.0)
    assert shifted["a"].mean() == pytest.approx(df["a"].mean() + 0.5 * df["a"].std())
    assert shifted["a"].std() == pytest.approx(2 * df["a"].std())
    X, y = prior_shift(df[["a"]], df["b"], proportions={"x": 0.9, "y": 0.1}, random_state=0)
    assert (y == "x").mean() == pytest.approx(0.9)
    with pytest.raises(LifecycleKitError, match="not numeric"):
        covariate_shift(df, ["b"])
    with pytest.raises(LifecycleKitError, match="sum to 1"):
        prior_shift(df[["a"]], df["b"], proportions={"x": 0.5})


def test_serving_bugs_do_what_they_say():
    df = pd.DataFrame({"t": [10.0, 20.0], "u": [1.0, 2.0], "c": ["rain", "sun"]})
    assert serving_bug(df, "swapped_columns", column="t", other="u")[["t", "u"]].to_numpy().tolist() == [[1, 10], [2, 20]]
    assert serving_bug(df, "unit_x1000", column="u")["u"].tolist() == [1000.0, 2000.0]
    assert serving_bug(df, "celsius_to_fahrenheit", column="t")["t"].tolist() == [50.0, 68.0]
    assert serving_bug(df, "millimetres_to_centimetres", column="t")["t"].tolist() == [1.0, 2.0]
    assert "u" not in serving_bug(df, "missing_column", column="u").columns
    assert serving_bug(df, "renamed_category", column="c")["c"].tolist() == ["Rain", "Sun"]
    assert serving_bug(df, "changed_dtype", column="t")["t"].tolist() == ["10,0", "20,0"]
    half = serving_bug(pd.DataFrame({"t": np.ones(1000)}), "unit_x1000", column="t", share=0.3, random_state=0)
    assert 0.25 < (half["t"] == 1000).mean() < 0.35


def test_domain_classifier_blames_with_a_correlation_warning():
    rng = np.random.default_rng(0)
    a = rng.normal(size=1500)
    ref = pd.DataFrame({"a": a, "twin": a + rng.normal(0, 0.1, 1500), "c": rng.normal(size=1500)})
    b = rng.normal(size=1500)
    cur = pd.DataFrame({"a": b + 0.8, "twin": b + rng.normal(0, 0.1, 1500), "c": rng.normal(size=1500)})
    result = domain_classifier(ref, cur)
    assert result.drifted and result.auc > 0.6 and result.ci[0] < result.auc < result.ci[1]
    top = result.attributions.iloc[0]
    assert top["feature"] == "a" and "twin" in top["warning"]
    same = domain_classifier(ref, pd.DataFrame({"a": rng.normal(size=1500), "twin": rng.normal(size=1500) * 0 + a[:1500],
                                                "c": rng.normal(size=1500)}).assign(twin=lambda f: f["a"] + rng.normal(0, 0.1, 1500)))
    assert not same.drifted


def test_jensen_shannon_is_in_natural_logs_with_the_base_2_value_beside_it():
    """Evidently's convention (scipy's natural log, threshold 0.1); js_base2 = js_e / sqrt(ln 2)."""
    n = 2000  # above 1,000 reference rows: auto picks Jensen-Shannon for categories
    ref = pd.DataFrame({f"c{q}": np.repeat(["x", "y"], n // 2) for q in (63, 66)})
    cur = pd.DataFrame({f"c{q}": np.repeat(["x", "y"], [q * n // 100, n - q * n // 100]) for q in (63, 66)})
    frame = compare(ref, cur).to_frame(details=True).set_index("column")
    assert set(frame["test"]) == {"jensen_shannon"}
    for q in (63, 66):
        share = [q / 100, 1 - q / 100]
        assert frame.loc[f"c{q}", "statistic"] == pytest.approx(jensenshannon([0.5, 0.5], share), abs=1e-12)
        assert frame.loc[f"c{q}", "js_base2"] == pytest.approx(jensenshannon([0.5, 0.5], share, base=2), abs=1e-12)
    assert np.allclose(frame["js_base2"], frame["statistic"] / np.sqrt(np.log(2)), rtol=1e-12)
    # The threshold reads the natural-log value: 63% is 0.093 (0.112 in base 2) and does not drift,
    # as in Evidently; 66% is 0.115 (0.138) and does.
    assert frame.loc["c63", "js_base2"] > 0.1 > frame.loc["c63", "statistic"]
    assert frame["drifted"].to_dict() == {"c66": True, "c63": False}
    assert (frame["drifted"] == (frame["statistic"] > frame["threshold"])).all()
    report = compare(ref, cur)
    assert "js_base2" in report.to_markdown() and "js_base2" in report.to_html() and "js_base2" in report._repr_html_()
    numbers = pd.DataFrame({"a": np.arange(n, dtype=float)})
    assert "js_base2" not in compare(numbers, numbers + 1).to_markdown()  # no Jensen-Shannon, no column
    stricter = compare(ref, cur, thresholds={"jensen_shannon": 0.05}).to_frame().set_index("column")
    assert stricter["drifted"].all()
