"""PoisoningLab (stage 4): label-flipping attacks on breast-cancer data, with defences at the chosen rate."""

import html

import numpy as np

from lifecycle_kit.labs.base import Lab, checkbox, dropdown

__all__ = ["PoisoningLab"]

RATES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45)
SOURCES = ("all sources", "agency_1", "agency_2", "agency_3", "agency_4")
DEFENCE_CONTROLS = {"defend_label_noise": "label_noise", "defend_knn": "knn", "defend_outlier": "outlier"}


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

    title = "Poisoning lab (stage 4)"
    intro = ("The breast-cancer training labels come from four sources. Choose an attack, its rate and which source "
             "the attacker controls; tick defences to see which rows they flag.")

    def __init__(self, *, random_state=0, lang=None):
        from lifecycle_kit.datasets import load

        self.data = load("breast_cancer")
        self.names = self.data.card["target_names"]
        self.random_state = random_state
        self._experiments = {}
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        return {
            "attack": dropdown("Attack", [("random flips", "random"), ("targeted: malignant -> benign", "targeted"),
                                          ("flips near the boundary", "boundary")], "random"),
            "rate": widgets.SelectionSlider(options=list(RATES), value=0.2, description="Poisoning rate",
                                            continuous_update=False, style={"description_width": "initial"},
                                            layout={"width": "420px"}),
            "source": dropdown("Compromised source", list(SOURCES), "all sources"),
            "model": dropdown("Model", [("logistic regression", "logistic"), ("decision tree", "tree"),
                                        ("k nearest neighbours", "knn")], "logistic"),
            "defend_label_noise": checkbox("Defence: label-noise filter (confident learning)", False),
            "defend_knn": checkbox("Defence: nearest-neighbour label check", False),
            "defend_outlier": checkbox("Defence: per-class outlier removal", False),
        }

    def experiment(self, model):
        if model not in self._experiments:
            from lifecycle_kit.poisoning import PoisoningExperiment

            self._experiments[model] = PoisoningExperiment(self.data.frame, self.data.target, model=model,
                                                           random_state=self.random_state)
        return self._experiments[model]

    def compute(self, attack, rate, source, model, defend_label_noise, defend_knn, defend_outlier):
        experiment = self.experiment(model)
        src = None if source == "all sources" else source
        curve = experiment.curve(RATES, attack=attack, source=src, progress=False)  # the lab shows its own state
        chosen = {"defend_label_noise": defend_label_noise, "defend_knn": defend_knn, "defend_outlier": defend_outlier}
        defences = tuple(DEFENCE_CONTROLS[k] for k, on in chosen.items() if on)
        trial = experiment.run(attack, rate, source=src, defences=defences)
        return {"curve": curve, "trial": trial, "clean_accuracy": experiment.clean_accuracy, "rate": rate,
                "defences": defences, "malignant_recall": trial.recall.get(0, np.nan)}

    def summarize(self, r):
        t = r["trial"]
        text = (f"{len(t.poisoned)} training labels flipped ({t.source}). Test accuracy <b>{t.accuracy:.3f}</b> "
                f"(clean {r['clean_accuracy']:.3f}); malignant recall <b>{r['malignant_recall']:.3f}</b>.")
        for row in t.defences.itertuples():
            text += (f" {html.escape(row.defence)}: {row.flagged} flagged, recall {row.recall:.2f}, "
                     f"accuracy after removal {row.accuracy:.3f}.")
        return text

    def render(self, r):
        from lifecycle_kit._html import line_chart_svg

        frame = r["curve"].to_frame().query("defence == 'none'")
        chart = line_chart_svg(frame["rate"], {"test accuracy": list(frame["accuracy"]),
                                               "malignant recall": list(frame["minority_recall"])},
                               marker_x=r["rate"], reference=("clean accuracy", r["clean_accuracy"]),
                               title="No defence: accuracy and malignant recall against the poisoning rate",
                               xlabel="poisoning rate")
        confusion = r["trial"].confusion.rename(index=self.names, columns=self.names)
        items = [chart, "<b>Confusion matrix at the chosen rate (rows: true class)</b>", confusion]
        if len(r["trial"].defences):
            items += ["<b>Defences at the chosen rate</b>", r["trial"].defences]
        return items
