"""Self-checks that teach: a right answer is accepted with its reason, plausible wrong ones are refused.

For every question of every notebook (lifecycle_kit.course.selfchecks):

- numeric: the expected value is judged correct (also typed with a decimal
  comma); every distractor the question declares, the percentage form (x 100)
  and, for answers in [0, 1], the complement 1 - x are judged wrong. A
  question must declare at least one distractor: the number a learner is most
  likely to copy by mistake (the other number on the same screen).
- choice: the correct set is judged correct; each wrong option alone is judged
  wrong with that option's own hint (and, for multiple choice, the correct set
  plus that wrong option is judged wrong too).
- every question has an explanation, and a correct answer shows it.

Answers are judged with ``verdict``: what ``check`` shows, without recording it (for a sealed pre- or post-test
item, the verdict ``check`` records while it shows only "recorded", lifecycle_kit.course.assessment).

Expected values computed from data are evaluated once per session (the
questions of a notebook are built once and shared by its tests).
"""

import functools
import math

import pytest

from lifecycle_kit.course.exercises import CheckQuestion, ChoiceQuestion, NumericQuestion
from lifecycle_kit.course.investigation import Investigation
from lifecycle_kit.course.selfchecks import for_notebook, notebooks


@functools.cache
def questions_of(notebook):
    return for_notebook(notebook)


def _all(kind):
    return [pytest.param(nb, key, id=f"{nb}:{key}") for nb in notebooks() for key, q in questions_of(nb).items()
            if isinstance(q, kind)]


@pytest.mark.parametrize("notebook, key", _all(NumericQuestion))
def test_numeric_question_accepts_the_answer_and_refuses_plausible_wrong_quantities(notebook, key):
    q = questions_of(notebook)[key]
    expected = q.expected
    right = q.verdict(expected)
    assert right.correct, f"{key}: the expected value {expected} is not judged correct"
    assert right.explanation, f"{key}: a correct answer must show the explanation"
    if not float(expected).is_integer():
        typed = repr(float(expected)).replace(".", ",")
        assert q.verdict(typed).correct, f"{key}: {typed!r} (decimal comma) is not judged correct"
    assert q.distractors, (f"{key}: give the question its distractors (the other number on the same screen, the "
                           "quantity before the change, ...) so that copying the wrong number is caught")
    wrong = {label: value for label, value in q.distractor_values().items()}
    if expected != 0:
        wrong["the percentage form (x 100)"] = expected * 100
    if 0 <= expected <= 1 and not q._close(1 - expected, expected):
        wrong["the complement (1 - x)"] = 1 - expected
    for label, value in wrong.items():
        verdict = q.verdict(value)
        assert not verdict.correct, f"{key}: {label} = {value:.6g} is judged correct (answer {expected:.6g})"
        assert verdict.hint, f"{key}: {label} gets no hint"


@pytest.mark.parametrize("notebook, key", _all(ChoiceQuestion))
def test_choice_question_accepts_the_right_set_and_explains_each_wrong_option(notebook, key, monkeypatch):
    # The capstone's poisoned-source question is judged only after the investigation's commitment (its gate is
    # tested in test_capstone_investigation.py); here every investigation counts as committed.
    monkeypatch.setattr(Investigation, "committed", True)
    q = questions_of(notebook)[key]
    right = q.verdict(sorted(q.correct) if q.multiple else next(iter(q.correct)))
    assert right.correct and right.explanation, f"{key}: the correct options are not accepted with the explanation"
    for option in q.options:
        if option in q.correct:
            continue
        alone = q.verdict([option] if q.multiple else option)
        assert not alone.correct, f"{key}: the wrong option {option!r} is judged correct"
        assert q.hints.get(option), f"{key}: the wrong option {option!r} needs its own hint (why it is wrong)"
        assert alone.hint == q.hints[option]
        if q.multiple:
            assert not q.verdict(sorted(q.correct) + [option]).correct, f"{key}: right set + {option!r} accepted"


@pytest.mark.parametrize("notebook, key", _all(CheckQuestion))
def test_check_question_has_an_explanation_and_a_solution(notebook, key):
    q = questions_of(notebook)[key]
    assert q.explanation.strip() and q.solution_text.strip()


@pytest.mark.parametrize("notebook", notebooks())
def test_every_question_explains_itself(notebook):
    for key, q in questions_of(notebook).items():
        assert q.explanation and len(q.explanation.split()) >= 8, f"{notebook}:{key}: explain why (a sentence or two)"


def test_the_checks_catch_a_question_that_accepts_a_wrong_quantity():
    # The stage-4 bug the issue names: a tolerance so loose the clean accuracy passed as attack success.
    loose = NumericQuestion("attack success?", answer=0.993, tolerance=0.002, explanation="why " * 8,
                            distractors={"the clean test accuracy": 0.994})
    with pytest.raises(Exception, match="cannot tell them apart"):
        loose.check(0.5)
    no_complement = NumericQuestion("share?", answer=0.5, tolerance=0.01)
    assert math.isclose(1 - no_complement.expected, no_complement.expected)  # the test skips the complement here
