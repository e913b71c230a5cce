"""QualityLab (stage 5): inject defects, watch the quality measures (modelled on ISO/IEC 5259-2) and a model respond."""

from lifecycle_kit.labs.base import Lab, dropdown, float_slider

__all__ = ["QualityLab"]

DATASETS = {"penguins": None, "adult (2,000-row sample)": 2000}

# The measures that respond to the lab's defects (storage and portability measures do not, and cost time).
RESPONSIVE_MEASURES = ["Acc-ML-1", "Acc-ML-2", "Acc-ML-3", "Com-ML-1", "Com-ML-2", "Com-ML-3", "Com-ML-4", "Con-ML-1",
                       "Con-ML-2", "Bal-ML-1", "Div-ML-1", "Rep-ML-2", "Sim-ML-1", "Rel-ML-1", "Eff-ML-1"]


class QualityLab(Lab):
    """Damage a training set with sliders; see the quality measures and the test accuracy move.

    The model (logistic regression) is trained on the damaged training part and
    tested on an untouched test part; the clean model's accuracy is the baseline.

    Examples
    --------
    >>> lab = QualityLab(dataset="penguins")
    >>> lab.controls["duplicates"].value = 0.2
    >>> lab.result.report["Con-ML-1"].passed
    False
    """

    title = "Quality lab (stage 5)"
    intro = "Move a slider to inject that defect into the training data; the table, the chart and the accuracy follow."

    def __init__(self, *, dataset="penguins", random_state=0, lang=None):
        self._initial = dataset
        self.random_state = random_state
        self._experiments = {}
        super().__init__(lang=lang)

    def _make_controls(self):
        return {
            "dataset": dropdown("Dataset", list(DATASETS), self._initial),
            "missing": float_slider("Missing values", 0.0, 0.0, 0.5, 0.05),
            "duplicates": float_slider("Duplicate rows", 0.0, 0.0, 0.5, 0.05),
            "outliers": float_slider("Outliers", 0.0, 0.0, 0.2, 0.02),
            "type_errors": float_slider("Type errors", 0.0, 0.0, 0.2, 0.02),
            "label_noise": float_slider("Label noise", 0.0, 0.0, 0.5, 0.05),
        }

    def experiment(self, name):
        """The split, clean spec and clean baseline of a dataset, built once per dataset."""
        if name not in self._experiments:
            from lifecycle_kit.datasets import load
            from lifecycle_kit.quality.trials import DefectExperiment

            ds = load(name.split(" ")[0])
            frame, target = ds.frame, ds.target
            rows = DATASETS[name]
            if rows:
                frame = frame.sample(rows, random_state=self.random_state)
                target = target.loc[frame.index]
            self._experiments[name] = DefectExperiment(frame, target, measures=RESPONSIVE_MEASURES,
                                                       random_state=self.random_state)
        return self._experiments[name]

    def compute(self, dataset, missing, duplicates, outliers, type_errors, label_noise):
        return self.experiment(dataset).run(missing=missing, duplicates=duplicates, outliers=outliers,
                                            type_errors=type_errors, label_noise=label_noise)

    def summarize(self, r):
        failed = len(r.report.failed)
        injected = sum(r.log.counts.values())
        return (f"Injected <b>{injected:,}</b> defects into {r.train_rows:,} training rows. "
                f"<b>{failed}</b> of {len(r.report.results)} measures below threshold. "
                f"Test accuracy: clean <b>{r.clean_accuracy:.3f}</b> → damaged <b>{r.damaged_accuracy:.3f}</b>.")

    def render(self, r):
        from lifecycle_kit._html import bar_chart_svg, esc
        from lifecycle_kit.quality.measures import MEASURE_ID_NOTE, measure_label

        frame = r.report.to_frame()
        chart = bar_chart_svg([measure_label(m) for m in frame["measure_id"]], list(frame["value"]),
                              thresholds=list(frame["threshold"]), passed=list(frame["passed"]),
                              title="Quality measures (bar: value, tick: threshold)")
        counts = {k: v for k, v in r.log.counts.items() if v}
        injected = ("<p>Injected: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + "</p>") if counts \
            else "<p>No defects injected yet.</p>"
        table = r.report.summary()[["measure_id", "characteristic", "measure", "value", "threshold", "passed", "detail"]]
        return [injected + chart, table.round({"value": 3}), f"<p style='font-size:90%'><i>{esc(MEASURE_ID_NOTE)}</i></p>"]
