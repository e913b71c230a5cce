import pandas as pd
import pytest

from lifecycle_kit import LifecycleKitError, QualityGateError
from lifecycle_kit.datasets import load
from lifecycle_kit.quality import QualityGate, assess, find_label_issues, inject_defects
from lifecycle_kit.quality.label_noise import cross_val_probabilities


@pytest.fixture
def table():
    ds = load("penguins")
    return ds.frame.assign(species=ds.target)


@pytest.mark.parametrize("rate", [0.0, 0.05, 0.3])
def test_each_defect_damages_exactly_round_rate_times_eligible(table, rate):
    features = [c for c in table.columns if c != "species"]
    numeric = table[features].select_dtypes("number").columns
    present = int(table[features].notna().sum().sum())
    numeric_present = int(table[numeric].notna().sum().sum())
    for kind, eligible in [("missing", present), ("outliers", numeric_present), ("type_errors", numeric_present),
                           ("label_noise", len(table)), ("duplicates", len(table))]:
        damaged, log = inject_defects(table, **{kind: rate}, target="species", random_state=0)
        assert log.counts[kind] == round(rate * eligible), kind
        assert sum(log.counts.values()) == log.counts[kind]


def test_log_is_exact_and_cells_are_damaged_once(table):
    damaged, log = inject_defects(table, missing=0.1, outliers=0.05, type_errors=0.05, unseen_categories=0.05,
                                  label_noise=0.1, duplicates=0.1, target="species", random_state=3)
    cells = log.entries[log.entries["kind"] != "duplicates"][["row", "column"]]
    assert not cells.duplicated().any()
    for _, e in log.entries[log.entries["kind"].isin(["missing"])].iterrows():
        assert pd.isna(damaged.loc[e["row"], e["column"]]) and pd.notna(e["original"])
    for _, e in log.entries[log.entries["kind"] == "label_noise"].iterrows():
        assert damaged.loc[e["row"], "species"] == e["new"] != e["original"] == table.loc[e["row"], "species"]
    for _, e in log.entries[log.entries["kind"] == "duplicates"].iterrows():
        assert damaged.loc[e["row"]].equals(damaged.loc[e["original"]])
    assert len(damaged) == len(table) + log.counts["duplicates"]
    assert damaged.index.is_unique


def test_defects_are_seeded(table):
    a, _ = inject_defects(table, missing=0.1, label_noise=0.1, target="species", random_state=7)
    b, _ = inject_defects(table, missing=0.1, label_noise=0.1, target="species", random_state=7)
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("kwargs,match", [
    ({"missing": 1.5}, "missing must be in"),
    ({"missing": -0.1}, "missing must be in"),
    ({"label_noise": 0.1}, "label_noise needs target"),
    ({"missing": 0.1, "target": "nope"}, "target column 'nope' not found"),
    ({"missing": "lots"}, "missing must be a number"),
])
def test_bad_defect_arguments(table, kwargs, match):
    with pytest.raises(LifecycleKitError, match=match):
        inject_defects(table, **kwargs)


def test_gate_check_and_fit_refuses_with_reasons(table):
    damaged, _ = inject_defects(table, missing=0.1, target="species", random_state=0)
    gate = QualityGate({"Com-ML-1": 0.95})
    result = gate.check_data(damaged, target="species")
    assert not result.passed and result.reasons[0].startswith("Com-ML-1 value completeness = 0.893 is below 0.95")
    from sklearn.dummy import DummyClassifier

    with pytest.raises(QualityGateError) as info:
        gate.fit(damaged.drop(columns="species"), damaged["species"], estimator=DummyClassifier())
    assert info.value.reasons == result.reasons
    clean = table.drop(columns="species").dropna()
    model = gate.fit(clean, table["species"].loc[clean.index], estimator=DummyClassifier())
    assert hasattr(model, "classes_")


def test_gate_fails_closed_when_a_measure_cannot_be_computed(table):
    result = QualityGate({"Con-ML-2": 0.99}).check(assess(table.drop(columns="species")))
    assert not result.passed and "could not be checked: needs a target" in result.reasons[0]
    assert QualityGate({"Con-ML-2": 0.99}, on_not_applicable="skip").check(assess(table)).passed


@pytest.mark.parametrize("thresholds,match", [({}, "at least one threshold"), ({"X-1": 0.5}, "unknown measure"),
                                              ({"Com-ML-1": 2}, "must be in \\[0, 1\\]")])
def test_bad_gates(table, thresholds, match):
    with pytest.raises(LifecycleKitError, match=match):
        QualityGate(thresholds).check(assess(table))


def _noisy(name, rate, seed):
    ds = load(name)
    table = ds.frame.assign(label=ds.target)
    noisy, log = inject_defects(table, label_noise=rate, target="label", random_state=seed)
    truth = [noisy.index.get_loc(r) for r in log.rows("label_noise")]
    return noisy.drop(columns="label"), noisy["label"].to_numpy(), truth


def test_label_noise_breast_cancer_recall_and_precision():
    X, y, truth = _noisy("breast_cancer", 0.1, 0)
    precision, recall = find_label_issues(X, y, random_state=0).precision_recall(truth)
    assert recall >= 0.8 and precision >= 0.6


def test_prune_by_noise_rate_trades_recall_for_precision():
    X, y, truth = _noisy("breast_cancer", 0.1, 0)
    probabilities = cross_val_probabilities(X, y, random_state=0)
    d = find_label_issues(X, y, probabilities=probabilities, method="disagreement").precision_recall(truth)
    p = find_label_issues(X, y, probabilities=probabilities, method="prune_by_noise_rate").precision_recall(truth)
    c = find_label_issues(X, y, probabilities=probabilities, method="confident_joint").precision_recall(truth)
    assert p[0] > d[0] and d[1] > p[1] and c[0] >= p[0]


def test_label_issues_frame_and_mask():
    X, y, truth = _noisy("penguins", 0.1, 1)
    issues = find_label_issues(X, y, random_state=0)
    frame = issues.to_frame(labels=y)
    assert list(frame.columns) == ["position", "given_label", "self_confidence", "suggested_label"]
    assert issues.mask().sum() == len(issues.indices)
    assert (frame["given_label"] != frame["suggested_label"]).all()


@pytest.mark.parametrize("y,match", [([0] * 10, "at least two classes"), ([0, 1] * 4 + [None, 1], "missing labels"),
                                     ([0, 1] * 6, "X has 10 rows but y has 12 labels")])
def test_label_issue_bad_input(y, match):
    X = pd.DataFrame({"a": range(10)})
    with pytest.raises(LifecycleKitError, match=match):
        find_label_issues(X, y)


def test_label_issue_needs_two_rows_per_class():
    X = pd.DataFrame({"a": range(10)})
    with pytest.raises(LifecycleKitError, match="every class needs at least 2 rows"):
        find_label_issues(X, [0] * 9 + [1])
