"""A first look at a table: per-column type, missing values, disguised missing values.

Pandas counts only real NaN as missing. Raw data often writes "unknown" as a
token instead ("?" in UCI Adult, "NA" in many CSV exports); this module counts
both, so the gap between them is visible from the first look.

>>> import pandas as pd
>>> from lifecycle_kit.profiling import profile_columns
>>> df = pd.DataFrame({"job": ["clerk", "?", None, "?"], "age": [30, 41, 25, 38]})
>>> profile_columns(df)[["column", "missing", "disguised_missing", "distinct"]]
  column  missing  disguised_missing  distinct
0    job        1                  2         1
1    age        0                  0         4
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from lifecycle_kit.datasets import Dataset

__all__ = ["DISGUISED_MISSING_TOKENS", "DatasetOverview", "disguised_missing_mask", "overview", "profile_columns"]

#: Text tokens that commonly stand for "unknown" in raw files (compared after stripping spaces).
DISGUISED_MISSING_TOKENS = ("?", "", "NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "None", "not_known")


def disguised_missing_mask(series: pd.Series, tokens: Iterable[str] = DISGUISED_MISSING_TOKENS,
                           sentinels: Iterable[float] = ()) -> pd.Series:
    """Boolean mask of values that are not NaN but stand for a missing value.

    Parameters
    ----------
    series : pandas.Series
    tokens : iterable of str
        Text tokens meaning "unknown" (checked on text columns only).
    sentinels : iterable of numbers
        Numbers meaning "unknown" in a numeric column (e.g. -999, 99999).
    """
    import pandas as pd

    mask = pd.Series(False, index=series.index)
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        # Check each distinct value once: columns repeat their values far more often than not.
        tokens = set(tokens)
        found = [u for u in pd.unique(series.dropna()) if isinstance(u, str) and u.strip() in tokens]
        if found:
            mask |= series.isin(found).to_numpy(dtype=bool)
    elif sentinels and pd.api.types.is_numeric_dtype(series.dtype):
        mask |= series.isin(list(sentinels)).fillna(False).astype(bool)
    return mask


def profile_columns(df: pd.DataFrame, *, tokens: Iterable[str] = DISGUISED_MISSING_TOKENS) -> pd.DataFrame:
    """One row per column: dtype, non-null count, NaN count, disguised-missing count, distinct values, example.

    Returns
    -------
    pandas.DataFrame
        Columns ``column, dtype, non_null, missing, disguised_missing, distinct, example``.
    """
    import pandas as pd

    rows = []
    for name in df.columns:
        col = df[name]
        disguised = disguised_missing_mask(col, tokens)
        present = col[col.notna() & ~disguised]
        rows.append(
            {
                "column": str(name),
                "dtype": str(col.dtype),
                "non_null": int(col.notna().sum()),
                "missing": int(col.isna().sum()),
                "disguised_missing": int(disguised.sum()),
                "distinct": int(present.nunique()),
                "example": "" if present.empty else str(present.iloc[0]),
            }
        )
    return pd.DataFrame(rows, columns=["column", "dtype", "non_null", "missing", "disguised_missing", "distinct", "example"])


@dataclass(frozen=True)
class DatasetOverview:
    """What the dataset explorer shows: shape, per-column profile, duplicates, preview."""

    name: str
    rows: int
    columns: int
    duplicate_rows: int
    missing_cells: int
    disguised_missing_cells: int
    profile: pd.DataFrame
    preview: pd.DataFrame
    card: dict[str, Any]

    def to_frame(self) -> pd.DataFrame:
        return self.profile


def overview(dataset: Dataset, *, preview_rows: int = 5) -> DatasetOverview:
    """Compute a :class:`DatasetOverview` of a :class:`~lifecycle_kit.datasets.Dataset`, features and target together.

    >>> from lifecycle_kit.datasets import load
    >>> o = overview(load("adult"))
    >>> o.rows, o.disguised_missing_cells > 0
    (48842, True)
    """
    table = dataset.frame.copy()
    if dataset.target is not None:
        table[dataset.target.name] = dataset.target
    profile = profile_columns(table)
    return DatasetOverview(
        name=dataset.name,
        rows=len(table),
        columns=dataset.frame.shape[1],
        duplicate_rows=int(table.duplicated().sum()),
        missing_cells=int(profile["missing"].sum()),
        disguised_missing_cells=int(profile["disguised_missing"].sum()),
        profile=profile,
        preview=table.head(preview_rows),
        card=dataset.card,
    )
