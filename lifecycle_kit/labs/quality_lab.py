"""QualityLab (stage 5): inject defects, watch the quality measures (modelled on ISO/IEC 5259-2) and a model respond."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lifecycle_kit.i18n import N_, _
from lifecycle_kit.labs.base import Lab, dropdown, float_slider, localise_frame

if TYPE_CHECKING:
    from lifecycle_kit.quality.trials import DefectExperiment, DefectTrial

__all__ = ["QualityLab"]

DATASETS = {"penguins": None, "adult (2,000-row sample)": 2000}
DATASET_LABELS = {"penguins": N_("penguins"), "adult (2,000-row sample)": N_("adult (2,000-row sample)")}
# What the log calls each defect, as the learner reads it.
DEFECT_NAMES = {"missing": N_("missing values"), "duplicates": N_("duplicate rows"), "outliers": N_("outliers"),
                "type_errors": N_("type errors"), "label_noise": N_("label noise"),
                "unseen_categories": N_("unseen categories")}
TABLE_COLUMNS = {"measure_id": N_("measure_id"), "characteristic": N_("characteristic"), "measure": N_("measure"),
                 "value": N_("value"), "threshold": N_("threshold"), "passed": N_("passed"), "detail": N_("detail")}

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

    title = N_("Quality lab (stage 5)")
    intro = N_("Move a slider to inject that defect into the training data; the table, the chart and the accuracy "
               "follow.")

    _experiments: dict[str, DefectExperiment]  # one experiment per dataset

    def __init__(self, *, dataset: str = "penguins", random_state: int = 0, lang: str | None = None) -> None:
        self._initial = dataset
        self.random_state = random_state
        self._experiments = {}
        super().__init__(lang=lang)

    def _make_controls(self):
        return {
            "dataset": dropdown(_("Dataset"), [(_(DATASET_LABELS[k]), k) for k in DATASETS], self._initial),
            "missing": float_slider(_("Missing values"), 0.0, 0.0, 0.5, 0.05),
            "duplicates": float_slider(_("Duplicate rows"), 0.0, 0.0, 0.5, 0.05),
            "outliers": float_slider(_("Outliers"), 0.0, 0.0, 0.2, 0.02),
            "type_errors": float_slider(_("Type errors"), 0.0, 0.0, 0.2, 0.02),
            "label_noise": float_slider(_("Label noise"), 0.0, 0.0, 0.5, 0.05),
        }

    def experiment(self, name: str) -> DefectExperiment:
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

    def compute(self, dataset: str, missing: float, duplicates: float, outliers: float, type_errors: float,
                label_noise: float) -> DefectTrial:
        return self.experiment(dataset).run(missing=missing, duplicates=duplicates, outliers=outliers,
                                            type_errors=type_errors, label_noise=label_noise)

    def summarize(self, r: DefectTrial) -> str:
        failed = len(r.report.failed)
        injected = sum(r.log.counts.values())
        text = _("Injected <b>{injected:,}</b> defects into {rows:,} training rows. <b>{failed}</b> of {measures} "
                 "measures below threshold. Test accuracy: clean <b>{clean:.3f}</b> → damaged <b>{damaged:.3f}</b>.",
                 injected=injected, rows=r.train_rows, failed=failed, measures=len(r.report.results),
                 clean=r.clean_accuracy, damaged=r.damaged_accuracy)
        if not injected:
            return text
        # Whether accuracy "reveals" a defect is judged on the rows the two models disagree on, not by eye.
        changed: dict[str, Any] = {"lost": r.lost, "gained": r.gained, "n": r.test_rows}
        verdict = {
            "lower": _("Lower beyond the noise of the {n} test rows: the damaged model gets {lost} right answers "
                       "wrong and only {gained} wrong ones right.", **changed),
            "higher": _("Higher beyond the noise of the {n} test rows ({gained} answers turned right, {lost} "
                        "wrong).", **changed),
            "same": _("Within the noise of the {n} test rows ({lost} answers turned wrong, {gained} right): "
                      "accuracy does not reveal this damage.", **changed),
        }[r.accuracy_comparison]
        return f"{text} {verdict}"

    def render(self, r: DefectTrial) -> list[Any]:
        from lifecycle_kit._html import bar_chart_svg, esc
        from lifecycle_kit.labs._terms import MEASURE_ID_NOTE, characteristic, measure_label

        frame = r.report.to_frame()
        chart = bar_chart_svg([measure_label(m) for m in frame["measure_id"]], list(frame["value"]),
                              thresholds=list(frame["threshold"]), passed=list(frame["passed"]),
                              title=_("Quality measures (bar: value, tick: threshold)"))
        counts = {k: v for k, v in r.log.counts.items() if v}
        listed = ", ".join(_("{defect} {count:,}", defect=_(DEFECT_NAMES.get(k, k)), count=v) for k, v in counts.items())
        injected = ("<p>" + _("Injected: {defects}", defects=listed) + "</p>") if counts \
            else "<p>" + _("No defects injected yet.") + "</p>"
        table = r.report.summary()[["measure_id", "characteristic", "measure", "value", "threshold", "passed", "detail"]]
        table = table.round({"value": 3}).assign(characteristic=[characteristic(c) for c in table["characteristic"]])
        shown = localise_frame(table, TABLE_COLUMNS, values=["measure"])
        # The measure details are written by the core, in English.
        return [injected + chart, shown, f"<p style='font-size:90%'><i>{esc(_(MEASURE_ID_NOTE))}</i></p>"]
