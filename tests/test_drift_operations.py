"""Deployment checks, monitoring with retraining policies, the drift labs and the drift CLI."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit.datasets import load
from lifecycle_kit.drift import StreamMonitor, compare_policies
from lifecycle_kit.labs import DriftLab, MonitoringLab, ServingBugLab
from lifecycle_kit.labs.base import slider_values
from lifecycle_kit.labs.monitoring_lab import FEATURES


@pytest.fixture(scope="module")
def serving():
    return ServingBugLab()


def test_serving_bug_lab_every_bug(serving):
    expectations = {
        "none": set(),
        "swapped_columns": {"specification: cross-field rules", "distribution tests"},
        "unit_x1000": {"specification: ranges and categories", "distribution tests", "model accuracy"},
        "celsius_to_fahrenheit": {"specification: ranges and categories", "distribution tests", "model accuracy"},
        "millimetres_to_centimetres": {"distribution tests", "model accuracy"},
        "missing_column": {"specification: structure", "model"},
        "renamed_category": {"specification: ranges and categories", "distribution tests"},
        "changed_dtype": {"specification: types", "distribution tests", "model accuracy"},
    }
    for bug in slider_values(serving.controls["bug"]):
        serving.controls["bug"].value = bug
        table = serving.result.to_frame()
        caught = set(table.loc[table["caught"], "check"])
        assert expectations[bug] <= caught, (bug, caught)
        if bug == "none":
            assert caught == set()
        if bug == "millimetres_to_centimetres":
            assert not caught & {"specification: types", "specification: ranges and categories"}


def test_serving_bug_lab_share_across_its_range(serving):
    serving.controls["bug"].value = "unit_x1000"
    accuracies = []
    for share in slider_values(serving.controls["share"]):
        serving.controls["share"].value = share
        accuracies.append(serving.result.accuracy)
    assert accuracies[0] > accuracies[-1] and all(a <= serving.result.clean_accuracy + 1e-9 for a in accuracies)
    serving.controls["bug"].value = "none"


@pytest.fixture(scope="module")
def drift_lab():
    return DriftLab()


def test_drift_lab_concept_is_invisible_to_input_tests(drift_lab):
    lab = drift_lab
    lab.controls["kind"].value = "concept"
    for watcher in ("ddm", "page_hinkley", "adwin"):
        lab.controls["watcher"].value = watcher
        assert lab.result["trial"].delays[0] is not None, watcher
    lab.controls["watcher"].value = "input_ks"
    assert lab.result["trial"].delays == [None]
    lab.controls["kind"].value = "covariate"
    assert lab.result["trial"].delays[0] is not None
    assert lab.result["trial"].accuracy_after > lab.result["trial"].accuracy_before - 0.03


def test_drift_lab_every_control(drift_lab):
    lab = drift_lab
    lab.controls["kind"].value = "concept"
    lab.controls["watcher"].value = "ddm"
    for kind in slider_values(lab.controls["kind"]):
        lab.controls["kind"].value = kind
        assert lab.result["trial"].stream.kind == kind
    lab.controls["kind"].value = "concept"
    for pattern in slider_values(lab.controls["pattern"]):
        lab.controls["pattern"].value = pattern
        assert lab.result["trial"].stream.pattern == pattern
    lab.controls["pattern"].value = "sudden"
    for magnitude in slider_values(lab.controls["magnitude"]):
        lab.controls["magnitude"].value = magnitude
        assert lab.result["trial"].stream.frame["weight"].max() in (0.0, 1.0)
    lab.controls["magnitude"].value = 1.0
    detections = []
    for sensitivity in slider_values(lab.controls["sensitivity"]):
        lab.controls["sensitivity"].value = sensitivity
        detections.append(len(lab.result["trial"].detections))
    assert detections[-1] >= detections[0]
    lab.controls["sensitivity"].value = 5
    p_values = []
    for n in slider_values(lab.controls["sample_size"]):
        lab.controls["sample_size"].value = n
        p_values.append(lab.result["lesson"]["ks_p_value"])
        assert lab.result["lesson"]["n"] == n
    assert p_values[-1] < 1e-6 < p_values[0]


@pytest.fixture(scope="module")
def monitoring():
    return MonitoringLab()


def test_monitoring_lab_winter_model_fails_by_summer(monitoring):
    lab = monitoring
    lab.controls["policy"].value = "never"
    r = lab.result
    june = r.chunks[r.chunks["period"].dt.month == 6]
    assert r.reference_score > 0.6 and (june["score"] < r.floor).all() and r.retrain_count == 0


def test_monitoring_lab_policies_retrain_and_help(monitoring):
    lab = monitoring
    scores = {}
    for policy in slider_values(lab.controls["policy"]):
        lab.controls["policy"].value = policy
        scores[policy] = (lab.result.mean_score(), lab.result.retrain_count)
    assert scores["never"][1] == 0 and scores["schedule"][1] > 0 and scores["on_alert"][1] > 0
    assert scores["schedule"][0] > scores["never"][0] and scores["on_alert"][0] > scores["never"][0]
    lab.controls["policy"].value = "never"


def test_monitoring_lab_floor_period_and_test(monitoring):
    lab = monitoring
    alerts = []
    for floor in slider_values(lab.controls["floor"]):
        lab.controls["floor"].value = floor
        alerts.append(lab.result.alerts)
    assert alerts == sorted(alerts)
    lab.controls["floor"].value = 0.5
    for period in slider_values(lab.controls["period"]):
        lab.controls["period"].value = period
        assert 10 <= len(lab.result.chunks) <= 45
    lab.controls["period"].value = "week"
    for test in slider_values(lab.controls["drift_test"]):
        lab.controls["drift_test"].value = test
        assert lab.result.chunks["drift_share"].between(0, 1).all()
    lab.controls["drift_test"].value = "psi"


def test_monitoring_lab_retrain_button_keeps_state(monitoring):
    lab = monitoring
    lab.controls["policy"].value = "never"
    lab.retrain_at.value = 7
    lab.retrain_button.click()
    assert lab.result.chunks["retrained"].tolist()[8] and lab.result.retrain_count == 1
    lab.retrain_at.value = 20
    lab.retrain_button.click()
    assert lab.result.retrain_count == 2 and set(lab.controls["manual"].value) == {7, 20}
    lab.clear_button.click()
    assert lab.result.retrain_count == 0


def test_compare_policies_table():
    bikes = load("bike_sharing")
    monitor = StreamMonitor(bikes.frame.assign(bikers=bikes.target), target="bikers", time_column="timestamp",
                            features=FEATURES, reference_end="2011-03-01", period="month")
    table = compare_policies(monitor, floor=0.5)
    assert list(table["policy"]) == ["never", "schedule", "on_alert"] and table.loc[0, "retrains"] == 0


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "lifecycle_kit.cli", *map(str, args)], capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def drift_files(tmp_path):
    rng = np.random.default_rng(0)
    pd.DataFrame({"a": rng.normal(size=300), "b": rng.choice(list("xyz"), 300)}).to_csv(tmp_path / "ref.csv", index=False)
    pd.DataFrame({"a": rng.normal(0.8, 1, 300), "b": rng.choice(list("xyz"), 300)}).to_csv(tmp_path / "cur.csv", index=False)
    pd.DataFrame({"a": rng.normal(size=300), "b": rng.choice(list("xyz"), 300)}).to_csv(tmp_path / "same.csv", index=False)
    pd.DataFrame({"a": rng.normal(size=300), "c": rng.choice(list("xyz"), 300)}).to_csv(tmp_path / "other.csv", index=False)
    pd.DataFrame({"a": [np.nan] * 5, "b": list("xyzxy")}).to_csv(tmp_path / "nan.csv", index=False)
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "binary.csv").write_bytes(b"\x00\x01" * 100)
    return tmp_path


def test_cli_drift_exit_codes(drift_files):
    code, out, err = run("drift", drift_files / "ref.csv", drift_files / "cur.csv", "--html", drift_files / "r.html")
    assert code == 1 and "1 of 2 columns drifted" in out and "median moved" in out
    assert (drift_files / "r.html").exists()
    code, out, _ = run("drift", drift_files / "ref.csv", drift_files / "same.csv", "--correction", "holm")
    assert code == 0 and "0 of 2 columns drifted" in out
    code, out, _ = run("drift", drift_files / "ref.csv", drift_files / "cur.csv", "--method", "psi")
    assert code == 1 and " psi " in out


@pytest.mark.parametrize("current,message", [
    ("other.csv", "the files have different columns; only in"),
    ("nan.csv", "column 'a' is all missing in current"),
    ("empty.csv", "the file is empty"),
    ("binary.csv", "looks like a binary file"),
    ("missing.csv", "no such file"),
])
def test_cli_drift_bad_input_exits_2(drift_files, current, message):
    code, out, err = run("drift", drift_files / "ref.csv", drift_files / current)
    assert code == 2 and message in err and err.startswith("error: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_cli_drift_columns_option(drift_files):
    code, out, _ = run("drift", drift_files / "ref.csv", drift_files / "other.csv", "--columns", "a")
    assert code == 0 and "0 of 1 column drifted" in out
