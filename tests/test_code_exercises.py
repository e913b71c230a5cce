"""Code exercises: the engine, every exercise of the course, and the generated solutions notebooks."""

import importlib.util
import math

import pytest

from lifecycle_kit.course.code_exercises import Case, CodeExercise, results_equal
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.course.selfchecks import for_notebook, notebooks
from tests.notebook_runner import NOTEBOOKS, ROOT, execute_notebook


def _mean_of_present(values):
    present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return sum(present) / len(present) if present else None


def _exercise(**overrides):
    options = dict(
        cases=[Case("three numbers", ([1, 2, 3],)),
               Case("a missing value", ([1, None, 3],), kind="missing"),
               Case("an empty batch", ([],), kind="empty")],
        solution=_mean_of_present,
        solution_code="def mean_of_present(values): ...",
        hints={"missing": "Skip None and NaN before averaging.", "empty": "An empty batch has no mean: return None."},
        explanation="Missing values are skipped, not counted as zero.")
    options.update(overrides)
    return CodeExercise("Write mean_of_present(values).", **options)


def test_the_solution_passes_and_the_explanation_comes_with_it():
    feedback = _exercise().check(_mean_of_present)
    assert feedback.status == "correct" and "3 hidden cases" in feedback.message
    assert "skipped, not counted as zero" in feedback.explanation and "skipped, not counted" in repr(feedback)


def test_each_failing_kind_is_named_with_its_hint_and_an_exception_is_a_failed_case():
    def naive(values):
        return sum(values) / len(values)

    feedback = _exercise().check(naive)
    assert feedback.status == "incorrect"
    assert feedback.message.startswith("1 of 3 hidden cases passed")
    assert "a missing value (TypeError" in feedback.message and "an empty batch (ZeroDivisionError" in feedback.message
    assert feedback.hint == "Skip None and NaN before averaging. An empty batch has no mean: return None."


def test_unanswered_forms_never_fail_run_all():
    def template(values):
        ...

    def with_docstring(values):
        """Return the mean."""

    exercise = _exercise()
    for answer in (..., None, template, with_docstring):
        assert exercise.check(answer).status == "unanswered"


def test_a_function_that_mutates_its_input_cannot_spoil_the_next_case():
    calls = []

    def destructive(values):
        calls.append(list(values))
        values.clear()
        return _mean_of_present(calls[-1])

    assert _exercise().check(destructive).status == "correct"
    assert _exercise().check(destructive).status == "correct"  # the cases themselves are untouched


def test_not_a_function_is_invalid_with_a_hint():
    feedback = _exercise().check(42)
    assert feedback.status == "invalid" and "Expected a function" in feedback.message and feedback.hint


def test_fewer_than_three_cases_is_refused():
    with pytest.raises(LifecycleKitError, match="at least three hidden cases"):
        _exercise(cases=[Case("one", ([1],)), Case("two", ([2],))])


def test_the_revealed_solution_is_the_solution_code():
    assert _exercise().solution().answer == "def mean_of_present(values): ..."


@pytest.mark.parametrize("got, expected, equal", [
    (0.30000000000000004, 0.3, True), ([1, 2], (1, 2), True), ({"a": 1}, {"a": 1.0}, True), ({"a": 1}, {"b": 1}, False),
    (True, 1, False), (float("nan"), float("nan"), True), ({3, 1}, {1, 3}, True), ({3}, {1, 3}, False),
    ("x", "x", True), (None, 0, False),
])
def test_results_are_compared_by_value(got, expected, equal):
    assert results_equal(got, expected) is equal


def test_a_numpy_boolean_is_a_boolean():
    import numpy as np

    assert results_equal(np.True_, True) and results_equal(False, np.False_) and not results_equal(np.True_, False)
    assert not results_equal(np.True_, 1)


def _code_exercises():
    for notebook in notebooks():
        for key, question in for_notebook(notebook).items():
            if isinstance(question, CodeExercise):
                yield pytest.param(question, id=f"{notebook}:{key}")


@pytest.mark.parametrize("exercise", list(_code_exercises()))
def test_every_course_exercise_accepts_its_solution_and_rejects_plausible_wrong_answers(exercise):
    assert len(exercise.cases) >= 3, "at least three hidden cases"
    kinds = {case.kind for case in exercise.cases}
    assert kinds - {"basic"} <= set(exercise.hints), f"a hint per failure kind; missing {kinds - set(exercise.hints)}"
    assert exercise.check(exercise.reference).correct
    assert len(exercise.wrong_answers) >= 2, "at least two plausible wrong answers proved wrong"
    for label, wrong in exercise.wrong_answers.items():
        feedback = exercise.check(wrong)
        assert feedback.status == "incorrect", f"{label!r} was judged {feedback.status}"
        assert feedback.hint, f"{label!r} got no hint"
    assert exercise.explanation


def test_solutions_notebooks_are_built_from_the_learner_notebooks():
    spec = importlib.util.spec_from_file_location("build_solutions", ROOT / "tools" / "build_solutions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0


def _solution_notebooks():
    return sorted((NOTEBOOKS / "solutions").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.notebook
@pytest.mark.parametrize("path", _solution_notebooks(), ids=lambda p: f"solutions/{p.name}")
def test_solutions_notebook_runs_and_every_solution_passes_its_check(path, tmp_path):
    nb, _ = execute_notebook(path, cwd=tmp_path)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors


def test_every_stage_has_a_code_exercise_and_the_capstone_two():
    counts = {nb: sum(isinstance(q, CodeExercise) for q in for_notebook(nb).values()) for nb in notebooks()}
    stages = {nb: n for nb, n in counts.items() if nb[:2] in {f"{k:02d}" for k in range(1, 11)}}
    assert len(stages) == 10 and min(stages.values()) >= 1, stages
    assert counts["11_capstone_multi_source"] >= 2, counts


def test_every_exercise_cell_names_a_code_exercise_of_its_notebook():
    import nbformat

    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        keys = [(c.metadata.get("lifecycle_kit") or {}).get("exercise") for c in nb.cells if c.cell_type == "code"]
        questions = for_notebook(path.stem)
        for key in filter(None, keys):
            assert key in questions, f"{path.name}: exercise cell names unknown question {key!r}"
