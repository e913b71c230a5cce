"""Capstone lab: every control across its range, the computed result checked against the core."""

import numpy as np
import pytest

from lifecycle_kit.labs import LinkageLab
from lifecycle_kit.labs.base import slider_values
from lifecycle_kit.labs.platform_lab import BLOCKING
from lifecycle_kit.platform import link_records


@pytest.fixture(scope="module")
def lab():
    return LinkageLab()


def test_blocking_choices(lab):
    recalls = {}
    for choice in slider_values(lab.controls["block_on"]):
        lab.controls["block_on"].value = choice
        expected = link_records(lab.table, block_on=BLOCKING[choice], truth=lab.truth)
        assert lab.result["recall"] == expected.recall and lab.result["entities"] == expected.entities
        recalls[choice] = lab.result["recall"]
    assert recalls["study"] == max(recalls.values()) and recalls["study + island"] < 0.7
    lab.controls["block_on"].value = "study"


def test_threshold_sweep_trades_precision_for_recall(lab):
    precision, recall = [], []
    for t in slider_values(lab.controls["threshold"])[::5] + [1.0]:
        lab.controls["threshold"].value = t
        precision.append(lab.result["precision"])
        recall.append(lab.result["recall"])
    assert recall == sorted(recall, reverse=True) and recall[0] > recall[-1]
    assert precision[0] < 0.1 and precision[-1] > 0.99
    lab.controls["threshold"].value = 0.95


def test_identifier_weight_and_exact_join(lab):
    results = []
    for w in slider_values(lab.controls["id_weight"]):
        lab.controls["id_weight"].value = w
        assert 0 <= lab.result["precision"] <= 1 and 0 <= lab.result["recall"] <= 1
        results.append(lab.result["f1"])
    assert max(results) > 0.98 and min(results) < max(results)
    lab.controls["id_weight"].value = 0.5
    for exact in slider_values(lab.controls["exact"]):
        lab.controls["exact"].value = exact
        expected = link_records(lab.table, exact=exact, truth=lab.truth)
        assert lab.result["recall"] == expected.recall
    lab.controls["exact"].value = False


def test_moving_a_control_twice_returns_to_the_same_result(lab):
    first = lab.result["recall"]
    lab.controls["threshold"].value = 0.7
    lab.controls["threshold"].value = 0.95
    assert lab.result["recall"] == first
    assert lab.result["conflicts"]["source"].iloc[0] == lab.data.poisoned["source"]
    assert "precision" in lab.summary.value and str(lab.true_entities) in lab.summary.value
    assert np.isfinite(lab.result["f1"])


def test_the_per_source_conflicts_are_not_shown_unless_asked_for(lab):
    # They are evidence about the poisoned source: the capstone shows them once a suspect is committed.
    for choice in slider_values(lab.controls["block_on"]):
        lab.controls["block_on"].value = choice
        shown = lab.summary.value + " ".join(map(str, lab.render(lab.result)))
        assert "disagree" not in shown and lab.data.poisoned["source"] not in shown
    lab.controls["block_on"].value = "study"


@pytest.fixture(scope="module")
def evidence_lab():
    return LinkageLab(show_conflicts=True)


def test_no_highest_source_is_named_among_zeros_or_ties(evidence_lab):
    lab = evidence_lab
    seen_zero = False
    for choice in slider_values(lab.controls["block_on"]):
        lab.controls["block_on"].value = choice
        for exact in (False, True):
            lab.controls["exact"].value = exact
            rates = lab.result["conflicts"].set_index("source")["conflict_rate"]
            summary = lab.summary.value
            named = [s for s in rates.index if f"<b>{s}</b>" in summary]
            if rates.max() == 0:
                seen_zero = True
                assert not named and "No source's species disagrees" in summary, summary
            elif (rates == rates.max()).sum() > 1:
                assert "highest in" not in summary and "tie" in summary
            else:
                assert named == [rates.idxmax()] and "highest in" in summary
    # Blocking on the species never compares records whose labels differ: every rate is 0 - where the lab used to
    # say "highest in field_survey (0%)".
    assert seen_zero
    lab.controls["block_on"].value, lab.controls["exact"].value = "study", False
    assert f"highest in <b>{lab.data.poisoned['source']}</b>" in lab.summary.value
