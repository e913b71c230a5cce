"""Benchmark data: the carried datasets and a seeded 1,000,000 x 15 synthetic table."""

import numpy as np
import pandas as pd


def synthetic_table(rows=1_000_000, *, seed=0):
    """8 normal columns, 2 integer columns, 4 categorical columns (3 to 200 levels), a binary label."""
    rng = np.random.default_rng(seed)
    columns = {f"num_{i}": rng.normal(i, 1 + i, rows) for i in range(8)}
    columns.update({f"int_{i}": rng.integers(0, 100, rows) for i in range(2)})
    for i, levels in enumerate([3, 12, 50, 200]):
        names = np.array([f"c{i}_{k}" for k in range(levels)], dtype=object)
        columns[f"cat_{i}"] = names[rng.integers(0, levels, rows)]
    columns["label"] = rng.integers(0, 2, rows)
    return pd.DataFrame(columns)


def shifted(frame, columns, *, shift=0.5, seed=1):
    """A copy of ``frame`` (resampled) with ``columns`` shifted by ``shift`` standard deviations."""
    out = frame.sample(frac=1.0, replace=True, random_state=seed).reset_index(drop=True)
    for c in columns:
        out[c] = out[c] + shift * frame[c].std()
    return out
