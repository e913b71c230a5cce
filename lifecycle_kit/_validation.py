"""Argument checks shared by the core; each raises LifecycleKitError naming the argument.

The messages are said in the learner's language (lifecycle_kit.i18n): a notebook
passes learner-chosen values through these checks, so these are the errors a
learner meets most. Argument names and values stay as the code writes them.
"""

import numbers

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import _, decimal_separator, pgettext


def check_choice(name, value, choices):
    """Return ``value`` if it is one of ``choices``; otherwise say which are allowed.

    >>> check_choice("model", "forest", ["tree", "logistic"])
    Traceback (most recent call last):
    ...
    lifecycle_kit.errors.LifecycleKitError: model must be one of 'tree', 'logistic'; got 'forest'
    """
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise LifecycleKitError(_("{name} must be one of {allowed}; got {value}", name=name, allowed=allowed,
                                  value=repr(value)))
    return value


def _bound(value, infinity):
    # The language's decimal separator; "1e-05" and "inf" are written the same everywhere.
    return infinity if value is None else f"{value:g}".replace(".", decimal_separator())


def check_number(name, value, *, low=None, high=None, low_inclusive=True, high_inclusive=True, integer=False):
    """Return ``value`` as a float (or int) if it is a finite number inside the bounds.

    >>> check_number("rate", 1.5, low=0.0, high=1.0, high_inclusive=False)
    Traceback (most recent call last):
    ...
    lifecycle_kit.errors.LifecycleKitError: rate must be in [0, 1); got 1.5
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if integer:
            message = _("{name} must be an integer; got {value} ({type})", name=name, value=repr(value),
                        type=type(value).__name__)
        else:
            message = _("{name} must be a number; got {value} ({type})", name=name, value=repr(value),
                        type=type(value).__name__)
        raise LifecycleKitError(message)
    if integer and not float(value).is_integer():
        raise LifecycleKitError(_("{name} must be an integer; got {value}", name=name, value=repr(value)))
    if value != value or value in (float("inf"), float("-inf")):
        raise LifecycleKitError(_("{name} must be finite; got {value}", name=name, value=repr(value)))
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        # Translators: between the bounds of an interval, "[0, 1)"; Russian writes "[0; 1)" (the comma is decimal).
        separator = pgettext("interval", ", ")
        interval = f"{left}{_bound(low, '-inf')}{separator}{_bound(high, 'inf')}{right}"
        shown = value if isinstance(value, (int, float)) else repr(value)
        raise LifecycleKitError(_("{name} must be in {interval}; got {value}", name=name, interval=interval,
                                  value=shown))
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
    raise LifecycleKitError(_("random_state must be None, an int or a numpy Generator; got {type}",
                              type=type(random_state).__name__))
