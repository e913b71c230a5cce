"""QualityGateLab (stage 6): a gate that refuses to train on data that misses its thresholds."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from lifecycle_kit.i18n import N_, _, ngettext
from lifecycle_kit.labs.base import Lab, float_slider
from lifecycle_kit.quality.gate import said

if TYPE_CHECKING:
    from lifecycle_kit.quality.trials import GateTrial

__all__ = ["QualityGateLab"]


class QualityGateLab(Lab):
    """Damage the penguins training data and set the gate's thresholds; the gate opens or blocks.

    When it blocks, no model is trained and the reasons are listed; the
    accuracy the model *would* have had is shown too, so the cost of
    ignoring the gate is visible.

    Examples
    --------
    >>> lab = QualityGateLab()
    >>> lab.result.trained
    True
    >>> lab.controls["missing"].value = 0.2
    >>> lab.result.trained
    False
    """

    title = N_("Quality gate lab (stage 6)")
    intro = N_("Damage the training data, then move the thresholds. The model is trained only when the gate opens.")

    def __init__(self, *, random_state: int = 0, lang: str | None = None) -> None:
        from lifecycle_kit.datasets import load
        from lifecycle_kit.quality.trials import GateExperiment

        ds = load("penguins")
        self.experiment = GateExperiment(ds.frame, ds.target, random_state=random_state)
        super().__init__(lang=lang)

    def _make_controls(self):
        return {
            "missing": float_slider(_("Missing values"), 0.0, 0.0, 0.3, 0.02),
            "duplicates": float_slider(_("Duplicate rows"), 0.0, 0.0, 0.3, 0.02),
            "label_noise": float_slider(_("Label noise"), 0.0, 0.0, 0.4, 0.05),
            "min_completeness": float_slider(_("Gate: min value completeness (Com-ML-1, completeness)"), 0.95, 0.8,
                                             1.0, 0.01),
            "min_unique": float_slider(_("Gate: min duplicate-free records (Con-ML-1, consistency)"), 0.99, 0.8, 1.0,
                                       0.01),
            "min_label_accuracy": float_slider(_("Gate: min label accuracy (Acc-ML-4, accuracy)"), 0.9, 0.7, 1.0,
                                               0.01),
        }

    def compute(self, missing: float, duplicates: float, label_noise: float, min_completeness: float,
                min_unique: float, min_label_accuracy: float) -> GateTrial:
        thresholds = {"Com-ML-1": min_completeness, "Con-ML-1": min_unique, "Acc-ML-4": min_label_accuracy}
        return self.experiment.run(thresholds=thresholds, missing=missing, duplicates=duplicates,
                                   label_noise=label_noise)

    def summarize(self, r: GateTrial) -> str:
        if r.trained:
            verdict = "<span style='color:#137333'><b>" + _("Gate open") + "</b></span>"
            return _("{verdict}: model trained, test accuracy <b>{accuracy:.3f}</b> (clean data: {clean:.3f}).",
                     verdict=verdict, accuracy=r.accuracy, clean=r.clean_accuracy)
        verdict = "<span style='color:#a50e0e'><b>" + _("Gate blocked") + "</b></span>"
        reasons = ngettext("{n} reason", "{n} reasons", len(r.result.reasons))
        return _("{verdict} ({reasons}): no model trained. Training anyway would have scored {forced:.3f} (clean data: "
                 "{clean:.3f}).", verdict=verdict, reasons=reasons, forced=r.accuracy_if_forced, clean=r.clean_accuracy)

    def render(self, r: GateTrial) -> list[Any]:
        from lifecycle_kit.i18n import format_number
        from lifecycle_kit.labs.base import number
        from lifecycle_kit.labs._terms import MEASURE_ID_NOTE, measure_label

        yes, no = _("yes"), _("no")
        rows = "".join(
            f"<tr><th scope='row'>{html.escape(measure_label(k))}</th><td>{number(v, '.3f')}</td>"
            f"<td>{format_number(r.gate.thresholds[k])}</td>"
            f"<td>{yes if v >= r.gate.thresholds[k] else '<b>' + no + '</b>'}</td></tr>" for k, v in r.result.checked.items())
        heads = "".join(f"<th scope='col'>{h}</th>" for h in (_("measure"), _("value"), _("threshold"), _("meets it")))
        table = f"<table><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"
        # The reasons are written by the core (lifecycle_kit.quality.gate) in English and said in the lab's language.
        reasons = "".join(f"<li>{html.escape(said(x))}</li>" for x in r.result.reasons)
        note = f"<p style='font-size:90%'><i>{html.escape(_(MEASURE_ID_NOTE))}</i></p>"
        reasons_head = _("Reasons:")
        return [table + note + (f"<p><b>{reasons_head}</b></p><ul>{reasons}</ul>" if reasons else "")]
