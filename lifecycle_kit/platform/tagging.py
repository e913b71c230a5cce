"""Tag records with a category scheme of editable rules; measure coverage and conflicts.

A rule is ``{"tag", "column", "op", "value"}`` (``op`` one of ``<, <=, >, >=, ==, !=,
in, missing``). Tags in one *exclusive* group must not both apply to a record;
when they do, the record is a conflict — a sign that the rules, or the data, need
attention. Coverage is the share of records with at least one tag.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"body_mass_g": [3000.0, 4000.0, 5000.0]})
>>> rules = [{"tag": "light", "column": "body_mass_g", "op": "<", "value": 3500},
...          {"tag": "heavy", "column": "body_mass_g", "op": ">=", "value": 4750}]
>>> result = apply_tags(frame, rules, exclusive=[{"light", "heavy"}])
>>> result.tags.tolist(), result.coverage, result.conflicts
([['light'], [], ['heavy']], 0.6666666666666666, 0)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lifecycle_kit.display import Lines, Table, View, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_

vocabulary(headings={"tag": N_("tag")})

__all__ = ["DEFAULT_EXCLUSIVE", "DEFAULT_RULES", "TagResult", "apply_tags"]

OPS = ("<", "<=", ">", ">=", "==", "!=", "in", "missing")

#: The example tagging rules: tag, column, operator, value.
DEFAULT_RULES: list[dict[str, Any]] = [
    {"tag": "light", "column": "body_mass_g", "op": "<", "value": 3500},
    {"tag": "heavy", "column": "body_mass_g", "op": ">=", "value": 4750},
    {"tag": "long bill", "column": "bill_length_mm", "op": ">=", "value": 48},
    {"tag": "short bill", "column": "bill_length_mm", "op": "<", "value": 38},
    {"tag": "isotopes measured", "column": "delta_15n", "op": "missing", "value": False},
    {"tag": "needs review", "column": "sex", "op": "missing", "value": True},
]
#: Tags that must not be given to the same record together.
DEFAULT_EXCLUSIVE = [{"light", "heavy"}, {"long bill", "short bill"}]


@dataclass
class TagResult:
    tags: pd.Series
    coverage: float
    conflicts: int
    counts: pd.Series
    conflict_rows: list[int]

    def to_frame(self) -> pd.DataFrame:
        """Records per tag: ``tag, records``."""
        return pd.DataFrame({"tag": self.counts.index, "records": self.counts.to_numpy()})

    def summary(self) -> Lines:
        return Lines([N_("Coverage {coverage:.1%}; records in conflict: {conflicts}.", coverage=self.coverage,
                         conflicts=self.conflicts)])

    def _repr_html_(self):
        return View(self.summary(), Table(self.to_frame()))._repr_html_()


def _mask(frame, rule):
    for key in ("tag", "column", "op", "value"):
        if key not in rule:
            raise LifecycleKitError(f"a tagging rule needs {key!r}: {rule}")
    if rule["op"] not in OPS:
        raise LifecycleKitError(f"rule {rule['tag']!r}: op must be one of {', '.join(OPS)}; got {rule['op']!r}")
    if rule["column"] not in frame.columns:
        raise LifecycleKitError(f"rule {rule['tag']!r}: column {rule['column']!r} is not in the table")
    column = frame[rule["column"]]
    op, value = rule["op"], rule["value"]
    if op == "missing":
        return column.isna() if value else column.notna()
    if op == "in":
        return column.isin(list(value))
    numeric = pd.to_numeric(column, errors="coerce") if isinstance(value, (int, float)) else column
    with np.errstate(invalid="ignore"):
        result = {"<": numeric < value, "<=": numeric <= value, ">": numeric > value, ">=": numeric >= value,
                  "==": numeric == value, "!=": numeric != value}[op]
    return result.fillna(False).astype(bool)


def apply_tags(frame: pd.DataFrame, rules: Iterable[Mapping[str, Any]] | None = None, *,
               exclusive: Iterable[Collection[str]] | None = None) -> TagResult:
    """Tag every record; count coverage, per-tag records and conflicts within exclusive groups.

    Parameters
    ----------
    frame : pandas.DataFrame
        The records.
    rules : iterable of mapping, default=None
        ``{"tag", "column", "op", "value"}`` each (see the module); :data:`DEFAULT_RULES` by default.
    exclusive : iterable of collections of str, default=None
        Groups of tags that must not apply together; :data:`DEFAULT_EXCLUSIVE` by default.
    """
    rules = DEFAULT_RULES if rules is None else rules
    exclusive = DEFAULT_EXCLUSIVE if exclusive is None else exclusive
    masks: dict[str, pd.Series] = {}
    for rule in rules:
        mask = _mask(frame, rule)
        masks[rule["tag"]] = masks[rule["tag"]] | mask if rule["tag"] in masks else mask
    names = list(masks)
    matrix = np.column_stack([masks[t].to_numpy() for t in names]) if names else np.zeros((len(frame), 0), bool)
    tags = pd.Series([[t for t, hit in zip(names, row) if hit] for row in matrix], index=frame.index, name="tags")
    conflict = np.zeros(len(frame), dtype=bool)
    for group in exclusive:
        present = [masks[t].to_numpy() for t in group if t in masks]
        if len(present) > 1:
            conflict |= np.sum(present, axis=0) > 1
    counts = pd.Series({t: int(masks[t].sum()) for t in names}, name="records")
    return TagResult(tags=tags, coverage=float(matrix.any(axis=1).mean()) if len(frame) else 0.0,
                     conflicts=int(conflict.sum()), counts=counts, conflict_rows=list(np.flatnonzero(conflict)))
