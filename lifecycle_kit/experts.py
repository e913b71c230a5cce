"""Expert panels: how much experts agree, and how to combine their scores robustly.

Data preparation leans on experts who score quality characteristics against
thresholds. Their scores must be combined with their agreement in mind:
Kendall's W and Krippendorff's alpha measure agreement; a median, a trimmed
mean or an agreement-weighted mean resist a careless or adversarial expert
that drags a plain mean.

Ratings are a matrix of experts (rows) by items (columns); ``NaN`` marks an
item an expert did not score (allowed by Krippendorff's alpha).

Examples
--------
>>> import numpy as np
>>> ranks = np.array([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]])
>>> kendalls_w(ranks)
1.0
>>> panel = simulate_panel(n_items=8, n_honest=6, n_adversarial=1, random_state=0)
>>> errors = compare_aggregates(panel.ratings, panel.truth)
>>> bool(errors["median"] < errors["mean"])
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_choice, check_fraction, check_number, check_random_state
from lifecycle_kit.display import Lines, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

if TYPE_CHECKING:
    from lifecycle_kit._typing import Matrix, Vector

__all__ = [
    "AGGREGATIONS",
    "AI_CHARACTERISTICS",
    "DOMAIN_CHARACTERISTICS",
    "Panel",
    "PanelEvaluation",
    "aggregate",
    "compare_aggregates",
    "evaluate_panel",
    "expert_agreement",
    "kendalls_w",
    "krippendorffs_alpha",
    "panel_composition_trial",
    "simulate_panel",
]

#: Ways to combine expert ratings into one value.
AGGREGATIONS = ("mean", "median", "trimmed", "weighted", "agreement")
LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _matrix(ratings, *, allow_missing):
    values = ratings.to_numpy(dtype=float) if isinstance(ratings, pd.DataFrame) else np.asarray(ratings, dtype=float)
    if values.ndim != 2:
        raise LifecycleKitError(f"ratings must be a 2-D matrix of experts x items; got {values.ndim} dimension(s)")
    if values.shape[0] < 2 or values.shape[1] < 2:
        raise LifecycleKitError(f"ratings need at least 2 experts and 2 items; got {values.shape[0]} x {values.shape[1]}")
    if np.isinf(values).any():
        raise LifecycleKitError("ratings contain infinite values")
    if not allow_missing and np.isnan(values).any():
        raise LifecycleKitError("ratings contain missing values; Kendall's W needs every expert to score every item "
                                "(use krippendorffs_alpha for incomplete ratings)")
    return values


def kendalls_w(ratings: Matrix) -> float:
    """Kendall's coefficient of concordance W (0 no agreement, 1 identical rankings), corrected for ties.

    Parameters
    ----------
    ratings : array-like, experts x items
        Scores or ranks; each expert's row is ranked (ties get average ranks).

    Returns
    -------
    float

    Examples
    --------
    Four judges rank ten projects (a textbook example; sum of squared
    deviations of rank sums = 1048):

    >>> judges = np.array([[1, 3, 4, 5, 2, 8, 6, 7, 10, 9], [2, 1, 4, 5, 6, 3, 8, 7, 10, 9],
    ...                    [3, 2, 1, 5, 7, 4, 6, 8, 9, 10], [4, 2, 3, 1, 6, 7, 5, 9, 8, 10]])
    >>> round(kendalls_w(judges), 4)
    0.7939
    """
    from scipy.stats import rankdata

    values = _matrix(ratings, allow_missing=False)
    m, n = values.shape
    ranks = rankdata(values, axis=1)
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    ties = 0.0
    for row in values:
        _, counts = np.unique(row, return_counts=True)
        ties += float((counts ** 3 - counts).sum())
    denominator = m ** 2 * (n ** 3 - n) - m * ties
    if denominator == 0:
        raise LifecycleKitError("every expert gave every item the same score: W is undefined")
    return float(12 * s / denominator)


def krippendorffs_alpha(ratings: Matrix, *,
                        level: Literal["nominal", "ordinal", "interval", "ratio"] = "interval") -> float:
    """Krippendorff's alpha reliability; missing ratings (NaN) allowed.

    Parameters
    ----------
    ratings : array-like, experts x items
    level : {"nominal", "ordinal", "interval", "ratio"}, default="interval"

    Returns
    -------
    float
        1 perfect agreement, 0 agreement at chance level, below 0 systematic disagreement.

    Examples
    --------
    The worked example of Krippendorff (2011), "Computing Krippendorff's
    Alpha-Reliability": 4 observers, 12 units, some values missing.

    >>> nan = np.nan
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> [round(krippendorffs_alpha(data, level=lv), 3) for lv in ("nominal", "ordinal", "interval", "ratio")]
    [0.743, 0.815, 0.849, 0.797]
    """
    check_choice("level", level, LEVELS)
    values = _matrix(ratings, allow_missing=True)
    categories = np.unique(values[~np.isnan(values)])
    if len(categories) < 2:
        raise LifecycleKitError("alpha needs at least two different values among the ratings")
    index = {v: i for i, v in enumerate(categories)}
    k = len(categories)
    coincidence = np.zeros((k, k))
    for unit in values.T:
        present = unit[~np.isnan(unit)]
        mu = len(present)
        if mu < 2:
            continue
        codes = np.array([index[v] for v in present])
        counts = np.bincount(codes, minlength=k).astype(float)
        pairs = np.outer(counts, counts) - np.diag(counts)
        coincidence += pairs / (mu - 1)
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        raise LifecycleKitError("alpha needs at least one item scored by two or more experts")
    if level == "nominal":
        delta = 1.0 - np.eye(k)
    elif level == "interval":
        delta = (categories[:, None] - categories[None, :]) ** 2
    elif level == "ratio":
        total = categories[:, None] + categories[None, :]
        delta = np.divide((categories[:, None] - categories[None, :]) ** 2, total ** 2,
                          out=np.zeros((k, k)), where=total != 0)
    else:
        cumulative = np.cumsum(n_c)
        delta = np.zeros((k, k))
        for c in range(k):
            for d in range(k):
                lo, hi = min(c, d), max(c, d)
                between = cumulative[hi] - (cumulative[lo - 1] if lo > 0 else 0.0)
                delta[c, d] = (between - (n_c[c] + n_c[d]) / 2.0) ** 2
    observed = (coincidence * delta).sum()
    expected = (np.outer(n_c, n_c) * delta).sum()
    if expected == 0:
        raise LifecycleKitError("alpha is undefined: the ratings have no variation to agree on")
    return float(1.0 - (n - 1) * observed / expected)


def _consensus_without(values, expert):
    others = np.delete(values, expert, axis=0)
    return np.nanmedian(others, axis=0)


def expert_agreement(ratings: Matrix, *, threshold: float = 0.3) -> pd.DataFrame:
    """Per expert: rank correlation with the median of the others, and whether it is an outlier.

    Returns
    -------
    pandas.DataFrame
        ``expert, agreement, mean_abs_deviation, outlying`` (agreement below ``threshold``).
    """
    from scipy.stats import spearmanr

    values = _matrix(ratings, allow_missing=True)
    names = list(ratings.index) if isinstance(ratings, pd.DataFrame) else list(range(values.shape[0]))
    rows = []
    for e in range(values.shape[0]):
        consensus = _consensus_without(values, e)
        mask = ~np.isnan(values[e]) & ~np.isnan(consensus)
        if mask.sum() >= 2 and np.ptp(values[e][mask]) > 0 and np.ptp(consensus[mask]) > 0:
            rho = float(spearmanr(values[e][mask], consensus[mask]).statistic)
        else:
            rho = 0.0
        mad = float(np.abs(values[e][mask] - consensus[mask]).mean()) if mask.any() else np.nan
        rows.append({"expert": names[e], "agreement": rho, "mean_abs_deviation": mad, "outlying": rho < threshold})
    return pd.DataFrame(rows)


def aggregate(ratings: Matrix, *,
              method: str = "median", trim: float = 0.2,
              weights: Vector | None = None) -> np.ndarray:
    """Combine the experts' scores into one score per item.

    Parameters
    ----------
    ratings : array-like, experts x items
    method : {"mean", "median", "trimmed", "weighted", "agreement"}, default="median"
        ``trimmed`` drops the share ``trim`` of the lowest and of the highest
        scores per item; ``weighted`` weights experts by ``weights`` (e.g.
        qualification); ``agreement`` weights each expert by its positive rank
        correlation with the others' median (disagreeing experts get zero).
    trim : float, default=0.2
        Share cut from each end for ``trimmed`` (in [0, 0.5)).
    weights : array-like, default=None
        Non-negative weight per expert for ``weighted``.

    Returns
    -------
    numpy.ndarray
        One aggregated score per item.
    """
    from scipy.stats import trim_mean

    check_choice("method", method, AGGREGATIONS)
    values = _matrix(ratings, allow_missing=True)
    if method == "mean":
        return np.nanmean(values, axis=0)
    if method == "median":
        return np.nanmedian(values, axis=0)
    if method == "trimmed":
        check_number("trim", trim, low=0.0, high=0.5, high_inclusive=False)
        return np.array([trim_mean(col[~np.isnan(col)], trim) for col in values.T])
    if method == "weighted":
        if weights is None:
            raise LifecycleKitError("method='weighted' needs weights= (one per expert)")
        w = np.asarray(weights, dtype=float)
        if w.shape != (values.shape[0],) or (w < 0).any() or w.sum() == 0:
            raise LifecycleKitError(f"weights must be {values.shape[0]} non-negative numbers, not all zero")
    else:
        w = np.clip(expert_agreement(values)["agreement"].to_numpy(), 0, None)
        if w.sum() == 0:
            w = np.ones(values.shape[0])
    masked = np.where(np.isnan(values), 0.0, values)
    present = (~np.isnan(values)).astype(float)
    return (w[:, None] * masked).sum(axis=0) / (w[:, None] * present).sum(axis=0)


@dataclass
class Panel:
    """A simulated panel: the true scores and what each expert said.

    Attributes
    ----------
    truth : numpy.ndarray
        True score of each item.
    ratings : pandas.DataFrame
        Experts (rows, named by kind) x items.
    kinds : list of str
        ``honest``, ``careless`` or ``adversarial`` per expert.
    qualification : numpy.ndarray
        Weight per expert (by default honest experts are better qualified; see
        ``simulate_panel(dishonest_less_qualified=...)``).
    """

    truth: np.ndarray
    ratings: pd.DataFrame
    kinds: list[str]
    qualification: np.ndarray


def simulate_panel(*, n_items: int = 10, n_honest: int = 6, n_careless: int = 0, n_adversarial: int = 1,
                   noise: float = 0.5, scale: tuple[float, float] = (1, 10), dishonest_less_qualified: bool = True,
                   random_state: int | np.random.Generator | None = None) -> Panel:
    """Simulate experts scoring items on a scale.

    Honest experts report the truth plus Gaussian noise; careless experts
    answer uniformly at random; adversarial experts invert the scale (a high
    score where the truth is low). Scores are rounded to whole points.

    Each expert also gets a qualification (a weight in [0.1, 1]). By default
    careless and adversarial experts are drawn less qualified (0.1-0.5) than
    honest ones (0.6-1.0): an assumption that favours the qualification-weighted
    mean. In practice a well-qualified expert can be careless or dishonest too;
    ``dishonest_less_qualified=False`` draws every expert's qualification from
    the same range (0.1-1.0), leaving the scores themselves unchanged.

    Parameters
    ----------
    n_items, n_honest, n_careless, n_adversarial : int
    noise : float, default=0.5
        Standard deviation of an honest expert's error, in points.
    scale : (low, high), default=(1, 10)
    dishonest_less_qualified : bool, default=True
        Whether careless and adversarial experts get lower qualifications than
        honest ones.
    random_state : int or Generator, default=None

    Returns
    -------
    Panel

    Examples
    --------
    The same scores either way; only the qualifications, and with them the
    qualification-weighted mean, change:

    >>> kwargs = dict(n_items=10, n_honest=6, n_adversarial=1, random_state=0)
    >>> favoured = simulate_panel(**kwargs)
    >>> neutral = simulate_panel(dishonest_less_qualified=False, **kwargs)
    >>> bool((favoured.ratings == neutral.ratings).all().all())
    True
    >>> bool(favoured.qualification[-1] < favoured.qualification[:-1].min())
    True
    """
    n_items = check_number("n_items", n_items, low=2, integer=True)
    counts = {k: check_number(k, v, low=0, integer=True) for k, v in
              (("n_honest", n_honest), ("n_careless", n_careless), ("n_adversarial", n_adversarial))}
    if sum(counts.values()) < 2:
        raise LifecycleKitError("a panel needs at least 2 experts")
    check_number("noise", noise, low=0.0)
    low, high = scale
    if not low < high:
        raise LifecycleKitError(f"scale must be (low, high) with low < high; got {scale}")
    if not isinstance(dishonest_less_qualified, (bool, np.bool_)):
        raise LifecycleKitError(f"dishonest_less_qualified must be True or False; got {dishonest_less_qualified!r}")
    # Same number of draws either way, so switching the assumption changes the weights and nothing else.
    honest_range, dishonest_range = ((0.6, 1.0), (0.1, 0.5)) if dishonest_less_qualified else ((0.1, 1.0), (0.1, 1.0))
    rng = check_random_state(random_state)
    truth = rng.uniform(low + 1, high - 1, size=n_items) if high - low > 2 else rng.uniform(low, high, size=n_items)
    rows, kinds, qualification = [], [], []
    for kind, count in (("honest", counts["n_honest"]), ("careless", counts["n_careless"]),
                        ("adversarial", counts["n_adversarial"])):
        for _expert in range(count):
            if kind == "honest":
                scores = truth + rng.normal(0, noise, n_items)
                qualification.append(rng.uniform(*honest_range))
            elif kind == "careless":
                scores = rng.uniform(low, high, n_items)
                qualification.append(rng.uniform(*dishonest_range))
            else:
                scores = (low + high) - truth + rng.normal(0, noise, n_items)
                qualification.append(rng.uniform(*dishonest_range))
            rows.append(np.clip(np.round(scores), low, high))
            kinds.append(kind)
    names = [f"{k}_{i + 1}" for i, k in enumerate(kinds)]
    ratings = pd.DataFrame(rows, index=names, columns=[f"item_{j + 1}" for j in range(n_items)])
    return Panel(truth=truth, ratings=ratings, kinds=kinds, qualification=np.array(qualification))


def compare_aggregates(ratings: Matrix, truth: Vector, *, trim: float = 0.2,
                       weights: Vector | None = None) -> pd.Series:
    """Mean absolute error of each aggregation against the true scores.

    Returns
    -------
    pandas.Series
        Indexed by method; ``weighted`` appears only when ``weights`` is given.
    """
    check_fraction("trim", trim)
    truth = np.asarray(truth, dtype=float)
    errors = {}
    for method in AGGREGATIONS:
        if method == "weighted" and weights is None:
            continue
        combined = aggregate(ratings, method=method, trim=trim, weights=weights)
        errors[method] = float(np.mean(np.abs(combined - truth)))
    return pd.Series(errors, name="mean_abs_error")


@dataclass
class PanelEvaluation:
    """Agreement and aggregation errors of one panel."""

    panel: Panel
    kendalls_w: float
    alpha: float
    errors: pd.Series
    agreement: pd.DataFrame
    trim: float = 0.2

    @property
    def best_method(self):
        """The aggregate with the lowest error on this panel (see :meth:`leaders` before calling it the best)."""
        return str(self.errors.idxmin())

    def leaders(self, *, z: float = 2.0) -> list[str]:
        """The aggregates the panel cannot tell apart from the lowest error, lowest first.

        One simulated panel is a handful of items: an aggregate is behind the
        lowest only when its extra error, item by item, exceeds ``z`` standard
        errors of that difference. A single name means one aggregate is clearly
        the best on this panel; several mean no single one is.

        >>> ev = evaluate_panel(simulate_panel(n_honest=5, n_adversarial=2, random_state=0))
        >>> ev.leaders()
        ['agreement']
        >>> len(evaluate_panel(simulate_panel(n_honest=7, n_adversarial=0, random_state=0)).leaders()) > 1
        True
        """
        truth = np.asarray(self.panel.truth, dtype=float)
        per_item = {m: np.abs(aggregate(self.panel.ratings, method=m, trim=self.trim,
                                        weights=self.panel.qualification) - truth) for m in self.errors.index}
        best = per_item[self.best_method]
        leaders = []
        for method in self.errors.sort_values(kind="stable").index:
            extra = per_item[method] - best
            standard_error = float(np.std(extra, ddof=1) / np.sqrt(len(extra))) if len(extra) > 1 else 0.0
            if float(np.mean(extra)) <= z * standard_error:
                leaders.append(str(method))
        return leaders


def evaluate_panel(panel: Panel, *, trim: float = 0.2) -> PanelEvaluation:
    """Kendall's W, interval alpha, each aggregation's error and each expert's agreement for a panel.

    >>> ev = evaluate_panel(simulate_panel(n_honest=7, n_adversarial=0, random_state=0))
    >>> ev.kendalls_w > 0.8
    True
    """
    try:
        w = kendalls_w(panel.ratings)
    except LifecycleKitError:
        w = float("nan")
    try:
        alpha = krippendorffs_alpha(panel.ratings, level="interval")
    except LifecycleKitError:
        alpha = float("nan")
    return PanelEvaluation(panel=panel, kendalls_w=w, alpha=alpha,
                           errors=compare_aggregates(panel.ratings, panel.truth, trim=trim, weights=panel.qualification),
                           agreement=expert_agreement(panel.ratings).assign(kind=panel.kinds), trim=trim)


#: The characteristics of the composition trial: those the subject domain's experts judge, and those the AI
#: experts judge (the course's example split).
DOMAIN_CHARACTERISTICS = ("meaning of the values", "cause-and-effect links kept", "relevance to the task",
                          "plausible ranges")
#: Characteristics of the data that matter to the model, which a domain expert is not asked to judge.
AI_CHARACTERISTICS = ("class balance", "label noise", "leakage across the split", "near-duplicates")
#: The characteristics and the panels, as a reader reads them.
CHARACTERISTIC_LABELS = {"meaning of the values": N_("meaning of the values"),
                         "cause-and-effect links kept": N_("cause-and-effect links kept"),
                         "relevance to the task": N_("relevance to the task"), "plausible ranges": N_("plausible ranges"),
                         "class balance": N_("class balance"), "label noise": N_("label noise"),
                         "leakage across the split": N_("leakage across the split"),
                         "near-duplicates": N_("near-duplicates")}
PANEL_LABELS = {"domain experts only": N_("domain experts only"), "AI experts only": N_("AI experts only"),
                "both, every score averaged": N_("both, every score averaged"),
                "both, each on their own field": N_("both, each on their own field")}
vocabulary(headings={"panel": N_("panel"), "kendalls_w": N_("Kendall's W"),
                     "krippendorffs_alpha": N_("Krippendorff's alpha"), "honest": N_("honest experts"),
                     "adversarial": N_("adversarial experts"), "error_domain": N_("error on the domain's characteristics"),
                     "error_ai": N_("error on the AI characteristics"), "error_all": N_("error on all characteristics")},
           values={"panel": PANEL_LABELS})


def characteristics() -> Lines:
    """Which characteristics each kind of expert judges well (the subject domain's, then AI's), in the reader's language."""
    return Lines([N_("The subject domain's characteristics: {names}.",
                     names=", ".join(_(CHARACTERISTIC_LABELS[c]) for c in DOMAIN_CHARACTERISTICS)),
                  N_("The AI characteristics: {names}.",
                     names=", ".join(_(CHARACTERISTIC_LABELS[c]) for c in AI_CHARACTERISTICS))])


def panel_composition_trial(*, n_experts: int = 6, blind_spot: float = 2.0, noise: float = 0.5, runs: int = 100,
                            random_state: int | np.random.Generator | None = 0) -> pd.DataFrame:
    """Who should sit on the panel: experts of the subject domain, of AI, or both?

    Eight characteristics of a dataset are scored from 1 to 10: four that the
    subject domain's experts judge well (:data:`DOMAIN_CHARACTERISTICS`) and four
    that AI experts judge well (:data:`AI_CHARACTERISTICS`). On their own field
    an expert scores the truth plus Gaussian ``noise``. Outside it, experts of
    one kind share a blind spot: on each such characteristic they err together,
    by one error drawn per characteristic (standard deviation ``blind_spot``),
    plus their own noise — a shared school of thought, so they agree with one
    another and are wrong together. That is the simulation's assumption; what
    follows from it is measured.

    Four panels of ``n_experts``, over ``runs`` simulated datasets: domain
    experts only, AI experts only, half and half with every score averaged, and
    half and half with each characteristic scored by the experts of its field.

    Returns
    -------
    pandas.DataFrame
        One row per panel: ``kendalls_w`` (their agreement, median over runs) and the mean absolute
        error of the panel's scores on the domain's characteristics, on the AI characteristics and on
        all of them.

    Examples
    --------
    >>> trial = panel_composition_trial(runs=50)
    >>> w, error = trial["kendalls_w"], trial["error_all"]
    >>> bool(w["domain experts only"] > w["both, every score averaged"])
    True
    >>> bool(error["both, each on their own field"] < error["domain experts only"])
    True
    """
    n_experts = check_number("n_experts", n_experts, low=2, integer=True)
    if n_experts % 2:
        raise LifecycleKitError(f"n_experts must be even (half of each kind in the mixed panels); got {n_experts}")
    check_number("blind_spot", blind_spot, low=0)
    check_number("noise", noise, low=0)
    runs = check_number("runs", runs, low=1, integer=True)
    rng = check_random_state(random_state)
    k = len(DOMAIN_CHARACTERISTICS)
    domain_items, ai_items = np.arange(k), np.arange(k, 2 * k)
    panels = ("domain experts only", "AI experts only", "both, every score averaged",
              "both, each on their own field")
    w: dict[str, list[float]] = {p: [] for p in panels}
    errors: dict[str, dict[str, list[float]]] = {p: {"domain": [], "ai": []} for p in panels}

    def scores(kind, count, truth, shared):
        own = domain_items if kind == "domain" else ai_items
        other = ai_items if kind == "domain" else domain_items
        result = np.empty((count, 2 * k))
        result[:, own] = truth[own] + rng.normal(0, noise, (count, k))
        result[:, other] = truth[other] + shared[kind] + rng.normal(0, noise, (count, k))
        return np.clip(np.round(result), 1, 10)

    for _run in range(runs):
        truth = rng.uniform(2, 9, 2 * k)
        # One error per characteristic, shared by every expert of a kind outside their own field.
        shared = {"domain": rng.normal(0, blind_spot, k), "ai": rng.normal(0, blind_spot, k)}
        half = n_experts // 2
        mixed_domain, mixed_ai = scores("domain", half, truth, shared), scores("ai", half, truth, shared)
        ratings = {"domain experts only": scores("domain", n_experts, truth, shared),
                   "AI experts only": scores("ai", n_experts, truth, shared),
                   "both, every score averaged": np.vstack([mixed_domain, mixed_ai])}
        for panel, matrix in ratings.items():
            combined = matrix.mean(axis=0)
            w[panel].append(kendalls_w(matrix))
            errors[panel]["domain"].append(np.mean(np.abs(combined[domain_items] - truth[domain_items])))
            errors[panel]["ai"].append(np.mean(np.abs(combined[ai_items] - truth[ai_items])))
        by_field = np.concatenate([mixed_domain[:, domain_items].mean(axis=0), mixed_ai[:, ai_items].mean(axis=0)])
        w["both, each on their own field"].append(w["both, every score averaged"][-1])  # the same panel
        panel = "both, each on their own field"
        errors[panel]["domain"].append(np.mean(np.abs(by_field[domain_items] - truth[domain_items])))
        errors[panel]["ai"].append(np.mean(np.abs(by_field[ai_items] - truth[ai_items])))
    rows = []
    for panel in panels:
        domain_error, ai_error = float(np.mean(errors[panel]["domain"])), float(np.mean(errors[panel]["ai"]))
        rows.append({"panel": panel, "kendalls_w": float(np.median(w[panel])), "error_domain": domain_error,
                     "error_ai": ai_error, "error_all": (domain_error + ai_error) / 2})
    return pd.DataFrame(rows).set_index("panel")
