"""Self-checks of 05_data_preparation: expert panels, missing values hidden by imputation, label noise, leaks."""

import functools

from lifecycle_kit.course.code_exercises import Case, CodeExercise
from lifecycle_kit.course.exercises import ChoiceQuestion, NumericQuestion
from lifecycle_kit.i18n import N_
from lifecycle_kit.course.selfchecks._source import solution_text


@functools.cache
def _cleaning():
    # The same trial as section D of the notebook.
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality.trials import label_cleaning_trial

    cancer = load("breast_cancer")
    return label_cleaning_trial(cancer.frame, cancer.target, noise=0.10, random_state=0)


def _flipped_found():
    trial = _cleaning()
    return round(trial.recall * trial.flipped)


def _false_flags():
    return _cleaning().flagged - _flipped_found()


def _is_missing(values, tokens):
    import pandas as pd

    placeholders = {token.strip().lower() for token in tokens}
    return [bool(pd.isna(v)) or (isinstance(v, str) and v.strip().lower() in placeholders) for v in values]



_TOKENS = ["?", "", "n/a", "unknown", "none"]


def _is_missing_exercise():
    import pandas as pd

    def tokens_as_given(values, tokens):  # exact match: ' ?' and 'Unknown' slip through
        return (values.isin(tokens) | values.isna()).tolist()

    def real_missing_only(values, tokens):  # what isna() sees: no disguised value at all
        return values.isna().tolist()

    def text_only(values, tokens):  # .str turns NaN and numbers into NaN, and isin(NaN) is False
        return values.str.strip().str.lower().isin(tokens).tolist()

    column = lambda *values: pd.Series(list(values), dtype=object)  # noqa: E731
    return CodeExercise(
        N_("Write is_missing(values, tokens): for each value of a pandas Series, True when it is missing — NaN or None "
           "— or a placeholder: a text equal to one of tokens once surrounding spaces are stripped and case ignored. "
           "Return a list of booleans."),
        cases=[
            Case(N_("an occupation column with '?'"), (column("Sales", "?", "Tech-support", "?"), _TOKENS)),
            Case(N_("placeholders with spaces around them"), (column(" ?", "Sales ", "   ", "?  "), _TOKENS),
                 kind="spaces"),
            Case(N_("placeholders in other cases"), (column("Unknown", "N/A", "None", "Nonetheless"), _TOKENS),
                 kind="case"),
            Case(N_("real missing values and numbers"), (column(None, float("nan"), 0, 42.5, "?"), _TOKENS),
                 kind="missing"),
            Case(N_("an empty column"), (column(), _TOKENS), kind="empty"),
        ],
        solution=_is_missing,
        solution_code=solution_text(_is_missing, "is_missing"),
        hints={"spaces": N_("Strip surrounding spaces before comparing: ' ?' is the '?' placeholder, and a text of "
                            "only spaces is the empty one."),
               "case": N_("Compare in lower case: 'Unknown', 'N/A' and 'None' (a text, not the Python None) are "
                          "placeholders; 'Nonetheless' is not."),
               "missing": N_("Real missing values (None, NaN) count too, and numbers are never placeholders: test "
                             "pd.isna(v) first and compare only strings."),
               "empty": N_("An empty column gives an empty list.")},
        wrong_answers={"tokens as given": tokens_as_given, "isna only": real_missing_only, "text only": text_only},
        explanation=N_("Disguised missing values hide from isna(): a data preparation step must know the placeholders "
                       "a source uses and normalise the text before comparing, or completeness is overstated."),
    )


def questions():
    return {
        "disguised_missing": _is_missing_exercise(),
        "predict_qualification": ChoiceQuestion(
            N_("Predict before you untick 'Dishonest experts are less qualified' in the expert panel lab (7 experts, 1 "
               "adversarial). What happens to the error of the qualification-weighted mean?"),
            options={"rises": N_("It rises: the weights no longer single out the adversary, who now counts about as "
                                 "much as anyone else."),
                     "same": N_("It stays as low: weighting by qualification always resists a dishonest expert."),
                     "falls": N_("It falls: honest experts get more weight.")},
            correct="rises",
            hints={"same": N_("Qualification weighting resists a dishonest expert only when that expert is also the "
                              "less qualified one. Untick the box and compare."),
                   "falls": N_("Unticking gives every expert a qualification from the same range: nobody gains weight "
                               "for being honest. Untick the box and compare.")},
            explanation=N_("Compare in the lab: the qualification-weighted mean loses its edge while the median, the "
                           "trimmed mean and the agreement-weighted mean do not change (they do not use "
                           "qualifications). The simulation's default assumption, that dishonest experts are less "
                           "qualified, favours qualification weighting; in practice a qualified expert can be careless "
                           "or dishonest too, so also drop extreme opinions or use the median, as Zatsarinny and "
                           "Gavrilov recommend."),
        ),
        "robust_aggregate": ChoiceQuestion(
            N_("One expert of a panel may be careless or adversarial, and you do not know which. Which aggregates "
               "resist that expert whatever the experts' qualifications?"),
            options={"mean": N_("the plain mean"), "median": N_("the median"), "trimmed": N_("the trimmed mean"),
                     "agreement": N_("the agreement-weighted mean"), "weighted": N_("the qualification-weighted mean")},
            correct={"median", "trimmed", "agreement"},
            hints={"mean": N_("Every expert moves the mean by the same weight, the adversary included."),
                   "weighted": N_("Only when the dishonest expert is also the less qualified one: untick 'Dishonest "
                                  "experts are less qualified' in the lab and see.")},
            explanation=N_("The median and the trimmed mean drop extreme opinions; weighting by agreement gives an "
                           "expert who contradicts the others little or no weight. Weighting by qualification helps "
                           "only as far as qualification goes with honesty. Zatsarinny and Gavrilov recommend "
                           "aggregating expert scores with the experts' agreement in mind: drop extreme opinions, "
                           "weight by qualification, use the median where needed."),
        ),
        "missing_hidden_by_imputation": ChoiceQuestion(
            N_("In the quality lab you raise Missing values and the test accuracy barely moves, while value "
               "completeness falls below its threshold. What should you conclude?"),
            options={"harmless": N_("Missing values are harmless: accuracy is what matters."),
                     "measure": N_("The pipeline's imputation hides the defect from accuracy, so completeness has to "
                                   "be measured directly, against its threshold, before training."),
                     "broken": N_("The completeness measure is wrong, because accuracy would have fallen.")},
            correct="measure",
            hints={"harmless": N_("On this test set, yes; but imputed values are guesses, and a model trained on "
                                  "guesses can fail on the cases the guesses got wrong."),
                   "broken": N_("The measure counts cells; accuracy is an average over a test set. They answer "
                                "different questions.")},
            explanation=N_("Accuracy on one test set is a weak witness of data quality: imputation, a robust model or "
                           "an easy task can hide a defect. Quality measures with thresholds see it directly, which is "
                           "why Zatsarinny and Gavrilov ask for data quality to be assessed before any model is "
                           "built."),
        ),
        "false_flags": NumericQuestion(
            N_("Section D prints how many labels were flipped, how many rows were flagged, and the recall and "
               "precision of the flags. How many of the flagged rows carry a label that was not flipped (false "
               "alarms)?"),
            answer=_false_flags,
            tolerance=0.5,
            unit=N_(" rows"),
            distractors={
                N_("the number of flagged rows"): lambda: _cleaning().flagged,
                N_("the number of flipped labels"): lambda: _cleaning().flipped,
                N_("the number of flipped labels that were found"): _flipped_found,
                N_("the number of flipped labels that were missed"): lambda: _cleaning().flipped - _flipped_found(),
            },
            hints=[(lambda g, e: 0 < g < 1, N_("The question asks for a number of rows, not a share.")),
                   (lambda g, e: g == _cleaning().flagged, N_("That is every flagged row. Which of them were "
                                                              "flipped?"))],
            explanation=N_("Recall x flipped gives the flipped labels that were found; the rest of the flagged rows "
                           "are false alarms (equivalently, flagged x (1 - precision)). Dropping them costs good rows; "
                           "a human review of the flagged rows would keep them."),
        ),
        "near_duplicate_leak": ChoiceQuestion(
            N_("Near-copies of some test rows end up in the training set. What happens to the test accuracy?"),
            options={"up": N_("It rises, overstating what the model does on new rows."),
                     "down": N_("It falls, because the model is confused by the copies."),
                     "same": N_("Nothing changes: the copies are not exact duplicates.")},
            correct="up",
            hints={"down": N_("The model has effectively seen those test rows and their labels."),
                   "same": N_("Near-copies are enough: a decision tree or k-NN lands them in the same leaf or "
                              "neighbourhood.")},
            explanation=N_("A leak across the split lets the model pass the test by memory. Deduplicate (including "
                           "near duplicates) before splitting, and keep an independent test set prepared by "
                           "independent people."),
        ),
    }
