"""Two-sample drift statistics on one column: reference against current."""

import numpy as np

from lifecycle_kit.errors import LifecycleKitError

__all__ = ["psi_from_counts"]

PSI_EPSILON = 1e-4


def psi_from_counts(reference_counts, current_counts, *, epsilon=PSI_EPSILON):
    """Population stability index between two histograms over the same bins.

    ``PSI = sum((c - r) * ln(c / r))`` over bin shares, with empty bins
    floored at ``epsilon`` so the logarithm stays finite. Common reading:
    below 0.1 stable, 0.1 to 0.25 moderate shift, above 0.25 significant.

    >>> round(psi_from_counts([50, 50], [50, 50]), 6)
    0.0
    >>> round(psi_from_counts([50, 50], [80, 20]), 3)
    0.416
    """
    r = np.asarray(reference_counts, dtype=float)
    c = np.asarray(current_counts, dtype=float)
    if r.shape != c.shape or r.ndim != 1 or len(r) == 0:
        raise LifecycleKitError(f"histograms must be 1-D and of the same length; got {r.shape} and {c.shape}")
    if r.sum() <= 0 or c.sum() <= 0:
        raise LifecycleKitError("both histograms need at least one observation")
    r = np.maximum(r / r.sum(), epsilon)
    c = np.maximum(c / c.sum(), epsilon)
    return float(np.sum((c - r) * np.log(c / r)))
