"""Stream detectors: watch a value or an error signal one observation at a time and say when it changed.

Three classic detectors, small enough to read:

- :class:`PageHinkley` — cumulative deviation from the running mean; fires when
  the signal's mean has risen (or fallen, see ``mode``) by more than
  ``threshold`` in total.
- :class:`DDM` (Gama et al. 2004) — for a stream of errors (0/1); fires when the
  error rate plus its standard deviation exceeds its best value by 3 standard
  deviations (a warning at 2).
- :class:`ADWIN` (Bifet & Gavaldà 2007) — keeps an adaptive window in
  exponential-histogram buckets and fires when the means of an old and a recent
  part of it differ by more than a Hoeffding-style bound.

They follow river's conventions, so code moves between the two unchanged:
``update(x)`` then read ``drift_detected`` (DDM also has
``warning_detected``), with river's parameter names and defaults;
``n_detections`` counts the detections so far, ``clone()`` gives a fresh
detector with the same parameters (``clone({"delta": 0.01})`` changes some),
and the ``repr`` shows the parameters as a call that builds the same detector.
``update`` also returns the flag, and ``detect(stream)`` gives the list of
indices where drift was detected. After firing, a detector starts afresh (as
river's do, at their next update). river's own detector tests run against these
classes in ``tests/test_crosscheck.py``.

One name differs on purpose: river's ``ADWIN.variance`` is the window's *sum* of
squared deviations, not a variance. The kit's ADWIN says which it means:
``sum_squared_deviations`` (river's ``variance``) and ``window_variance`` (that
sum over the window length); its former ``variance`` still reads the latter,
with a FutureWarning.
"""

from __future__ import annotations

import copy
import inspect
import math
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from lifecycle_kit._validation import check_choice, check_number
from lifecycle_kit.errors import LifecycleKitError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["ADWIN", "DDM", "DETECTORS", "PageHinkley", "detection_delays", "make_detector"]


def _renamed(old_name, old_value, new_name, new_value, default, convert=lambda v: v):
    """The value of a renamed keyword: the new name wins; the old one still works, with a FutureWarning."""
    if old_value is None:
        return new_value
    if new_value != default:
        raise LifecycleKitError(f"give either {new_name} or the deprecated {old_name}, not both")
    warnings.warn(f"{old_name} is deprecated; use {new_name} (river's name) instead", FutureWarning, stacklevel=3)
    return convert(old_value)


class _Detector:
    #: True right after the ``update`` that detected drift (river's flag).
    drift_detected = False
    #: Detections since the detector was built (or :meth:`reset`).
    n_detections = 0
    #: Former parameter names still accepted -> their new names.
    _DEPRECATED: dict[str, str] = {}

    def reset(self) -> None:
        """Forget every value seen and the detection count: the detector as just built."""
        self._start_afresh()
        self.n_detections = 0

    def _start_afresh(self) -> None:
        """Forget the values seen (after a detection, and in :meth:`reset`)."""
        raise NotImplementedError

    def _detected(self) -> bool:
        """Start afresh after a detection and count it; True, for ``update`` to return."""
        self._start_afresh()
        self.n_detections += 1
        self.drift_detected = True
        return True

    def update(self, x: float) -> bool:
        raise NotImplementedError

    def get_params(self) -> dict[str, Any]:
        """The constructor's parameters and their values (a former name reads None: see its new name).

        river's checks call it ``_get_params``, which is the same method.
        """
        return {name: getattr(self, name, None) if name not in self._DEPRECATED else None
                for name in inspect.signature(type(self)).parameters}

    _get_params = get_params

    def clone(self, new_params: dict[str, Any] | None = None, include_attributes: bool = False) -> _Detector:
        """A fresh detector with the same parameters, as river's ``clone``.

        Parameters
        ----------
        new_params : dict, default=None
            Parameters to change in the copy, e.g. ``{"delta": 0.01}``.
        include_attributes : bool, default=False
            Copy what the detector has seen too (its window, counts and flags),
            not only its parameters.

        Examples
        --------
        >>> ADWIN(delta=0.01).clone({"clock": 8})
        ADWIN(delta=0.01, clock=8, max_buckets=5, min_window_length=5, grace_period=10, max_window=None)
        """
        known = self.get_params()
        changes = dict(new_params or {})
        unknown = [name for name in changes if name not in known]
        if unknown:
            raise LifecycleKitError(f"{type(self).__name__} has no parameter {unknown[0]!r}; its parameters are "
                                    + ", ".join(name for name in known if name not in self._DEPRECATED))
        params = {name: value for name, value in known.items() if name not in self._DEPRECATED}
        for old_name in changes.keys() & self._DEPRECATED.keys():
            params.pop(self._DEPRECATED[old_name], None)  # the former name given: it decides, not the current value
        params.update(changes)
        twin = type(self)(**params)
        if include_attributes:
            for name, value in vars(self).items():
                if name not in params:
                    setattr(twin, name, copy.deepcopy(value))
        return twin

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.get_params().items()
                          if name not in self._DEPRECATED)
        return f"{type(self).__name__}({shown})"

    @staticmethod
    def _stream_values(stream):
        try:
            values = np.asarray(stream, dtype=float).ravel()
        except (TypeError, ValueError) as err:
            raise LifecycleKitError(f"stream must hold numbers: {err}") from None
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise LifecycleKitError(f"stream value at index {bad[0]} is not a finite number: {values[bad[0]]!r}")
        return values

    def detect(self, stream: ArrayLike) -> list[int]:
        """Run over a whole stream from a fresh start; the indices where drift was detected."""
        values = self._stream_values(stream)
        self.reset()
        update = self.update
        # A Python list of floats: iterating over numpy scalars would cost more than the detectors' own work.
        return [i for i, x in enumerate(values.tolist()) if update(x)]


class PageHinkley(_Detector):
    """Page-Hinkley test for a change in the mean of a stream.

    Parameters
    ----------
    min_instances : int, default=30
        Observations before the first detection is allowed.
    delta : float, default=0.005
        Magnitude of change tolerated per observation.
    threshold : float, default=50.0
        Cumulative deviation that triggers a detection (lambda).
    alpha : float, default=0.9999
        Forgetting factor of the cumulative sums.
    mode : {"both", "up", "down"}, default="both"
        Watch for a rise of the mean ("up"), a fall ("down") or either
        ("both", river's default).

    Attributes
    ----------
    drift_detected : bool
        True right after the update that detected drift.
    n_detections : int
        Detections since the detector was built (or :meth:`reset`).

    Notes
    -----
    Same parameters, names and defaults as river's ``drift.PageHinkley``: the
    cross-check tests find detections at identical indices on seeded streams in
    every mode. Watching errors, ``mode="up"`` is usually what is meant (a fall
    in the error rate is good news, not an alarm).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(42)
    >>> stream = np.concatenate([rng.normal(0, 1, 1000), rng.normal(3, 1, 1000)])
    >>> PageHinkley(threshold=50, mode="up").detect(stream)
    [1011]
    >>> detector = PageHinkley(mode="down")  # river's way: update, then read drift_detected
    >>> for x in stream:
    ...     _ = detector.update(x)
    ...     assert not detector.drift_detected  # the mean only rose
    """

    def __init__(self, *, min_instances: int = 30, delta: float = 0.005, threshold: float = 50.0,
                 alpha: float = 1 - 0.0001, mode: Literal["both", "up", "down"] = "both") -> None:
        self.min_instances = int(check_number("min_instances", min_instances, low=1, integer=True))
        self.delta = check_number("delta", delta, low=0.0)
        self.threshold = check_number("threshold", threshold, low=0.0, low_inclusive=False)
        self.alpha = check_number("alpha", alpha, low=0.0, high=1.0, low_inclusive=False)
        self.mode = check_choice("mode", mode, ("both", "up", "down"))
        self.reset()

    def _start_afresh(self) -> None:
        self.n, self.mean = 0, 0.0
        # A rise shows as the sum of (deviation - delta) climbing above its lowest point;
        # a fall as the sum of (deviation + delta) dropping below its highest point.
        self.sum_increase, self.min_increase = 0.0, math.inf
        self.sum_decrease, self.max_decrease = 0.0, -math.inf
        self.drift_detected = False

    def update(self, x: float) -> bool:
        """Add one observation; True (and ``drift_detected``) if the mean changed."""
        self.n += 1
        self.mean += (x - self.mean) / self.n
        deviation = x - self.mean
        self.sum_increase = self.alpha * self.sum_increase + deviation - self.delta
        self.sum_decrease = self.alpha * self.sum_decrease + deviation + self.delta
        self.min_increase = min(self.min_increase, self.sum_increase)
        self.max_decrease = max(self.max_decrease, self.sum_decrease)
        drifted = False
        if self.n >= self.min_instances:
            rose = self.mode != "down" and self.sum_increase - self.min_increase > self.threshold
            fell = self.mode != "up" and self.max_decrease - self.sum_decrease > self.threshold
            drifted = rose or fell
        if drifted:
            return self._detected()
        self.drift_detected = False
        return False


class DDM(_Detector):
    """Drift Detection Method on a stream of prediction errors (1 = wrong, 0 = right).

    Parameters
    ----------
    warm_start : int, default=30
        Observations before the best error rate may be recorded and drift
        detected (checks start with observation ``warm_start + 1``). Short
        warm-ups let an early lucky run set a best rate that ordinary noise
        later exceeds (a false alarm): the drift lab uses 100.
    warning_threshold : float, default=2.0
    drift_threshold : float, default=3.0
        Standard deviations above the best error rate seen.
    min_instances, warning_level, drift_level : deprecated
        The former names: ``min_instances=m`` is ``warm_start=m - 1``.

    Attributes
    ----------
    drift_detected, warning_detected : bool
        Set by each update.
    n_detections : int
        Detections since the detector was built (or :meth:`reset`).

    Notes
    -----
    Same names, defaults and detections as river's ``drift.binary.DDM``: the
    cross-check tests hold the two to identical indices on seeded streams.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> errors = np.concatenate([rng.random(1000) < 0.1, rng.random(1000) < 0.4]).astype(int)
    >>> DDM(warm_start=100).detect(errors)
    [1041]
    """

    _DEPRECATED = {"min_instances": "warm_start", "warning_level": "warning_threshold",
                   "drift_level": "drift_threshold"}

    def __init__(self, *, warm_start: int = 30, warning_threshold: float = 2.0, drift_threshold: float = 3.0,
                 min_instances: int | None = None, warning_level: float | None = None,
                 drift_level: float | None = None) -> None:
        warm_start = _renamed("min_instances", min_instances, "warm_start", warm_start, 30, lambda m: m - 1)
        warning_threshold = _renamed("warning_level", warning_level, "warning_threshold", warning_threshold, 2.0)
        drift_threshold = _renamed("drift_level", drift_level, "drift_threshold", drift_threshold, 3.0)
        self.warm_start = int(check_number("warm_start", warm_start, low=0, integer=True))
        self.warning_threshold = check_number("warning_threshold", warning_threshold, low=0.0, low_inclusive=False)
        self.drift_threshold = check_number("drift_threshold", drift_threshold, low=0.0, low_inclusive=False)
        if self.drift_threshold <= self.warning_threshold:
            raise LifecycleKitError(f"drift_threshold ({drift_threshold}) must exceed "
                                    f"warning_threshold ({warning_threshold})")
        self.reset()

    @property
    def warning(self):
        """Former name of ``warning_detected``."""
        return self.warning_detected

    def _start_afresh(self) -> None:
        self.n, self.p, self.s = 0, 1.0, 0.0
        self.p_min, self.s_min = math.inf, math.inf
        self.drift_detected = self.warning_detected = False

    def update(self, x: float) -> bool:
        """Add one error (0 or 1); True (and ``drift_detected``) if the error rate rose."""
        if x not in (0.0, 1.0):
            raise LifecycleKitError(f"DDM watches errors: each value must be 0 or 1; got {x!r}")
        self.n += 1
        self.p += (x - self.p) / self.n
        self.s = math.sqrt(self.p * (1 - self.p) / self.n)
        if self.n <= self.warm_start:
            self.drift_detected = False
            return False
        # "<=" as in MOA and river: on a tie the newer (p, s) becomes the reference.
        if self.p + self.s <= self.p_min + self.s_min:
            self.p_min, self.s_min = self.p, self.s
        level = self.p + self.s
        if level > self.p_min + self.drift_threshold * self.s_min:
            return self._detected()
        self.warning_detected = level > self.p_min + self.warning_threshold * self.s_min
        self.drift_detected = False
        return False


class ADWIN(_Detector):
    """ADaptive WINdowing: fire when an old and a recent part of the window have different means.

    The window is kept as an exponential histogram (Bifet & Gavaldà 2007,
    after Datar et al. 2002): buckets that summarise 1, 2, 4, 8, ... values by
    their sum and their sum of squared deviations, at most ``max_buckets`` of
    each size (one more triggers a merge of the two oldest into the next size).
    Memory and the work of a check grow with the logarithm of the window length,
    not the length: a window of 100,000 values is about 80 buckets.

    Every ``clock`` observations, each boundary between buckets is a candidate
    cut into an old part W0 (``n0`` values) and a recent part W1 (``n1``).
    Drift is detected at the first cut, oldest first, where::

        |mean(W0) - mean(W1)| > sqrt(2 / m * var(W) * L) + 2 / (3 * m) * L
        with 1 / m = 1 / (n0 - min_window_length + 1) + 1 / (n1 - min_window_length + 1)
        and L = ln(2 * ln(n) / delta)

    (the paper's bound with ``delta' = delta / ln(n)``; the ``+ 1`` terms are
    MOA's and river's). Both parts must hold ``min_window_length`` values, and
    the window ``grace_period``. Then the detector starts afresh, as river's
    does (the paper keeps W1; the kit's detectors all start afresh).

    Parameters
    ----------
    delta : float, default=0.002
        Confidence: a smaller delta means fewer false alarms and later detections.
    clock : int, default=32
        Check every ``clock`` observations.
    max_buckets : int, default=5
        Buckets kept of each size; more gives finer cut points, more work.
    min_window_length : int, default=5
        Fewest values in each part of a cut.
    grace_period : int, default=10
        Fewest values in the window before checks start.
    max_window : int or None, default=None
        Optional cap: oldest buckets are dropped while the window is longer
        (None: unbounded, as in river).
    min_window : deprecated
        The former name of ``min_window_length``.

    Attributes
    ----------
    drift_detected : bool
        True right after the update that detected drift.
    n_detections : int
        Detections since the detector was built (or :meth:`reset`).
    width : int
        Values in the window.
    total : float
        Their sum.
    estimation : float
        Their mean (0 when the window is empty).
    sum_squared_deviations : float
        Sum of their squared deviations from the mean: river's ``variance``.
    window_variance : float
        Their variance: ``sum_squared_deviations / width``. (The former
        ``variance`` reads this, with a FutureWarning: river's ``variance``
        is the sum.)

    Notes
    -----
    Same parameters, names and defaults as river's ``drift.ADWIN``: the
    cross-check tests find identical detection indices on seeded streams, and
    run river's own ADWIN tests on this class. One difference: river documents
    ``n_detections`` as the total number of detected changes, but its ADWIN
    (0.26) builds a new window after each detection, whose count starts again
    at 0 at the next update; the kit's counts every detection. In
    pure Python it runs within twice river's (compiled) time on 100,000 values
    (``benchmarks/bench_streams.py``): ``detect`` computes the same buckets
    for many checks at once with numpy (the bucket sizes after ``n`` values are
    known in advance, see :func:`_bucket_counts`, and their sums are
    differences of cumulative sums); ``update`` is the one to read.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> stream = np.concatenate([rng.normal(0, 1, 1000), rng.normal(1.5, 1, 1000)])
    >>> ADWIN().detect(stream)
    [1023]

    river's way, one value at a time, and what the detector shows of itself:

    >>> detector = ADWIN(delta=0.01)
    >>> detector
    ADWIN(delta=0.01, clock=32, max_buckets=5, min_window_length=5, grace_period=10, max_window=None)
    >>> fired = [i for i, x in enumerate(stream) if detector.update(x)]
    >>> fired, detector.n_detections, detector.width, round(detector.estimation, 2)
    ([1023], 1, 976, 1.53)
    >>> detector.clone().width  # the same parameters, nothing seen
    0
    """

    _DEPRECATED = {"min_window": "min_window_length"}

    #: Buckets of 2**k values in rows[k], oldest first; each is [sum, sum of squared deviations].
    rows: list[list[list[float]]]

    def __init__(self, *, delta: float = 0.002, clock: int = 32, max_buckets: int = 5, min_window_length: int = 5,
                 grace_period: int = 10, max_window: int | None = None, min_window: int | None = None) -> None:
        min_window_length = _renamed("min_window", min_window, "min_window_length", min_window_length, 5)
        self.delta = check_number("delta", delta, low=0.0, high=1.0, low_inclusive=False, high_inclusive=False)
        self.clock = int(check_number("clock", clock, low=1, integer=True))
        self.max_buckets = int(check_number("max_buckets", max_buckets, low=2, integer=True))
        self.min_window_length = int(check_number("min_window_length", min_window_length, low=1, integer=True))
        self.grace_period = int(check_number("grace_period", grace_period, low=1, integer=True))
        self.max_window = None if max_window is None else int(check_number("max_window", max_window, low=10,
                                                                            integer=True))
        self.reset()

    def _start_afresh(self) -> None:
        # rows[k] holds the buckets of 2**k values, oldest first; each is [sum, sum of squared deviations].
        self.rows = [[]]
        self.width = 0  # values in the window
        self.total = 0.0  # their sum
        self.squares = 0.0  # their sum of squared deviations from the window mean
        self.ticks = 0
        self.drift_detected = False

    @property
    def estimation(self):
        """Mean of the values in the window (0 when empty), as river's ``estimation``."""
        return self.total / self.width if self.width else 0.0

    @property
    def sum_squared_deviations(self):
        """Sum of the squared deviations of the window's values from their mean: what river calls ``variance``."""
        return self.squares

    @property
    def window_variance(self):
        """Variance of the values in the window: :attr:`sum_squared_deviations` over the window length (0 if empty)."""
        return self.squares / self.width if self.width else 0.0

    @property
    def variance(self):
        """Deprecated: :attr:`window_variance`. river's ``ADWIN.variance`` is :attr:`sum_squared_deviations`."""
        warnings.warn("ADWIN.variance is ambiguous: here it is the window's variance (window_variance), in river the "
                      "sum of squared deviations (sum_squared_deviations); read one of those instead",
                      FutureWarning, stacklevel=2)
        return self.window_variance

    def update(self, x: float) -> bool:
        """Add one value; True (and ``drift_detected``) if the window's old and recent parts differ."""
        self._insert(x)
        self.ticks += 1
        if self.ticks % self.clock == 0 and self.width > self.grace_period and self._cut_found():
            return self._detected()
        self.drift_detected = False
        return False

    def _insert(self, x):
        x = float(x)  # a numpy scalar would turn the running sums (and what they show) into numpy scalars
        if self.width:
            # Welford's update of the sum of squared deviations.
            gap = x - self.total / self.width
            self.squares += self.width * gap * gap / (self.width + 1)
        self.width += 1
        self.total += x
        self.rows[0].append([x, 0.0])
        # One bucket too many of a size: merge the two oldest into one of twice the size, and so on up.
        size_exp = 0
        while len(self.rows[size_exp]) > self.max_buckets:
            (sum_a, squares_a), (sum_b, squares_b) = self.rows[size_exp][:2]
            del self.rows[size_exp][:2]
            size = 1 << size_exp
            gap = sum_a / size - sum_b / size
            # Chan et al.'s pooled sum of squares for two parts of equal size.
            merged = [sum_a + sum_b, squares_a + squares_b + size * 0.5 * gap * gap]
            size_exp += 1
            if size_exp == len(self.rows):
                self.rows.append([])
            self.rows[size_exp].append(merged)
        if self.max_window is not None and self.width > self.max_window:
            self._drop_oldest()

    def _drop_oldest(self):
        size = 1 << (len(self.rows) - 1)
        bucket_sum, bucket_squares = self.rows[-1].pop(0)
        if not self.rows[-1]:
            self.rows.pop()
        self.width -= size
        self.total -= bucket_sum
        gap = bucket_sum / size - self.total / self.width
        self.squares -= bucket_squares + size * self.width * gap * gap / (size + self.width)

    def detect(self, stream: ArrayLike) -> list[int]:
        """Run over a whole stream from a fresh start; the indices where drift was detected."""
        values = self._stream_values(stream)
        if self.max_window is not None:  # dropped buckets break the shape formula: one value at a time
            return super().detect(values)
        # Differences of cumulative sums give every bucket's sum; centring keeps them accurate. The
        # window's sum of squared deviations is built chunk by chunk instead (Chan et al.), which
        # cumulative sums of squares would get wrong far from zero.
        cumulative = np.concatenate([[0.0], np.cumsum(values - (float(values.mean()) if values.size else 0.0))])
        detections, start = [], 0
        while (fired := self._first_firing_width(values, start, cumulative)) is not None:
            detections.append(start + fired - 1)
            start += fired
        self._load(values[start:])
        self.n_detections = len(detections)
        self.drift_detected = bool(detections) and detections[-1] == len(values) - 1
        return detections

    def _first_firing_width(self, values, start, cumulative):
        """The window width at the first check that fires on the values from ``start``; None if none fires."""
        first = (self.grace_period // self.clock + 1) * self.clock  # the first check with width > grace_period
        widths = range(first, len(values) - start + 1, self.clock)
        seen, mean, squares = 0, 0.0, 0.0  # the window so far: length, mean, sum of squared deviations
        for block in range(0, len(widths), 64):  # 64 checks at a time: little waste when one fires early
            block_widths = widths[block:block + 64]
            chunk_ends = np.asarray(block_widths)
            chunk_starts = np.concatenate([[seen], chunk_ends[:-1]])
            segment = values[start + seen:start + block_widths[-1]]
            offsets = chunk_starts - seen
            sizes = chunk_ends - chunk_starts
            chunk_means = np.add.reduceat(segment, offsets) / sizes
            deviations = segment - np.repeat(chunk_means, sizes)
            chunk_squares = np.add.reduceat(deviations * deviations, offsets)
            window_squares = []
            for size, chunk_mean, chunk_square in zip(sizes.tolist(), chunk_means.tolist(), chunk_squares.tolist()):
                gap = chunk_mean - mean
                squares += chunk_square + gap * gap * seen * size / (seen + size)
                mean += gap * size / (seen + size)
                seen += size
                window_squares.append(squares)
            fired = self._check_block(block_widths, np.asarray(window_squares), start, cumulative)
            if fired is not None:
                return fired
        return None

    def _check_block(self, widths, squares, start, cumulative):
        """Every cut of every check in ``widths`` at once: the same bound as :meth:`_cut_found`."""
        least = self.min_window_length
        widths_array = np.asarray(widths)
        # Bucket sizes oldest first for every check (a row of counts per check, largest size first),
        # then their running totals: the lengths n0 of the old part at every cut.
        counts = _bucket_counts_many(widths_array, self.max_buckets)[:, ::-1]
        sizes_largest_first = 1 << np.arange(counts.shape[1])[::-1]
        sizes = np.repeat(np.tile(sizes_largest_first, len(widths)), counts.ravel())
        per_check = counts.sum(axis=1)
        check = np.repeat(np.arange(len(widths)), per_check)
        running = np.concatenate([[0], np.cumsum(sizes)])
        first_bucket = np.cumsum(per_check) - per_check
        n0 = running[1:] - np.repeat(running[first_bucket], per_check)  # restart the running total per check
        valid = (n0 >= least) & (widths_array[check] - n0 >= least)
        n0, check = n0[valid], check[valid]
        if not check.size:
            return None
        width = np.asarray(widths, dtype=float)
        window_sum = cumulative[start + np.asarray(widths)] - cumulative[start]
        variance = (squares / width)[check]
        log_term = np.log(2.0 * np.log(width) / self.delta)[check]
        n1 = width[check] - n0
        sum0 = cumulative[start + n0] - cumulative[start]
        sum1 = window_sum[check] - sum0
        m_recip = 1.0 / (n0 - least + 1) + 1.0 / (n1 - least + 1)
        bound = np.sqrt(2.0 * m_recip * variance * log_term) + 2.0 / 3.0 * log_term * m_recip
        fires = np.abs(sum0 / n0 - sum1 / n1) > bound
        return int(widths[check[np.argmax(fires)]]) if fires.any() else None

    def _load(self, values):
        """Set the window to that after ``update`` of each value from a fresh start (used by ``detect``)."""
        self._start_afresh()
        self.ticks = self.width = len(values)
        if not self.width:
            return
        self.total = float(values.sum())
        self.squares = float(((values - values.mean()) ** 2).sum())
        counts = _bucket_counts(self.width, self.max_buckets)
        self.rows = [[] for _ in counts]
        offset = 0
        for size_exp in range(len(counts) - 1, -1, -1):
            size = 1 << size_exp
            for _ in range(counts[size_exp]):
                part = values[offset:offset + size]
                self.rows[size_exp].append([float(part.sum()), float(((part - part.mean()) ** 2).sum())])
                offset += size

    def _cut_found(self):
        """Does some cut between buckets split the window into parts with significantly different means?"""
        least = self.min_window_length
        variance = self.squares / self.width
        log_term = math.log(2.0 * math.log(self.width) / self.delta)
        n0, sum0 = 0, 0.0  # the old part grows bucket by bucket...
        n1, sum1 = self.width, self.total  # ...as the recent part shrinks
        for size_exp in range(len(self.rows) - 1, -1, -1):
            size = 1 << size_exp
            for bucket_sum, _ in self.rows[size_exp]:
                n0 += size
                n1 -= size
                sum0 += bucket_sum
                sum1 -= bucket_sum
                if n1 < least:
                    return False  # the recent part is too short here and at every later cut
                if n0 < least:
                    continue
                m_recip = 1.0 / (n0 - least + 1) + 1.0 / (n1 - least + 1)
                bound = math.sqrt(2.0 * m_recip * variance * log_term) + 2.0 / 3.0 * log_term * m_recip
                if abs(sum0 / n0 - sum1 / n1) > bound:
                    return True
        return False


def _bucket_counts(width, max_buckets):
    """How many buckets of 1, 2, 4, ... values ADWIN holds after ``width`` insertions from empty.

    Every row fills like the first: it keeps what arrives up to ``max_buckets``;
    from then on each arrival that makes ``max_buckets + 1`` merges the two
    oldest into one bucket of the next row, leaving ``max_buckets - 1``. So a
    row's count alternates between those two, and the next row receives half of
    the rest.

    >>> _bucket_counts(100, 5)  # 4 * 1 + 4 * 2 + 4 * 4 + 5 * 8 + 2 * 16 = 100 values in 19 buckets
    [4, 4, 4, 5, 2]
    """
    counts, arrivals = [], width
    while arrivals:
        if arrivals <= max_buckets:
            kept = arrivals
        else:
            kept = max_buckets if (arrivals - max_buckets) % 2 == 0 else max_buckets - 1
        counts.append(kept)
        arrivals = (arrivals - kept) // 2
    return counts


def _bucket_counts_many(widths, max_buckets):
    """:func:`_bucket_counts` for an array of widths at once: one row of counts per width, padded with 0."""
    arrivals = np.asarray(widths, dtype=np.int64)
    columns = []
    while arrivals.any():
        kept = np.where(arrivals <= max_buckets, arrivals,
                        np.where((arrivals - max_buckets) % 2 == 0, max_buckets, max_buckets - 1))
        columns.append(kept)
        arrivals = (arrivals - kept) // 2
    return np.stack(columns, axis=1) if columns else np.zeros((len(arrivals), 0), dtype=np.int64)


#: The stream detectors by name: name -> class.
DETECTORS = {"page_hinkley": PageHinkley, "ddm": DDM, "adwin": ADWIN}


def make_detector(name: Literal["page_hinkley", "ddm", "adwin"], **params: Any) -> PageHinkley | DDM | ADWIN:
    """A detector by name: ``page_hinkley``, ``ddm`` or ``adwin``."""
    if name not in DETECTORS:
        raise LifecycleKitError(f"detector must be one of {', '.join(DETECTORS)}; got {name!r}")
    return DETECTORS[name](**params)


def detection_delays(detections: Iterable[int], change_points: Iterable[int], *,
                     horizon: int | None = None) -> dict[str, Any]:
    """Match detections to change points: the delay of the first detection after each change, and false alarms.

    Returns
    -------
    dict
        ``delays`` (one per change point; None if missed within ``horizon``), ``false_alarms``
        (detections before the first change point or more than ``horizon`` after the last one).
    """
    detections, change_points = sorted(detections), sorted(change_points)
    delays, used = [], set()
    for k, cp in enumerate(change_points):
        end = change_points[k + 1] if k + 1 < len(change_points) else math.inf
        if horizon is not None:
            end = min(end, cp + horizon)
        hit = next((d for d in detections if cp <= d < end), None)
        delays.append(None if hit is None else hit - cp)
        if hit is not None:
            used.add(hit)
    first = change_points[0] if change_points else math.inf
    false_alarms = [d for d in detections if d < first]
    return {"delays": delays, "false_alarms": len(false_alarms), "detections": len(detections),
            "matched": len(used)}
