import numpy as np
import pandas as pd
import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.datasets import load
from lifecycle_kit.poisoning import (
    PixelPatch,
    PoisoningExperiment,
    ValuePattern,
    acquire_sources,
    add_trigger,
    apply_trigger,
    compromise_source,
    detection_scores,
    find_suspicious,
    flip_labels,
    load_verified_sources,
    poisoning_curve,
    source_impact,
    split_sources,
)


@pytest.fixture(scope="module")
def cancer():
    return load("breast_cancer")


@pytest.mark.parametrize("rate", [0.0, 0.05, 0.1, 0.333, 0.5, 0.9])
@pytest.mark.parametrize("seed", [0, 1])
def test_random_flips_exactly_round_rate_times_n(cancer, rate, seed):
    y = cancer.target
    poisoned, flipped = flip_labels(y, rate, random_state=seed)
    assert len(flipped) == round(rate * len(y))
    changed = np.flatnonzero(poisoned.to_numpy() != y.to_numpy())
    assert changed.tolist() == flipped.tolist()
    assert isinstance(poisoned, pd.Series) and poisoned.index.equals(y.index)


@pytest.mark.parametrize("rate", [0.1, 0.4, 0.75])
def test_targeted_flips_only_from_source_to_target(cancer, rate):
    y = cancer.target.to_numpy()
    poisoned, flipped = flip_labels(y, rate, strategy="targeted", source=0, target=1, random_state=0)
    assert len(flipped) == round(rate * (y == 0).sum())
    assert (y[flipped] == 0).all() and (poisoned[flipped] == 1).all()
    untouched = np.setdiff1d(np.arange(len(y)), flipped)
    assert (poisoned[untouched] == y[untouched]).all()


def test_flips_restricted_to_a_compromised_source(cancer):
    sources = split_sources(len(cancer.target), n_sources=4, random_state=0)
    poisoned, flipped = compromise_source(cancer.target, sources, "agency_3", 0.4, random_state=0)
    assert len(flipped) == round(0.4 * (sources == "agency_3").sum())
    assert set(sources[flipped]) == {"agency_3"}


def test_boundary_flips_hurt_more_than_random_flips(cancer):
    experiment = PoisoningExperiment(cancer.frame, cancer.target, random_state=0)
    random_acc = np.mean([PoisoningExperiment(cancer.frame, cancer.target, random_state=s).run("random", 0.1).accuracy
                          for s in range(3)])
    boundary = experiment.run("boundary", 0.1)
    assert boundary.accuracy < random_acc


def test_boundary_picks_the_least_confident_points(cancer):
    from lifecycle_kit.models import make_classifier

    poisoned, flipped = flip_labels(cancer.target, 0.05, strategy="boundary", X=cancer.frame, random_state=0)
    model = make_classifier(cancer.frame).fit(cancer.frame, cancer.target)
    proba = model.predict_proba(cancer.frame)
    own = proba[np.arange(len(proba)), cancer.target.to_numpy()]
    assert own[flipped].max() <= np.sort(own)[len(flipped) + 5]


@pytest.mark.parametrize("kwargs,match", [
    ({"rate": 1.0}, "rate must be in \\[0, 1\\)"),
    ({"rate": -0.1}, "rate must be in"),
    ({"rate": 0.1, "strategy": "smart"}, "strategy must be one of"),
    ({"rate": 0.1, "strategy": "targeted", "source": 7, "target": 1}, "source 7 is not a class of y"),
    ({"rate": 0.1, "strategy": "targeted", "source": 0}, "target is required"),
    ({"rate": 0.1, "strategy": "targeted", "source": 1, "target": 1}, "source and target must differ"),
    ({"rate": 0.1, "strategy": "boundary"}, "needs X"),
    ({"rate": 0.1, "strategy": "boundary", "X": np.zeros((3, 2))}, "X has 3 rows but y has 569"),
])
def test_flip_labels_bad_input_names_the_argument(cancer, kwargs, match):
    rate = kwargs.pop("rate")
    with pytest.raises(LifecycleKitError, match=match):
        flip_labels(cancer.target, rate, **kwargs)


def test_single_class_and_empty_labels_are_refused():
    with pytest.raises(LifecycleKitError, match="single class"):
        flip_labels([1, 1, 1], 0.1)
    with pytest.raises(LifecycleKitError, match="y is empty"):
        flip_labels([], 0.1)


def test_digits_backdoor_two_percent_succeeds_while_accuracy_holds():
    digits = load("digits")
    trial = PoisoningExperiment(digits.frame, digits.target, model="svc", random_state=0).run(
        "backdoor", 0.02, target_label=0)
    assert trial.attack_success >= 0.9 and trial.accuracy >= 0.97


def test_add_trigger_stamps_and_relabels_exactly_the_reported_rows():
    digits = load("digits")
    Xp, yp, rows = add_trigger(digits.frame, digits.target, 0.03, target_label=4, pattern=PixelPatch(size=3),
                               random_state=1)
    assert len(rows) == round(0.03 * len(digits.target))
    assert (digits.target.to_numpy()[rows] != 4).all() and (yp.to_numpy()[rows] == 4).all()
    patch = PixelPatch(size=3).columns()
    assert (Xp.iloc[rows, patch].to_numpy() == 16).all()
    others = np.setdiff1d(np.arange(len(yp)), rows)
    pd.testing.assert_frame_equal(Xp.iloc[others], digits.frame.iloc[others])
    triggered = apply_trigger(digits.frame.head(3), PixelPatch(size=3))
    assert (triggered.iloc[:, patch].to_numpy() == 16).all()


def test_tabular_trigger_and_default_pattern(cancer):
    pattern = ValuePattern({"mean radius": 40.0})
    Xp, yp, rows = add_trigger(cancer.frame, cancer.target, 0.05, target_label=1, pattern=pattern, random_state=0)
    assert (Xp.loc[Xp.index[rows], "mean radius"] == 40.0).all()
    Xd, _, rows_d = add_trigger(cancer.frame, cancer.target, 0.05, target_label=1, random_state=0)
    changed = (Xd != cancer.frame).any(axis=0)
    assert changed.sum() == 2  # the default tabular trigger uses two columns
    with pytest.raises(LifecycleKitError, match="trigger columns \\['nope'\\] are not in X"):
        apply_trigger(cancer.frame, ValuePattern({"nope": 1}))
    with pytest.raises(LifecycleKitError, match="target_label 9 is not a class"):
        add_trigger(cancer.frame, cancer.target, 0.05, target_label=9)
    with pytest.raises(LifecycleKitError, match="patch size must be between 1 and 8"):
        PixelPatch(size=9).columns()


def test_label_noise_defence_on_ten_percent_flips(cancer):
    y, flipped = flip_labels(cancer.target, 0.1, random_state=0)
    found = find_suspicious(cancer.frame, y, method="label_noise", random_state=0)
    precision, recall = detection_scores(found, flipped)
    assert recall >= 0.8 and precision >= 0.6


@pytest.mark.parametrize("seed", range(3))
def test_provenance_names_the_compromised_source(cancer, seed):
    experiment = PoisoningExperiment(cancer.frame, cancer.target, random_state=seed)
    y, flipped = compromise_source(experiment.y_train, experiment.sources, "agency_2", 0.4, random_state=seed)
    table = source_impact(experiment.X_train, y, experiment.sources, experiment.X_valid, experiment.y_valid)
    assert table.iloc[0]["source"] == "agency_2" and table.loc[table["flagged"], "source"].tolist() == ["agency_2"]
    found = find_suspicious(experiment.X_train, y, method="provenance", sources=experiment.sources,
                            validation=(experiment.X_valid, experiment.y_valid))
    assert set(experiment.sources[found]) == {"agency_2"} and set(flipped) <= set(found)


def test_every_defence_returns_sorted_positions_and_catches_something(cancer):
    experiment = PoisoningExperiment(cancer.frame, cancer.target, random_state=0)
    X, y, poisoned = experiment.poison("random", 0.2)
    for method in ("label_noise", "knn", "outlier", "roni"):
        found = find_suspicious(X, y, method=method, validation=(experiment.X_valid, experiment.y_valid), random_state=0)
        assert found.tolist() == sorted(set(found.tolist()))
        assert 0 <= found.min() and found.max() < len(y)
        precision, recall = detection_scores(found, poisoned)
        assert recall > 0.0, method


@pytest.mark.parametrize("kwargs,match", [
    ({"method": "magic"}, "method must be one of"),
    ({"method": "provenance"}, "needs validation="),
    ({"method": "roni"}, "needs validation="),
])
def test_defence_bad_arguments(cancer, kwargs, match):
    with pytest.raises(LifecycleKitError, match=match):
        find_suspicious(cancer.frame, cancer.target, **kwargs)


def test_defence_needs_two_classes_and_matching_lengths(cancer):
    with pytest.raises(LifecycleKitError, match="X has 569 rows but y has 3 labels"):
        find_suspicious(cancer.frame, [0, 1, 0])
    with pytest.raises(LifecycleKitError, match="single class"):
        find_suspicious(cancer.frame, np.zeros(len(cancer.frame)))


def test_curriculum_figures_breast_cancer_random_and_targeted(cancer):
    experiment = PoisoningExperiment(cancer.frame, cancer.target, random_state=0)
    assert experiment.clean_accuracy == pytest.approx(0.959, abs=0.01)
    assert 0.85 <= experiment.run("random", 0.2).accuracy <= 0.92
    assert 0.70 <= experiment.run("random", 0.4).accuracy <= 0.80
    targeted = experiment.run("targeted", 0.4)
    assert targeted.recall[0] <= 0.62 and targeted.recall[1] > 0.9


def test_poisoning_curve_rows_and_caching(cancer):
    experiment = PoisoningExperiment(cancer.frame, cancer.target, random_state=0)
    calls = []
    curve = experiment.curve((0.0, 0.2, 0.4), defences=("knn",), progress=lambda done, total: calls.append((done, total)))
    frame = curve.to_frame()
    assert len(frame) == 6 and set(frame["defence"]) == {"none", "knn"}
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert experiment.curve((0.0, 0.2, 0.4), defences=("knn",)).frame.equals(frame)
    ax = curve.plot()
    assert len(ax.lines) == 3
    quick = poisoning_curve(cancer.frame, cancer.target, rates=(0.0, 0.3), defences=())
    assert quick.to_frame()["accuracy"].iloc[-1] < quick.clean_accuracy


def test_manifest_at_acquisition_refuses_an_edited_file(tmp_path, cancer):
    table = cancer.frame.assign(diagnosis=cancer.target)
    sources = split_sources(len(table), n_sources=3, random_state=0)
    frames = {s: table[sources == s] for s in sorted(set(sources))}
    manifest = acquire_sources(frames, tmp_path)
    clean = load_verified_sources(tmp_path, manifest)
    assert clean.verification.ok and sorted(clean.frames) == ["agency_1", "agency_2", "agency_3"]
    assert len(clean.combined()) == len(table)
    victim = tmp_path / "agency_2.csv"
    victim.write_text(victim.read_text().replace(",1\n", ",0\n", 5))
    (tmp_path / "extra.csv").write_text("a\n1\n")
    attacked = load_verified_sources(tmp_path, manifest)
    assert attacked.rejected == ["agency_2.csv", "extra.csv"] and sorted(attacked.frames) == ["agency_1", "agency_3"]
