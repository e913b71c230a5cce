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

#: A model that fits its training labels, so that a label defect shows in accuracy; and the number of train/test
#: splits the comparison with clean data is repeated on (one test set of 103 penguins is too few rows).
MODEL, SPLITS = "tree", 5


class QualityGateLab(Lab):
    """Damage the penguins training data and set the gate's thresholds; the gate opens or blocks.

    When it blocks, no model is trained and the reasons are listed; the
    accuracy the model *would* have had is shown too, so the cost of
    ignoring the gate is visible.

    The model is a decision tree: it fits every training label, so flipped
    labels cost it accuracy (a linear model on three well-separated species
    averages most of them away, and the cost hides in the noise of a
    103-row test set). The comparison with clean data is repeated on five
    train/test splits and said only as far as it exceeds their spread: a
    defect that does not show in accuracy (repeated rows here) is said not
    to, and the gate blocks it on its measure.

    Examples
    --------
    >>> lab = QualityGateLab()
    >>> lab.result.trained
    True
    >>> lab.controls["missing"].value = 0.2
    >>> lab.result.trained
    False
    >>> lab.controls["missing"].value = 0.0
    >>> lab.controls["label_noise"].value = 0.2
    >>> lab.result.trained, lab.result.comparison
    (False, 'lower')
    """

    title = N_("Quality gate lab (stage 6)")
    intro = N_("Damage the training data, then move the thresholds. The model is trained only when the gate opens.")

    def __init__(self, *, random_state: int = 0, lang: str | None = None) -> None:
        from lifecycle_kit.datasets import load
        from lifecycle_kit.quality.trials import GateExperiment

        ds = load("penguins")
        self.experiment = GateExperiment(ds.frame, ds.target, model=MODEL, splits=SPLITS, random_state=random_state)
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
        numbers = {"forced": r.forced_mean, "forced_sd": _sd(r.forced_accuracies), "clean": r.clean_mean,
                   "clean_sd": _sd(r.clean_accuracies), "splits": r.splits,
                   "difference": abs(r.forced_mean - r.clean_mean)}
        if r.trained:
            verdict = "<span style='color:#137333'><b>" + _("Gate open") + "</b></span>"
            head = _("{verdict}: model trained, test accuracy <b>{accuracy:.3f}</b>.", verdict=verdict,
                     accuracy=r.accuracy)
            if r.forced_accuracies == r.clean_accuracies:  # no defect changed a thing: nothing to compare
                return head
            comparison = {
                "lower": _("Over {splits} train/test splits this data scores {forced:.3f} ± {forced_sd:.3f}, clean "
                           "data {clean:.3f} ± {clean_sd:.3f}: lower by {difference:.3f}, more than the spread between "
                           "splits — the gate let a costly defect through.", **numbers),
                "same": _("Over {splits} train/test splits this data scores {forced:.3f} ± {forced_sd:.3f}, clean "
                          "data {clean:.3f} ± {clean_sd:.3f}: the difference is within the spread between splits.",
                          **numbers),
                "higher": _("Over {splits} train/test splits this data scores {forced:.3f} ± {forced_sd:.3f}, clean "
                            "data {clean:.3f} ± {clean_sd:.3f}: higher by {difference:.3f}, more than the spread "
                            "between splits.", **numbers),
            }[r.comparison]
            return f"{head} {comparison}"
        verdict = "<span style='color:#a50e0e'><b>" + _("Gate blocked") + "</b></span>"
        reasons = ngettext("{n} reason", "{n} reasons", len(r.result.reasons))
        head = _("{verdict} ({reasons}): no model trained.", verdict=verdict, reasons=reasons)
        comparison = {
            "lower": _("Training anyway would have scored <b>{forced:.3f} ± {forced_sd:.3f}</b> over {splits} "
                       "train/test splits, clean data {clean:.3f} ± {clean_sd:.3f}: lower by {difference:.3f}, more "
                       "than the spread between splits.", **numbers),
            "same": _("Training anyway would have scored {forced:.3f} ± {forced_sd:.3f} over {splits} train/test "
                      "splits, clean data {clean:.3f} ± {clean_sd:.3f}: the difference is within the spread between "
                      "splits, so accuracy would not have shown this defect — the gate blocks it on its measure.",
                      **numbers),
            "higher": _("Training anyway would have scored {forced:.3f} ± {forced_sd:.3f} over {splits} train/test "
                        "splits, clean data {clean:.3f} ± {clean_sd:.3f}: higher by {difference:.3f}, more than the "
                        "spread between splits — this defect did not cost accuracy here; the gate blocks it on its "
                        "measure.", **numbers),
        }[r.comparison]
        return f"{head} {comparison}"

    def render(self, r: GateTrial) -> list[Any]:
        from lifecycle_kit.i18n import format_number
        from lifecycle_kit.labs._terms import MEASURE_ID_NOTE, measure_label
        from lifecycle_kit.labs.base import number

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


def _sd(values):
    """Standard deviation over the splits (0 for a single split)."""
    import numpy as np

    return float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
