"""ISO/IEC 5259-2 quality measures, each a value in [0, 1] where 1 is best.

Measure identifiers (``Com-ML-1``: completeness, first measure) are the kit's
own labels, modelled on ISO/IEC 5259-2; the quality characteristic beside each
is the standard's (:data:`MEASURE_ID_NOTE` says so wherever measures are shown). Each measure
says what it computes in one line (:data:`MEASURES`), has a default threshold
the user can change, and is *not applicable* (skipped, with the reason) when
what it needs is missing — a target, a reference, or a requirement written in
the :class:`~lifecycle_kit.quality.DataSpec`.

The characteristics covered are 17 of the 24 of ISO/IEC 5259-2: accuracy,
completeness, consistency, credibility, currentness, precision, traceability,
understandability, efficiency, portability, identifiability, balance,
diversity, representativeness, similarity, relevance and effectiveness.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from lifecycle_kit.display import vocabulary
from lifecycle_kit.i18n import N_, _, format_value, pgettext
from lifecycle_kit.quality._columns import Table, text_by_distinct, text_in_allowed, text_matches, textual, utf8_sizes
from lifecycle_kit.quality._frames import as_numeric, is_textual
from lifecycle_kit.quality.spec import _decimals_of_columns, check_pattern, missing_mask

__all__ = ["MEASURES", "MEASURE_ID_NOTE", "Measure", "measure_label", "measure_table"]

#: The caption shown wherever measure ids are displayed.
MEASURE_ID_NOTE = N_("Measure ids such as Com-ML-1 are this kit's own labels, modelled on ISO/IEC 5259-2; "
                   "the characteristic beside each (completeness, accuracy, ...) is the standard's.")


def measure_label(measure_id, *, name=True):
    """``"Com-ML-1 value completeness (completeness)"``: the kit's id, its name and the standard's characteristic.

    >>> measure_label("Acc-ML-4", name=False)
    'Acc-ML-4 (accuracy)'
    """
    measure = MEASURES[measure_id]
    return f"{measure_id} {measure.name} ({measure.characteristic})" if name else \
        f"{measure_id} ({measure.characteristic})"


def _shown_label(measure_id):
    """:func:`measure_label` in the language in use, for a chart (names marked in lifecycle_kit/labs/_terms.py)."""
    measure = MEASURES[measure_id]
    name, characteristic = _(measure.name), pgettext("quality characteristic", measure.characteristic)
    return f"{measure_id} {name} ({characteristic})"


def _said_characteristic(name):
    return pgettext("quality characteristic", name)


def _said_measure(name):
    return _(name)


def _shown_names(frame):
    """A copy of a report's frame whose ``characteristic`` and ``measure`` read in the language in use.

    For display only: the frame that ``summary()`` and ``to_frame()`` return stays English, as code filters on it.
    """
    frame = frame.copy()
    if "characteristic" in frame.columns:
        frame["characteristic"] = [pgettext("quality characteristic", c) for c in frame["characteristic"]]
    if "measure" in frame.columns:
        frame["measure"] = [_(m) for m in frame["measure"]]
    return frame


@dataclass(frozen=True)
class Measure:
    measure_id: str
    characteristic: str
    name: str
    definition: str
    threshold: float
    needs: tuple[str, ...] = ()


class NotApplicable(Exception):
    """Raised by a measure that cannot be computed here; the message says why."""


class Context:
    """What every measure reads, with shared intermediate results computed once."""

    def __init__(self, features, target, spec, reference, random_state=0, sample_size=5000, estimate_label_noise=False,
                 reference_table=None):
        self.estimate_label_noise = estimate_label_noise
        self.df = features
        self.target = target
        self.spec = spec
        self.reference = reference
        self.random_state = random_state
        self.sample_size = sample_size
        self.table = Table(features, self.colspec)
        if reference_table is not None:
            self.reference_table = reference_table  # shared with the spec inferred from the reference

    def numeric(self, name):
        """A column as a float Series, parsed once per assessment (text columns are slow to parse; many measures ask)."""
        return pd.Series(self.table[name].numbers, index=self.df.index, name=name)

    def colspec(self, name):
        if self.spec is not None and name in self.spec.columns:
            return self.spec.columns[name]
        return None

    @cached_property
    def reference_table(self):
        return Table(self.reference, self.colspec)

    @cached_property
    def missing_array(self):
        """Boolean array (rows x features): True where a value is missing (NaN, token or sentinel)."""
        if len(self.df.columns) == 0:
            return np.zeros((len(self.df), 0), dtype=bool)
        return np.column_stack([self.table[c].missing for c in self.df.columns])

    @cached_property
    def missing_counts(self):
        """Missing values (NaN, token or sentinel) per feature, counted column by column: no rows x features
        array is made (on 5,000,000 x 15 it cost more than counting)."""
        return np.array([np.count_nonzero(self.table[c].missing) for c in self.df.columns], dtype=np.int64)

    @cached_property
    def isna_counts(self):
        """NaN (or None, NaT, NA) per feature, as ``df.isna().sum()``."""
        return np.array([np.count_nonzero(self.table[c].isna) for c in self.df.columns], dtype=np.int64)

    @cached_property
    def rows_with_missing(self):
        """How many rows have a missing value in any feature (columns without one are skipped)."""
        with_missing = [(c, n) for c, n in zip(self.df.columns, self.missing_counts) if n]
        if len(with_missing) <= 1:
            return int(with_missing[0][1]) if with_missing else 0
        with_missing = [c for c, _ in with_missing]
        rows = self.table[with_missing[0]].missing.copy()
        for c in with_missing[1:]:
            rows |= self.table[c].missing
        return int(np.count_nonzero(rows))

    @cached_property
    def missing(self):
        """Boolean frame: True where a feature value is missing (NaN, token or sentinel)."""
        return pd.DataFrame(self.missing_array, index=self.df.index, columns=self.df.columns)

    def missing_of(self, name):
        return self.table[name].missing

    @cached_property
    def kinds(self):
        out = {}
        for c in self.df.columns:
            spec = self.colspec(c)
            out[c] = spec.kind if spec is not None else self.table[c].kind
        return out

    @cached_property
    def numeric_columns(self):
        cols = [c for c, k in self.kinds.items() if k in ("numeric", "integer")]
        if self.spec is None:
            # Without a spec, a text column that is mostly numbers is a numeric column with type errors.
            chosen = set(cols)
            cols += [c for c in self.df.columns if c not in chosen and c in self.numeric_text]
        return cols

    @cached_property
    def numeric_text(self):
        """Text columns whose present values are at least 90% numbers."""
        out = set()
        for c in self.df.columns:
            facts = self.table[c]
            if not textual(facts):
                continue
            if facts.storage == "objects":
                codes, distinct = facts.factorized
                present = ~facts.missing
                # A cheap look at the distinct values first: most text columns are plainly not numbers.
                # The first 200 distinct present values, in order of first appearance (as ``present.unique()``).
                seen = np.zeros(len(distinct), dtype=bool)
                seen[codes[present]] = True
                head = np.flatnonzero(seen)[:200]
                parsed_head = facts.table.parsed(facts)[head]
                if len(head) == 0 or (~np.isnan(parsed_head)).mean() < 0.5:
                    continue
                if (~np.isnan(facts.numbers[present])).mean() >= 0.9:
                    out.add(c)
                continue
            present = self.df[c][~facts.missing]
            head = pd.Series(present.unique()[:200])
            if len(head) == 0 or as_numeric(head).notna().mean() < 0.5:
                continue
            if self.numeric(c)[~facts.missing].notna().mean() >= 0.9:
                out.add(c)
        return out

    @cached_property
    def categorical_columns(self):
        numeric = set(self.numeric_columns)
        return [c for c, k in self.kinds.items() if k in ("categorical", "boolean") and c not in numeric]

    @cached_property
    def numbers(self):
        return {c: self.numeric(c) for c in self.numeric_columns}

    def code_array(self, name):
        """A feature as integers (NaN its own code), or as itself when numeric or dates: hashing integers is fast."""
        series = self.table[name].series
        if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_datetime64_any_dtype(series.dtype):
            return series.to_numpy()
        return self.table[name].factorized[0]

    @cached_property
    def codes(self):
        """Every feature as integer codes (NaN its own code): hashing integers is far faster than hashing text."""
        return pd.DataFrame({c: self.code_array(c) for c in self.df.columns}, index=self.df.index)

    def near_signature_parts(self, tolerance):
        """Each feature as near-duplicate detection compares it: numbers rounded down to ``tolerance`` standard
        deviations, others as codes; as functions of a slice of rows (the rounded columns are never made whole)."""
        numeric = set(self.numeric_columns)
        parts = []
        for c in self.df.columns:
            if c in numeric:
                values = self.table[c].numbers
                finite = self.table[c].finite
                scale = _sample_std(finite) if len(finite) > 1 else 0.0
                if scale > 0:
                    parts.append(lambda start, stop, values=values, step=tolerance * scale:
                                 np.floor(values[start:stop] / step))
                    continue
                parts.append(values)
            else:
                parts.append(self.code_array(c))
        return parts

    def near_repeated(self, tolerance=0.01):
        """True for every row whose near-duplicate signature (:meth:`near_signature_parts`) equals another row's."""
        cache = self.__dict__.setdefault("_near_repeated", {})
        if tolerance not in cache:
            cache[tolerance] = repeated_mask(hash_rows(self.near_signature_parts(tolerance), n_rows=len(self.df))
                                             .to_numpy())
        return cache[tolerance]

    @cached_property
    def duplicate_candidates(self):
        """Positions of the rows that can equal another row: those in a group of near duplicates.

        Rows hashed once for both duplicate measures: the signature of near duplicates is a function of each
        value, so equal rows have equal signatures and every exact duplicate is among the near duplicates. Only
        those rows (on most tables a small share) are hashed again, exactly.
        """
        return np.flatnonzero(self.near_repeated())

    @cached_property
    def candidate_hash(self):
        """The exact hash of the features of each row of :attr:`duplicate_candidates` (equal rows, equal hashes)."""
        rows = self.duplicate_candidates
        if len(rows) == len(self.df):
            return hash_rows([self.code_array(c) for c in self.df.columns]).to_numpy()
        return hash_rows([lambda start, stop, values=self.code_array(c): values[rows[start:stop]]
                          for c in self.df.columns], n_rows=len(rows)).to_numpy()

    @cached_property
    def candidate_repeated(self):
        """For each row of :attr:`duplicate_candidates`: do its features equal another row's?"""
        return repeated_mask(self.candidate_hash)

    @cached_property
    def feature_repeated(self):
        """True for every row whose features equal another row's (each copy, the first included)."""
        repeated = np.zeros(len(self.df), dtype=bool)
        repeated[self.duplicate_candidates[self.candidate_repeated]] = True
        return repeated

    @cached_property
    def duplicate_rows(self):
        """How many rows repeat an earlier row, features and target (``duplicated().sum()`` of whole rows)."""
        hashes = self.candidate_hash
        if self.target is not None:
            target = self.target.iloc[self.duplicate_candidates]
            # Integers, booleans and text factorise as their objects do, without making a million objects first.
            direct = (isinstance(target.dtype, np.dtype) and target.dtype.kind in "iub") or (
                isinstance(target.dtype, pd.StringDtype) and target.dtype.storage == "python")
            hashes = hash_rows([hashes, pd.factorize(target if direct else target.astype(object))[0]]).to_numpy()
        return repeat_count(hashes)

    def sample_index(self, n=None):
        n = n or self.sample_size
        if len(self.df) <= n:
            return self.df.index
        rng = np.random.default_rng(self.random_state)
        return self.df.index[np.sort(rng.choice(len(self.df), size=n, replace=False))]

    @cached_property
    def is_classification(self):
        if self.target is None:
            return False
        y = self.target.dropna()
        if pd.api.types.is_float_dtype(y.dtype) and not np.allclose(y, np.round(y)):
            return False
        return y.nunique() <= max(20, int(0.05 * len(y))) and y.nunique() >= 2


# --- helpers -------------------------------------------------------------------------
def hash_rows(columns, *, n_rows=None, cells=1_000_000, block_rows=32_768):
    """One 64-bit hash per row from 1-D arrays, or from functions ``part(start, stop)`` that make a slice of one
    column on demand (equal rows, equal hashes).

    Rows are hashed a block of ``block_rows`` at a time, every column of the block before the next block: the
    slices and the hashing's intermediate arrays stay in the processor's cache, about 4 times faster on a long
    table than hashing whole columns one after the other, and a column that is made on demand (the rounded
    numbers of near-duplicate detection) never exists whole. Within a block, columns are read a batch of about
    ``cells`` values at a time, and arrays of numbers of one dtype are hashed in one call (``hash_array`` hashes
    each value on its own, so the hashes are those of separate calls), then combined column by column in order.
    ``n_rows`` is needed when the first column is a function.
    """
    columns = list(columns)
    if n_rows is None:
        n_rows = len(columns[0]) if columns else 0
    if not columns:
        return pd.Series(None)

    def combine(out, batch):
        hashes = [None] * len(batch)
        same_dtype = {}
        for i, values in enumerate(batch):
            if values.dtype.kind in "iufbmM":
                same_dtype.setdefault(values.dtype, []).append(i)
            else:
                hashes[i] = pd.util.hash_array(values)
        for positions in same_dtype.values():
            if len(positions) == 1:
                hashes[positions[0]] = pd.util.hash_array(batch[positions[0]])
                continue
            block = pd.util.hash_array(np.stack([batch[i] for i in positions]).ravel()).reshape(len(positions), -1)
            for j, i in enumerate(positions):
                hashes[i] = block[j]
        for h in hashes:
            if out is None:
                out = h.copy() if h.base is not None else h
            else:  # in place: ``out`` is this function's own array
                out *= np.uint64(1000003)
                out ^= h
        return out

    result = np.empty(n_rows, dtype=np.uint64)
    for start in range(0, n_rows, block_rows):
        stop = min(start + block_rows, n_rows)
        out, batch, size = None, [], 0
        for column in columns:
            batch.append(np.asarray(column(start, stop) if callable(column) else column[start:stop]))
            size += batch[-1].size
            if size >= cells:
                out = combine(out, batch)
                batch, size = [], 0
        result[start:stop] = combine(out, batch)
    return pd.Series(result)


def repeated_mask(hashes):
    """True for every value that occurs more than once, as ``pd.Series(hashes).duplicated(keep=False)``.

    A sort and a look-up of the repeated values: on 5,000,000 hashes about 5 times faster than pandas' hash
    table when few values repeat (the usual case), and no slower when many do.

    >>> repeated_mask(np.array([3, 1, 3, 2], dtype=np.uint64)).tolist()
    [True, False, True, False]
    """
    hashes = np.asarray(hashes)
    ordered = np.sort(hashes)
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return np.zeros(len(hashes), dtype=bool)
    repeated = np.unique(ordered[1:][same])
    if len(repeated) > len(hashes) // 8:
        return pd.Series(hashes).duplicated(keep=False).to_numpy()
    position = np.minimum(np.searchsorted(repeated, hashes), len(repeated) - 1)
    return repeated[position] == hashes


def repeat_count(hashes):
    """How many values repeat an earlier one, as ``pd.Series(hashes).duplicated().sum()``: the sorted values
    that equal their predecessor.

    >>> repeat_count(np.array([3, 1, 3, 3], dtype=np.uint64))
    2
    """
    ordered = np.sort(np.asarray(hashes))
    return int(np.count_nonzero(ordered[1:] == ordered[:-1]))


def _sample_std(values):
    """``pd.Series(values).std()`` of finite floats, by pandas' own formula (two passes, ddof=1)."""
    mean = values.sum(dtype=np.float64) / len(values)
    deviations = mean - values
    np.square(deviations, out=deviations)  # what ``** 2`` computes, without a second temporary column
    return float(np.sqrt(deviations.sum(dtype=np.float64) / (len(values) - 1)))


def _share(good, total):
    return 1.0 if total == 0 else float(good) / float(total)


def _entropy_ratio(counts):
    counts = np.asarray(counts, dtype=float)
    counts = counts[counts > 0]
    if len(counts) <= 1:
        return 0.0 if len(counts) == 1 else 1.0
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum() / np.log(len(p)))


def _reference_fences(ctx, column):
    if ctx.reference is not None and column in ctx.reference.columns:
        # As np.percentile(finite reference values, [25, 75]): the reference's numbers are parsed as as_numeric does.
        facts = ctx.reference_table[column]
        if facts.finite_count == 0:
            return None
        q1, q3 = facts.finite_quantiles([0.25, 0.75])
    else:
        if ctx.table[column].finite_count == 0:
            return None
        q1, q3 = ctx.table[column].finite_quantiles([0.25, 0.75])
    iqr = q3 - q1
    if iqr == 0:
        values = (ctx.reference_table if ctx.reference is not None and column in ctx.reference.columns
                  else ctx.table)[column].finite
        iqr = max(np.std(pd.Series(values)), abs(q3) * 1e-3, 1e-9)
    return q1 - 3 * iqr, q3 + 3 * iqr


def _figure(value, spec=""):
    """A number inside a list of columns, written as the language in use writes it ("0,492" in Russian)."""
    return format_value(value, spec)


def _needs_spec(ctx):
    if ctx.spec is None:
        raise NotApplicable(_("needs a data specification (pass spec= or reference=)"))


def _needs_target(ctx):
    if ctx.target is None:
        raise NotApplicable(_("needs a target (pass target=)"))


# --- accuracy ---------------------------------------------------------------------------
def syntactic_accuracy(ctx):
    bad = total = 0
    details = []
    for c in ctx.df.columns:
        missing = ctx.missing_of(c)
        n = len(missing) - int(missing.sum())
        total += n
        spec = ctx.colspec(c)
        if spec is not None:
            present = ~missing
            if spec.is_numeric:
                values = ctx.table[c].numbers
                known = ~np.isnan(values)
                errors = present & ~known
                if spec.kind == "integer":
                    errors |= present & known & np.isfinite(values) & (values % 1 != 0)
            elif spec.kind == "datetime":
                series = ctx.df[c]
                stamps = series if pd.api.types.is_datetime64_any_dtype(series) else pd.to_datetime(series, errors="coerce")
                errors = present & stamps.isna().to_numpy(dtype=bool)
            elif spec.allowed is not None and text_by_distinct(ctx.table[c]):
                errors = present & ~text_in_allowed(ctx.table[c], spec.allowed)
            elif spec.allowed is not None:
                errors = present & ~ctx.df[c].astype("string").isin([str(a) for a in spec.allowed]).fillna(False).to_numpy(dtype=bool)
            else:
                continue
            count = int(errors.sum())
        elif c in ctx.numeric_text:
            count = int((~missing & np.isnan(ctx.table[c].numbers)).sum())
        else:
            continue
        if count:
            bad += count
            details.append(f"{c}: {count}")
    detail = _("values of the wrong type or category: {columns}", columns=", ".join(details)) if details \
        else _("all values have the right type")
    return _share(total - bad, total), detail


def range_accuracy(ctx):
    _needs_spec(ctx)
    good = total = 0
    details = []
    for c in ctx.df.columns:
        spec = ctx.colspec(c)
        if spec is None or not spec.is_numeric or (spec.min is None and spec.max is None):
            continue
        values = ctx.table[c].numbers
        values = values[~np.isnan(values) & ~ctx.missing_of(c)]
        low = -np.inf if spec.min is None else float(spec.min)
        high = np.inf if spec.max is None else float(spec.max)
        inside = int(((values >= low) & (values <= high)).sum())
        total += len(values)
        good += inside
        if inside < len(values):
            details.append(_("{column}: {count} outside [{low:g}, {high:g}]", column=c, count=len(values) - inside,
                             low=low, high=high))
    if total == 0:
        raise NotApplicable(_("the spec sets no numeric ranges"))
    return _share(good, total), "; ".join(details) or _("all numbers inside their specified ranges")


def outlier_accuracy(ctx):
    good = total = 0
    details = []
    ctx.table.prefetch_quantiles([c for c in ctx.numeric_columns
                                  if ctx.reference is None or c not in ctx.reference.columns])
    if ctx.reference is not None:
        ctx.reference_table.prefetch_quantiles([c for c in ctx.numeric_columns if c in ctx.reference.columns])
    for c in ctx.numeric_columns:
        fences = _reference_fences(ctx, c)
        if fences is None:
            continue
        facts = ctx.table[c]
        values = facts.numbers
        # Counted in place, without copying the present values: NaN is never inside the fences, and a sentinel
        # marked missing is taken out of both counts.
        inside = (values >= fences[0]) & (values <= fences[1])
        missing = facts.missing
        if missing is facts.isna:
            counted = facts.length - int(np.count_nonzero(np.isnan(values)))
        else:
            inside &= ~missing
            counted = facts.length - int(np.count_nonzero(np.isnan(values) | missing))
        inside = int(np.count_nonzero(inside))
        total += counted
        good += inside
        if inside < counted:
            details.append(f"{c}: {counted - inside}")
    if total == 0:
        raise NotApplicable(_("no numeric columns"))
    # One whole sentence per basis: a translation declines "the reference" and "the data itself" differently.
    if ctx.reference is not None:
        detail = _("values beyond 3 IQR of the quartiles of reference: {columns}", columns=", ".join(details)) \
            if details else _("no values beyond 3 IQR of the quartiles of reference")
    else:
        detail = _("values beyond 3 IQR of the quartiles of the data itself: {columns}", columns=", ".join(details)) \
            if details else _("no values beyond 3 IQR of the quartiles of the data itself")
    return _share(good, total), detail


def label_accuracy(ctx, max_rows=3000):
    _needs_target(ctx)
    if not ctx.estimate_label_noise:
        raise NotApplicable(_("estimated only on request (estimate_label_noise=True): it costs a cross-validation"))
    if not ctx.is_classification:
        raise NotApplicable(_("the target is not a class label"))
    from lifecycle_kit.quality.label_noise import find_label_issues

    known = ~missing_mask(ctx.target)
    idx = ctx.df.index[known.to_numpy()]
    if len(idx) > max_rows:
        rng = np.random.default_rng(ctx.random_state)
        idx = idx[np.sort(rng.choice(len(idx), size=max_rows, replace=False))]
    y = ctx.target.loc[idx]
    if y.value_counts().min() < 5:
        raise NotApplicable(_("a class has fewer than 5 labelled rows"))
    issues = find_label_issues(ctx.df.loc[idx], y.to_numpy(), method="prune_by_noise_rate",
                               random_state=ctx.random_state)
    flagged = len(issues.indices)
    detail = _("{flagged:,} labels look wrong to a cross-validated model", flagged=flagged) if len(idx) == len(ctx.df) \
        else _("{flagged:,} labels look wrong to a cross-validated model (sample of {rows:,} rows)", flagged=flagged,
               rows=len(idx))
    return _share(len(idx) - flagged, len(idx)), detail


# --- completeness --------------------------------------------------------------------------
def value_completeness(ctx):
    per_column = pd.Series(ctx.missing_counts, index=ctx.df.columns)
    missing = int(per_column.sum())
    cells = ctx.df.shape[0] * ctx.df.shape[1]
    worst = per_column.sort_values(ascending=False)
    worst = worst[worst > 0].head(3)
    detail = _("{missing:,} of {cells:,} cells missing (most in {columns})", missing=missing, cells=cells,
               columns=", ".join(f"{c}: {_figure(n, ',')}" for c, n in worst.items())) if len(worst) \
        else _("{missing:,} of {cells:,} cells missing", missing=missing, cells=cells)
    return _share(cells - missing, cells), detail


def feature_completeness(ctx):
    shares = ctx.missing_counts / len(ctx.df) if len(ctx.df) else np.full(ctx.df.shape[1], np.nan)
    required = [] if ctx.spec is None else [c for c in ctx.spec.columns if c not in ctx.df.columns and c != ctx.spec.target]
    complete = int((shares < 0.05).sum())
    total = len(shares) + len(required)
    incomplete = [c for c, share in zip(ctx.df.columns, shares) if share >= 0.05] + [_("{column} (absent)", column=c) for c in required]
    return _share(complete, total), _("features with {share:.0%} or more missing: {columns}", share=0.05,
                                      columns=", ".join(map(str, incomplete))) \
        if incomplete else _("every feature has less than {share:.0%} missing", share=0.05)


def record_completeness(ctx):
    rows_missing = ctx.rows_with_missing
    return _share(len(ctx.df) - rows_missing, len(ctx.df)), _(
        "{missing:,} of {rows:,} rows have a missing value", missing=rows_missing, rows=len(ctx.df))


def label_completeness(ctx):
    _needs_target(ctx)
    missing = int(missing_mask(ctx.target).sum())
    return _share(len(ctx.target) - missing, len(ctx.target)), _("{missing:,} rows without a label", missing=missing)


# --- consistency ---------------------------------------------------------------------------
def duplicate_consistency(ctx):
    dups = ctx.duplicate_rows
    return _share(len(ctx.df) - dups, len(ctx.df)), _("{dups:,} exact duplicate rows beyond the first copy", dups=dups)


def label_consistency(ctx):
    _needs_target(ctx)
    hashes = ctx.candidate_hash
    repeated = ctx.candidate_repeated
    if not repeated.any():
        return 1.0, _("no rows share identical features")
    # Only rows whose features repeat can conflict: labels are compared as text on those rows alone.
    rows = ctx.duplicate_candidates[repeated]
    labels = pd.Series(ctx.target.to_numpy()[rows]).astype("string").fillna("<missing>")
    frame = pd.DataFrame({"h": hashes[repeated], "y": pd.factorize(labels)[0]})
    n_labels = frame.groupby("h")["y"].nunique()
    conflicting = n_labels[n_labels > 1].index
    rows = int(frame["h"].isin(conflicting).sum())
    return _share(len(ctx.df) - rows, len(ctx.df)), _(
        "{rows:,} rows in {groups:,} groups of identical features with different labels", rows=rows, groups=len(conflicting))


def format_consistency(ctx):
    _needs_spec(ctx)
    good = total = 0
    details = []
    for c in ctx.df.columns:
        spec = ctx.colspec(c)
        if spec is None or spec.pattern is None:
            continue
        check_pattern(spec.pattern, where=f"column {c!r}")
        if text_by_distinct(ctx.table[c]):
            present = ~ctx.missing_of(c)
            ok = int((present & text_matches(ctx.table[c], spec.pattern)).sum())
            total += int(present.sum())
            good += ok
            if ok < int(present.sum()):
                details.append(_("{column}: {count} not {pattern}", column=c, count=int(present.sum()) - ok,
                                 pattern=spec.pattern))
            continue
        present = ctx.df[c][~ctx.missing_of(c)].astype("string")
        ok = int(present.str.fullmatch(spec.pattern).fillna(False).sum())
        total += len(present)
        good += ok
        if ok < len(present):
            details.append(_("{column}: {count} not {pattern}", column=c, count=len(present) - ok, pattern=spec.pattern))
    if total == 0:
        raise NotApplicable(_("the spec declares no formats (patterns)"))
    return _share(good, total), "; ".join(details) or _("every value in its declared format")


def rule_consistency(ctx):
    _needs_spec(ctx)
    if not ctx.spec.rules:
        raise NotApplicable(_("the spec has no cross-field rules"))
    ok = pd.Series(True, index=ctx.df.index)
    details = []
    for rule in ctx.spec.rules:
        holds = rule.holds(ctx.df)
        if not holds.all():
            details.append(_("{rule}: {count} rows", rule=rule.describe(), count=int((~holds).sum())))
        ok &= holds
    return _share(int(ok.sum()), len(ok)), "; ".join(details) or _("all rules hold")


# --- credibility, currentness, precision, traceability ----------------------------------------
def plausibility(ctx):
    _needs_spec(ctx)
    columns = [c for c in ctx.df.columns if ctx.colspec(c) is not None
               and (ctx.colspec(c).plausible_min is not None or ctx.colspec(c).plausible_max is not None)]
    if not columns:
        raise NotApplicable(_("the spec sets no plausible bands"))
    ok = pd.Series(True, index=ctx.df.index)
    details = []
    for c in columns:
        spec = ctx.colspec(c)
        values = ctx.numeric(c)
        low = -np.inf if spec.plausible_min is None else spec.plausible_min
        high = np.inf if spec.plausible_max is None else spec.plausible_max
        bad = values.notna() & ((values < low) | (values > high))
        if bad.any():
            details.append(f"{c}: {int(bad.sum())}")
        ok &= ~bad
    return _share(int(ok.sum()), len(ok)), _("implausible values: {columns}", columns=", ".join(details)) if details \
        else _("all values plausible")


def _source(ctx):
    _needs_spec(ctx)
    column = ctx.spec.source_column
    if not column:
        raise NotApplicable(_("the spec names no source column"))
    if column not in ctx.df.columns:
        raise NotApplicable(_("source column {column} is not in the data", column=repr(column)))
    return ctx.df[column]


def trusted_sources(ctx):
    source = _source(ctx)
    if not ctx.spec.trusted_sources:
        raise NotApplicable(_("the spec lists no trusted sources"))
    trusted = source.astype("string").isin([str(s) for s in ctx.spec.trusted_sources]).fillna(False)
    untrusted = source[~trusted.astype(bool)].astype("string").value_counts()
    detail = _("rows from untrusted sources: {sources}", sources=", ".join(f"{k}: {v}" for k, v in untrusted.items())) \
        if len(untrusted) else _("every row comes from a trusted source")
    return float(trusted.mean()), detail


def traceability(ctx):
    source = _source(ctx)
    missing = missing_mask(source)
    return _share(int((~missing).sum()), len(source)), _("{count:,} rows with no recorded source", count=int(missing.sum()))


def currentness(ctx):
    _needs_spec(ctx)
    column = ctx.spec.timestamp_column
    if not column or column not in ctx.df.columns:
        raise NotApplicable(_("the spec names no timestamp column present in the data"))
    if ctx.spec.valid_from is None and ctx.spec.valid_to is None:
        raise NotApplicable(_("the spec sets no valid_from / valid_to window"))
    stamps = pd.to_datetime(ctx.df[column], errors="coerce")
    low = pd.Timestamp(ctx.spec.valid_from) if ctx.spec.valid_from else pd.Timestamp.min
    high = pd.Timestamp(ctx.spec.valid_to) if ctx.spec.valid_to else pd.Timestamp.max
    inside = stamps.notna() & (stamps >= low) & (stamps <= high)
    return float(inside.mean()), _(
        "{count:,} records outside {valid_from} .. {valid_to}", count=int((~inside).sum()), valid_from=ctx.spec.valid_from,
        valid_to=ctx.spec.valid_to)


def precision(ctx):
    _needs_spec(ctx)
    declared = [c for c in ctx.df.columns if ctx.colspec(c) is not None and ctx.colspec(c).is_numeric
                and ctx.colspec(c).decimals is not None]
    if not declared:
        raise NotApplicable(_("the spec declares no decimal resolution"))
    coarse = []
    observed_decimals = _decimals_of_columns([ctx.table[c].finite for c in declared])
    for c, observed in zip(declared, observed_decimals):
        if observed is not None and observed < ctx.colspec(c).decimals:
            coarse.append(_("{column} (recorded to {observed}, required {decimals} decimals)", column=c,
                             observed=observed, decimals=ctx.colspec(c).decimals))
    return _share(len(declared) - len(coarse), len(declared)), _("coarser than required: {columns}", columns="; ".join(coarse)) \
        if coarse else _("every column recorded at its required resolution")


# --- ML-specific characteristics ----------------------------------------------------------
def identifiability(ctx):
    _needs_spec(ctx)
    qi = [c for c in ctx.spec.quasi_identifiers if c in ctx.df.columns]
    if not qi:
        raise NotApplicable(_("the spec names no quasi-identifiers present in the data"))
    k = ctx.spec.k_anonymity
    groups = hash_rows([ctx.code_array(c) for c in qi])
    sizes = groups.map(groups.value_counts())
    risky = int((sizes < k).sum())
    unique = int((sizes == 1).sum())
    return _share(len(ctx.df) - risky, len(ctx.df)), (
        _("{risky:,} rows in groups smaller than k={k} on {columns}; {unique:,} rows unique", risky=risky, k=k,
          columns=", ".join(qi), unique=unique))


def label_balance(ctx):
    _needs_target(ctx)
    if not ctx.is_classification:
        raise NotApplicable(_("the target is not a class label"))
    counts = ctx.target.value_counts()
    return float(counts.min() / counts.max()), _("smallest class '{smallest}': {smallest_count:,}; largest '{largest}': {largest_count:,}",
                                                  smallest=counts.idxmin(), smallest_count=counts.min(),
                                                  largest=counts.idxmax(), largest_count=counts.max())


def category_balance(ctx):
    _needs_spec(ctx)
    columns = [c for c in ctx.spec.balance_columns if c in ctx.df.columns]
    if not columns:
        raise NotApplicable(_("the spec names no balance columns present in the data"))
    ratios, details = [], []
    for c in columns:
        counts = ctx.table[c].present_counts()
        ratio = float(counts.min() / counts.max()) if len(counts) > 1 else 0.0
        ratios.append(ratio)
        details.append(f"{c}: {_figure(ratio, '.3f')}")
    return float(np.mean(ratios)), _("smallest/largest category: {columns}", columns=", ".join(details))


def diversity(ctx):
    columns = ctx.categorical_columns
    if not columns:
        raise NotApplicable(_("no categorical columns"))
    ratios = {c: _entropy_ratio(ctx.table[c].present_counts()) for c in columns}
    low = sorted(ratios.items(), key=lambda kv: kv[1])[:3]
    return float(np.mean(list(ratios.values()))), _("least diverse: {columns}", columns=", ".join(
        f"{c}: {_figure(v, '.2f')}" for c, v in low))


def required_levels(ctx):
    _needs_spec(ctx)
    if not ctx.spec.required_levels:
        raise NotApplicable(_("the spec lists no required levels"))
    present = total = 0
    absent = []
    for c, levels in ctx.spec.required_levels.items():
        if c in ctx.df.columns:
            seen = set(ctx.df[c].astype("string").dropna())
        elif ctx.target is not None and getattr(ctx.target, "name", None) == c:
            # Required classes of the label (a spec may list them; the label is kept apart from the features).
            seen = set(pd.Series(ctx.target).astype("string").dropna())
        else:
            seen = set()
        for level in levels:
            total += 1
            if str(level) in seen:
                present += 1
            else:
                absent.append(f"{c}={level}")
    return _share(present, total), _("absent: {levels}", levels=", ".join(absent)) if absent \
        else _("every required level is present")


def _distribution_pair(ref, cur, numeric):
    if numeric:
        ref = as_numeric(ref)
        cur = as_numeric(cur)
        ref, cur = ref[np.isfinite(ref)], cur[np.isfinite(cur)]
        if ref.empty or cur.empty:
            return None
        return _decile_histograms(ref, cur)
    ref_counts = ref.astype("string").value_counts()
    cur_counts = cur.astype("string").value_counts()
    levels = ref_counts.index.union(cur_counts.index)
    return ref_counts.reindex(levels, fill_value=0).to_numpy(), cur_counts.reindex(levels, fill_value=0).to_numpy()


DECILES = np.linspace(0, 1, 11)


def _decile_histograms(ref, cur, deciles=None):
    """Counts of reference and current values in the reference's deciles (open-ended outer bins).

    ``deciles``: ``np.quantile(ref, DECILES)`` when already computed (from the column's one sort).
    """
    edges = np.unique(np.quantile(ref, DECILES) if deciles is None else deciles)
    if len(edges) < 2:
        edges = np.array([ref.min() - 0.5, ref.max() + 0.5])
    edges[0], edges[-1] = -np.inf, np.inf
    return _histogram(ref, edges), _histogram(cur, edges)


def _histogram(values, edges):
    """``np.histogram(values, edges)[0]`` as NumPy computes it for explicit edges (sort, then count between edges,
    the last bin closed), without its argument checks: called once per column on wide tables."""
    ordered = np.sort(values)
    return np.diff(np.concatenate((ordered.searchsorted(edges[:-1], "left"), ordered.searchsorted(edges[-1:], "right"))))


def _jensen_shannon_base2(p, q):
    """``scipy.spatial.distance.jensenshannon(p, q, base=2)``, the same operations without its per-call overhead."""
    from scipy.special import rel_entr

    p = np.asarray(p)
    q = np.asarray(q)
    p = p / np.sum(p, axis=0, keepdims=True)
    q = q / np.sum(q, axis=0, keepdims=True)
    m = (p + q) / 2.0
    js = np.sum(rel_entr(p, m), axis=0) + np.sum(rel_entr(q, m), axis=0)
    js /= np.log(2)
    return np.sqrt(js / 2.0)


def _text_counts(facts):
    """``series.astype("string").value_counts()`` as {text: count}, from the codes."""
    codes, distinct = facts.codes_any, facts.distinct_any
    counts = np.bincount(codes[codes >= 0], minlength=len(distinct))
    out = {}
    for value, count in zip(distinct, counts.tolist()):
        if count:
            key = value if isinstance(value, str) else str(value)
            out[key] = out.get(key, 0) + count
    return out


def _distribution_pair_of_facts(ref, cur, numeric):
    """:func:`_distribution_pair` from column facts (numbers parsed once, text counted from codes)."""
    if numeric:
        if ref.finite_count == 0 or cur.finite_count == 0:
            return None
        return _decile_histograms(ref.finite, cur.finite, ref.finite_quantiles(DECILES))
    if not (ref.text_exact and cur.text_exact):
        return _distribution_pair(ref.series, cur.series, numeric)
    ref_counts, cur_counts = _text_counts(ref), _text_counts(cur)
    levels = sorted(set(ref_counts) | set(cur_counts))
    return (np.array([ref_counts.get(k, 0) for k in levels], dtype=np.int64),
            np.array([cur_counts.get(k, 0) for k in levels], dtype=np.int64))


def js_representativeness(ctx):
    if ctx.reference is None:
        raise NotApplicable(_("needs a reference (pass reference=)"))
    distances = {}
    numeric = set(ctx.numeric_columns)
    reference = ctx.reference_table
    reference.prefetch_quantiles([c for c in ctx.numeric_columns if c in ctx.reference.columns
                                  and reference[c].storage in ("numeric", "bool", "objects")])
    for c in ctx.df.columns:
        if c not in ctx.reference.columns:
            continue
        if reference[c].storage in ("numeric", "bool", "objects") and ctx.table[c].storage in ("numeric", "bool", "objects"):
            pair = _distribution_pair_of_facts(reference[c], ctx.table[c], c in numeric)
        else:
            pair = _distribution_pair(ctx.reference[c], ctx.df[c], c in numeric)
        if pair is None or pair[0].sum() == 0 or pair[1].sum() == 0:
            continue
        distances[c] = float(_jensen_shannon_base2(pair[0], pair[1]))
    if not distances:
        raise NotApplicable(_("no columns shared with the reference"))
    far = sorted(distances.items(), key=lambda kv: -kv[1])[:3]
    return 1.0 - float(np.mean(list(distances.values()))), _("largest Jensen-Shannon distances: {columns}", columns=", ".join(
        f"{c}: {_figure(d, '.3f')}" for c, d in far))


def near_duplicates(ctx, tolerance=0.01):
    in_group = ctx.near_repeated(tolerance)  # the same signature found the candidates for exact duplicates
    exact = ctx.feature_repeated
    near = int((in_group & ~exact).sum())
    return _share(len(ctx.df) - near, len(ctx.df)), (
        _("{near:,} rows nearly identical to another row (numbers within {tolerance:g} standard deviations), "
          "not counting exact duplicates", near=near, tolerance=tolerance))


def relevance(ctx, min_mi=0.01):
    _needs_target(ctx)
    from lifecycle_kit.quality.information import bin_quantiles, binned, codes, mutual_information

    known = ~missing_mask(ctx.target).to_numpy()
    if known.sum() < 10:
        raise NotApplicable(_("fewer than 10 labelled rows"))
    everyone = bool(known.all())
    y = codes(pd.Series(ctx.target.to_numpy()[known]))
    numeric = set(ctx.numeric_columns)
    scores = {}
    for c in ctx.df.columns:
        if ctx.kinds[c] == "text" and c not in numeric:
            continue
        facts = ctx.table[c]
        if c in numeric and everyone:
            x = binned(facts.numbers, facts.finite_quantiles(bin_quantiles())) if facts.finite_count \
                else np.zeros(len(facts.numbers), dtype=np.int64)
        elif c in numeric:
            x = codes(pd.Series(facts.numbers[known]))
        elif everyone and facts.storage == "objects":
            # The column's own factorisation is what ``codes`` would compute again (missing: one code past the last).
            x = facts.factorized[0].astype(np.int64)
            x[x < 0] = x.max() + 1
        else:
            x = codes(pd.Series(ctx.df[c].to_numpy()[known]))
        scores[c] = mutual_information(x, y)
    if not scores:
        raise NotApplicable(_("no usable features"))
    weak = [c for c, v in scores.items() if v < min_mi]
    ctx.mutual_information = scores
    return _share(len(scores) - len(weak), len(scores)), (
        _("features with mutual information below {min_mi} nats: {columns}", min_mi=min_mi,
          columns=", ".join(map(str, weak)))) if weak \
        else _("every feature carries information about the target")


def effectiveness(ctx):
    min_count = ctx.spec.min_category_count if ctx.spec is not None else 10
    levels = rare = 0
    details = []
    for c in ctx.categorical_columns:
        counts = ctx.table[c].present_counts()
        levels += len(counts)
        few = int((counts < min_count).sum())
        rare += few
        if few:
            details.append(f"{c}: {few}")
    if levels == 0:
        raise NotApplicable(_("no categorical columns"))
    return _share(levels - rare, levels), _("categories seen fewer than {min_count} times: {columns}", min_count=min_count,
                                               columns=", ".join(details)) if details \
        else _("every category seen at least {min_count} times", min_count=min_count)


def understandability(ctx):
    _needs_spec(ctx)
    described = sum(1 for c in ctx.df.columns if ctx.colspec(c) is not None and ctx.colspec(c).description.strip())
    undescribed = [str(c) for c in ctx.df.columns if ctx.colspec(c) is None or not ctx.colspec(c).description.strip()]
    return _share(described, len(ctx.df.columns)), _("columns without a description: {columns}", columns=", ".join(undescribed[:8])
                                                       + (" ..." if len(undescribed) > 8 else "")) if undescribed \
        else _("every column is described")


def _smallest_signed_integer_bytes(values):
    """Bytes per value after ``pd.to_numeric(downcast="integer")``: the smallest signed type holding every value."""
    if len(values) == 0:
        return values.dtype.itemsize
    low, high = values.min(), values.max()
    for dtype in (np.int8, np.int16, np.int32, np.int64):
        size = np.dtype(dtype).itemsize
        if size > values.dtype.itemsize:
            break
        info = np.iinfo(dtype)
        if int(low) >= info.min and int(high) <= info.max:
            return size
    return values.dtype.itemsize


#: Bytes Arrow's string layout keeps per value besides its text: an int32 offset into the text buffer.
OFFSET_BYTES = 4


def _code_bytes(count):
    """Bytes of the smallest signed integer type that numbers ``count`` distinct values 0 .. count - 1.

    >>> _code_bytes(128), _code_bytes(129), _code_bytes(40_000)
    (1, 2, 4)
    """
    for size in (1, 2, 4):
        if count <= 1 << (8 * size - 1):
            return size
    return 8


def _text_bytes(facts):
    """The column in Arrow's string layout: each value's UTF-8 text plus an offset (missing values: no text)."""
    codes, _distinct = facts.factorized
    present = codes[codes >= 0]
    counts = np.bincount(present, minlength=len(facts.text_sizes)) if present.size else np.zeros(0, dtype=np.int64)
    return facts.length * OFFSET_BYTES + int((facts.text_sizes * counts).sum())


def _dictionary_bytes(facts):
    """The column as a dictionary (Arrow's dictionary type, pandas' category): a code per row, each text once."""
    distinct = len(facts.text_sizes)
    return facts.length * _code_bytes(distinct) + distinct * OFFSET_BYTES + int(facts.text_sizes.sum())


def _stored_bytes(facts):
    """Bytes of the column as stored, counted in a layout that does not depend on the Python interpreter.

    Numbers, booleans and dates take their type's width (``nbytes`` of the array: int64 is 8 bytes a value;
    pandas' nullable types add their 1-byte mask); text takes Arrow's string layout (:func:`_text_bytes`),
    not the size of Python's string objects, which changes between Python versions; a categorical column
    takes its codes and its categories (as text when they are text).
    """
    series = facts.series
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = series.cat.categories
        dictionary = len(categories) * OFFSET_BYTES + int(utf8_sizes(categories).sum()) \
            if is_textual(categories.to_series()) else int(categories.nbytes)
        return int(series.array.codes.nbytes) + dictionary
    if textual(facts):
        return _text_bytes(facts)
    return int(series.array.nbytes)


def _float32_lossless(columns):
    """Per float column: does float32 keep every value within a relative 1e-7 (NaN staying NaN)?

    As ``np.isclose(as float32, values, equal_nan=True, rtol=1e-7, atol=0).all()``, with the same comparisons.
    Short columns are checked side by side, a block at a time (one NumPy call instead of one per column); a long
    column a slice at a time, stopping at the first slice that float32 changes (full-precision floats fail in the
    first), and comparing within the tolerance only where float32 is not exact.
    """
    out = []
    step = max(1, 1_000_000 // max(1, len(columns[0]))) if columns else 1
    for start in range(0, len(columns), step):
        if step == 1:
            out.append(_float32_lossless_column(columns[start].astype(float, copy=False)))
            continue
        block = np.column_stack(columns[start:start + step]).astype(float)
        close = np.isclose(block.astype("float32").astype(float), block, equal_nan=True, rtol=1e-7, atol=0)
        out.extend(close.all(axis=0).tolist())
    return out


def _float32_lossless_column(values, *, chunk=1 << 18):
    for start in range(0, len(values), chunk):
        exact = values[start:start + chunk]
        rounded = exact.astype(np.float32).astype(float)
        close = rounded == exact
        if close.all():
            continue
        # np.isclose's own test: |a - b| <= atol + rtol * |b| where b is finite, or a == b, or both NaN.
        close |= (np.abs(rounded - exact) <= 1e-7 * np.abs(exact)) & np.isfinite(exact)
        close |= np.isnan(rounded) & np.isnan(exact)
        if not close.all():
            return False
    return True


def efficiency(ctx):
    """Efi-ML-1: bytes with compact types over bytes as stored (both by :func:`_stored_bytes`'s layout).

    Compact types: integers in the smallest signed type holding every value, floats in float32 where that
    keeps every value (relative 1e-7), text with fewer distinct values than half the rows as a dictionary
    (:func:`_dictionary_bytes`); every other column, and one already categorical, counts as it is stored.
    """
    stored = compact = 0
    floats = []
    for c in ctx.df.columns:
        facts = ctx.table[c]
        series = facts.series
        as_stored = _stored_bytes(facts)
        stored += as_stored
        if isinstance(series.dtype, pd.CategoricalDtype):
            compact += as_stored
        elif pd.api.types.is_integer_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
            if facts.storage == "numeric":
                compact += len(series) * _smallest_signed_integer_bytes(facts.values)
            else:
                compact += int(pd.to_numeric(series, downcast="integer").array.nbytes)
        elif pd.api.types.is_float_dtype(series.dtype):
            if facts.storage == "numeric":
                floats.append(facts)
                continue
            as32 = series.astype("float32")
            lossless = np.allclose(as32.to_numpy(dtype=float), series.to_numpy(dtype=float), equal_nan=True, rtol=1e-7, atol=0)
            compact += int(as32.array.nbytes) if lossless else as_stored
        elif textual(facts) and len(facts.factorized[1]) < 0.5 * max(len(series), 1):
            compact += _dictionary_bytes(facts)
        else:
            compact += as_stored
    for facts, lossless in zip(floats, _float32_lossless([f.values for f in floats])):
        compact += len(facts.values) * (4 if lossless else facts.values.dtype.itemsize)
    return min(1.0, compact / stored) if stored else 1.0, _(
        "{stored:.2f} MB as stored; {compact:.2f} MB with compact types", stored=stored / 1e6, compact=compact / 1e6)


def _csv_round_trip(frame):
    import io

    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    buffer.seek(0)
    return pd.read_csv(buffer, keep_default_na=False, na_values=[""])


def _csv_changed(sample):
    """Columns a CSV round trip changes. read_csv infers each column from that column's text alone, so a wide
    sample is written and read as two files, text columns (as one block of objects) and the others: the same
    columns come back, without pandas handling thousands of separate string blocks one by one."""
    text = [c for c, dtype in sample.dtypes.items() if _object_storage(dtype)]
    chosen = set(text)
    others = [c for c in sample.columns if c not in chosen]
    # A file of one column writes a row of missing values as an empty line, which read_csv skips: keep two or more.
    if not sample.columns.is_unique or len(text) < 2 or len(others) == 1 or len(sample.columns) < 200:
        return _changed_columns(sample, _csv_round_trip(sample))
    objects = pd.DataFrame(np.column_stack([sample[c].to_numpy(dtype=object) for c in text]), columns=text,
                           dtype=object)
    failing = _changed_columns(sample, _csv_round_trip(objects), columns=text, text_values=objects.to_numpy())
    if others:
        failing |= _changed_columns(sample, _csv_round_trip(sample[others]), columns=others)
    return failing


def portability(ctx, rows=2000):
    import io

    sample = ctx.df if len(ctx.df) <= rows else ctx.df.loc[ctx.sample_index(rows)]
    if ctx.target is not None:
        import warnings

        with warnings.catch_warnings():
            # Wide frames hold one block per text column; adding one more is fine and needs no advice.
            warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
            sample = sample.assign(__target__=ctx.target.loc[sample.index].to_numpy())
    sample = sample.reset_index(drop=True)
    sample.columns = [str(c) for c in sample.columns]
    failing = _csv_changed(sample)
    formats = ["CSV"]
    try:
        if _parquet_available():
            buffer = io.BytesIO()
            sample.to_parquet(buffer, index=False)
            buffer.seek(0)
            back = pd.read_parquet(buffer)
            formats.append("Parquet")
            failing |= _changed_columns(sample, back)
    except (ValueError, TypeError, ArithmeticError) as err:
        failing.add(f"(Parquet: {type(err).__name__})")
    names = sorted(c.replace("__target__", "target") for c in failing)
    detail = _("columns changed by a {formats} round trip: {columns}", formats="/".join(formats), columns=", ".join(names)) \
        if names else _("every column survives a {formats} round trip (sample of {rows:,} rows)",
                        formats="/".join(formats), rows=len(sample))
    if "Parquet" not in formats:
        # Said, not hidden: the value then covers CSV only, and may rise when pyarrow is installed.
        detail += "; " + _("Parquet not measured (pyarrow absent: install the 'parquet' extra)")
    return _share(len(sample.columns) - len([c for c in failing if c in sample.columns]), len(sample.columns)), detail


def _parquet_available():
    """Whether pyarrow (the ``parquet`` extra) is installed."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _changed_columns(sample, back, *, columns=None, text_values=None):
    """Names of the columns of ``sample`` whose values ``back`` does not hold (as :func:`_same_values` judges).

    Columns of numbers on both sides, and of text on both sides, are compared side by side in one NumPy call
    per group; any other pair goes through :func:`_same_values`.
    """
    if not sample.columns.is_unique or not back.columns.is_unique or len(sample) != len(back):
        return {c for c in (sample.columns if columns is None else columns)
                if not _same_values(sample[c], back[c] if c in back.columns else None)}
    failing, numbers, text, text_to_numbers = set(), [], [], []
    back_dtypes = back.dtypes.to_dict()
    sample_dtypes = sample.dtypes.to_dict()
    for c in (sample.columns if columns is None else columns):
        dtype = sample_dtypes[c]
        if c not in back_dtypes:
            failing.add(c)
        elif _plain_numbers(dtype) and _plain_numbers(back_dtypes[c]):
            numbers.append(c)
        elif _object_storage(dtype) and _object_storage(back_dtypes[c]):
            text.append(c)
        elif _object_storage(dtype) and _plain_numbers(back_dtypes[c]):
            text_to_numbers.append(c)
        elif not _same_values(sample[c], back[c]):
            failing.add(c)
    is_str = np.frompyfunc(lambda v: isinstance(v, str), 1, 1)
    for c in text_to_numbers:
        # Text read back as numbers: as _same_values, the present values compared as text (str of each number).
        a, b = sample[c].to_numpy(dtype=object), back[c].to_numpy()
        a_missing, b_missing = pd.isna(a), pd.isna(b)
        if not is_str(a[~a_missing]).astype(bool).all():
            same = _same_values(sample[c], back[c])
        else:
            same = bool((a_missing == b_missing).all()) and [str(v) for v in b[~b_missing].tolist()] == \
                a[~a_missing].tolist()
        if not same:
            failing.add(c)
    if numbers:
        # Plain numbers on both sides: one cast of each frame's columns (as each column's own cast), not one per column.
        a = sample[numbers].to_numpy(dtype=float)
        b = back[numbers].to_numpy(dtype=float)
        a_missing, b_missing = np.isnan(a), np.isnan(b)
        with np.errstate(all="ignore"):
            close = np.isclose(a, b, rtol=1e-12, atol=0, equal_nan=True)
        same = (a_missing == b_missing).all(axis=0) & (close | a_missing | b_missing).all(axis=0)
        failing.update(c for c, ok in zip(numbers, same) if not ok)
    if text:
        if text_values is not None and len(text) == text_values.shape[1]:
            a = text_values
        else:
            a = np.column_stack([sample[c].to_numpy(dtype=object) for c in text])
        b = np.column_stack([back[c].to_numpy(dtype=object) for c in text])
        a_missing, b_missing = pd.isna(a), pd.isna(b)
        # Present values all text on both sides: astype(str) would change nothing, so compare them as they are.
        plain = (is_str(a).astype(bool) | a_missing).all(axis=0) & (is_str(b).astype(bool) | b_missing).all(axis=0)
        # Missing cells are compared as None: pd.NA == x has no truth value (a nullable-boolean target has them).
        equal = (np.where(a_missing, None, a) == np.where(b_missing, None, b)) if a.size else \
            np.zeros(a.shape, dtype=bool)
        same = (a_missing == b_missing).all(axis=0) & (np.asarray(equal, dtype=bool) | a_missing | b_missing).all(axis=0)
        for j, c in enumerate(text):
            if not plain[j]:
                same[j] = _same_values(sample[c], back[c])
        failing.update(c for c, ok in zip(text, same) if not ok)
    return failing


def _plain_numbers(dtype):
    return isinstance(dtype, np.dtype) and dtype.kind in "iufb"


def _object_storage(dtype):
    return (isinstance(dtype, np.dtype) and dtype.kind == "O") or (
        isinstance(dtype, pd.StringDtype) and dtype.storage == "python")


def _same_values(a, b):
    if b is None or len(a) != len(b):
        return False
    a_missing, b_missing = a.isna().to_numpy(), b.isna().to_numpy()
    if not (a_missing == b_missing).all():
        return False
    a, b = a[~a_missing], b[~b_missing]
    if pd.api.types.is_numeric_dtype(a.dtype) and pd.api.types.is_numeric_dtype(b.dtype):
        return bool(np.allclose(a.to_numpy(dtype=float), b.to_numpy(dtype=float), rtol=1e-12, atol=0, equal_nan=True))
    if pd.api.types.is_datetime64_any_dtype(a.dtype):
        return bool((pd.to_datetime(b.to_numpy(), errors="coerce") == a.to_numpy()).all())
    return bool((a.astype(str).to_numpy() == b.astype(str).to_numpy()).all())


_DEFINITIONS = [
    ("Acc-ML-1", "accuracy", "syntactic accuracy", "share of present values of the right type (and allowed category)", 0.99, syntactic_accuracy),
    ("Acc-ML-2", "accuracy", "range accuracy", "share of numbers inside the specified range", 0.99, range_accuracy),
    ("Acc-ML-3", "accuracy", "outlier-free values", "share of numbers within 3 IQR of the (reference) quartiles", 0.99, outlier_accuracy),
    ("Acc-ML-4", "accuracy", "label accuracy (estimated)", "share of labels a cross-validated model does not confidently contradict (confident learning)", 0.95, label_accuracy),
    ("Com-ML-1", "completeness", "value completeness", "share of cells not missing (NaN, '?'-style tokens, sentinels)", 0.95, value_completeness),
    ("Com-ML-2", "completeness", "feature completeness", "share of features with less than 5% missing values", 0.9, feature_completeness),
    ("Com-ML-3", "completeness", "record completeness", "share of rows with no missing feature value", 0.95, record_completeness),
    ("Com-ML-4", "completeness", "label completeness", "share of rows with a label", 0.99, label_completeness),
    ("Con-ML-1", "consistency", "duplicate-free records", "share of rows that are not exact duplicates of an earlier row", 0.99, duplicate_consistency),
    ("Con-ML-2", "consistency", "label consistency", "share of rows not in a group of identical features with different labels", 0.99, label_consistency),
    ("Con-ML-3", "consistency", "format consistency", "share of values matching their declared format", 0.99, format_consistency),
    ("Con-ML-4", "consistency", "cross-field consistency", "share of rows satisfying every cross-field rule", 0.99, rule_consistency),
    ("Cre-ML-1", "credibility", "plausibility", "share of rows with every value inside its plausible band", 0.99, plausibility),
    ("Cre-ML-2", "credibility", "trusted sources", "share of rows from a trusted source", 0.95, trusted_sources),
    ("Cur-ML-1", "currentness", "records in the valid window", "share of timestamps inside the specified window", 0.95, currentness),
    ("Pre-ML-1", "precision", "decimal resolution", "share of numeric columns recorded at their required resolution", 1.0, precision),
    ("Tra-ML-1", "traceability", "recorded source", "share of rows whose source is recorded", 0.99, traceability),
    ("Und-ML-1", "understandability", "described columns", "share of columns with a description in the spec", 0.8, understandability),
    ("Efi-ML-1", "efficiency", "compact storage", "bytes with compact types over bytes as stored, in Arrow's layout: numbers at their type's width, text as UTF-8 plus a 4-byte offset (1 = already compact)", 0.25, efficiency),
    ("Por-ML-1", "portability", "round-trip fidelity", "share of columns unchanged by a CSV (and Parquet) round trip", 1.0, portability),
    ("Idn-ML-1", "identifiability", "k-anonymity", "share of rows in groups of at least k on the quasi-identifiers", 0.9, identifiability),
    ("Bal-ML-1", "balance", "label balance", "smallest class count over largest class count", 0.2, label_balance),
    ("Bal-ML-2", "balance", "category balance", "smallest over largest category count, mean over balance columns", 0.1, category_balance),
    ("Div-ML-1", "diversity", "category diversity", "normalised entropy of categorical features, mean over columns", 0.3, diversity),
    ("Rep-ML-1", "representativeness", "required levels present", "share of required categories present", 1.0, required_levels),
    ("Rep-ML-2", "representativeness", "closeness to reference", "1 - mean Jensen-Shannon distance (base 2) to the reference", 0.9, js_representativeness),
    ("Sim-ML-1", "similarity", "near-duplicate-free rows", "share of rows without a near-identical twin (not counting exact duplicates)", 0.95, near_duplicates),
    ("Rel-ML-1", "relevance", "informative features", "share of features with mutual information >= 0.01 nats with the target", 0.7, relevance),
    ("Eff-ML-1", "effectiveness", "learnable categories", "share of categories seen at least min_category_count times", 0.8, effectiveness),
]

#: Every measure, in report order: id -> Measure.
MEASURES = {m[0]: Measure(*m[:5]) for m in _DEFINITIONS}

# A report's frame shown in a notebook (lifecycle_kit.display) says its characteristics and measures like its charts.
vocabulary(values={"characteristic": _said_characteristic, "measure": _said_measure, "definition": _said_measure})
FUNCTIONS = {m[0]: m[5] for m in _DEFINITIONS}


def measure_table() -> pd.DataFrame:
    """The catalogue of measures as a DataFrame (id, characteristic, name, definition, default threshold).

    >>> t = measure_table()
    >>> t["characteristic"].nunique() >= 15
    True
    """
    return pd.DataFrame([{"measure_id": m.measure_id, "characteristic": m.characteristic, "measure": m.name,
                          "definition": m.definition, "threshold": m.threshold} for m in MEASURES.values()])
