"""ServingBugLab (stage 7): a deployment bug against the specification, the distribution tests and the model."""

import html

from lifecycle_kit.labs.base import Lab, dropdown, float_slider

__all__ = ["ServingBugLab"]


class ServingBugLab(Lab):
    """Serve Seattle weather batches with a bug; see which check catches it.

    The model (predicting the weather type) was trained on a reference part;
    the serving batch is the rest. Each bug hits one column (a swap hits two);
    ``share`` is the fraction of rows affected, as when one of several sensors
    is misconfigured.

    Examples
    --------
    >>> lab = ServingBugLab()
    >>> lab.controls["bug"].value = "millimetres_to_centimetres"
    >>> table = lab.result.to_frame().set_index("check")
    >>> bool(table.loc["specification: types", "caught"]), bool(table.loc["distribution tests", "caught"])
    (False, True)
    """

    title = "Serving bug lab (stage 7)"
    intro = "Pick a bug that could happen between the sensors and the model; the three checks run side by side."

    def __init__(self, *, random_state=0, lang=None):
        from lifecycle_kit.datasets import load
        from lifecycle_kit.drift.deployment import DeploymentExperiment, seattle_features
        from lifecycle_kit.quality import Rule

        weather = load("seattle_weather")
        self.experiment = DeploymentExperiment(seattle_features(weather.frame), weather.target, random_state=random_state)
        # The stage-2 specification knows that the minimum temperature cannot exceed the maximum.
        self.experiment.spec.rules.append(Rule("temp_min", "<=", "temp_max", name="temp_min <= temp_max"))
        super().__init__(lang=lang)

    def _make_controls(self):
        from lifecycle_kit.drift.simulate import SERVING_BUGS

        return {
            # The option is the bug's short name; what it does is said in the summary (a long option is cut off).
            "bug": dropdown("Serving bug", [(k.replace("_", " "), k) for k in SERVING_BUGS], "none"),
            "share": float_slider("Share of rows affected", 1.0, 0.1, 1.0, 0.1),
        }

    def compute(self, bug, share):
        from lifecycle_kit.drift.deployment import SEATTLE_BUG_COLUMNS

        column, other = SEATTLE_BUG_COLUMNS[bug]
        return self.experiment.run(bug, column=column, other=other, share=share)

    def summarize(self, r):
        from lifecycle_kit.drift.simulate import SERVING_BUGS

        table = r.to_frame()
        caught = [c for c, hit in zip(table["check"], table["caught"]) if hit]
        accuracy = "cannot predict" if r.model_error else f"accuracy {r.accuracy:.3f} (clean {r.clean_accuracy:.3f})"
        return (f"Bug <b>{html.escape(r.bug)}</b> ({html.escape(SERVING_BUGS.get(r.bug, ''))}): caught by {', '.join(caught) if caught else '<b>nothing</b>'}. "
                f"Model: {accuracy}.")

    def render(self, r):
        items = [r.to_frame()]
        if r.drift is not None and r.drift.drifted_columns:
            items.append(r.drift.to_frame(details=True)[["column", "test", "statistic", "threshold", "drifted",
                                                          "explanation"]].head(5))
        return items
