"""cleanlab's call, find_label_issues(labels=..., pred_probs=...), beside the kit's (X, y)."""

import numpy as np
import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.quality import cross_val_probabilities, find_label_issues
from lifecycle_kit.quality.label_noise import CLEANLAB_FILTERS


@pytest.fixture(scope="module")
def noisy():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.poisoning import flip_labels

    ds = load("breast_cancer")
    y, flipped = flip_labels(ds.target, 0.1, random_state=0)
    y = np.asarray(y)
    return ds.frame, y, cross_val_probabilities(ds.frame, y, random_state=0)


@pytest.mark.parametrize("filter_by", list(CLEANLAB_FILTERS))
def test_the_two_forms_flag_the_same_rows_on_the_same_probabilities(noisy, filter_by):
    X, y, probs = noisy
    kit = find_label_issues(X, y, probabilities=probs, method=CLEANLAB_FILTERS[filter_by])
    mask = find_label_issues(labels=y, pred_probs=probs, filter_by=filter_by)
    assert mask.dtype == bool and mask.shape == (len(y),)
    assert np.flatnonzero(mask).tolist() == sorted(kit.indices.tolist()) and mask.sum() > 10
    ranked = find_label_issues(labels=y, pred_probs=probs, filter_by=filter_by, return_indices_ranked_by="self_confidence")
    assert ranked.tolist() == kit.indices.tolist()


def test_the_default_rule_is_cleanlabs_in_cleanlabs_form(noisy):
    X, y, probs = noisy
    mask = find_label_issues(labels=y, pred_probs=probs)
    assert np.flatnonzero(mask).tolist() == sorted(
        find_label_issues(X, y, probabilities=probs, method="prune_by_noise_rate").indices.tolist())


@pytest.mark.parametrize("filter_by", list(CLEANLAB_FILTERS))
@pytest.mark.parametrize("ranked_by", [None, "self_confidence", "normalized_margin"])
def test_the_same_answer_as_cleanlab(noisy, filter_by, ranked_by):
    cleanlab_filter = pytest.importorskip("cleanlab.filter", reason="cleanlab is in the crosscheck extra")
    _, y, probs = noisy
    ours = find_label_issues(labels=y, pred_probs=probs, filter_by=filter_by, return_indices_ranked_by=ranked_by,
                             n_jobs=1)
    theirs = cleanlab_filter.find_label_issues(labels=y, pred_probs=probs, filter_by=filter_by,
                                               return_indices_ranked_by=ranked_by, n_jobs=1)
    if ranked_by is None:
        np.testing.assert_array_equal(ours, theirs)
    else:
        # Ranks agree up to ties in the score, which cleanlab and numpy may order differently.
        assert sorted(ours.tolist()) == sorted(theirs.tolist())
        assert ours[:5].tolist() == theirs[:5].tolist()


@pytest.mark.parametrize("kwargs, message", [
    ({"labels": [0, 1]}, "needs both labels= and pred_probs="),
    ({"X": np.zeros((2, 1)), "y": [0, 1], "labels": [0, 1], "pred_probs": np.eye(2)}, "either \\(X, y\\) or labels="),
    ({"labels": [0, 1, 1], "pred_probs": np.eye(2)}, "pred_probs must have shape \\(3, 2\\)"),
    ({"labels": [0, 1], "pred_probs": np.eye(2), "filter_by": "both"}, "filter_by"),
    ({"labels": [0, 1], "pred_probs": np.eye(2), "filter_by": "predicted_neq_given", "method": "disagreement"},
     "give the rule once"),
    ({"X": np.zeros((2, 1)), "y": [0, 1], "return_indices_ranked_by": "self_confidence"}, "belongs to cleanlab's form"),
    ({}, "needs X and y"),
])
def test_mixed_or_incomplete_calls_say_what_to_pass(kwargs, message):
    with pytest.raises(LifecycleKitError, match=message):
        find_label_issues(**kwargs)


@pytest.mark.parametrize("filter_by", list(CLEANLAB_FILTERS))
def test_the_poisoning_defence_takes_cleanlabs_names_and_probabilities(noisy, filter_by):
    from lifecycle_kit.poisoning import find_suspicious

    X, y, probs = noisy
    found = find_suspicious(X, y, method="label_noise", filter=filter_by, pred_probs=probs)
    assert found.tolist() == np.flatnonzero(find_label_issues(labels=y, pred_probs=probs, filter_by=filter_by)).tolist()
