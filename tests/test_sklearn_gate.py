"""QualityGateStep in scikit-learn pipelines, and QualityGate.fit's new argument order."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from lifecycle_kit import LifecycleKitError, QualityGateError
from lifecycle_kit.quality import QualityGate, QualityGateStep

# Thresholds under which scikit-learn's random test data passes (it is full of exact duplicates).
PERMISSIVE = {"Com-ML-1": 0.0, "Con-ML-1": 0.0, "Con-ML-2": 0.0}


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300), "g": rng.choice(list("xyz"), 300)})
    y = (X["a"] + 0.3 * rng.normal(size=300) > 0).astype(int)
    return X, y


def _numeric_pipeline(**params):
    return Pipeline([("gate", QualityGateStep(**params)), ("model", LogisticRegression())])


def test_in_a_pipeline_fit_and_predict_pass_clean_data_through_unchanged(data):
    X, y = data
    X = X[["a", "b"]]
    gated = _numeric_pipeline(thresholds={"Com-ML-1": 0.95, "Con-ML-1": 0.99}).fit(X, y)
    plain = LogisticRegression().fit(X, y)
    np.testing.assert_array_equal(gated.predict(X), plain.predict(X))
    assert gated.named_steps["gate"].transform(X) is X
    assert gated.named_steps["gate"].fit_result_.passed


def test_a_failing_batch_is_refused_with_the_gates_reasons(data):
    X, y = data
    X = X[["a", "b"]]
    model = _numeric_pipeline(thresholds={"Com-ML-1": 0.95}).fit(X, y)
    batch = X.head(20).copy()
    batch.loc[:9, "b"] = np.nan
    with pytest.raises(QualityGateError, match="refused the batch") as err:
        model.predict(batch)
    assert err.value.reasons == ["Com-ML-1 value completeness = 0.750 is below 0.95: 10 of 40 cells missing (most in b: 10)"]
    assert not model.named_steps["gate"].check(batch).passed


def test_training_data_that_fails_is_refused_at_fit_labels_included(data):
    X, y = data
    X = X[["a", "b"]]
    conflicting = pd.concat([X, X.head(30)], ignore_index=True)
    labels = pd.concat([y, 1 - y.head(30)], ignore_index=True)
    with pytest.raises(QualityGateError, match="refused the training data") as err:
        _numeric_pipeline(thresholds={"Con-ML-2": 0.99}).fit(conflicting, labels)
    assert err.value.reasons[0].startswith("Con-ML-2 label consistency")
    # Label measures cannot be judged on an unlabelled batch: they are checked at fit only.
    step = QualityGateStep(thresholds={"Con-ML-2": 0.99, "Com-ML-1": 0.9}).fit(X, y)
    assert step.batch_measures_ == ["Com-ML-1"]
    assert step.transform(conflicting) is conflicting


def test_the_spec_learned_at_fit_judges_later_batches(data):
    X, y = data
    step = QualityGateStep(thresholds={"Acc-ML-1": 0.99}).fit(X, y)
    assert step.spec_ is not None and set(step.spec_.columns) == {"a", "b", "g"}
    odd = X.head(50).assign(g=["q"] * 50)  # a category never seen in training
    with pytest.raises(QualityGateError, match="Acc-ML-1"):
        step.transform(odd)
    assert QualityGateStep(thresholds={"Acc-ML-1": 0.99}, infer_spec=False).fit(X, y).spec_ is None


def test_clone_get_params_set_params(data):
    step = QualityGateStep(thresholds={"Com-ML-1": 0.9}, infer_spec=False)
    params = step.get_params()
    assert params == {"thresholds": {"Com-ML-1": 0.9}, "spec": None, "infer_spec": False, "check_fit_data": True,
                      "on_not_applicable": "skip"}
    copy = clone(step)
    assert copy is not step and copy.get_params() == params
    pipe = _numeric_pipeline().set_params(gate__thresholds={"Com-ML-1": 0.5})
    assert pipe.get_params()["gate__thresholds"] == {"Com-ML-1": 0.5}
    X, y = data
    clone(pipe).fit(X[["a", "b"]], y)


def test_mismatched_columns_and_bad_parameters_raise_kit_errors(data):
    X, y = data
    step = QualityGateStep(thresholds={"Com-ML-1": 0.9}).fit(X, y)
    with pytest.raises(LifecycleKitError, match="X has 2 features, but QualityGateStep is expecting 3"):
        step.transform(X[["a", "b"]])
    with pytest.raises(LifecycleKitError, match="columns differ"):
        step.transform(X[["b", "a", "g"]])
    with pytest.raises(LifecycleKitError, match="unknown measure 'Nope-1'"):
        QualityGateStep(thresholds={"Nope-1": 0.5}).fit(X, y)
    with pytest.raises(LifecycleKitError, match="on_not_applicable"):
        QualityGateStep(on_not_applicable="maybe").fit(X, y)


def test_unfitted_step_says_so(data):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        QualityGateStep().transform(data[0])


def test_check_estimator_passes_on_a_gate_that_lets_its_data_through():
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(QualityGateStep(thresholds=PERMISSIVE), on_fail=None)
    failed = [r["check_name"] for r in results if r["status"] == "failed"]
    assert failed == [] and sum(r["status"] == "passed" for r in results) >= 40


def test_check_estimator_with_default_thresholds_refuses_its_duplicate_laden_data():
    """Documents which checks do not apply to a gate that refuses data by design."""
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(QualityGateStep(), on_fail=None)
    refused = [r for r in results if r["status"] == "failed"]
    assert refused and all(isinstance(r["exception"], QualityGateError) or "QualityGateError" in str(r["exception"])
                           or "refused" in str(r["exception"]) for r in refused)


# --- QualityGate.fit: (X, y, estimator=...) and the deprecated (estimator, X, y) ---------------------------------

def test_gate_fit_new_order_fits_the_estimator_or_returns_the_gate(data):
    X, y = data
    gate = QualityGate({"Com-ML-1": 0.9})
    model = gate.fit(X, y, estimator=DummyClassifier())
    assert isinstance(model, DummyClassifier) and hasattr(model, "classes_")
    assert gate.fit(X, y) is gate and gate.result_.passed


def test_gate_fit_old_order_still_works_with_a_future_warning(data):
    X, y = data
    with pytest.warns(FutureWarning, match=r"call QualityGate.fit\(X, y, estimator=estimator\)"):
        model = QualityGate({"Com-ML-1": 0.9}).fit(DummyClassifier(), X, y)
    assert hasattr(model, "classes_")


def test_gate_fit_refuses_failing_data_in_both_orders(data):
    X, y = data
    holes = X.assign(a=np.where(np.arange(len(X)) < 100, np.nan, X["a"]))
    gate = QualityGate({"Com-ML-1": 0.95})
    with pytest.raises(QualityGateError, match="refused to fit DummyClassifier") as err:
        gate.fit(holes, y, estimator=DummyClassifier())
    assert err.value.reasons[0].startswith("Com-ML-1")
    with pytest.warns(FutureWarning), pytest.raises(QualityGateError):
        gate.fit(DummyClassifier(), holes, y)
