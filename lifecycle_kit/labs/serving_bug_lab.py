"""ServingBugLab (stage 7): a deployment bug against the specification, the distribution tests and the model."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from lifecycle_kit.i18n import N_, _, pgettext
from lifecycle_kit.labs.base import Lab, dropdown, float_slider, localise_frame

if TYPE_CHECKING:
    from lifecycle_kit.drift.deployment import DeploymentCheck

__all__ = ["ServingBugLab"]

# What lifecycle_kit.drift.simulate.SERVING_BUGS says each bug does, and the names of the checks of
# lifecycle_kit.drift.deployment, marked for the catalog (tests/test_labs_i18n.py checks that none is missing).
BUG_TEXTS = (
    N_("no bug"), N_("two numeric columns arrive in each other's place"),
    N_("a column arrives in units a thousand times smaller (kilometres as metres, kg as grams)"),
    N_("a temperature arrives in degrees Fahrenheit instead of Celsius"),
    N_("a length arrives in centimetres instead of millimetres (values / 10)"), N_("a column is not sent at all"),
    N_("a category is spelled differently ('rain' becomes 'Rain')"), N_("numbers arrive as text with a decimal comma"),
)
BUG_NAMES = {"none": N_("none"), "swapped_columns": N_("swapped columns"), "unit_x1000": N_("unit x1000"),
             "celsius_to_fahrenheit": N_("celsius to fahrenheit"),
             "millimetres_to_centimetres": N_("millimetres to centimetres"), "missing_column": N_("missing column"),
             "renamed_category": N_("renamed category"), "changed_dtype": N_("changed dtype")}
CHECK_NAMES = (N_("specification: structure"), N_("specification: types"),
               N_("specification: ranges and categories"), N_("specification: cross-field rules"),
               N_("distribution tests"), N_("model accuracy"), N_("model"), N_("passes"), N_("no column drifted"))
CHECK_COLUMNS = {"check": N_("check"), "caught": N_("caught"), "detail": N_("detail")}
DRIFT_COLUMNS = {"column": N_("column"), "test": N_("test"), "statistic": N_("statistic"), "threshold": N_("threshold"),
                 "drifted": N_("drifted"), "explanation": N_("explanation")}


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

    title = N_("Serving bug lab (stage 7)")
    intro = N_("Pick a bug that could happen between the sensors and the model; the three checks run side by side.")

    def __init__(self, *, random_state: int = 0, lang: str | None = None) -> None:
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
            "bug": dropdown(_("Serving bug"), [(_(BUG_NAMES.get(k, k.replace("_", " "))), k) for k in SERVING_BUGS],
                            "none"),
            "share": float_slider(_("Share of rows affected"), 1.0, 0.1, 1.0, 0.1),
        }

    def compute(self, bug: str, share: float) -> DeploymentCheck:
        from lifecycle_kit.drift.deployment import SEATTLE_BUG_COLUMNS

        column, other = SEATTLE_BUG_COLUMNS[bug]
        return self.experiment.run(bug, column=column, other=other, share=share)

    def summarize(self, r: DeploymentCheck) -> str:
        from lifecycle_kit.drift.simulate import SERVING_BUGS

        table = r.to_frame()
        caught = [_(c) for c, hit in zip(table["check"], table["caught"]) if hit]
        accuracy = _("cannot predict") if r.model_error else _("accuracy {accuracy:.3f} (clean {clean:.3f})",
                                                               accuracy=r.accuracy, clean=r.clean_accuracy)
        found = ", ".join(caught) if caught else "<b>" + pgettext("caught by", "nothing") + "</b>"
        what = SERVING_BUGS.get(r.bug, "")
        if r.bug == "none":  # "Bug none (no bug)" reads badly in any language
            return _("No bug in the batch. Checks that raised an alarm: {found}. Model: {accuracy}.", found=found,
                     accuracy=accuracy)
        bug = "<b>" + html.escape(_(BUG_NAMES.get(r.bug, r.bug))) + "</b>"
        return _("Bug {bug} ({what}): caught by {found}. Model: {accuracy}.", bug=bug,
                 what=html.escape(_(what) if what else ""), found=found, accuracy=accuracy)

    def render(self, r: DeploymentCheck) -> list[Any]:
        table = r.to_frame()
        details = []
        for check, detail in zip(table["check"], table["detail"]):
            if check == "model accuracy":
                detail = _("{accuracy:.3f} on the batch (clean batch {clean:.3f})", accuracy=r.accuracy,
                           clean=r.clean_accuracy)
            elif detail in ("passes", "no column drifted"):
                detail = _(detail)
            details.append(detail)  # violations and column names stay as the core writes them
        table = table.assign(check=[_(c) for c in table["check"]], detail=details)
        items = [localise_frame(table, CHECK_COLUMNS)]
        if r.drift is not None and r.drift.drifted_columns:
            drift = r.drift.to_frame(details=True)[["column", "test", "statistic", "threshold", "drifted",
                                                    "explanation"]].head(5)
            items.append(localise_frame(drift, DRIFT_COLUMNS))
        return items
