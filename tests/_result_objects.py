"""One small, seeded instance of every result kind, for the results-API and CLI tests."""

import numpy as np
import pandas as pd


def _quality():
    from lifecycle_kit.quality import assess, infer_spec

    reference = pd.DataFrame({"age": [30, 41, 52, 25, 37, 48], "job": ["a", "b", "a", "c", "b", "a"]})
    batch = pd.DataFrame({"age": [30, -1, None, 25, 200, 48], "job": ["a", "b", "?", "c", "b", "a"]})
    return assess(batch.assign(y=[0, 1, 0, 1, 0, 1]), target="y", spec=infer_spec(reference))


def _drift():
    from lifecycle_kit.drift import compare

    rng = np.random.default_rng(0)
    reference = pd.DataFrame({"a": rng.normal(size=300), "c": rng.choice(list("xyz"), 300)})
    current = pd.DataFrame({"a": rng.normal(1, 1, 300), "c": rng.choice(list("xyz"), 300)})
    return compare(reference, current)


def _gate():
    from lifecycle_kit.quality import QualityGate

    return QualityGate({"Com-ML-1": 0.95}).check_data(pd.DataFrame({"x": [1.0, None, 3.0, None]}))


def _label_issues():
    from lifecycle_kit.quality import find_label_issues

    probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.2, 0.8], [0.7, 0.3], [0.1, 0.9]])
    return find_label_issues(np.zeros((6, 1)), np.array(["a", "a", "b", "b", "b", "b"]), probabilities=probs)


def _verification(tmp_path):
    from lifecycle_kit.integrity import build_manifest, verify_manifest

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.csv").write_text("x\n1\n")
    (folder / "b.csv").write_text("x\n2\n")
    manifest = build_manifest(folder)
    (folder / "a.csv").write_text("x\n9\n")
    return verify_manifest(folder, manifest)


def _archive(tmp_path):
    from lifecycle_kit.integrity import generate_keypair, open_archive, write_archive

    private, public = generate_keypair()
    path = tmp_path / "a.tar.gz"
    write_archive(path, tables={"t": pd.DataFrame({"a": range(5)})}, private_key=private)
    return open_archive(path, public)


def _lifecycle(tmp_path):
    from lifecycle_kit.report import LifecycleReport

    report = LifecycleReport("Test report", created="2026-01-01T00:00:00+00:00")
    report.add("Data acquisition", _verification(tmp_path), note="files")
    report.add("Data preparation", _quality())
    report.add("System operation", _drift())
    report.add("Business requirements", "plain text")
    report.add("Data preparation", pd.DataFrame({"k": [1, 2], "v": [0.5, np.nan]}))
    return report


def _membership():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.privacy import membership_inference

    ds = load("breast_cancer")
    return membership_inference(ds.frame, ds.target, model="overfit_tree", bootstrap=50, random_state=0)


def _collapse():
    from lifecycle_kit.synthetic import collapse

    return collapse(generations=5, sample_size=50, runs=20, random_state=0)


def _domain():
    from lifecycle_kit.drift import domain_classifier

    rng = np.random.default_rng(0)
    reference = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    current = pd.DataFrame({"a": rng.normal(1, 1, 200), "b": rng.normal(size=200)})
    return domain_classifier(reference, current, bootstrap=50)


def _monitoring():
    from lifecycle_kit.drift import MonitoringResult

    chunks = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-15"]), "rows": [50, 48, 52],
                           "score": [0.8, 0.6, np.nan], "below_floor": [False, True, False],
                           "drift_share": [0.0, 0.5, 0.25], "drifted_columns": [[], ["a"], ["b"]],
                           "retrained": [False, False, True]})
    return MonitoringResult(chunks=chunks, metric="r2", floor=0.7, policy="on alert", reference_score=0.85)


def _linkage():
    from lifecycle_kit.platform.linkage import link_records

    frame = pd.DataFrame({"study": ["s1"] * 4, "source": ["a", "b", "a", "b"],
                          "individual_id": ["N1A1", "N1A1", "N2B2", "N2B3"],
                          "bill_length_mm": [39.1, 39.1, 45.0, 45.2], "bill_depth_mm": [18.7, 18.7, 15.0, 15.1],
                          "flipper_length_mm": [181, 181, 210, 211], "body_mass_g": [3750, 3750, 5000, np.nan]})
    return link_records(frame, truth=[0, 0, 1, 1])


def make_results(tmp_path):
    """kind -> one result object of that kind."""
    return {
        "quality_report": _quality(),
        "drift_report": _drift(),
        "gate_result": _gate(),
        "label_issues": _label_issues(),
        "verification": _verification(tmp_path / "v"),
        "archive_check": _archive(tmp_path),
        "lifecycle_report": _lifecycle(tmp_path / "r"),
        "membership_result": _membership(),
        "collapse_result": _collapse(),
        "domain_classifier_result": _domain(),
        "monitoring_result": _monitoring(),
        "linkage": _linkage(),
    }
