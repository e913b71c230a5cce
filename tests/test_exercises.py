import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.exercises import CheckQuestion, ChoiceQuestion, Feedback, NumericQuestion, is_unanswered
from lifecycle_kit.selfchecks import for_notebook, notebooks


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
