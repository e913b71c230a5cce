"""What a role can infer about the fields its scope hides.

Hiding a column is not hiding its information: a role that reads the bill and
flipper measurements can tell the species it may not read, because the
measurements predict it. :func:`inference_risk` measures this per role and
hidden field — a model trained, by cross-validation, only on the columns and
rows the role's scope allows, scored against the score of a guess that uses
nothing (the most frequent value, or the mean). The gain over that baseline is
what the scope leaks.

Two ways of writing scopes are compared in the capstone: the "share everything
not explicitly barred" of the published platform (:func:`scope_except`) and
least privilege (a :class:`~lifecycle_kit.platform.Scope` listing only what the
role's purpose needs).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from lifecycle_kit.platform import Scope
>>> rng = np.random.default_rng(0)
>>> size = rng.normal(size=200)
>>> frame = pd.DataFrame({"size": size, "noise": rng.normal(size=200),
...                       "kind": np.where(size > 0, "large", "small")})
>>> risk = inference_risk(frame, {"open": scope_except(frame.columns, ["kind"]),
...                               "minimal": Scope(columns=["noise"])}, hidden=["kind"])
>>> risk[["role", "hidden", "access"]].values.tolist()
[['open', 'kind', 'inferred'], ['minimal', 'kind', 'inferred']]
>>> bool(risk["gain"].iloc[0] > 0.3), bool(risk["gain"].iloc[1] < 0.15)
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_number
from lifecycle_kit.display import vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_
from lifecycle_kit.models import split_columns
from lifecycle_kit.platform.access import Scope

vocabulary(headings={"hidden": N_("protected field"), "access": N_("access"), "visible": N_("visible columns"),
                     "score": N_("score"), "baseline": N_("guess without data"), "gain": N_("gain over the guess"),
                     "design": N_("design")},
           values={"access": {"reads it": N_("reads it"), "inferred": N_("inferred")},
                   "measure": {"accuracy": N_("share of correct guesses")}})

__all__ = ["compare_scope_designs", "inference_risk", "scope_except"]

#: Fewer labelled rows than this in a role's view: nothing is learned, the score is the baseline.
MIN_ROWS = 20


def scope_except(columns: Iterable[str], barred: str | Iterable[str], *,
                 rows: Mapping[str, Any] | None = None) -> Scope:
    """A scope of every column except the ``barred`` ones: "share everything not explicitly barred".

    >>> scope_except(["id", "island", "mass"], ["id"]).columns
    ('island', 'mass')
    """
    columns = list(columns)
    barred = [barred] if isinstance(barred, str) else list(barred)
    unknown = [c for c in barred if c not in columns]
    if unknown:
        raise LifecycleKitError(f"barred column(s) {', '.join(map(str, unknown))} are not among the columns")
    return Scope(columns=[c for c in columns if c not in barred], rows=rows)


def _is_categorical(values):
    return not pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype)


def _encode(X):
    """The visible columns as one float matrix: numbers as they are, categories as codes; missing stays NaN.

    The tree splits on missing values itself (scikit-learn >= 1.3), so nothing is imputed from the rows
    it will be tested on; category codes carry no label information.
    """
    from lifecycle_kit.quality._frames import as_numeric

    numeric, categories = split_columns(X)
    parts = [as_numeric(X[c]).replace([np.inf, -np.inf], np.nan).to_numpy(dtype=float) for c in numeric]
    for c in categories:
        codes = pd.Categorical(X[c].astype("string")).codes.astype(float)
        parts.append(np.where(codes < 0, np.nan, codes))
    return np.column_stack(parts)


def _model(categorical, random_state):
    """A small tree: nonlinear enough to find a proxy a straight line would miss, fast enough for a notebook."""
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    tree = DecisionTreeClassifier if categorical else DecisionTreeRegressor
    return tree(max_depth=6, min_samples_leaf=5, random_state=random_state)


def _cross_validated(X, y, categorical, folds, random_state):
    """(score, baseline, measure): accuracy vs the most frequent value, or R² vs the mean."""
    from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict

    model = _model(categorical, random_state)
    X = _encode(X)
    if categorical:
        y = y.astype(str).to_numpy()
        _, counts = np.unique(y, return_counts=True)
        baseline = float(counts.max() / len(y))
        if len(counts) < 2:
            return 1.0, baseline, "accuracy"
        if counts.min() >= folds:
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
        else:  # a value seen too rarely to stratify: plain folds
            splitter = KFold(n_splits=folds, shuffle=True, random_state=random_state)
        predicted = cross_val_predict(model, X, y, cv=splitter)
        return float(np.mean(predicted == y)), baseline, "accuracy"
    y = y.to_numpy(dtype=float)
    predicted = cross_val_predict(model, X, y, cv=KFold(n_splits=folds, shuffle=True, random_state=random_state))
    total = float(np.sum((y - y.mean()) ** 2))
    score = 1.0 - float(np.sum((y - predicted) ** 2)) / total if total else 0.0
    return score, 0.0, "R²"


def inference_risk(frame: pd.DataFrame, scopes: Mapping[str, Scope], hidden: str | Iterable[str], *, folds: int = 3,
                   random_state: int | None = 0) -> pd.DataFrame:
    """How well each role can predict each hidden field from the columns and rows it may read.

    Parameters
    ----------
    frame : pandas.DataFrame
        The platform's table.
    scopes : mapping of str -> Scope
        The roles' scopes (row limits are applied: a role learns only from rows it may read).
    hidden : str or list of str
        The fields to protect. A role whose scope includes one simply reads it (``access="reads it"``).
    folds : int, default=3
        Cross-validation folds: every prediction is made by a model that did not see that row. The model
        is a decision tree (depth 6), imputing missing numbers and coding categories.
    random_state : int or None, default=0

    Returns
    -------
    pandas.DataFrame
        One row per role and hidden field: ``role, hidden, access, rows, visible, measure, score, baseline,
        gain``. ``score`` is the cross-validated accuracy (categories) or R² (numbers) of a model trained
        on the role's visible columns; ``baseline`` is that of a guess without data (the most frequent
        value, or the mean: R² 0); ``gain = score - baseline`` is what the scope lets the role infer.
    """
    if not isinstance(frame, pd.DataFrame):
        raise LifecycleKitError(f"frame must be a pandas DataFrame; got {type(frame).__name__}")
    hidden = [hidden] if isinstance(hidden, str) else list(hidden)
    missing = [c for c in hidden if c not in frame.columns]
    if missing:
        raise LifecycleKitError(f"hidden field(s) {', '.join(map(str, missing))} are not columns of the table")
    folds = int(check_number("folds", folds, low=2, integer=True))
    rows, measured = [], {}  # roles with equal scopes see the same data: measured once
    for role, scope in dict(scopes).items():
        if not isinstance(scope, Scope):
            raise LifecycleKitError(f"the scope of role {role!r} must be a Scope; got {type(scope).__name__}")
        unknown = [c for c in [*scope.columns, *scope.rows] if c not in frame.columns]
        if unknown:
            raise LifecycleKitError(f"scope of role {role!r} names unknown column(s) {', '.join(map(str, unknown))}")
        mask = pd.Series(True, index=frame.index)
        for column, values in scope.rows.items():
            mask &= frame[column].isin(list(values))
        view = frame.loc[mask]
        for field in hidden:
            target = view[field]
            labelled = target.notna()
            categorical = _is_categorical(frame[field])
            row = {"role": role, "hidden": field, "rows": int(labelled.sum()), "visible": len(scope.columns),
                   "measure": "accuracy" if categorical else "R²"}
            if field in scope.columns:
                rows.append({**row, "access": "reads it", "score": 1.0, "baseline": np.nan, "gain": np.nan})
                continue
            X = view.loc[labelled, list(scope.columns)]
            y = target[labelled]
            # A column the role can read but that is (almost) empty on these rows tells it nothing.
            X = X.loc[:, X.notna().sum() >= MIN_ROWS]
            numeric, categories = split_columns(X)
            X = X[[c for c in X.columns if c in numeric or c in categories]]
            if len(y) < MIN_ROWS or not X.shape[1]:
                if categorical and len(y):
                    baseline = float(y.astype(str).value_counts(normalize=True).iloc[0])
                else:
                    baseline = 0.0 if not categorical else np.nan
                rows.append({**row, "access": "inferred", "score": baseline, "baseline": baseline, "gain": 0.0})
                continue
            if (scope, field) not in measured:
                measured[scope, field] = _cross_validated(X, y, categorical, folds, random_state)
            score, baseline, measure = measured[scope, field]
            rows.append({**row, "access": "inferred", "measure": measure, "score": score, "baseline": baseline,
                         "gain": score - baseline})
    columns = ["role", "hidden", "access", "rows", "visible", "measure", "score", "baseline", "gain"]
    return pd.DataFrame(rows, columns=columns)


def compare_scope_designs(frame: pd.DataFrame, designs: Mapping[str, Mapping[str, Scope]],
                          hidden: str | Iterable[str], *, folds: int = 3, random_state: int | None = 0) -> pd.DataFrame:
    """:func:`inference_risk` for several designs of the same roles' scopes, one table.

    Parameters
    ----------
    frame : pandas.DataFrame
    designs : dict of str -> dict of str -> Scope
        ``{design name: {role: scope}}``, for example the "share everything not explicitly barred" scopes
        and a least-privilege design.
    hidden, folds, random_state
        As for :func:`inference_risk`.

    Returns
    -------
    pandas.DataFrame
        :func:`inference_risk`'s columns and ``design``, the designs in the order given.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from lifecycle_kit.platform import Scope
    >>> rng = np.random.default_rng(0)
    >>> size = rng.normal(size=200)
    >>> frame = pd.DataFrame({"size": size, "noise": rng.normal(size=200), "kind": np.where(size > 0, "a", "b")})
    >>> table = compare_scope_designs(frame, {"open": {"r": scope_except(frame.columns, ["kind"])},
    ...                                       "minimal": {"r": Scope(columns=["noise"])}}, ["kind"])
    >>> table[["design", "role"]].values.tolist()
    [['open', 'r'], ['minimal', 'r']]
    >>> bool(table["gain"].iloc[0] > table["gain"].iloc[1])
    True
    """
    if not isinstance(designs, dict) or not designs:
        raise LifecycleKitError("designs must be a non-empty dict: {design name: {role: Scope}}")
    parts = []
    for name, scopes in designs.items():
        if not isinstance(scopes, dict):
            raise LifecycleKitError(f"design {name!r} must be a dict of role -> Scope; got {type(scopes).__name__}")
        parts.append(inference_risk(frame, scopes, hidden, folds=folds, random_state=random_state)
                     .assign(design=name))
    return pd.concat(parts, ignore_index=True)
