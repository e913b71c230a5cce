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

Coming from cleanlab, call it as there: ``find_label_issues(labels=...,
pred_probs=...)`` takes cleanlab's names (``filter_by``,
``return_indices_ranked_by``), its default rule (``"prune_by_noise_rate"``) and
returns what cleanlab returns: a boolean mask, or the flagged positions ranked
by label quality. The kit's own form ``find_label_issues(X, y)`` fits the
cross-validated model itself and returns a :class:`LabelIssues`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from collections.abc import Iterable

import numpy as np
import pandas as pd

from lifecycle_kit import _html
from lifecycle_kit._validation import check_choice, check_number
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import _, ngettext
from lifecycle_kit.results import ResultMixin

if TYPE_CHECKING:
    from lifecycle_kit._typing import Matrix, Vector

__all__ = ["LabelIssues", "cross_val_probabilities", "find_label_issues"]

METHODS = ("disagreement", "prune_by_noise_rate", "confident_joint")
#: cleanlab's ``filter_by`` names for the same rules.
CLEANLAB_FILTERS = {"predicted_neq_given": "disagreement", "confident_learning": "confident_joint",
                    "prune_by_noise_rate": "prune_by_noise_rate"}
#: cleanlab's ``return_indices_ranked_by`` orders the kit can compute.
RANKINGS = ("self_confidence", "normalized_margin")

# Probabilities closer than this count as equal: a row is confident in a class at
# its threshold minus this, and a given label this close to the top prediction is
# the prediction. cleanlab uses the same 1e-6 for both.
PROBABILITY_TOLERANCE = 1e-6


@dataclass
class LabelIssues(ResultMixin):
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
    method : str or None
        The rule that flagged the rows.
    given : numpy.ndarray or None
        The given labels.
    """

    indices: np.ndarray
    self_confidence: np.ndarray
    suggested: np.ndarray
    probabilities: np.ndarray
    classes: np.ndarray
    method: str | None = None
    given: np.ndarray | None = None

    _result_kind = "label_issues"

    def _payload(self):
        return {"rows": len(self.self_confidence), "flagged": len(self.indices), "method": self.method,
                "classes": self.classes, "issues": self.to_frame(self.given)}

    def _repr_html_(self):
        flagged = self.mask()
        edges = np.linspace(0.0, 1.0, 21)
        counts = {_("not flagged"): np.histogram(self.self_confidence[~flagged], bins=edges)[0],
                  _("flagged"): np.histogram(self.self_confidence[flagged], bins=edges)[0]}
        head = ngettext("{found:,} of {n:,} label looks wrong", "{found:,} of {n:,} labels look wrong", len(flagged),
                        found=len(self.indices))
        if self.method:
            head += " " + _("(rule: {method})", method=self.method)
        chart = _html.histogram_svg(edges, counts, title=_("Confidence of the model in the given label"),
                                    xlabel=_("out-of-fold probability of the given label"))
        return (_html.verdict_html(not len(self.indices), head) + chart
                + _html.table_html(self.to_frame(self.given), max_rows=20))

    def mask(self) -> np.ndarray:
        out = np.zeros(len(self.self_confidence), dtype=bool)
        out[self.indices] = True
        return out

    def to_frame(self, labels: Vector | None = None) -> pd.DataFrame:
        frame = pd.DataFrame({"position": self.indices,
                              "self_confidence": self.self_confidence[self.indices],
                              "suggested_label": self.suggested[self.indices]})
        if labels is not None:
            frame.insert(1, "given_label", np.asarray(labels)[self.indices])
        return frame

    def precision_recall(self, true_positions: Iterable[int]) -> tuple[float, float]:
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


def cross_val_probabilities(X: Matrix, y: Vector, *, model: Any = None, cv: int = 5, random_state: int = 0) -> np.ndarray:
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


def find_label_issues(X: Matrix | None = None, y: Vector | None = None, *, labels: Vector | None = None,
                      pred_probs: np.ndarray | None = None,
                      filter_by: Literal["prune_by_noise_rate", "confident_learning", "predicted_neq_given"] | None = None,
                      return_indices_ranked_by: Literal["self_confidence", "normalized_margin"] | None = None,
                      model: Any = None, cv: int = 5,
                      method: str | None = None,
                      probabilities: np.ndarray | None = None, random_state: int = 0,
                      n_jobs: int | None = None) -> LabelIssues | np.ndarray:
    """Flag rows whose label is probably wrong.

    Two forms: the kit's ``find_label_issues(X, y)`` (fits the model, returns
    :class:`LabelIssues`), and cleanlab's ``find_label_issues(labels=...,
    pred_probs=...)`` (out-of-fold probabilities given, returns a boolean mask
    or ranked positions, as cleanlab's ``filter.find_label_issues`` does).

    Parameters
    ----------
    X : pandas.DataFrame or array
        Features (a frame may mix numbers and categories).
    y : array-like
        Given labels.
    labels : array-like, default=None
        cleanlab's form: the given labels (any sortable values; the columns of
        ``pred_probs`` follow their sorted order, which for labels 0..K-1 is
        cleanlab's convention).
    pred_probs : array, default=None
        cleanlab's form: out-of-fold predicted probabilities, rows x classes.
    filter_by : {"prune_by_noise_rate", "confident_learning", "predicted_neq_given"}, default=None
        cleanlab's name of the rule (the same rules as ``method``); in cleanlab's
        form the default is cleanlab's, ``"prune_by_noise_rate"``.
    return_indices_ranked_by : {"self_confidence", "normalized_margin"}, default=None
        cleanlab's form only: return the flagged positions, least trustworthy
        label first, instead of a boolean mask.
    model : scikit-learn classifier with ``predict_proba``, default=None
        Defaults to :func:`lifecycle_kit.models.make_classifier` (logistic regression).
    cv : int, default=5
        Cross-validation folds.
    method : {"disagreement", "prune_by_noise_rate", "confident_joint"}, default=None
        Which rows to flag (see the module's description); ``"disagreement"`` in
        the kit's form when neither this nor ``filter_by`` is given.
    probabilities : array, default=None
        Precomputed out-of-fold probabilities (skips the model fitting).
    random_state : int, default=0
    n_jobs : int, default=None
        Accepted so that cleanlab calls work unchanged; the kit's rules are
        vectorised and run in one process.

    Returns
    -------
    LabelIssues
        In the kit's form.
    numpy.ndarray
        In cleanlab's form: a boolean mask over the rows, or (with
        ``return_indices_ranked_by``) the flagged positions in ranked order.

    Examples
    --------
    cleanlab's form, on probabilities already computed:

    >>> probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.2, 0.8], [0.7, 0.3], [0.1, 0.9]])
    >>> find_label_issues(labels=[0, 0, 1, 1, 1, 1], pred_probs=probs, filter_by="predicted_neq_given")
    array([False, False, False, False,  True, False])

    The kit's form fits the cross-validated model itself:

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
    cleanlab_form = labels is not None or pred_probs is not None
    if cleanlab_form:
        if X is not None or y is not None or probabilities is not None:
            raise LifecycleKitError("find_label_issues takes either (X, y) or labels= and pred_probs= (cleanlab's "
                                    "form), not both")
        if labels is None or pred_probs is None:
            raise LifecycleKitError("cleanlab's form needs both labels= and pred_probs=")
        X, y, probabilities = np.empty((len(labels), 0)), labels, pred_probs
    elif X is None or y is None:
        raise LifecycleKitError("find_label_issues needs X and y (or labels= and pred_probs=, as in cleanlab)")
    if return_indices_ranked_by is not None:
        if not cleanlab_form:
            raise LifecycleKitError("return_indices_ranked_by belongs to cleanlab's form (labels=, pred_probs=); "
                                    "the kit's form returns LabelIssues, whose indices are ranked by self-confidence")
        check_choice("return_indices_ranked_by", return_indices_ranked_by, RANKINGS)
    if filter_by is not None:
        if method is not None:
            raise LifecycleKitError("give the rule once: method= (the kit's name) or filter_by= (cleanlab's name)")
        check_choice("filter_by", filter_by, tuple(CLEANLAB_FILTERS))
        method = CLEANLAB_FILTERS[filter_by]
    if method is None:
        method = "prune_by_noise_rate" if cleanlab_form else "disagreement"
    check_choice("method", method, METHODS)
    y, classes, counts = _check_xy(X, y)
    if probabilities is None:
        probabilities = cross_val_probabilities(X, y, model=model, cv=cv, random_state=random_state)
    probabilities = np.asarray(probabilities, dtype=float)
    if probabilities.shape != (len(y), len(classes)):
        name = "pred_probs" if cleanlab_form else "probabilities"
        raise LifecycleKitError(f"{name} must have shape {(len(y), len(classes))} (rows x the {len(classes)} classes "
                                f"found in the labels); got {probabilities.shape}")
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
    if cleanlab_form:
        if return_indices_ranked_by is None:
            mask = np.zeros(len(y), dtype=bool)
            mask[flagged] = True
            return mask
        if return_indices_ranked_by == "normalized_margin":
            others = probabilities.copy()
            others[rows, given] = -np.inf
            margin = self_confidence - others.max(axis=1)
            return flagged[np.argsort(margin[flagged], kind="stable")]
        return order
    return LabelIssues(indices=order, self_confidence=self_confidence, suggested=suggested,
                       probabilities=probabilities, classes=classes, method=method, given=y)
