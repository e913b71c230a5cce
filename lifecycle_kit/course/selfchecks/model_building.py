"""Self-checks of 06_model_building: the quality gate, balance, and (with the poisoning stage) defences."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise, Misconception
from lifecycle_kit.course.exercises import ChoiceQuestion
from lifecycle_kit.course.selfchecks._source import solution_text
from lifecycle_kit.i18n import N_


def _gate_condition(df, target):
    """True when df may go to training: >= 95% of feature cells present, no features repeated with two labels."""
    if len(df) == 0:
        return False  # nothing to learn from is not a pass
    features = df.drop(columns=[target])
    completeness = features.notna().to_numpy().mean()
    if completeness < 0.95:  # exactly 0.95 meets the threshold
        return False
    # dropna=False: rows missing the same feature still have the same features; nunique() skips a missing label.
    labels_per_row = df.groupby(list(features.columns), dropna=False)[target].nunique()
    return bool((labels_per_row <= 1).all())


def _gate_set(*, missing=0, contradiction=False, repeat=False, rows=20):
    """A small penguin-like table: two measurements and a species label."""
    import pandas as pd

    frame = pd.DataFrame({"bill_length_mm": [35.0 + i for i in range(rows)],
                          "body_mass_g": [3000.0 + 50 * i for i in range(rows)],
                          "species": ["Gentoo" if i % 2 == 0 else "Adelie" for i in range(rows)]})
    frame.loc[: missing - 1, "bill_length_mm"] = None
    if contradiction or repeat:  # the last row gets the features of row 0, with another label or the same one
        frame.loc[rows - 1, ["bill_length_mm", "body_mass_g"]] = frame.loc[0, ["bill_length_mm", "body_mass_g"]]
        frame.loc[rows - 1, "species"] = "Adelie" if contradiction else frame.loc[0, "species"]
    return frame


def _generate_gate_table(draw):
    """Tables of 10 or 20 rows (so that exactly 95% of the feature cells can be present), one to three features,
    the label anywhere; pairs of rows with the same features — missing the same feature or not — and the same
    label, another label or a missing one; missing cells under, at and over the threshold; the empty table."""
    import pandas as pd

    rows = draw.one_of([10, 20, 0, 1], weights=[2, 3, 1, 1])
    names = draw.one_of([["bill_length_mm", "body_mass_g"], ["bill_length_mm"],
                         ["bill_length_mm", "body_mass_g", "island"]])
    if rows == 10:
        names = ["bill_length_mm", "body_mass_g"]  # 10 rows x 2 features: 20 cells, one may be missing
    data = {"bill_length_mm": [35.0 + i for i in range(rows)], "body_mass_g": [3000.0 + 50 * i for i in range(rows)],
            "island": [["Biscoe", "Dream", "Torgersen"][i % 3] for i in range(rows)]}
    data = {name: data[name] for name in names}
    labels = [draw.one_of(["Adelie", "Gentoo"]) for _ in range(rows)]

    def blank(row, name):
        data[name][row] = None if name == "island" else float("nan")

    missing = 0
    if rows >= 2:
        def pair(d):  # the second row of the pair gets the features of the first
            nonlocal missing
            first, second = d.integer(0, rows - 1), d.integer(0, rows - 1)
            for name in names:
                data[name][second] = data[name][first]
            if first != second and d.boolean():  # both rows missing the same feature
                name = d.one_of(names)
                blank(first, name)
                blank(second, name)
                missing += 2
            labels[second] = d.one_of(["other", "same", "missing"], weights=[2, 1, 2])
            labels[second] = {"same": labels[first], "missing": None,
                              "other": "Gentoo" if labels[first] == "Adelie" else "Adelie"}[labels[second]]
        draw.items(pair, max_size=2)
    if rows:
        at_threshold = rows * len(names) // 20  # exactly 5% of the cells, when their number is a multiple of 20
        wanted = draw.one_of([at_threshold, at_threshold + 1, max(at_threshold - 1, 0), 0], weights=[3, 2, 1, 1])
        for _ in range(max(wanted - missing, 0)):
            blank(draw.integer(0, rows - 1), draw.one_of(names))
        if draw.boolean(0.2):
            labels[draw.integer(0, rows - 1)] = None
    frame = pd.DataFrame(data, columns=names)
    target = draw.one_of(["species", "label"])
    frame.insert(draw.integer(0, len(names)), target, labels)
    return frame, target


def _gate_exercise():

    def completeness_only(df, target):
        return len(df) > 0 and df.drop(columns=[target]).notna().to_numpy().mean() >= 0.95

    def strict(df, target):
        if len(df) == 0:
            return False
        features = df.drop(columns=[target])
        if not features.notna().to_numpy().mean() > 0.95:
            return False
        return bool((df.groupby(list(features.columns), dropna=False)[target].nunique() <= 1).all())

    def no_duplicates(df, target):
        if len(df) == 0:
            return False
        features = df.drop(columns=[target])
        return bool(features.notna().to_numpy().mean() >= 0.95 and not features.duplicated().any())

    def label_as_feature(df, target):  # the label column counted among the cells
        if len(df) == 0:
            return False
        features = df.drop(columns=[target])
        if df.notna().to_numpy().mean() < 0.95:
            return False
        return bool((df.groupby(list(features.columns), dropna=False)[target].nunique() <= 1).all())

    def per_column(df, target):  # every column at least 95% complete, instead of 95% of all the cells
        if len(df) == 0:
            return False
        features = df.drop(columns=[target])
        if features.notna().mean().min() < 0.95:
            return False
        return bool((df.groupby(list(features.columns), dropna=False)[target].nunique() <= 1).all())

    def complete_rows(df, target):  # the share of complete rows, not of cells
        if len(df) == 0:
            return False
        features = df.drop(columns=[target])
        if features.notna().all(axis=1).mean() < 0.95:
            return False
        return bool((df.groupby(list(features.columns), dropna=False)[target].nunique() <= 1).all())

    def missing_features_never_equal(df, target):  # groupby drops the rows with a missing feature
        if len(df) == 0:
            return False
        features = df.drop(columns=[target])
        if features.notna().to_numpy().mean() < 0.95:
            return False
        return bool((df.groupby(list(features.columns))[target].nunique() <= 1).all())

    def missing_label_conflicts(df, target):  # a missing label counted as one more label
        if len(df) == 0:
            return False
        features = df.drop(columns=[target])
        if features.notna().to_numpy().mean() < 0.95:
            return False
        return bool((df.groupby(list(features.columns), dropna=False)[target].nunique(dropna=False) <= 1).all())

    def one_feature_at_a_time(df, target):  # a conflict on each feature alone, not on the combination
        if len(df) == 0:
            return False
        features = df.drop(columns=[target])
        if features.notna().to_numpy().mean() < 0.95:
            return False
        return all(bool((df.groupby(name, dropna=False)[target].nunique() <= 1).all()) for name in features)

    def label_assumed_last(df, target):
        if len(df) == 0:
            return False
        features = df.iloc[:, :-1]
        if features.notna().to_numpy().mean() < 0.95:
            return False
        return bool((df.groupby(list(features.columns), dropna=False)[df.columns[-1]].nunique() <= 1).all())

    def empty_passes(df, target):
        features = df.drop(columns=[target])
        if len(df) and features.notna().to_numpy().mean() < 0.95:
            return False
        return bool((df.groupby(list(features.columns), dropna=False)[target].nunique() <= 1).all())

    contradiction_missing = _gate_set(rows=20)
    contradiction_missing.loc[[3, 19], "bill_length_mm"] = None
    contradiction_missing.loc[19, ["body_mass_g", "species"]] = [contradiction_missing.loc[3, "body_mass_g"], "Adelie"]
    contradiction_missing.loc[3, "species"] = "Gentoo"
    label_missing = _gate_set(rows=20, repeat=True)
    label_missing.loc[19, "species"] = None
    label_missing.loc[5, "species"] = None
    label_first = _gate_set(contradiction=True)[["species", "bill_length_mm", "body_mass_g"]]
    one_column = _gate_set(rows=20)
    one_column.loc[[2, 4], "bill_length_mm"] = 36.0  # the same bill, but other masses: no contradiction
    one_column.loc[2, "species"], one_column.loc[4, "species"] = "Adelie", "Gentoo"
    by_column = _gate_set(rows=20)
    by_column.insert(2, "flipper_length_mm", [180.0 + i for i in range(20)])
    by_column.loc[:1, "bill_length_mm"] = None  # 10% of one column missing, 96.7% of all feature cells present
    rows_hint = N_("Completeness is the share of feature cells present (missing cells / all feature cells), not the "
                   "share of complete rows nor the worst column.")
    missing_equal_hint = N_("Rows missing the same feature, with equal other features, have the same features: "
                            "group with dropna=False (groupby drops rows with a missing key by default).")
    return CodeExercise(
        # The share is a placeholder, not a literal "95%": Babel reads "% o" in a msgid as a %-format directive.
        N_("Write gate_condition(df, target): True when the table may go to training — at least {share:.0%} of all "
           "the feature cells present (every column but target, wherever it stands; exactly {share:.0%} passes) "
           "and no two rows with the same features but different labels (two rows missing the same feature, with "
           "the other features equal, have the same features; a row whose label is missing contradicts no one); "
           "an empty table never passes.", share=0.95),
        cases=[Case(N_("the good set (clean)"), (_gate_set(), "species")),
               Case(N_("the bad set: {share:.0%} of feature cells missing", share=0.1),
                    (_gate_set(missing=4), "species"), kind="missing"),
               Case(N_("completeness exactly 0.95"), (_gate_set(missing=2), "species"), kind="tie"),
               Case(N_("one column with 2 of its 20 cells missing, 2 of 60 feature cells in all"),
                    (by_column, "species"), kind="cells"),
               Case(N_("the bad set: the same features, two labels"), (_gate_set(contradiction=True), "species"),
                    kind="contradiction"),
               Case(N_("the same bill length with two labels, but other masses"), (one_column, "species"),
                    kind="combination"),
               Case(N_("the same features, both missing the bill length, two labels"),
                    (contradiction_missing, "species"), kind="missing_equal"),
               Case(N_("a repeated row with the same label"), (_gate_set(repeat=True), "species"), kind="repeat"),
               Case(N_("missing labels, one on a repeated row"), (label_missing, "species"), kind="label"),
               Case(N_("the label as the first column"), (label_first, "species"), kind="position"),
               Case(N_("an empty table"), (_gate_set(rows=0), "species"), kind="empty")],
        solution=_gate_condition,
        solution_code=solution_text(_gate_condition, "gate_condition"),
        hints={"missing": N_("Count missing cells over the feature columns only: df.drop(columns=[target]).notna()."),
               "tie": N_("The threshold is a minimum: a completeness equal to 0.95 meets it (use <, not <=, to "
                         "block)."),
               "cells": rows_hint,
               "contradiction": N_("Group the rows by every feature column and count the distinct labels in each "
                                   "group: more than one label for the same features is a contradiction."),
               "combination": N_("A contradiction needs all the features equal: group by the combination of every "
                                 "feature column, not by each column alone."),
               "missing_equal": missing_equal_hint,
               "repeat": N_("A repeated row with the same label contradicts nothing: block contradicting labels, "
                            "not duplicates as such."),
               "label": N_("A missing label is not one more label: it neither counts in the feature cells nor "
                           "contradicts (nunique() skips it)."),
               "position": N_("The label column is the one named target, wherever it stands: drop it by name "
                              "(df.drop(columns=[target])), not by position."),
               "empty": N_("A table with no rows has nothing to learn from: return False before dividing by zero.")},
        generate=_generate_gate_table,
        examples=120,
        shrink_budget=100,
        misconceptions=[
            Misconception(completeness_only, N_("It looks as if only completeness were checked: rows with the same "
                                                "features and different labels must block the gate too.")),
            Misconception(strict, N_("It looks as if a completeness of exactly 0.95 were blocked: the threshold is a "
                                     "minimum, and equal meets it.")),
            Misconception(no_duplicates, N_("It looks as if every repeated row blocked the gate: a repeat with the "
                                            "same label contradicts nothing.")),
            Misconception(label_as_feature, N_("It looks as if the label column were counted with the features: "
                                               "completeness is over the feature cells only (a missing label is "
                                               "not a missing feature).")),
            Misconception(per_column, rows_hint),
            Misconception(complete_rows, rows_hint),
            Misconception(missing_features_never_equal, missing_equal_hint),
            Misconception(missing_label_conflicts, N_("It looks as if a missing label were counted as one more "
                                                      "label: a row whose label is missing contradicts no one.")),
            Misconception(one_feature_at_a_time, N_("It looks as if the features were compared one column at a "
                                                    "time: a contradiction needs all the features equal.")),
            Misconception(label_assumed_last, N_("It looks as if the label were taken to be the last column: it is "
                                                 "the column named target, wherever it stands.")),
            Misconception(empty_passes, N_("It looks as if an empty table passed: a table with no rows has "
                                           "nothing to learn from, so the gate blocks it.")),
        ],
        explanation=N_("The gate is a condition on measured quality (value completeness, in the spirit of ISO/IEC "
        "5259-2's Com-ML-1, and label consistency), fixed before the data arrives: it must block the bad set and "
        "let the good one through — a gate that blocks everything is as useless as one that blocks nothing."),
    )


def questions():
    return {
        "gate_condition": _gate_exercise(),
        "predict_label_noise": ChoiceQuestion(
            N_("Predict before you move the slider: the gate requires label accuracy (Acc-ML-4) of at least 0.9. What "
               "happens when you raise Label noise to 0.20?"),
            options={"block": N_("The gate blocks: its label-accuracy estimate falls below 0.9."),
                     "open_form": N_("The gate opens: the values are complete and unique."),
                     "open_accuracy": N_("The gate opens: the model still scores well.")},
            correct="block",
            hints={"open_form": N_("The gate checks more than form: Acc-ML-4 estimates how many labels are wrong."),
                   "open_accuracy": N_("The gate decides on the data's measures, not on the model's accuracy — the "
                                       "accuracy the model would have had is shown only for comparison.")},
            explanation=N_("The gate estimates label accuracy with cross-validated predicted probabilities (confident "
            "learning): rows whose label the model confidently contradicts count as wrong. With {noise:.0%} of the "
            "labels flipped the estimate lands near 1 - 0.20 = 0.8, below 0.9, so the gate blocks before any model is "
            "trained. The lab shows what training anyway would have cost the tree, compared with clean data over "
            "several train/test splits. The gate decides on the data's measures, not on a model's score: a model "
            "that averages flipped labels away could hide the same defect from accuracy.",
            noise=0.2),
        ),
        "lower_the_bar": ChoiceQuestion(
            N_("The gate blocks training because value completeness is 0.93 and the threshold is 0.95. The deadline is "
               "tomorrow. What should happen?"),
            options={"a": N_("Lower the threshold to 0.93 so training can proceed."),
                     "b": N_("Find out where the values are missing and why, fix or document it, and re-run the gate."),
                     "c": N_("Train anyway and check the accuracy afterwards."),
                     "d": N_("Fill every missing value with 0.")},
            correct="b",
            hints={"a": N_("Thresholds come from the requirements of the task, not from the data that happens to "
                           "arrive."),
                   "c": N_("The gate exists because accuracy on a test set does not reveal every data defect."),
                   "d": N_("Zero is a value: it changes the distribution and can mean something else entirely.")},
            explanation=N_("Assessing quality before building a model is Zatsarinny and Gavrilov's advice, with the "
            "measures of ISO/IEC 5259-2; the gate's reasons say where to look. Changing the threshold to fit the data "
            "defeats its purpose: if the requirement itself was wrong, that is a decision for whoever owns the "
            "requirements, on the record."),
        ),
        "trusted_validation": ChoiceQuestion(
            N_("The per-source impact test scores each retrained model on a small trusted validation set, not on an "
               "ordinary test split. Why?"),
            options={"same_poison": N_("A test split drawn from the same sources carries the same flipped labels."),
                     "bigger": N_("A trusted set is larger, so the scores are more precise."),
                     "logloss": N_("Log-loss can only be computed on trusted data.")},
            correct="same_poison",
            hints={"bigger": N_("It is small: trust, not size, is what it adds."),
                   "logloss": N_("Log-loss can be computed on any labelled rows; the question is whether their labels "
                                 "can be believed.")},
            explanation=N_("If the yardstick is poisoned too, a model that learned the flipped labels scores well on "
                           "it and dropping the bad source looks harmful. Rows whose labels were checked independently "
                           "(Zatsarinny and Gavrilov ask for an independent test set prepared by independent experts) "
                           "make the comparison honest; recording the source of every row (MITRE ATLAS M0025) makes it "
                           "possible at all."),
        ),
        "no_silver_bullet": ChoiceQuestion(
            N_("In the defence lab, which statement holds for every attack?"),
            options={"a": N_("The label-noise filter catches every flipped label."),
                     "b": N_("Each defence catches part of the poisoned rows and also throws away some clean rows."),
                     "c": N_("Outlier removal is the best defence against label flips."),
                     "d": N_("Defences are unnecessary when the test accuracy looks fine.")},
            correct="b",
            hints={"a": N_("Look at its recall at 0.4: flips that agree with each other become the majority locally."),
                   "c": N_("A flipped row keeps ordinary features: it is not an outlier of anything but its label."),
                   "d": N_("The backdoor in stage 4 kept test accuracy intact.")},
            explanation=N_("Defences are layers: integrity at acquisition, sanitisation, per-source tests, and "
                           "monitoring. None recovers everything, which is why the data's provenance matters from the "
                           "start."),
        ),
        "balance_and_recall": ChoiceQuestion(
            N_("UCI Adult's label balance (Bal-ML-1, the kit's label for a measure of ISO/IEC 5259-2's balance "
               "characteristic: smallest class over largest) is printed above, far from 1. What should you report "
               "besides overall accuracy?"),
            options={"recall": N_("the recall of the minority class (>50K)"),
                     "nothing": N_("nothing: accuracy covers it"),
                     "size": N_("only the number of rows")},
            correct="recall",
            hints={"nothing": N_("A model that always predicts <=50K is right three times out of four."),
                   "size": N_("More rows of the same imbalance do not change what accuracy hides.")},
            explanation=N_("With imbalanced labels, accuracy is dominated by the majority class; per-class recall "
                           "shows whether the minority is learned at all."),
        ),
        "defence_choice": ChoiceQuestion(
            N_("Your training rows come from four partner agencies, each row tagged with its agency, and your own "
               "staff checked the labels of a small sample. You fear that one partner's labels were flipped wholesale. "
               "Which defence do you add first?"),
            options={"impact": N_("Drop one agency at a time, retrain, and score on the checked sample."),
                     "outliers": N_("Remove feature outliers before training."),
                     "accuracy": N_("Raise the required test accuracy.")},
            correct="impact",
            hints={"outliers": N_("Flipped labels leave the features ordinary: outlier removal looks at the wrong "
                                  "thing."),
                   "accuracy": N_("Stage 4 showed that poisoning can leave accuracy almost unchanged; and the test "
                                  "rows may come from the same partners.")},
            explanation=N_("A whole compromised source is what the per-source impact test is built for: it needs only "
            "the source of each row and a trusted sample, both of which you have. Row-level filters then clean up "
            "what remains."),
        ),
    }
