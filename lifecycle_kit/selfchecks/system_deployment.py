"""Self-checks of 07_system_deployment: which check catches which serving bug; triggers in validation."""

from lifecycle_kit.code_exercises import Case, CodeExercise
from lifecycle_kit.exercises import ChoiceQuestion, NumericQuestion
from lifecycle_kit.selfchecks._source import solution_text


def _mm_to_cm_accuracy():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.drift.deployment import DeploymentExperiment, seattle_features

    weather = load("seattle_weather")
    experiment = DeploymentExperiment(seattle_features(weather.frame), weather.target, random_state=0)
    return experiment.run("millimetres_to_centimetres", column="precipitation").accuracy


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
        "Write unit_change_columns(batch, reference): the set of numeric columns whose mean in the serving batch "
        "is more than twice or less than half their mean in the reference (a ratio of exactly 2 or 0.5 is not "
        "flagged). Ignore missing values; skip a column whose batch has no values or whose reference mean is not "
        "positive.",
        cases=[Case("precipitation in centimetres (values / 10)", _serving_batch(precipitation_factor=0.1)),
               Case("a clean batch", _serving_batch(), kind="clean"),
               Case("precipitation in tenths of a millimetre (x 10)", _serving_batch(precipitation_factor=10)),
               Case("centimetres, with missing values in the batch",
                    _serving_batch(precipitation_factor=0.1, missing=3), kind="missing"),
               Case("a ratio of exactly 2", _serving_batch(precipitation_factor=2), kind="tie"),
               Case("an empty batch", _serving_batch(rows=0), kind="empty")],
        solution=_unit_change_columns,
        solution_code=solution_text(_unit_change_columns, "unit_change_columns"),
        hints={"basic": "A unit change multiplies every value by a constant: values divided by 10 stay inside the "
                        "reference range, so compare the means (their ratio), not the minimum and maximum.",
               "clean": "A batch of the same weather in another order must raise no alarm.",
               "missing": "numpy's mean of a column with NaN is NaN, and NaN > 2 is False: use pandas' mean, "
                          "which skips missing values.",
               "tie": "Exactly 2 is inside the contract: flag ratio > 2 or ratio < 0.5.",
               "empty": "An empty batch has no mean: skip the column instead of dividing NaN (or zero)."},
        wrong_answers={"range check only": _contract_range_only, "numpy mean with NaN": _contract_numpy_mean,
                       "inclusive bounds": _contract_inclusive},
        explanation="The specification's range check cannot see a unit change that shrinks values; a contract on "
        "the distribution (here the ratio of means, a crude but robust statistic for positive quantities) catches "
        "it before the model answers. ISO/IEC 8183's deployment stage asks that serving inputs match the formats "
        "used in training.",
    )


def questions():
    return {
        "unit_contract": _contract_exercise(),
        "centimetres_caught_by": ChoiceQuestion(
            "Precipitation arrives in centimetres instead of millimetres (every value divided by 10). Which checks "
            "catch it?",
            options={"types": "the type check of the specification", "ranges": "the range check of the specification",
                     "distribution": "the distribution tests against the reference",
                     "accuracy": "the model's accuracy, once labels arrive"},
            correct={"distribution", "accuracy"},
            hints={"types": "The values are still numbers.",
                   "ranges": "Dividing by 10 keeps every value inside the reference range [0, max]."},
            explanation="A unit bug that shrinks values stays inside the specified range and the type check; only "
            "the distribution moves (Wasserstein/PSI flag it), and the model, which learned millimetres, loses "
            "accuracy. Distribution tests belong in deployment checks, not only in monitoring.",
        ),
        "centimetres_accuracy": NumericQuestion(
            "In the serving bug lab, choose the millimetres-to-centimetres bug on all rows. What is the model's "
            "accuracy on the batch?",
            answer=_mm_to_cm_accuracy,
            tolerance=0.001,
            explanation="The model learned that heavy precipitation means rain; divided by ten, rain looks like "
            "drizzle or sun.",
        ),
        "trigger_in_validation": ChoiceQuestion(
            "Why test a model with candidate trigger patterns before deployment?",
            options={"a": "Because a backdoored model is as accurate as a clean one on clean data.",
                     "b": "Because triggers make the model slower.",
                     "c": "Because the specification check cannot run on images."},
            correct="a",
            hints={"b": "A trigger changes what the model answers, not how fast.",
                   "c": "The point is not what the specification can check, but what accuracy cannot see."},
            explanation="Verification and validation of a trained model are hard because it cannot be fully "
            "explained; a trigger scan is one concrete test that accuracy monitoring cannot replace.",
        ),
    }
