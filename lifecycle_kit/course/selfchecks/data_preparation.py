"""Self-checks of 05_data_preparation: expert panels, missing values hidden by imputation, label noise, leaks."""

import functools

from lifecycle_kit.course.code_exercises import Case, CodeExercise, Misconception
from lifecycle_kit.course.exercises import ChoiceQuestion, NumericQuestion
from lifecycle_kit.course.selfchecks._source import solution_text
from lifecycle_kit.i18n import N_


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


def _false_flag_distractors():
    """``(distractors, hints)``: the wrong computations a learner makes from the four numbers section D prints.

    Each is computed from the same trial as the answer and named for the misconception behind it.
    """
    trial = _cleaning
    distractors = {
        N_("the number of flagged rows"): lambda: trial().flagged,
        N_("the number of flipped labels"): lambda: trial().flipped,
        N_("the number of flipped labels that were found (the true alarms)"): _flipped_found,
        N_("the number of flipped labels that were missed"): lambda: trial().flipped - _flipped_found(),
        N_("flagged minus flipped"): lambda: trial().flagged - trial().flipped,
        N_("the flipped labels times (1 - precision)"): lambda: trial().flipped * (1 - trial().precision),
        N_("the flagged rows times recall"): lambda: trial().flagged * trial().recall,
    }
    hints = dict(zip(distractors, [
        N_("That is every flagged row, true alarms included: take away the flagged rows whose label was flipped."),
        N_("That counts the flipped labels; the question counts flagged rows whose label was *not* flipped."),
        N_("Those are the true alarms: the flagged rows whose label was flipped. The question asks for the rest of the "
           "flagged rows."),
        N_("Those are flipped labels the detector did not flag: they are not among the flagged rows at all."),
        N_("You took away every flipped label, but some flipped labels were missed and are not among the flagged "
           "rows: take away only the flipped labels that were found (recall x flipped)."),
        N_("You applied the precision to the flipped labels: precision is a share of the flagged rows, so the false "
           "alarms are flagged x (1 - precision)."),
        N_("You applied the recall to the flagged rows: recall is a share of the flipped labels, so recall x flipped "
           "is the number of true alarms."),
    ]))
    return distractors, hints


def _is_missing(values, tokens):
    import pandas as pd

    placeholders = {token.strip().lower() for token in tokens}
    # pd.isna knows every kind of missing value: None, NaN (float or float32), pd.NA, pd.NaT.
    return [bool(pd.isna(v)) or (isinstance(v, str) and v.strip().lower() in placeholders) for v in values]


_TOKENS = ["?", "", "n/a", "unknown", "none"]


def _generate_column(draw):
    """A column of texts, numbers and missing values of every kind; placeholders in other cases and with spaces,
    tabs or line breaks around them; near misses; the tokens themselves in any case; several dtypes and indexes."""
    import numpy as np
    import pandas as pd

    tokens = draw.sample(["?", "n/a", "", "unknown", "none", "-1", " NULL ", "N/A"], max_size=4)
    missing = [None, float("nan"), pd.NA, pd.NaT, np.float32("nan"), np.nan]
    texts = ["Sales", "?", "n/a", "", "unknown", "none", "-1", "null", "Nonetheless", "n/a/b", "??", "un known"]

    def variant(text, d):
        case = d.one_of(["as is", "upper", "title"])
        text = {"as is": text, "upper": text.upper(), "title": text.title()}[case]
        return d.one_of(["", " ", "  ", "\t", "\n"]) + text + d.one_of(["", " ", "\t", " \n"])

    kind = draw.one_of(["mixed", "texts", "numbers"], weights=[3, 2, 1])
    if kind == "numbers":
        numbers = [0.0, 42.5, -1.0, 3.0]
        values = draw.items(lambda d: d.one_of([d.one_of(numbers), float("nan")]), max_size=5)
        column = pd.Series(values, dtype=draw.one_of(["float64", "Float64"]))
    elif kind == "texts":
        values = draw.items(lambda d: None if d.boolean(0.2) else variant(d.one_of(texts), d), max_size=5)
        column = pd.Series(values, dtype=draw.one_of(["string", object]))
    else:
        def value(d):
            what = d.one_of(["text", "missing", "number"], weights=[5, 3, 2])
            if what == "text":
                return variant(d.one_of(texts), d)
            if what == "missing":
                return d.one_of(missing)
            return d.one_of([0, 42.5, -1, np.int64(-1), np.float32(1.5), False])
        column = pd.Series(draw.items(value, max_size=6), dtype=object)
    index = draw.one_of([None, "labels", "reversed"])
    if index is not None:
        labels = [10 + i for i in range(len(column))]
        column.index = labels if index == "labels" else labels[::-1]
    return column, tokens


def _is_missing_exercise():
    import math

    import numpy as np
    import pandas as pd

    def tokens_as_given(values, tokens):  # exact match: ' ?' and 'Unknown' slip through
        return (values.isin(tokens) | values.isna()).tolist()

    def real_missing_only(values, tokens):  # what isna() sees: no disguised value at all
        return values.isna().tolist()

    def text_only(values, tokens):  # .str turns NaN and numbers into NaN, and isin(NaN) is False
        return values.str.strip().str.lower().isin(tokens).tolist()

    def case_kept(values, tokens):  # ' ?' found, 'Unknown' not
        found = {t.strip() for t in tokens}
        return [bool(pd.isna(v)) or (isinstance(v, str) and v.strip() in found) for v in values]

    def spaces_kept(values, tokens):  # 'Unknown' found, ' ?' not
        found = {t.lower() for t in tokens}
        return [bool(pd.isna(v)) or (isinstance(v, str) and v.lower() in found) for v in values]

    def float_nan_only(values, tokens):  # misses pd.NA, NaT and numpy's float32 NaN
        found = {t.strip().lower() for t in tokens}
        return [v is None or (isinstance(v, float) and math.isnan(v))
                or (isinstance(v, str) and v.strip().lower() in found) for v in values]

    def tokens_not_normalised(values, tokens):  # the values normalised, the tokens left as written
        return [bool(pd.isna(v)) or (isinstance(v, str) and v.strip().lower() in tokens) for v in values]

    def every_value_as_text(values, tokens):  # str(-1) is '-1': a number taken for a placeholder
        found = {t.strip().lower() for t in tokens}
        return [bool(pd.isna(v)) or str(v).strip().lower() in found for v in values]

    def spaces_only_stripped(values, tokens):  # strip(' ') leaves tabs and line breaks
        found = {t.strip(" ").lower() for t in tokens}
        return [bool(pd.isna(v)) or (isinstance(v, str) and v.strip(" ").lower() in found) for v in values]

    column = lambda *values, index=None: pd.Series(list(values), index=index, dtype=object)  # noqa: E731
    kinds_hint = N_("Test every value with pd.isna(v): it knows every kind of missing value (None, NaN, numpy's "
                    "float32 NaN, pd.NA, pd.NaT); v != v and math.isnan see only some of them, and v != v fails "
                    "on pd.NA.")
    return CodeExercise(
        N_("Write is_missing(values, tokens): for each value of a pandas Series (of any dtype, with any index), True "
           "when it is missing — any kind of missing value pandas knows: None, NaN (numpy's float32 NaN too), "
           "pd.NA, pd.NaT — or a placeholder: a text equal to one of tokens once surrounding whitespace (spaces, "
           "tabs, line breaks) is stripped and case ignored, on both sides (the tokens may be written in any case "
           "or with spaces too). Only texts are placeholders: the number -1 is not the token '-1'. Return a list of "
           "booleans, in the order of the Series."),
        cases=[
            Case(N_("an occupation column with '?'"), (column("Sales", "?", "Tech-support", "?"), _TOKENS)),
            Case(N_("placeholders with spaces around them"), (column(" ?", "Sales ", "   ", "?  "), _TOKENS),
                 kind="spaces"),
            Case(N_("placeholders with a tab or a line break around them"), (column("\t?", "n/a\n", "Sales"), _TOKENS),
                 kind="spaces"),
            Case(N_("placeholders in other cases"), (column("Unknown", "N/A", "None", "Nonetheless"), _TOKENS),
                 kind="case"),
            Case(N_("tokens written in capitals or with spaces"), (column("n/a", "null", "?"), ["N/A", " NULL "]),
                 kind="tokens"),
            Case(N_("real missing values and numbers"), (column(None, float("nan"), 0, 42.5, "?"), _TOKENS),
                 kind="missing"),
            Case(N_("pd.NA, pd.NaT and a float32 NaN"), (column(pd.NA, pd.NaT, np.float32("nan"), "Sales"), _TOKENS),
                 kind="kinds"),
            Case(N_("the number -1 next to the token '-1'"), (column(-1, "-1", np.int64(-1)), ["-1"]),
                 kind="numbers"),
            Case(N_("a numeric column with NaN"), (pd.Series([1.5, float("nan"), 0.0]), _TOKENS), kind="dtype"),
            Case(N_("rows kept from a larger table (index 7, 3, 9)"), (column("?", "Sales", None, index=[7, 3, 9]),
                                                                       _TOKENS), kind="index"),
            Case(N_("an empty column"), (column(), _TOKENS), kind="empty"),
        ],
        solution=_is_missing,
        solution_code=solution_text(_is_missing, "is_missing"),
        hints={"spaces": N_("Strip surrounding whitespace before comparing (v.strip(), which removes tabs and line "
                            "breaks too): ' ?' is the '?' placeholder, and a text of only spaces is the empty one."),
               "case": N_("Compare in lower case: 'Unknown', 'N/A' and 'None' (a text, not the Python None) are "
                          "placeholders; 'Nonetheless' is not."),
               "tokens": N_("Normalise the tokens as well as the values: strip and lower-case both sides."),
               "missing": N_("Real missing values (None, NaN) count too, and numbers are never placeholders: test "
                             "pd.isna(v) first and compare only strings."),
               "kinds": kinds_hint,
               "numbers": N_("Only texts are placeholders: test isinstance(v, str) before comparing, instead of "
                             "turning every value into text."),
               "dtype": N_("A numeric column has no .str accessor: test each value (isinstance(v, str)) instead."),
               "index": N_("The Series may carry any index: loop over its values (for v in values), not over "
                           "values[i]."),
               "empty": N_("An empty column gives an empty list.")},
        generate=_generate_column,
        examples=150,
        misconceptions=[
            Misconception(tokens_as_given, N_("It looks as if values were compared with the tokens exactly as "
                                              "written: strip surrounding whitespace and ignore case first.")),
            Misconception(real_missing_only, N_("It looks as if only real missing values were found: placeholders "
                                                "such as '?' hide from isna().")),
            Misconception(text_only, N_("It looks as if only texts were examined: real missing values count too, "
                                        "and a numeric column has no .str accessor.")),
            Misconception(case_kept, N_("It looks as if case were not ignored: 'Unknown' and 'N/A' are "
                                        "placeholders too (compare in lower case).")),
            Misconception(spaces_kept, N_("It looks as if surrounding whitespace were kept: ' ?' and '?\\t' are "
                                          "the '?' placeholder (v.strip()).")),
            Misconception(float_nan_only, kinds_hint),
            Misconception(tokens_not_normalised, N_("It looks as if the tokens were used as written: normalise "
                                                    "them as well as the values (' NULL ' is the token 'null').")),
            Misconception(every_value_as_text, N_("It looks as if every value were turned into text: only texts "
                                                  "are placeholders, so the number -1 is not the token '-1'.")),
            Misconception(spaces_only_stripped, N_("It looks as if only spaces were stripped: strip() without an "
                                                   "argument removes tabs and line breaks too.")),
        ],
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
            distractors=_false_flag_distractors()[0],
            distractor_hints=_false_flag_distractors()[1],
            # Shares (precision 0.68, recall 0.95, 1 - precision) lie within the tolerance of one another: one hint.
            hints=[(lambda g, e: 0 < g < 1, N_("That is a share (precision, recall and 1 - precision are shares); the "
                                               "question asks for a number of rows: apply the share to the count it "
                                               "is a share of."))],
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
        "panel_agreement": ChoiceQuestion(
            N_("A panel of six experts of the subject domain agrees almost perfectly (Kendall's W near 0.95). What "
               "does that tell you about their scores of class balance and label noise?"),
            options={"consistent": N_("Only that they are consistent with each other, not that they are right."),
                     "right": N_("That their scores are close to the truth."),
                     "no_ai": N_("That the panel needs no AI experts.")},
            correct="consistent",
            hints={"right": N_("In section I the one-field panel has the highest agreement and the largest error on "
                               "the other field's characteristics."),
                   "no_ai": N_("The paper asks for experts of both the subject domain and AI technologies; high "
                               "agreement can hide a blind spot the whole panel shares.")},
            explanation=N_("Agreement measures consistency, not truth: experts of one field share a school of thought "
                           "and a blind spot. Put experts of both fields on the panel, and let each score the "
                           "characteristics of their own field."),
        ),
    }
