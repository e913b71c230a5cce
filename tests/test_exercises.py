import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.course.exercises import (
    CheckQuestion,
    ChoiceQuestion,
    Feedback,
    NumericQuestion,
    is_unanswered,
    parse_number,
)
from lifecycle_kit.course.selfchecks import for_notebook, notebooks


@pytest.mark.parametrize("answer", [None, ..., "", "   "])
def test_unanswered_gets_a_prompt_never_an_error(answer):
    for q in (NumericQuestion("n?", answer=3), ChoiceQuestion("c?", options={"a": "A", "b": "B"}, correct="a"),
              CheckQuestion("o?", checker=lambda a: (a == 1, "no"), solution_text="1")):
        fb = q.check(answer)
        assert fb.status == "unanswered" and "Replace ..." in fb.message
        assert is_unanswered(answer)


def test_numeric_tolerances_and_hints():
    q = NumericQuestion("share?", answer=0.25, tolerance=0.01)
    assert q.check(0.255).correct and q.check("0.25").correct
    assert q.check(25).hint.startswith("You are off by a factor of 100")
    assert q.check(0.5).hint == "Too high: recount."
    assert q.check(0.1).hint == "Too low: recount."
    assert q.check(-0.25).hint == "Check the sign."
    assert q.check("a quarter").status == "invalid"
    assert q.check(float("nan")).status == "invalid"
    rel = NumericQuestion("big?", answer=1000, tolerance=0, rel_tolerance=0.05)
    assert rel.check(1040).correct and not rel.check(1060).correct


def test_numeric_specific_hint_wins_and_answer_is_computed_lazily():
    calls = []

    def expected():
        calls.append(1)
        return 42

    q = NumericQuestion("x?", answer=expected, tolerance=0, hints=[(lambda g, e: g == 0, "0 is what isna() says.")])
    assert calls == []
    assert q.check(0).hint == "0 is what isna() says."
    assert q.check(42).correct and q.solution().answer == "42"
    assert calls == [1]


def test_single_choice_hint_per_wrong_option_and_text_answers():
    q = ChoiceQuestion("?", options={"a": "Completeness", "b": "Latency", "c": "Speed"}, correct="a",
                       hints={"b": "Latency is about systems."})
    assert q.check("a").correct and q.check("Completeness").correct
    fb = q.check("b")
    assert fb.status == "incorrect" and fb.hint == "Latency is about systems."
    assert q.check("c").hint == "Re-read the question and the options."
    assert q.check("z").status == "invalid" and "not an option" in q.check("z").message
    assert q.check(["a", "b"]).status == "invalid"
    assert q.solution().answer == "a) Completeness"


def test_multiple_choice_partial_and_wrong():
    q = ChoiceQuestion("?", options={"a": "A", "b": "B", "c": "C"}, correct={"a", "b"}, hints={"c": "C is wrong."})
    assert q.check(["a", "b"]).correct and q.check({"b", "a"}).correct
    partial = q.check(["a"])
    assert partial.status == "partial" and "1 of the 2" in partial.message
    wrong = q.check(["a", "c"])
    assert wrong.status == "incorrect" and wrong.hint == "C is wrong."


def test_choice_question_rejects_a_correct_key_not_among_options():
    with pytest.raises(LifecycleKitError, match="not among the options"):
        ChoiceQuestion("?", options={"a": "A"}, correct="b")


def test_check_question_and_a_crashing_learner_object():
    q = CheckQuestion("list?", checker=lambda a: (sorted(a) == [1, 2], "need 1 and 2"), solution_text="[1, 2]")
    assert q.check([2, 1]).correct
    assert q.check([1]).hint == "need 1 and 2"
    assert q.check(5).status == "invalid"  # sorted(5) raises TypeError inside the checker


def test_feedback_renders_as_html_and_text():
    fb = Feedback("incorrect", "Not <b>it</b>.", hint="look")
    assert "lk-feedback-incorrect" in fb._repr_html_() and "&lt;b&gt;" in fb._repr_html_()
    assert repr(fb) == "Feedback(incorrect): Not <b>it</b>. Hint: look"


@pytest.mark.parametrize("notebook", notebooks())
def test_every_notebook_has_at_least_two_questions_whose_solution_is_graded_correct(notebook):
    questions = for_notebook(notebook)
    assert len(questions) >= 2
    for key, q in questions.items():
        assert q.key == key and q.explanation
        assert q.check(...).status == "unanswered"
        solution = q.solution()
        assert solution.answer


def test_unknown_notebook_has_no_self_checks():
    with pytest.raises(LifecycleKitError, match="no self-checks"):
        for_notebook("99_nothing")


@pytest.mark.parametrize("typed, value", [("0,34", 0.34), (" 0,34 ", 0.34), ("0.34", 0.34), ("34 %", 0.34),
                                          ("34%", 0.34), ("1 200", 1200), ("1\u00a0200", 1200), ("1\u202f200", 1200),
                                          ("1,200", 1.2), ("1,200,000", 1_200_000), ("1,200.5", 1200.5),
                                          ("1.200,5", 1200.5), ("-0,5", -0.5), ("\u22120,5", -0.5), (",5", 0.5), ("1e-3", 0.001)])
def test_numbers_are_read_as_learners_type_them(typed, value):
    assert parse_number(typed)[0] == pytest.approx(value)


@pytest.mark.parametrize("typed", ["0,3,4x", "a quarter", "1 2", "12 34 5", "%", "1,2.3.4"])
def test_text_that_is_not_a_number_is_refused(typed):
    with pytest.raises(ValueError):
        parse_number(typed)
    assert NumericQuestion("n?", answer=1).check(typed).status == "invalid"


def test_decimal_comma_and_percent_in_questions_and_the_feedback_says_how_it_was_read():
    q = NumericQuestion("share?", answer=0.34, tolerance=0.005)
    assert q.check("0,34").correct and "comma is a decimal separator" in q.check("0,34").message
    assert q.check("34 %").correct and "34 percent" in q.check("34 %").message
    assert q.check("0.34").message == "Correct: 0.34."
    ambiguous = NumericQuestion("count?", answer=1200, tolerance=0).check("1,200")
    assert not ambiguous.correct and "read '1,200' as 1.2" in ambiguous.message and "without the comma" in ambiguous.message
    assert NumericQuestion("count?", answer=1200, tolerance=0).check("1 200").correct
    # a question asked in percent reads "34 %" as 34
    assert NumericQuestion("percent?", answer=34, tolerance=0.5, unit="%").check("34 %").correct


def test_a_correct_answer_carries_the_explanation_in_every_kind_of_question():
    why = "Because the trigger flips the label."
    for q, right in ((NumericQuestion("n?", answer=2, explanation=why), 2),
                     (ChoiceQuestion("c?", options={"a": "A", "b": "B"}, correct="a", explanation=why), "a"),
                     (CheckQuestion("o?", checker=lambda a: (a == 1, "yes"), solution_text="1", explanation=why), 1)):
        fb = q.check(right)
        assert fb.correct and fb.explanation == why
        assert why in repr(fb) and why in fb._repr_html_()
        assert q.check(...).explanation is None


def test_the_percentage_hint_comes_before_question_specific_hints():
    q = NumericQuestion("share?", answer=0.25, tolerance=0.01, hints=[(lambda g, e: g > e, "Too high: the other number.")])
    assert q.check(25).hint.startswith("You are off by a factor of 100")
    assert q.check(0.5).hint == "Too high: the other number."


def test_a_distractor_is_named_and_computed_lazily():
    calls = []

    def clean_accuracy():
        calls.append(1)
        return 0.994

    q = NumericQuestion("attack success?", answer=0.91, tolerance=0.002,
                        distractors={"the clean test accuracy": clean_accuracy, "the poisoned share": 0.02})
    assert calls == [] and q.check(...).status == "unanswered" and calls == []
    fb = q.check(0.994)
    assert fb.status == "incorrect" and "is the clean test accuracy" in fb.message and fb.hint
    assert "as a percentage" in q.check(99.4).message
    assert "the poisoned share" in q.check("0,02").message
    assert q.check(0.91).correct and calls == [1]
    assert q.distractor_values() == {"the clean test accuracy": 0.994, "the poisoned share": 0.02}


def test_a_distractor_the_question_cannot_tell_from_the_answer_is_an_authoring_error():
    q = NumericQuestion("accuracy?", answer=0.95, tolerance=0.01, distractors={"the clean accuracy": lambda: 0.955})
    assert q.check(None).status == "unanswered"
    with pytest.raises(LifecycleKitError, match="cannot tell them apart"):
        q.check(0.5)


def test_feedback_never_groups_thousands_with_a_comma():
    q = NumericQuestion("rows?", answer=12000, tolerance=0)
    assert q.check(12000).message == "Correct: 12 000." and q.solution().answer == "12 000"
    assert "12 001" in q.check(12001).message and "," not in q.check(12001).message
