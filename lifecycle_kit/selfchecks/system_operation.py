"""Self-checks of 08_system_operation: drift kinds, detectors, the large-sample lesson, monitoring."""

from lifecycle_kit.exercises import ChoiceQuestion, NumericQuestion


def _first_alert_week():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.drift.monitoring import StreamMonitor
    from lifecycle_kit.labs.monitoring_lab import FEATURES

    bikes = load("bike_sharing")
    monitor = StreamMonitor(bikes.frame.assign(bikers=bikes.target), target="bikers", time_column="timestamp",
                            features=FEATURES, reference_end="2011-03-01", period="week")
    result = monitor.run(policy="never", floor=0.5)
    return int(result.chunks.index[result.chunks["below_floor"]][0])


def questions():
    return {
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
