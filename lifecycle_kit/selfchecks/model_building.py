"""Self-checks of 06_model_building: the quality gate, balance, and (with the poisoning stage) defences."""

from lifecycle_kit.code_exercises import Case, CodeExercise
from lifecycle_kit.exercises import CheckQuestion, ChoiceQuestion, NumericQuestion
from lifecycle_kit.selfchecks._source import solution_text


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


def _gate_condition(df, target):
    """True when df may go to training: >= 95% of feature cells present, no identical features with two labels."""
    if len(df) == 0:
        return False  # nothing to learn from is not a pass
    features = df.drop(columns=[target])
    completeness = features.notna().to_numpy().mean()
    if completeness < 0.95:  # exactly 0.95 meets the threshold
        return False
    labels_per_row = df.groupby(list(features.columns), dropna=False)[target].nunique()
    return bool((labels_per_row <= 1).all())


def _gate_set(*, missing=0, conflict=False, repeat=False, rows=20):
    """A small penguin-like table: two measurements and a species label."""
    import pandas as pd

    frame = pd.DataFrame({"bill_length_mm": [35.0 + i for i in range(rows)],
                          "body_mass_g": [3000.0 + 50 * i for i in range(rows)],
                          "species": ["Gentoo" if i % 2 == 0 else "Adelie" for i in range(rows)]})
    frame.loc[: missing - 1, "bill_length_mm"] = None
    if conflict or repeat:  # the last row gets the features of row 0, with another label or the same one
        frame.loc[rows - 1, ["bill_length_mm", "body_mass_g"]] = frame.loc[0, ["bill_length_mm", "body_mass_g"]]
        frame.loc[rows - 1, "species"] = "Adelie" if conflict else frame.loc[0, "species"]
    return frame


def _gate_completeness_only(df, target):
    return len(df) > 0 and df.drop(columns=[target]).notna().to_numpy().mean() >= 0.95


def _gate_strict(df, target):
    if len(df) == 0:
        return False
    features = df.drop(columns=[target])
    if not features.notna().to_numpy().mean() > 0.95:
        return False
    return bool((df.groupby(list(features.columns), dropna=False)[target].nunique() <= 1).all())


def _gate_no_duplicates(df, target):
    if len(df) == 0:
        return False
    features = df.drop(columns=[target])
    return bool(features.notna().to_numpy().mean() >= 0.95 and not features.duplicated().any())


def _gate_exercise():
    return CodeExercise(
        "Write gate_condition(df, target): True when the table may go to training — at least 95% of the feature "
        "cells present (exactly 95% passes) and no two rows with identical features but different labels; an empty "
        "table never passes.",
        cases=[Case("the good set (clean)", (_gate_set(), "species")),
               Case("the bad set: 10% of feature cells missing", (_gate_set(missing=4), "species"), kind="missing"),
               Case("completeness exactly 0.95", (_gate_set(missing=2), "species"), kind="tie"),
               Case("the bad set: identical features, two labels", (_gate_set(conflict=True), "species"),
                    kind="conflict"),
               Case("a repeated row with the same label", (_gate_set(repeat=True), "species"), kind="repeat"),
               Case("an empty table", (_gate_set(rows=0), "species"), kind="empty")],
        solution=_gate_condition,
        solution_code=solution_text(_gate_condition, "gate_condition"),
        hints={"missing": "Count missing cells over the feature columns only: df.drop(columns=[target]).notna().",
               "tie": "The threshold is a minimum: a completeness equal to 0.95 meets it (use <, not <=, to block).",
               "conflict": "Group the rows by every feature column and count the distinct labels in each group: "
                           "more than one label for the same features is a contradiction.",
               "repeat": "A repeated row with the same label contradicts nothing: block conflicting labels, "
                         "not duplicates as such.",
               "empty": "A table with no rows has nothing to learn from: return False before dividing by zero."},
        wrong_answers={"completeness only": _gate_completeness_only, "strict threshold": _gate_strict,
                       "blocks every duplicate": _gate_no_duplicates},
        explanation="The gate is a condition on measured quality (value completeness, in the spirit of ISO/IEC "
        "5259-2's Com-ML-1, and label consistency), fixed before the data arrives: it must block the bad set and "
        "let the good one through — a gate that blocks everything is as useless as one that blocks nothing.",
    )


def questions():
    return {
        "gate_condition": _gate_exercise(),
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
