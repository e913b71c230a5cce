"""Self-checks of 08_system_operation: drift kinds, detectors, the large-sample lesson, monitoring."""

from lifecycle_kit.exercises import ChoiceQuestion


def questions():
    return {
        "invisible_drift": ChoiceQuestion(
            "Predict before you try it: at row 2,000 only the rule from inputs to label changes — the inputs keep "
            "their distribution (pure concept drift). Which detector cannot see it, however long you watch?",
            options={"input_ks": "the KS test on the input features", "ddm": "DDM on the model's errors",
                     "page_hinkley": "Page–Hinkley on the model's errors"},
            correct="input_ks",
            hints={"ddm": "DDM watches the error rate, and a changed rule makes the old model wrong more often.",
                   "page_hinkley": "Page–Hinkley watches the errors too: they rise when the rule changes."},
            explanation="In pure concept drift the inputs keep their distribution and only the rule from inputs to "
            "labels changes, so a test on the inputs has nothing to see: only the errors reveal it, and only once "
            "labels arrive. Concept drift that comes with a change in the inputs can show in input tests; the pure "
            "kind cannot.",
        ),
        "large_sample": ChoiceQuestion(
            "Predict before you run the next cell: the same shift of 0.1 standard deviations is tested with 100, "
            "1,000, 5,000 and 100,000 rows per side. What happens as the sample grows?",
            options={"p_falls": "The KS p-value falls towards 0; PSI and Wasserstein stay small.",
                     "all_grow": "The p-value and PSI both signal a growing drift.",
                     "nothing": "Nothing changes: the shift is the same."},
            correct="p_falls",
            hints={"all_grow": "PSI measures how large the change is; more rows make it more precise, not larger.",
                   "nothing": "The shift is the same, but a test's power grows with the sample."},
            explanation="p-values answer 'is there any difference?', which with enough data is always yes; effect "
            "sizes (PSI, Wasserstein distance) answer 'how large is it?', and stay small for a small shift (PSI is "
            "even inflated on small samples by noise). Monitoring should alert on effect sizes or, better, on "
            "performance.",
        ),
        "retrain_on_alert": ChoiceQuestion(
            "Predict, then check in the monitoring lab (weekly, floor 0.5): you switch the policy from 'never' to "
            "'when below the floor'. What happens?",
            options={"same_first": "The first alert comes in the same week; later alerts become rare.",
                     "no_alerts": "No week falls below the floor any more.",
                     "no_change": "Nothing: a model built on winter cannot be helped."},
            correct="same_first",
            hints={"no_alerts": "The policy retrains only after an alert: the first one cannot be prevented by it.",
                   "no_change": "Retraining on the most recent labelled weeks teaches the model spring and summer."},
            explanation="A policy that reacts to alerts cannot prevent the first one; after each retrain on recent "
            "data the model meets the floor again, so the weeks below it become few. A schedule retrains without "
            "waiting — compare the two on the same year before choosing.",
        ),
        "criteria_when": ChoiceQuestion(
            "When should the monitoring criteria — periods, tests, thresholds, performance floor — be fixed?",
            options={"building": "At model building, before the system runs.",
                     "first_alarm": "After the first false alarm in operation.",
                     "year": "After a year of operation, from the data seen."},
            correct="building",
            hints={"first_alarm": "Criteria chosen after the fact tend to fit what happened, not what the task needs.",
                   "year": "A year of running without criteria is a year in which nobody knows when to act."},
            explanation="Zatsarinny and Gavrilov ask for the criteria of monitoring to be defined already when the "
            "model is built: the floor follows from the task's requirements, and operation then only applies it.",
        ),
        "choose_test": ChoiceQuestion(
            "A monitor compares 50,000 rows a day with a reference of 200,000 rows using KS p < 0.05 per feature. It "
            "alarms every day, while the model's performance is fine. What do you change?",
            options={"effect": "Alert on an effect size (PSI, Wasserstein) or on performance.",
                     "alpha": "Use p < 0.01 instead.",
                     "ignore": "Switch the input monitor off."},
            correct="effect",
            hints={"alpha": "With 50,000 rows a trivial shift is still far below 0.01: the test answers the wrong "
                            "question.",
                   "ignore": "Input monitoring is the only warning before labels arrive; make it meaningful instead."},
            explanation="On large samples every tiny shift is significant. An effect size with agreed levels (PSI "
            "below 0.1 stable, above 0.25 significant) says whether the shift is large enough to matter; "
            "performance, once labels arrive, says whether it does.",
        ),
    }
