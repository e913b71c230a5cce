"""Simulated drift: shifted features, changed class balance, changed concepts, and serving bugs.

Streams are seeded and carry their truth (where each change starts, which
concept produced each row), so a detector's delay and false alarms can be
measured. The drift kinds follow the usual taxonomy (Gama et al. 2014):

- **covariate** drift: the inputs' distribution moves, the rule from x to y does not;
- **prior** (label) drift: the share of each class changes;
- **concept** drift: the rule from x to y changes while the inputs keep their distribution (pure concept
  drift) — invisible to input tests.

and the change happens with a **pattern**: ``sudden``, ``gradual`` (old and new
concepts alternate, the new one more and more often), ``incremental`` (the
concept moves step by step) or ``recurring`` (the old concept comes back).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_choice, check_fraction, check_number, check_random_state
from lifecycle_kit.display import vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_

if TYPE_CHECKING:
    from lifecycle_kit._typing import Matrix

__all__ = ["DRIFT_KINDS", "PATTERNS", "SERVING_BUGS", "DriftStream", "covariate_shift", "make_stream", "prior_shift",
           "serving_bug"]

#: The kinds of drift the simulator makes: none, covariate, prior (label), concept.
DRIFT_KINDS = ("none", "covariate", "prior", "concept")
#: How drift unfolds over time.
PATTERNS = ("sudden", "gradual", "incremental", "recurring")


@dataclass
class DriftStream:
    """A synthetic stream: features ``x1, x2, x3``, label ``y``, and the truth about its changes.

    Attributes
    ----------
    frame : pandas.DataFrame
        ``x1, x2, x3, y, weight`` where ``weight`` is how far the new concept has taken over (0 to 1).
    change_points : list of int
        Where each change starts (the recurring pattern has two: away and back).
    kind, pattern : str
    """

    frame: pd.DataFrame
    change_points: list[int]
    kind: str
    pattern: str

    @property
    def X(self):
        return self.frame[["x1", "x2", "x3"]]

    @property
    def y(self):
        return self.frame["y"]


def _weights(n, pattern, start, width):
    t = np.arange(n)
    if pattern in ("sudden", "gradual"):
        ramp = np.clip((t - start) / max(width, 1), 0, 1) if pattern == "gradual" else (t >= start).astype(float)
        return ramp, [start]
    if pattern == "incremental":
        return np.clip((t - start) / max(width, 1), 0, 1), [start]
    back = min(n - 1, start + max(width, 1) * 2)
    return ((t >= start) & (t < back)).astype(float), [start, back]


def make_stream(n: int = 4000, *, kind: Literal["none", "covariate", "prior", "concept"] = "concept",
                pattern: Literal["sudden", "gradual", "incremental", "recurring"] = "sudden", magnitude: float = 1.0,
                start: int | None = None, width: int = 400, noise: float = 0.05,
                random_state: int | np.random.Generator | None = None) -> DriftStream:
    """A stream of ``n`` rows with one kind of drift starting at ``start`` (default: the middle).

    The label rule is ``y = 1 if x1 + x2 > threshold`` (a SEA-style concept) with
    ``noise`` of labels flipped; ``x3`` is irrelevant.

    Parameters
    ----------
    kind : {"none", "covariate", "prior", "concept"}, default="concept"
    pattern : {"sudden", "gradual", "incremental", "recurring"}, default="sudden"
    magnitude : float, default=1.0
        Size of the change: shift of x1 in standard deviations (covariate), change of the
        positive share by ``0.35 * magnitude`` (prior), shift of the threshold (concept).
    start : int, default=None
    width : int, default=400
        Length of the transition (gradual, incremental) or of the excursion (recurring: back after 2 x width).
    noise : float, default=0.05
    random_state : int or Generator, default=None

    Examples
    --------
    >>> s = make_stream(1000, kind="concept", pattern="sudden", random_state=0)
    >>> s.change_points, round(float(s.frame["y"][:500].mean()), 2), round(float(s.frame["y"][500:].mean()), 2)
    ([500], 0.48, 0.31)
    """
    check_choice("kind", kind, DRIFT_KINDS)
    check_choice("pattern", pattern, PATTERNS)
    n = int(check_number("n", n, low=10, integer=True))
    magnitude = check_number("magnitude", magnitude, low=0.0)
    check_fraction("noise", noise)
    start = n // 2 if start is None else int(check_number("start", start, low=1, high=n - 1, integer=True))
    rng = check_random_state(random_state)
    weight, change_points = _weights(n, pattern, start, width)
    if kind == "none":
        weight, change_points = np.zeros(n), []
    # Gradual drift alternates whole concepts: each row follows the new one with probability `weight`.
    active = (rng.random(n) < weight).astype(float) if pattern == "gradual" else weight
    x = rng.normal(0, 1, (n, 3))
    if kind == "covariate":
        x[:, 0] += magnitude * active
    threshold = np.zeros(n) + (0.7 * magnitude * active if kind == "concept" else 0.0)
    y = (x[:, 0] + x[:, 1] > threshold).astype(int)
    flip = rng.random(n) < noise
    y[flip] = 1 - y[flip]
    frame = pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "x3": x[:, 2], "y": y, "weight": active})
    if kind == "prior":
        frame = _resample_prior(frame, active, magnitude, rng)
    return DriftStream(frame=frame, change_points=change_points, kind=kind, pattern=pattern)


def _resample_prior(frame, active, magnitude, rng):
    """Replace rows so the positive share moves from 0.5 to 0.5 + 0.35 * magnitude where the drift is active."""
    target = np.clip(0.5 + 0.35 * magnitude * active, 0.02, 0.98)
    positives = frame[frame["y"] == 1].to_numpy()
    negatives = frame[frame["y"] == 0].to_numpy()
    rows = []
    for share in target:
        pool = positives if rng.random() < share else negatives
        rows.append(pool[rng.integers(len(pool))])
    out = pd.DataFrame(rows, columns=frame.columns)
    out["y"] = out["y"].astype(int)
    out["weight"] = active
    return out


def covariate_shift(frame: pd.DataFrame, columns: Sequence[str], *, shift: float = 0.5,
                    scale: float = 1.0) -> pd.DataFrame:
    """A copy with ``columns`` shifted by ``shift`` standard deviations and their spread multiplied by ``scale``.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0]})
    >>> covariate_shift(df, ["a"], shift=1.0)["a"].round(3).tolist()
    [1.291, 2.291, 3.291, 4.291]
    """
    out = frame.copy()
    for c in columns:
        if c not in frame.columns:
            raise LifecycleKitError(f"column {c!r} not in the frame")
        if not pd.api.types.is_numeric_dtype(frame[c].dtype):
            raise LifecycleKitError(f"column {c!r} is not numeric; covariate shift moves numbers")
        values = frame[c].astype(float)
        centre, spread = values.mean(), values.std()
        out[c] = centre + (values - centre) * scale + shift * spread
    return out


def prior_shift(X: Matrix, y: pd.Series, *, proportions: Mapping[Any, float], n: int | None = None,
                random_state: int | np.random.Generator | None = None
                ) -> tuple[pd.DataFrame | np.ndarray, pd.Series]:
    """Resample rows so each class has the given share (e.g. ``{"<=50K": 0.5, ">50K": 0.5}``)."""
    y = pd.Series(np.asarray(y))
    rng = check_random_state(random_state)
    total = sum(proportions.values())
    if not np.isclose(total, 1.0):
        raise LifecycleKitError(f"proportions must sum to 1; they sum to {total}")
    unknown = set(proportions) - set(y.unique())
    if unknown:
        raise LifecycleKitError(f"classes {sorted(map(str, unknown))} are not in y")
    n = len(y) if n is None else int(n)
    chosen = []
    for label, share in proportions.items():
        pool = np.flatnonzero(y.to_numpy() == label)
        chosen.extend(rng.choice(pool, size=int(round(share * n)), replace=True))
    chosen = np.asarray(chosen)
    X_out = X.iloc[chosen].reset_index(drop=True) if isinstance(X, pd.DataFrame) else np.asarray(X)[chosen]
    return X_out, y.iloc[chosen].reset_index(drop=True)


#: Serving bugs: label -> what happens.
SERVING_BUGS = {
    "none": "no bug",
    "swapped_columns": "two numeric columns arrive in each other's place",
    "unit_x1000": "a column arrives in units a thousand times smaller (kilometres as metres, kg as grams)",
    "celsius_to_fahrenheit": "a temperature arrives in degrees Fahrenheit instead of Celsius",
    "millimetres_to_centimetres": "a length arrives in centimetres instead of millimetres (values / 10)",
    "missing_column": "a column is not sent at all",
    "renamed_category": "a category is spelled differently ('rain' becomes 'Rain')",
    "changed_dtype": "numbers arrive as text with a decimal comma",
}
vocabulary(headings={"bug": N_("bug"), "what happens": N_("what happens")},
           values={"bug": {"none": N_("none")}, "what happens": {  # SERVING_BUGS' texts, one literal each so that Babel extracts them
               "no bug": N_("no bug"),
               "two numeric columns arrive in each other's place": N_("two numeric columns arrive in each other's place"),
               "a column arrives in units a thousand times smaller (kilometres as metres, kg as grams)":
                   N_("a column arrives in units a thousand times smaller (kilometres as metres, kg as grams)"),
               "a temperature arrives in degrees Fahrenheit instead of Celsius":
                   N_("a temperature arrives in degrees Fahrenheit instead of Celsius"),
               "a length arrives in centimetres instead of millimetres (values / 10)":
                   N_("a length arrives in centimetres instead of millimetres (values / 10)"),
               "a column is not sent at all": N_("a column is not sent at all"),
               "a category is spelled differently ('rain' becomes 'Rain')":
                   N_("a category is spelled differently ('rain' becomes 'Rain')"),
               "numbers arrive as text with a decimal comma": N_("numbers arrive as text with a decimal comma")}})


def serving_bug(frame: pd.DataFrame, kind: str, *, column: str | None = None, other: str | None = None,
                share: float = 1.0, random_state: int | np.random.Generator | None = None) -> pd.DataFrame:
    """Apply a deployment bug to a batch of serving data.

    Parameters
    ----------
    frame : pandas.DataFrame
    kind : str
        A key of :data:`SERVING_BUGS`.
    column : str
        The column hit by the bug (for ``swapped_columns``, the first of the pair).
    other : str
        The second column of ``swapped_columns``.
    share : float, default=1.0
        Share of rows affected (a bug in one of several sensors, a partial rollout).
    random_state : int or Generator, default=None

    Returns
    -------
    pandas.DataFrame
    """
    check_choice("kind", kind, list(SERVING_BUGS))
    check_fraction("share", share, allow_one=True)
    out = frame.copy()
    if kind == "none":
        return out
    if column is None or column not in frame.columns:
        raise LifecycleKitError(f"serving bug {kind!r} needs column= one of {', '.join(map(str, frame.columns))}")
    if kind == "missing_column":
        return out.drop(columns=column)
    rng = check_random_state(random_state)
    rows = rng.random(len(frame)) < share
    if kind == "swapped_columns":
        if other is None or other not in frame.columns:
            raise LifecycleKitError("swapped_columns needs other= (the second column)")
        a = out.loc[rows, column].to_numpy(copy=True)
        b = out.loc[rows, other].to_numpy(copy=True)
        out.loc[rows, column] = b
        out.loc[rows, other] = a
    elif kind in ("unit_x1000", "celsius_to_fahrenheit", "millimetres_to_centimetres"):
        if not pd.api.types.is_numeric_dtype(frame[column].dtype):
            raise LifecycleKitError(f"{kind} needs a numeric column; {column!r} is {frame[column].dtype}")
        values = out[column].astype(float)
        if kind == "unit_x1000":
            values[rows] = values[rows] * 1000
        elif kind == "celsius_to_fahrenheit":
            values[rows] = values[rows] * 9 / 5 + 32
        else:
            values[rows] = values[rows] / 10
        out[column] = values
    elif kind == "renamed_category":
        text = out[column].astype(object)
        text[rows] = [str(v).capitalize() if str(v) != str(v).capitalize() else str(v).upper()
                      for v in text[rows]]
        out[column] = text
    else:  # changed_dtype
        text = out[column].astype(object)
        text[rows] = [str(v).replace(".", ",") for v in text[rows]]
        out[column] = text
    return out
