"""Stage 3 demonstration: labels borrowed from another owner, checked against the task's own definition."""

import pytest

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.planning import borrowed_labels


def test_borrowed_labels_disagree_with_the_measurement_and_cost_accuracy():
    result = borrowed_labels()
    table = result.crosstab
    assert table.to_numpy().sum() == 1461 and list(table.columns) == ["dry", "wet"]
    # The owner's "fog" and "sun" days include days with measured precipitation.
    assert table.loc["fog", "wet"] > 0 and table.loc["sun", "wet"] > 0
    borrowed_wet = table.loc[["rain", "drizzle", "snow"]].sum()
    borrowed_dry = table.drop(index=["rain", "drizzle", "snow"]).sum()
    assert result.agreement == pytest.approx((borrowed_wet["wet"] + borrowed_dry["dry"]) / 1461)
    assert result.agreement < 0.8
    assert result.accuracy_own > result.accuracy_borrowed + 0.1


def test_a_higher_threshold_changes_the_task_label():
    assert borrowed_labels(threshold_mm=5).crosstab["wet"].sum() < borrowed_labels().crosstab["wet"].sum()
    with pytest.raises(LifecycleKitError, match="threshold_mm"):
        borrowed_labels(threshold_mm=-1)
