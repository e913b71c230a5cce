"""Code exercises: the learner writes a function, a checker runs it on cases they do not see.

A :class:`CodeExercise` is a :class:`~lifecycle_kit.course.exercises.Question` whose
answer is a function. :meth:`~lifecycle_kit.course.exercises.Question.check` calls it
on every hidden :class:`Case` — ordinary inputs and the edge cases a real rule
must survive (missing values, an empty batch, a tie) — and answers with what
failed and a hint for that kind of failure. The cases' inputs stay hidden; their
labels say what kind of input broke the function. Like every question, a check
never raises, and an answer left as ``...`` (or a function whose body is only
``...``) is "not answered yet", so "Run All" always completes.

The expected result of a case is computed by the exercise's reference
solution unless the case gives one, so no expected value is typed in twice.
``wrong_answers`` holds plausible wrong implementations: the tests prove that
the checker rejects each of them and accepts the solution.

Examples
--------
>>> from lifecycle_kit.course.code_exercises import Case, CodeExercise
>>> def share_missing(values):
...     import math
...     return 0.0 if not values else sum(v is None or v != v for v in values) / len(values)
>>> exercise = CodeExercise(
...     "Write share_missing(values): the share of None or NaN among the values (0.0 for none).",
...     solution=share_missing,
...     solution_code="def share_missing(values):\\n    ...",
...     cases=[Case("a list with one None in four", ([1, None, 3, 4],)),
...            Case("NaN counts as missing", ([float('nan'), 2.0],), kind="nan"),
...            Case("an empty list", ([],), kind="empty")],
...     hints={"nan": "NaN is not None: test it with v != v or math.isnan.",
...            "empty": "An empty batch has no missing values: return 0.0, do not divide by zero."})
>>> def only_none(values):
...     return sum(v is None for v in values) / len(values)
>>> feedback = exercise.check(only_none)
>>> feedback.status
'incorrect'
>>> print(feedback.message)
1 of 3 hidden cases passed. Failed: NaN counts as missing (returned 0.0); an empty list (ZeroDivisionError: division by zero).
>>> exercise.check(share_missing).status
'correct'
>>> def stub(values):
...     ...
>>> exercise.check(stub).status
'unanswered'
"""

from __future__ import annotations

import copy
import math
import numbers
from dataclasses import dataclass, field
from typing import Any

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.course.exercises import Feedback, Question
from lifecycle_kit.i18n import _, ngettext

__all__ = ["Case", "CodeExercise", "results_equal"]

_NOT_GIVEN = object()


@dataclass(frozen=True)
class Case:
    """One hidden input on which the learner's function is run.

    Parameters
    ----------
    label : str
        What kind of input this is, shown when it fails ("an empty batch").
    args : tuple, default=()
        Positional arguments (deep-copied for every call, so a function that
        mutates its input cannot spoil the next case).
    kwargs : dict, default={}
    expected : object, optional
        The right result. Omitted: the exercise's reference solution computes it.
    kind : str, default="basic"
        The failure kind; the exercise's ``hints[kind]`` is shown when this case fails.
    """

    label: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    expected: object = _NOT_GIVEN
    kind: str = "basic"


def results_equal(got, expected, *, tolerance=1e-9):
    """Compare a learner's result with the expected one: numbers within ``tolerance``,
    containers element by element, pandas and numpy objects by value.

    >>> results_equal(0.1 + 0.2, 0.3), results_equal([1, 2], (1, 2)), results_equal({"a": 1}, {"a": 2})
    (True, True, False)
    """
    if _is_bool(expected) or _is_bool(got):
        return _is_bool(expected) and _is_bool(got) and bool(got) == bool(expected)
    if isinstance(expected, numbers.Real) and isinstance(got, numbers.Real):
        if math.isnan(float(expected)):
            return math.isnan(float(got))
        return math.isclose(float(got), float(expected), rel_tol=tolerance, abs_tol=tolerance)
    if hasattr(expected, "equals") and hasattr(got, "equals"):  # pandas objects
        try:
            import pandas.testing as pdt

            if hasattr(expected, "columns"):
                pdt.assert_frame_equal(got, expected, check_dtype=False, check_exact=False, rtol=tolerance)
            else:
                pdt.assert_series_equal(got, expected, check_dtype=False, check_exact=False, rtol=tolerance,
                                        check_names=False)
            return True
        except (AssertionError, TypeError, ValueError):
            return False
    if isinstance(expected, dict):
        return isinstance(got, dict) and got.keys() == expected.keys() and all(
            results_equal(got[k], expected[k], tolerance=tolerance) for k in expected)
    if isinstance(expected, (set, frozenset)):
        try:
            return set(got) == set(expected)
        except TypeError:
            return False
    if isinstance(expected, (list, tuple)) or type(expected).__name__ == "ndarray":
        try:
            got_items, expected_items = list(got), list(expected)
        except TypeError:
            return False
        return len(got_items) == len(expected_items) and all(
            results_equal(g, e, tolerance=tolerance) for g, e in zip(got_items, expected_items))
    return got == expected


def _is_bool(value):
    # numpy's boolean without importing numpy: its type is named "bool" since numpy 2, "bool_" before.
    return isinstance(value, bool) or (type(value).__name__ in ("bool", "bool_") and type(value).__module__ == "numpy")


def _is_stub(function):
    """True for a function whose body is only ``...``, ``pass`` or a docstring: the template, unanswered."""
    import dis

    code = getattr(function, "__code__", None)
    if code is None:
        return False
    steps = [(i.opname, i.argval) for i in dis.get_instructions(code) if i.opname not in ("RESUME", "NOP", "CACHE")]
    return steps in ([("LOAD_CONST", None), ("RETURN_VALUE", None)], [("RETURN_CONST", None)])


def _short(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CodeExercise(Question):
    """Write a function; it is checked on hidden cases, with a hint per kind of failure.

    Parameters
    ----------
    prompt : str
        What to write: the function's name, arguments and what it returns.
    cases : list of Case
        At least three hidden inputs, including the edge cases that matter.
    solution : callable
        The reference implementation; computes every expected result not given by a case.
    solution_code : str
        The solution as the learner would write it in the notebook (revealed on request
        and used to build the solutions notebooks).
    hints : dict, default=None
        ``{case kind: hint}`` — what to look at when a case of that kind fails.
    wrong_answers : dict, default=None
        ``{label: callable}`` — plausible wrong implementations the checker must reject
        (proved by the tests, never shown to the learner).
    compare : callable, default=results_equal
        ``compare(got, expected) -> bool``.
    explanation : str, default=""
        Why the solution is right; shown with a correct answer and with the revealed solution.
    """

    kind = "code"

    def __init__(self, prompt, *, cases, solution, solution_code, hints=None, wrong_answers=None, compare=None,
                 explanation="", key=None):
        super().__init__(prompt, explanation=explanation, key=key)
        cases = list(cases)
        if len(cases) < 3:
            raise LifecycleKitError(f"a code exercise needs at least three hidden cases; got {len(cases)}")
        if not callable(solution):
            raise LifecycleKitError("solution must be the reference function")
        self.cases = cases
        self.reference = solution
        self.solution_code = solution_code
        self.hints = dict(hints or {})
        self.wrong_answers = dict(wrong_answers or {})
        self.compare = compare or results_equal
        self._expected = None

    def expected(self):
        """The expected result of every case (computed once by the reference solution)."""
        if self._expected is None:
            self._expected = [case.expected if case.expected is not _NOT_GIVEN
                              else self.reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
                              for case in self.cases]
        return self._expected

    def run_cases(self, function):
        """Run ``function`` on every case: a list of ``(case, passed, what happened)``."""
        outcomes = []
        for case, expected in zip(self.cases, self.expected()):
            try:
                got = function(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            except Exception as err:  # the learner's code may fail in any way: report it per case
                outcomes.append((case, False, f"{type(err).__name__}: {err}"))
                continue
            try:
                passed = bool(self.compare(got, expected))
            except Exception:  # an answer of the wrong type cannot even be compared
                passed = False
            outcomes.append((case, passed, _("returned {value}", value=_short(got))))
        return outcomes

    def _judge(self, answer):
        if callable(answer) and _is_stub(answer):
            return Feedback("unanswered", _("Not answered yet: write the body of the function and run the cell "
                                            "again."))
        return super()._judge(answer)

    def _check(self, answer):
        if not callable(answer):
            return Feedback("invalid", _("Expected a function; got {kind}.", kind=type(answer).__name__),
                            hint=_("Define the function with def and pass the function itself (no parentheses)."))
        outcomes = self.run_cases(answer)
        failed = [(case, what) for case, passed, what in outcomes if not passed]
        if not failed:
            message = ngettext("Correct: the {n} hidden case passes.", "Correct: all {n} hidden cases pass.",
                               len(outcomes))
            return Feedback("correct", message, explanation=self.explanation or None)
        listed = "; ".join(f"{_(case.label)} ({what})" for case, what in failed)
        message = ngettext("{passed} of {n} hidden case passed. Failed: {listed}.",
                           "{passed} of {n} hidden cases passed. Failed: {listed}.", len(outcomes),
                           passed=len(outcomes) - len(failed), listed=listed)
        hints = []
        for case, _what in failed:
            text = self.hints.get(case.kind)
            if text and _(text) not in hints:
                hints.append(_(text))
        hint = " ".join(hints) or _("Run your function on a small example of the failing kind and compare by hand.")
        return Feedback("incorrect", message, hint=hint)

    def _answer_text(self):
        return self.solution_code
