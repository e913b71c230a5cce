"""Defences against poisoning: find the training rows that look planted.

Each defence returns the positions of suspicious rows (MITRE ATLAS M0007,
sanitise training data); :func:`source_impact` tests whole sources (M0025,
maintain dataset provenance). None of them recovers everything: label checks
miss consistent lies, outlier checks miss poisons that look ordinary, and
source tests need a trusted validation set.

================  =============================================================
``label_noise``   labels a cross-validated model disagrees with (confident learning)
``knn``           labels most of the row's nearest neighbours disagree with
``outlier``       rows that are outliers within their own labelled class (LOF)
``provenance``    every row of a source whose removal improves a trusted validation score
``roni``          batches whose addition lowers a trusted score (reject on negative impact)
================  =============================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_choice, check_number, check_random_state
from lifecycle_kit.errors import LifecycleKitError

if TYPE_CHECKING:
    from lifecycle_kit._typing import Matrix, Vector

__all__ = ["DEFENCES", "find_suspicious", "roni", "source_impact"]

#: The defences the poisoning experiment can apply.
DEFENCES = ("label_noise", "knn", "outlier", "provenance", "roni")


def _check_xy(X, y):
    n = len(X)
    values = np.asarray(y)
    if n != len(values):
        raise LifecycleKitError(f"X has {n} rows but y has {len(values)} labels")
    if n == 0:
        raise LifecycleKitError("X and y are empty")
    if len(pd.unique(values)) < 2:
        raise LifecycleKitError(f"y has a single class ({values[0]!r}); defences need at least two")
    return values


def _scaled(X):
    """Numeric matrix, standardised, for distance-based defences."""
    from sklearn.preprocessing import StandardScaler

    from lifecycle_kit.models import _to_float_frame, split_columns

    if isinstance(X, pd.DataFrame):
        numeric, categorical = split_columns(X)
        parts = []
        if numeric:
            values = _to_float_frame(X[numeric])
            medians = np.nanmedian(values, axis=0)
            values = np.where(np.isnan(values), medians, values)
            parts.append(values)
        if categorical:
            parts.append(pd.get_dummies(X[categorical].astype("string").fillna("<missing>")).to_numpy(dtype=float))
        matrix = np.hstack(parts)
    else:
        matrix = np.asarray(X, dtype=float)
    return StandardScaler().fit_transform(matrix)


def _knn(X, y, k=10):
    from sklearn.neighbors import NearestNeighbors

    Z = _scaled(X)
    k = min(k, len(y) - 1)
    _, idx = NearestNeighbors(n_neighbors=k + 1).fit(Z).kneighbors(Z)
    neighbours = y[idx[:, 1:]]
    agree = (neighbours == y[:, None]).mean(axis=1)
    return np.flatnonzero(agree < 0.5)


def _outliers(X, y, n_neighbors=20):
    from sklearn.neighbors import LocalOutlierFactor

    Z = _scaled(X)
    flagged = []
    for label in pd.unique(y):
        rows = np.flatnonzero(y == label)
        if len(rows) < 5:
            continue
        lof = LocalOutlierFactor(n_neighbors=min(n_neighbors, len(rows) - 1))
        flagged.extend(rows[lof.fit_predict(Z[rows]) == -1])
    return np.sort(np.asarray(flagged, dtype=int))


def source_impact(X: Matrix, y: Vector, sources: Vector, X_valid: Matrix, y_valid: Vector, *,
                  model: Any = None, threshold: float = 0.05, random_state: int = 0) -> pd.DataFrame:
    """Drop one source at a time, retrain, and score on a trusted validation set.

    The score is the validation log-loss (cross-entropy), which moves with
    every prediction's confidence; accuracy on a small validation set moves in
    coarse steps and often ties. Models without probabilities fall back to
    accuracy.

    Parameters
    ----------
    X, y : training data
    sources : array-like of str
        The source of every training row.
    X_valid, y_valid : a trusted validation set (collected and checked separately)
    model : str or classifier, default=None
        A recipe of :func:`lifecycle_kit.models.make_classifier` or an estimator.
    threshold : float, default=0.05
        A source is flagged when removing it improves the validation log-loss by more than
        this (nats); on clean sources the improvement stays within a few hundredths.

    Returns
    -------
    pandas.DataFrame
        ``source, rows, accuracy_without, loss_without, impact, flagged``; ``impact`` is
        how much the score improves without the source (positive = the source hurts).
    """
    from sklearn.base import clone
    from sklearn.metrics import log_loss

    from lifecycle_kit.models import accuracy, make_classifier

    values = _check_xy(X, y)
    sources = np.asarray(sources).astype(str)
    if len(sources) != len(values):
        raise LifecycleKitError(f"sources has {len(sources)} entries but y has {len(values)} labels")
    names = sorted(set(sources.tolist()))
    if len(names) < 2:
        raise LifecycleKitError("source_impact needs at least two sources")

    def fit(mask):
        subset = X[mask] if isinstance(X, pd.DataFrame) else np.asarray(X)[mask]
        estimator = make_classifier(subset, model=model or "logistic", random_state=random_state) \
            if model is None or isinstance(model, str) else clone(model)
        return estimator.fit(subset, values[mask])

    def scores(fitted):
        acc = accuracy(fitted, X_valid, y_valid)
        if not hasattr(fitted, "predict_proba"):
            return acc, np.nan
        proba = fitted.predict_proba(X_valid)
        return acc, log_loss(y_valid, proba, labels=fitted.classes_)

    base_accuracy, base_loss = scores(fit(np.ones(len(values), dtype=bool)))
    rows = []
    for name in names:
        keep = sources != name
        if len(pd.unique(values[keep])) < 2:
            continue
        acc, loss = scores(fit(keep))
        impact = base_loss - loss if np.isfinite(base_loss) else acc - base_accuracy
        rows.append({"source": name, "rows": int((~keep).sum()), "accuracy_without": acc, "loss_without": loss,
                     "impact": impact})
    table = pd.DataFrame(rows)
    table["flagged"] = table["impact"] > threshold
    table.attrs["accuracy_with_all"] = base_accuracy
    table.attrs["loss_with_all"] = base_loss
    return table.sort_values("impact", ascending=False, kind="stable").reset_index(drop=True)


def roni(X: Matrix, y: Vector, X_valid: Matrix, y_valid: Vector, *, batch_size: int = 10,
         tolerance: float = 0.01, rounds: int = 1, model: Any = None, random_state: int = 0) -> np.ndarray:
    """Reject On Negative Impact, batched: flag training batches whose addition lowers a trusted score.

    The trusted validation set is split in two: a small base training set and a
    quiz set. Candidate rows are shuffled into batches of ``batch_size``; each
    batch is added to the base set, and rows of batches that raise the quiz
    log-loss by more than ``tolerance`` (nats) are suspect. A clean row shares
    a batch with poisoned ones by bad luck; the batching is redrawn ``rounds``
    times and a row is flagged when most of its batches were rejected. That is
    ``rounds * n / batch_size`` fits: seconds rather than the minutes of one
    fit per row.
    """
    from sklearn.metrics import log_loss

    from lifecycle_kit.models import make_classifier

    values = _check_xy(X, y)
    batch_size = int(check_number("batch_size", batch_size, low=1, integer=True))
    rng = check_random_state(random_state)
    y_valid = np.asarray(y_valid)
    if len(X_valid) != len(y_valid) or len(y_valid) < 10:
        raise LifecycleKitError("roni needs a trusted validation set of at least 10 labelled rows")
    order = rng.permutation(len(y_valid))
    half = len(order) // 2
    take = (lambda data, idx: data.iloc[idx]) if isinstance(X_valid, pd.DataFrame) else (lambda data, idx: np.asarray(data)[idx])
    base_X, base_y = take(X_valid, order[:half]), y_valid[order[:half]]
    quiz_X, quiz_y = take(X_valid, order[half:]), y_valid[order[half:]]

    def score(extra_X=None, extra_y=None):
        if extra_X is None:
            train_X, train_y = base_X, base_y
        elif isinstance(base_X, pd.DataFrame):
            train_X, train_y = pd.concat([base_X, extra_X]), np.concatenate([base_y, extra_y])
        else:
            train_X, train_y = np.vstack([base_X, extra_X]), np.concatenate([base_y, extra_y])
        if len(pd.unique(train_y)) < 2:
            return np.nan
        estimator = make_classifier(train_X, model=model or "logistic", random_state=random_state)
        estimator.fit(train_X, train_y)
        return log_loss(quiz_y, estimator.predict_proba(quiz_X), labels=estimator.classes_)

    rounds = int(check_number("rounds", rounds, low=1, integer=True))
    baseline = score()
    rejected = np.zeros(len(values), dtype=int)
    for _ in range(rounds):
        positions = rng.permutation(len(values))
        for start in range(0, len(positions), batch_size):
            batch = np.sort(positions[start:start + batch_size])
            batch_X = X.iloc[batch] if isinstance(X, pd.DataFrame) else np.asarray(X)[batch]
            if score(batch_X, values[batch]) > baseline + tolerance:
                rejected[batch] += 1
    return np.flatnonzero(rejected * 2 > rounds)


def find_suspicious(X: Matrix, y: Vector, *, method: str = "label_noise", sources: Vector | None = None,
                    validation: tuple[Any, Any] | None = None, model: Any = None, random_state: int | None = None,
                    **options: Any) -> np.ndarray:
    """Positions of the training rows a defence considers poisoned.

    Parameters
    ----------
    X : array-like or DataFrame
    y : array-like
    method : {"label_noise", "knn", "outlier", "provenance", "roni"}, default="label_noise"
    sources : array-like, default=None
        Source of every row (``provenance``).
    validation : (X_valid, y_valid), default=None
        A trusted validation set (``provenance`` and ``roni``).
    model : str or classifier, default=None
    random_state : int, default=None
    **options
        Passed on: ``k`` (knn), ``n_neighbors`` (outlier), ``threshold`` (provenance),
        ``batch_size``, ``tolerance`` and ``rounds`` (roni), ``cv`` and ``filter`` (label_noise;
        ``filter`` takes the kit's rule names or cleanlab's ``filter_by`` names, and
        ``pred_probs`` gives out-of-fold probabilities already computed, as in cleanlab).

    Returns
    -------
    numpy.ndarray
        Sorted positions of the suspicious rows.

    Examples
    --------
    >>> from lifecycle_kit.datasets import load
    >>> from lifecycle_kit.poisoning import flip_labels
    >>> ds = load("breast_cancer")
    >>> y, flipped = flip_labels(ds.target, 0.1, random_state=0)
    >>> found = find_suspicious(ds.frame, y, method="label_noise", random_state=0)
    >>> bool(len(set(found) & set(flipped)) / len(flipped) >= 0.8)
    True
    """
    check_choice("method", method, DEFENCES)
    values = _check_xy(X, y)
    seed = 0 if random_state is None else random_state
    if method == "label_noise":
        from lifecycle_kit.quality.label_noise import CLEANLAB_FILTERS, find_label_issues

        rule = options.get("filter", options.get("filter_by", "disagreement"))
        issues = find_label_issues(X, values, model=None if isinstance(model, str) else model, cv=options.get("cv", 5),
                                   method=CLEANLAB_FILTERS.get(rule, rule), probabilities=options.get("pred_probs"),
                                   random_state=seed)
        return np.sort(issues.indices)
    if method == "knn":
        return _knn(X, values, k=options.get("k", 10))
    if method == "outlier":
        return _outliers(X, values, n_neighbors=options.get("n_neighbors", 20))
    if validation is None or len(validation) != 2:
        raise LifecycleKitError(f"method={method!r} needs validation=(X_valid, y_valid), a trusted validation set")
    X_valid, y_valid = validation
    if method == "provenance":
        if sources is None:
            raise LifecycleKitError("method='provenance' needs sources= (the source of every row)")
        table = source_impact(X, values, sources, X_valid, y_valid, model=model,
                              threshold=options.get("threshold", 0.05), random_state=seed)
        bad = table.loc[table["flagged"], "source"].tolist()
        return np.flatnonzero(np.isin(np.asarray(sources).astype(str), bad))
    return roni(X, values, X_valid, y_valid, batch_size=options.get("batch_size", 10),
                tolerance=options.get("tolerance", 0.01), rounds=options.get("rounds", 1), model=model,
                random_state=seed)
