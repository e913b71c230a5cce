"""Self-checks of 05_data_preparation: expert panels, disguised missing values, label noise, leaks."""

from lifecycle_kit.code_exercises import Case, CodeExercise
from lifecycle_kit.exercises import ChoiceQuestion, NumericQuestion


def _mean_error_one_adversary():
    from lifecycle_kit.experts import evaluate_panel, simulate_panel

    panel = simulate_panel(n_items=10, n_honest=6, n_careless=0, n_adversarial=1, noise=0.5, random_state=0)
    return evaluate_panel(panel, trim=0.2).errors["mean"]


def _occupation_unknown():
    from lifecycle_kit.datasets import load

    return int((load("adult").frame["occupation"] == "?").sum())


def _is_missing(values, tokens):
    import pandas as pd

    placeholders = {token.strip().lower() for token in tokens}
    return [bool(pd.isna(v)) or (isinstance(v, str) and v.strip().lower() in placeholders) for v in values]


_IS_MISSING_CODE = """\
def is_missing(values, tokens):
    placeholders = {token.strip().lower() for token in tokens}
    return [bool(pd.isna(v)) or (isinstance(v, str) and v.strip().lower() in placeholders) for v in values]
"""

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
        "Write is_missing(values, tokens): for each value of a pandas Series, True when it is missing — NaN or None "
        "— or a placeholder: a text equal to one of tokens once surrounding spaces are stripped and case ignored. "
        "Return a list of booleans.",
        cases=[
            Case("an occupation column with '?'", (column("Sales", "?", "Tech-support", "?"), _TOKENS)),
            Case("placeholders with spaces around them", (column(" ?", "Sales ", "   ", "?  "), _TOKENS),
                 kind="spaces"),
            Case("placeholders in other cases", (column("Unknown", "N/A", "NONE", "Nonetheless"), _TOKENS),
                 kind="case"),
            Case("real missing values and numbers", (column(None, float("nan"), 0, 42.5, "?"), _TOKENS),
                 kind="missing"),
            Case("an empty column", (column(), _TOKENS), kind="empty"),
        ],
        solution=_is_missing,
        solution_code=_IS_MISSING_CODE,
        hints={"spaces": "Strip surrounding spaces before comparing: ' ?' is the '?' placeholder, and a text of "
                         "only spaces is the empty one.",
               "case": "Compare in lower case: 'Unknown', 'N/A' and 'NONE' are placeholders; 'Nonetheless' is not.",
               "missing": "Real missing values (None, NaN) count too, and numbers are never placeholders: test "
                          "pd.isna(v) first and compare only strings.",
               "empty": "An empty column gives an empty list."},
        wrong_answers={"tokens as given": tokens_as_given, "isna only": real_missing_only, "text only": text_only},
        explanation="Disguised missing values hide from isna(): a data preparation step must know the placeholders "
        "a source uses and normalise the text before comparing, or completeness is overstated.",
    )


def questions():
    return {
        "disguised_missing": _is_missing_exercise(),
        "adversary_mean_error": NumericQuestion(
            "In the expert panel lab, set 7 experts with 1 adversarial (noise 0.5, trim 0.2). What is the mean "
            "absolute error of the plain mean, in points?",
            answer=_mean_error_one_adversary,
            tolerance=0.01,
            explanation="One inverted expert out of seven pulls every item's mean towards the opposite end of the "
            "scale; the median and the trimmed mean ignore that expert, so their error stays near the honest noise.",
        ),
        "robust_aggregate": ChoiceQuestion(
            "One expert of a panel may be careless or adversarial, and you do not know which. Which aggregates "
            "resist that expert?",
            options={"mean": "the plain mean", "median": "the median", "trimmed": "the trimmed mean",
                     "agreement": "the agreement-weighted mean"},
            correct={"median", "trimmed", "agreement"},
            hints={"mean": "Every expert moves the mean by the same weight, the adversary included."},
            explanation="The median and the trimmed mean drop extreme opinions; weighting by agreement gives an "
            "expert who contradicts the others no weight. The curriculum's practice: drop extreme opinions, weight "
            "by qualification or agreement, use the median where needed.",
        ),
        "occupation_unknown": NumericQuestion(
            "How many rows of UCI Adult have occupation written as '?'?",
            answer=_occupation_unknown,
            tolerance=0,
            hints=[(lambda g, e: g == 0, "0 is what isna() says. Compare the column with the string '?'.")],
            explanation="The quality report's missing-values table counts NaN and disguised tokens separately; the "
            "'?' in occupation are missing values in disguise.",
        ),
        "near_duplicate_leak": ChoiceQuestion(
            "Near-copies of some test rows end up in the training set. What happens to the test accuracy?",
            options={"up": "It rises, overstating what the model does on new rows.",
                     "down": "It falls, because the model is confused by the copies.",
                     "same": "Nothing changes: the copies are not exact duplicates."},
            correct="up",
            hints={"down": "The model has effectively seen those test rows and their labels.",
                   "same": "Near-copies are enough: a decision tree or k-NN lands them in the same leaf or neighbourhood."},
            explanation="A leak across the split lets the model pass the test by memory. Deduplicate (including near "
            "duplicates) before splitting, and keep an independent test set prepared by independent people.",
        ),
    }
