"""Self-checks of 06_model_building: the quality gate, balance, and (with the poisoning stage) defences."""

from lifecycle_kit.exercises import CheckQuestion, ChoiceQuestion, NumericQuestion


def _gate_label_accuracy():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality.trials import GateExperiment

    ds = load("penguins")
    trial = GateExperiment(ds.frame, ds.target, random_state=0).run(
        thresholds={"Com-ML-1": 0.95, "Con-ML-1": 0.99, "Acc-ML-4": 0.9}, label_noise=0.2)
    return trial.result.checked["Acc-ML-4"]


def _compromised_source():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.poisoning import PoisoningExperiment, compromise_source, source_impact

    cancer = load("breast_cancer")
    experiment = PoisoningExperiment(cancer.frame, cancer.target, random_state=0)
    y, _ = compromise_source(experiment.y_train, experiment.sources, "agency_2", 0.4, random_state=0)
    table = source_impact(experiment.X_train, y, experiment.sources, experiment.X_valid, experiment.y_valid)
    return table.iloc[0]["source"]


def _source_checker(answer):
    truth = _compromised_source()
    if str(answer).strip() == truth:
        return True, f"Dropping {truth} improves the trusted validation score the most: its labels hurt the model."
    return False, "Read the per-source impact table: the compromised source is the one whose removal helps the most."


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
        "compromised_source": CheckQuestion(
            "The per-source impact test was run on four sources, one of them 40% flipped. Which source was "
            "compromised? Give its name as a string.",
            checker=_source_checker,
            solution_text="The source at the top of the impact table (largest positive impact).",
            explanation="Dropping one source at a time and scoring on a trusted validation set is the provenance "
            "defence (MITRE ATLAS M0025): it needs a trusted validation set and sources that are recorded per row.",
        ),
        "no_silver_bullet": ChoiceQuestion(
            "In the defence lab, which statement holds for every attack?",
            options={"a": "The label-noise filter catches every flipped label.",
                     "b": "Each defence catches part of the poisoned rows and also throws away some clean rows.",
                     "c": "Outlier removal is the best defence against label flips.",
                     "d": "Defences are unnecessary when the test accuracy looks fine."},
            correct="b",
            hints={"a": "Look at its recall at 0.4: flips that agree with each other become the majority locally.",
                   "c": "A flipped row keeps ordinary features: it is not an outlier of anything but its label.",
                   "d": "The backdoor in stage 4 kept test accuracy intact."},
            explanation="Defences are layers: integrity at acquisition, sanitisation, per-source tests, and monitoring. "
            "None recovers everything, which is why the data's provenance matters from the start.",
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
