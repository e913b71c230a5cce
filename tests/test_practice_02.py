"""Stage 2 demonstrations: single-bit flips in a saved model, and a feature the service cannot obtain."""

import hashlib

import numpy as np
import pytest

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.integrity.models import bit_field, bit_flip_scan, flip_bit, weights_from_bytes, weights_to_bytes


def test_flip_bit_changes_exactly_one_bit_of_the_chosen_weight():
    weights = np.array([0.5, -2.25, 3.0])
    content = weights_to_bytes(weights)
    for weight in range(3):
        for bit in (0, 31, 52, 62, 63):
            damaged = flip_bit(content, weight=weight, bit=bit)
            differing = sum(bin(a ^ b).count("1") for a, b in zip(content, damaged))
            assert differing == 1
            loaded = weights_from_bytes(damaged)
            assert np.array_equal(np.delete(loaded, weight), np.delete(weights, weight))
            assert loaded[weight] != weights[weight]
    assert weights_from_bytes(flip_bit(content, weight=1, bit=63))[1] == 2.25  # the sign bit


def test_flip_bit_refuses_positions_outside_the_weights():
    content = weights_to_bytes([1.0, 2.0])
    with pytest.raises(LifecycleKitError, match="weight"):
        flip_bit(content, weight=2, bit=0)
    with pytest.raises(LifecycleKitError, match="bit"):
        flip_bit(content, weight=0, bit=64)
    with pytest.raises(LifecycleKitError, match="not a weights file"):
        weights_from_bytes(b"not numpy")


def test_bit_fields_of_a_float64():
    assert [bit_field(b) for b in (0, 51, 52, 62, 63)] == ["mantissa", "mantissa", "exponent", "exponent", "sign"]


def test_some_single_bits_change_decisions_and_the_digest_catches_every_flip():
    result = bit_flip_scan()
    flips = result.flips
    assert len(flips) == 31 * 64 and result.n_test == 171
    assert 0.9 < result.accuracy < 1.0
    worst = result.worst
    assert worst["decisions_changed"] > result.n_test * 0.3 and worst["accuracy"] < result.accuracy - 0.3
    assert worst["field"] == "exponent"
    summary = result.summary()
    # Most mantissa bits change nothing; exponent bits mostly do — and the digest sees all of them.
    assert summary.loc["mantissa", "change_decisions"] < 0.1 * summary.loc["mantissa", "bits"]
    assert summary.loc["exponent", "change_decisions"] > 0.5 * summary.loc["exponent", "bits"]
    assert summary.loc["all", "caught_by_digest"] == summary.loc["all", "bits"] == len(flips)
    silent = flips[flips["decisions_changed"] == 0]
    assert len(silent) > 1000 and silent["digest_changed"].all()
    saved = weights_to_bytes(flips.drop_duplicates("weight")["before"].to_numpy())  # the undamaged file again
    assert result.digest == hashlib.sha256(saved).hexdigest()


def test_a_feature_missing_in_service_breaks_what_validation_promised():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.requirements import serving_gap

    bikes = load("bike_sharing")
    gap = serving_gap(bikes.frame, bikes.target, unavailable=["casual", "registered"])
    assert gap.r2_validated > 0.95  # casual + registered = the target: validation looks perfect
    assert gap.r2_in_service < 0.3 < gap.r2_trained_without  # served without them it is worse than honest
    assert gap.mae_in_service > 2 * gap.mae_trained_without
    assert "casual" in gap.error_when_absent and "registered" in gap.error_when_absent
    assert list(gap.table().index)[1].startswith("in service")


def test_serving_gap_names_an_unknown_column():
    import pandas as pd

    from lifecycle_kit.requirements import serving_gap

    with pytest.raises(LifecycleKitError, match="not found"):
        serving_gap(pd.DataFrame({"a": range(10)}), pd.Series(range(10)), unavailable=["b"])
    with pytest.raises(LifecycleKitError, match="numeric"):
        serving_gap(pd.DataFrame({"a": range(10)}), pd.Series(list("ab") * 5), unavailable=["a"])
