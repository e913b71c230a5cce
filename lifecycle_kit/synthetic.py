"""Recursive training on generated data: model collapse, and what prevents it.

Shumailov et al. (2023), "The Curse of Recursion": fit a model to data, sample
new data from the model, fit again, and repeat — the fitted distribution loses
its tails and narrows generation after generation. Gerstgrasser et al. (2024)
show that keeping real data, or *accumulating* generations instead of
replacing them, stops the collapse.

:func:`collapse` runs many independent chains at once (vectorised over runs)
for a Gaussian or a two-component Gaussian mixture and reports, per
generation, the median and mean of the fitted spread, the probability mass
beyond the original ±2σ, and the Wasserstein distance to the original.

Examples
--------
>>> result = collapse(generations=100, sample_size=100, runs=400, random_state=0)
>>> frame = result.to_frame()
>>> bool(frame["sigma_median"].iloc[-1] < 0.7 < frame["sigma_median"].iloc[0])
True
>>> kept = collapse(generations=100, sample_size=100, runs=400, mode="accumulate", random_state=0)
>>> bool(kept.to_frame()["sigma_median"].iloc[-1] > 0.9)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from scipy.special import ndtr

from lifecycle_kit import _html
from lifecycle_kit._validation import check_choice, check_fraction, check_number, check_random_state
from lifecycle_kit.display import Table, vocabulary
from lifecycle_kit.i18n import N_, _
from lifecycle_kit.results import ResultMixin

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["CollapseResult", "collapse", "collapse_strategies"]

MODES = ("replace", "accumulate")
DISTRIBUTIONS = ("gaussian", "mixture")
# The original mixture: two equal components at -1.5 and +1.5 with sd 0.5.
MIXTURE = {"means": np.array([-1.5, 1.5]), "sds": np.array([0.5, 0.5]), "weights": np.array([0.5, 0.5])}

MODE_LABELS = {"replace": N_("replace"), "accumulate": N_("accumulate")}
DISTRIBUTION_LABELS = {"gaussian": N_("gaussian"), "mixture": N_("mixture")}
STRATEGY_LABELS = {"replace": N_("replace"), "keep real data": N_("keep real data"), "accumulate": N_("accumulate")}
vocabulary(headings={"generation": N_("generation"), "sigma_median": N_("median spread (sd)"),
                     "sigma_mean": N_("mean spread (sd)"), "variance_mean": N_("mean variance"),
                     "tail_mass": N_("tail mass"), "tail_mass_mean": N_("mean tail mass"),
                     "wasserstein": N_("Wasserstein distance"), "strategy": N_("strategy"),
                     "real_share": N_("share of real data")},
           values={"strategy": STRATEGY_LABELS, "mode": MODE_LABELS, "distribution": DISTRIBUTION_LABELS})


@dataclass
class CollapseResult(ResultMixin):
    """Per generation: spread of the fitted model across runs, tail mass, distance to the original."""

    frame: pd.DataFrame
    distribution: str
    mode: str
    sample_size: int
    real_share: float
    runs: int

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    _result_kind = "collapse_result"

    def _payload(self):
        return {"distribution": self.distribution, "mode": self.mode, "sample_size": self.sample_size,
                "real_share": self.real_share, "runs": self.runs, "generations": self.frame}

    def _repr_html_(self):
        frame = self.frame
        first_tail = float(frame["tail_mass"].iloc[0]) or 1.0
        series = {_("median spread (sd)"): list(frame["sigma_median"]),
                  _("tail mass / gen. 0"): list(frame["tail_mass"] / first_tail)}
        top = max(1.0, max(max(v for v in values if v == v) for values in series.values()))
        chart = _html.line_chart_svg(list(frame["generation"]), series, ylim=(0.0, float(top)), xlabel=_("generation"),
                                     title=_("{distribution}, {mode}, n = {n}, real share {share:.0%}",
                                             distribution=_(DISTRIBUTION_LABELS.get(self.distribution,
                                                                                    self.distribution)),
                                             mode=_(MODE_LABELS.get(self.mode, self.mode)), n=self.sample_size,
                                             share=self.real_share))
        return chart + Table(frame, max_rows=30)._repr_html_()

    def at(self, generation: int) -> pd.Series:
        return self.frame.set_index("generation").loc[generation]

    def plot(self, ax: Axes | None = None) -> Axes:
        if ax is None:
            from matplotlib.figure import Figure

            ax = Figure(figsize=(6.4, 3.6), layout="constrained").subplots()
        ax.plot(self.frame["generation"], self.frame["sigma_median"], label="median spread (sd)")
        ax.plot(self.frame["generation"], self.frame["variance_mean"], label="mean variance", linestyle="--")
        ax.plot(self.frame["generation"], self.frame["tail_mass"] / self.frame["tail_mass"].iloc[0],
                label="tail mass (share of the original)")
        ax.set_xlabel("generation")
        ax.set_title(f"{self.distribution}, {self.mode}, n = {self.sample_size}, real share {self.real_share:.0%}")
        ax.legend(fontsize=8)
        return ax


def collapse_strategies(*, generations: int = 200, sample_size: int = 100, runs: int = 400, real_share: float = 0.2,
                        random_state: int | np.random.Generator | None = None) -> pd.DataFrame:
    """Where each way of training on generated data stands after ``generations``: replace, keep real data, accumulate.

    Returns
    -------
    pandas.DataFrame
        ``strategy, real_share, sigma_median, tail_mass`` at the last generation (the original: 1 and 0.0455).

    Examples
    --------
    >>> table = collapse_strategies(generations=100, runs=100, random_state=0).set_index("strategy")
    >>> bool(table.loc["replace", "sigma_median"] < 0.8 < table.loc["accumulate", "sigma_median"])
    True
    """
    rows = []
    for strategy, options in (("replace", {}), ("keep real data", {"real_share": real_share}),
                              ("accumulate", {"mode": "accumulate"})):
        frame = collapse(generations=generations, sample_size=sample_size, runs=runs, random_state=random_state,
                         **options).to_frame()
        rows.append({"strategy": strategy, "real_share": options.get("real_share", 0.0),
                     "sigma_median": float(frame["sigma_median"].iloc[-1]),
                     "tail_mass": float(frame["tail_mass"].iloc[-1])})
    return pd.DataFrame(rows)


def _gaussian_tail(mu, sigma):
    """Mass of N(mu, sigma) beyond the original ±2 (the original is N(0, 1))."""
    sigma = np.maximum(sigma, 1e-12)
    return ndtr((-2 - mu) / sigma) + 1 - ndtr((2 - mu) / sigma)


def _sample_mixture(rng, params, n):
    means, sds, weights = params
    runs = means.shape[0]
    component = (rng.random((runs, n)) < weights[:, [1]]).astype(int)
    rows = np.arange(runs)[:, None]
    return rng.normal(means[rows, component], sds[rows, component])


def _fit_mixture(x, params, iterations=5):
    """EM for a two-component 1-D Gaussian mixture, one fit per run (row of ``x``), warm-started."""
    means, sds, weights = (p.copy() for p in params)
    for _iteration in range(iterations):
        d = (x[:, :, None] - means[:, None, :]) / sds[:, None, :]
        density = weights[:, None, :] * np.exp(-0.5 * d ** 2) / sds[:, None, :]
        resp = density / np.maximum(density.sum(axis=2, keepdims=True), 1e-300)
        nk = np.maximum(resp.sum(axis=1), 1e-9)
        weights = nk / x.shape[1]
        means = (resp * x[:, :, None]).sum(axis=1) / nk
        sds = np.sqrt(np.maximum((resp * (x[:, :, None] - means[:, None, :]) ** 2).sum(axis=1) / nk, 1e-12))
    return means, sds, weights


def _mixture_tail(params, original_sd):
    means, sds, weights = params
    limit = 2 * original_sd
    tails = ndtr((-limit - means) / sds) + 1 - ndtr((limit - means) / sds)
    return (weights * tails).sum(axis=1)


def _mixture_sd(params):
    means, sds, weights = params
    mean = (weights * means).sum(axis=1)
    return np.sqrt((weights * (sds ** 2 + means ** 2)).sum(axis=1) - mean ** 2)


def collapse(*, generations: int = 100, sample_size: int = 100, runs: int = 400, real_share: float = 0.0,
             mode: Literal["replace", "accumulate"] = "replace", distribution: Literal["gaussian", "mixture"] = "gaussian",
             random_state: int | np.random.Generator | None = None) -> CollapseResult:
    """Fit, sample, refit, for many generations and many independent runs.

    Parameters
    ----------
    generations : int, default=100
    sample_size : int, default=100
        Rows drawn for each generation's training set.
    runs : int, default=400
        Independent chains (medians over runs are reported).
    real_share : float in [0, 1], default=0.0
        Share of each generation's training rows drawn from the real (original) distribution.
    mode : {"replace", "accumulate"}, default="replace"
        ``replace`` trains each generation on its own sample only; ``accumulate``
        on every sample so far (plus the real data at generation 0).
    distribution : {"gaussian", "mixture"}, default="gaussian"
        The original: N(0, 1), or an equal mixture of N(-1.5, 0.5) and N(1.5, 0.5).
    random_state : int or Generator, default=None

    Returns
    -------
    CollapseResult
        ``frame`` columns: ``generation, sigma_median, sigma_mean, variance_mean, tail_mass,
        tail_mass_mean, wasserstein``. Tail mass is the fitted model's probability beyond the
        original ±2σ (median over runs: the typical chain; the mean is pulled up by the few
        chains whose centre wandered off). Wasserstein: median over runs of the W2 distance to
        the original for the Gaussian, of the spread's distance for the mixture.
    """
    generations = int(check_number("generations", generations, low=1, high=5000, integer=True))
    n = int(check_number("sample_size", sample_size, low=2, high=100_000, integer=True))
    runs = int(check_number("runs", runs, low=1, high=5000, integer=True))
    check_fraction("real_share", real_share, allow_one=True)
    check_choice("mode", mode, MODES)
    check_choice("distribution", distribution, DISTRIBUTIONS)
    rng = check_random_state(random_state)
    n_real = int(round(real_share * n))
    rows = []
    if distribution == "gaussian":
        def draw_real(k):
            return rng.normal(0.0, 1.0, (runs, k))

        mu, sigma = np.zeros(runs), np.ones(runs)
        total, total_sq, count = np.zeros(runs), np.zeros(runs), 0
        for g in range(generations + 1):
            rows.append(_gaussian_row(g, mu, sigma))
            if g == generations:
                break
            synthetic = rng.normal(mu[:, None], sigma[:, None], (runs, n - n_real)) if g else draw_real(n - n_real)
            sample = np.concatenate([synthetic, draw_real(n_real)], axis=1) if n_real else synthetic
            # The usual unbiased estimates (ddof=1): the expected variance is preserved, yet the
            # typical chain still narrows, because log-variance takes a random walk that drifts down.
            if mode == "replace":
                mu, sigma = sample.mean(axis=1), sample.std(axis=1, ddof=1)
            else:
                total += sample.sum(axis=1)
                total_sq += (sample ** 2).sum(axis=1)
                count += sample.shape[1]
                mu = total / count
                sigma = np.sqrt(np.maximum((total_sq - count * mu ** 2) / (count - 1), 0.0))
    else:
        original_sd = float(np.sqrt((MIXTURE["weights"] * (MIXTURE["sds"] ** 2 + MIXTURE["means"] ** 2)).sum()))
        params = tuple(np.tile(MIXTURE[k], (runs, 1)) for k in ("means", "sds", "weights"))
        original = tuple(np.tile(MIXTURE[k], (runs, 1)) for k in ("means", "sds", "weights"))
        pool = None
        for g in range(generations + 1):
            sd = _mixture_sd(params)
            tail = _mixture_tail(params, original_sd)
            rows.append({"generation": g, "sigma_median": float(np.median(sd) / original_sd),
                         "sigma_mean": float(np.mean(sd) / original_sd),
                         "variance_mean": float(np.mean(sd ** 2) / original_sd ** 2),
                         "tail_mass": float(np.median(tail)), "tail_mass_mean": float(np.mean(tail)),
                         "wasserstein": float(np.median(np.abs(sd - original_sd)))})
            if g == generations:
                break
            source = params if g else original
            synthetic = _sample_mixture(rng, source, n - n_real)
            sample = np.concatenate([synthetic, _sample_mixture(rng, original, n_real)], axis=1) if n_real else synthetic
            if mode == "accumulate":
                # Accumulating a growing pool is costly for a mixture: keep a fixed-size random
                # subsample of everything seen so far (five generations' worth).
                pool = sample if pool is None else np.concatenate([pool, sample], axis=1)
                if pool.shape[1] > 5 * n:
                    keep = rng.choice(pool.shape[1], size=5 * n, replace=False)
                    pool = pool[:, keep]
                sample = pool
            # Warm-started EM: an accumulated pool changes little per generation, so fewer iterations suffice.
            params = _fit_mixture(sample, params, iterations=3 if mode == "accumulate" else 5)
    frame = pd.DataFrame(rows)
    return CollapseResult(frame=frame, distribution=distribution, mode=mode, sample_size=n, real_share=real_share,
                          runs=runs)


def _gaussian_row(g, mu, sigma):
    tail = _gaussian_tail(mu, sigma)
    return {"generation": g, "sigma_median": float(np.median(sigma)), "sigma_mean": float(np.mean(sigma)),
            "variance_mean": float(np.mean(sigma ** 2)), "tail_mass": float(np.median(tail)),
            "tail_mass_mean": float(np.mean(tail)),
            "wasserstein": float(np.median(np.sqrt(mu ** 2 + (sigma - 1.0) ** 2)))}
