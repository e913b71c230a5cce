"""Every measure value, detail, missing-value row, violation and inferred spec pinned on Adult and seeded frames.

The pins were written by ``python -m tests._quality_pin_cases`` before ``assess`` was vectorised for speed;
a faster implementation must give the learner exactly the same report.
"""

import json

import pytest

from tests._quality_pin_cases import PINS, cases, observe, spec_cases

PINNED = json.loads(PINS.read_text())


@pytest.fixture(autouse=True)
def as_when_pinned(monkeypatch):
    """The environment the pins were written in: without pyarrow. Where it is installed (`make test` installs the
    `parquet` extra), pandas holds text in pyarrow arrays, which take other memory (Efi-ML-1's value), and the
    portability measure adds a Parquet round trip (Por-ML-1's detail): other inputs, not other arithmetic."""
    import pandas as pd

    from lifecycle_kit.datasets import _load
    from lifecycle_kit.quality import measures

    monkeypatch.setattr(measures, "_parquet_available", lambda: False)
    monkeypatch.setattr(_load, "_CACHE", {})  # no dataset parsed with pyarrow's text by an earlier test
    with pd.option_context("mode.string_storage", "python"):
        yield


@pytest.mark.parametrize("name", sorted(cases()))
def test_every_measure_value_and_detail_is_unchanged(name):
    got, want = observe(cases()[name]()), PINNED[name]
    assert set(got["values"]) == set(want["values"])
    for measure_id, value in want["values"].items():
        assert got["values"][measure_id] == pytest.approx(value, rel=1e-12, abs=1e-12), measure_id
    assert got["details"] == want["details"]
    assert got["not_applicable"] == want["not_applicable"]
    assert got["missing"] == want["missing"]
    assert got["violations"] == want["violations"]


@pytest.mark.parametrize("name", sorted(spec_cases()))
def test_inferred_spec_is_unchanged(name):
    assert json.loads(spec_cases()[name]().to_json()) == PINNED["inferred_specs"][name]


def test_pins_cover_every_measure_but_the_requested_label_estimate():
    covered = set().union(*(pin["values"] for key, pin in PINNED.items() if "values" in pin))
    from lifecycle_kit.quality import MEASURES

    assert set(MEASURES) - covered == {"Acc-ML-4"}
