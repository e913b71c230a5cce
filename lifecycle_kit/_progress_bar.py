"""Progress bars for long work: tqdm, shown only where a person is watching.

(Learner progress through the course is :mod:`lifecycle_kit.course.progress`; this is
about a slow computation.) The core does not print, so a bar is written to
standard error only when it helps:

- ``progress=True`` forces a bar; ``progress=False`` silences it;
- ``progress="auto"`` (the default of the kit's long functions) shows one only
  in Jupyter or when standard error is a terminal, and only for work of at
  least ``min_total`` steps (a quick call stays quiet);
- the environment variable ``LIFECYCLE_KIT_PROGRESS_BAR=off`` silences every
  bar whatever the argument (``on`` forces them, for a terminal that is not a TTY).

In Jupyter ``tqdm.auto`` draws a widget; in a terminal, text.
"""

import os
import sys

from lifecycle_kit.errors import LifecycleKitError

__all__ = ["progress_bar", "progress_enabled"]

ENVIRONMENT_VARIABLE = "LIFECYCLE_KIT_PROGRESS_BAR"


def _in_jupyter():
    shell = sys.modules.get("IPython")
    try:
        return shell is not None and type(shell.get_ipython()).__name__ == "ZMQInteractiveShell"
    except Exception:  # IPython present but no shell running  # noqa: BLE001
        return False


def _stderr_is_terminal():
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


def progress_enabled(progress="auto", *, total=None, min_total=1):
    """Whether a bar should be shown for ``total`` steps under the ``progress`` setting and the environment."""
    if progress not in ("auto", True, False):
        raise LifecycleKitError(f"progress must be 'auto', True or False; got {progress!r}")
    setting = os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower()
    if setting in ("off", "0", "false", "no"):
        return False
    if progress != "auto":
        return progress
    if total is not None and total < min_total:
        return False  # quick work: a bar would only flicker
    return setting in ("on", "1", "true", "yes") or _in_jupyter() or _stderr_is_terminal()


def progress_bar(iterable=None, *, total=None, desc=None, unit="it", progress="auto", min_total=1):
    """``iterable`` wrapped in a tqdm bar when :func:`progress_enabled` says so, else a silent stand-in.

    The result is always a tqdm object (a disabled one when silent), so callers
    may use ``update``, ``set_postfix`` and ``close`` either way.

    Examples
    --------
    >>> sum(progress_bar(range(4), progress=False))
    6
    """
    if total is None and iterable is not None:
        try:
            total = len(iterable)
        except TypeError:
            total = None
    enabled = progress_enabled(progress, total=total, min_total=min_total)
    if enabled and _in_jupyter():
        from tqdm.auto import tqdm
    else:
        from tqdm import tqdm
    # file=sys.stderr looked up now, so a redirected stderr (pytest's capture, a log) gets the bar.
    return tqdm(iterable, total=total, desc=desc, unit=unit, disable=not enabled, file=sys.stderr,
                leave=False, dynamic_ncols=True)
