"""The shared work of ``assess`` gives what the plain NumPy / pandas expressions it replaces give.

Quantiles come from one sort of each column, duplicate rows from one hash of the near-duplicate signature (exact
duplicates are looked for only among near duplicates), repeated hashes from a sort, and the float32 check of
compact storage stops at the first slice float32 changes. ``tests/test_quality_pins.py`` pins the reports; these
tests compare each shortcut with its reference on many generated inputs, where the pins hold a few tables.
"""

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit.quality import assess
from lifecycle_kit.quality._columns import SHARED_QUANTILES, sorted_quantiles
from lifecycle_kit.quality.measures import _float32_lossless, _float32_lossless_column, repeat_count, repeated_mask


def _odd_floats(rng, n):
    """Normal numbers with ties, -0.0, subnormals, huge and tiny magnitudes."""
    values = rng.normal(size=n) * 10.0 ** rng.integers(-8, 8, n)
    special = np.array([0.0, -0.0, 5e-324, -2.2e-308, 1e16, 1e300, 0.1 + 0.2, 1.0, 1.0])
    take = rng.random(n) < 0.2
    values[take] = rng.choice(special, take.sum())
    return values


def _same_numbers(got, want):
    """Equal values, and the same bits where not zero: a sort and NumPy's selection may leave 0.0 and -0.0 (equal
    values) in either order, so a quantile that falls on a tie of zeros can come out with either sign."""
    return np.array_equal(got, want) and got[want != 0].tobytes() == want[want != 0].tobytes()


@pytest.mark.parametrize("seed", range(6))
def test_quantiles_from_one_sort_are_the_bits_numpy_computes(seed):
    rng = np.random.default_rng(seed)
    quantiles = np.r_[SHARED_QUANTILES, rng.random(20), 0.0, 1.0]
    for n in [1, 2, 3, 7, 8, 9, 10, 16, 17, 100, 1001, *rng.integers(1, 5000, 8)]:
        values = _odd_floats(rng, n)
        want = np.quantile(values, quantiles)
        got = sorted_quantiles(np.sort(values), quantiles)
        assert _same_numbers(got, want), n
        block = np.column_stack([values, rng.permutation(values), -values])
        want = np.quantile(block, quantiles, axis=0)
        got = sorted_quantiles(np.sort(block, axis=0), quantiles)
        assert _same_numbers(got, want), n


@pytest.mark.parametrize("seed", range(4))
def test_repeats_found_by_sorting_equal_pandas_duplicated(seed):
    rng = np.random.default_rng(seed)
    for n, distinct in [(0, 1), (1, 1), (2, 1), (50, 5), (1000, 990), (1000, 2000), (5000, 100), (5000, 4990)]:
        hashes = rng.integers(0, distinct, n).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        series = pd.Series(hashes)
        assert repeated_mask(hashes).tolist() == series.duplicated(keep=False).tolist()
        assert repeat_count(hashes) == int(series.duplicated().sum())


def test_float32_check_equals_numpy_isclose():
    rng = np.random.default_rng(1)
    columns = []
    for n in (1, 5, 1000, 40_000):
        for kind in range(7):
            x = rng.normal(size=n) * 10.0 ** rng.integers(-40, 40)
            if kind:
                x = x.astype(np.float32).astype(float)
            if kind == 2:
                x[rng.integers(0, n, 3)] = [np.nan, np.inf, -np.inf]
            elif kind == 3:
                x[-1] = 1e39  # beyond float32: becomes inf
            elif kind == 4:
                x[-1] += x[-1] * 5e-8  # not float32, but within the relative 1e-7
            elif kind == 5:
                x[n // 2] = 0.1
            elif kind == 6:
                x[n // 2] = np.nan
            columns.append(x)
    with np.errstate(all="ignore"):
        want = [bool(np.isclose(x.astype("float32").astype(float), x, equal_nan=True, rtol=1e-7, atol=0).all())
                for x in columns]
        assert [_float32_lossless_column(x, chunk=256) for x in columns] == want
        assert [_float32_lossless([x])[0] for x in columns] == want
    assert True in want and False in want


def _reference_duplicates(features, target, tolerance=0.01):
    """The measures as written before the shared hash: every row hashed exactly, then near signatures hashed."""
    def combined(columns):
        out = None
        for values in columns:
            h = pd.util.hash_array(np.asarray(values))
            out = h if out is None else (out * np.uint64(1000003)) ^ h
        return pd.Series(out)

    def code(series):
        if pd.api.types.is_numeric_dtype(series.dtype):
            return series.to_numpy()
        return pd.factorize(series.astype(object), use_na_sentinel=True)[0]

    exact = combined([code(features[c]) for c in features.columns])
    rows = combined([exact.to_numpy(), pd.factorize(target.astype(object))[0]])
    near_parts = []
    for c in features.columns:
        if pd.api.types.is_float_dtype(features[c].dtype):
            values = features[c].to_numpy()
            with np.errstate(over="ignore"):
                scale = features[c].std()  # inf where values reach 1e300: every value then rounds to zero
            near_parts.append(np.floor(values / (tolerance * scale)))
        else:
            near_parts.append(code(features[c]))
    near = combined(near_parts).duplicated(keep=False) & ~exact.duplicated(keep=False)
    return int(rows.duplicated().sum()), int(near.sum())


@pytest.mark.parametrize("seed", range(5))
def test_duplicates_from_the_shared_hash_equal_hashing_every_row(seed):
    rng = np.random.default_rng(seed)
    n = 3000
    frame = pd.DataFrame({"x": _odd_floats(rng, n).round(rng.integers(0, 4)), "y": rng.normal(size=n),
                          "z": rng.choice([0.0, -0.0, np.nan, 1.5], n),
                          "k": rng.integers(0, 3, n), "t": rng.choice(["a", "b", None], n),
                          "label": rng.integers(0, 2, n)})
    # Exact copies (some with another label), near copies (a tiny nudge) and copies of copies.
    copies = rng.integers(0, n, 300)
    frame.iloc[rng.integers(0, n, 300)] = frame.iloc[copies].to_numpy()
    nudged = rng.integers(0, n, 200)
    frame.loc[nudged, "y"] = frame.loc[rng.integers(0, n, 200), "y"].to_numpy() + 1e-9
    frame.loc[rng.integers(0, n, 30), "label"] = 1 - frame.loc[rng.integers(0, n, 30), "label"].to_numpy()
    features, target = frame.drop(columns="label"), frame["label"]
    report = assess(frame, target="label", measures=["Con-ML-1", "Sim-ML-1", "Con-ML-2"])
    duplicates, near = _reference_duplicates(features, target)
    assert duplicates > 0 and near > 0
    assert report["Con-ML-1"].value == (n - duplicates) / n
    assert report["Sim-ML-1"].value == (n - near) / n
    assert f"{duplicates:,} exact duplicate rows" in report["Con-ML-1"].detail
