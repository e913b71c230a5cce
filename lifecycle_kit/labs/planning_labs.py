"""Stage 3 labs: QualityPriorityLab (weights over quality characteristics) and CollapseLab (model collapse)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Literal

from lifecycle_kit.i18n import N_, _
from lifecycle_kit.labs.base import Lab, dropdown, float_slider, int_slider, localise_frame

if TYPE_CHECKING:
    from lifecycle_kit.synthetic import CollapseResult

__all__ = ["CollapseLab", "QualityPriorityLab"]

CANDIDATES = {"registry extract": N_("registry extract"), "open survey": N_("open survey")}
RANKING_COLUMNS = {"rank": N_("rank"), "candidate": N_("candidate"), "weighted_score": N_("weighted_score"),
                   "weight": N_("weight")}


class QualityPriorityLab(Lab):
    """Weigh the ISO/IEC 5259-2 characteristics; two candidate datasets swap rank as the weights move.

    Examples
    --------
    >>> lab = QualityPriorityLab()
    >>> lab.result["ranking"]["candidate"].iloc[0]
    'registry extract'
    >>> lab.controls["completeness"].value = 0
    >>> lab.controls["representativeness"].value = 5
    >>> lab.result["ranking"]["candidate"].iloc[0]
    'open survey'
    """

    title = N_("Quality priorities (stage 3)")
    intro = N_("Two candidate training sets from UCI Adult: a clean but narrow registry extract, and a representative "
               "but messy open survey. How much does each characteristic matter for your task?")

    def __init__(self, *, random_state: int = 0, lang: str | None = None) -> None:
        from lifecycle_kit.planning import candidate_datasets, characteristic_scores
        from lifecycle_kit.quality import assess

        candidates = candidate_datasets(random_state=random_state)
        reference = candidates.pop("reference")
        self.scores = {name: characteristic_scores(assess(X, target=y, reference=reference, random_state=random_state))
                       for name, (X, y) in candidates.items()}
        super().__init__(lang=lang)

    def _make_controls(self):
        from lifecycle_kit.planning import PLANNING_CHARACTERISTICS

        defaults = {"completeness": 3, "consistency": 2, "accuracy": 2, "representativeness": 1, "balance": 1}
        from lifecycle_kit.labs._terms import characteristic

        return {c: int_slider(_("Weight of {characteristic}", characteristic=characteristic(c)), defaults.get(c, 0), 0, 5)
                for c in PLANNING_CHARACTERISTICS}

    def compute(self, **weights: int) -> dict[str, Any]:
        from lifecycle_kit.errors import LifecycleKitError
        from lifecycle_kit.planning import weighted_ranking

        if not any(weights.values()):
            raise LifecycleKitError(_("give at least one characteristic a weight above zero"))
        return {"ranking": weighted_ranking(self.scores, weights), "weights": dict(weights)}

    def summarize(self, r: dict[str, Any]) -> str:
        ranking = r["ranking"]
        first, second = ranking.iloc[0], ranking.iloc[1]
        if round(first["weighted_score"], 3) == round(second["weighted_score"], 3):  # no first among equal scores
            return _("A tie: <b>{first}</b> and <b>{second}</b> both score {score:.3f} with these weights.",
                     first=html.escape(_(CANDIDATES.get(first["candidate"], first["candidate"]))),
                     second=html.escape(_(CANDIDATES.get(second["candidate"], second["candidate"]))),
                     score=first["weighted_score"])
        return _("First: <b>{first}</b> ({first_score:.3f}), then {second} ({second_score:.3f}).",
                 first=html.escape(_(CANDIDATES.get(first["candidate"], first["candidate"]))),
                 first_score=first["weighted_score"],
                 second=html.escape(_(CANDIDATES.get(second["candidate"], second["candidate"]))),
                 second_score=second["weighted_score"])

    def render(self, r: dict[str, Any]) -> list[Any]:
        import pandas as pd

        table = pd.DataFrame(self.scores).round(3)
        table.insert(0, "weight", [r["weights"].get(c, "") for c in table.index])
        from lifecycle_kit.labs._terms import characteristic

        ranking = r["ranking"].round(3)
        ranking = ranking.assign(candidate=[_(CANDIDATES.get(c, c)) for c in ranking["candidate"]])
        # The characteristics (columns of the ranking, rows of the scores) in the language's terms.
        names = {c: characteristic(c) for c in table.index}
        ranking = localise_frame(ranking, RANKING_COLUMNS).rename(columns=names)
        table = localise_frame(table, {**RANKING_COLUMNS, **CANDIDATES}).rename(index=names)
        return [ranking, "<b>" + _("Scores per characteristic (mean of its measures)") + "</b>", table]


class CollapseLab(Lab):
    """Fit a distribution, sample from the fit, refit, repeat — and watch the tails disappear.

    Examples
    --------
    >>> lab = CollapseLab()
    >>> bool(lab.result.at(100)["sigma_median"] < 0.8)
    True
    >>> lab.controls["mode"].value = "accumulate"
    >>> bool(lab.result.at(100)["sigma_median"] > 0.9)
    True
    """

    title = N_("Model collapse (stage 3)")
    intro = N_("Each generation trains on samples of the previous generation's model. Up to 200 independent runs "
               "(fewer for very large settings); the medians show the typical run.")

    def __init__(self, *, runs: int = 200, random_state: int = 0, lang: str | None = None) -> None:
        self.runs, self.random_state = runs, random_state
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        return {
            "generations": widgets.SelectionSlider(options=[50, 100, 200, 300, 500], value=100, description=_("Generations"),
                                                   continuous_update=False, style={"description_width": "initial"},
                                                   layout={"width": "420px"}),
            "sample_size": widgets.SelectionSlider(options=[10, 30, 100, 300, 1000], value=100,
                                                   description=_("Sample size per generation"), continuous_update=False,
                                                   style={"description_width": "initial"}, layout={"width": "420px"}),
            "real_share": float_slider(_("Share of real data kept"), 0.0, 0.0, 0.5, 0.05),
            "mode": dropdown(_("Training data"), [(_("replace: this generation's samples only"), "replace"),
                                                  (_("accumulate: every generation so far"), "accumulate")], "replace"),
            "distribution": dropdown(_("Distribution"), [(_("gaussian"), "gaussian"), (_("mixture"), "mixture")],
                                     "gaussian"),
        }

    # Work (runs x rows x generations) allowed per change, so that every setting answers in well under a second.
    GAUSSIAN_WORK = 10_000_000
    MIXTURE_WORK = 150_000

    def compute(self, generations: int, sample_size: int, real_share: float, mode: Literal["replace", "accumulate"],
                distribution: Literal["gaussian", "mixture"]) -> CollapseResult:
        from lifecycle_kit.synthetic import collapse

        if distribution == "mixture":
            # A mixture is refitted by EM every generation: at most 100 generations and 300 rows, fewer runs
            # for big settings (an accumulating pool holds five generations' rows).
            generations, sample_size = min(generations, 100), min(sample_size, 300)
            pool = sample_size * (5 if mode == "accumulate" else 1)
            runs = int(max(8, min(self.runs // 4, self.MIXTURE_WORK // (pool * generations))))
        else:
            runs = int(max(20, min(self.runs, self.GAUSSIAN_WORK // (sample_size * generations))))
        return collapse(generations=generations, sample_size=sample_size, runs=runs, real_share=real_share, mode=mode,
                        distribution=distribution, random_state=self.random_state)

    def summarize(self, r: CollapseResult) -> str:
        frame = r.to_frame()
        last = frame.iloc[-1]
        first = frame.iloc[0]
        return _("{runs} runs. After {generations} generations: median spread <b>{spread:.3f}</b> of the original, mean "
                 "variance {variance:.3f}; probability beyond the original ±2σ <b>{tail:.2%}</b> (was {tail0:.2%}).",
                 runs=r.runs, generations=int(last["generation"]), spread=last["sigma_median"],
                 variance=last["variance_mean"], tail=last["tail_mass"], tail0=first["tail_mass"])

    def render(self, r: CollapseResult) -> list[Any]:
        from lifecycle_kit._html import line_chart_svg

        frame = r.to_frame()
        step = max(1, len(frame) // 50)
        sample = frame.iloc[::step]
        tail0 = frame["tail_mass"].iloc[0] or 1.0
        chart = line_chart_svg(list(sample["generation"]), {
            _("median spread"): list(sample["sigma_median"]),
            _("mean variance"): list(sample["variance_mean"].clip(upper=1.5)),
            _("tail mass (share of the original)"): list(sample["tail_mass"] / tail0),
        }, ylim=(0.0, 1.5), reference=(_("original"), 1.0), title=_("Generation after generation"),
            xlabel=_("generation"),
            x_format="{:.0f}")
        return [chart]
