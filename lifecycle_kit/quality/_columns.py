"""What the quality measures read of each column, computed once per assessment on plain NumPy arrays.

``assess`` asks the same few questions of every column (which values are
missing, what kind it is, its values as numbers, how often each category
occurs, how many bytes its text takes). Asked through pandas one column at a time,
the per-call overhead dominates on wide tables (50,000 columns x 5 rows) and
re-hashing the same text dominates on long ones (1,000,000 rows). Here each
text column is factorised once (integer codes + distinct values) and every
answer is derived from the codes; distinct values of all text columns are
parsed as numbers in one batch. Each answer equals what the pandas expression
it replaces gives (``tests/test_quality_pins.py`` pins the resulting values);
columns of unusual dtypes (nullable, categorical, Arrow) take the pandas path.
"""

import gc
import re
from contextlib import contextmanager

import numpy as np
import pandas as pd

from lifecycle_kit.profiling import DISGUISED_MISSING_TOKENS
from lifecycle_kit.quality._frames import as_numeric, column_kind, is_textual, missing_mask

# Kinds of storage with a fast path: plain NumPy numbers and booleans, and Python objects (object dtype or
# pandas' python-backed strings, both an ndarray of objects underneath).
_NUMERIC, _BOOL, _OBJECTS, _OTHER = "numeric", "bool", "objects", "other"

# Quantiles of a numeric column that several measures ask for: quartiles (outliers) and the 16 relevance bins.
SHARED_QUANTILES = np.unique(np.r_[0.25, 0.75, np.linspace(0, 1, 17)[1:-1]])


def storage(series):
    dtype = series.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind in "iuf":
            return _NUMERIC
        if dtype.kind == "b":
            return _BOOL
        if dtype.kind == "O":
            return _OBJECTS
        return _OTHER
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "python":
        return _OBJECTS
    return _OTHER


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector for a pass over every column, restoring its state afterwards.

    A pass over a wide table allocates a few small objects per column (a Series, its facts, a spec); each time the
    collector runs it walks every live object, so on 50,000 columns it took 40% of spec validation. Reference
    counting still frees everything that is not in a cycle; cycles wait for the next collection after the pass.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class ColumnFacts:
    """One column's codes, missing mask, numbers and counts (each computed on first use)."""

    def __init__(self, series, colspec, table):
        self.series = series
        self.colspec = colspec
        self.table = table
        self.storage = storage(series)
        self.length = len(series)
        self._cache = {}

    def _get(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    @property
    def values(self):
        """The column as an ndarray (objects for text; missing text is NaN or None)."""
        # Python-backed strings keep their objects in ``_ndarray``: read in place, without a copy.
        return self._get("values", lambda: getattr(self.series.array, "_ndarray", None)
                         if self.storage == _OBJECTS and isinstance(self.series.dtype, pd.StringDtype)
                         else self.series.to_numpy())

    @property
    def factorized(self):
        """``(codes, distinct)``: first-appearance codes, -1 where missing, as ``pd.factorize`` of the objects."""
        return self._get("factorized", lambda: pd.factorize(self.values if self.storage != _OTHER
                                                            else self.series.astype(object), use_na_sentinel=True))

    @property
    def isna(self):
        def compute():
            if self.storage == _NUMERIC:
                return np.isnan(self.values) if self.values.dtype.kind == "f" else np.zeros(self.length, dtype=bool)
            if self.storage == _BOOL:
                return np.zeros(self.length, dtype=bool)
            if self.storage == _OBJECTS:
                return self.factorized[0] < 0
            return self.series.isna().to_numpy(dtype=bool)

        return self._get("isna", compute)

    @property
    def missing(self):
        """True where missing: NaN, a missing token (text) or a sentinel (numbers), as ``spec.missing_mask``."""
        def compute():
            tokens = DISGUISED_MISSING_TOKENS if self.colspec is None else self.colspec.missing_tokens
            sentinels = () if self.colspec is None else self.colspec.sentinels
            if self.storage == _OBJECTS:
                codes, distinct = self.factorized
                tokens = set(tokens)
                found = [i for i, u in enumerate(distinct) if isinstance(u, str) and u.strip() in tokens]
                if not found:
                    return codes < 0
                # One look-up per row (np.isin sorts, and costs more than the work on short columns): the table
                # marks the tokens' codes and, in its last slot, the code -1 of missing values.
                is_missing = np.zeros(len(distinct) + 1, dtype=bool)
                is_missing[found] = True
                is_missing[-1] = True
                return is_missing[codes]
            if self.storage in (_NUMERIC, _BOOL):
                mask = self.isna
                if sentinels:
                    mask = mask | pd.Series(self.values).isin(list(sentinels)).to_numpy(dtype=bool)
                return mask
            return missing_mask(self.series, self.colspec).to_numpy(dtype=bool)

        return self._get("missing", compute)

    @property
    def kind(self):
        """``column_kind`` of the column, from the codes for text."""
        def compute():
            if self.storage != _OBJECTS:
                return column_kind(self.series)
            codes, distinct = self.factorized
            present = int((codes >= 0).sum())
            if present == 0:
                return "categorical"
            if not self.all_str:
                return column_kind(self.series)
            lengths = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct))
            counts = np.bincount(codes[codes >= 0], minlength=len(distinct))
            long_text = float((lengths * counts).sum()) / present > 40
            return "text" if long_text and len(distinct) > 0.5 * present else "categorical"

        return self._get("kind", compute)

    @property
    def all_str(self):
        """Every distinct present value is a ``str`` (not a number or other object in an object column)."""
        return self._get("all_str", lambda: bool(pd.api.types.infer_dtype(self.factorized[1], skipna=False) in
                                                 ("string", "empty")))

    @property
    def numbers(self):
        """The column as float (``as_numeric``): text parsed, each distinct value once, in one batch per table."""
        def compute():
            if self.storage == _NUMERIC:
                # A float column is its own numbers: a view, not a copy of the frame's largest part.
                return self.values.astype(float, copy=False)
            if self.storage == _BOOL:
                return self.values.astype(float)
            if self.storage == _OBJECTS:
                codes, distinct = self.factorized
                if len(distinct) == 0:
                    return np.full(self.length, np.nan)
                parsed = self.table.parsed(self)
                return np.where(codes >= 0, parsed[np.maximum(codes, 0)], np.nan)
            return as_numeric(self.series).to_numpy(dtype=float)

        return self._get("numbers", compute)

    @property
    def finite(self):
        """The finite numbers of the column: the numbers themselves when all are finite, else a copy made per call
        (kept for every column, those copies would double the memory of a float frame with gaps)."""
        numbers = self.numbers
        if self.finite_count == self.length:
            return numbers
        return numbers[np.isfinite(numbers)]

    @property
    def finite_count(self):
        """How many of the numbers are finite."""
        return self._get("finite_count", lambda: int(np.isfinite(self.numbers).sum()))

    def finite_quantiles(self, quantiles):
        """``np.quantile(finite, quantiles)``; the quartiles and the relevance bins come from one selection pass."""
        quantiles = np.asarray(quantiles, dtype=float)
        shared = self._get("quantiles", lambda: dict(zip(SHARED_QUANTILES, np.quantile(self.finite, SHARED_QUANTILES))))
        if all(q in shared for q in quantiles):
            return np.array([shared[q] for q in quantiles])
        return np.quantile(self.finite, quantiles)

    def present_counts(self):
        """Counts of the present (not missing) values, largest first, as ``series[~missing].value_counts()``."""
        def compute():
            if self.storage in (_OBJECTS, _BOOL) or (self.storage == _NUMERIC and self.values.dtype.kind in "iu"):
                codes = self.codes_any
                counts = np.bincount(codes[~self.missing & (codes >= 0)], minlength=1)
                counts = counts[counts > 0]
                return -np.sort(-counts)
            return self.series[~self.missing].value_counts().to_numpy()

        return self._get("present_counts", compute)

    @property
    def codes_any(self):
        """First-appearance codes of any column (missing -1)."""
        if self.storage == _OBJECTS:
            return self.factorized[0]
        return self._get("codes_any", lambda: pd.factorize(self.values if self.storage != _OTHER else self.series,
                                                          use_na_sentinel=True)[0])


    @property
    def distinct_any(self):
        """The distinct values that :attr:`codes_any` numbers."""
        if self.storage == _OBJECTS:
            return self.factorized[1]
        return self._get("distinct_any", lambda: pd.factorize(self.values, use_na_sentinel=True)[1])

    @property
    def text_exact(self):
        """Counting text by distinct value gives what ``astype("string").value_counts()`` gives: plain strings,
        or integers and booleans (whose text differs exactly when they differ)."""
        if self.storage == _OBJECTS:
            return self.all_str
        return self.storage == _BOOL or self.values.dtype.kind in "iu"

    @property
    def text_sizes(self):
        """UTF-8 bytes of the text of each distinct value of :attr:`factorized` (see :func:`utf8_sizes`)."""
        return self._get("text_sizes", lambda: utf8_sizes(self.factorized[1]))


def utf8_sizes(values):
    """Bytes of each value's text in UTF-8: what Arrow's string layout stores, whatever the interpreter.

    A value that is not a string (a number kept as an object) counts as its text, ``str(value)``; a lone
    surrogate counts the 3 bytes of its code point, as in the other characters of that range.

    >>> utf8_sizes(["abc", "ёж", "中", 2.5]).tolist()
    [3, 4, 3, 3]
    """
    return np.fromiter((len(u) if u.isascii() else len(u.encode("utf-8", "surrogatepass")) for u in map(str, values)),
                       dtype=np.int64, count=len(values))


class Table:
    """Facts of every column of a frame, with one batch parse of all distinct text values."""

    def __init__(self, df, colspec):
        self.df = df
        self._colspec = colspec
        self._facts = {}
        self._parsed = None

    def __getitem__(self, name):
        if name not in self._facts:
            self._facts[name] = ColumnFacts(self.df[name], self._colspec(name), self)
        return self._facts[name]

    def prefetch_quantiles(self, names, *, quantiles=None, key="quantiles"):
        """Quantiles of many numeric columns at once: those without NaN or infinity, side by side.

        By default the shared quantiles (read by :meth:`ColumnFacts.finite_quantiles`); with ``quantiles``, the
        array ``np.quantile(finite, quantiles)`` stored under ``key`` in each column's cache.
        """
        waiting = [self[c] for c in names if key not in self[c]._cache]
        whole = [f for f in waiting if f.finite_count == f.length and f.length > 0]
        step = max(1, 1_000_000 // max(1, self.df.shape[0]))
        for start in range(0, len(whole), step):
            chunk = whole[start:start + step]
            values = np.quantile(np.column_stack([f.finite for f in chunk]),
                                 SHARED_QUANTILES if quantiles is None else quantiles, axis=0)
            for j, f in enumerate(chunk):
                f._cache[key] = dict(zip(SHARED_QUANTILES, values[:, j])) if quantiles is None else values[:, j]

    def parsed(self, facts):
        """Distinct values of ``facts`` as float (``as_numeric`` of each), parsing all text columns at once."""
        if self._parsed is None:
            textual = [self[c] for c in self.df.columns if self[c].storage == _OBJECTS]
            distinct = [f.factorized[1] for f in textual]
            everything = np.concatenate(distinct) if distinct else np.array([], dtype=object)
            numbers = pd.to_numeric(pd.Series(everything, dtype=object).astype("string").str.strip(),
                                    errors="coerce").astype(float).to_numpy()
            self._parsed, start = {}, 0
            for f, d in zip(textual, distinct):
                self._parsed[id(f)] = numbers[start:start + len(d)]
                start += len(d)
        return self._parsed[id(facts)]


def textual(facts):
    return facts.storage == _OBJECTS or is_textual(facts.series)


def text_by_distinct(facts):
    """Whether ``astype("string")`` text checks can judge each distinct value once: booleans, and Python strings
    while pandas keeps "string" values as Python strings (with pyarrow, it matches patterns by its own engine)."""
    return facts.storage == _BOOL or (facts.storage == _OBJECTS and facts.all_str
                                      and pd.StringDtype().storage == "python")


def _spread(facts, judged):
    """A judgement of each distinct text (``judged(text) -> bool``) as a row mask; missing rows get False."""
    if facts.storage == _BOOL:
        codes, distinct = facts.values.astype(np.int64), ["False", "True"]
    else:
        codes, distinct = facts.factorized
    if len(distinct) == 0:
        return np.zeros(facts.length, dtype=bool)
    verdicts = np.fromiter(map(judged, distinct), dtype=bool, count=len(distinct))
    return (codes >= 0) & verdicts[np.maximum(codes, 0)]


def text_in_allowed(facts, allowed):
    """``series.astype("string").isin(allowed as text).fillna(False)`` (see :func:`text_by_distinct`)."""
    allowed = {str(a) for a in allowed}
    return _spread(facts, allowed.__contains__)


def text_matches(facts, pattern):
    """``series.astype("string").str.fullmatch(pattern).fillna(False)`` (see :func:`text_by_distinct`)."""
    regex = re.compile(pattern)
    return _spread(facts, lambda text: regex.fullmatch(text) is not None)
