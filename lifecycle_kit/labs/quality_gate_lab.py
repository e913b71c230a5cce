"""QualityGateLab (stage 6): a gate that refuses to train on data that misses its thresholds."""

import html

from lifecycle_kit.labs.base import Lab, float_slider

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

    title = "Quality gate lab (stage 6)"
    intro = "Damage the training data, then move the thresholds. The model is trained only when the gate opens."

    def __init__(self, *, random_state=0, lang=None):
        from lifecycle_kit.datasets import load
        from lifecycle_kit.quality.trials import GateExperiment

        ds = load("penguins")
        self.experiment = GateExperiment(ds.frame, ds.target, random_state=random_state)
        super().__init__(lang=lang)

    def _make_controls(self):
        return {
            "missing": float_slider("Missing values", 0.0, 0.0, 0.3, 0.02),
            "duplicates": float_slider("Duplicate rows", 0.0, 0.0, 0.3, 0.02),
            "label_noise": float_slider("Label noise", 0.0, 0.0, 0.4, 0.05),
            "min_completeness": float_slider("Gate: min value completeness (Com-ML-1, completeness)", 0.95, 0.8, 1.0,
                                             0.01),
            "min_unique": float_slider("Gate: min duplicate-free records (Con-ML-1, consistency)", 0.99, 0.8, 1.0, 0.01),
            "min_label_accuracy": float_slider("Gate: min label accuracy (Acc-ML-4, accuracy)", 0.9, 0.7, 1.0, 0.01),
        }

    def compute(self, missing, duplicates, label_noise, min_completeness, min_unique, min_label_accuracy):
        thresholds = {"Com-ML-1": min_completeness, "Con-ML-1": min_unique, "Acc-ML-4": min_label_accuracy}
        return self.experiment.run(thresholds=thresholds, missing=missing, duplicates=duplicates,
                                   label_noise=label_noise)

    def summarize(self, r):
        if r.trained:
            return (f"<span style='color:#137333'><b>Gate open</b></span>: model trained, test accuracy "
                    f"<b>{r.accuracy:.3f}</b> (clean data: {r.clean_accuracy:.3f}).")
        return (f"<span style='color:#a50e0e'><b>Gate blocked</b></span> ({len(r.result.reasons)} reason(s)): "
                f"no model trained. Training anyway would have scored {r.accuracy_if_forced:.3f} "
                f"(clean data: {r.clean_accuracy:.3f}).")

    def render(self, r):
        from lifecycle_kit.quality.measures import MEASURE_ID_NOTE, measure_label

        rows = "".join(
            f"<tr><td>{html.escape(measure_label(k))}</td><td>{v:.3f}</td><td>{r.gate.thresholds[k]:g}</td>"
            f"<td>{'yes' if v >= r.gate.thresholds[k] else '<b>no</b>'}</td></tr>" for k, v in r.result.checked.items())
        table = f"<table><tr><th>measure</th><th>value</th><th>threshold</th><th>meets it</th></tr>{rows}</table>"
        reasons = "".join(f"<li>{html.escape(x)}</li>" for x in r.result.reasons)
        note = f"<p style='font-size:90%'><i>{html.escape(MEASURE_ID_NOTE)}</i></p>"
        return [table + note + (f"<p><b>Reasons:</b></p><ul>{reasons}</ul>" if reasons else "")]
