"""Self-checks of 07_system_deployment: which check catches which serving bug; triggers in validation."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise, Misconception
from lifecycle_kit.course.exercises import ChoiceQuestion
from lifecycle_kit.course.selfchecks._source import solution_text
from lifecycle_kit.i18n import N_


def _unit_change_columns(batch, reference):
    """Numeric columns whose batch mean is over twice or under half the reference mean."""
    import pandas as pd

    flagged = set()
    for column in reference.columns:
        if column not in batch.columns:
            continue  # dropped by the serving bug: another check's job, not a crash
        if not (pd.api.types.is_numeric_dtype(reference[column]) and pd.api.types.is_numeric_dtype(batch[column])):
            continue
        reference_mean, batch_mean = reference[column].mean(), batch[column].mean()  # pandas skips NaN and pd.NA
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


def _generate_serving(draw):
    """A reference and a serving batch. Every numeric column of the reference has 1, 2 or 4 values, multiples of
    0.25 (so every mean, and every ratio of exactly 2 or 0.5, is exact in floating point); in the batch it is the
    same values, some of them or others, scaled by a factor — 2 and 0.5 exactly among them — with missing values
    (NaN or pd.NA), or dropped, or arriving as text, or all missing; reference means that are zero or negative; a
    column only the batch has; text columns."""
    import pandas as pd

    grids = {"precipitation": [0.0, 1.25, 5.0, 0.5, 20.0, 3.25], "temp_max": [-2.5, 8.75, -1.0, 12.25, 0.5, 3.0],
             "wind": [2.0, 4.5, 1.75, 6.0, 3.25, 0.25]}
    size = draw.one_of([2, 4, 1])
    batch_rows = draw.one_of([size, size + 1, 0, 2 * size])
    reference, batch, dtypes = {}, {}, {}
    remaining = list(grids)

    def column(d):  # every choice about one column in one stretch: the shrinker deletes a column whole
        name = remaining.pop(d.index(len(remaining)))
        values = [d.one_of(grids[name]) for _ in range(size)]
        reference[name] = values
        fate = d.one_of(["scaled", "dropped", "as text", "all missing"], weights=[6, 1, 1, 1])
        if fate == "dropped":
            return
        factor = d.one_of([1, 2, 0.5, 10, 0.1, 3, 0.25, 1.5], weights=[3, 3, 3, 2, 2, 1, 1, 1])
        source = d.one_of(["the same values", "some of them", "other values"], weights=[3, 1, 2])
        if source == "the same values" and batch_rows >= size:
            present = values[::-1]
        else:
            pool = values if source == "some of them" else grids[name]
            present = [d.one_of(pool) for _ in range(d.one_of([1, 2, 4]))]
        cells = ([v * factor for v in present] + [None] * batch_rows)[:batch_rows]
        if fate == "all missing":
            cells = [None] * batch_rows
        if fate == "as text":
            cells = [None if v is None else str(v) for v in cells]
        batch[name] = cells
        dtypes[name] = None if fate == "as text" else d.one_of(["float64", "Float64"])

    draw.items(column, min_size=1, max_size=3)
    reference_frame = pd.DataFrame(reference)
    if draw.boolean(0.3):
        reference_frame["season"] = [draw.one_of(["winter", "spring"]) for _ in range(size)]
        batch["season"] = [draw.one_of(["winter", "summer"]) for _ in range(batch_rows)]
        dtypes["season"] = None
    if draw.boolean(0.3):
        batch["humidity"] = [draw.one_of([40.0, 95.0]) for _ in range(batch_rows)]
        dtypes["humidity"] = "float64"
    order = draw.sample(list(batch), min_size=len(batch))
    batch_frame = pd.DataFrame({name: pd.Series(batch[name], dtype=dtypes[name]) for name in order},
                               index=range(batch_rows))
    return batch_frame, reference_frame


def _contract_exercise():
    import warnings

    import numpy as np
    import pandas as pd

    def range_only(batch, reference):
        flagged = set()
        for column in reference.select_dtypes("number").columns:
            values = batch[column].dropna()
            if len(values) and (values.min() < reference[column].min() or values.max() > reference[column].max()):
                flagged.add(column)
        return flagged

    def numpy_mean(batch, reference):
        flagged = set()
        for column in reference.select_dtypes("number").columns:
            with warnings.catch_warnings():  # numpy warns on an empty batch; the wrong answer is judged, not that
                warnings.simplefilter("ignore", RuntimeWarning)
                ratio = np.mean(batch[column].to_numpy(dtype=float)) / np.mean(reference[column].to_numpy(dtype=float))
            if ratio > 2 or ratio < 0.5:
                flagged.add(column)
        return flagged

    def inclusive(batch, reference):
        flagged = set()
        for column in reference.select_dtypes("number").columns:
            if column in batch and pd.api.types.is_numeric_dtype(batch[column]) and batch[column].notna().any():
                ratio = batch[column].mean() / reference[column].mean()
                if reference[column].mean() > 0 and (ratio >= 2 or ratio <= 0.5):
                    flagged.add(column)
        return flagged

    def column_assumed_present(batch, reference):  # KeyError when the serving bug drops a column
        return {column for column in reference.select_dtypes("number").columns
                if pd.api.types.is_numeric_dtype(batch[column]) and batch[column].notna().any()
                and reference[column].mean() > 0
                and not 0.5 <= batch[column].mean() / reference[column].mean() <= 2}

    def any_sign(batch, reference):  # a negative or zero reference mean still judged
        ratios = batch.mean(numeric_only=True) / reference.mean(numeric_only=True)
        return {column for column, ratio in ratios.items() if column in reference and (ratio > 2 or ratio < 0.5)}

    def missing_as_zero(batch, reference):  # fillna(0): the missing values pull the mean down
        return _unit_change_columns(batch.fillna({c: 0 for c in batch.select_dtypes("number").columns}), reference)

    def one_direction(batch, reference):  # only growth: centimetres (values / 10) pass
        return {c for c in _unit_change_columns(batch, reference) if batch[c].mean() > reference[c].mean()}

    def sums(batch, reference):  # totals instead of means: a batch of another size looks scaled
        flagged = set()
        for column in reference.columns:
            if column in batch and pd.api.types.is_numeric_dtype(reference[column]) \
                    and pd.api.types.is_numeric_dtype(batch[column]) and batch[column].notna().any() \
                    and reference[column].mean() > 0:
                ratio = batch[column].sum() / reference[column].sum()
                if ratio > 2 or ratio < 0.5:
                    flagged.add(column)
        return flagged

    def medians(batch, reference):
        flagged = set()
        for column in reference.columns:
            if column in batch and pd.api.types.is_numeric_dtype(reference[column]) \
                    and pd.api.types.is_numeric_dtype(batch[column]) and batch[column].notna().any() \
                    and reference[column].mean() > 0:
                ratio = batch[column].median() / reference[column].median()
                if ratio > 2 or ratio < 0.5:
                    flagged.add(column)
        return flagged

    dropped = _serving_batch(precipitation_factor=0.1)
    dropped = (dropped[0].drop(columns=["temp_max"]), dropped[1])
    as_text = _serving_batch(precipitation_factor=10)
    as_text = (as_text[0].assign(temp_max=as_text[0]["temp_max"].astype(str)), as_text[1])
    below_zero = _serving_batch()
    below_zero = (below_zero[0].assign(temp_max=-below_zero[0]["temp_max"] * 3),
                  below_zero[1].assign(temp_max=below_zero[1]["temp_max"] - 13.0))
    nullable = _serving_batch(precipitation_factor=0.1, missing=2)
    nullable = (nullable[0].astype({"precipitation": "Float64", "temp_max": "Float64"}), nullable[1])
    extra = _serving_batch()
    extra = (extra[0].assign(humidity=[80.0] * 12), extra[1])
    half = _serving_batch(precipitation_factor=0.5)
    drizzle = _serving_batch()
    drizzle = (drizzle[0].assign(precipitation=6.0), drizzle[1])  # the median moves x2.3, the mean x1.1
    few_rows = _serving_batch(rows=4)  # the same kind of weather, a smaller batch: totals shrink, means do not
    mostly_missing = _serving_batch()
    mostly_missing[0].loc[:6, "precipitation"] = None  # 5 of 12 values left: the mean stays near the reference's
    dropped_hint = N_("A column of the reference may be missing from the batch (the serving bug dropped it): skip it "
                      "(if column not in batch.columns), a KeyError stops the contract for every other column.")
    return CodeExercise(
        N_("Write unit_change_columns(batch, reference): the set of columns, numeric in both tables, whose mean in "
           "the serving batch is more than twice or less than half their mean in the reference (a ratio of exactly "
           "2 or 0.5 is not flagged). Ignore missing values (NaN, or pd.NA in a nullable column). Skip a column of "
           "the reference that the batch lacks (a serving bug may drop one: no KeyError), a column that is not "
           "numeric in both tables (numbers arriving as text, say), a column whose batch has no values, and one "
           "whose reference mean is not positive; columns only the batch has are not judged."),
        cases=[Case(N_("precipitation in centimetres (values / 10)"), _serving_batch(precipitation_factor=0.1)),
               Case(N_("a clean batch"), _serving_batch(), kind="clean"),
               Case(N_("a steady drizzle: every value 6 mm"), drizzle, kind="mean"),
               Case(N_("a batch of 4 rows of the same weather"), few_rows, kind="mean"),
               Case(N_("the same weather with 7 of 12 precipitation values missing"), mostly_missing, kind="missing"),
               Case(N_("precipitation in tenths of a millimetre (x 10)"), _serving_batch(precipitation_factor=10)),
               Case(N_("centimetres, with missing values in the batch"),
                    _serving_batch(precipitation_factor=0.1, missing=3), kind="missing"),
               Case(N_("centimetres, with pd.NA in nullable columns"), nullable, kind="missing"),
               Case(N_("a ratio of exactly 2"), _serving_batch(precipitation_factor=2), kind="tie"),
               Case(N_("a ratio of exactly 0.5"), half, kind="tie"),
               Case(N_("temp_max dropped from the batch"), dropped, kind="dropped"),
               Case(N_("temp_max arriving as text"), as_text, kind="text"),
               Case(N_("a reference mean below zero"), below_zero, kind="sign"),
               Case(N_("a column only the batch has"), extra, kind="extra"),
               Case(N_("an empty batch"), _serving_batch(rows=0), kind="empty")],
        solution=_unit_change_columns,
        solution_code=solution_text(_unit_change_columns, "unit_change_columns"),
        hints={"basic": N_("A unit change multiplies every value by a constant: values divided by 10 stay inside the "
                           "reference range, so compare the means (their ratio), not the minimum and maximum."),
               "clean": N_("A batch of the same weather in another order must raise no alarm."),
               "mean": N_("The contract compares means: their ratio, not the ratio of medians, maxima or totals."),
               "missing": N_("numpy's mean of a column with NaN is NaN, and NaN > 2 is False: use pandas' mean, "
                             "which skips missing values (and never fill them with 0: that pulls the mean down)."),
               "tie": N_("Exactly 2 and exactly 0.5 are inside the contract: flag ratio > 2 or ratio < 0.5."),
               "dropped": dropped_hint,
               "text": N_("A column that is not numeric in both tables is skipped: numbers arriving as text are "
                          "another check's job (the type check)."),
               "sign": N_("A ratio of means means nothing when the reference mean is zero or negative: skip the "
                          "column."),
               "extra": N_("Judge the reference's columns only: a column only the batch has has no reference mean."),
               "empty": N_("An empty batch has no mean: skip the column instead of dividing NaN (or zero).")},
        generate=_generate_serving,
        examples=120,
        shrink_budget=120,
        misconceptions=[
            Misconception(range_only, N_("It looks as if values were compared with the reference range: values "
                                         "divided by 10 stay inside it. Compare the means.")),
            Misconception(numpy_mean, N_("It looks as if numpy's mean were used: with a missing value it is NaN, and "
                                         "NaN > 2 is False. Use pandas' mean, which skips missing values.")),
            Misconception(inclusive, N_("It looks as if a ratio of exactly 2 or 0.5 were flagged: the contract "
                                        "allows it (ratio > 2 or ratio < 0.5).")),
            Misconception(column_assumed_present, dropped_hint),
            Misconception(any_sign, N_("It looks as if a reference mean of zero or below were judged too: the ratio "
                                       "means nothing there, so skip the column.")),
            Misconception(missing_as_zero, N_("It looks as if missing values were counted as 0: they pull the mean "
                                              "down. Skip them (pandas' mean does).")),
            Misconception(one_direction, N_("It looks as if only growth were flagged: a mean under half the "
                                            "reference's (centimetres instead of millimetres) is a unit change "
                                            "too.")),
            Misconception(sums, N_("It looks as if totals were compared: a batch has its own number of rows, so "
                                   "compare means.")),
            Misconception(medians, N_("It looks as if medians were compared: the contract compares means, which "
                                      "every value moves.")),
        ],
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
