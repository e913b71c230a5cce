"""Likely wrong labels, found from cross-validated predicted probabilities (confident learning).

Each row's label is compared with what a model trained *without that row*
predicts (cross-validation), after Northcutt, Jiang & Chuang (2021),
"Confident Learning". Three rules decide which rows to flag:

- ``"disagreement"`` (default): the out-of-fold prediction differs from the
  given label (the paper's C_confusion baseline). It favours recall: most
  wrong labels are caught, at the price of some clean rows — the right trade
  for a poisoning defence, where dropping a few good rows is cheap.
- ``"prune_by_noise_rate"`` (cleanlab's default): per-class thresholds (the
  mean confidence in a class on rows labelled with it) build the confident
  joint; for each (given, other) class pair the estimated number of noisy
  rows is flagged, largest margin first. Fewer false alarms, fewer catches.
- ``"confident_joint"``: every row confidently of another class.

Under every rule a row whose given label is (within 1e-6) the model's own top
prediction is left alone. On the same probabilities the three rules flag the
same rows as cleanlab's ``filter.find_label_issues`` with ``filter_by``
``"predicted_neq_given"``, ``"confident_learning"`` and ``"prune_by_noise_rate"``
(tests/test_crosscheck.py). Two details differ by design and can only matter
with three or more classes: a row confident in several classes counts towards
the most probable of *those* classes (the paper's rule; cleanlab takes the most
probable class overall), and a class whose calibrated count of confidently
right rows rounds to 0 is not topped up to 1 before pruning (cleanlab's
``min_examples_per_class``).

This is the one implementation in the kit: the poisoning defences call it too.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_choice, check_number
from lifecycle_kit.errors import LifecycleKitError

__all__ = ["LabelIssues", "cross_val_probabilities", "find_label_issues"]

METHODS = ("disagreement", "prune_by_noise_rate", "confident_joint")

# Probabilities closer than this count as equal: a row is confident in a class at
# its threshold minus this, and a given label this close to the top prediction is
# the prediction. cleanlab uses the same 1e-6 for both.
PROBABILITY_TOLERANCE = 1e-6


@dataclass
class LabelIssues:
    """Rows whose label looks wrong.

    Attributes
    ----------
    indices : numpy.ndarray
        Positions (0-based) of the flagged rows, most suspicious first.
    self_confidence : numpy.ndarray
        For every row, the predicted probability of its given label.
    suggested : numpy.ndarray
        For every row, the most probable class.
    probabilities : numpy.ndarray
        Cross-validated predicted probabilities, rows x classes.
    classes : numpy.ndarray
    """

    indices: np.ndarray
    self_confidence: np.ndarray
    suggested: np.ndarray
    probabilities: np.ndarray
    classes: np.ndarray

    def mask(self):
        out = np.zeros(len(self.self_confidence), dtype=bool)
        out[self.indices] = True
        return out

    def to_frame(self, labels=None):
        frame = pd.DataFrame({"position": self.indices,
                              "self_confidence": self.self_confidence[self.indices],
                              "suggested_label": self.suggested[self.indices]})
        if labels is not None:
            frame.insert(1, "given_label", np.asarray(labels)[self.indices])
        return frame

    def precision_recall(self, true_positions):
        """Precision and recall of the flags against the rows known to be wrong."""
        flagged = set(int(i) for i in self.indices)
        truth = set(int(i) for i in true_positions)
        hits = len(flagged & truth)
        precision = hits / len(flagged) if flagged else 1.0
        recall = hits / len(truth) if truth else 1.0
        return precision, recall


def _round_keeping_total(matrix):
    """Round each row to integers that still add up to the row's (rounded) total.

    Plain rounding can lose or invent a row: [1.5, 0, 43.5] (45 rows) rounds to
    [2, 0, 44] (46). The cells whose rounding moved them furthest are moved back
    one step each, in cleanlab's order (``round_preserving_sum``), so both count
    the same number of wrong labels per class.

    >>> _round_keeping_total(np.array([[1.5, 0.0, 43.5], [51.25, 6.25, 2.5]]))
    array([[ 1.,  0., 44.],
           [51.,  6.,  3.]])
    """
    out = np.round(matrix)
    for row, values in zip(out, matrix):
        missing = int(np.round(values.sum()) - row.sum())
        if missing:
            step = 1 if missing > 0 else -1
            # Adding: largest shortfall first; removing: largest excess first. Ties
            # (two cells at x.5) go in the order of numpy's default sort, as in cleanlab.
            order = np.argsort(values - row)
            order = order[::-1] if step > 0 else order
            row[order[:abs(missing)]] += step
    return out


def _check_xy(X, y):
    n = X.shape[0] if hasattr(X, "shape") else len(X)
    y = np.asarray(y)
    if n != len(y):
        raise LifecycleKitError(f"X has {n} rows but y has {len(y)} labels")
    if n == 0:
        raise LifecycleKitError("X and y are empty")
    if pd.isna(pd.Series(y)).any():
        raise LifecycleKitError("y has missing labels; drop or fill them before looking for label issues")
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise LifecycleKitError(f"y must contain at least two classes; found {len(classes)}")
    return y, classes, counts


def cross_val_probabilities(X, y, *, model=None, cv=5, random_state=0):
    """Out-of-fold predicted probabilities, columns in the order of ``numpy.unique(y)``."""
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from lifecycle_kit.models import make_classifier

    y, classes, counts = _check_xy(X, y)
    folds = int(check_number("cv", cv, low=2, integer=True))
    folds = min(folds, int(counts.min())) if counts.min() >= 2 else 2
    if counts.min() < 2:
        raise LifecycleKitError(f"every class needs at least 2 rows for cross-validation; {classes[counts.argmin()]!r} has {counts.min()}")
    estimator = make_classifier(X, random_state=random_state) if model is None else clone(model)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    return cross_val_predict(estimator, X, y, cv=splitter, method="predict_proba")


def find_label_issues(X, y, *, model=None, cv=5, method="disagreement", probabilities=None, random_state=0):
    """Flag rows whose label is probably wrong.

    Parameters
    ----------
    X : pandas.DataFrame or array
        Features (a frame may mix numbers and categories).
    y : array-like
        Given labels.
    model : scikit-learn classifier with ``predict_proba``, default=None
        Defaults to :func:`lifecycle_kit.models.make_classifier` (logistic regression).
    cv : int, default=5
        Cross-validation folds.
    method : {"disagreement", "prune_by_noise_rate", "confident_joint"}, default="disagreement"
        Which rows to flag (see the module's description).
    probabilities : array, default=None
        Precomputed out-of-fold probabilities (skips the model fitting).
    random_state : int, default=0

    Returns
    -------
    LabelIssues

    Examples
    --------
    >>> from lifecycle_kit.datasets import load
    >>> from lifecycle_kit.quality.defects import inject_defects
    >>> ds = load("breast_cancer")
    >>> table = ds.frame.assign(label=ds.target)
    >>> noisy, log = inject_defects(table, label_noise=0.1, target="label", random_state=0)
    >>> issues = find_label_issues(noisy.drop(columns="label"), noisy["label"])
    >>> precision, recall = issues.precision_recall(log.rows("label_noise"))
    >>> precision > 0.6 and recall > 0.8
    True
    """
    check_choice("method", method, METHODS)
    y, classes, counts = _check_xy(X, y)
    if probabilities is None:
        probabilities = cross_val_probabilities(X, y, model=model, cv=cv, random_state=random_state)
    probabilities = np.asarray(probabilities, dtype=float)
    if probabilities.shape != (len(y), len(classes)):
        raise LifecycleKitError(f"probabilities must have shape {(len(y), len(classes))}; got {probabilities.shape}")
    given = np.searchsorted(classes, y)
    rows = np.arange(len(y))
    self_confidence = probabilities[rows, given]
    # Per-class threshold: the mean confidence in a class among rows labelled with it.
    thresholds = np.array([probabilities[given == k, k].mean() for k in range(len(classes))])
    above = probabilities >= thresholds - PROBABILITY_TOLERANCE
    masked = np.where(above, probabilities, -np.inf)
    confident = masked.argmax(axis=1)
    has_confident = above.any(axis=1)
    off_diagonal = has_confident & (confident != given)
    if method == "disagreement":
        flagged = np.flatnonzero(probabilities.argmax(axis=1) != given)
    elif method == "confident_joint":
        flagged = np.flatnonzero(off_diagonal)
    else:
        joint = np.zeros((len(classes), len(classes)))
        np.add.at(joint, (given[has_confident], confident[has_confident]), 1)
        # At least one confidently right row per class, so no class's noise rate is read from an empty row.
        np.fill_diagonal(joint, np.maximum(joint.diagonal(), 1))
        # Calibrate each row of the joint to the class's real count before reading noise rates from it.
        row_sums = joint.sum(axis=1, keepdims=True)
        calibrated = _round_keeping_total(joint / row_sums * counts[:, None])
        flagged_set = []
        for i in range(len(classes)):
            for j in range(len(classes)):
                if i == j:
                    continue
                n = int(calibrated[i, j])
                if n == 0:
                    continue
                candidates = np.flatnonzero(given == i)
                margin = probabilities[candidates, j] - probabilities[candidates, i]
                order = np.argsort(-margin, kind="stable")[:n]
                flagged_set.extend(candidates[order])
        flagged = np.unique(np.asarray(flagged_set, dtype=int))
    # The estimated count of wrong labels in a class can exceed the rows the model
    # actually disagrees with; the surplus rows have the given label as the model's
    # own top prediction, so no rule flags them (cleanlab drops them the same way).
    agrees = self_confidence + PROBABILITY_TOLERANCE >= probabilities.max(axis=1)
    flagged = flagged[~agrees[flagged]]
    suggested = classes[probabilities.argmax(axis=1)]
    order = flagged[np.argsort(self_confidence[flagged], kind="stable")]
    return LabelIssues(indices=order, self_confidence=self_confidence, suggested=suggested,
                       probabilities=probabilities, classes=classes)
