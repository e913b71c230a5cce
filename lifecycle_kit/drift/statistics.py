"""Two-sample drift statistics on one column: reference against current.

Every statistic comes from scipy where scipy has it, so the numbers are the
ones a statistician would get by hand. Two families answer different
questions and must not be confused:

- **tests** (Kolmogorov-Smirnov, chi-square, Cramér-von Mises) give a p-value:
  how surprising the difference is if nothing changed. With large samples
  even trivial shifts become "significant".
- **distances** (PSI, Jensen-Shannon, normalised Wasserstein) say how large the
  difference is, whatever the sample size; a threshold says what is too large.

:func:`severity` puts both on one scale: 1 is the threshold, above 1 is drift.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lifecycle_kit.errors import LifecycleKitError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["STATISTICS", "Statistic", "categorical_counts", "chi_square", "cramer_von_mises", "jensen_shannon",
           "kolmogorov_smirnov", "normalised_wasserstein", "psi", "psi_from_counts", "severity"]

PSI_EPSILON = 1e-4


@dataclass(frozen=True)
class Statistic:
    """How one statistic is read: a p-value test or a distance, its default threshold, which columns it suits."""

    name: str
    label: str
    kind: str          # "p_value" or "distance"
    threshold: float   # alpha for tests, largest acceptable distance otherwise
    numeric: bool
    categorical: bool
    reading: str


#: The two-sample statistics :func:`compare` can use: name -> Statistic.
STATISTICS = {
    "ks": Statistic("ks", "Kolmogorov-Smirnov", "p_value", 0.05, True, False,
                    "drift if p < 0.05: the two samples are unlikely to come from one distribution"),
    "cramer_von_mises": Statistic("cramer_von_mises", "Cramér-von Mises", "p_value", 0.05, True, False,
                                  "drift if p < 0.05; more sensitive than KS to differences spread over the range"),
    "chi2": Statistic("chi2", "chi-square", "p_value", 0.05, False, True,
                      "drift if p < 0.05: category shares differ more than chance allows"),
    "psi": Statistic("psi", "population stability index", "distance", 0.1, True, True,
                     "drift if PSI > 0.1 (below 0.1 stable, 0.1-0.25 moderate, above 0.25 significant)"),
    "jensen_shannon": Statistic("jensen_shannon", "Jensen-Shannon distance", "distance", 0.1, True, True,
                                "drift if the distance > 0.1 with natural logarithms, as Evidently (0 identical, "
                                "0.83 = sqrt(ln 2) disjoint); in base 2 (0 to 1) the same value is 1.2 times larger "
                                "and the same threshold is 0.12 (column js_base2)"),
    "wasserstein": Statistic("wasserstein", "normalised Wasserstein distance", "distance", 0.1, True, False,
                             "drift if the distance > 0.1 reference standard deviations"),
}


def _finite(values, name):
    values = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        raise LifecycleKitError(f"{name} has no finite numbers")
    return values


def kolmogorov_smirnov(reference, current):
    """(statistic, p-value) of the two-sample KS test, as ``scipy.stats.ks_2samp``."""
    from scipy.stats import ks_2samp

    result = ks_2samp(_finite(reference, "reference"), _finite(current, "current"))
    return float(result.statistic), float(result.pvalue)


def ks_asymptotic(reference, current):
    """(statistic, p-value) of the two-sample KS test with the asymptotic Kolmogorov distribution.

    The statistic equals ``scipy.stats.ks_2samp``'s; the p-value uses the limiting
    Kolmogorov distribution (close to, not identical with, scipy's ``method="asymp"``),
    without scipy's per-call overhead, for monitors that run hundreds of tests.
    :func:`compare` uses scipy itself.
    """
    from scipy.special import kolmogorov

    ref = np.sort(np.asarray(reference, dtype=float))
    cur = np.sort(np.asarray(current, dtype=float))
    ref, cur = ref[np.isfinite(ref)], cur[np.isfinite(cur)]
    if len(ref) == 0 or len(cur) == 0:
        raise LifecycleKitError("both samples need finite numbers")
    both = np.concatenate([ref, cur])
    cdf_ref = np.searchsorted(ref, both, side="right") / len(ref)
    cdf_cur = np.searchsorted(cur, both, side="right") / len(cur)
    statistic = float(np.max(np.abs(cdf_ref - cdf_cur)))
    en = len(ref) * len(cur) / (len(ref) + len(cur))
    return statistic, float(min(1.0, kolmogorov(np.sqrt(en) * statistic)))


def cramer_von_mises(reference, current):
    """(statistic, p-value) of the two-sample Cramér-von Mises test, as ``scipy.stats.cramervonmises_2samp``."""
    from scipy.stats import cramervonmises_2samp

    result = cramervonmises_2samp(_finite(reference, "reference"), _finite(current, "current"))
    return float(result.statistic), float(result.pvalue)


def _counts(values):
    counts = pd.Series(values).value_counts(dropna=False)
    # Count first, then turn the (few) distinct values into text: converting a million rows is the slow part.
    counts.index = ["<missing>" if pd.isna(v) else str(v) for v in counts.index]
    return counts.groupby(level=0).sum()


def categorical_counts(reference, current):
    """Counts of every category (the union of both sides), missing values as their own category."""
    ref, cur = _counts(reference), _counts(current)
    levels = ref.index.union(cur.index)
    return ref.reindex(levels, fill_value=0).to_numpy(), cur.reindex(levels, fill_value=0).to_numpy(), list(levels)


def chi_square(reference, current):
    """(statistic, p-value) of the chi-square test of homogeneity, as ``scipy.stats.chi2_contingency``."""
    from scipy.stats import chi2_contingency

    ref, cur, levels = categorical_counts(reference, current)
    if len(levels) < 2:
        return 0.0, 1.0
    result = chi2_contingency(np.vstack([ref, cur]))
    return float(result.statistic), float(result.pvalue)


def _histograms(reference, current, bins=10):
    ref, cur = _finite(reference, "reference"), _finite(current, "current")
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)))
    if len(edges) < 2:
        edges = np.array([ref[0] - 0.5, ref[0] + 0.5])
    edges = edges.astype(float)
    edges[0], edges[-1] = -np.inf, np.inf
    return np.histogram(ref, edges)[0], np.histogram(cur, edges)[0]


def psi_from_counts(reference_counts: ArrayLike, current_counts: ArrayLike, *, epsilon: float = PSI_EPSILON) -> float:
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


def psi(reference, current, *, numeric=True, bins=10):
    """PSI over reference deciles (numbers) or categories."""
    if numeric:
        ref, cur = _histograms(reference, current, bins)
    else:
        ref, cur, _ = categorical_counts(reference, current)
    return psi_from_counts(ref, cur)


#: Base-2 Jensen-Shannon distance = natural-log distance / sqrt(ln 2): the divergence is divided by ln 2.
JS_BASE2_FACTOR = 1.0 / math.sqrt(math.log(2.0))


def jensen_shannon(reference, current, *, numeric=True, bins=10, base=None):
    """Jensen-Shannon distance of the binned or categorical distributions, via scipy.

    Parameters
    ----------
    reference, current : array-like
    numeric : bool, default=True
        Bin numbers at the reference deciles (``bins``); otherwise compare category shares.
    bins : int, default=10
    base : float or None, default=None
        Base of the logarithm. None is the natural logarithm, as Evidently and
        scipy use by default: the distance runs from 0 (identical) to
        sqrt(ln 2) = 0.83 (disjoint). ``base=2`` gives 0 to 1; the two differ by
        a constant factor, ``d_2 = d_e / sqrt(ln 2)`` (1.20 times larger), so a
        threshold of 0.1 on ``d_e`` is 0.12 on ``d_2``.

    Notes
    -----
    Why natural logarithms: :func:`lifecycle_kit.drift.compare` keeps
    Evidently's default threshold of 0.1, and Evidently computes the distance
    with scipy's default (natural) logarithm; with base 2 the same 0.1 would
    be a stricter test than Evidently's (it would flag a distance of
    0.09 in Evidently's units).

    Examples
    --------
    >>> d_e = jensen_shannon(["a"] * 50 + ["b"] * 50, ["a"] * 90 + ["b"] * 10, numeric=False)
    >>> d_2 = jensen_shannon(["a"] * 50 + ["b"] * 50, ["a"] * 90 + ["b"] * 10, numeric=False, base=2)
    >>> round(d_e, 4), round(d_2, 4), round(d_e * JS_BASE2_FACTOR, 4)
    (0.319, 0.3831, 0.3831)
    """
    from scipy.spatial.distance import jensenshannon

    if numeric:
        ref, cur = _histograms(reference, current, bins)
    else:
        ref, cur, _ = categorical_counts(reference, current)
    return float(jensenshannon(ref, cur, base=base))


def wasserstein(reference, current):
    """First Wasserstein distance of two samples, by scipy's own formula on sorted samples.

    ``scipy.stats.wasserstein_distance`` argsorts both samples and their union;
    sorting each sample once and merging the two sorted runs gives the same
    integral of |F_ref - F_cur| (the tests hold it to scipy within 1e-12) at a
    fraction of the cost on a million rows.
    """
    u = np.sort(_finite(reference, "reference"))
    v = np.sort(_finite(current, "current"))
    both = np.sort(np.concatenate([u, v]), kind="stable")  # two sorted runs: a merge
    deltas = np.diff(both)
    u_cdf = np.searchsorted(u, both[:-1], side="right") / len(u)
    v_cdf = np.searchsorted(v, both[:-1], side="right") / len(v)
    return float(np.sum(np.abs(u_cdf - v_cdf) * deltas))


def normalised_wasserstein(reference, current):
    """Wasserstein (earth mover's) distance divided by the reference standard deviation."""
    ref, cur = _finite(reference, "reference"), _finite(current, "current")
    scale = float(np.std(ref))
    distance = wasserstein(ref, cur)
    if scale == 0:
        return 0.0 if distance == 0 else math.inf
    return distance / scale


def severity(kind: str, statistic: float | None, p_value: float | None,
             threshold: float) -> float:
    """One scale for every statistic: 1 at the threshold, above 1 drift.

    For a test it is ``log10(p) / log10(alpha)`` (p = alpha gives 1; smaller p,
    larger severity); for a distance it is ``distance / threshold``.

    >>> severity("p_value", None, 0.05, 0.05), severity("distance", 0.2, None, 0.1)
    (1.0, 2.0)
    """
    if kind == "p_value":
        p = min(max(float(p_value), 1e-300), 1.0)
        return max(0.0, float(math.log10(p) / math.log10(threshold)))
    return max(0.0, float(statistic) / float(threshold))
