"""Self-checks of 07_system_deployment: which check catches which serving bug; triggers in validation."""

from lifecycle_kit.exercises import ChoiceQuestion, NumericQuestion


def _mm_to_cm_accuracy():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.drift.deployment import DeploymentExperiment, seattle_features

    weather = load("seattle_weather")
    experiment = DeploymentExperiment(seattle_features(weather.frame), weather.target, random_state=0)
    return experiment.run("millimetres_to_centimetres", column="precipitation").accuracy


def questions():
    return {
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
