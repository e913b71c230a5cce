"""Self-checks of 12_closing: reading a normalised gain, and computing one (the post-test is post_test.py)."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise, Misconception
from lifecycle_kit.course.exercises import ChoiceQuestion
from lifecycle_kit.course.selfchecks._source import solution_text
from lifecycle_kit.i18n import N_


def _normalized_gain(pre, post):
    if pre is None or post is None or pre >= 1:
        return None
    return (post - pre) / (1 - pre)


# Scores as the course's tests give them (k of 11 items right), the ends and halves, ints 0 and 1, and None for a
# test not taken; the simplest first, so that the smallest failing input shown is the simplest one.
_SCORES = [0.0, 1.0, 0.5, None, 0, 1, 0.25, 0.75, *(k / 11 for k in range(1, 11))]


def _generate_scores(draw):
    """A pre- and a post-test score: fractions from 0 to 1 (the forms' k/11 among them), ints 0 and 1, or None."""
    weights = [3, 3, 2, 2, 1, 1, 1, 1] + [1] * 10
    return draw.one_of(_SCORES, weights=weights), draw.one_of(_SCORES, weights=weights)


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

    def clipped_at_zero(pre, post):  # a worse post-test reported as no gain
        if pre is None or post is None or pre >= 1:
            return None
        return max(0.0, (post - pre) / (1 - pre))

    def left_after(pre, post):  # divided by what was left after the course, not before
        if pre is None or post is None or pre >= 1 or post >= 1:
            return None
        return (post - pre) / (1 - post)

    def swapped(pre, post):  # the difference the wrong way round
        if pre is None or post is None or pre >= 1:
            return None
        return (pre - post) / (1 - pre)

    def in_percent(pre, post):
        if pre is None or post is None or pre >= 1:
            return None
        return 100 * (post - pre) / (1 - pre)

    def zero_is_missing(pre, post):  # `if not pre` takes a score of 0 for a missing one
        if not pre or not post or pre >= 1:
            return None
        return (post - pre) / (1 - pre)

    return CodeExercise(
        N_("Write normalized_gain(pre, post): Hake's normalised gain (post - pre) / (1 - pre) of two scores given as "
           "fractions from 0 to 1, returned as a fraction (0.5, not 50), negative when the post-test is worse. Return "
           "None when it is undefined: a score is missing (None), or the pre-test score is 1. A score of 0 is a "
           "score, not a missing one."),
        cases=[
            Case(N_("pre 0.4, post 0.7"), (0.4, 0.7)),
            Case(N_("pre 0.8, post 0.9: a small step from a high start"), (0.8, 0.9), kind="share"),
            Case(N_("a post-test worse than the pre-test"), (0.6, 0.4), kind="negative"),
            Case(N_("a perfect pre-test"), (1.0, 1.0), kind="ceiling"),
            Case(N_("a skipped pre-test (None)"), (None, 0.8), kind="missing"),
            Case(N_("a post-test not taken (None)"), (0.5, None), kind="missing"),
            Case(N_("a pre-test score of 0"), (0.0, 0.6), kind="zero"),
        ],
        solution=_normalized_gain,
        solution_code=solution_text(_normalized_gain, "normalized_gain"),
        hints={"share": N_("Divide by what was left to gain (1 - pre), not by the starting score, and do not stop at "
                           "the difference: 0.8 to 0.9 is half of what was left."),
               "negative": N_("A worse post-test gives a negative gain: keep the sign."),
               "ceiling": N_("With pre = 1 there was nothing left to gain: the gain is undefined (None), neither zero "
                             "nor a division by zero."),
               "missing": N_("A missing score (None) gives no gain: return None before doing arithmetic."),
               "zero": N_("A score of 0 is a score: test `is None`, not `if not pre`.")},
        wrong_answers={"raw difference": raw_difference, "divided by the pre-test": divides_by_pre,
                       "divides by zero": divides_by_zero, "zero at the ceiling": zero_at_ceiling,
                       "crashes on None": ignores_missing},
        generate=_generate_scores,
        examples=120,
        misconceptions=[
            Misconception(raw_difference, N_("It looks as if the raw difference post - pre were returned: divide it "
                                             "by what was left to gain, 1 - pre.")),
            Misconception(divides_by_pre, N_("It looks as if the difference were divided by the pre-test score: the "
                                             "gain is relative to what was left to gain, 1 - pre.")),
            Misconception(divides_by_zero, N_("It looks as if a perfect pre-test (pre = 1) divided by zero: there "
                                              "was nothing left to gain, so the gain is undefined (None).")),
            Misconception(zero_at_ceiling, N_("It looks as if a perfect pre-test gave a gain of 0: nothing was left "
                                              "to gain, so the gain is undefined (None), not zero.")),
            Misconception(ignores_missing, N_("It looks as if a missing score (None) reached the arithmetic: "
                                              "return None when either score is None.")),
            Misconception(clipped_at_zero, N_("It looks as if a worse post-test were reported as 0: the gain is "
                                              "negative then; keep the sign.")),
            Misconception(left_after, N_("It looks as if the difference were divided by 1 - post: divide by what "
                                         "was left to gain before the course, 1 - pre.")),
            Misconception(swapped, N_("It looks as if the difference were taken the wrong way round: post - pre, so "
                                      "that a better post-test gives a positive gain.")),
            Misconception(in_percent, N_("It looks as if the gain were given in percent: return a fraction (0.5, "
                                         "not 50).")),
            Misconception(zero_is_missing, N_("It looks as if a score of 0 were taken for a missing one (`if not "
                                              "pre`): test `is None`.")),
        ],
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
