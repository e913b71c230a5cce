"""Self-checks of 07_system_deployment: which check catches which serving bug; triggers in validation."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise
from lifecycle_kit.course.exercises import ChoiceQuestion
from lifecycle_kit.i18n import N_
from lifecycle_kit.course.selfchecks._source import solution_text


def _unit_change_columns(batch, reference):
    """Numeric columns whose batch mean is over twice or under half the reference mean."""
    import pandas as pd

    flagged = set()
    for column in reference.columns:
        if column not in batch.columns:
            continue
        if not (pd.api.types.is_numeric_dtype(reference[column]) and pd.api.types.is_numeric_dtype(batch[column])):
            continue
        reference_mean, batch_mean = reference[column].mean(), batch[column].mean()  # pandas skips NaN
        if pd.isna(batch_mean) or pd.isna(reference_mean) or reference_mean <= 0:
            continue  # no values to judge, or a ratio that means nothing
        ratio = batch_mean / reference_mean
        if ratio > 2 or ratio < 0.5:  # exactly 2 or 0.5 is still inside the contract
            flagged.add(column)
    return flagged


# Binary-exact values: doubling them gives a ratio of means of exactly 2 (the tie case).
_PRECIPITATION = [0.0, 0.0, 1.25, 5.0, 10.5, 0.5, 20.0, 3.25, 0.0, 8.5, 2.0, 14.0]
_TEMP_MAX = [8.9, 10.6, 11.7, 12.2, 9.4, 15.6, 21.1, 18.3, 13.9, 7.2, 6.1, 16.7]


def _serving_batch(*, precipitation_factor=1.0, missing=0, rows=12):
    """A reference of Seattle-like weather and a serving batch whose precipitation is scaled (a unit change)."""
    import pandas as pd

    reference = pd.DataFrame({"precipitation": _PRECIPITATION, "temp_max": _TEMP_MAX,
                              "season": ["winter"] * 6 + ["spring"] * 6})
    batch = reference.iloc[::-1].reset_index(drop=True).head(rows).copy()  # the same weather, another order
    batch["precipitation"] = batch["precipitation"] * precipitation_factor
    batch.loc[: missing - 1, ["precipitation", "temp_max"]] = None
    return batch, reference


def _contract_range_only(batch, reference):
    flagged = set()
    for column in reference.select_dtypes("number").columns:
        values = batch[column].dropna()
        if len(values) and (values.min() < reference[column].min() or values.max() > reference[column].max()):
            flagged.add(column)
    return flagged


def _contract_numpy_mean(batch, reference):
    import warnings

    import numpy as np

    flagged = set()
    for column in reference.select_dtypes("number").columns:
        with warnings.catch_warnings():  # numpy warns on an empty batch; the wrong answer is judged, not the warning
            warnings.simplefilter("ignore", RuntimeWarning)
            ratio = np.mean(batch[column].to_numpy(dtype=float)) / np.mean(reference[column].to_numpy(dtype=float))
        if ratio > 2 or ratio < 0.5:
            flagged.add(column)
    return flagged


def _contract_inclusive(batch, reference):
    flagged = set()
    for column in reference.select_dtypes("number").columns:
        if batch[column].notna().any():
            ratio = batch[column].mean() / reference[column].mean()
            if ratio >= 2 or ratio <= 0.5:
                flagged.add(column)
    return flagged


def _contract_exercise():
    return CodeExercise(
        N_("Write unit_change_columns(batch, reference): the set of numeric columns whose mean in the serving batch "
           "is more than twice or less than half their mean in the reference (a ratio of exactly 2 or 0.5 is not "
           "flagged). Ignore missing values; skip a column whose batch has no values or whose reference mean is not "
           "positive."),
        cases=[Case(N_("precipitation in centimetres (values / 10)"), _serving_batch(precipitation_factor=0.1)),
               Case(N_("a clean batch"), _serving_batch(), kind="clean"),
               Case(N_("precipitation in tenths of a millimetre (x 10)"), _serving_batch(precipitation_factor=10)),
               Case(N_("centimetres, with missing values in the batch"),
                    _serving_batch(precipitation_factor=0.1, missing=3), kind="missing"),
               Case(N_("a ratio of exactly 2"), _serving_batch(precipitation_factor=2), kind="tie"),
               Case(N_("an empty batch"), _serving_batch(rows=0), kind="empty")],
        solution=_unit_change_columns,
        solution_code=solution_text(_unit_change_columns, "unit_change_columns"),
        hints={"basic": N_("A unit change multiplies every value by a constant: values divided by 10 stay inside the "
                           "reference range, so compare the means (their ratio), not the minimum and maximum."),
               "clean": N_("A batch of the same weather in another order must raise no alarm."),
               "missing": N_("numpy's mean of a column with NaN is NaN, and NaN > 2 is False: use pandas' mean, "
                             "which skips missing values."),
               "tie": N_("Exactly 2 is inside the contract: flag ratio > 2 or ratio < 0.5."),
               "empty": N_("An empty batch has no mean: skip the column instead of dividing NaN (or zero).")},
        wrong_answers={"range check only": _contract_range_only, "numpy mean with NaN": _contract_numpy_mean,
                       "inclusive bounds": _contract_inclusive},
        explanation=N_("The specification's range check cannot see a unit change that shrinks values; a contract on "
        "the distribution (here the ratio of means, a crude but robust statistic for positive quantities) catches "
        "it before the model answers. Checking at deployment that serving inputs match the formats used in training "
        "is what Zatsarinny and Gavrilov ask for at this stage."),
    )


def questions():
    # Options are kept short: multiple-choice options are shown as checkboxes of a fixed width.
    return {
        "unit_contract": _contract_exercise(),
        "centimetres_caught_by": ChoiceQuestion(
            N_("Predict before you try it in the lab: precipitation arrives in centimetres instead of millimetres "
               "(every value divided by 10). Which checks will catch it? Pick all that apply."),
            options={"types": N_("type check (specification)"), "ranges": N_("range check (specification)"),
                     "distribution": N_("distribution tests"),
                     "accuracy": N_("model accuracy (once labelled)")},
            correct={"distribution", "accuracy"},
            hints={"types": N_("The values are still numbers."),
                   "ranges": N_("Dividing by 10 keeps every value inside the reference range [0, max].")},
            explanation=N_("A unit bug that shrinks values stays inside the specified range and passes the type check; "
            "only the distribution moves (Wasserstein distance and PSI flag it), and the model, which learned "
            "millimetres, loses accuracy. Distribution tests belong in deployment checks, not only in monitoring."),
        ),
        "why_accuracy_falls": ChoiceQuestion(
            N_("With the millimetres-to-centimetres bug every precipitation value is a valid number inside the "
               "specified range, yet the model's accuracy falls. Why?"),
            options={"learned_scale": N_("It learned rain on the millimetre scale."),
                     "random": N_("The bug makes the model predict at random."),
                     "range_off": N_("The range check was switched off.")},
            correct="learned_scale",
            hints={"random": N_("Look at what it predicts: not random classes, but drier weather than there was."),
                   "range_off": N_("The range check ran and passed: a tenth of a valid value is still inside [0, "
                                   "max].")},
            explanation=N_("The model's split points and weights are on the millimetre scale: divided by ten, a rainy "
            "day looks like drizzle or sun. A check of form cannot see a change of meaning; a comparison with the "
            "training distribution can."),
        ),
        "sensor_update": ChoiceQuestion(
            N_("Next month the weather stations get new firmware that may change how precipitation is reported. The "
               "specification check already runs on every batch. What do you add?"),
            options={"distribution": N_("Distribution tests against the training reference."),
                     "tighter_types": N_("A stricter type check on precipitation."),
                     "nothing": N_("Nothing: the range check covers it.")},
            correct="distribution",
            hints={"tighter_types": N_("A changed unit keeps the type: numbers stay numbers."),
                   "nothing": N_("A unit change that shrinks values stays inside the range: the lab showed it "
                                 "passing.")},
            explanation=N_("Zatsarinny and Gavrilov ask that input formats from sensors be checked against those used "
            "in training. Structure and types are only part of a format: the unit and the distribution are the "
            "rest, and only a comparison with the training reference (PSI, Wasserstein distance, a domain "
            "classifier) sees them."),
        ),
        "trigger_in_validation": ChoiceQuestion(
            N_("Why test a model with candidate trigger patterns before deployment?"),
            options={"a": N_("A backdoored model is as accurate as a clean one."),
                     "b": N_("Triggers make the model slower."),
                     "c": N_("Specifications cannot check images.")},
            correct="a",
            hints={"b": N_("A trigger changes what the model answers, not how fast."),
                   "c": N_("The point is not what the specification can check, but what accuracy cannot see.")},
            explanation=N_("A backdoored model is as accurate as a clean one on clean data, so accuracy cannot reveal "
            "it. Verification and validation of a trained model are hard because it cannot be fully explained; a "
            "trigger scan is one concrete test that accuracy monitoring cannot replace."),
        ),
    }
