"""PoisoningLab (stage 4): label-flipping attacks on breast-cancer data, with defences at the chosen rate."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np

from lifecycle_kit.i18n import N_, _, ngettext
from lifecycle_kit.labs.base import Lab, checkbox, dropdown, localise_frame, number

if TYPE_CHECKING:
    from lifecycle_kit.poisoning import PoisoningExperiment

__all__ = ["PoisoningLab"]

RATES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45)
SOURCES = ("all sources", "agency_1", "agency_2", "agency_3", "agency_4")
DEFENCE_CONTROLS = {"defend_label_noise": "label_noise", "defend_knn": "knn", "defend_outlier": "outlier"}
# Names the learner reads for the core's keys (the values the controls give the core stay as they are).
SOURCE_LABELS = {"all sources": N_("all sources"), "all": N_("all sources")}
DEFENCE_NAMES = {"none": N_("no defence"), "label_noise": N_("label-noise filter"), "knn": N_("nearest-neighbour check"),
                 "outlier": N_("outlier removal")}
CLASS_NAMES = {"malignant": N_("malignant"), "benign": N_("benign")}
DEFENCE_COLUMNS = {"defence": N_("defence"), "flagged": N_("flagged"), "precision": N_("precision"),
                   "recall": N_("recall"), "accuracy": N_("accuracy"), "attack_success": N_("attack_success")}


class PoisoningLab(Lab):
    """Flip training labels (random, targeted malignant -> benign, or near the decision boundary).

    The curve shows test accuracy and the recall of the malignant class as
    the poisoning rate grows; the table shows, at the chosen rate, which rows
    each ticked defence flags and how much accuracy removing them recovers.
    The training rows come from four sources; the attacker may control only one.

    Examples
    --------
    >>> lab = PoisoningLab()
    >>> lab.controls["rate"].value = 0.4
    >>> lab.result["trial"].accuracy < lab.result["clean_accuracy"]
    True
    """

    title = N_("Poisoning lab (stage 4)")
    intro = N_("The breast-cancer training labels come from four sources. Choose an attack, its rate and which source "
               "the attacker controls; tick defences to see which rows they flag.")

    _experiments: dict[str, PoisoningExperiment]  # one experiment per model

    def __init__(self, *, random_state: int = 0, lang: str | None = None) -> None:
        from lifecycle_kit.datasets import load

        self.data = load("breast_cancer")
        self.names = self.data.card["target_names"]
        self.random_state = random_state
        self._experiments = {}
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        return {
            "attack": dropdown(_("Attack"), [(_("random flips"), "random"),
                                             (_("targeted: malignant -> benign"), "targeted"),
                                             (_("flips near the boundary"), "boundary")], "random"),
            "rate": widgets.SelectionSlider(options=[(number(r), r) for r in RATES], value=0.2,
                                            description=_("Poisoning rate"),
                                            continuous_update=False, style={"description_width": "initial"},
                                            layout={"width": "420px"}),
            "source": dropdown(_("Compromised source"), [(_(SOURCE_LABELS.get(s, s)), s) for s in SOURCES],
                               "all sources"),
            "model": dropdown(_("Model"), [(_("logistic regression"), "logistic"), (_("decision tree"), "tree"),
                                           (_("k nearest neighbours"), "knn")], "logistic"),
            "defend_label_noise": checkbox(_("Defence: label-noise filter (confident learning)"), False),
            "defend_knn": checkbox(_("Defence: nearest-neighbour label check"), False),
            "defend_outlier": checkbox(_("Defence: per-class outlier removal"), False),
        }

    def experiment(self, model: str) -> PoisoningExperiment:
        if model not in self._experiments:
            from lifecycle_kit.poisoning import PoisoningExperiment

            self._experiments[model] = PoisoningExperiment(self.data.frame, self.data.target, model=model,
                                                           random_state=self.random_state)
        return self._experiments[model]

    def compute(self, attack: str, rate: float, source: str, model: str, defend_label_noise: bool, defend_knn: bool,
                defend_outlier: bool) -> dict[str, Any]:
        experiment = self.experiment(model)
        src = None if source == "all sources" else source
        curve = experiment.curve(RATES, attack=attack, source=src, progress=False)  # the lab shows its own state
        chosen = {"defend_label_noise": defend_label_noise, "defend_knn": defend_knn, "defend_outlier": defend_outlier}
        defences = tuple(DEFENCE_CONTROLS[k] for k, on in chosen.items() if on)
        trial = experiment.run(attack, rate, source=src, defences=defences)
        return {"curve": curve, "trial": trial, "clean_accuracy": experiment.clean_accuracy, "rate": rate,
                "defences": defences, "malignant_recall": trial.recall.get(0, np.nan)}

    def summarize(self, r: dict[str, Any]) -> str:
        t = r["trial"]
        flipped = ngettext("{n} training label flipped", "{n} training labels flipped", len(t.poisoned))
        text = _("{flipped} ({source}). Test accuracy <b>{accuracy:.3f}</b> (clean {clean:.3f}); malignant recall "
                 "<b>{recall:.3f}</b>.", flipped=flipped, source=html.escape(_(SOURCE_LABELS.get(t.source, t.source))),
                 accuracy=t.accuracy, clean=r["clean_accuracy"], recall=r["malignant_recall"])
        for row in t.defences.itertuples():
            text += " " + _("{defence}: {flagged} flagged, recall {recall:.2f}, accuracy after removal {accuracy:.3f}.",
                            defence=html.escape(_(DEFENCE_NAMES.get(row.defence, row.defence))), flagged=row.flagged,
                            recall=row.recall, accuracy=row.accuracy)
        return text

    def render(self, r: dict[str, Any]) -> list[Any]:
        from lifecycle_kit._html import line_chart_svg

        frame = r["curve"].to_frame().query("defence == 'none'")
        chart = line_chart_svg(frame["rate"], {_("test accuracy"): list(frame["accuracy"]),
                                               _("malignant recall"): list(frame["minority_recall"])},
                               marker_x=r["rate"], reference=(_("clean accuracy"), r["clean_accuracy"]),
                               title=_("No defence: accuracy and malignant recall against the poisoning rate"),
                               xlabel=_("poisoning rate"))
        names = {k: _(CLASS_NAMES.get(v, v)) for k, v in self.names.items()}
        confusion = (r["trial"].confusion.rename(index=names, columns=names)
                     .rename_axis(index=_("true class"), columns=_("predicted class")))
        items = [chart, "<b>" + _("Confusion matrix at the chosen rate (rows: true class)") + "</b>", confusion]
        if len(r["trial"].defences):
            defences = r["trial"].defences.assign(
                defence=[_(DEFENCE_NAMES.get(d, d)) for d in r["trial"].defences["defence"]])
            items += ["<b>" + _("Defences at the chosen rate") + "</b>", localise_frame(defences, DEFENCE_COLUMNS)]
        return items
