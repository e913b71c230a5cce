"""Code exercises: the engine, every exercise of the course, and the generated solutions notebooks."""

import copy
import functools
import importlib.util
import math

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit.course.code_exercises import Case, CodeExercise, results_equal
from lifecycle_kit.course.generated_inputs import Draw, generate_examples, literal, shrink
from lifecycle_kit.course.selfchecks import for_notebook, notebooks
from lifecycle_kit.errors import LifecycleKitError
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
                yield pytest.param(notebook, key, id=f"{notebook}:{key}")


@functools.cache
def _course_exercise(notebook, key):
    """One instance per exercise for this module: its generated inputs are made once, as in a notebook."""
    return for_notebook(notebook)[key]


@pytest.mark.parametrize("notebook, key", list(_code_exercises()))
def test_every_course_exercise_accepts_its_solution_and_names_each_of_its_misconceptions(notebook, key):
    exercise = _course_exercise(notebook, key)
    assert len(exercise.cases) >= 3, "at least three hidden cases"
    kinds = {case.kind for case in exercise.cases}
    assert kinds - {"basic"} <= set(exercise.hints), f"a hint per failure kind; missing {kinds - set(exercise.hints)}"
    feedback = exercise.check(exercise.reference)
    assert feedback.correct and "generated inputs" in feedback.message, feedback.message
    assert exercise.generate is not None and len(exercise.misconceptions) >= 6
    for label, wrong in exercise.wrong_answers.items():
        feedback = exercise.check(wrong)
        assert feedback.status == "incorrect" and feedback.hint, f"{label!r} was judged {feedback.status}"
    for misconception in exercise.misconceptions:  # rejected, and recognised as itself (or one with the same hint)
        feedback = exercise.check(misconception.like)
        assert feedback.status == "incorrect", f"{misconception.like.__name__} was judged {feedback.status}"
        assert feedback.hint.startswith(misconception.hint), (misconception.like.__name__, feedback.hint)
    assert exercise.explanation


@pytest.mark.parametrize("notebook, key", list(_code_exercises()))
def test_generated_inputs_are_the_same_everywhere_and_the_solution_never_fails_on_them(notebook, key):
    exercise = _course_exercise(notebook, key)
    made = exercise.generated_inputs()
    assert len(made) == exercise.examples, "the reference solution failed on some generated inputs"
    again = for_notebook(notebook)[key].generated_inputs()
    assert [literal(args) for _c, args in again[:25]] == [literal(args) for _c, args in made[:25]]
    for choices, args in made[:25]:  # a record rebuilds its input: what the shrinker relies on
        assert literal(exercise.generate(Draw(replay=choices))) == literal(args)


@pytest.mark.parametrize("notebook, key", list(_code_exercises())[:3] + list(_code_exercises())[-2:])
def test_checking_leaves_the_learners_random_state_alone(notebook, key):
    import random

    import numpy as np

    exercise = for_notebook(notebook)[key]  # a fresh one: its inputs are generated during this check
    random.seed(12345)
    np.random.seed(12345)
    python_state, numpy_state = random.getstate(), np.random.get_state()
    exercise.check(exercise.misconceptions[0].like)
    assert random.getstate() == python_state
    after = np.random.get_state()
    assert after[0] == numpy_state[0] and (after[1] == numpy_state[1]).all() and after[2:] == numpy_state[2:]


def test_a_failure_shows_the_smallest_input_as_code_both_results_and_the_misconception():
    exercise = _course_exercise("02_business_requirements", "currentness_rule")
    strict = next(m for m in exercise.misconceptions if m.like.__name__ == "strict")
    feedback = exercise.check(strict.like)
    assert feedback.status == "incorrect" and feedback.hint.startswith(strict.hint)
    lines = feedback.example.splitlines()
    assert lines[0].startswith("Smallest input found")
    call = lines[1]
    assert call.startswith("is_current(pd.Series([pd.Timestamp(")
    args = eval(call.replace("is_current", "tuple", 1).replace("tuple(", "(", 1) + ",", {"pd": pd, "np": np})[0]
    assert exercise.reference(*args) == [True] and strict.like(*args) == [False]  # the call reproduces it
    assert lines[2:] == ["your function: [False]", "the solution: [True]"]
    assert len(feedback.example) < 400
    html = feedback._repr_html_()
    assert "lk-feedback-example" in html and "is_current(" in html


def test_a_failure_only_the_generated_inputs_see_is_reported_with_them():
    exercise = _course_exercise("01_conception", "uncovered_needs")
    only_named = copy.copy(exercise)
    only_named.cases = exercise.cases[:3]  # the tie, the order, the empty registry: nothing about several sources

    def last_source_decides(needs, sources, min_trust):
        from lifecycle_kit.conception import TRUST_LEVELS

        trust = {n: s.get("trust") for s in sources for n in s["provides"]}
        return [n for n in needs if trust.get(n) not in TRUST_LEVELS[TRUST_LEVELS.index(min_trust):]]

    feedback = only_named.check(last_source_decides)
    assert feedback.message.startswith("All 3 hidden cases pass, but your function and the solution differ")
    assert "uncovered_needs(" in feedback.example and "one source trusted enough" in feedback.hint


def test_feedback_is_in_the_learners_language():
    exercise = _course_exercise("03_data_planning", "storage_plan")
    feedback = exercise.check(exercise.misconceptions[0].like, lang="ru")
    assert "Наименьший" in feedback.example and "ваша функция" in feedback.example.lower()
    assert not any(word in feedback.hint for word in ("It looks as if", "Read fields"))
    correct = exercise.check(exercise.reference, lang="ru")
    assert "сгенерированн" in correct.message


def test_a_printing_function_does_not_flood_the_notebook(capsys):
    exercise = _course_exercise("09_data_decommissioning", "merkle_root")

    def chatty(leaves):
        print("leaves:", len(leaves))
        return exercise.reference(leaves)

    assert exercise.check(chatty).correct
    printed = capsys.readouterr().out.count("leaves:")
    assert printed == len(exercise.cases), "only the named cases print; the generated ones are silenced"


@pytest.mark.parametrize("notebook, key", list(_code_exercises()))
def test_an_unanswered_template_never_breaks_run_all(notebook, key):
    exercise = _course_exercise(notebook, key)

    def template(*args):
        ...

    def commented(*args):
        """Your code here."""

    for answer in (..., None, template, commented):
        assert exercise.check(answer).status == "unanswered"
    assert exercise.check(42).status == "invalid"


def test_a_function_far_slower_than_the_solution_is_compared_until_the_time_limit():
    import time

    def slow(values):
        time.sleep(0.02)
        return _mean_of_present(values)

    exercise = _exercise(generate=lambda draw: (draw.items(lambda d: d.one_of([1.0, None]), max_size=3),),
                         examples=100, time_limit=0.2)
    feedback = exercise.check(slow)
    assert feedback.correct and "before the time limit" in feedback.message


def test_shrinking_finds_a_small_input_and_the_draw_replays():
    def pairs(draw):
        return (draw.items(lambda d: d.integer(0, 9), max_size=8),)

    (choices, args), = generate_examples(pairs, 1, random_state=3)

    def fails(record):
        draw = Draw(replay=record)
        (values,) = pairs(draw)
        return draw if sum(values) >= 10 else None

    assert sum(args[0]) >= 10
    smallest = pairs(Draw(replay=shrink(choices, fails)))[0]
    assert sum(smallest) >= 10 and len(smallest) <= 2
    assert pairs(Draw(replay=choices)) == args


@pytest.mark.parametrize("value", [
    pd.DataFrame({"a": np.array(["x", None, float("nan")], dtype=object), "b": [1.5, None, 2.0]}, index=[3, 1, 2]),
    pd.DataFrame({"t": pd.Series([pd.Timestamp("2024-06-30 12:00"), pd.NaT], dtype="datetime64[ns]")}),
    pd.DataFrame({"c": pd.Categorical(["a", None], categories=["a", "b"]), "n": pd.array([1, None], dtype="Int64"),
                  "s": pd.array(["x", None], dtype="string")}),
    pd.DataFrame({"p": pd.Series([], dtype="datetime64[ns]"), "q": pd.Series([], dtype="float64")}),
    pd.Series([np.float32("nan"), pd.NA, pd.NaT, None, "?"], index=[7, 8, 9, 10, 11], dtype=object),
    pd.Series([1.5, None], dtype="Float64"),
])
def test_an_input_is_shown_as_code_that_rebuilds_it(value):
    rebuilt = eval(literal(value), {"pd": pd, "np": np})
    if isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(rebuilt, value)
    else:
        pd.testing.assert_series_equal(rebuilt, value)


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
