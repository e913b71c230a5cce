"""Argument checks shared by the core; each raises LifecycleKitError naming the argument."""

import numbers

from lifecycle_kit.errors import LifecycleKitError


def check_choice(name, value, choices):
    """Return ``value`` if it is one of ``choices``; otherwise say which are allowed."""
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise LifecycleKitError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def check_number(name, value, *, low=None, high=None, low_inclusive=True, high_inclusive=True, integer=False):
    """Return ``value`` as a float (or int) if it is a finite number inside the bounds."""
    kind = "an integer" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise LifecycleKitError(f"{name} must be {kind}; got {value!r} ({type(value).__name__})")
    if integer and not float(value).is_integer():
        raise LifecycleKitError(f"{name} must be {kind}; got {value!r}")
    if value != value or value in (float("inf"), float("-inf")):
        raise LifecycleKitError(f"{name} must be finite; got {value!r}")
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise LifecycleKitError(f"{name} must be in {left}{lo}, {hi}{right}; got {value!r}")
    return int(value) if integer else float(value)


def check_fraction(name, value, *, allow_one=False):
    """A share of rows: in [0, 1) by default, in [0, 1] with ``allow_one``."""
    return check_number(name, value, low=0.0, high=1.0, high_inclusive=allow_one)


def check_random_state(random_state):
    """Turn ``None``, an int or a Generator into a numpy Generator."""
    import numpy as np

    if random_state is None or isinstance(random_state, (numbers.Integral, np.random.SeedSequence)):
        return np.random.default_rng(random_state)
    if isinstance(random_state, np.random.Generator):
        return random_state
    raise LifecycleKitError(
        f"random_state must be None, an int or a numpy Generator; got {type(random_state).__name__}"
    )
