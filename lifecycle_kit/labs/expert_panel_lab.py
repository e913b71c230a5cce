"""ExpertPanelLab (stage 5): agreement of an expert panel and robust aggregation of its scores."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lifecycle_kit.i18n import N_, _
from lifecycle_kit.labs.base import Lab, checkbox, float_slider, int_slider, localise_frame

if TYPE_CHECKING:
    from lifecycle_kit.experts import PanelEvaluation

__all__ = ["ExpertPanelLab"]

# "weighted" alone does not say by what; the agreement-weighted mean is the other weighting.
_LABELS = {"mean": N_("mean"), "median": N_("median"), "trimmed": N_("trimmed"),
           "weighted": N_("qualification-weighted"), "agreement": N_("agreement-weighted")}
KINDS = {"honest": N_("honest"), "careless": N_("careless"), "adversarial": N_("adversarial")}
AGREEMENT_COLUMNS = {"expert": N_("expert"), "kind": N_("kind"),
                     "agreement": N_("agreement"), "mean_abs_deviation": N_("mean_abs_deviation"), "outlying": N_("outlying")}


def _method(name: str) -> str:
    return _(_LABELS.get(name, name))


class ExpertPanelLab(Lab):
    """Simulate a panel of experts scoring ten quality characteristics from 1 to 10.

    Add careless (random) or adversarial (inverted) experts and watch Kendall's
    W and Krippendorff's alpha fall, and the plain mean drift away from the
    truth while the median, the trimmed mean and the agreement-weighted mean hold.

    The simulation makes careless and adversarial experts less qualified than
    honest ones, which favours the qualification-weighted mean; untick
    "Dishonest experts are less qualified" to give every expert a
    qualification from the same range and see what that weighting is worth
    when qualification says nothing about honesty.

    Examples
    --------
    >>> lab = ExpertPanelLab()
    >>> lab.controls["adversarial"].value = 1
    >>> bool(lab.result.errors["median"] < lab.result.errors["mean"])
    True
    >>> favoured = lab.result.errors["weighted"]
    >>> lab.controls["less_qualified"].value = False
    >>> bool(lab.result.errors["weighted"] > favoured)
    True
    """

    title = N_("Expert panel lab (stage 5)")
    intro = N_("Each expert scores 10 items; the truth is known to the simulation, so every aggregate's error is "
               "measured.")

    def __init__(self, *, random_state: int = 0, lang: str | None = None) -> None:
        self.random_state = random_state
        super().__init__(lang=lang)

    def _make_controls(self):
        return {
            "experts": int_slider(_("Panel size"), 7, 3, 15),
            "careless": int_slider(_("Careless experts"), 0, 0, 5),
            "adversarial": int_slider(_("Adversarial experts"), 0, 0, 5),
            "noise": float_slider(_("Honest experts' noise (points)"), 0.5, 0.1, 2.0, 0.1, readout_format=".1f"),
            "trim": float_slider(_("Trim share (trimmed mean)"), 0.2, 0.0, 0.4, 0.05),
            "less_qualified": checkbox(_("Dishonest experts are less qualified"), True),
        }

    def compute(self, experts: int, careless: int, adversarial: int, noise: float, trim: float,
                less_qualified: bool) -> PanelEvaluation:
        from lifecycle_kit.errors import LifecycleKitError
        from lifecycle_kit.experts import evaluate_panel, simulate_panel

        honest = experts - careless - adversarial
        if honest < 1:
            raise LifecycleKitError(_("the panel has {experts} experts: at most {most} can be careless or adversarial",
                                      experts=experts, most=experts - 1))
        panel = simulate_panel(n_items=10, n_honest=honest, n_careless=careless, n_adversarial=adversarial,
                               noise=noise, dishonest_less_qualified=less_qualified, random_state=self.random_state)
        return evaluate_panel(panel, trim=trim)

    def summarize(self, r: PanelEvaluation) -> str:
        errors = ", ".join(_("{method} {error:.2f}", method=_method(k), error=v) for k, v in r.errors.items())
        text = _("Kendall's W = <b>{w:.3f}</b>, Krippendorff's alpha (interval) = <b>{alpha:.3f}</b>. Mean absolute "
                 "error against the truth: {errors}.", w=r.kendalls_w, alpha=r.alpha, errors=errors)
        # One panel is ten items: an aggregate is called the best only when the others are behind by more than noise.
        leaders = r.leaders()
        if len(leaders) == 1:
            return text + " " + _("Best on this panel: <b>{best}</b>, ahead of the others by more than the noise of "
                                  "its items.", best=_method(leaders[0]))
        return text + " " + _("No single best on this panel: {leaders} are within the noise of its items of one "
                              "another.", leaders=", ".join(_method(m) for m in leaders))

    def render(self, r: PanelEvaluation) -> list[Any]:
        from lifecycle_kit._html import CAUTION_FILL, FAIL_FILL, PALETTE, PASS_FILL, bar_chart_svg

        errors = bar_chart_svg([_method(k) for k in r.errors.index], list(r.errors.values), colours=[PALETTE[0]] * len(r.errors),
                               xmax=max(1.0, float(r.errors.max())), title=_("Mean absolute error of each aggregate (points)"),
                               value_format="{:.2f}")
        colours = {"honest": PASS_FILL, "careless": CAUTION_FILL, "adversarial": FAIL_FILL}
        agreement = bar_chart_svg(list(r.agreement["expert"]), list(r.agreement["agreement"]),
                                  thresholds=[0.3] * len(r.agreement), colours=[colours[k] for k in r.agreement["kind"]],
                                  notes=[_(KINDS.get(k, k)) for k in r.agreement["kind"]],
                                  title=_("Agreement with the others (rank correlation, negative shown as 0; tick: "
                                          "outlier line {line})", line=0.3),
                                  value_format="{:.2f}")
        return [errors + agreement, localise_frame(r.agreement, AGREEMENT_COLUMNS, values=["kind"])]
