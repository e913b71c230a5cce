"""Likely wrong labels, found from cross-validated predicted probabilities (confident learning).

Each row's label is compared with what a model trained *without that row*
predicts (cross-validation), after Northcutt, Jiang & Chuang (2021),
"Confident Learning". A rule decides which rows to flag; the kit's own name
comes first, cleanlab's ``filter_by`` name second where it differs:

- ``"disagreement"`` (``"predicted_neq_given"``; the kit's default): the
  out-of-fold prediction differs from the given label (the paper's
  C_confusion baseline). It favours recall: most wrong labels are caught, at
  the price of some clean rows — the right trade for a poisoning defence, where
  dropping a few good rows is cheap.
- ``"prune_by_noise_rate"`` (cleanlab's default): per-class thresholds (the
  mean confidence in a class on rows labelled with it) build the confident
  joint; for each (given, other) class pair the estimated number of noisy
  rows is flagged, largest margin first. Fewer false alarms, fewer catches.
- ``"prune_by_class"``: in each class, the estimated number of noisy rows,
  least confident in their given class first.
- ``"both"``: rows flagged by both of the two rules above.
- ``"confident_joint"`` (``"confident_learning"``): every row confidently of
  another class (the confident joint's off-diagonal).
- ``"low_self_confidence"`` and ``"low_normalized_margin"``: as many rows as
  ``"confident_joint"`` flags, those with the lowest label quality score.

Under every rule but the last two, a row whose given label is (within 1e-6)
the model's own top prediction is left alone.

The rules are cleanlab's (``cleanlab.filter.find_label_issues``, 2.9), written
out to be read here: on the same probabilities the kit flags and ranks the same
rows, which ``tests/test_crosscheck.py`` checks on seeded datasets and on random
multiclass cases (5 to 10 classes, some absent from the labels). Where cleanlab
departs from the paper the kit follows cleanlab, and says so: a row confident in
several classes counts towards the most probable class overall, and a class
with no confidently right row keeps one before pruning
(``min_examples_per_class``).

This is the one implementation in the kit: the poisoning defences call it too.

Coming from cleanlab, call it as there: ``find_label_issues(labels,
pred_probs)`` (positionally or by name) takes cleanlab's options
(``filter_by``, ``return_indices_ranked_by``, ``frac_noise``,
``min_examples_per_class``), its default rule (``"prune_by_noise_rate"``) and
returns what cleanlab returns: a boolean mask, or the flagged positions ranked
by label quality. Labels are cleanlab's 0 .. K-1 (a class may be absent), or
any sortable values, one per column of ``pred_probs`` in sorted order. The
options cleanlab has and the kit does not (``num_to_remove_per_class``,
``confident_joint``, ``rank_by_kwargs``, ``multi_label``, ``verbose``) are
refused with an error naming what is supported. The kit's own form
``find_label_issues(X, y)`` fits the cross-validated model itself and returns a
:class:`LabelIssues`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

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

#: cleanlab's ``filter_by`` names -> the kit's ``method`` names for the same rules (all seven of cleanlab's).
CLEANLAB_FILTERS = {"predicted_neq_given": "disagreement", "confident_learning": "confident_joint",
                    "prune_by_noise_rate": "prune_by_noise_rate", "prune_by_class": "prune_by_class",
                    "both": "both", "low_self_confidence": "low_self_confidence",
                    "low_normalized_margin": "low_normalized_margin"}
METHODS = ("disagreement", "prune_by_noise_rate", "confident_joint", "prune_by_class", "both",
           "low_self_confidence", "low_normalized_margin")
#: cleanlab's ``return_indices_ranked_by`` orders (all three of cleanlab's).
RANKINGS = ("self_confidence", "normalized_margin", "confidence_weighted_entropy")
#: cleanlab options the kit does not implement, with the value that means "not used" (accepted as a no-op).
UNSUPPORTED_CLEANLAB_OPTIONS = {"num_to_remove_per_class": None, "confident_joint": None, "rank_by_kwargs": None,
                                "multi_label": False, "verbose": False}

# Probabilities closer than this count as equal: a row is confident in a class at
# its threshold minus this, and a given label this close to the top prediction is
# the prediction. cleanlab uses the same 1e-6 for both.
PROBABILITY_TOLERANCE = 1e-6
# A class absent from the labels gets a threshold no probability reaches (cleanlab's 2), and no threshold is
# below cleanlab's lower bound, so a class whose rows all give it probability 0 is not "confident" everywhere.
ABSENT_CLASS_THRESHOLD = 2.0
THRESHOLD_FLOOR = 2 * PROBABILITY_TOLERANCE


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


def _confident_thresholds(given, probabilities):
    """Per class, the mean probability of the class on the rows labelled with it (absent classes: never reached)."""
    thresholds = [probabilities[given == k, k].mean() if (given == k).any() else ABSENT_CLASS_THRESHOLD
                  for k in range(probabilities.shape[1])]
    return np.maximum(thresholds, THRESHOLD_FLOOR)


def _confident_joint(given, probabilities):
    """The confident joint (rows: given class, columns: the class a row is confidently of) and its off-diagonal rows.

    A row is confident in a class when its probability reaches the class's threshold. Confident in one class,
    it counts there; in several, towards the most probable class overall (cleanlab's rule: the paper takes the
    most probable of the confident ones). Every class keeps at least one confidently right row, so no noise
    rate is read from an empty row of the joint.
    """
    n_classes = probabilities.shape[1]
    above = probabilities >= _confident_thresholds(given, probabilities) - PROBABILITY_TOLERANCE
    how_many = above.sum(axis=1)
    likely = np.where(how_many > 1, probabilities.argmax(axis=1), above.argmax(axis=1))
    confident = how_many > 0
    by_likely = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(by_likely, (likely[confident], given[confident]), 1)
    # The transpose of a (likely, given) table, as cleanlab builds it: the order of the float sums in the
    # calibration follows the memory layout, and decides how ties break when rounding.
    joint = by_likely.T
    np.fill_diagonal(joint, np.maximum(joint.diagonal(), 1))
    return joint, np.flatnonzero(confident & (likely != given))


def _calibrated(joint, class_counts):
    """Each row of the joint scaled to its class's real count, rounded to integers keeping each row's total."""
    # Written as cleanlab writes it (a transposed division), so the floats, and the rounding of halves, are the same.
    scaled = (joint.T / np.clip(joint.sum(axis=1), 1e-100, None) * class_counts).T
    scaled = scaled / np.clip(scaled.sum(), 1e-100, None) * class_counts.sum()
    return np.ascontiguousarray(_round_keeping_total(scaled), dtype=np.int64)  # row order, as cleanlab's


def _prune_counts(calibrated, *, min_examples_per_class, frac_noise):
    """How many rows to flag, as ``counts[likely class, given class]`` (the calibrated joint, transposed).

    Each given class keeps at least ``min_examples_per_class`` confidently right rows: what its diagonal cell
    gains is taken evenly from the column's other non-zero cells. ``frac_noise`` keeps that share of each
    off-diagonal cell and moves the rest to the diagonal. Then the counts are truncated to integers (cleanlab's
    ``_keep_at_least_n_per_class``, truncation included).
    """
    counts = calibrated.T
    diagonal = counts.diagonal()
    kept = np.maximum(diagonal, min_examples_per_class)
    others = np.maximum(np.count_nonzero(counts, axis=0) - 1.0, 1.0)
    adjusted = counts - (kept - diagonal) / others
    adjusted[adjusted < 0] = 0
    np.fill_diagonal(adjusted, kept)
    reduced = adjusted * frac_noise
    np.fill_diagonal(reduced, adjusted.diagonal())  # the diagonal is not reduced...
    np.fill_diagonal(reduced, adjusted.diagonal() + (adjusted - reduced).sum(axis=0))  # ...it gains what the rest lost
    return reduced.astype(np.int64)


def _flag_per_class(given, probabilities, prune, *, min_examples_per_class, rule):
    """``"prune_by_noise_rate"`` or ``"prune_by_class"``: a mask of the rows flagged in each given class."""
    flagged = np.zeros(len(given), dtype=bool)
    for k in range(probabilities.shape[1]):
        rows = np.flatnonzero(given == k)
        if len(rows) <= max(min_examples_per_class, 1):
            continue  # too few rows to spare any (and one row is never flagged, as in cleanlab)
        local = np.zeros(len(rows), dtype=bool)
        if rule == "prune_by_class":
            wrong = len(rows) - prune[k, k]
            if wrong >= 1:
                local[np.argsort(probabilities[rows, k])[:wrong]] = True
        else:
            for j in range(probabilities.shape[1]):
                if j != k and prune[j, k] > 0:
                    # The rows labelled k most likely to be j: largest p(j) - p(k) first.
                    margin = probabilities[rows, j] - probabilities[rows, k]
                    local[np.argsort(-margin)[:prune[j, k]]] = True
        flagged[rows] = local
    return flagged


def _model_agrees(given, probabilities):
    """Rows whose given label is (within the tolerance) the model's top prediction."""
    nudged = probabilities.copy()
    nudged[np.arange(len(given)), given] += PROBABILITY_TOLERANCE
    return nudged.argmax(axis=1) == given


def _label_quality(given, probabilities, ranking):
    """cleanlab's label quality score of every row (lower: the label is less trustworthy)."""
    own = probabilities[np.arange(len(given)), given]
    if ranking == "self_confidence":
        return own
    if ranking == "normalized_margin":
        others = probabilities.copy()
        others[np.arange(len(given)), given] = -np.inf
        return (own - others.max(axis=1) + 1) / 2
    from scipy.special import xlogy

    # confidence_weighted_entropy: the prediction's entropy (0..1) over the confidence in the given label, rescaled.
    own = np.clip(own, PROBABILITY_TOLERANCE, None)
    entropy = -np.sum(xlogy(probabilities, probabilities), axis=1) / np.log(probabilities.shape[1])
    score = entropy / own
    return np.log(score + 1) / np.clip(score, PROBABILITY_TOLERANCE, None)


def _flagged_rows(given, probabilities, method, *, min_examples_per_class=1, frac_noise=1.0):
    """A mask of the rows ``method`` flags (given: each row's class as a column of ``probabilities``)."""
    joint, off_diagonal = _confident_joint(given, probabilities)
    agrees = _model_agrees(given, probabilities)
    if method in ("low_self_confidence", "low_normalized_margin"):
        # As many rows as the confident joint's off-diagonal holds (less those the model agrees with): the lowest.
        how_many = int((~agrees[off_diagonal]).sum())
        scores = _label_quality(given, probabilities, method.removeprefix("low_"))
        flagged = np.zeros(len(given), dtype=bool)
        flagged[np.argsort(scores)[:how_many]] = True
        return flagged
    if method == "disagreement":
        flagged = probabilities.argmax(axis=1) != given
    elif method == "confident_joint":
        flagged = np.zeros(len(given), dtype=bool)
        flagged[off_diagonal] = True
    else:
        class_counts = np.bincount(given, minlength=probabilities.shape[1])
        prune = _prune_counts(_calibrated(joint, class_counts), min_examples_per_class=min_examples_per_class,
                              frac_noise=frac_noise)
        options = {"min_examples_per_class": min_examples_per_class}
        if method == "both":
            flagged = _flag_per_class(given, probabilities, prune, rule="prune_by_class", **options) \
                & _flag_per_class(given, probabilities, prune, rule="prune_by_noise_rate", **options)
        else:
            flagged = _flag_per_class(given, probabilities, prune, rule=method, **options)
    # The estimated count of wrong labels in a class can exceed the rows the model actually disagrees with;
    # the surplus rows have the given label as the model's own top prediction: no rule flags them.
    return flagged & ~agrees


def _cleanlab_columns(labels, n_columns):
    """``(classes, given)``: the class of each column of ``pred_probs`` and each row's column.

    cleanlab's labels are the column numbers 0 .. K-1 (a class may be absent); other labels are matched to the
    columns in sorted order, which needs one distinct label per column.
    """
    values = np.asarray(labels)
    if values.ndim != 1:
        raise LifecycleKitError(f"labels must hold one label per row (1-D); got an array of shape {values.shape}")
    if len(values) == 0:
        raise LifecycleKitError("labels and pred_probs are empty")
    if pd.isna(pd.Series(values)).any():
        raise LifecycleKitError("labels has missing values; drop or fill them before looking for label issues")
    if values.dtype.kind in "iub" and values.min() >= 0 and values.max() < n_columns:
        return np.arange(n_columns), values.astype(np.intp)
    classes = np.unique(values)
    if len(classes) != n_columns:
        shown = ", ".join(map(repr, classes[:6].tolist())) + (", ..." if len(classes) > 6 else "")
        raise LifecycleKitError(f"pred_probs has {n_columns} columns, but labels are neither column numbers "
                                f"0..{n_columns - 1} (cleanlab's convention) nor {n_columns} distinct values "
                                f"(one per column, in sorted order): found {len(classes)} ({shown})")
    return classes, np.searchsorted(classes, values)


def _checked_probabilities(probabilities, n_rows, n_classes, name):
    probabilities = np.asarray(probabilities, dtype=float)
    if probabilities.ndim != 2 or probabilities.shape[0] != n_rows or (n_classes and probabilities.shape[1] != n_classes):
        expected = f"({n_rows}, {n_classes})" if n_classes else f"({n_rows}, number of classes)"
        raise LifecycleKitError(f"{name} must have shape {expected} (a row per label, a column per class); "
                                f"got {probabilities.shape}")
    if probabilities.shape[1] < 2:
        raise LifecycleKitError(f"{name} needs a column per class, at least 2; got {probabilities.shape[1]}")
    bad = ~np.isfinite(probabilities) | (probabilities < -PROBABILITY_TOLERANCE) \
        | (probabilities > 1 + PROBABILITY_TOLERANCE)
    if bad.any():
        row, column = np.argwhere(bad)[0]
        raise LifecycleKitError(f"{name} must hold probabilities between 0 and 1; row {row}, column {column} is "
                                f"{float(probabilities[row, column])!r}")
    return probabilities


def _refuse_unsupported(options):
    """cleanlab options the kit has not implemented: accepted at the value meaning "unused", otherwise refused."""
    supported = "filter_by, return_indices_ranked_by, frac_noise, min_examples_per_class, n_jobs"
    for name, value in options.items():
        if name not in UNSUPPORTED_CLEANLAB_OPTIONS:
            raise LifecycleKitError(f"find_label_issues has no option {name!r}; cleanlab's options supported here: "
                                    f"{supported} (and the kit's: model, cv, method, probabilities, random_state)")
        if value is not None and value is not False and not (name == "rank_by_kwargs" and value == {}):
            raise LifecycleKitError(f"cleanlab's {name} is not supported by the kit's find_label_issues; "
                                    f"its cleanlab options are {supported}")


def find_label_issues(X: Matrix | None = None, y: Vector | None = None, *, labels: Vector | None = None,
                      pred_probs: np.ndarray | None = None,
                      filter_by: Literal["prune_by_noise_rate", "prune_by_class", "both", "confident_learning",
                                         "predicted_neq_given", "low_normalized_margin",
                                         "low_self_confidence"] | None = None,
                      return_indices_ranked_by: Literal["self_confidence", "normalized_margin",
                                                        "confidence_weighted_entropy"] | None = None,
                      frac_noise: float = 1.0, min_examples_per_class: int = 1,
                      model: Any = None, cv: int = 5,
                      method: str | None = None,
                      probabilities: np.ndarray | None = None, random_state: int = 0,
                      n_jobs: int | None = None, **cleanlab_options: Any) -> LabelIssues | np.ndarray:
    """Flag rows whose label is probably wrong.

    Two forms: the kit's ``find_label_issues(X, y)`` (fits the model, returns
    :class:`LabelIssues`), and cleanlab's ``find_label_issues(labels,
    pred_probs)`` (out-of-fold probabilities given, positionally or by name;
    returns a boolean mask or ranked positions, as cleanlab's
    ``filter.find_label_issues`` does, flagging the same rows).

    Parameters
    ----------
    X : pandas.DataFrame or array
        Features (a frame may mix numbers and categories).
    y : array-like
        Given labels.
    labels : array-like, default=None
        cleanlab's form: the given labels, cleanlab's class numbers 0..K-1
        (columns of ``pred_probs``; a class may be absent from the labels) or
        any sortable values, one per column in sorted order.
    pred_probs : array, default=None
        cleanlab's form: out-of-fold predicted probabilities, rows x classes.
    filter_by : str, default=None
        cleanlab's name of the rule, any of its seven: ``"prune_by_noise_rate"``,
        ``"prune_by_class"``, ``"both"``, ``"confident_learning"``,
        ``"predicted_neq_given"``, ``"low_normalized_margin"``,
        ``"low_self_confidence"`` (see the module's description); in
        cleanlab's form the default is cleanlab's, ``"prune_by_noise_rate"``.
    return_indices_ranked_by : {"self_confidence", "normalized_margin", "confidence_weighted_entropy"}, default=None
        cleanlab's form only: return the flagged positions, least trustworthy
        label first (by that label quality score), instead of a boolean mask.
    frac_noise : float, default=1.0
        Flag only this share of the estimated wrong labels (the rules that
        prune by counts: ``"prune_by_noise_rate"``, ``"prune_by_class"``,
        ``"both"``), as in cleanlab.
    min_examples_per_class : int, default=1
        Rows of each class never flagged by the rules that prune by counts, as
        in cleanlab.
    model : scikit-learn classifier with ``predict_proba``, default=None
        Defaults to :func:`lifecycle_kit.models.make_classifier` (logistic regression).
    cv : int, default=5
        Cross-validation folds.
    method : str, default=None
        The kit's name of the rule: ``"disagreement"``, ``"prune_by_noise_rate"``,
        ``"confident_joint"``, ``"prune_by_class"``, ``"both"``,
        ``"low_self_confidence"``, ``"low_normalized_margin"`` (see the
        module's description); ``"disagreement"`` in the kit's form when
        neither this nor ``filter_by`` is given.
    probabilities : array, default=None
        Precomputed out-of-fold probabilities (skips the model fitting).
    random_state : int, default=0
    n_jobs : int, default=None
        Accepted so that cleanlab calls work unchanged; the kit's rules run in
        one process.
    **cleanlab_options
        cleanlab's ``num_to_remove_per_class``, ``confident_joint``,
        ``rank_by_kwargs``, ``multi_label`` and ``verbose`` are accepted only at
        their "unused" values (None, False, {}); otherwise, and for any other
        name, a :class:`~lifecycle_kit.LifecycleKitError` names the options
        supported.

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
    >>> find_label_issues([0, 0, 1, 1, 1, 1], probs, filter_by="predicted_neq_given",  # positionally
    ...                   return_indices_ranked_by="self_confidence")
    array([4])

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
    # cleanlab's positional call, find_label_issues(labels, pred_probs): one label per row, then a matrix.
    if labels is None and pred_probs is None and X is not None and y is not None \
            and np.ndim(X) == 1 and np.ndim(y) == 2:
        X, y, labels, pred_probs = None, None, X, y
    elif labels is None and pred_probs is not None and X is not None and y is None and np.ndim(X) == 1:
        X, labels = None, X  # find_label_issues(labels, pred_probs=...)
    _refuse_unsupported(cleanlab_options)
    cleanlab_form = labels is not None or pred_probs is not None
    if cleanlab_form:
        if X is not None or y is not None or probabilities is not None:
            raise LifecycleKitError("find_label_issues takes either (X, y) or labels and pred_probs (cleanlab's "
                                    "form), not both")
        if labels is None or pred_probs is None:
            raise LifecycleKitError("cleanlab's form needs both labels and pred_probs")
    elif X is None or y is None:
        raise LifecycleKitError("find_label_issues needs X and y (or labels and pred_probs, as in cleanlab)")
    if return_indices_ranked_by is not None:
        if not cleanlab_form:
            raise LifecycleKitError("return_indices_ranked_by belongs to cleanlab's form (labels, pred_probs); "
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
    frac_noise = check_number("frac_noise", frac_noise, low=0.0, high=1.0)
    min_examples_per_class = int(check_number("min_examples_per_class", min_examples_per_class, low=0, integer=True))
    if cleanlab_form:
        n_columns = np.shape(pred_probs)[1] if np.ndim(pred_probs) == 2 else 0
        classes, given = _cleanlab_columns(labels, n_columns) if n_columns else (np.arange(0), np.asarray(labels))
        probabilities = _checked_probabilities(pred_probs, len(given), len(classes), "pred_probs")
        y = np.asarray(labels)
    else:
        y, classes, counts = _check_xy(X, y)
        if probabilities is None:
            probabilities = cross_val_probabilities(X, y, model=model, cv=cv, random_state=random_state)
        probabilities = _checked_probabilities(probabilities, len(y), len(classes), "probabilities")
        given = np.searchsorted(classes, y)
    flagged = np.flatnonzero(_flagged_rows(given, probabilities, method, min_examples_per_class=min_examples_per_class,
                                           frac_noise=frac_noise))
    self_confidence = probabilities[np.arange(len(given)), given]
    if cleanlab_form:
        if return_indices_ranked_by is None:
            mask = np.zeros(len(given), dtype=bool)
            mask[flagged] = True
            return mask
        scores = _label_quality(given, probabilities, return_indices_ranked_by)
        return flagged[np.argsort(scores[flagged])]
    order = flagged[np.argsort(self_confidence[flagged], kind="stable")]
    return LabelIssues(indices=order, self_confidence=self_confidence, suggested=classes[probabilities.argmax(axis=1)],
                       probabilities=probabilities, classes=classes, method=method, given=y)
