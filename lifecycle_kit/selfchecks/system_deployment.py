"""Self-checks of 07_system_deployment: which check catches which serving bug; triggers in validation."""

from lifecycle_kit.exercises import ChoiceQuestion


def questions():
    # Options are kept short: multiple-choice options are shown as checkboxes of a fixed width.
    return {
        "centimetres_caught_by": ChoiceQuestion(
            "Predict before you try it in the lab: precipitation arrives in centimetres instead of millimetres (every "
            "value divided by 10). Which checks will catch it? Pick all that apply.",
            options={"types": "type check (specification)", "ranges": "range check (specification)",
                     "distribution": "distribution tests",
                     "accuracy": "model accuracy (once labelled)"},
            correct={"distribution", "accuracy"},
            hints={"types": "The values are still numbers.",
                   "ranges": "Dividing by 10 keeps every value inside the reference range [0, max]."},
            explanation="A unit bug that shrinks values stays inside the specified range and passes the type check; "
            "only the distribution moves (Wasserstein distance and PSI flag it), and the model, which learned "
            "millimetres, loses accuracy. Distribution tests belong in deployment checks, not only in monitoring.",
        ),
        "why_accuracy_falls": ChoiceQuestion(
            "With the millimetres-to-centimetres bug every precipitation value is a valid number inside the "
            "specified range, yet the model's accuracy falls. Why?",
            options={"learned_scale": "It learned rain on the millimetre scale.",
                     "random": "The bug makes the model predict at random.",
                     "range_off": "The range check was switched off."},
            correct="learned_scale",
            hints={"random": "Look at what it predicts: not random classes, but drier weather than there was.",
                   "range_off": "The range check ran and passed: a tenth of a valid value is still inside [0, max]."},
            explanation="The model's split points and weights are on the millimetre scale: divided by ten, a rainy "
            "day looks like drizzle or sun. A check of form cannot see a change of meaning; a comparison with the "
            "training distribution can.",
        ),
        "sensor_update": ChoiceQuestion(
            "Next month the weather stations get new firmware that may change how precipitation is reported. The "
            "specification check already runs on every batch. What do you add?",
            options={"distribution": "Distribution tests against the training reference.",
                     "tighter_types": "A stricter type check on precipitation.",
                     "nothing": "Nothing: the range check covers it."},
            correct="distribution",
            hints={"tighter_types": "A changed unit keeps the type: numbers stay numbers.",
                   "nothing": "A unit change that shrinks values stays inside the range: the lab showed it passing."},
            explanation="Zatsarinny and Gavrilov ask that input formats from sensors be checked against those used "
            "in training. Structure and types are only part of a format: the unit and the distribution are the "
            "rest, and only a comparison with the training reference (PSI, Wasserstein distance, a domain "
            "classifier) sees them.",
        ),
        "trigger_in_validation": ChoiceQuestion(
            "Why test a model with candidate trigger patterns before deployment?",
            options={"a": "A backdoored model is as accurate as a clean one.",
                     "b": "Triggers make the model slower.",
                     "c": "Specifications cannot check images."},
            correct="a",
            hints={"b": "A trigger changes what the model answers, not how fast.",
                   "c": "The point is not what the specification can check, but what accuracy cannot see."},
            explanation="A backdoored model is as accurate as a clean one on clean data, so accuracy cannot reveal "
            "it. Verification and validation of a trained model are hard because it cannot be fully explained; a "
            "trigger scan is one concrete test that accuracy monitoring cannot replace.",
        ),
    }
