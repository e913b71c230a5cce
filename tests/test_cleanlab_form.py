"""cleanlab's call, find_label_issues(labels=..., pred_probs=...), beside the kit's (X, y)."""

import numpy as np
import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.quality import cross_val_probabilities, find_label_issues
from lifecycle_kit.quality.label_noise import CLEANLAB_FILTERS, RANKINGS


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
@pytest.mark.parametrize("ranked_by", [None, *RANKINGS])
def test_the_same_answer_as_cleanlab(noisy, filter_by, ranked_by):
    cleanlab_filter = pytest.importorskip("cleanlab.filter", reason="cleanlab is in the crosscheck extra")
    _, y, probs = noisy
    ours = find_label_issues(labels=y, pred_probs=probs, filter_by=filter_by, return_indices_ranked_by=ranked_by,
                             n_jobs=1)
    theirs = cleanlab_filter.find_label_issues(labels=y, pred_probs=probs, filter_by=filter_by,
                                               return_indices_ranked_by=ranked_by, n_jobs=1)
    np.testing.assert_array_equal(ours, theirs)  # the same rows, in the same order


@pytest.mark.parametrize("kwargs, message", [
    ({"labels": [0, 1]}, "needs both labels and pred_probs"),
    ({"X": np.zeros((2, 1)), "y": [0, 1], "labels": [0, 1], "pred_probs": np.eye(2)}, "either \\(X, y\\) or labels and"),
    ({"labels": [0, 1, 1], "pred_probs": np.eye(2)}, "pred_probs must have shape \\(3, 2\\)"),
    ({"labels": [0, 1], "pred_probs": np.eye(2), "filter_by": "all"}, "filter_by must be one of 'predicted_neq_given'"),
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


def test_cleanlabs_positional_call_is_cleanlabs_form(noisy):
    _, y, probs = noisy
    by_name = find_label_issues(labels=y, pred_probs=probs)
    np.testing.assert_array_equal(find_label_issues(y, probs), by_name)
    np.testing.assert_array_equal(find_label_issues(y, pred_probs=probs), by_name)
    np.testing.assert_array_equal(find_label_issues(list(y), probs, return_indices_ranked_by="normalized_margin"),
                                  find_label_issues(labels=y, pred_probs=probs, return_indices_ranked_by="normalized_margin"))


@pytest.fixture(scope="module")
def five_classes():
    rng = np.random.default_rng(4)
    truth = rng.integers(0, 5, 400)
    labels = np.where(rng.random(400) < 0.2, rng.integers(0, 5, 400), truth)
    alpha = np.full((400, 5), 0.5)
    alpha[np.arange(400), truth] += 3
    return labels, np.vstack([rng.dirichlet(a) for a in alpha])


@pytest.mark.parametrize("filter_by", list(CLEANLAB_FILTERS))
def test_a_class_absent_from_the_labels_keeps_its_column(five_classes, filter_by):
    labels, probs = five_classes
    without_3 = np.where(labels == 3, 0, labels)  # class 3 still has a column of pred_probs, no label
    mask = find_label_issues(without_3, probs, filter_by=filter_by)
    assert mask.shape == (400,) and mask.dtype == bool
    # Relabelling the classes keeps the flags: the absent class is matched by its column number, not dropped.
    order = np.array([4, 2, 0, 1, 3])                                          # new column of each old class
    relabelled = find_label_issues(order[without_3], probs[:, np.argsort(order)], filter_by=filter_by)
    np.testing.assert_array_equal(relabelled, mask)
    assert mask.sum() > 0 or filter_by == "both"


def test_labels_that_are_not_column_numbers_need_one_value_per_column(five_classes):
    labels, probs = five_classes
    names = np.array(["ant", "bee", "cat", "dog", "eel"])[labels]
    np.testing.assert_array_equal(find_label_issues(names, probs), find_label_issues(labels, probs))
    with pytest.raises(LifecycleKitError, match="pred_probs has 5 columns, but labels are neither column numbers "
                                                "0..4 .* nor 5 distinct values .*found 4"):
        find_label_issues(names[labels != 3], probs[labels != 3])


def test_the_rules_relate_as_cleanlab_documents_them(five_classes):
    labels, probs = five_classes
    flags = {f: find_label_issues(labels, probs, filter_by=f) for f in CLEANLAB_FILTERS}
    np.testing.assert_array_equal(flags["both"], flags["prune_by_noise_rate"] & flags["prune_by_class"])
    # The two score-based rules flag as many rows as the confident joint's off-diagonal holds.
    assert flags["low_self_confidence"].sum() == flags["low_normalized_margin"].sum() == \
        flags["confident_learning"].sum() > 0
    fewer = find_label_issues(labels, probs, frac_noise=0.5)
    assert 0 < fewer.sum() < flags["prune_by_noise_rate"].sum() and not (fewer & ~flags["prune_by_noise_rate"]).any()
    assert not find_label_issues(labels, probs, filter_by="prune_by_class", frac_noise=0.0).any()
    for ranked_by in RANKINGS:
        ranked = find_label_issues(labels, probs, return_indices_ranked_by=ranked_by)
        assert sorted(ranked.tolist()) == np.flatnonzero(flags["prune_by_noise_rate"]).tolist()
    own = probs[np.arange(len(labels)), labels]
    ranked = find_label_issues(labels, probs, return_indices_ranked_by="self_confidence")
    assert (np.diff(own[ranked]) >= 0).all()  # least confident in its label first


@pytest.mark.parametrize("options, message", [
    ({"num_to_remove_per_class": [1, 1, 1, 1, 1]}, "cleanlab's num_to_remove_per_class is not supported .* its "
                                                  "cleanlab options are filter_by, return_indices_ranked_by, "
                                                  "frac_noise, min_examples_per_class, n_jobs"),
    ({"rank_by_kwargs": {"adjust_pred_probs": True}}, "rank_by_kwargs is not supported"),
    ({"multi_label": True}, "multi_label is not supported"),
    ({"filterby": "both"}, "find_label_issues has no option 'filterby'; cleanlab's options supported here"),
    ({"frac_noise": 1.5}, "frac_noise"),
])
def test_cleanlab_options_the_kit_lacks_are_refused_by_name(five_classes, options, message):
    labels, probs = five_classes
    with pytest.raises(LifecycleKitError, match=message):
        find_label_issues(labels, probs, **options)


def test_cleanlab_options_at_their_unused_values_are_accepted(five_classes):
    labels, probs = five_classes
    np.testing.assert_array_equal(
        find_label_issues(labels, probs, verbose=False, multi_label=False, confident_joint=None, rank_by_kwargs={},
                          num_to_remove_per_class=None, n_jobs=1),
        find_label_issues(labels, probs))


@pytest.mark.parametrize("bad, message", [(1.5, "row 2, column 1 is 1.5"), (np.nan, "row 2, column 1 is nan"),
                                          (-0.2, "between 0 and 1")])
def test_pred_probs_must_be_probabilities(bad, message):
    probs = np.full((4, 2), 0.5)
    probs[2, 1] = bad
    with pytest.raises(LifecycleKitError, match=message):
        find_label_issues([0, 1, 0, 1], probs)
