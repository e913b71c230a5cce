"""Stage 8 practice: a retraining policy of one's own, run by StreamMonitor and scored by compare_policies."""

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit.course.selfchecks.system_operation import _retrain_window
from lifecycle_kit.drift import StreamMonitor, compare_policies
from lifecycle_kit.errors import LifecycleKitError


@pytest.fixture(scope="module")
def monitor():
    """Ten weeks of hourly data; from week six the rule from x to y flips (concept drift)."""
    rng = np.random.default_rng(0)
    stamps = pd.date_range("2020-01-06", periods=24 * 7 * 10, freq="h")
    x = rng.normal(size=len(stamps))
    flipped = stamps >= pd.Timestamp("2020-02-10")
    y = np.where(flipped, -x, x) * 10 + rng.normal(scale=1.0, size=len(stamps))
    frame = pd.DataFrame({"timestamp": stamps, "x": x, "y": y})
    return StreamMonitor(frame, target="y", time_column="timestamp", features=["x"], reference_end="2020-01-20",
                         period="week", random_state=0)


def test_a_policy_function_that_mirrors_on_alert_gives_the_same_run(monitor):
    def on_alert_4(history, floor):
        return 4 if history["below_floor"].iloc[-1] else 0

    built_in = monitor.run(policy="on_alert", floor=0.5, retrain_window=4)
    custom = monitor.run(policy=on_alert_4, floor=0.5)
    assert built_in.retrain_count > 0  # the flip is caught, so the comparison is not vacuous
    pd.testing.assert_frame_equal(custom.chunks, built_in.chunks)
    assert custom.policy == "on_alert_4"


def test_keeping_the_model_is_0_or_none_and_equals_never(monitor):
    never = monitor.run(policy="never", floor=0.5)
    for keep in (lambda history, floor: 0, lambda history, floor: None):
        pd.testing.assert_frame_equal(monitor.run(policy=keep, floor=0.5).chunks, never.chunks)


def test_the_policy_sees_the_history_so_far_and_the_floor(monitor):
    seen = []

    def spy(history, floor):
        seen.append((len(history), list(history.columns), floor))
        return 0

    monitor.run(policy=spy, floor=0.4)
    assert [n for n, _, _ in seen] == list(range(1, len(monitor.periods) + 1))
    assert {"period", "score", "below_floor", "drift_share"} <= set(seen[0][1]) and seen[0][2] == 0.4


def test_the_window_the_policy_returns_is_the_window_retrained_on(monitor):
    result = monitor.run(policy=_retrain_window, floor=0.5)
    retrained_at = list(result.chunks.index[result.chunks["retrained"]])
    assert retrained_at, "the flip must trigger a retrain"
    k = retrained_at[0]
    window = _retrain_window(result.chunks.iloc[:k], 0.5)
    assert window >= 2
    expected_rows = sum(len(monitor._rows[p]) for p in monitor.periods[k - window:k])
    assert any(len_rows == expected_rows for (_, _, len_rows) in monitor._models)


@pytest.mark.parametrize("bad", [-1, 2.5, "2", True])
def test_a_policy_returning_something_else_is_refused(monitor, bad):
    with pytest.raises(LifecycleKitError, match="number of periods >= 0"):
        monitor.run(policy=lambda history, floor: bad, floor=0.5)


def test_compare_policies_scores_custom_policies_on_the_same_stream(monitor):
    table = compare_policies(monitor, floor=0.5, custom={"mine": _retrain_window})
    assert list(table["policy"]) == ["never", "schedule", "on_alert", "mine"]
    mine = table.set_index("policy").loc["mine"]
    assert mine["retrains"] > 0 and mine["mean_score"] > table.set_index("policy").loc["never", "mean_score"]
