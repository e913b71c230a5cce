"""Poisoning attacks on training data: label flips and backdoor triggers, seeded, logging every touched row.

NIST AI 100-2 distinguishes availability poisoning (hurt accuracy everywhere:
random flips), targeted poisoning (hurt one class: targeted flips) and backdoor
poisoning (a trigger pattern makes the model answer as the attacker wants,
while clean accuracy stays intact). All three are dirty-label attacks: the
attacker changes labels as well as, for a backdoor, features.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from lifecycle_kit._validation import check_choice, check_fraction, check_random_state
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

if TYPE_CHECKING:
    from lifecycle_kit._typing import Matrix, Vector

__all__ = ["FLIP_STRATEGIES", "PixelPatch", "ValuePattern", "add_trigger", "apply_trigger", "default_pattern", "flip_labels"]

#: How label flipping chooses the rows to flip.
FLIP_STRATEGIES = ("random", "targeted", "boundary")


def _labels(y, name="y"):
    if isinstance(y, pd.DataFrame):
        raise LifecycleKitError(f"{name} must be one column of labels, not a DataFrame")
    values = np.asarray(y)
    if values.ndim != 1:
        raise LifecycleKitError(f"{name} must be one-dimensional; got shape {values.shape}")
    if len(values) == 0:
        raise LifecycleKitError(f"{name} is empty")
    if pd.isna(pd.Series(values)).any():
        raise LifecycleKitError(f"{name} has missing labels")
    classes = pd.unique(values)
    if len(classes) < 2:
        raise LifecycleKitError(f"{name} has a single class ({classes[0]!r}); poisoning needs at least two")
    return values, classes


def _class_exists(name, value, classes):
    if value is None:
        raise LifecycleKitError(_("{name} is required for a targeted attack", name=name))
    if value not in set(classes.tolist()):
        raise LifecycleKitError(_("{name} {value} is not a class of y; classes are {classes}", name=name, value=repr(value),
                                  classes=sorted(classes.tolist(), key=str)))


def _rows_mask(rows, n):
    if rows is None:
        return np.ones(n, dtype=bool)
    mask = np.asarray(rows)
    if mask.dtype == bool:
        if mask.shape != (n,):
            raise LifecycleKitError(f"rows mask has {mask.shape[0]} values but y has {n}")
        return mask
    out = np.zeros(n, dtype=bool)
    if len(mask) and (mask.min() < 0 or mask.max() >= n):
        raise LifecycleKitError(f"rows positions must be in [0, {n - 1}]")
    out[mask.astype(int)] = True
    return out


def _like(y, values):
    """Return ``values`` in the container type of ``y`` (Series keeps its index and name)."""
    if isinstance(y, pd.Series):
        return pd.Series(values, index=y.index, name=y.name)
    return values


def flip_labels(y: Vector, rate: float, *, strategy: str = "random", source: Any = None, target: Any = None,
                X: Matrix | None = None, rows: ArrayLike | None = None, model: Any = None,
                random_state: int | np.random.Generator | None = None) -> tuple[Any, np.ndarray]:
    """Flip training labels, as an attacker with write access to them would.

    Exactly ``round(rate * eligible)`` labels are flipped, where the eligible
    rows are those in ``rows`` (all by default) and, for a targeted attack,
    labelled ``source``.

    Parameters
    ----------
    y : array-like or pandas.Series
        Clean labels.
    rate : float in [0, 1)
        Share of eligible labels to flip.
    strategy : {"random", "targeted", "boundary"}, default="random"
        ``random``: each flipped label becomes another class chosen at random
        (availability attack). ``targeted``: labels of class ``source`` become
        ``target``. ``boundary``: the labels a clean model is least sure about
        are flipped to the model's second choice — more damage per flip.
    source, target : class labels
        For ``targeted``; ``target`` may also fix the new label of ``random``
        and ``boundary`` flips.
    X : array-like, default=None
        Features, needed by ``boundary``.
    rows : boolean mask or positions, default=None
        Rows the attacker controls (a compromised source).
    model : scikit-learn classifier, default=None
        The clean model for ``boundary`` (logistic regression by default).
    random_state : int or Generator, default=None

    Returns
    -------
    y_poisoned : same type as ``y``
    flipped : numpy.ndarray
        Positions of the flipped labels, ascending.

    Examples
    --------
    >>> y = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    >>> poisoned, flipped = flip_labels(y, 0.5, strategy="targeted", source=1, target=0, random_state=0)
    >>> flipped
    array([7, 8, 9])
    >>> poisoned.tolist()
    [0, 0, 0, 0, 1, 1, 1, 0, 0, 0]
    """
    check_choice("strategy", strategy, FLIP_STRATEGIES)
    check_fraction("rate", rate)
    values, classes = _labels(y)
    rng = check_random_state(random_state)
    eligible = _rows_mask(rows, len(values))
    if strategy == "targeted":
        _class_exists("source", source, classes)
        _class_exists("target", target, classes)
        if source == target:
            raise LifecycleKitError(_("source and target must differ; both are {value}", value=repr(source)))
        eligible &= values == source
    elif target is not None:
        _class_exists("target", target, classes)
        eligible &= values != target
    candidates = np.flatnonzero(eligible)
    n = int(round(rate * len(candidates)))
    poisoned = values.copy()
    if n == 0:
        return _like(y, poisoned), np.empty(0, dtype=int)
    if strategy == "boundary":
        flipped, new = _boundary_choice(X, values, classes, candidates, n, model, target, rng)
    else:
        flipped = np.sort(rng.choice(candidates, size=n, replace=False))
        if target is not None:
            new = np.full(n, target, dtype=values.dtype if values.dtype != object else object)
        else:
            new = np.array([_other(values[i], classes, rng) for i in flipped], dtype=object)
    if poisoned.dtype != object and np.asarray(new).dtype == object:
        new = np.asarray(new).astype(poisoned.dtype)
    poisoned[flipped] = new
    return _like(y, poisoned), flipped


def _other(label, classes, rng):
    others = [c for c in classes if c != label]
    return others[rng.integers(len(others))]


def _boundary_choice(X, values, classes, candidates, n, model, target, rng):
    from sklearn.base import clone

    from lifecycle_kit.models import make_classifier

    if X is None:
        raise LifecycleKitError("strategy='boundary' needs X (the features) to find the points near the boundary")
    if len(X) != len(values):
        raise LifecycleKitError(f"X has {len(X)} rows but y has {len(values)} labels")
    estimator = make_classifier(X) if model is None else clone(model)
    estimator.fit(X, values)
    proba = estimator.predict_proba(X.iloc[candidates] if isinstance(X, pd.DataFrame) else np.asarray(X)[candidates])
    order = list(estimator.classes_)
    own = np.array([proba[k, order.index(values[i])] for k, i in enumerate(candidates)])
    masked = proba.copy()
    for k, i in enumerate(candidates):
        masked[k, order.index(values[i])] = -1
    runner_up = np.array(order, dtype=object)[masked.argmax(axis=1)]
    # Least sure first; ties broken at random so the choice stays seeded but unbiased.
    ranking = np.lexsort((rng.random(len(candidates)), own))[:n]
    chosen = candidates[ranking]
    new = np.full(n, target, dtype=object) if target is not None else runner_up[ranking]
    order_by_position = np.argsort(chosen)
    return chosen[order_by_position], np.asarray(new)[order_by_position]


# --- backdoor triggers -------------------------------------------------------------------
@dataclass(frozen=True)
class PixelPatch:
    """A square of bright pixels in a corner of an image stored row by row in the columns.

    Parameters
    ----------
    size : int, default=3
    corner : {"bottom-right", "bottom-left", "top-right", "top-left"}, default="bottom-right"
    value : float, default=16.0
        Pixel intensity (16 is the maximum of the 8x8 digits).
    image_shape : (int, int), default=(8, 8)
    """

    size: int = 3
    corner: str = "bottom-right"
    value: float = 16.0
    image_shape: tuple[int, int] = (8, 8)

    def columns(self) -> list[int]:
        height, width = self.image_shape
        if not 1 <= self.size <= min(height, width):
            raise LifecycleKitError(_("patch size must be between 1 and {largest}; got {size}",
                                      largest=min(height, width), size=self.size))
        check_choice("corner", self.corner, ("bottom-right", "bottom-left", "top-right", "top-left"))
        rows = range(height - self.size, height) if self.corner.startswith("bottom") else range(self.size)
        cols = range(width - self.size, width) if self.corner.endswith("right") else range(self.size)
        return [r * width + c for r in rows for c in cols]

    def apply(self, X: Matrix) -> np.ndarray:
        X = np.array(X, dtype=float, copy=True)
        height, width = self.image_shape
        if X.shape[1] != height * width:
            raise LifecycleKitError(f"a {height}x{width} pixel patch needs {height * width} columns; X has {X.shape[1]}")
        X[:, self.columns()] = self.value
        return X

    def describe(self) -> str:
        """The patch in words, said in the reader's language when shown: ``"bottom-right, 3×3 pixels"``."""
        return N_("{corner}, {size}×{size} pixels", corner=CORNER_LABELS.get(self.corner, self.corner), size=self.size)


#: The corners of :class:`PixelPatch`, as a reader reads them.
CORNER_LABELS = {"bottom-right": N_("bottom-right"), "bottom-left": N_("bottom-left"), "top-right": N_("top-right"),
                 "top-left": N_("top-left")}


@dataclass(frozen=True)
class ValuePattern:
    """A tabular trigger: chosen features set to fixed values, e.g. ``{"mean radius": 30.0}``."""

    values: dict[Any, float]

    def apply(self, X: Matrix) -> pd.DataFrame | np.ndarray:
        if isinstance(X, pd.DataFrame):
            missing = [c for c in self.values if c not in X.columns]
            if missing:
                raise LifecycleKitError(f"trigger columns {missing} are not in X")
            out = X.copy()
            for c, v in self.values.items():
                out[c] = v
            return out
        X = np.array(X, dtype=float, copy=True)
        for c, v in self.values.items():
            if not isinstance(c, (int, np.integer)) or not 0 <= c < X.shape[1]:
                raise LifecycleKitError(f"trigger column {c!r} must be a column position for an array X")
            X[:, c] = v
        return X


def default_pattern(X: pd.DataFrame | np.ndarray) -> PixelPatch | ValuePattern:
    """A pixel patch for 64-column image data; otherwise the two last numeric columns set far above their range."""
    n_columns = X.shape[1]
    if n_columns == 64 and (not isinstance(X, pd.DataFrame) or all(str(c).startswith("pixel") for c in X.columns)):
        return PixelPatch()
    frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X, dtype=float))
    numeric = frame.select_dtypes("number").columns[-2:]
    if len(numeric) == 0:
        raise LifecycleKitError("no numeric column to carry a trigger; pass pattern=ValuePattern({...})")
    values = {c: float(frame[c].max() + 2 * frame[c].std()) for c in numeric}
    return ValuePattern(values)


def apply_trigger(X: Matrix,
                  pattern: PixelPatch | ValuePattern | None = None) -> pd.DataFrame | np.ndarray:
    """Stamp the trigger on every row of ``X`` (to test a trained model's backdoor)."""
    pattern = default_pattern(X) if pattern is None else pattern
    out = pattern.apply(X)
    if isinstance(X, pd.DataFrame) and not isinstance(out, pd.DataFrame):
        out = pd.DataFrame(out, index=X.index, columns=X.columns)
    return out


def add_trigger(X: "np.ndarray | pd.DataFrame | Sequence[Any]", y: "np.ndarray | pd.Series | Sequence[Any]",
                rate: float, *, target_label: Any,
                pattern: "PixelPatch | ValuePattern | None" = None,
                random_state: int | np.random.Generator | None = None) -> tuple[Any, Any, np.ndarray]:
    """Backdoor poisoning: stamp a trigger on some rows of other classes and relabel them ``target_label``.

    Parameters
    ----------
    X : array-like or DataFrame
    y : array-like or Series
    rate : float in [0, 1)
        Share of *all* rows to poison (chosen among rows not already of ``target_label``).
    target_label : class label
        What the model should answer whenever the trigger is present.
    pattern : PixelPatch or ValuePattern, default=None
        :func:`default_pattern` when None.
    random_state : int or Generator, default=None

    Returns
    -------
    X_poisoned, y_poisoned : copies of the inputs' types
    poisoned : numpy.ndarray
        Positions of the poisoned rows.

    Examples
    --------
    >>> from lifecycle_kit.datasets import load
    >>> digits = load("digits")
    >>> Xp, yp, rows = add_trigger(digits.frame, digits.target, 0.02, target_label=0, random_state=0)
    >>> len(rows), int((yp.iloc[rows] == 0).all()), float(Xp.iloc[rows[0]]["pixel_7_7"])
    (36, 1, 16.0)
    """
    check_fraction("rate", rate)
    values, classes = _labels(y)
    if len(X) != len(values):
        raise LifecycleKitError(f"X has {len(X)} rows but y has {len(values)} labels")
    _class_exists("target_label", target_label, classes)
    rng = check_random_state(random_state)
    pattern = default_pattern(X) if pattern is None else pattern
    candidates = np.flatnonzero(values != target_label)
    n = min(int(round(rate * len(values))), len(candidates))
    chosen = np.sort(rng.choice(candidates, size=n, replace=False)) if n else np.empty(0, dtype=int)
    y_out = values.copy()
    y_out[chosen] = target_label
    if isinstance(X, pd.DataFrame):
        X_out = X.copy()
        if n:
            stamped = apply_trigger(X.iloc[chosen], pattern)
            X_out.iloc[chosen] = stamped.to_numpy() if isinstance(stamped, pd.DataFrame) else stamped
    else:
        X_out = np.array(X, dtype=float, copy=True)
        if n:
            X_out[chosen] = pattern.apply(X_out[chosen])
    return X_out, _like(y, y_out), chosen
