"""Mutual information between features and a target, by counting (fast, deterministic).

Numbers are cut into quantile bins, categories kept as they are, and the
mutual information is computed from the contingency table with the
Miller-Madow bias correction, so many-level columns are not favoured on small
samples. It is a screening tool: a feature far above the others deserves a
question (is it a leak?), one near zero deserves another (why collect it?).

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> y = pd.Series(rng.integers(0, 2, 2000))
>>> frame = pd.DataFrame({"signal": y + rng.normal(0, 0.5, 2000), "noise": rng.normal(size=2000)})
>>> mi = mutual_information_table(frame, y)
>>> bool(mi.loc["signal"] > 0.1 > mi.loc["noise"])
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lifecycle_kit.errors import LifecycleKitError

if TYPE_CHECKING:
    from lifecycle_kit._typing import Vector

__all__ = ["codes", "mutual_information", "mutual_information_table"]


def codes(series, *, bins=16):
    """Integer codes: quantile bins for numbers, one code per category; missing gets its own code."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        # Quantile edges collapse by themselves when a column has few distinct values.
        values = series.to_numpy(dtype=float)
        finite_mask = np.isfinite(values)
        everything_finite = bool(finite_mask.all())
        finite = values if everything_finite else values[finite_mask]
        if len(finite) == 0:
            return np.zeros(len(series), dtype=np.int64)
        return binned(values, np.quantile(finite, bin_quantiles(bins)), finite_mask=None if everything_finite else finite_mask)
    out, _ = pd.factorize(series, use_na_sentinel=True)
    out = out.astype(np.int64)
    out[out < 0] = out.max() + 1 if len(out) else 0
    return out


def bin_quantiles(bins=16):
    """The quantiles whose values cut numbers into ``bins`` bins."""
    return np.linspace(0, 1, bins + 1)[1:-1]


def binned(values, quantile_values, *, finite_mask=None):
    """Codes of float ``values`` cut at ``quantile_values`` (of their finite values); non-finite get the last code."""
    edges = np.unique(quantile_values)
    out = np.searchsorted(edges, values, side="right")
    if finite_mask is None:
        finite_mask = np.isfinite(values)
    if not finite_mask.all():
        out[~finite_mask] = len(edges) + 1
    return out.astype(np.int64)


def mutual_information(x_codes, y_codes):
    """Mutual information in nats between two integer code arrays, Miller-Madow corrected, floored at 0."""
    x_codes, y_codes = np.asarray(x_codes), np.asarray(y_codes)
    n = len(x_codes)
    if n == 0 or n != len(y_codes):
        raise LifecycleKitError(f"x and y must have the same non-zero length; got {len(x_codes)} and {len(y_codes)}")
    nx, ny = int(x_codes.max()) + 1, int(y_codes.max()) + 1
    joint = np.bincount(x_codes * ny + y_codes, minlength=nx * ny).reshape(nx, ny).astype(float)
    px, py = joint.sum(axis=1), joint.sum(axis=0)
    nz = joint > 0
    outer = np.outer(px, py)
    mi = float((joint[nz] / n * np.log(joint[nz] * n / outer[nz])).sum())
    levels_x, levels_y = int((px > 0).sum()), int((py > 0).sum())
    bias = (levels_x - 1) * (levels_y - 1) / (2.0 * n)
    return max(0.0, mi - bias)


def mutual_information_table(frame: pd.DataFrame, target: Vector, *, bins: int = 16) -> pd.DataFrame:
    """Mutual information (nats) of every column of ``frame`` with ``target``, highest first."""
    if len(frame) != len(target):
        raise LifecycleKitError(f"frame has {len(frame)} rows but target has {len(target)} values")
    y = codes(pd.Series(np.asarray(target)), bins=bins)
    scores = {c: mutual_information(codes(frame[c].reset_index(drop=True), bins=bins), y) for c in frame.columns}
    return pd.Series(scores, name="mutual_information").sort_values(ascending=False)
