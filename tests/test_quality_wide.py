"""Wide tables take the vectorised paths of ``infer_spec``, spec validation and ``assess``, with the results of the
per-column pandas paths they replace.

No timings here (the budgets are in ``benchmarks/bench_quality.py``): these tests count how often the per-column
reference path runs, and compare both paths on the same frames.
"""

import json

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit.quality import spec as spec_module
from lifecycle_kit.quality import infer_spec
from tests._quality_pin_cases import round_trip_frame, synthetic_frame, wide_frame


def frames():
    rng = np.random.default_rng(11)
    gaps = rng.normal(size=(50, 6))
    gaps[rng.random(gaps.shape) < 0.2] = np.nan
    gaps[3, 2], gaps[7, 4] = np.inf, -np.inf
    many_numbers_as_text = pd.Series(rng.normal(size=200).round(3).astype(str).astype(object))
    many_numbers_as_text[[5, 9]] = "n/a"
    return {
        "wide": wide_frame(columns=240, rows=20),
        "synthetic": synthetic_frame(rows=600),
        "round_trip": round_trip_frame(),
        "gaps": pd.DataFrame(gaps, columns=[f"g{i}" for i in range(6)]),
        "numbers_as_text": pd.DataFrame({"t": many_numbers_as_text, "ties": ["b", "a"] * 100,
                                         "strings": pd.Series(["x", "y", None, "?"] * 50, dtype="string")}),
    }


def columnwise_spec(df):
    """The spec the per-column path gives (the path every column took before the vectorised one)."""
    tokens = spec_module.DISGUISED_MISSING_TOKENS
    columns = {str(c): spec_module._infer_column(df[c], c, tokens=tokens, max_categories=50) for c in df.columns}
    return spec_module.DataSpec(columns=columns).with_range(quantiles=(0.0, 1.0), margin=0.0)


@pytest.mark.parametrize("name", sorted(frames()))
def test_infer_spec_equals_the_per_column_path(name):
    df = frames()[name]
    assert json.loads(infer_spec(df).to_json()) == json.loads(columnwise_spec(df).to_json())


def test_a_wide_plain_frame_never_takes_the_per_column_path_of_infer_spec(monkeypatch):
    calls = []
    original = spec_module._infer_column
    monkeypatch.setattr(spec_module, "_infer_column", lambda *a, **k: calls.append(a[1]) or original(*a, **k))
    df = wide_frame(columns=2000, rows=5)
    spec = infer_spec(df)
    assert len(spec.columns) == 2000 and calls == []
    # ... and on a narrow slice the result is the per-column path's
    narrow = df.iloc[:, :60]
    assert json.loads(infer_spec(narrow).to_json()) == json.loads(columnwise_spec(narrow).to_json())
    assert {k: v for k, v in json.loads(spec.to_json())["columns"][0].items()} == \
        json.loads(columnwise_spec(narrow).to_json())["columns"][0]
