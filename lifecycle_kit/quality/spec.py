"""Data specifications: what the data must look like, inferred from a reference and then edited.

A :class:`DataSpec` is the business-requirements stage's written contract for
the data: per column its kind, value domain (range or allowed categories),
nullability, format, decimal resolution and reference distribution; for the
table its target, quasi-identifiers, cross-field rules, trusted sources,
timestamp window, and whether drift is possible (which arms monitoring later).
It round-trips through JSON, so it can be reviewed, versioned and signed.

Examples
--------
>>> import pandas as pd
>>> from lifecycle_kit.quality import infer_spec
>>> ref = pd.DataFrame({"age": [25, 38, 52, 61], "job": ["clerk", "chef", "clerk", "nurse"]})
>>> spec = infer_spec(ref)
>>> spec.columns["age"].min, spec.columns["age"].max, spec.columns["job"].allowed
(25.0, 61.0, ['chef', 'clerk', 'nurse'])
>>> batch = pd.DataFrame({"age": [30, 250], "job": ["pilot", "chef"]})
>>> [(v.column, v.rule, v.count) for v in spec.validate(batch)]
[('age', 'range', 1), ('job', 'category', 1)]
>>> DataSpec.from_json(spec.to_json()) == spec
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lifecycle_kit.display import Lines, Table, View, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _, message_frame
from lifecycle_kit.profiling import DISGUISED_MISSING_TOKENS
from lifecycle_kit.quality._frames import KINDS, as_numeric, check_frame, column_kind, missing_mask

if TYPE_CHECKING:
    import os

__all__ = ["ColumnSpec", "DataSpec", "Rule", "Violation", "check_pattern", "infer_spec", "missing_mask",
           "violations_table"]

# How a specification's table, its checks and its requirements read in a notebook (lifecycle_kit.display); the
# frames, the rule names and JSON keep the English.
KIND_LABELS = {"numeric": N_("numeric"), "integer": N_("integer"), "boolean": N_("boolean"),
               "categorical": N_("categorical"), "datetime": N_("datetime"), "text": N_("text")}
RULE_LABELS = {"missing": N_("missing values"), "type": N_("type"), "range": N_("range"),
               "implausible": N_("implausible value"), "category": N_("category"), "format": N_("format"),
               "missing_column": N_("missing column"), "unexpected_column": N_("unexpected column"),
               "rule": N_("cross-field rule")}
REQUIREMENT_LABELS = {"integrity": N_("integrity"), "availability": N_("availability"),
                      "confidentiality": N_("confidentiality")}
DEFAULT_REQUIREMENTS = {
    "integrity": N_("Every file is recorded in a signed manifest at acquisition and verified before each use."),
    "availability": N_("A verified copy can be restored within one working day."),
    "confidentiality": N_("Not required for this data; integrity and availability still are."),
}
vocabulary(headings={"kind": N_("kind"), "nullable": N_("nullable"), "min": N_("min"), "max": N_("max"),
                     "allowed": N_("allowed"), "pattern": N_("pattern"), "decimals": N_("decimals"),
                     "description": N_("description"), "requirement": N_("requirement"), "text": N_("text")},
           values={"kind": KIND_LABELS, "rule": RULE_LABELS, "requirement": REQUIREMENT_LABELS,
                   "text": {str(t): t for t in DEFAULT_REQUIREMENTS.values()}})

SPEC_FORMAT = "lifecycle-kit-spec/1"
QUANTILES = (0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0)
OPERATORS = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal, "==": np.equal,
             "!=": np.not_equal}


@dataclass
class ColumnSpec:
    """What one column must look like.

    Attributes
    ----------
    name : str
    kind : {"numeric", "integer", "boolean", "categorical", "datetime", "text"}
    nullable : bool
        Whether missing values (NaN, a missing token or a sentinel) are allowed.
    min, max : float or str or None
        Allowed range (numbers; ISO timestamps for datetime columns).
    allowed : list or None
        Allowed categories; ``None`` accepts any.
    pattern : str or None
        Regular expression every text value must match in full.
    decimals : int or None
        Required decimal resolution (values recorded to at least this many decimals).
    plausible_min, plausible_max : float or None
        Believable band, narrower than the allowed range (credibility).
    quantiles : dict
        Reference quantiles of a numeric column (``"0.5"`` -> median).
    frequencies : dict
        Reference share of each category.
    missing_tokens : list of str
        Text that means "unknown" in this column.
    sentinels : list of float
        Numbers that mean "unknown" in this column (e.g. -999).
    description, unit : str
        For people: what the column means, in which unit.
    """

    name: str
    kind: str = "numeric"
    nullable: bool = True
    min: object = None
    max: object = None
    allowed: list[Any] | None = None
    pattern: str | None = None
    decimals: int | None = None
    plausible_min: float | None = None
    plausible_max: float | None = None
    quantiles: dict[str, float] = field(default_factory=dict)
    frequencies: dict[Any, float] = field(default_factory=dict)
    missing_tokens: list[str] = field(default_factory=lambda: list(DISGUISED_MISSING_TOKENS))
    sentinels: list[float] = field(default_factory=list)
    description: str = ""
    unit: str = ""

    def __post_init__(self):
        where = f"column {self.name!r}"
        if self.kind not in KINDS:
            raise LifecycleKitError(f"{where}: kind must be one of {', '.join(KINDS)}; got {self.kind!r}")
        if not isinstance(self.nullable, (bool, np.bool_)):
            raise LifecycleKitError(f"{where}: nullable must be true or false; got {self.nullable!r}")
        for bound in ("min", "max"):
            value = getattr(self, bound)
            if value is None:
                continue
            if self.kind == "datetime":
                try:
                    pd.Timestamp(value)
                except (ValueError, TypeError):
                    raise LifecycleKitError(f"{where}: {bound} must be an ISO date or timestamp; got {value!r}") from None
            elif not _is_number(value):
                raise LifecycleKitError(f"{where}: {bound} must be a number; got {value!r}")
        for bound in ("plausible_min", "plausible_max"):
            value = getattr(self, bound)
            if value is not None and not _is_number(value):
                raise LifecycleKitError(f"{where}: {bound} must be a number; got {value!r}")
        if self.allowed is not None and not isinstance(self.allowed, (list, tuple)):
            raise LifecycleKitError(f"{where}: allowed must be a list of categories (or null); got {self.allowed!r}")
        if self.decimals is not None and (isinstance(self.decimals, bool) or not isinstance(self.decimals, (int, np.integer))
                                          or self.decimals < 0):
            raise LifecycleKitError(f"{where}: decimals must be a whole number >= 0; got {self.decimals!r}")
        for name in ("missing_tokens", "sentinels"):
            if not isinstance(getattr(self, name), (list, tuple)):
                raise LifecycleKitError(f"{where}: {name} must be a list; got {getattr(self, name)!r}")
        if not all(_is_number(v) for v in self.sentinels):
            raise LifecycleKitError(f"{where}: sentinels must be numbers; got {self.sentinels!r}")
        for name in ("quantiles", "frequencies"):
            if not isinstance(getattr(self, name), dict):
                raise LifecycleKitError(f"{where}: {name} must be an object; got {getattr(self, name)!r}")
        if self.pattern is not None:
            check_pattern(self.pattern, where=where)

    @property
    def is_numeric(self):
        return self.kind in ("numeric", "integer")


@dataclass
class Rule:
    """A cross-field rule: ``left op right`` must hold on every row (``right`` a column or a number).

    >>> Rule("temp_min", "<=", "temp_max").describe()
    'temp_min <= temp_max'
    """

    left: str
    op: str
    right: str | float
    name: str = ""

    def __post_init__(self):
        if not isinstance(self.left, str):
            raise LifecycleKitError(f"rule left side must be a column name; got {self.left!r}")
        if not isinstance(self.op, str) or self.op not in OPERATORS:
            raise LifecycleKitError(f"rule operator must be one of {', '.join(OPERATORS)}; got {self.op!r}")
        if not isinstance(self.right, str) and not _is_number(self.right):
            raise LifecycleKitError(f"rule {self.left} {self.op} ...: the right side must be a column name or a "
                                    f"number; got {self.right!r}")

    def describe(self) -> str:
        return self.name or f"{self.left} {self.op} {self.right}"

    def holds(self, df: pd.DataFrame) -> pd.Series:
        """Boolean Series: True where the rule holds or cannot be evaluated (a missing value)."""
        missing = [c for c in (self.left, self.right) if isinstance(c, str) and c not in df.columns]
        if missing:
            raise LifecycleKitError(f"rule {self.describe()!r} refers to missing column(s) {', '.join(missing)}")
        left = as_numeric(df[self.left])
        right = as_numeric(df[self.right]) if isinstance(self.right, str) else float(self.right)
        with np.errstate(invalid="ignore"):
            ok = pd.Series(OPERATORS[self.op](left, right), index=df.index)
        unknown = left.isna() | (right.isna() if isinstance(right, pd.Series) else False)
        return ok | unknown


@dataclass(frozen=True)
class Violation:
    """One broken expectation: where, which rule, how many values, a few examples."""

    column: str
    rule: str
    count: int
    examples: tuple[Any, ...] = ()
    message: str = ""

    def __str__(self):
        return f"{self.column}: {self.rule} ({self.count}) — {self.message}"


@dataclass
class DataSpec:
    """The data specification of a table.

    Attributes
    ----------
    columns : dict of str -> ColumnSpec
    target : str or None
    drift_possible : bool
        Whether the world behind the data may change; arms drift monitoring later.
    drift_notes : str
        On what drift depends (season, policy, sensor replacement...).
    quasi_identifiers : list of str
        Columns that together may single a person out (for k-anonymity).
    k_anonymity : int
        Smallest acceptable group size on the quasi-identifiers.
    required_levels : dict of str -> list
        Categories that must be present (representativeness).
    rules : list of Rule
        Cross-field rules.
    source_column : str or None
        Column naming each row's source; ``trusted_sources`` lists the trusted ones.
    timestamp_column : str or None
        Column of record times; ``valid_from`` / ``valid_to`` (ISO) bound currentness.
    balance_columns : list of str
        Categorical columns whose balance matters (e.g. a protected attribute).
    min_category_count : int
        A category seen fewer times than this is too rare to learn from (effectiveness).
    allow_extra_columns : bool
        Whether columns not in the spec are tolerated.
    requirements : dict
        Integrity, availability and confidentiality requirements, in words.
    """

    columns: dict[str, ColumnSpec] = field(default_factory=dict)
    target: str | None = None
    drift_possible: bool = True
    drift_notes: str = ""
    quasi_identifiers: list[str] = field(default_factory=list)
    k_anonymity: int = 5
    required_levels: dict[str, list[Any]] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    source_column: str | None = None
    trusted_sources: list[str] = field(default_factory=list)
    timestamp_column: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    balance_columns: list[str] = field(default_factory=list)
    min_category_count: int = 10
    allow_extra_columns: bool = False
    requirements: dict[str, str] = field(default_factory=lambda: {k: str(v) for k, v in DEFAULT_REQUIREMENTS.items()})

    def __post_init__(self):
        if not isinstance(self.columns, dict) or not all(isinstance(c, ColumnSpec) for c in self.columns.values()):
            raise LifecycleKitError("spec columns must map names to ColumnSpec objects")
        if not isinstance(self.rules, (list, tuple)) or not all(isinstance(r, Rule) for r in self.rules):
            raise LifecycleKitError(f"spec rules must be a list of Rule objects; got {self.rules!r}")
        for name in ("quasi_identifiers", "trusted_sources", "balance_columns"):
            if not isinstance(getattr(self, name), (list, tuple)):
                raise LifecycleKitError(f"spec {name} must be a list; got {getattr(self, name)!r}")
        for name in ("required_levels", "requirements"):
            if not isinstance(getattr(self, name), dict):
                raise LifecycleKitError(f"spec {name} must be an object; got {getattr(self, name)!r}")
        for name in ("k_anonymity", "min_category_count"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise LifecycleKitError(f"spec {name} must be a whole number >= 1; got {value!r}")

    # --- editing -------------------------------------------------------------------
    def column(self, name: str) -> ColumnSpec:
        try:
            return self.columns[name]
        except KeyError:
            raise LifecycleKitError(f"the spec has no column {name!r}; it has {', '.join(self.columns)}") from None

    def with_range(self, *, quantiles: tuple[float, float] = (0.0, 1.0), margin: float = 0.0) -> DataSpec:
        """A copy whose numeric ranges come from reference quantiles, widened or narrowed.

        Parameters
        ----------
        quantiles : (low, high), default=(0.0, 1.0)
            Reference quantiles bounding each range, from those stored in the
            spec (0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1). ``(0.05, 0.95)``
            gives a tight range that rejects 10% of good values.
        margin : float, default=0.0
            Widen (> 0) or narrow (< 0) the range on each side by this share of its width.
        """
        low_q, high_q = (str(float(q)) for q in quantiles)
        known = [str(q) for q in QUANTILES]
        if low_q not in known or high_q not in known or float(low_q) >= float(high_q):
            raise LifecycleKitError(f"quantiles must be two of {', '.join(known)} in increasing order; got {quantiles}")
        if not -0.5 < margin < 10:
            raise LifecycleKitError(f"margin must be in (-0.5, 10); got {margin}")
        columns = {}
        for name, col in self.columns.items():
            if col.is_numeric and low_q in col.quantiles and high_q in col.quantiles:
                low, high = col.quantiles[low_q], col.quantiles[high_q]
                width = high - low
                col = replace(col, min=low - margin * width, max=high + margin * width)
            columns[name] = col
        return replace(self, columns=columns)

    def with_margin(self, margin: float) -> DataSpec:
        """A copy whose numeric ranges are the reference [min, max] widened (> 0) or narrowed (< 0) by ``margin``."""
        return self.with_range(quantiles=(0.0, 1.0), margin=margin)

    def to_frame(self) -> pd.DataFrame:
        """One row per column: kind, nullable, range, allowed categories, format, resolution, description."""
        rows = []
        for c in self.columns.values():
            allowed = "" if c.allowed is None else ", ".join(map(str, c.allowed[:6])) + (" ..." if len(c.allowed) > 6 else "")
            rows.append({"column": c.name, "kind": c.kind, "nullable": c.nullable, "min": c.min, "max": c.max,
                         "allowed": allowed, "pattern": c.pattern or "", "decimals": c.decimals,
                         "description": c.description})
        return pd.DataFrame(rows)

    def requirements_table(self) -> Table:
        """The integrity, availability and confidentiality requirements as a table in the reader's language.

        The kit's default texts are said in the reader's language; texts you wrote are shown as you wrote them.
        """
        frame = pd.DataFrame({"requirement": list(self.requirements), "text": list(self.requirements.values())})
        return Table(frame)

    def _repr_html_(self):
        """The specification as a notebook shows it: what the table must satisfy, then one row per column."""
        from lifecycle_kit import _html
        from lifecycle_kit.i18n import _, ngettext, pgettext

        def names(values):
            return ", ".join(map(str, values))

        settings = []
        if self.target is not None:
            settings.append(_("target: {column}", column=self.target))
        if self.quasi_identifiers:
            settings.append(_("quasi-identifiers: {columns} (groups of at least {k} rows)",
                              columns=names(self.quasi_identifiers), k=self.k_anonymity))
        if self.rules:
            settings.append(_("cross-field rules: {rules}", rules="; ".join(r.describe() for r in self.rules)))
        if self.source_column is not None:
            settings.append(_("source column: {column}; trusted sources: {sources}", column=self.source_column,
                              sources=names(self.trusted_sources) or "—"))
        if self.timestamp_column is not None:
            settings.append(_("timestamps in {column}, valid from {start} to {end}", column=self.timestamp_column,
                              start=self.valid_from or "…", end=self.valid_to or "…"))
        if self.required_levels:
            settings.append(_("required categories: {levels}", levels="; ".join(
                f"{column}: {names(levels)}" for column, levels in self.required_levels.items())))
        if self.balance_columns:
            settings.append(_("balance watched in: {columns}", columns=names(self.balance_columns)))
        settings.append(_("drift possible: {notes}", notes=self.drift_notes or _("yes")) if self.drift_possible
                        else _("drift not expected"))
        settings.append(_("categories seen fewer than {n} times are too rare to learn from", n=self.min_category_count))
        settings.append(_("columns not in the specification are allowed") if self.allow_extra_columns
                        else _("columns not in the specification are violations"))
        requirement = {"integrity": pgettext("requirement", "integrity"),
                       "availability": pgettext("requirement", "availability"),
                       "confidentiality": pgettext("requirement", "confidentiality")}
        # A default requirement is said in the reader's language; one the user wrote, as written.
        settings.extend(f"{requirement.get(name, name)}: {_(text)}" for name, text in self.requirements.items())
        kinds = {"numeric": pgettext("column kind", "numeric"), "integer": pgettext("column kind", "integer"),
                 "boolean": pgettext("column kind", "boolean"), "categorical": pgettext("column kind", "categorical"),
                 "datetime": pgettext("column kind", "datetime"), "text": pgettext("column kind", "text")}
        frame = self.to_frame()
        if len(frame):
            frame["kind"] = [kinds.get(kind, kind) for kind in frame["kind"]]
        headers = {"column": pgettext("spec column", "column"), "kind": pgettext("spec column", "kind"),
                   "nullable": pgettext("spec column", "nullable"), "min": pgettext("spec column", "min"),
                   "max": pgettext("spec column", "max"), "allowed": pgettext("spec column", "allowed"),
                   "pattern": pgettext("spec column", "pattern"), "decimals": pgettext("spec column", "decimals"),
                   "description": pgettext("spec column", "description")}
        head = ngettext("Data specification of {n} column", "Data specification of {n} columns", len(self.columns))
        return (f"<p><b>{_html.esc(head)}</b></p>" + _html.items_html(settings)
                + _html.table_html(frame.rename(columns=headers), neutral=(headers["nullable"],)))

    # --- checking --------------------------------------------------------------------
    def _checks(self, df, table=None):
        """Yield (column, rule, boolean array of offending rows, values to quote, message) for every check.

        Plain columns (NumPy numbers and booleans, text as Python strings) are checked from the column facts of
        :mod:`~lifecycle_kit.quality._columns`: text by its distinct values, numbers as arrays, without a pandas
        call per check (on wide tables the calls, not the work, took the time). Others go through pandas.
        """
        from lifecycle_kit.quality._columns import Table, text_by_distinct, text_in_allowed, text_matches

        # ``table``: the column facts of ``df`` an assessment already holds, read with this spec's columns.
        table = Table(df, self.columns.get) if table is None else table
        for name, col in self.columns.items():
            if name not in df.columns:
                yield name, "missing_column", None, None, N_("column {name} is required but absent", name=repr(name))
                continue
            facts = table[name]
            series = facts.series
            missing = facts.missing
            present = ~missing
            if not col.nullable:
                yield name, "missing", missing, series, N_("missing values in a column that must be complete")
            if col.is_numeric:
                values = facts.numbers
                known = ~np.isnan(values)
                yield name, "type", present & ~known, series, N_("values that are not numbers in a {kind} column", kind=col.kind)
                if col.kind == "integer":
                    with np.errstate(invalid="ignore"):
                        fractional = present & known & np.isfinite(values) & (values % 1 != 0)
                    yield name, "type", fractional, series, N_("fractional values in an integer column")
                ok = present & known
                if col.min is not None or col.max is not None:
                    low = -np.inf if col.min is None else float(col.min)
                    high = np.inf if col.max is None else float(col.max)
                    yield name, "range", ok & ((values < low) | (values > high)), series, \
                        N_("values outside [{low}, {high}]", low=_fmt(col.min), high=_fmt(col.max))
                if col.plausible_min is not None or col.plausible_max is not None:
                    low = -np.inf if col.plausible_min is None else col.plausible_min
                    high = np.inf if col.plausible_max is None else col.plausible_max
                    yield name, "implausible", ok & ((values < low) | (values > high)), series, \
                        N_("values outside the plausible band [{low}, {high}]", low=_fmt(col.plausible_min),
                           high=_fmt(col.plausible_max))
            elif col.kind == "datetime":
                stamps = series if pd.api.types.is_datetime64_any_dtype(series) else pd.to_datetime(series, errors="coerce")
                unknown = stamps.isna().to_numpy(dtype=bool)
                yield name, "type", present & unknown, series, N_("values that are not dates")
                if col.min is not None or col.max is not None:
                    low = pd.Timestamp(col.min) if col.min is not None else pd.Timestamp.min
                    high = pd.Timestamp(col.max) if col.max is not None else pd.Timestamp.max
                    outside = ((stamps < low) | (stamps > high)).to_numpy(dtype=bool)
                    yield name, "range", present & ~unknown & outside, series, N_("dates outside [{low}, {high}]", low=str(col.min), high=str(col.max))
            elif col.allowed is not None or col.pattern is not None:
                if col.pattern is not None:
                    check_pattern(col.pattern, where=f"column {name!r}")  # it may have been set after creation
                if text_by_distinct(facts):
                    if col.allowed is not None:
                        yield name, "category", present & ~text_in_allowed(facts, col.allowed), series, \
                            N_("categories not in the allowed list")
                    if col.pattern is not None:
                        yield name, "format", present & ~text_matches(facts, col.pattern), series, \
                            N_("values not matching {pattern}", pattern=repr(col.pattern))
                    continue
                text = series.astype("string")
                if col.allowed is not None:
                    allowed = {str(a) for a in col.allowed}
                    unseen = present & ~text.isin(allowed).fillna(False).to_numpy(dtype=bool)
                    yield name, "category", unseen, series, N_("categories not in the allowed list")
                if col.pattern is not None:
                    matches = text.str.fullmatch(col.pattern).fillna(False).to_numpy(dtype=bool)
                    yield name, "format", present & ~matches, series, N_("values not matching {pattern}", pattern=repr(col.pattern))
        if not self.allow_extra_columns:
            for name in df.columns:
                if name not in self.columns and name != self.target:
                    yield str(name), "unexpected_column", None, None, N_("column {name} is not in the spec", name=repr(name))
        for rule in self.rules:
            if all(not isinstance(c, str) or c in df.columns for c in (rule.left, rule.right)):
                yield rule.left, "rule", ~rule.holds(df).to_numpy(dtype=bool), df[rule.left], \
                    N_("rule {rule} broken", rule=rule.describe())

    def validate(self, df: pd.DataFrame, *, max_examples: int = 5) -> list[Violation]:
        """Check a frame against the spec.

        Returns
        -------
        list of Violation
            One per (column, rule) that failed, with the number of offending
            values and up to ``max_examples`` examples as ``(row, value)``.
            A missing or unexpected column counts every row.
        """
        check_frame(df, allow_empty=True)
        return self._violations(df, max_examples=max_examples)

    def _violations(self, df, *, max_examples=5, table=None):
        """:meth:`validate` of a checked frame, reading the column facts in ``table`` when given."""
        from lifecycle_kit.quality._columns import collector_paused

        out = []
        with collector_paused():
            for column, rule, mask, values, message in self._checks(df, table):
                if mask is None:
                    out.append(Violation(column, rule, len(df), (), message))
                    continue
                count = int(mask.sum())
                if count:
                    idx = df.index[np.flatnonzero(mask)[:max_examples]]
                    out.append(Violation(column, rule, count, tuple((row, _plain(values.loc[row])) for row in idx),
                                         message))
        return out

    def flag_rows(self, df: pd.DataFrame) -> pd.Series:
        """Boolean Series: True for every row that breaks at least one row-level check.

        Structural problems (a missing or unexpected column) are not row-level
        and are reported only by :meth:`validate`.
        """
        check_frame(df, allow_empty=True)
        flagged = np.zeros(len(df), dtype=bool)
        for _name, _kind, mask, _series, _message in self._checks(df):
            if mask is not None:
                flagged |= mask
        return pd.Series(flagged, index=df.index)

    # --- serialisation ----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["columns"] = [asdict(c) for c in self.columns.values()]
        body["format"] = SPEC_FORMAT
        return body

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, sort_keys=False, default=_plain)

    def save(self, path: str | os.PathLike[str]) -> None:
        from lifecycle_kit._fs import replace_text

        replace_text(path, self.to_json() + "\n")  # a link at ``path`` is replaced, never written through

    @classmethod
    def from_dict(cls, body: Mapping[str, Any]) -> DataSpec:
        if not isinstance(body, dict):
            raise LifecycleKitError(f"a spec must be a JSON object; got {type(body).__name__}")
        body = dict(body)
        fmt = body.pop("format", SPEC_FORMAT)
        if fmt != SPEC_FORMAT:
            raise LifecycleKitError(f"spec format must be {SPEC_FORMAT!r}; got {fmt!r}")
        known = {f.name for f in fields(cls)}
        unknown = set(body) - known
        if unknown:
            raise LifecycleKitError(f"unknown spec field(s): {', '.join(sorted(unknown))}")
        columns = body.pop("columns", [])
        if not isinstance(columns, list):
            raise LifecycleKitError("spec 'columns' must be a list of column objects")
        col_known = {f.name for f in fields(ColumnSpec)}
        parsed = {}
        for item in columns:
            if not isinstance(item, dict) or "name" not in item:
                raise LifecycleKitError("each spec column needs at least a 'name'")
            extra = set(item) - col_known
            if extra:
                raise LifecycleKitError(f"column {item['name']!r}: unknown field(s) {', '.join(sorted(extra))}")
            parsed[item["name"]] = ColumnSpec(**item)
        raw_rules = body.pop("rules", [])
        if not isinstance(raw_rules, list):
            raise LifecycleKitError(f"spec 'rules' must be a list of rule objects; got {raw_rules!r}")
        rules = []
        for i, item in enumerate(raw_rules):
            if not isinstance(item, dict):
                raise LifecycleKitError(f"spec rule {i + 1} must be an object like "
                                        f'{{"left": "a", "op": "<=", "right": "b"}}; got {item!r}')
            missing = {"left", "op", "right"} - set(item)
            extra = set(item) - {f.name for f in fields(Rule)}
            if missing or extra:
                raise LifecycleKitError(f"spec rule {i + 1}: " + "; ".join(
                    ([f"missing {', '.join(sorted(missing))}"] if missing else [])
                    + ([f"unknown field(s) {', '.join(sorted(extra))}"] if extra else [])))
            rules.append(Rule(**item))
        return cls(columns=parsed, rules=rules, **body)

    @classmethod
    def from_json(cls, text: str | bytes) -> DataSpec:
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as err:
            raise LifecycleKitError(_("spec is not valid JSON: {reason}", reason=err)) from None
        except RecursionError:
            raise LifecycleKitError(_("spec is nested too deeply to be a data specification")) from None
        except TypeError as err:
            raise LifecycleKitError(_("spec has a field of the wrong type: {reason}", reason=err)) from None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> DataSpec:
        try:
            text = open(path, encoding="utf-8").read()
        except (OSError, UnicodeDecodeError) as err:
            raise LifecycleKitError(_("cannot read spec {path}: {reason}", path=path, reason=err)) from None
        return cls.from_json(text)


def violations_table(violations: Sequence[Violation]) -> View:
    """What :meth:`DataSpec.validate` found, as a reader sees it: how many kinds of violation, then one row each.

    >>> import pandas as pd
    >>> spec = infer_spec(pd.DataFrame({"age": [30, 40]}))
    >>> from lifecycle_kit.i18n import language
    >>> with language("ru"):
    ...     print(violations_table(spec.validate(pd.DataFrame({"age": [30, 400]}))))
    Видов нарушений: 1.
    <BLANKLINE>
    столбец  правило число  примеры             сообщение
        age диапазон     1 (1, 400) значения вне [30, 40]
    """
    lines = Lines([N_("Kinds of violation: {n}.", n=len(violations))])
    if not violations:
        return View(lines)
    frame = message_frame({"column": [v.column for v in violations], "rule": [v.rule for v in violations],
                          "count": [v.count for v in violations], "examples": [v.examples for v in violations],
                          "message": [v.message for v in violations]})
    return View(lines, Table(frame))


def _is_number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


# Unbounded repeats: *, +, {n,} (the parser stores "no upper bound" as MAXREPEAT).
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT")


def _nested_unbounded_repeat(parsed, inside=False):
    """True when an unbounded repeat contains another unbounded repeat (star height > 1)."""
    import re._constants as c

    for op, arg in parsed:
        name = str(op)
        if name in _REPEATS:
            low, high, body = arg
            unbounded = high == c.MAXREPEAT
            if unbounded and inside:
                return True
            if _nested_unbounded_repeat(body, inside or unbounded):
                return True
        elif name in ("ATOMIC_GROUP", "POSSESSIVE_REPEAT"):
            continue  # no backtracking into these, so nesting inside them is linear
        elif name == "SUBPATTERN":
            if _nested_unbounded_repeat(arg[-1], inside):
                return True
        elif name == "BRANCH":
            if any(_nested_unbounded_repeat(branch, inside) for branch in arg[1]):
                return True
        elif name in ("ASSERT", "ASSERT_NOT"):
            if _nested_unbounded_repeat(arg[1], inside):
                return True
        elif name == "GROUPREF_EXISTS":
            if any(_nested_unbounded_repeat(branch, inside) for branch in arg[1:] if branch):
                return True
    return False


def _uses_backreference(parsed):
    for op, arg in parsed:
        if str(op) == "GROUPREF":
            return True
        for part in arg if isinstance(arg, (tuple, list)) else ():
            children = part if isinstance(part, list) else [part]
            for child in children:
                if hasattr(child, "data") and _uses_backreference(child):
                    return True
    return False


def check_pattern(pattern, *, where="pattern"):
    r"""Refuse a user pattern that is not a regular expression or can backtrack catastrophically.

    Python's ``re`` backtracks: ``(a+)+$`` takes seconds on 25 characters and
    doubles with each one more, and a match cannot be interrupted. A nested
    unbounded quantifier (a ``*``, ``+`` or ``{n,}`` inside another) is the
    shape behind such patterns, and back-references make matching NP-hard, so
    both are refused before any value is matched; a format check never needs
    them (``[A-Z]{2}\d+`` style patterns pass). Possessive quantifiers and
    atomic groups do not backtrack and are allowed.

    >>> check_pattern(r"[A-Z]{2}-\d{4}")
    >>> check_pattern(r"(a+)+$")
    Traceback (most recent call last):
    ...
    lifecycle_kit.errors.LifecycleKitError: pattern '(a+)+$' nests one unbounded repeat inside another ...
    """
    import re._parser as parser

    if not isinstance(pattern, str):
        raise LifecycleKitError(f"{where}: pattern must be text (a regular expression); got {pattern!r}")
    try:
        parsed = parser.parse(pattern)
    except re.error as err:
        raise LifecycleKitError(f"{where}: pattern {pattern!r} is not a regular expression: {err}") from None
    prefix = "" if where == "pattern" else f"{where}: "
    if _nested_unbounded_repeat(parsed):
        raise LifecycleKitError(
            f"{prefix}pattern {pattern!r} nests one unbounded repeat inside another (like (a+)+), which can take "
            "hours to match a short value; write it without the nesting (e.g. a+ instead of (a+)+) or use a "
            "possessive quantifier (a++)")
    if _uses_backreference(parsed):
        raise LifecycleKitError(f"{prefix}pattern {pattern!r} uses a back-reference, which can make matching "
                                "exponentially slow; a format check does not need one")


def _fmt(value):
    return "-inf" if value is None else (f"{value:g}" if isinstance(value, (int, float)) else str(value))


def _plain(value):
    """JSON-friendly Python scalar."""
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _decimals(values, cap=6):
    """Observed resolution: the most decimals any value needs (at most ``cap``)."""
    values = values[np.isfinite(values)].to_numpy(dtype=float)
    if len(values) == 0:
        return None
    with np.errstate(all="ignore"):
        for d in range(cap + 1):
            if np.allclose(values, np.round(values, d), rtol=0, atol=10 ** -(cap + 2)):
                return d
    return cap


def _decimals_of_columns(columns, *, cells=1_000_000):
    """:func:`_decimals` of each of many arrays of finite floats; those of equal length side by side."""
    out = [None] * len(columns)
    by_length = {}
    for i, values in enumerate(columns):
        if len(values):
            by_length.setdefault(len(values), []).append(i)
    for length, group in by_length.items():
        step = max(1, cells // length)
        for start in range(0, len(group), step):
            chunk = group[start:start + step]
            decimals = _decimals_of_rows(np.vstack([columns[i] for i in chunk]).astype(float, copy=False))
            for i, d in zip(chunk, decimals.tolist()):
                out[i] = d
    return out


def _decimals_of_rows(block, cap=6):
    """:func:`_decimals` of each row of a 2-D block of finite floats (``np.allclose`` is ``isclose(...).all()``)."""
    out = np.full(block.shape[0], cap)
    undecided = np.ones(block.shape[0], dtype=bool)
    with np.errstate(all="ignore"):
        for d in range(cap + 1):
            rows = np.flatnonzero(undecided)
            if len(rows) == 0:
                break
            part = block[rows]
            close = np.isclose(part, np.round(part, d), rtol=0, atol=10 ** -(cap + 2)).all(axis=1)
            out[rows[close]] = d
            undecided[rows[close]] = False
    return out


_SHAPE = [(re.compile(r"\d+"), r"\d+"), (re.compile(r"[A-Za-z]+"), "[A-Za-z]+")]


def _shape(value):
    out, i = [], 0
    text = str(value)
    while i < len(text):
        for regex, token in _SHAPE:
            m = regex.match(text, i)
            if m:
                out.append(token)
                i = m.end()
                break
        else:
            out.append(re.escape(text[i]))
            i += 1
    return "".join(out)


def _infer_pattern(values):
    """A regular expression shared by almost all values, if they have a clear format (dates, codes)."""
    counts = values.astype(str).value_counts()
    if len(counts) > 5000:
        counts = counts.head(5000)
    # Shapes of distinct values only, weighted by how often each occurs.
    shapes = pd.Series(counts.to_numpy(), index=[_shape(v) for v in counts.index]).groupby(level=0).sum()
    top = shapes.idxmax()
    has_structure = r"\d" in top and top != r"\d+"
    if shapes.max() / shapes.sum() >= 0.99 and has_structure:
        return top
    return None


def infer_spec(df: pd.DataFrame, *, target: str | None = None, range_quantiles: tuple[float, float] = (0.0, 1.0),
               range_margin: float = 0.0, max_categories: int = 50, drift_possible: bool = True,
               tokens: Sequence[str] = DISGUISED_MISSING_TOKENS) -> DataSpec:
    """Infer a :class:`DataSpec` from reference data.

    Parameters
    ----------
    df : pandas.DataFrame
        The reference: data judged good for the task.
    target : str, default=None
        Name of the target column, if any (it is specified like the others).
    range_quantiles : (low, high), default=(0.0, 1.0)
        Reference quantiles that bound each numeric range (see :meth:`DataSpec.with_range`).
    range_margin : float, default=0.0
        Widen (> 0) or narrow (< 0) each numeric range by this share of its width.
    max_categories : int, default=50
        A text column with more distinct values is treated as free text (no allowed list).
    drift_possible : bool, default=True
        Recorded in the spec; monitoring is armed when true.
    tokens : tuple of str
        Text meaning "unknown"; counted as missing, not as categories.

    Returns
    -------
    DataSpec
    """
    return _infer_spec(df, target=target, range_quantiles=range_quantiles, range_margin=range_margin,
                       max_categories=max_categories, drift_possible=drift_possible, tokens=tokens)


def _infer_spec(df, *, target=None, range_quantiles=(0.0, 1.0), range_margin=0.0, max_categories=50,
                drift_possible=True, tokens=DISGUISED_MISSING_TOKENS, table=None):
    """:func:`infer_spec`, reading the column facts in ``table`` when given (an assessment shares them)."""
    from lifecycle_kit.quality._columns import collector_paused

    check_frame(df)
    if target is not None and target not in df.columns:
        raise LifecycleKitError(f"target column {target!r} not found in the reference")
    with collector_paused():
        columns = _infer_columns(df, tokens=tokens, max_categories=max_categories, table=table)
        spec = DataSpec(columns=columns, target=target, drift_possible=drift_possible)
        return spec.with_range(quantiles=range_quantiles, margin=range_margin)


def _infer_column(series, name, *, tokens, max_categories):
    """The :class:`ColumnSpec` of one column through pandas: the reference for :func:`_infer_columns`, and its
    path for columns of unusual dtypes (datetimes, nullable, categorical, Arrow, mixed objects)."""
    col = ColumnSpec(name=str(name), kind=column_kind(series), missing_tokens=list(tokens))
    missing = missing_mask(series, col)
    col.nullable = bool(missing.any())
    present = series[~missing]
    if col.kind in ("categorical", "text") and len(present):
        numbers = as_numeric(present)
        if numbers.notna().mean() >= 0.95 and present.nunique() > max_categories:
            col.kind = "numeric"  # numbers stored as text, e.g. because of a '?' in the file
    if col.is_numeric:
        values = as_numeric(present)
        values = values[np.isfinite(values)]
        if len(values):
            qs = values.quantile(list(QUANTILES))
            col.quantiles = {str(q): float(v) for q, v in zip(QUANTILES, qs)}
            col.decimals = _decimals(values)
    elif col.kind == "datetime":
        stamps = pd.to_datetime(present, errors="coerce").dropna()
        if len(stamps):
            col.min, col.max = stamps.min().isoformat(), stamps.max().isoformat()
    elif col.kind == "boolean":
        col.allowed = [True, False]
    else:
        counts = present.astype(str).value_counts()
        _set_categories(col, counts.index.tolist(), counts.to_numpy(), max_categories)
        if len(present) and col.allowed is None:
            col.pattern = _infer_pattern(present)
    return col


def _set_categories(col, labels, counts, max_categories):
    """Allowed categories and frequencies from ``value_counts`` of the present values as text (labels, counts)."""
    total = counts.sum()
    if 0 < len(counts) <= max_categories:
        col.allowed = sorted(labels)
        col.frequencies = {k: float(v) for k, v in zip(labels, (counts / total).tolist())}
    else:
        col.kind = "text" if col.kind == "text" or len(counts) > max_categories else col.kind
        shares = (counts[:max_categories] / max(total, 1)).tolist()
        col.frequencies = {k: float(v) for k, v in zip(labels[:max_categories], shares)}


def _infer_columns(df, *, tokens, max_categories, table=None):
    """Every column's :class:`ColumnSpec`, as :func:`_infer_column` gives it, from the column facts of
    :mod:`~lifecycle_kit.quality._columns`: plain numbers, booleans and text are read from NumPy arrays and
    factorised codes (pandas' per-call overhead, not the work, dominated wide tables), and the quantiles and
    decimal resolutions of numeric columns of equal length are computed side by side, a block at a time."""
    from types import SimpleNamespace

    from lifecycle_kit.quality._columns import Table

    if table is None:
        missing_spec = SimpleNamespace(missing_tokens=list(tokens), sentinels=[])
        table = Table(df, lambda name: missing_spec)
    columns, numeric = {}, []
    for name in df.columns:
        facts = table[name]
        if facts.storage == "other" or (facts.storage == "objects" and not facts.all_str):
            columns[str(name)] = _infer_column(df[name], name, tokens=tokens, max_categories=max_categories)
            continue
        col = ColumnSpec(name=str(name), kind=facts.kind, missing_tokens=list(tokens))
        missing = facts.missing
        n_missing = int(missing.sum())
        col.nullable = n_missing > 0
        if col.kind in ("categorical", "text") and n_missing < facts.length:
            present = ~missing
            numbers = facts.numbers[present]
            if (~np.isnan(numbers)).mean() >= 0.95 and len(np.unique(facts.factorized[0][present])) > max_categories:
                col.kind = "numeric"
        if col.is_numeric:
            values = facts.numbers if n_missing == 0 else facts.numbers[~missing]
            finite = np.isfinite(values)
            values = values if finite.all() else values[finite]
            if len(values):
                numeric.append((col, values))
        elif col.kind == "boolean":
            col.allowed = [True, False]
        else:
            _set_categories(col, *_text_value_counts(facts, missing), max_categories)
            if n_missing < facts.length and col.allowed is None:
                col.pattern = _infer_pattern(df[name][~missing])
        columns[str(name)] = col
    _set_quantiles_and_decimals(numeric)
    return columns


def _text_value_counts(facts, missing):
    """``series[~missing].astype(str).value_counts()`` of a column of plain strings, from its codes, as
    (labels, counts)."""
    codes, distinct = facts.factorized
    counts = np.bincount(codes[~missing], minlength=len(distinct)) if len(distinct) else np.zeros(0, dtype=np.int64)
    seen = np.flatnonzero(counts)
    # value_counts: largest count first, ties in order of first appearance (a stable sort of the codes).
    order = seen[np.argsort(-counts[seen], kind="stable")]
    return [distinct[i] for i in order.tolist()], counts[order]


def _set_quantiles_and_decimals(numeric, *, cells=1_000_000):
    """Reference quantiles (as ``Series.quantile``: ``np.quantile`` along rows) and decimals of many columns."""
    qs = np.asarray(QUANTILES, dtype=float)
    by_length = {}
    for col, values in numeric:
        by_length.setdefault(len(values), []).append((col, values))
    for length, group in by_length.items():
        step = max(1, cells // length)
        for start in range(0, len(group), step):
            chunk = group[start:start + step]
            block = np.vstack([values for _, values in chunk]).astype(float, copy=False)
            quantiles = np.quantile(block, qs, axis=1, method="linear")
            decimals = _decimals_of_rows(block)
            for j, (col, _values) in enumerate(chunk):
                col.quantiles = {str(q): float(v) for q, v in zip(QUANTILES, quantiles[:, j])}
                col.decimals = int(decimals[j])
