"""Decommissioning, model collapse, membership inference, conception and planning."""

import numpy as np
import pytest

from lifecycle_kit import IntegrityError, LifecycleKitError
from lifecycle_kit.datasets import load
from lifecycle_kit.decommission import EncryptedStore, build_workspace, inventory, overwrite_and_delete, purge, rescan


def test_crypto_shredding_makes_data_unrecoverable():
    store = EncryptedStore()
    token = store.encrypt(b"secret rows")
    assert store.decrypt(token) == b"secret rows"
    tampered = bytearray(token)
    tampered[-1] ^= 1
    with pytest.raises(IntegrityError, match="altered"):
        store.decrypt(bytes(tampered))
    store.shred()
    assert store.shredded and len(store._key) == 0
    with pytest.raises(IntegrityError, match="shredded"):
        store.decrypt(token)
    with pytest.raises(IntegrityError, match="wrong key"):
        EncryptedStore().decrypt(token)


def test_overwrite_and_delete(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"a,b\n" * 1000)
    report = overwrite_and_delete(path, passes=2)
    assert report.overwritten and report.deleted and not path.exists() and report.size == 4000
    with pytest.raises(LifecycleKitError, match="is not a file"):
        overwrite_and_delete(path)


@pytest.fixture(scope="module")
def cancer():
    return load("breast_cancer")


def test_purge_everything_leaves_no_residue(tmp_path, cancer):
    artefacts = build_workspace(cancer.frame, cancer.target, tmp_path)
    residue = rescan(tmp_path, cancer.frame)
    assert residue.set_index("path").loc["raw/training.csv", "rows_found"] == len(cancer.frame)
    assert residue.set_index("path").loc["models/knn.pkl", "rows_found"] == len(cancer.frame)
    assert residue.set_index("path").loc["models/logistic.pkl", "rows_found"] == 0
    assert residue.set_index("path").loc["logs/serving.log", "rows_found"] == 25
    purge(tmp_path, ["raw data", "backup", "cache", "log", "derived features", "model"], artefacts)
    assert len(inventory(tmp_path)) == 0 and len(rescan(tmp_path, cancer.frame)) == 0


def test_purge_without_models_finds_residue(tmp_path, cancer):
    artefacts = build_workspace(cancer.frame, cancer.target, tmp_path)
    purge(tmp_path, ["raw data", "backup", "cache", "log", "derived features"], artefacts)
    residue = rescan(tmp_path, cancer.frame)
    assert residue.iloc[0]["path"] == "models/knn.pkl" and residue.iloc[0]["rows_found"] == len(cancer.frame)
    with pytest.raises(LifecycleKitError, match="unknown artefact kinds"):
        purge(tmp_path, ["tapes"], artefacts)


def test_collapse_matches_the_curriculum_shape():
    from lifecycle_kit.synthetic import collapse

    frame = collapse(generations=500, sample_size=100, runs=400, random_state=0).to_frame().set_index("generation")
    assert frame.loc[0, "sigma_median"] == 1.0 and frame.loc[0, "tail_mass"] == pytest.approx(0.0455, abs=1e-4)
    assert 0.5 < frame.loc[100, "sigma_median"] < 0.7
    assert 0.03 < frame.loc[500, "sigma_median"] < 0.12
    assert frame.loc[200, "tail_mass"] < 0.005
    assert frame.loc[30, "variance_mean"] > 0.85   # the mean hides the collapse
    assert (frame["sigma_median"].diff().iloc[50:] <= 0.05).all()


@pytest.mark.parametrize("options", [{"mode": "accumulate"}, {"real_share": 0.2}])
def test_accumulating_or_keeping_real_data_stops_collapse(options):
    from lifecycle_kit.synthetic import collapse

    frame = collapse(generations=300, sample_size=100, runs=300, random_state=1, **options).to_frame()
    assert frame["sigma_median"].iloc[-1] > 0.9 and frame["tail_mass"].iloc[-1] > 0.03


def test_mixture_collapses_too():
    from lifecycle_kit.synthetic import collapse

    replace = collapse(generations=100, sample_size=100, runs=40, distribution="mixture", random_state=0).to_frame()
    accumulate = collapse(generations=100, sample_size=100, runs=40, distribution="mixture", mode="accumulate",
                          random_state=0).to_frame()
    assert replace["sigma_median"].iloc[-1] < 0.7 < accumulate["sigma_median"].iloc[-1]


@pytest.mark.parametrize("kwargs,match", [({"generations": 0}, "generations must be in"),
                                          ({"mode": "blend"}, "mode must be one of"),
                                          ({"real_share": 2}, "real_share must be in")])
def test_collapse_bad_arguments(kwargs, match):
    from lifecycle_kit.synthetic import collapse

    with pytest.raises(LifecycleKitError, match=match):
        collapse(**kwargs)


@pytest.fixture(scope="module")
def adult_numeric():
    adult = load("adult")
    sample = adult.frame.sample(2000, random_state=0)
    return sample.select_dtypes("number"), adult.target.loc[sample.index]


def test_membership_inference_beats_chance_only_on_overfitted_models(adult_numeric):
    from lifecycle_kit.privacy import membership_inference

    X, y = adult_numeric
    overfit = membership_inference(X, y, model="overfit_tree", random_state=0)
    regular = membership_inference(X, y, model="logistic_regularised", random_state=0)
    assert overfit.beats_chance and overfit.auc > 0.6 and overfit.train_accuracy == 1.0
    assert not regular.beats_chance and abs(regular.auc - 0.5) < 0.05


def test_knn_holds_training_rows_verbatim(cancer):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier

    from lifecycle_kit.privacy import memorised_rows

    X = cancer.frame.to_numpy()
    assert memorised_rows(KNeighborsClassifier().fit(X, cancer.target), X) == len(X)
    assert memorised_rows(LogisticRegression(max_iter=5000).fit(X, cancer.target), X) == 0


def test_source_registry_flags_and_coverage():
    from lifecycle_kit.conception import example_registry

    registry = example_registry()
    result = registry.assess(today="2026-11-22")
    sources = result["sources"].set_index("name")
    assert "trust is untrusted" in sources.loc["Scraped forum posts", "flags"]
    assert "never verified" in sources.loc["Vendor imaging export", "flags"]
    assert "days ago" in sources.loc["Hospital registry extract", "flags"]
    needs = result["needs"].set_index("need")
    assert not needs.loc["imaging metadata", "covered"] and needs.loc["diagnosis labels", "covered"]
    lenient = registry.assess(min_trust="unknown", today="2026-11-22")["needs"]
    assert lenient["covered"].all()
    with pytest.raises(LifecycleKitError, match="unknown sources"):
        registry.assess(include=["nope"])
    with pytest.raises(LifecycleKitError, match="already registered"):
        registry.add_source("Scraped forum posts", owner="x", licence="", trust="unknown", provides=[])


def test_relevance_screen_catches_noise_and_leaky_id(cancer):
    from lifecycle_kit.conception import add_probe_columns, relevance_screen

    frame = add_probe_columns(cancer.frame, cancer.target, random_state=0)
    screen = relevance_screen(frame, cancer.target).set_index("feature")
    assert screen.loc["record_id", "flag"] == "suspected leak"
    assert screen.loc["noise", "flag"] == "irrelevant"
    assert (screen["flag"] == "suspected leak").sum() == 1
    assert screen.loc["worst perimeter", "flag"] == "relevant"


def test_planning_candidates_swap_rank():
    from lifecycle_kit.labs import QualityPriorityLab

    lab = QualityPriorityLab()
    assert lab.result["ranking"]["candidate"].iloc[0] == "registry extract"
    for name in lab.controls:
        lab.controls[name].value = 0
    lab.controls["representativeness"].value = 5
    assert lab.result["ranking"]["candidate"].iloc[0] == "open survey"
    lab.controls["representativeness"].value = 0
    assert lab.result is None and "at least one characteristic" in lab.summary.value


def test_fast_membership_auc_equals_scikit_learns_roc_auc_with_ties():
    # The bootstrap uses a rank-based AUC for speed; it must be the same number as roc_auc_score, ties included.
    from sklearn.metrics import roc_auc_score

    from lifecycle_kit.privacy import _auc

    rng = np.random.default_rng(7)
    for _ in range(50):
        labels = rng.integers(0, 2, 200)
        scores = rng.integers(0, 12, 200) / 11  # coarse scores: many ties between members and non-members
        if 0 < labels.sum() < len(labels):
            assert _auc(labels, scores) == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)
