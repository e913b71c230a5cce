"""Self-checks of 06_model_building: the quality gate, balance, and (with the poisoning stage) defences."""

from lifecycle_kit.exercises import ChoiceQuestion, NumericQuestion


def _gate_label_accuracy():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality.trials import GateExperiment

    ds = load("penguins")
    trial = GateExperiment(ds.frame, ds.target, random_state=0).run(
        thresholds={"Com-ML-1": 0.95, "Con-ML-1": 0.99, "Acc-ML-4": 0.9}, label_noise=0.2)
    return trial.result.checked["Acc-ML-4"]


def questions():
    return {
        "gate_label_accuracy": NumericQuestion(
            "In the quality gate lab, set label noise to 0.20 (everything else at its default). What label "
            "accuracy (Acc-ML-4) does the gate estimate?",
            answer=_gate_label_accuracy,
            tolerance=0.005,
            explanation="The estimate comes from a cross-validated model: rows whose label the model confidently "
            "contradicts are counted as wrong. It is an estimate, not the truth, and it is close to 1 - 0.20.",
        ),
        "lower_the_bar": ChoiceQuestion(
            "The gate blocks training because value completeness is 0.93 and the threshold is 0.95. The deadline is "
            "tomorrow. What should happen?",
            options={"a": "Lower the threshold to 0.93 so training can proceed.",
                     "b": "Find out where the values are missing and why, fix or document it, and re-run the gate.",
                     "c": "Train anyway and check the accuracy afterwards.",
                     "d": "Fill every missing value with 0."},
            correct="b",
            hints={"a": "Thresholds come from the requirements of the task, not from the data that happens to arrive.",
                   "c": "The gate exists because accuracy on a test set does not reveal every data defect.",
                   "d": "Zero is a value: it changes the distribution and can mean something else entirely."},
            explanation="ISO/IEC 5259-2 asks for quality to be assessed before building a model; the gate's reasons "
            "say where to look. Changing the threshold to fit the data defeats its purpose.",
        ),
        "balance_and_recall": ChoiceQuestion(
            "UCI Adult's label balance (Bal-ML-1, smallest class over largest) is printed above: far from 1. What "
            "should you report besides overall accuracy?",
            options={"recall": "the recall of the minority class (>50K)", "nothing": "nothing: accuracy covers it",
                     "size": "only the number of rows"},
            correct="recall",
            hints={"nothing": "A model that always predicts <=50K is right three times out of four.",
                   "size": "More rows of the same imbalance do not change what accuracy hides."},
            explanation="With imbalanced labels, accuracy is dominated by the majority class; per-class recall shows "
            "whether the minority is learned at all.",
        ),
    }
