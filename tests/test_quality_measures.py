"""Every ISO/IEC 5259-2 measure against values computed by hand on tiny frames, and against inject_defects truth."""

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.quality import Rule, assess, infer_spec, inject_defects, measure_table


def assert_self_contained(html):
    """No scripts, stylesheets, images or fonts fetched from anywhere: the file opens offline."""
    import re

    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", html)
    assert "url(" not in html


def value(report, measure_id):
    return report[measure_id].value


@pytest.fixture
def tiny():
    # 6 rows; job has one '?' and one NaN; row 5 duplicates row 4; rows 0 and 1 share features with different labels.
    return pd.DataFrame({
        "age": [30, 30, 41, 25, 52, 52],
        "job": ["clerk", "clerk", "?", None, "chef", "chef"],
        "y": ["a", "b", "a", "a", "b", "b"],
    })


def test_catalogue_covers_at_least_fifteen_characteristics_with_ids_and_thresholds():
    table = measure_table()
    assert table["characteristic"].nunique() >= 15
    assert table["measure_id"].str.fullmatch(r"[A-Z][a-z]{2}-ML-\d").all()
    assert table["threshold"].between(0, 1).all()
    required = {"accuracy", "completeness", "consistency", "credibility", "currentness", "precision", "identifiability",
                "balance", "diversity", "representativeness", "similarity", "relevance", "effectiveness",
                "understandability", "efficiency", "portability"}
    assert required <= set(table["characteristic"])


def test_completeness_counts_disguised_tokens(tiny):
    r = assess(tiny, target="y")
    assert value(r, "Com-ML-1") == pytest.approx(1 - 2 / 12)          # 2 of 12 feature cells missing
    assert value(r, "Com-ML-3") == pytest.approx(4 / 6)               # rows 2 and 3 incomplete
    assert value(r, "Com-ML-2") == pytest.approx(1 / 2)               # job has 33% missing
    assert value(r, "Com-ML-4") == 1.0
    missing = r.missing.set_index("column")
    assert missing.loc["job", "nan"] == 1 and missing.loc["job", "disguised"] == 1 and missing.loc["job", "tokens"] == "?"


def test_duplicates_and_label_consistency(tiny):
    r = assess(tiny, target="y")
    assert value(r, "Con-ML-1") == pytest.approx(5 / 6)               # row 5 repeats row 4 (label included)
    assert value(r, "Con-ML-2") == pytest.approx(4 / 6)               # rows 0 and 1: same features, labels a and b


def test_label_balance_and_completeness_of_labels():
    df = pd.DataFrame({"x": range(8), "y": ["a"] * 6 + ["b"] * 2})
    assert value(assess(df, target="y"), "Bal-ML-1") == pytest.approx(2 / 6)
    df.loc[0, "y"] = None
    assert value(assess(df, target="y"), "Com-ML-4") == pytest.approx(7 / 8)


def test_syntactic_accuracy_without_and_with_spec():
    df = pd.DataFrame({"n": ["1", "2", "x", "4", "5", "6", "7", "8", "9", "10"], "c": list("aabbccddee")})
    assert value(assess(df), "Acc-ML-1") == pytest.approx(1 - 1 / 20)   # 'x' in a numeric text column
    spec = infer_spec(df.assign(n=range(10)))
    spec.columns["c"].allowed = ["a", "b", "c", "d"]                    # the two 'e' are not allowed
    assert value(assess(df, spec=spec), "Acc-ML-1") == pytest.approx(1 - 3 / 20)


def test_range_accuracy_and_outliers():
    ref = pd.DataFrame({"v": np.arange(100, dtype=float)})
    cur = pd.DataFrame({"v": [10.0, 20.0, 500.0, -300.0]})
    r = assess(cur, reference=ref)
    assert value(r, "Acc-ML-2") == pytest.approx(2 / 4)
    # fences from the reference quartiles: q1 24.75, q3 74.25, IQR 49.5 -> [-123.75, 222.75]
    assert value(r, "Acc-ML-3") == pytest.approx(2 / 4)


def test_format_rules_plausibility_sources_currentness_precision_understandability():
    df = pd.DataFrame({
        "code": ["AB-12", "CD-34", "EF56", "GH-78"],
        "lo": [1.0, 2.0, 5.0, 1.0], "hi": [2.0, 3.0, 4.0, 1.5],
        "src": ["registry", "registry", "blog", None],
        "ts": pd.to_datetime(["2024-01-05", "2024-02-01", "2023-06-01", "2024-03-01"]),
    })
    spec = infer_spec(df)
    spec.columns["code"].pattern = r"[A-Z]{2}-\d{2}"
    spec.rules = [Rule("lo", "<=", "hi")]
    spec.columns["lo"].plausible_max = 4.0
    spec.source_column, spec.trusted_sources = "src", ["registry"]
    spec.timestamp_column, spec.valid_from, spec.valid_to = "ts", "2024-01-01", "2024-12-31"
    spec.columns["hi"].decimals = 2
    spec.columns["code"].description = "item code"
    r = assess(df, spec=spec)
    assert value(r, "Con-ML-3") == pytest.approx(3 / 4)
    assert value(r, "Con-ML-4") == pytest.approx(3 / 4)
    assert value(r, "Cre-ML-1") == pytest.approx(3 / 4)
    assert value(r, "Cre-ML-2") == pytest.approx(2 / 4)
    assert value(r, "Tra-ML-1") == pytest.approx(3 / 4)
    assert value(r, "Cur-ML-1") == pytest.approx(3 / 4)
    assert value(r, "Pre-ML-1") == pytest.approx(1 / 2)                 # hi recorded to 1 decimal, 2 required
    assert value(r, "Und-ML-1") == pytest.approx(1 / 5)


def test_required_levels_of_the_label_are_looked_for_in_the_label():
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": ["cat", "dog", "cat", "dog"]})
    spec = infer_spec(df.drop(columns="y"))
    spec.required_levels = {"y": ["cat", "dog", "bird"]}
    assert value(assess(df, spec=spec, target="y"), "Rep-ML-1") == pytest.approx(2 / 3)


def test_identifiability_k_anonymity():
    df = pd.DataFrame({"zip": ["1", "1", "1", "2", "2", "3"], "sex": ["f", "f", "f", "m", "m", "f"]})
    spec = infer_spec(df)
    spec.quasi_identifiers, spec.k_anonymity = ["zip", "sex"], 2
    assert value(assess(df, spec=spec), "Idn-ML-1") == pytest.approx(5 / 6)   # the ("3", "f") row is unique


def test_required_levels_category_balance_effectiveness_diversity():
    df = pd.DataFrame({"g": ["a"] * 12 + ["b"] * 4 + ["c"] * 2})
    spec = infer_spec(df)
    spec.required_levels = {"g": ["a", "b", "d"]}
    spec.balance_columns = ["g"]
    r = assess(df, spec=spec)
    assert value(r, "Rep-ML-1") == pytest.approx(2 / 3)
    assert value(r, "Bal-ML-2") == pytest.approx(2 / 12)
    assert value(r, "Eff-ML-1") == pytest.approx(1 / 3)                 # only 'a' has >= 10 rows
    p = np.array([12, 4, 2]) / 18
    assert value(r, "Div-ML-1") == pytest.approx(-(p * np.log(p)).sum() / np.log(3))


def test_representativeness_against_reference():
    from scipy.spatial.distance import jensenshannon

    ref = pd.DataFrame({"g": ["a"] * 50 + ["b"] * 50})
    cur = pd.DataFrame({"g": ["a"] * 90 + ["b"] * 10})
    expected = 1 - jensenshannon([50, 50], [90, 10], base=2)
    assert value(assess(cur, reference=ref), "Rep-ML-2") == pytest.approx(expected)
    assert value(assess(ref, reference=ref), "Rep-ML-2") == pytest.approx(1.0)


def test_similarity_counts_near_but_not_exact_duplicates():
    rng = np.random.default_rng(0)
    base = pd.DataFrame({"a": rng.normal(size=50), "b": rng.normal(size=50)})
    twins = base.iloc[:5] + 1e-6
    exact = base.iloc[5:8]
    r = assess(pd.concat([base, twins, exact], ignore_index=True))
    assert value(r, "Sim-ML-1") == pytest.approx(1 - 10 / 58)           # 5 originals + 5 twins
    assert value(r, "Con-ML-1") == pytest.approx(1 - 3 / 58)


def test_relevance_flags_a_pure_noise_feature():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 3000)
    df = pd.DataFrame({"signal": y + rng.normal(0, 0.3, 3000), "noise": rng.normal(size=3000)})
    r = assess(df, target=pd.Series(y))
    assert value(r, "Rel-ML-1") == pytest.approx(1 / 2)
    assert "noise" in r["Rel-ML-1"].detail


def test_efficiency_and_portability():
    df = pd.DataFrame({"small": np.arange(1000, dtype="int64"), "text": ["x"] * 1000})
    assert value(assess(df), "Efi-ML-1") < 0.5                          # int64 -> int16, text -> category


def _text_column(values, storage):
    if storage == "object":
        return pd.Series(values, dtype=object)
    if storage == "pyarrow":
        pytest.importorskip("pyarrow", reason="pyarrow is in the parquet extra")
    return pd.Series(values, dtype=pd.StringDtype(storage))


@pytest.mark.parametrize("storage", ["object", "python", "pyarrow"])
def test_compact_storage_counts_bytes_in_arrows_layout_not_pythons_objects(storage):
    """Efi-ML-1 by hand: the same bytes however pandas holds the text and whichever Python runs it."""
    words = ["ёж", "中", "x", None] * 250                                 # UTF-8: 4, 3, 1 bytes; None has no text
    df = pd.DataFrame({"small": np.arange(1000, dtype="int64"),          # 8 bytes a value; int16 holds 0..999
                       "ratio": np.full(1000, 0.5),                       # float32 keeps 0.5 exactly
                       "big": np.arange(1000, dtype="int64") * 2**40,     # needs int64: no saving
                       "words": _text_column(words, storage),             # 3 distinct in 1000 rows: a dictionary
                       "ids": _text_column([f"id{k:04d}" for k in range(1000)], storage)})  # distinct: kept
    stored = 8000 + 8000 + 8000 + (1000 * 4 + 250 * (4 + 3 + 1)) + 1000 * (4 + 6)
    compact = 2000 + 4000 + 8000 + (1000 * 1 + 3 * 4 + (4 + 3 + 1)) + 1000 * (4 + 6)
    result = assess(df)["Efi-ML-1"]
    assert result.value == pytest.approx(compact / stored, rel=1e-12)
    assert result.detail == f"{stored / 1e6:.2f} MB as stored; {compact / 1e6:.2f} MB with compact types"


def test_compact_storage_takes_a_categorical_column_as_already_compact():
    df = pd.DataFrame({"job": pd.Categorical(["clerk", "chef"] * 500), "small": np.arange(1000, dtype="int8")})
    assert value(assess(df), "Efi-ML-1") == 1.0
    wasteful = df.assign(job=df["job"].astype(object))                   # the same text, 5 bytes a row more
    assert value(assess(wasteful), "Efi-ML-1") == pytest.approx((1000 + 2 * 4 + 9 + 1000) / (1000 * 4 + 4500 + 1000))
    odd = pd.DataFrame({"t": ["001", "002", "003"], "v": [0.1, 0.2, 0.3]})
    r = assess(odd)
    assert value(r, "Por-ML-1") == pytest.approx(1 / 2)                 # leading zeros lost through CSV
    assert "t" in r["Por-ML-1"].detail
    gaps = pd.DataFrame({"t": pd.array(["a", None, "b"], dtype="string")})    # pandas' NA in a text column
    assert value(assess(gaps), "Por-ML-1") == 1.0


def test_not_applicable_measures_say_why(tiny):
    r = assess(tiny)
    assert "needs a target" in r.not_applicable["Con-ML-2"]
    assert "needs a data specification" in r.not_applicable["Acc-ML-2"]
    with pytest.raises(KeyError, match="not applicable"):
        r["Con-ML-2"]


def test_label_accuracy_is_estimated_only_on_request():
    from lifecycle_kit.datasets import load

    ds = load("penguins")
    assert "on request" in assess(ds.frame, target=ds.target).not_applicable["Acc-ML-4"]
    table = ds.frame.assign(y=ds.target)
    noisy, log = inject_defects(table, label_noise=0.2, target="y", random_state=0)
    estimate = value(assess(noisy.drop(columns="y"), target=noisy["y"], estimate_label_noise=True), "Acc-ML-4")
    assert 0.7 < estimate < 0.9


@pytest.mark.parametrize("kind,measure", [("missing", "Com-ML-1"), ("duplicates", "Con-ML-1"),
                                          ("type_errors", "Acc-ML-1")])
def test_measures_equal_the_injected_truth(kind, measure):
    from lifecycle_kit.datasets import load

    ds = load("penguins")
    clean = ds.frame.dropna().drop_duplicates().reset_index(drop=True)
    damaged, log = inject_defects(clean, **{kind: 0.1}, random_state=1)
    n = log.counts[kind]
    r = assess(damaged, spec=infer_spec(clean))
    if kind == "missing":
        expected = 1 - n / damaged.size
    elif kind == "duplicates":
        expected = 1 - n / len(damaged)
    else:
        expected = 1 - n / damaged.notna().sum().sum()
    assert n > 0 and value(r, measure) == pytest.approx(expected)


def test_type_errors_are_found_without_a_spec_when_columns_are_mostly_numbers():
    from lifecycle_kit.datasets import load

    clean = load("wine").frame
    damaged, log = inject_defects(clean, type_errors=0.05, random_state=0)
    assert value(assess(damaged), "Acc-ML-1") == pytest.approx(1 - log.counts["type_errors"] / damaged.size)


def test_outliers_injected_are_all_found_by_the_range_check():
    from lifecycle_kit.datasets import load

    ds = load("wine")
    damaged, log = inject_defects(ds.frame, outliers=0.05, random_state=0)
    r = assess(damaged, reference=ds.frame)
    total = damaged.notna().sum().sum()
    assert value(r, "Acc-ML-2") == pytest.approx(1 - log.counts["outliers"] / total)


def test_report_outputs_frame_summary_html_markdown_plot(tiny, tmp_path):
    r = assess(tiny, target="y", reference=tiny)
    assert list(r.to_frame().columns) == ["characteristic", "measure_id", "measure", "value", "threshold", "passed"]
    summary = r.summary()
    assert (summary["passed"].iloc[0] == False) and summary["passed"].is_monotonic_increasing  # noqa: E712
    html = r.to_html(tmp_path / "q.html")
    assert (tmp_path / "q.html").read_text() == html
    assert_self_contained(html)
    assert "Com-ML-1" in html and "<svg" in html
    md = r.to_markdown()
    assert md.startswith("# Data quality report") and "| completeness | Com-ML-1 | value completeness |" in md
    assert "## Missing values" in md and "Con-ML-2" in md
    ax = r.plot()
    assert len(ax.patches) == len(r.results)
    assert r.reasons() and all(" is below its threshold " in x for x in r.reasons())


def test_thresholds_can_be_changed_and_are_checked(tiny):
    assert assess(tiny, thresholds={"Com-ML-1": 0.5})["Com-ML-1"].passed
    with pytest.raises(LifecycleKitError, match="unknown measure 'Nope-1'"):
        assess(tiny, thresholds={"Nope-1": 0.5})
    with pytest.raises(LifecycleKitError, match="threshold of Com-ML-1 must be a number in \\[0, 1\\]"):
        assess(tiny, thresholds={"Com-ML-1": 1.5})


@pytest.mark.parametrize("bad,match", [
    ("not a frame", "must be a pandas DataFrame"),
    (pd.DataFrame(), "has no rows"),
    (pd.DataFrame({"a": []}), "has no rows"),
])
def test_bad_frames_are_named(bad, match):
    with pytest.raises(LifecycleKitError, match=match):
        assess(bad)


def test_bad_target_and_spec():
    df = pd.DataFrame({"a": [1, 2]})
    with pytest.raises(LifecycleKitError, match="target column 'y' not found"):
        assess(df, target="y")
    with pytest.raises(LifecycleKitError, match="target has 3 values but the frame has 2 rows"):
        assess(df, target=pd.Series([1, 2, 3]))
    with pytest.raises(LifecycleKitError, match="spec must be a DataSpec"):
        assess(df, spec={"a": 1})


def test_adult_raw_report_shows_question_marks_as_missing():
    from lifecycle_kit.datasets import load

    ds = load("adult")
    r = assess(ds.frame, target=ds.target)
    missing = r.missing.set_index("column")
    for column in ("workclass", "occupation", "native_country"):
        assert missing.loc[column, "disguised"] == int((ds.frame[column] == "?").sum()) > 0
        assert missing.loc[column, "tokens"] == "?"
    assert not r["Com-ML-3"].passed and r["Con-ML-1"].value < 1
