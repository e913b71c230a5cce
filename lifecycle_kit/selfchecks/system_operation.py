"""Self-checks of 08_system_operation: drift kinds, detectors, the large-sample lesson, monitoring."""

from lifecycle_kit.code_exercises import Case, CodeExercise
from lifecycle_kit.exercises import ChoiceQuestion, NumericQuestion
from lifecycle_kit.selfchecks._source import solution_text


def _first_alert_week():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.drift.monitoring import StreamMonitor
    from lifecycle_kit.labs.monitoring_lab import FEATURES

    bikes = load("bike_sharing")
    monitor = StreamMonitor(bikes.frame.assign(bikers=bikes.target), target="bikers", time_column="timestamp",
                            features=FEATURES, reference_end="2011-03-01", period="week")
    result = monitor.run(policy="never", floor=0.5)
    return int(result.chunks.index[result.chunks["below_floor"]][0])


def _retrain_window(history, floor):
    """0 to keep the model; else the number of recent periods to retrain on (the run below the floor, at least 2)."""
    scores = history["score"].dropna()  # a period without labels yet has no score: it cannot decide anything
    if scores.empty or scores.iloc[-1] >= floor:  # a score equal to the floor meets it
        return 0
    below = 0
    for score in reversed(scores.tolist()):
        if score >= floor:
            break
        below += 1
    return min(max(below, 2), len(history))  # at least two periods to learn from, never more than exist


def _history(*scores):
    """A monitoring history like the monitoring lab's: one row per week, its score (None: no labels yet)."""
    import pandas as pd

    periods = pd.date_range("2011-03-07", periods=len(scores), freq="W-MON")
    return pd.DataFrame({"period": periods, "score": pd.array(scores, dtype="Float64").astype(float),
                         "drift_share": [0.1 * (i % 4) for i in range(len(scores))]})


def _retrain_last_row(history, floor):
    last = history["score"].iloc[-1]
    return 0 if last >= floor else min(max(1, 2), len(history))


def _retrain_fixed_window(history, floor):
    scores = history["score"].dropna()
    return 4 if len(scores) and scores.iloc[-1] < floor else 0


def _retrain_at_floor(history, floor):
    scores = history["score"].dropna()
    if scores.empty or scores.iloc[-1] > floor:
        return 0
    below = 0
    for score in reversed(scores.tolist()):
        if score > floor:
            break
        below += 1
    return min(max(below, 2), len(history))


def _policy_exercise():
    return CodeExercise(
        "Write retrain_window(history, floor): after each period, decide whether to retrain and on what window. "
        "history is the table of periods so far (columns period, score, drift_share; a missing score means the "
        "period's labels are not in yet). Return 0 to keep the model when the latest known score is at or above the "
        "floor; otherwise the number of most recent periods to retrain on: the run of latest known scores below the "
        "floor, but at least 2 and never more than the periods in the history.",
        cases=[Case("a model that stays above the floor", (_history(0.71, 0.66, 0.62), 0.5)),
               Case("a first fall below the floor", (_history(0.71, 0.62, 0.41), 0.5)),
               Case("three periods below the floor in a row", (_history(0.7, 0.6, 0.45, 0.4, 0.38), 0.5),
                    kind="window"),
               Case("a single monitored period, below the floor", (_history(0.3), 0.5), kind="window"),
               Case("the latest labels not in yet, the last known score fine", (_history(0.7, 0.44, 0.62, None), 0.5),
                    kind="missing"),
               Case("the latest labels not in yet after two bad periods", (_history(0.7, 0.44, 0.42, None), 0.5),
                    kind="missing"),
               Case("a score exactly at the floor", (_history(0.7, 0.6, 0.5), 0.5), kind="tie"),
               Case("no period monitored yet", (_history(), 0.5), kind="empty")],
        solution=_retrain_window,
        solution_code=solution_text(_retrain_window, "retrain_window"),
        hints={"window": "The window is the run of latest periods below the floor (the new regime), at least 2 and "
                         "at most len(history): a fixed window mixes the old regime back in.",
               "missing": "Drop the missing scores first (history['score'].dropna()) and decide on the latest known "
                          "one: a NaN compared with the floor is always False.",
               "tie": "The floor is a minimum: a score equal to it meets it, so keep the model.",
               "empty": "With no period yet there is nothing to decide: return 0 (iloc[-1] of an empty column fails)."},
        wrong_answers={"looks only at the last row": _retrain_last_row, "a fixed window of 4": _retrain_fixed_window,
                       "retrains at the floor": _retrain_at_floor},
        explanation="A policy says when (performance below the floor fixed at model building, once labels "
        "arrive) and on what (the recent periods of the new regime, enough of them to learn from). Scored on the "
        "monitoring lab's stream below, it is compared with never, a fixed schedule and 'on alert'.",
    )


def questions():
    return {
        "retraining_policy": _policy_exercise(),
        "invisible_drift": ChoiceQuestion(
            "Which kind of drift can a test on the input features never see?",
            options={"covariate": "covariate drift", "prior": "prior (label) drift", "concept": "concept drift"},
            correct="concept",
            hints={"covariate": "Covariate drift moves the inputs: that is exactly what input tests watch.",
                   "prior": "A changed class balance usually moves the inputs too (more rows of one kind)."},
            explanation="In concept drift the inputs keep their distribution and the rule from inputs to labels "
            "changes: only the errors reveal it, and only once labels arrive.",
        ),
        "large_sample": ChoiceQuestion(
            "With 5,000 rows per side, a shift of 0.1 standard deviations gives a KS p-value far below 0.05 while "
            "PSI stays far below 0.1. What does that mean?",
            options={"a": "The shift is statistically detectable but too small to matter: decide on an effect size.",
                     "b": "PSI is broken for large samples.",
                     "c": "The data certainly drifted and the model must be retrained."},
            correct="a",
            hints={"b": "PSI measures how large the change is; it does not grow with the sample size.",
                   "c": "Significance says the change is real, not that it is large enough to harm the model."},
            explanation="p-values answer 'is there any difference?', which with enough data is always yes. "
            "Monitoring should alert on effect sizes (PSI, Wasserstein) or, better, on performance.",
        ),
        "first_alert": NumericQuestion(
            "In the monitoring lab (weekly periods, floor 0.5, policy 'never'), at which period number does the "
            "first alert come (0 = the first week after February)?",
            answer=_first_alert_week,
            tolerance=0,
            explanation="The model learned winter: by spring, warmer hours bring riders it never saw, and its R² "
            "falls below the floor fixed at model building.",
        ),
    }
