"""Wide tables take the vectorised paths of ``infer_spec``, spec validation and ``assess``, with the results of the
per-column pandas paths they replace.

No timings here (the budgets are in ``benchmarks/bench_quality.py``): these tests count how often the per-column
reference path runs, and compare both paths on the same frames.
"""

import json

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit.quality import infer_spec
from lifecycle_kit.quality import spec as spec_module
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
    # Text held as Python strings: the vectorised path's storage. Where pyarrow is installed (the parquet extra, which
    # `make env` installs), pandas holds text in Arrow arrays by default, and those columns take the per-column path.
    with pd.option_context("mode.string_storage", "python"):
        df = wide_frame(columns=2000, rows=5)
    spec = infer_spec(df)
    assert len(spec.columns) == 2000 and calls == []
    # ... and on a narrow slice the result is the per-column path's
    narrow = df.iloc[:, :60]
    assert json.loads(infer_spec(narrow).to_json()) == json.loads(columnwise_spec(narrow).to_json())
    assert {k: v for k, v in json.loads(spec.to_json())["columns"][0].items()} == \
        json.loads(columnwise_spec(narrow).to_json())["columns"][0]


def columnwise_checks(spec, df):
    """The checks of ``DataSpec.validate`` as they ran before the vectorised path: pandas, a column at a time."""
    from lifecycle_kit.quality._frames import as_numeric
    from lifecycle_kit.quality.spec import _fmt, missing_mask

    for name, col in spec.columns.items():
        if name not in df.columns:
            yield name, "missing_column", None, None, f"column {name!r} is required but absent"
            continue
        series = df[name]
        missing = missing_mask(series, col)
        present = ~missing
        if not col.nullable:
            yield name, "missing", missing, series, "missing values in a column that must be complete"
        if col.is_numeric:
            values = as_numeric(series)
            yield name, "type", present & values.isna(), series, f"values that are not numbers in a {col.kind} column"
            if col.kind == "integer":
                fractional = present & values.notna() & np.isfinite(values) & (values % 1 != 0)
                yield name, "type", fractional, series, "fractional values in an integer column"
            ok = present & values.notna()
            if col.min is not None or col.max is not None:
                low = -np.inf if col.min is None else float(col.min)
                high = np.inf if col.max is None else float(col.max)
                yield name, "range", ok & ((values < low) | (values > high)), series, \
                    f"values outside [{_fmt(col.min)}, {_fmt(col.max)}]"
            if col.plausible_min is not None or col.plausible_max is not None:
                low = -np.inf if col.plausible_min is None else col.plausible_min
                high = np.inf if col.plausible_max is None else col.plausible_max
                yield name, "implausible", ok & ((values < low) | (values > high)), series, \
                    f"values outside the plausible band [{_fmt(col.plausible_min)}, {_fmt(col.plausible_max)}]"
        elif col.kind == "datetime":
            stamps = series if pd.api.types.is_datetime64_any_dtype(series) else pd.to_datetime(series, errors="coerce")
            yield name, "type", present & stamps.isna(), series, "values that are not dates"
            if col.min is not None or col.max is not None:
                low = pd.Timestamp(col.min) if col.min is not None else pd.Timestamp.min
                high = pd.Timestamp(col.max) if col.max is not None else pd.Timestamp.max
                yield name, "range", present & stamps.notna() & ((stamps < low) | (stamps > high)), series, \
                    f"dates outside [{col.min}, {col.max}]"
        else:
            text = series.astype("string")
            if col.allowed is not None:
                allowed = {str(a) for a in col.allowed}
                unseen = present & ~text.isin(allowed).fillna(False).astype(bool)
                yield name, "category", unseen, series, "categories not in the allowed list"
            if col.pattern is not None:
                matches = text.str.fullmatch(col.pattern).fillna(False).astype(bool)
                yield name, "format", present & ~matches, series, f"values not matching {col.pattern!r}"
    if not spec.allow_extra_columns:
        for name in df.columns:
            if name not in spec.columns and name != spec.target:
                yield str(name), "unexpected_column", None, None, f"column {name!r} is not in the spec"
    for rule in spec.rules:
        if all(not isinstance(c, str) or c in df.columns for c in (rule.left, rule.right)):
            yield rule.left, "rule", ~rule.holds(df), df[rule.left], f"rule {rule.describe()} broken"


def columnwise_violations(spec, df, max_examples=5):
    from lifecycle_kit.quality.spec import Violation, _plain

    out = []
    for column, rule, mask, values, message in columnwise_checks(spec, df):
        if mask is None:
            out.append(Violation(column, rule, len(df), (), message))
            continue
        count = int(mask.sum())
        if count:
            idx = mask[mask].index[:max_examples]
            out.append(Violation(column, rule, count, tuple((row, _plain(values.loc[row])) for row in idx), message))
    return out


def strict_spec_and_batch(name):
    """A spec inferred on half of a frame (tight ranges, patterns, sentinels, plausible bands) and the other half."""
    from lifecycle_kit.quality import Rule

    df = frames()[name]
    half = len(df) // 2
    spec = infer_spec(df.iloc[:half], range_quantiles=(0.05, 0.95))
    for col in list(spec.columns.values())[::3]:
        col.nullable = False
        if col.is_numeric:
            col.kind, col.sentinels, col.plausible_min = "integer", [0.0], -0.5
        elif col.kind != "datetime":
            col.pattern = r"[a-z]+\d*"
    numeric = [c.name for c in spec.columns.values() if c.is_numeric]
    if len(numeric) >= 2:
        spec.rules = [Rule(numeric[0], "<=", numeric[1])]
    batch = df.iloc[half:].rename(columns={df.columns[-1]: "extra"})
    return spec, batch


@pytest.mark.parametrize("name", sorted(frames()))
def test_validate_and_flag_rows_equal_the_per_column_path(name):
    spec, batch = strict_spec_and_batch(name)
    want = columnwise_violations(spec, batch)
    # Compared as text: an example value may be NaN, which equals nothing, itself included.
    assert list(map(repr, spec.validate(batch))) == list(map(repr, want)) and len(want) > 0
    flagged = pd.Series(False, index=batch.index)
    for _, _, mask, _, _ in columnwise_checks(spec, batch):
        if mask is not None:
            flagged |= mask.fillna(False).astype(bool)
    pd.testing.assert_series_equal(spec.flag_rows(batch), flagged)


def test_assess_on_2000_columns_makes_no_per_column_pandas_calls(monkeypatch):
    """The per-column helpers (pandas calls, each ~0.1 ms) are not called once per column: at 2,000 columns a
    per-column path would make thousands of calls; the vectorised paths make a handful in all."""
    from lifecycle_kit.quality import assess, measures

    calls = []

    def counting(module, name):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, **k: calls.append(name) or original(*a, **k))

    for module, name in [(measures, "as_numeric"), (measures, "missing_mask"), (measures, "_distribution_pair"),
                         (measures, "_same_values"), (spec_module, "as_numeric"), (spec_module, "missing_mask"),
                         (spec_module, "_infer_column")]:
        counting(module, name)
    astype = pd.Series.astype
    monkeypatch.setattr(pd.Series, "astype", lambda self, *a, **k: calls.append("astype") or astype(self, *a, **k))
    # As in the test above: text as Python strings (pandas' default without pyarrow; the text checks' fast path
    # needs it as the default storage too), not Arrow arrays.
    with pd.option_context("mode.string_storage", "python"):
        df, reference = wide_frame(columns=2000, rows=5), wide_frame(columns=2000, rows=5, seed=4)
        with_reference = assess(df, reference=reference)
        with_spec = assess(df, spec=infer_spec(reference))
    assert with_reference.columns == 2000 and len(with_reference.results) >= 10
    assert len(with_spec.violations) > 0
    assert len(calls) <= 20, sorted(set(calls))


def test_wide_assess_equals_assess_column_slice_by_slice():
    """Measures that are shares over columns agree between the wide frame and its narrow slices put together."""
    from lifecycle_kit.quality import assess

    df, reference = wide_frame(columns=600, rows=20), wide_frame(columns=600, rows=20, seed=4)
    wide = assess(df, reference=reference)
    parts = [assess(df.iloc[:, i:i + 60], reference=reference.iloc[:, i:i + 60]) for i in range(0, 600, 60)]
    pd.testing.assert_frame_equal(wide.missing, pd.concat([p.missing for p in parts], ignore_index=True))
    assert list(map(repr, wide.violations)) == [repr(v) for p in parts for v in p.violations]
    # Slices of equal size: a share over cells or columns of the wide frame is the mean of the slices' shares.
    for measure_id in ("Com-ML-1", "Com-ML-2"):
        assert wide.value(measure_id) == pytest.approx(np.mean([p.value(measure_id) for p in parts]), rel=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_fast_histogram_distance_and_row_hash_equal_their_references(seed):
    from scipy.spatial.distance import jensenshannon

    from lifecycle_kit.quality.measures import _histogram, _jensen_shannon_base2, hash_rows

    rng = np.random.default_rng(seed)
    values = rng.normal(size=200).round(1)
    edges = np.unique(np.quantile(values[:50], np.linspace(0, 1, 11)))
    edges[0], edges[-1] = -np.inf, np.inf
    assert np.array_equal(_histogram(values, edges), np.histogram(values, edges)[0])
    p, q = rng.integers(0, 20, 12), rng.integers(0, 20, 12)
    assert _jensen_shannon_base2(p, q) == jensenshannon(p, q, base=2)
    columns = [rng.normal(size=30), rng.integers(0, 3, 30), rng.random(30) < 0.5, rng.normal(size=30),
               rng.integers(0, 3, 30), pd.date_range("2024-01-01", periods=30).to_numpy()]
    one_at_a_time = None
    for values in columns:
        h = pd.util.hash_array(np.asarray(values))
        one_at_a_time = h if one_at_a_time is None else (one_at_a_time * np.uint64(1000003)) ^ h
    assert np.array_equal(hash_rows(columns).to_numpy(), one_at_a_time)
    assert np.array_equal(hash_rows(iter(columns), cells=45).to_numpy(), one_at_a_time)
