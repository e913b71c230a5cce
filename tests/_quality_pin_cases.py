"""Frames whose every quality measure is pinned (tests/data/quality_pins.json), so speed work cannot move a value.

``python -m tests._quality_pin_cases`` rewrites the pins: only ever run it on code whose values are trusted
(it was run once, before the vectorisation of ``assess``), and say so in the commit message.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd

PINS = Path(__file__).parent / "data" / "quality_pins.json"


def synthetic_frame(rows=3000, *, seed=7):
    """Seeded frame that makes every measure applicable and non-trivial (with :func:`synthetic_spec`)."""
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 90, rows).astype(float)
    age[rng.choice(rows, 40, replace=False)] = -999                      # sentinel
    income = np.round(rng.lognormal(10, 0.7, rows), 2)
    income[rng.choice(rows, 15, replace=False)] *= 50                      # outliers
    income[rng.choice(rows, 30, replace=False)] = np.nan
    job = rng.choice(np.array(["clerk", "chef", "nurse", "pilot", "?", "n/a", "rare_job"], dtype=object), rows,
                     p=[0.3, 0.25, 0.2, 0.15, 0.04, 0.03, 0.03])
    job[rng.choice(rows, 20, replace=False)] = None
    city = rng.choice(np.array([f"city_{k}" for k in range(60)], dtype=object), rows)
    code = np.array([f"AB-{k:04d}" for k in rng.integers(0, 9999, rows)], dtype=object)
    code[rng.choice(rows, 12, replace=False)] = "bad code"
    height = rng.normal(170, 10, rows).round(1).astype(object)             # numbers stored as text
    height[rng.choice(rows, 25, replace=False)] = "tall"
    temp_min = rng.normal(10, 5, rows).round(3)
    temp_max = temp_min + rng.normal(5, 3, rows).round(3)
    source = rng.choice(np.array(["sensor_a", "sensor_b", "web", None], dtype=object), rows, p=[0.5, 0.3, 0.15, 0.05])
    stamp = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 500, rows), unit="D")
    flag = rng.random(rows) < 0.3
    note = np.array([f"free text note number {k} with enough words to be long and unique" for k in range(rows)],
                    dtype=object)
    frame = pd.DataFrame({"age": age, "income": income, "job": job, "city": city, "code": code, "height": height,
                          "temp_min": temp_min, "temp_max": temp_max, "source": source, "stamp": stamp,
                          "flag": flag, "note": note})
    label = (income > np.nanmedian(income)).astype(int)
    frame["label"] = np.where(rng.random(rows) < 0.1, 1 - label, label)
    # exact duplicates, near duplicates and identical features with different labels
    frame.iloc[100:130] = frame.iloc[0:30].to_numpy()
    near = frame.iloc[200:230].copy()
    near["income"] = near["income"] * 1.0000001
    frame.iloc[230:260] = near.to_numpy()
    frame.loc[300:309, "label"] = 1 - frame.loc[0:9, "label"].to_numpy()
    frame.iloc[300:310, :-1] = frame.iloc[0:10, :-1].to_numpy()
    return frame.astype({"age": float, "income": float, "temp_min": float, "temp_max": float, "flag": bool,
                         "stamp": "datetime64[ns]", "label": int})


def synthetic_spec(frame):
    from lifecycle_kit.quality import Rule, infer_spec

    spec = infer_spec(frame.drop(columns="label").iloc[:1500], range_quantiles=(0.01, 0.99))
    spec.columns["age"].sentinels = [-999]
    spec.columns["age"].kind = "integer"
    spec.columns["age"].plausible_min, spec.columns["age"].plausible_max = 20, 85
    spec.columns["income"].decimals = 3
    spec.columns["income"].description = "yearly income"
    spec.columns["job"].description = "occupation"
    spec.columns["code"].pattern = r"[A-Z]{2}-\d{4}"
    spec.rules = [Rule("temp_min", "<=", "temp_max")]
    spec.source_column = "source"
    spec.trusted_sources = ["sensor_a", "sensor_b"]
    spec.timestamp_column = "stamp"
    spec.valid_from, spec.valid_to = "2024-03-01", "2025-03-01"
    spec.quasi_identifiers = ["age", "city"]
    spec.balance_columns = ["job"]
    spec.required_levels = {"job": ["clerk", "astronaut"], "label": [0, 1]}
    spec.target = "label"
    return spec


def wide_frame(columns=300, rows=20, *, seed=3):
    """Many columns, few rows: every kind of column, with tokens, NaN, numbers as text."""
    rng = np.random.default_rng(seed)
    out = {}
    for i in range(columns):
        kind = i % 6
        if kind == 0:
            values = rng.normal(i, 1, rows)
            values[rng.random(rows) < 0.1] = np.nan
        elif kind == 1:
            values = rng.integers(0, 5, rows)
        elif kind == 2:
            values = rng.choice(np.array(["a", "b", "c", "?", None], dtype=object), rows)
        elif kind == 3:
            values = rng.normal(0, 1, rows).round(2).astype(str).astype(object)
            values[rng.random(rows) < 0.1] = "oops"
        elif kind == 4:
            values = rng.random(rows) < 0.5
        else:
            values = np.array([f"id_{i}_{k}" for k in range(rows)], dtype=object)
        out[f"c{i}"] = values
    return pd.DataFrame(out)


def round_trip_frame(rows=40, *, seed=5):
    """Columns that a CSV round trip changes (leading zeros, empty text, mixed objects) next to ones it keeps."""
    rng = np.random.default_rng(seed)
    mixed = np.array([1, "x", 2.5, None], dtype=object)[rng.integers(0, 4, rows)]
    return pd.DataFrame({
        "zip": [f"{k:03d}" for k in rng.integers(0, 50, rows)],
        "digits": [str(k) for k in rng.integers(10, 99, rows)],
        "maybe_empty": rng.choice(np.array(["a", "", "b"], dtype=object), rows),
        "mixed": mixed,
        "ratio": rng.random(rows) / 3,
        "small": rng.random(rows).astype("float32"),
        "count": rng.integers(-5, 5, rows),
        "flag": rng.random(rows) < 0.5,
        "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 9, rows), unit="h"),
        "label": rng.choice(np.array(["yes", "no"], dtype=object), rows),
    })


def cases():
    """name -> zero-argument function returning a QualityReport."""
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality import assess

    def adult():
        ds = load("adult")
        return assess(ds.frame, target=ds.target)

    def adult_with_reference():
        ds = load("adult")
        frame = ds.frame.assign(income=ds.target)
        return assess(frame.iloc[20000:], target="income", reference=frame.iloc[:20000])

    def synthetic_with_spec():
        frame = synthetic_frame()
        return assess(frame, target="label", spec=synthetic_spec(frame), reference=synthetic_frame(seed=8))

    def synthetic_without_spec():
        return assess(synthetic_frame(), target="label")

    def wide():
        return assess(wide_frame())

    def wide_with_reference():
        return assess(wide_frame(), reference=wide_frame(seed=4))

    def round_trip():
        return assess(round_trip_frame(), target="label")

    def wide_round_trip():
        # Wide enough (250 columns) that portability writes text and other columns as two files.
        parts = [round_trip_frame(seed=seed).drop(columns="label").add_suffix(f"_{seed}") for seed in range(28)]
        return assess(pd.concat(parts, axis=1), target=round_trip_frame()["label"])

    return {"round_trip": round_trip, "wide_round_trip": wide_round_trip, "adult": adult, "adult_with_reference": adult_with_reference, "synthetic_with_spec": synthetic_with_spec,
            "synthetic_without_spec": synthetic_without_spec, "wide": wide, "wide_with_reference": wide_with_reference}


def spec_cases():
    """name -> zero-argument function returning an inferred DataSpec."""
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality import infer_spec

    return {"adult": lambda: infer_spec(load("adult").frame),
            "synthetic": lambda: infer_spec(synthetic_frame(), target="label"),
            "wide": lambda: infer_spec(wide_frame(columns=120))}


def observe(report):
    """Everything a learner can read off a report, as plain JSON values."""
    return {"values": {r.measure_id: r.value for r in report.results},
            "details": {r.measure_id: r.detail for r in report.results},
            "not_applicable": dict(report.not_applicable),
            "missing": json.loads(report.missing.to_json(orient="records")),
            "violations": [[str(v.column), v.rule, int(v.count), v.message, [[str(r), repr(x)] for r, x in v.examples]]
                           for v in report.violations]}


if __name__ == "__main__":
    pins = {name: observe(make()) for name, make in cases().items()}
    pins["inferred_specs"] = {name: json.loads(make().to_json()) for name, make in spec_cases().items()}
    PINS.write_text(json.dumps(pins, indent=1, sort_keys=True) + "\n")
    counts = ", ".join(f"{name}: {len(pin['values'])} measures" for name, pin in pins.items() if "values" in pin)
    print(f"wrote {PINS} ({counts})")
