"""Property tests: whatever frame a learner throws at it, assess and infer_spec answer or raise LifecycleKitError."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.pandas import column, data_frames, range_indexes

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.quality import assess, infer_spec

cells = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-10**12, 10**12),
    st.text(max_size=6),
    st.sampled_from(["?", "NA", "", " ", "not_known", "1,5", "inf", "-0"]),
    st.booleans(),
)

frames = data_frames(
    columns=[column(name, elements=cells, dtype=object) for name in ("a", "b", "c")],
    index=range_indexes(min_size=0, max_size=25),
)

typed_frames = data_frames(
    columns=[column("x", dtype=float), column("n", dtype=int), column("t", elements=st.text(max_size=3)),
             column("flag", dtype=bool)],
    index=range_indexes(min_size=0, max_size=25),
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _run(frame):
    try:
        report = assess(frame)
        for r in report.results:
            assert 0.0 <= r.value <= 1.0
        spec = infer_spec(frame)
        spec.validate(frame)
        spec.to_json()
    except LifecycleKitError:
        pass


@SETTINGS
@given(frames)
def test_mixed_object_frames_never_crash(frame):
    _run(frame)


@SETTINGS
@given(typed_frames)
def test_typed_frames_never_crash(frame):
    _run(frame)


@SETTINGS
@given(typed_frames, st.sampled_from(["x", "n", "t", "flag"]))
def test_with_a_target_never_crash(frame, target):
    try:
        assess(frame, target=target, reference=frame)
    except LifecycleKitError:
        pass


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"a": [np.nan] * 5, "b": range(5)}),
    pd.DataFrame({"a": [np.inf, -np.inf, 1.0, 2.0], "b": list("wxyz")}),
    pd.DataFrame({"a": [1]}),
    pd.DataFrame({"a": [1, "two", 3.0, None, True]}),
    pd.DataFrame({"id": [f"u{i}" for i in range(20000)], "v": np.arange(20000)}),
])
def test_awkward_frames_give_a_report(frame):
    report = assess(frame)
    assert report.rows == len(frame)
    infer_spec(frame).validate(frame)


def test_duplicate_column_names_are_refused():
    frame = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(LifecycleKitError, match="duplicate column names: a"):
        assess(frame)
