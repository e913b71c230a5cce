"""Inject known defects into a table and log exactly what was done.

Every measure can then be checked against the truth: the log says which
cells became missing, which numbers were pushed out of range, which labels
were flipped, which rows were duplicated.

Examples
--------
>>> import pandas as pd
>>> from lifecycle_kit.quality.defects import inject_defects
>>> df = pd.DataFrame({"x": range(10), "y": [0, 1] * 5})
>>> damaged, log = inject_defects(df, missing=0.2, duplicates=0.1, target="y", random_state=0)
>>> log.counts
{'missing': 2, 'outliers': 0, 'type_errors': 0, 'unseen_categories': 0, 'label_noise': 0, 'duplicates': 1}
>>> int(damaged["x"].isna().sum()), len(damaged)
(2, 11)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_fraction, check_random_state
from lifecycle_kit.display import Lines
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _
from lifecycle_kit.quality._frames import as_numeric, check_frame, is_textual

__all__ = ["DEFECT_KINDS", "DefectLog", "inject_defects"]

#: The defects :func:`inject_defects` can inject.
DEFECT_KINDS = ("missing", "outliers", "type_errors", "unseen_categories", "label_noise", "duplicates")
#: The kinds as a reader reads them.
DEFECT_LABELS = {"missing": N_("missing values"), "outliers": N_("values out of range"),
                 "type_errors": N_("text in numeric columns"), "unseen_categories": N_("new categories"),
                 "label_noise": N_("wrong labels"), "duplicates": N_("duplicate rows")}
UNSEEN = "zz_unseen"


@dataclass
class DefectLog:
    """What :func:`inject_defects` did.

    Attributes
    ----------
    entries : pandas.DataFrame
        One row per change: ``kind, row, column, original, new`` (for a
        duplicate, ``column`` is empty and ``original`` is the copied row).
    """

    entries: pd.DataFrame

    @property
    def counts(self):
        return {k: int((self.entries["kind"] == k).sum()) for k in DEFECT_KINDS}

    def rows(self, kind: str) -> pd.Index:
        """Row labels touched by one kind of defect."""
        if kind not in DEFECT_KINDS:
            raise LifecycleKitError(_("kind must be one of {allowed}; got {value}", allowed=", ".join(DEFECT_KINDS),
                                      value=repr(kind)))
        return pd.Index(self.entries.loc[self.entries["kind"] == kind, "row"].unique())

    def cells(self, kind: str) -> list[tuple[Any, str]]:
        part = self.entries[self.entries["kind"] == kind]
        return list(zip(part["row"], part["column"]))

    def to_frame(self) -> pd.DataFrame:
        return self.entries.copy()

    def summary(self) -> Lines:
        """How many changes of each kind were made, in the reader's language."""
        return Lines([N_("Defects injected: {kind} — {n}.", kind=DEFECT_LABELS[k], n=n)
                      for k, n in self.counts.items() if n])

    def _repr_html_(self):
        return self.summary()._repr_html_()


def _feature_columns(df, target, columns):
    if columns is None:
        return [c for c in df.columns if c != target]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise LifecycleKitError(_("columns {missing} are not in the frame", missing=missing))
    return [c for c in columns if c != target]


def _pick_cells(rng, eligible, rate):
    """``round(rate * eligible.sum())`` distinct cells from a boolean (rows x columns) mask, as (row, col) arrays."""
    if rate == 0:
        return np.empty(0, dtype=int), np.empty(0, dtype=int)
    rows, cols = np.nonzero(eligible)
    n = int(round(rate * len(rows)))
    chosen = np.sort(rng.choice(len(rows), size=n, replace=False)) if n else np.empty(0, dtype=int)
    return rows[chosen], cols[chosen]


def inject_defects(df: pd.DataFrame, *, missing: float = 0.0, outliers: float = 0.0, type_errors: float = 0.0,
                   unseen_categories: float = 0.0, label_noise: float = 0.0, duplicates: float = 0.0,
                   target: str | None = None, columns: Sequence[str] | None = None,
                   random_state: int | np.random.Generator | None = None) -> tuple[pd.DataFrame, DefectLog]:
    """Damage a copy of ``df`` with known defects.

    Rates are shares of the eligible cells (or rows), and exactly
    ``round(rate * eligible)`` are damaged; a cell is damaged at most once.

    Parameters
    ----------
    df : pandas.DataFrame
    missing : float, default=0.0
        Share of present feature cells set to NaN.
    outliers : float, default=0.0
        Share of numeric feature cells pushed 20 interquartile ranges beyond the quartiles.
    type_errors : float, default=0.0
        Share of numeric feature cells rewritten as text that is not a number (``"~38"``).
    unseen_categories : float, default=0.0
        Share of categorical feature cells replaced by a category never seen before.
    label_noise : float, default=0.0
        Share of labelled rows whose label is changed to another class (needs ``target``).
    duplicates : float, default=0.0
        Rows, as a share of the original row count, copied and appended (after the other defects).
    target : str, default=None
        The label column (never counted as a feature).
    columns : list of str, default=None
        Feature columns eligible for damage (all but the target by default).
    random_state : int or numpy Generator, default=None

    Returns
    -------
    damaged : pandas.DataFrame
    log : DefectLog
    """
    check_frame(df)
    if not df.index.is_unique:
        raise LifecycleKitError("df must have a unique index so every damaged row can be named")
    rates = {"missing": missing, "outliers": outliers, "type_errors": type_errors,
             "unseen_categories": unseen_categories, "label_noise": label_noise, "duplicates": duplicates}
    for name, rate in rates.items():
        check_fraction(name, rate, allow_one=name != "duplicates")
    if target is not None and target not in df.columns:
        raise LifecycleKitError(_("target column {target} not found", target=repr(target)))
    if label_noise and target is None:
        raise LifecycleKitError(_("label_noise needs target= (the label column)"))
    rng = check_random_state(random_state)
    out = df.copy()
    features = _feature_columns(df, target, columns)
    numeric = [c for c in features if pd.api.types.is_numeric_dtype(df[c].dtype) and not pd.api.types.is_bool_dtype(df[c].dtype)]
    categorical = [c for c in features if is_textual(df[c]) and c not in numeric]
    labels = df.index.to_numpy()
    position = {c: j for j, c in enumerate(features)}
    present = np.column_stack([df[c].notna().to_numpy() for c in features]) if features else np.zeros((len(df), 0), bool)
    used = np.zeros_like(present)
    entries = []

    def eligible(cols):
        mask = np.zeros_like(present)
        for c in cols:
            mask[:, position[c]] = present[:, position[c]]
        return mask & ~used

    def apply(kind, rows, cols, make_new):
        """Write new values column by column (vectorised) and log every changed cell."""
        for j in np.unique(cols):
            c = features[j]
            at = rows[cols == j]
            original = df[c].to_numpy()[at]
            new = make_new(c, original)
            column = out[c].to_numpy(copy=True)
            if kind in ("type_errors", "unseen_categories"):
                column = column.astype(object)
            elif kind == "missing" and column.dtype.kind in "iu":
                column = column.astype(float)
            elif kind == "missing" and column.dtype.kind not in "fcO":
                column = column.astype(object)
            elif kind == "outliers" and column.dtype.kind == "i" and not np.all(np.mod(new, 1) == 0):
                column = column.astype(float)
            column[at] = new
            out[c] = column
            used[at, j] = True
            entries.extend(zip([kind] * len(at), labels[at], [c] * len(at), original, new))

    def outlier_values(c, original):
        values = as_numeric(df[c]).dropna()
        q1, q3 = np.percentile(values, [25, 75])
        spread = (q3 - q1) or (values.std() or 1.0)
        high = rng.random(len(original)) < 0.5
        new = np.where(high, q3 + 20 * spread, q1 - 20 * spread)
        return np.round(new) if pd.api.types.is_integer_dtype(df[c].dtype) else new

    # Numeric damage first, on clean cells, then categories, then missing values; each cell at most once.
    apply("outliers", *_pick_cells(rng, eligible(numeric), outliers), outlier_values)
    apply("type_errors", *_pick_cells(rng, eligible(numeric), type_errors),
          lambda c, original: np.array([f"~{v:g}" if isinstance(v, (int, float, np.number)) else f"~{v}" for v in original],
                                       dtype=object))
    apply("unseen_categories", *_pick_cells(rng, eligible(categorical), unseen_categories),
          lambda c, original: np.array([f"{UNSEEN}_{c}"] * len(original), dtype=object))
    apply("missing", *_pick_cells(rng, eligible(features), missing), lambda c, original: np.full(len(original), np.nan))
    if label_noise:
        y = df[target]
        known = np.flatnonzero(y.notna().to_numpy())
        classes = pd.unique(y.dropna())
        if len(classes) < 2:
            raise LifecycleKitError(_("label_noise needs at least two classes in {target}; found {n}", target=repr(target),
                                      n=len(classes)))
        n = int(round(label_noise * len(known)))
        column = out[target].to_numpy(copy=True)
        for i in sorted(rng.choice(known, size=n, replace=False)):
            others = [k for k in classes if k != y.iat[i]]
            new = others[rng.integers(len(others))]
            entries.append(("label_noise", labels[i], target, y.iat[i], new))
            column[i] = new
        out[target] = column
    n_dup = int(round(duplicates * len(df)))
    if n_dup:
        source = sorted(rng.choice(len(df), size=n_dup, replace=n_dup > len(df)))
        copies = out.iloc[source].copy()
        if pd.api.types.is_integer_dtype(df.index.dtype):
            new_labels = list(range(int(df.index.max()) + 1, int(df.index.max()) + 1 + n_dup))
        else:
            new_labels = [f"{labels[i]}#dup{k}" for k, i in enumerate(source)]
        labels = list(labels)
        copies.index = pd.Index(new_labels, name=df.index.name)
        for label, i in zip(new_labels, source):
            entries.append(("duplicates", label, "", labels[i], "copy"))
        out = pd.concat([out, copies])
    log = DefectLog(pd.DataFrame(entries, columns=["kind", "row", "column", "original", "new"]))
    return out, log
