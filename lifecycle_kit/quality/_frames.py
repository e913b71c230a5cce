"""Small helpers on frames shared by the quality modules (column kinds, numeric coercion, checks)."""

import numpy as np
import pandas as pd

from lifecycle_kit.errors import LifecycleKitError

KINDS = ("numeric", "integer", "boolean", "categorical", "datetime", "text")


def check_frame(df, name="df", *, allow_empty=False):
    """A pandas DataFrame with unique string-able column names (and rows unless ``allow_empty``)."""
    if not isinstance(df, pd.DataFrame):
        raise LifecycleKitError(f"{name} must be a pandas DataFrame; got {type(df).__name__}")
    duplicated = df.columns[df.columns.duplicated()].unique().tolist()
    if duplicated:
        raise LifecycleKitError(f"{name} has duplicate column names: {', '.join(map(str, duplicated))}")
    if not allow_empty and len(df) == 0:
        raise LifecycleKitError(f"{name} has no rows")
    if not allow_empty and df.shape[1] == 0:
        raise LifecycleKitError(f"{name} has no columns")
    check_scalar_values(df, name)
    return df


# Values the measures cannot hash, compare or print as one cell: containers and raw bytes.
_NOT_SCALAR = (dict, list, set, frozenset, tuple, bytes, bytearray, memoryview, np.ndarray, pd.Series, pd.DataFrame)


def check_scalar_values(df, name="df"):
    """Refuse object columns holding dicts, lists, tuples, sets, arrays or bytes, and complex numbers, naming the column.

    Every measure hashes, counts or compares single values; a container or raw
    bytes would fail deep inside with a message about hashing or decoding, and a
    complex number would lose its imaginary part when cast to float.

    >>> import pandas as pd
    >>> check_scalar_values(pd.DataFrame({"tags": [["a"], ["b"]]}))
    Traceback (most recent call last):
    ...
    lifecycle_kit.errors.LifecycleKitError: df column 'tags' holds list values (first at row 0); ...
    """
    for column, dtype in zip(df.columns, df.dtypes):
        if pd.api.types.is_complex_dtype(dtype):
            raise LifecycleKitError(_complex_message(name, column))
    # Only object columns can hold containers: the dtypes are read at once, not one column access per column.
    object_columns = [c for c, dtype in zip(df.columns, df.dtypes) if dtype == np.dtype(object)] if df.columns.is_unique \
        else df.columns
    for column in object_columns:
        series = df[column]
        if not isinstance(series, pd.Series) or series.dtype != object:
            continue
        # infer_dtype runs in C: only columns it calls mixed (or bytes) need a look at each value.
        inferred = pd.api.types.infer_dtype(series, skipna=True)
        if inferred == "complex":
            raise LifecycleKitError(_complex_message(name, column))
        if inferred not in ("bytes", "mixed", "mixed-integer", "mixed-integer-float", "unknown-array"):
            continue
        for row, value in zip(series.index, series.to_numpy()):
            if isinstance(value, _NOT_SCALAR) or isinstance(value, (complex, np.complexfloating)):
                raise LifecycleKitError(
                    f"{name} column {str(column)!r} holds {type(value).__name__} values (first at row {row!r}); "
                    "the kit measures single values (numbers, text, dates, booleans): flatten the column or "
                    "convert it to text first, e.g. df[col].astype(str)")
    return df


def _complex_message(name, column):
    # Measures cast numbers to float, which drops the imaginary part without a word: refuse instead.
    return (f"{name} column {str(column)!r} holds complex numbers; the kit measures real numbers: split it into "
            f"two columns, e.g. df[col].to_numpy().real and .imag")


def split_target(df, target):
    """Return (features, target Series or None) from a column name or a Series aligned with ``df``."""
    if target is None:
        return df, None
    if isinstance(target, str):
        if target not in df.columns:
            raise LifecycleKitError(f"target column {target!r} not found; columns are {', '.join(map(str, df.columns))}")
        return df.drop(columns=target), df[target]
    if isinstance(target, (pd.Series, np.ndarray, list)):
        series = pd.Series(target) if not isinstance(target, pd.Series) else target
        if len(series) != len(df):
            raise LifecycleKitError(f"target has {len(series)} values but the frame has {len(df)} rows")
        return df, series.set_axis(df.index)
    raise LifecycleKitError(f"target must be a column name or a Series; got {type(target).__name__}")


def column_kind(series):
    """The kit's kind of a column: numeric, integer, boolean, categorical, datetime or text."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_numeric_dtype(dtype):
        return "numeric"
    if isinstance(dtype, pd.CategoricalDtype):
        return "categorical"
    values = series.dropna()
    if values.empty:
        return "categorical"
    # Free text has many distinct, long values; codes and labels repeat.
    distinct = values.nunique()
    long_text = values.astype(str).str.len().mean() > 40
    if long_text and distinct > 0.5 * len(values):
        return "text"
    return "categorical"


def as_numeric(series):
    """Values as float, text that does not parse as a number becoming NaN."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype(float)
    if pd.api.types.is_numeric_dtype(series.dtype):
        return series.astype(float)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return pd.Series(np.nan, index=series.index)
    # Parse each distinct value once: text columns repeat their values, and parsing is the slow part.
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    if len(uniques) == 0:
        return pd.Series(np.nan, index=series.index, name=series.name)
    parsed = pd.to_numeric(pd.Series(uniques).astype("string").str.strip(), errors="coerce").astype(float).to_numpy()
    values = np.where(codes >= 0, parsed[np.maximum(codes, 0)], np.nan)
    return pd.Series(values, index=series.index, name=series.name)


def finite_numeric(series):
    values = as_numeric(series)
    return values[np.isfinite(values)]


def is_textual(series):
    return series.dtype == object or pd.api.types.is_string_dtype(series.dtype) or isinstance(
        series.dtype, pd.CategoricalDtype)


def missing_mask(series, col=None):
    """True where a value is missing: NaN, a missing token, or a sentinel number.

    ``col`` is the column's :class:`~lifecycle_kit.quality.spec.ColumnSpec`
    (its missing tokens and sentinels); without one, the kit's usual tokens.
    """
    from lifecycle_kit.profiling import DISGUISED_MISSING_TOKENS, disguised_missing_mask

    tokens = DISGUISED_MISSING_TOKENS if col is None else col.missing_tokens
    sentinels = () if col is None else col.sentinels
    return series.isna() | disguised_missing_mask(series, tokens, sentinels)
