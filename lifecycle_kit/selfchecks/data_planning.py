"""Self-checks of 03_data_planning: quality priorities and model collapse."""

from lifecycle_kit.exercises import ChoiceQuestion, NumericQuestion


def _sigma_at_100():
    from lifecycle_kit.synthetic import collapse

    return collapse(generations=100, sample_size=100, runs=400, random_state=0).at(100)["sigma_median"]


def questions():
    return {
        "sigma_100": NumericQuestion(
            "Run the collapse with 400 runs, 100 samples per generation, replace mode, seed 0 (the code cell of "
            "this notebook). What is the median spread (sigma) at generation 100?",
            answer=_sigma_at_100,
            tolerance=0.005,
            hints=[(lambda g, e: g > 0.95, "That is close to the mean variance, which hides the collapse: read the median.")],
            explanation="The typical chain has lost much of its spread: each refit on a finite sample takes a "
            "random step, and the steps drift towards narrower distributions.",
        ),
        "what_stops_collapse": ChoiceQuestion(
            "Which changes stop the collapse in the collapse lab?",
            options={"real": "keeping a share of real data in every generation",
                     "accumulate": "accumulating all generations' data instead of replacing it",
                     "generations": "running fewer generations",
                     "bigger": "a larger sample per generation"},
            correct={"real", "accumulate"},
            hints={"generations": "Fewer generations only delay it: the drift is still there.",
                   "bigger": "A larger sample slows the drift (smaller steps) but does not remove it."},
            explanation="Gerstgrasser et al. (2024): accumulating data across generations, or keeping real data, "
            "bounds the error; replacing data with each generation's samples does not.",
        ),
        "weights_decide": ChoiceQuestion(
            "In the quality-priority lab, the clean registry extract wins with the default weights. When does the "
            "open survey win?",
            options={"a": "When representativeness weighs much more than completeness.",
                     "b": "Never: a clean dataset is always better.",
                     "c": "When consistency weighs more."},
            correct="a",
            hints={"b": "The extract covers only privately employed people aged 35-55 born in the US.",
                   "c": "Both candidates are almost equally consistent."},
            explanation="Which dataset is best depends on the task's priorities. Write the weights down during "
            "planning, before choosing; a borrowed dataset was judged for its owner's purposes, not yours.",
        ),
    }
