"""A lab's summary never states more than its numbers show: no "best" or "largest" named among ties or within the
noise of the data it was measured on (issue #20; the gate lab and the linkage lab have their own tests in
test_labs_quality.py and test_labs_platform.py)."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit.labs import ExpertPanelLab, QualityPriorityLab, SpecLab
from lifecycle_kit.labs.base import slider_values
from lifecycle_kit.labs.expert_panel_lab import _method


def _per_item_errors(r):
    from lifecycle_kit.experts import aggregate

    truth = np.asarray(r.panel.truth, dtype=float)
    return {m: np.abs(aggregate(r.panel.ratings, method=m, trim=r.trim, weights=r.panel.qualification) - truth)
            for m in r.errors.index}


def test_the_expert_lab_names_a_best_aggregate_only_when_the_others_are_behind_by_more_than_noise():
    lab = ExpertPanelLab()
    named = unnamed = 0
    for adversarial in slider_values(lab.controls["adversarial"]):
        for careless in (0, 2):
            lab.controls["adversarial"].value, lab.controls["careless"].value = adversarial, careless
            r, summary = lab.result, lab.summary.value
            if r is None:
                continue
            per_item = _per_item_errors(r)
            if "Best on this panel" in summary:
                named += 1
                best = r.best_method
                assert f"<b>{_method(best)}</b>" in summary
                for method, errors in per_item.items():
                    if method != best:
                        extra = errors - per_item[best]
                        assert extra.mean() > 2 * extra.std(ddof=1) / np.sqrt(len(extra)), (method, best)
            else:
                unnamed += 1
                assert "No single best" in summary and len(r.leaders()) > 1
    assert named and unnamed  # both cases occur over the controls' range
    # With no dishonest expert the aggregates differ by hundredths on ten items: the lab used to call one "Best".
    lab.controls["adversarial"].value, lab.controls["careless"].value = 0, 0
    assert "No single best" in lab.summary.value


def _spec_result(psi):
    return SimpleNamespace(corrupted=np.zeros(3, dtype=bool), flagged=np.zeros(3, dtype=bool), batch=[0, 1, 2],
                           true_alarms=0, false_alarms=0, false_alarm_rate=0.0, detection_rate=float("nan"),
                           drift_possible=True, psi=pd.Series(psi))


@pytest.fixture(scope="module")
def spec_lab():
    return SpecLab()


@pytest.mark.parametrize("psi, said, not_said", [
    ({"a": 0.0, "b": 0.0}, "every PSI is 0", "largest PSI a"),
    ({"a": 0.12, "b": 0.12, "c": 0.01}, "shared by a, b", "largest PSI a ="),
    ({"a": 0.02, "b": 0.31}, "largest PSI b = 0.310", "shared"),
])
def test_the_spec_lab_names_the_largest_psi_only_when_one_column_has_it(spec_lab, psi, said, not_said):
    summary = spec_lab.summarize(_spec_result(psi))
    assert said in summary and not_said not in summary


def test_the_priority_lab_names_no_first_among_equal_scores():
    lab = QualityPriorityLab()
    assert "First:" in lab.summary.value
    tied = {name: scores.copy() for name, scores in lab.scores.items()}
    reference = next(iter(tied.values()))
    for scores in tied.values():
        scores[:] = reference.to_numpy()
    lab.scores = tied
    lab._cache.clear()  # the cached ranking was computed from the old scores
    lab.update()
    assert "First:" not in lab.summary.value and "A tie" in lab.summary.value


def test_the_quality_lab_says_whether_accuracy_reveals_a_defect_from_the_rows_the_models_disagree_on():
    from lifecycle_kit.labs import QualityLab

    lab = QualityLab(dataset="penguins")
    said = set()
    for control in ("missing", "duplicates", "outliers", "type_errors", "label_noise"):
        for value in slider_values(lab.controls[control])[1::2]:
            lab.controls[control].value = value
            r, summary = lab.result, lab.summary.value
            # The two counts are the difference between the accuracies, row for row.
            assert abs((r.damaged_accuracy - r.clean_accuracy) * r.test_rows - (r.gained - r.lost)) < 1e-9
            beyond = abs(r.gained - r.lost) > 2 * np.sqrt(r.gained + r.lost)
            if "Lower beyond the noise" in summary:
                assert beyond and r.lost > r.gained
            elif "Higher beyond the noise" in summary:
                assert beyond and r.gained > r.lost
            else:
                assert not beyond and "Within the noise" in summary
            said.add(r.accuracy_comparison)
        lab.controls[control].value = 0.0
    assert {"lower", "same"} <= said
    # One test row more right than the clean model (1.000 against 0.990) is no result: the lab must not imply one.
    lab.controls["label_noise"].value = 0.2
    assert "Within the noise" in lab.summary.value
