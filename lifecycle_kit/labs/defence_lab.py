"""DefenceLab (stage 6): each defence's precision and recall as the poisoning rate grows."""

from __future__ import annotations

from typing import Any

from lifecycle_kit.i18n import N_, _
from lifecycle_kit.labs.base import Lab, dropdown, localise_frame

__all__ = ["DefenceLab"]

RATES = (0.0, 0.1, 0.2, 0.3, 0.4)
ATTACKS = {"random flips": "random", "targeted: malignant -> benign": "targeted", "flips near the boundary": "boundary"}
DEFENCES = ("label_noise", "knn", "outlier")
# The learner reads these for the core's keys; ATTACKS' keys are the control's values, shown through the catalog.
ATTACK_LABELS = (N_("random flips"), N_("targeted: malignant -> benign"), N_("flips near the boundary"))
DEFENCE_NAMES = {"none": N_("no defence"), "label_noise": N_("label-noise filter"), "knn": N_("nearest-neighbour check"),
                 "outlier": N_("outlier removal")}
METRIC_NAMES = {"recall": N_("recall"), "precision": N_("precision"), "accuracy": N_("accuracy")}
TABLE_COLUMNS = {"rate": N_("rate"), "defence": N_("defence"), "flagged": N_("flagged"), "precision": N_("precision"),
                 "recall": N_("recall"), "accuracy": N_("accuracy")}


def _defence(name: str) -> str:
    return _(DEFENCE_NAMES.get(name, name))


class DefenceLab(Lab):
    """Compare the defences on breast-cancer data across poisoning rates.

    Every sweep is computed when the lab is built (with a progress bar), so
    the controls only choose what to show. No defence catches every poisoned
    row at every rate, and each throws away some clean rows.

    Examples
    --------
    >>> lab = DefenceLab()
    >>> lab.controls["metric"].value = "recall"
    >>> table = lab.result["table"]
    >>> bool((table["recall"] < 1).any())
    True
    """

    title = N_("Defence lab (stage 6)")
    intro = N_("Pick an attack and a measure; the curves show each defence against the poisoning rate.")

    def __init__(self, *, random_state: int = 0, progress: bool = True, lang: str | None = None) -> None:
        from lifecycle_kit.datasets import load
        from lifecycle_kit.poisoning import PoisoningExperiment

        data = load("breast_cancer")
        self.experiment = PoisoningExperiment(data.frame, data.target, random_state=random_state)
        bar = self._progress_bar(len(ATTACKS) * len(RATES), lang=lang) if progress else None
        self.curves = {}
        done = 0
        for label, attack in ATTACKS.items():
            def step(i, total, offset=done):
                if bar is not None:
                    bar.value = offset + i
            self.curves[attack] = self.experiment.curve(RATES, attack=attack, defences=DEFENCES, progress=step)
            done += len(RATES)
        if bar is not None:
            bar.bar_style = "success"
            bar.description = _("Sweeps ready", lang=lang)
        self._bar = bar
        super().__init__(lang=lang)

    @staticmethod
    def _progress_bar(total, lang=None):
        import ipywidgets as widgets
        from IPython.display import display

        from lifecycle_kit.labs.base import in_kernel

        bar = widgets.IntProgress(value=0, min=0, max=total, description=_("Sweeping", lang=lang))
        if in_kernel():
            display(bar)
        return bar

    def _make_controls(self):
        return {
            "attack": dropdown(_("Attack"), [(_(k), k) for k in ATTACKS], "random flips"),
            "metric": dropdown(_("Show"), [(_("recall: poisoned rows caught"), "recall"),
                                           (_("precision: flagged rows that were poisoned"), "precision"),
                                           (_("test accuracy after removing the flagged rows"), "accuracy")], "recall"),
        }

    def compute(self, attack: str, metric: str) -> dict[str, Any]:
        frame = self.curves[ATTACKS[attack]].to_frame()
        return {"table": frame[frame["defence"] != "none"], "frame": frame, "metric": metric, "attack": attack,
                "clean_accuracy": self.experiment.clean_accuracy}

    def summarize(self, r: dict[str, Any]) -> str:
        worst = r["table"].query("rate > 0").groupby("defence")["recall"].min()
        parts = ", ".join(_("{defence} {recall:.2f}", defence=_defence(d), recall=v) for d, v in worst.items())
        attack = "<b>" + _(r["attack"]) + "</b>"
        return _("{attack}: lowest recall of each defence over the poisoned rates: {parts}.",
                 attack=attack, parts=parts)

    def render(self, r: dict[str, Any]) -> list[Any]:
        from lifecycle_kit._html import line_chart_svg

        frame = r["frame"] if r["metric"] == "accuracy" else r["table"]
        series = {_defence(d): list(part[r["metric"]]) for d, part in frame.groupby("defence", sort=False)}
        reference = (_("clean accuracy"), r["clean_accuracy"]) if r["metric"] == "accuracy" else None
        chart = line_chart_svg(RATES, series, title=_("{metric} against the poisoning rate",
                                                      metric=_(METRIC_NAMES[r["metric"]])),
                               xlabel=_("poisoning rate"), reference=reference)
        table = r["table"][["rate", "defence", "flagged", "precision", "recall", "accuracy"]]
        table = table.assign(defence=[_defence(d) for d in table["defence"]])
        return [chart, localise_frame(table, TABLE_COLUMNS)]
