"""Self-checks of 08_system_operation: drift kinds, detectors, the large-sample lesson, monitoring."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise, Misconception
from lifecycle_kit.course.exercises import ChoiceQuestion
from lifecycle_kit.course.selfchecks._source import solution_text
from lifecycle_kit.i18n import N_


def _retrain_window(history, floor):
    """0 to keep the model; else the number of recent periods to retrain on (the run below the floor, at least 2)."""
    scores = history["score"].dropna()  # a period without labels yet (NaN, pd.NA) has no score: it decides nothing
    if scores.empty or scores.iloc[-1] >= floor:  # a score equal to the floor meets it
        return 0
    below = 0
    for score in reversed(scores.tolist()):
        if score >= floor:
            break
        below += 1
    return min(max(below, 2), len(history))  # at least two periods to learn from, never more than exist


def _history(*scores, index=None, dtype="float64"):
    """A monitoring history like the monitoring lab's: one row per week, its score (None: no labels yet)."""
    import pandas as pd

    periods = pd.date_range("2011-03-07", periods=len(scores), freq="W-MON")
    return pd.DataFrame({"period": periods, "score": pd.Series([float("nan") if s is None else s for s in scores],
                                                                dtype=dtype),
                         "drift_share": [0.1 * (i % 4) for i in range(len(scores))]}).set_axis(
        index if index is not None else range(len(scores)))


def _generate_history(draw):
    """Histories of up to 8 periods: scores above, exactly at and below the floor, missing (NaN or pd.NA) at the end
    and inside a run; runs of every length; any index; several floors."""
    floor = draw.one_of([0.5, 0.55, 0.7])
    scores = draw.items(lambda d: d.one_of([floor + 0.1, floor - 0.1, floor, None, floor - 0.25, floor + 0.2],
                                           weights=[3, 4, 2, 2, 1, 1]), max_size=8)
    index = draw.one_of([None, "labels"])
    return _history(*scores, index=None if index is None else [100 + 7 * i for i in range(len(scores))],
                    dtype=draw.one_of(["float64", "Float64"])), floor


def _policy_exercise():
    import math

    import pandas as pd

    def last_row(history, floor):
        last = history["score"].iloc[-1]
        return 0 if last >= floor else min(max(1, 2), len(history))

    def fixed_window(history, floor):
        scores = history["score"].dropna()
        return 4 if len(scores) and scores.iloc[-1] < floor else 0

    def at_floor(history, floor):
        scores = history["score"].dropna()
        if scores.empty or scores.iloc[-1] > floor:
            return 0
        below = 0
        for score in reversed(scores.tolist()):
            if score > floor:
                break
            below += 1
        return min(max(below, 2), len(history))

    def all_below(history, floor):  # every known score below the floor, not the latest run
        scores = history["score"].dropna()
        if scores.empty or scores.iloc[-1] >= floor:
            return 0
        return min(max(int((scores < floor).sum()), 2), len(history))

    def no_minimum(history, floor):
        scores = history["score"].dropna()
        if scores.empty or scores.iloc[-1] >= floor:
            return 0
        below = 0
        for score in reversed(scores.tolist()):
            if score >= floor:
                break
            below += 1
        return min(below, len(history))

    def no_maximum(history, floor):
        scores = history["score"].dropna()
        if scores.empty or scores.iloc[-1] >= floor:
            return 0
        below = 0
        for score in reversed(scores.tolist()):
            if score >= floor:
                break
            below += 1
        return max(below, 2)

    def missing_counted(history, floor):  # periods without a score counted in the run
        scores = history["score"].dropna()
        if scores.empty or scores.iloc[-1] >= floor:
            return 0
        below = 0
        for score in reversed(history["score"].tolist()):
            if not (isinstance(score, float) and math.isnan(score)) and score is not None and score >= floor:
                break
            below += 1
        return min(max(below, 2), len(history))

    def missing_breaks_the_run(history, floor):
        scores = history["score"].dropna()
        if scores.empty or scores.iloc[-1] >= floor:
            return 0
        below, started = 0, False
        for score in reversed(history["score"].tolist()):
            if pd.isna(score):
                if started:
                    break
                continue
            if score >= floor:
                break
            started, below = True, below + 1
        return min(max(below, 2), len(history))

    steady = _history(0.71, 0.66, 0.62)
    nullable = _history(0.7, 0.44, 0.42, None, dtype="Float64")
    labelled = _history(0.7, 0.45, 0.4, index=[20, 27, 34])
    gap_in_run = _history(0.7, 0.6, 0.45, None, 0.4, 0.38)
    window_hint = N_("The window is the run of latest known scores below the floor (the new regime), at least 2 and "
                     "at most len(history): a fixed window mixes the old regime back in.")
    missing_hint = N_("Drop the missing scores first (history['score'].dropna(): NaN and pd.NA alike) and decide on "
                      "the known ones: a period without a score neither counts in a run nor breaks it.")
    return CodeExercise(
        N_("Write retrain_window(history, floor): after each period, decide whether to retrain and on what window. "
           "history is the table of periods so far, in time order (columns period, score, drift_share; any index; "
           "a missing score, NaN or pd.NA, means the period's labels are not in yet). Decide on the known scores "
           "only: a period without a score is skipped, neither counted nor breaking a run. Return 0 to keep the "
           "model when no score is known yet or the latest known score is at or above the floor; otherwise the "
           "number of most recent periods to retrain on: the number of latest known scores below the floor in a "
           "row, but at least 2 and never more than the periods in the history (len(history), periods without a "
           "score included)."),
        cases=[Case(N_("a model that stays above the floor"), (steady, 0.5)),
               Case(N_("a first fall below the floor"), (_history(0.71, 0.62, 0.41), 0.5)),
               Case(N_("three periods below the floor in a row"), (_history(0.7, 0.6, 0.45, 0.4, 0.38), 0.5),
                    kind="window"),
               Case(N_("a fall, a recovery, and a new fall of three periods"),
                    (_history(0.4, 0.3, 0.7, 0.45, 0.4, 0.38), 0.5), kind="run"),
               Case(N_("a single monitored period, below the floor"), (_history(0.3), 0.5), kind="cap"),
               Case(N_("a single scored period below the floor, the next not labelled yet"),
                    (_history(0.3, None), 0.5), kind="cap"),
               Case(N_("the latest labels not in yet, the last known score fine"),
                    (_history(0.7, 0.44, 0.62, None), 0.5), kind="missing"),
               Case(N_("the latest labels not in yet after two bad periods"), (_history(0.7, 0.44, 0.42, None), 0.5),
                    kind="missing"),
               Case(N_("a period without labels inside a run below the floor"), (gap_in_run, 0.5), kind="missing"),
               Case(N_("pd.NA in a nullable score column"), (nullable, 0.5), kind="missing"),
               Case(N_("a score exactly at the floor"), (_history(0.7, 0.6, 0.5), 0.5), kind="tie"),
               Case(N_("rows kept from a larger table (index 20, 27, 34)"), (labelled, 0.5), kind="index"),
               Case(N_("no period monitored yet"), (_history(), 0.5), kind="empty"),
               Case(N_("periods monitored, none labelled yet"), (_history(None, None), 0.5), kind="empty")],
        solution=_retrain_window,
        solution_code=solution_text(_retrain_window, "retrain_window"),
        hints={"window": window_hint,
               "run": N_("Count only the latest run below the floor: a score at or above it ends the run, and older "
                         "bad periods belong to a regime the model has already recovered from."),
               "cap": N_("At least 2, but never more than the periods there are: min(max(run, 2), len(history))."),
               "missing": missing_hint,
               "tie": N_("The floor is a minimum: a score equal to it meets it, so keep the model."),
               "index": N_("The table may carry any index: take the latest score with .iloc[-1] (or from .tolist()), "
                           "not with [len(history) - 1]."),
               "empty": N_("With no known score there is nothing to decide: return 0 (iloc[-1] of an empty column "
                           "fails).")},
        generate=_generate_history,
        examples=200,
        misconceptions=[
            Misconception(last_row, N_("It looks as if the last row decided, score or not: a period whose labels "
                                       "are not in yet has no score, so decide on the latest known one.")),
            Misconception(fixed_window, window_hint),
            Misconception(at_floor, N_("It looks as if a score exactly at the floor triggered retraining: the floor "
                                       "is a minimum, and equal meets it.")),
            Misconception(all_below, N_("It looks as if every known score below the floor were counted: only the "
                                        "latest run counts, up to the last score at or above the floor.")),
            Misconception(no_minimum, N_("It looks as if the window could be a single period: retrain on at least "
                                         "2 (one week is too little to learn from).")),
            Misconception(no_maximum, N_("It looks as if the window could exceed the history: never more than "
                                         "len(history) periods.")),
            Misconception(missing_counted, missing_hint),
            Misconception(missing_breaks_the_run, missing_hint),
        ],
        explanation=N_("A policy says when (performance below the floor fixed at model building, once labels "
        "arrive) and on what (the recent periods of the new regime, enough of them to learn from). Scored on the "
        "monitoring lab's stream below, it is compared with never, a fixed schedule and 'on alert'."),
    )


def questions():
    return {
        "retraining_policy": _policy_exercise(),
        "invisible_drift": ChoiceQuestion(
            N_("Predict before you try it: at row 2,000 only the rule from inputs to label changes — the inputs keep "
               "their distribution (pure concept drift). Which detector cannot see it, however long you watch?"),
            options={"input_ks": N_("the KS test on the input features"), "ddm": N_("DDM on the model's errors"),
                     "page_hinkley": N_("Page–Hinkley on the model's errors")},
            correct="input_ks",
            hints={"ddm": N_("DDM watches the error rate, and a changed rule makes the old model wrong more often."),
                   "page_hinkley": N_("Page–Hinkley watches the errors too: they rise when the rule changes.")},
            explanation=N_("In pure concept drift the inputs keep their distribution and only the rule from inputs to "
            "labels changes, so a test on the inputs has nothing to see: only the errors reveal it, and only once "
            "labels arrive. Concept drift that comes with a change in the inputs can show in input tests; the pure "
            "kind cannot."),
        ),
        "large_sample": ChoiceQuestion(
            N_("Predict before you run the next cell: the same shift of 0.1 standard deviations is tested with 100, "
               "1,000, 5,000 and 100,000 rows per side. What happens as the sample grows?"),
            options={"p_falls": N_("The KS p-value falls towards 0; PSI and Wasserstein stay small."),
                     "all_grow": N_("The p-value and PSI both signal a growing drift."),
                     "nothing": N_("Nothing changes: the shift is the same.")},
            correct="p_falls",
            hints={"all_grow": N_("PSI measures how large the change is; more rows make it more precise, not larger."),
                   "nothing": N_("The shift is the same, but a test's power grows with the sample.")},
            explanation=N_("p-values answer 'is there any difference?', which with enough data is always yes; effect "
            "sizes (PSI, Wasserstein distance) answer 'how large is it?', and stay small for a small shift (PSI is "
            "even inflated on small samples by noise). Monitoring should alert on effect sizes or, better, on "
            "performance."),
        ),
        "retrain_on_alert": ChoiceQuestion(
            N_("Predict, then check in the monitoring lab (weekly, floor 0.5): you switch the policy from 'never' to "
               "'when below the floor'. What happens?"),
            options={"same_first": N_("The first alert comes in the same week; later alerts become rare."),
                     "no_alerts": N_("No week falls below the floor any more."),
                     "no_change": N_("Nothing: a model built on winter cannot be helped.")},
            correct="same_first",
            hints={"no_alerts": N_("The policy retrains only after an alert: the first one cannot be prevented by it."),
                   "no_change": N_("Retraining on the most recent labelled weeks teaches the model spring and "
                                   "summer.")},
            explanation=N_("A policy that reacts to alerts cannot prevent the first one; after each retrain on recent "
            "data the model meets the floor again, so the weeks below it become few. A schedule retrains without "
            "waiting — compare the two on the same year before choosing."),
        ),
        "criteria_when": ChoiceQuestion(
            N_("When should the monitoring criteria — periods, tests, thresholds, performance floor — be fixed?"),
            options={"building": N_("At model building, before the system runs."),
                     "first_alarm": N_("After the first false alarm in operation."),
                     "year": N_("After a year of operation, from the data seen.")},
            correct="building",
            hints={"first_alarm": N_("Criteria chosen after the fact tend to fit what happened, not what the task "
                                     "needs."),
                   "year": N_("A year of running without criteria is a year in which nobody knows when to act.")},
            explanation=N_("Zatsarinny and Gavrilov ask for the criteria of monitoring to be defined already when the "
            "model is built: the floor follows from the task's requirements, and operation then only applies it."),
        ),
        "choose_test": ChoiceQuestion(
            N_("A monitor compares 50,000 rows a day with a reference of 200,000 rows using KS p < 0.05 per feature. "
               "It alarms every day, while the model's performance is fine. What do you change?"),
            options={"effect": N_("Alert on an effect size (PSI, Wasserstein) or on performance."),
                     "alpha": N_("Use p < 0.01 instead."),
                     "ignore": N_("Switch the input monitor off.")},
            correct="effect",
            hints={"alpha": N_("With 50,000 rows a trivial shift is still far below 0.01: the test answers the wrong "
                               "question."),
                   "ignore": N_("Input monitoring is the only warning before labels arrive; make it meaningful "
                                "instead.")},
            explanation=N_("On large samples every tiny shift is significant. An effect size with agreed levels (PSI "
            "below 0.1 stable, above 0.25 significant) says whether the shift is large enough to matter; "
            "performance, once labels arrive, says whether it does."),
        ),
    }
