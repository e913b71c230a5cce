"""Self-checks of 03_data_planning: quality priorities and model collapse."""

from lifecycle_kit.exercises import ChoiceQuestion


def questions():
    return {
        "median_vs_mean": ChoiceQuestion(
            "In the collapse table (replace mode), by generation 100 the median sigma has fallen well below 1 while "
            "the mean variance has fallen much less. What explains the difference?",
            options={"few_wide": "Most runs have narrowed, while a few runs have kept or widened their spread; those "
                                 "few hold the average up, and the median follows the typical run.",
                     "square": "Variance is sigma squared, so it falls more slowly than sigma.",
                     "not_yet": "Nothing has collapsed yet: the mean shows the true state and the median is noise.",
                     "bug": "The two columns are computed on different runs."},
            correct="few_wide",
            hints={"square": "Squaring a number below 1 makes it smaller: if every run's sigma had fallen as far "
                             "as the median, the variances would have fallen further still, not less.",
                   "not_yet": "Look at the tail mass column: the rare values are already disappearing.",
                   "bug": "Both are computed over the same 400 runs; they summarise them differently."},
            explanation="Each refit on a finite sample takes a random step in the spread. Most chains drift towards "
            "narrower distributions, a few wander wider, and the mean over runs is dominated by those few. An "
            "average over runs hides the collapse; the median and the tail mass show it.",
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
