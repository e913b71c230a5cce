"""Self-checks of 12_closing: reading a normalised gain, and computing one (the post-test is post_test.py)."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise
from lifecycle_kit.course.exercises import ChoiceQuestion
from lifecycle_kit.course.selfchecks._source import solution_text
from lifecycle_kit.i18n import N_


def _normalized_gain(pre, post):
    if pre is None or post is None or pre >= 1:
        return None
    return (post - pre) / (1 - pre)


def _normalized_gain_exercise():
    def raw_difference(pre, post):  # the gain in points, not the share of what was left to gain
        if pre is None or post is None:
            return None
        return post - pre

    def divides_by_pre(pre, post):  # relative to where the learner started, not to what was left
        if pre is None or post is None or pre == 0:
            return None
        return (post - pre) / pre

    def divides_by_zero(pre, post):  # a perfect pre-test crashes it
        if pre is None or post is None:
            return None
        return (post - pre) / (1 - pre)

    def zero_at_ceiling(pre, post):  # a perfect pre-test is not "no gain": there was nothing left to gain
        if pre is None or post is None:
            return None
        return 0.0 if pre >= 1 else (post - pre) / (1 - pre)

    def ignores_missing(pre, post):
        return None if pre >= 1 else (post - pre) / (1 - pre)

    return CodeExercise(
        N_("Write normalized_gain(pre, post): Hake's normalised gain (post - pre) / (1 - pre) of two scores given as "
           "fractions. Return None when it is undefined: a score is missing (None), or the pre-test score is 1."),
        cases=[
            Case(N_("pre 0.4, post 0.7"), (0.4, 0.7)),
            Case(N_("pre 0.8, post 0.9: a small step from a high start"), (0.8, 0.9), kind="share"),
            Case(N_("a post-test worse than the pre-test"), (0.6, 0.4), kind="negative"),
            Case(N_("a perfect pre-test"), (1.0, 1.0), kind="ceiling"),
            Case(N_("a skipped pre-test (None)"), (None, 0.8), kind="missing"),
        ],
        solution=_normalized_gain,
        solution_code=solution_text(_normalized_gain, "normalized_gain"),
        hints={"share": N_("Divide by what was left to gain (1 - pre), not by the starting score, and do not stop at "
                           "the difference: 0.8 to 0.9 is half of what was left."),
               "negative": N_("A worse post-test gives a negative gain: keep the sign."),
               "ceiling": N_("With pre = 1 there was nothing left to gain: the gain is undefined (None), neither zero "
                             "nor a division by zero."),
               "missing": N_("A missing score (None) gives no gain: return None before doing arithmetic.")},
        wrong_answers={"raw difference": raw_difference, "divided by the pre-test": divides_by_pre,
                       "divides by zero": divides_by_zero, "zero at the ceiling": zero_at_ceiling,
                       "crashes on None": ignores_missing},
        explanation=N_("The normalised gain is the share of what a learner could still gain that they did gain, so "
                       "learners who start high and low can be compared. A perfect pre-test leaves nothing to gain: "
                       "the gain is undefined there, and a report counts such learners instead of averaging them."),
    )


def questions():
    return {
        "normalized_gain": _normalized_gain_exercise(),
        "same_gain": ChoiceQuestion(
            N_("Ada goes from 0.8 on the pre-test to 0.9 on the post-test; Bob goes from 0.2 to 0.6. Which statement "
               "about their normalised gains is right?"),
            options={"a": N_("Bob learned more: he gained 0.4 points, Ada only 0.1."),
                     "b": N_("Both gained half of what they could still gain: their normalised gains are equal, "
                             "0.5."),
                     "c": N_("Ada's gain is higher, because she ended higher."),
                     "d": N_("They cannot be compared, because they started at different scores.")},
            correct="b",
            hints={"a": N_("That is the raw difference; divide it by what each could still gain (1 - pre)."),
                   "c": N_("The gain measures the change, not where a learner ends."),
                   "d": N_("Comparing learners who start at different scores is what the normalised gain is for.")},
            explanation=N_("Ada could still gain 0.2 and gained 0.1; Bob could still gain 0.8 and gained 0.4: each "
                           "gained half of what was left, a normalised gain of 0.5. The raw difference favours those "
                           "who start low."),
        ),
    }
