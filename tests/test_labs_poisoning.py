import numpy as np
import pytest

from lifecycle_kit.labs import BackdoorLab, DefenceLab, PoisoningLab
from lifecycle_kit.labs.base import slider_values


@pytest.fixture(scope="module")
def lab():
    return PoisoningLab()


def test_poisoning_lab_rate_across_its_range(lab):
    accuracies = []
    for rate in slider_values(lab.controls["rate"]):
        lab.controls["rate"].value = rate
        trial = lab.result["trial"]
        assert trial.rate == rate and len(trial.poisoned) == round(rate * len(lab.experiment("logistic").y_train))
        accuracies.append(trial.accuracy)
    assert accuracies[0] == lab.result["clean_accuracy"] and accuracies[-1] < accuracies[0] - 0.15
    lab.controls["rate"].value = 0.2


def test_poisoning_lab_attacks_and_sources(lab):
    lab.controls["rate"].value = 0.4
    for attack in slider_values(lab.controls["attack"]):
        lab.controls["attack"].value = attack
        assert lab.result["trial"].attack == attack
    lab.controls["attack"].value = "targeted"
    assert lab.result["malignant_recall"] < 0.7
    for source in slider_values(lab.controls["source"]):
        lab.controls["source"].value = source
        trial = lab.result["trial"]
        sources = lab.experiment("logistic").sources
        if source != "all sources":
            assert set(sources[trial.poisoned]) <= {source}
        assert trial.source == ("all" if source == "all sources" else source)
    lab.controls["source"].value = "all sources"
    lab.controls["attack"].value = "random"


def test_poisoning_lab_models_and_defences(lab):
    lab.controls["rate"].value = 0.2
    for model in slider_values(lab.controls["model"]):
        lab.controls["model"].value = model
        assert 0.5 < lab.result["trial"].accuracy <= 1
    lab.controls["model"].value = "logistic"
    for name, defence in (("defend_label_noise", "label_noise"), ("defend_knn", "knn"), ("defend_outlier", "outlier")):
        for on in slider_values(lab.controls[name]):
            lab.controls[name].value = on
            assert (defence in lab.result["defences"]) is on
            assert (defence in lab.result["trial"].flagged) is on
        lab.controls[name].value = True
    table = lab.result["trial"].defences
    assert list(table["defence"]) == ["label_noise", "knn", "outlier"]
    assert (table["recall"] < 1).any()
    first = lab.summary.value
    lab.controls["defend_knn"].value = False
    lab.controls["defend_knn"].value = True
    assert lab.summary.value == first


def test_backdoor_lab_controls_across_ranges():
    lab = BackdoorLab()
    successes = []
    for rate in slider_values(lab.controls["rate"]):
        lab.controls["rate"].value = rate
        r = lab.result
        successes.append(r["trial"].attack_success)
        assert r["poisoned_rows"] == len(r["trial"].poisoned)
        assert r["trial"].accuracy > 0.95
    assert successes[0] < 0.05 and max(successes) > 0.9
    lab.controls["rate"].value = 0.02
    for digit in slider_values(lab.controls["target_label"]):
        lab.controls["target_label"].value = digit
        r = lab.result
        assert r["target_label"] == digit and r["trial"].attack_success > 0.8
        assert (np.asarray(r["predicted_triggered"]) == digit).mean() >= 0.5
    for size in slider_values(lab.controls["patch"]):
        lab.controls["patch"].value = size
        assert len(lab.result["pattern"].columns()) == size * size


def test_defence_lab_precomputed_and_honest():
    lab = DefenceLab(progress=False)
    for attack in slider_values(lab.controls["attack"]):
        lab.controls["attack"].value = attack
        for metric in slider_values(lab.controls["metric"]):
            lab.controls["metric"].value = metric
            table = lab.result["table"]
            assert set(table["defence"]) == {"label_noise", "knn", "outlier"}
            assert table[metric].notna().any()
        poisoned = lab.result["table"].query("rate > 0")
        assert (poisoned["recall"] < 1).all() or (poisoned["precision"] < 1).all()
