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
A handful of cases cannot judge a rule, so an exercise also generates
inputs (:mod:`lifecycle_kit.course.generated_inputs`: a seeded generator of the
kit's own, no global random state touched) and compares the learner's function
with the reference solution on each of them. When the two differ, the input is
shrunk to the smallest one found and shown as code with both results; when
the learner's results agree there with a known wrong rule (a
:class:`Misconception`, itself a wrong implementation), the hint names it.

``wrong_answers`` and the misconceptions are plausible wrong implementations:
the tests prove that the checker rejects each of them and accepts the solution.

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

Named cases miss what they do not name. With a generator, the function is also compared with the solution on
generated inputs; the smallest input on which the two differ is shown as code, and a known wrong rule that does
what the learner's function does is named:

>>> from lifecycle_kit.course.code_exercises import Misconception
>>> def lists(draw):
...     return (draw.items(lambda d: d.one_of([1.0, None, float("nan")]), max_size=4),)
>>> def none_only(values):
...     return 0.0 if not values else sum(v is None for v in values) / len(values)
>>> exercise = CodeExercise(
...     "Write share_missing(values): the share of None or NaN among the values (0.0 for none).",
...     solution=share_missing,
...     solution_code="def share_missing(values):\\n    ...",
...     cases=[Case("a list with one None in four", ([1, None, 3, 4],)), Case("numbers only", ([1.0, 2.0],)),
...            Case("an empty list", ([],), kind="empty")],
...     hints={"empty": "An empty batch has no missing values: return 0.0, do not divide by zero."},
...     generate=lists,
...     misconceptions=[Misconception(none_only, "NaN is missing too: test it with v != v or math.isnan.")])
>>> feedback = exercise.check(none_only)
>>> print(feedback.message)
All 3 hidden cases pass, but your function and the solution differ on a generated input.
>>> print(feedback.example)
Smallest input found where your function and the solution differ:
share_missing([float('nan')])
your function: 0.0
the solution: 1.0
>>> feedback.hint
'NaN is missing too: test it with v != v or math.isnan.'
>>> exercise.check(share_missing).message
'Correct: all 3 hidden cases pass. Your function also agrees with the solution on all 150 generated inputs.'
"""

from __future__ import annotations

import copy
import math
import numbers
from dataclasses import dataclass, field
from typing import Any

from lifecycle_kit.course.exercises import Feedback, Question
from lifecycle_kit.course.generated_inputs import Draw, Overrun, generate_examples, literal, shrink
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import _, ngettext

__all__ = ["Case", "CodeExercise", "Counterexample", "Misconception", "results_equal"]

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


@dataclass(frozen=True)
class Misconception:
    """A known wrong rule, as the wrong implementation that follows it, and the hint that names it.

    When a learner's function fails, the checker runs ``like`` on the smallest generated input found
    and on every named case: if it does what the learner's function does on all of them, ``hint`` is
    shown (a wrong rule that merely agrees on one input is not named).

    Parameters
    ----------
    like : callable
        A wrong implementation (same arguments as the exercise's function).
    hint : str
        What the learner probably did, and what the prompt asks instead.
    """

    like: Any
    hint: str


@dataclass(frozen=True)
class _Outcome:
    """What a function did with one input: the value it returned, or the exception it raised."""

    value: object = None
    error: str | None = None  # "KeyError: 'x'"

    @classmethod
    def of(cls, function, args, kwargs=None):
        try:
            return cls(function(*copy.deepcopy(args), **copy.deepcopy(kwargs or {})))
        except Exception as err:  # the learner's code may fail in any way: it is a result like any other
            return cls(error=f"{type(err).__name__}: {err}")

    def same_as(self, other, compare):
        if self.error or other.error:
            return bool(self.error and other.error) and self.error.split(":")[0] == other.error.split(":")[0]
        try:
            return bool(compare(self.value, other.value))
        except Exception:  # a result of another type cannot even be compared
            return False

    def shown(self):
        if self.error:
            return _("raised {error}", error=self.error if len(self.error) <= 200 else self.error[:199] + "…")
        return _short(self.value, 300, code=True)


@dataclass(frozen=True)
class Counterexample:
    """A generated input on which a function and the reference solution differ, shrunk.

    Attributes
    ----------
    args : tuple
        The smallest input found.
    got, expected : _Outcome
        What the function and the solution did with it.
    first_args : tuple
        The input as first generated, before shrinking.
    first_got : _Outcome
    tried : int
        How many generated inputs were compared before the first difference (that one included).
    """

    args: tuple[Any, ...]
    got: _Outcome
    expected: _Outcome
    first_args: tuple[Any, ...]
    first_got: _Outcome
    tried: int

    def call(self, name):
        """The smallest input as a call the learner can paste into a cell."""
        return f"{name}({', '.join(literal(a) for a in self.args)})"


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


def _short(value, limit=60, *, code=False):
    text = literal(value) if code else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _public_name(solution_code, default="f"):
    import re

    found = re.search(r"def\s+(\w+)\s*\(", solution_code or "")
    return found.group(1) if found else default


class CodeExercise(Question):
    """Write a function; it is checked on hidden cases and on generated inputs, with a hint per kind of failure.

    Parameters
    ----------
    prompt : str
        What to write: the function's name, arguments and what it returns — every rule the checker
        applies, including what happens at a limit and with missing values.
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
    generate : callable, default=None
        ``generate(draw) -> tuple of arguments``: builds one input from the choices of a
        :class:`~lifecycle_kit.course.generated_inputs.Draw`. With it, the learner's function is also
        compared with the solution on ``examples`` generated inputs.
    examples : int, default=150
        How many generated inputs (the same ones, in the same order, at every check).
    misconceptions : list of Misconception, default=()
        Known wrong rules; the hint of the one whose results match the learner's is shown.
        Their implementations are proved wrong by the tests, like ``wrong_answers``.
    random_state : int, default=0
        Seed of the generated inputs.
    shrink_budget : int, default=150
        At most this many runs of the function while shrinking a failing input.
    time_limit : float, default=10.0
        Seconds after which the comparison stops (a function far slower than the solution);
        the feedback then says on how many inputs it was compared.
    """

    kind = "code"

    def __init__(self, prompt, *, cases, solution, solution_code, hints=None, wrong_answers=None, compare=None,
                 explanation="", key=None, generate=None, examples=150, misconceptions=(), random_state=0,
                 shrink_budget=150, time_limit=10.0):
        super().__init__(prompt, explanation=explanation, key=key)
        cases = list(cases)
        if len(cases) < 3:
            raise LifecycleKitError(f"a code exercise needs at least three hidden cases; got {len(cases)}")
        if not callable(solution):
            raise LifecycleKitError("solution must be the reference function")
        if generate is not None and not callable(generate):
            raise LifecycleKitError("generate must be a function of a Draw that returns the arguments")
        self.cases = cases
        self.reference = solution
        self.solution_code = solution_code
        self.hints = dict(hints or {})
        self.wrong_answers = dict(wrong_answers or {})
        self.compare = compare or results_equal
        self.generate = generate
        self.examples = int(examples)
        self.misconceptions = list(misconceptions)
        self.random_state = random_state
        self.shrink_budget = int(shrink_budget)
        self.time_limit = float(time_limit)
        self.name = _public_name(solution_code)
        self._expected = None
        self._generated = None  # [(choices, args, the solution's outcome)], made on first use

    def expected(self):
        """The expected result of every case (computed once by the reference solution)."""
        if self._expected is None:
            self._expected = [case.expected if case.expected is not _NOT_GIVEN
                              else self.reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
                              for case in self.cases]
        return self._expected

    def _case_outcomes(self, function):
        outcomes = []
        for case, expected in zip(self.cases, self.expected()):
            outcome = _Outcome.of(function, case.args, case.kwargs)
            passed = outcome.same_as(_Outcome(expected), self.compare)
            what = outcome.error or _("returned {value}", value=_short(outcome.value))
            outcomes.append((case, passed, what, outcome))
        return outcomes

    def run_cases(self, function):
        """Run ``function`` on every case: a list of ``(case, passed, what happened)``."""
        return [(case, passed, what) for case, passed, what, _outcome in self._case_outcomes(function)]

    def generated_inputs(self):
        """The generated inputs, ``[(choices, args)]``: the same at every call (seeded by ``random_state``).

        Inputs on which the reference solution itself fails are left out (the tests prove there are none).
        """
        if self._generated is None:
            made = []
            if self.generate is not None:
                for choices, args in generate_examples(self.generate, self.examples, random_state=self.random_state):
                    expected = _Outcome.of(self.reference, args)
                    if expected.error is None:
                        made.append((choices, args, expected))
            self._generated = made
        return [(choices, args) for choices, args, _expected in self._generated]

    def find_counterexample(self, function, *, shrink=True):
        """Compare ``function`` with the solution on the generated inputs; the first difference, shrunk.

        Parameters
        ----------
        function : callable
        shrink : bool, default=True
            False: the first differing input as generated (faster; the tests use it to prove that the
            generated inputs alone find a wrong implementation).

        Returns
        -------
        Counterexample or None
            ``None`` when the two agree on every generated input (or the exercise generates none).
            A function's printing and warnings are silenced meanwhile: it runs many times.
        """
        return self._search(function, shrink=shrink)[0]

    def _search(self, function, *, shrink=True):
        import contextlib
        import io
        import time
        import warnings

        self.generated_inputs()
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for tried, (choices, args, expected) in enumerate(self._generated, start=1):
                got = _Outcome.of(function, args)
                if not got.same_as(expected, self.compare):
                    if not shrink:
                        return Counterexample(args, got, expected, args, got, tried), tried, False
                    deadline = start + self.time_limit  # shrinking a slow function stops in time too
                    return self._shrunk(function, choices, args, got, expected, tried, deadline), tried, False
                if time.perf_counter() - start > self.time_limit:
                    return None, tried, True
        return None, len(self._generated), False

    def _rebuild(self, choices):
        draw = Draw(replay=choices)
        try:
            args = tuple(self.generate(draw))
        except Overrun:
            return None, None
        return draw, args

    def _shrunk(self, function, choices, args, got, expected, tried, deadline):
        import time

        found = {"args": args, "got": got, "expected": expected}

        def still_fails(candidate):
            if time.perf_counter() > deadline:
                return None
            used, new_args = self._rebuild(candidate)
            if used is None:
                return None
            new_expected = _Outcome.of(self.reference, new_args)
            if new_expected.error is not None:
                return None  # not an input the exercise asks about
            new_got = _Outcome.of(function, new_args)
            if new_got.same_as(new_expected, self.compare):
                return None
            found.update(args=new_args, got=new_got, expected=new_expected)
            return used

        shrink(choices, still_fails, budget=self.shrink_budget)
        return Counterexample(found["args"], found["got"], found["expected"], args, got, tried)

    def diagnose(self, function, counterexample=None, case_outcomes=()):
        """The misconception that does what ``function`` does, or None.

        A misconception is recognised when its implementation gives ``function``'s results on the smallest
        generated input found and on every named case (passed or failed): a wrong rule that merely happens to
        agree on one input is not named. Of several, the one that also agrees on the input as first
        generated (before shrinking) is preferred, then the first listed.

        Parameters
        ----------
        function : callable
        counterexample : Counterexample, default=None
        case_outcomes : sequence of (Case, outcome)
            Every named case with what ``function`` did on it.

        Returns
        -------
        Misconception or None
        """
        required = [(case.args, case.kwargs, outcome) for case, outcome in case_outcomes]
        preferred = []
        if counterexample is not None:
            required.insert(0, (counterexample.args, {}, counterexample.got))
            if counterexample.first_args is not counterexample.args:
                preferred.append((counterexample.first_args, {}, counterexample.first_got))
        if not required:
            return None
        best, best_score = None, -1
        for misconception in self.misconceptions:
            if not all(_Outcome.of(misconception.like, args, kwargs).same_as(outcome, self.compare)
                       for args, kwargs, outcome in required):
                continue
            score = sum(_Outcome.of(misconception.like, args, kwargs).same_as(outcome, self.compare)
                        for args, kwargs, outcome in preferred)
            if score > best_score:
                best, best_score = misconception, score
        return best

    def _judge(self, answer):
        if callable(answer) and _is_stub(answer):
            return Feedback("unanswered", _("Not answered yet: write the body of the function and run the cell "
                                            "again."))
        return super()._judge(answer)

    def _check(self, answer):
        if not callable(answer):
            return Feedback("invalid", _("Expected a function; got {kind}.", kind=type(answer).__name__),
                            hint=_("Define the function with def and pass the function itself (no parentheses)."))
        import warnings

        with warnings.catch_warnings():  # warnings of the learner's code (or of wrong rules) would be noise here
            warnings.simplefilter("ignore")
            return self._verdict(answer)

    def _verdict(self, answer):
        outcomes = self._case_outcomes(answer)
        failed = [(case, what, outcome) for case, passed, what, outcome in outcomes if not passed]
        found, tried, stopped = self._search(answer) if self.generate is not None else (None, 0, False)
        n = len(outcomes)
        if not failed and found is None:
            message = ngettext("Correct: the {n} hidden case passes.", "Correct: all {n} hidden cases pass.", n)
            if tried:
                message += " " + (ngettext("Your function also agrees with the solution on the {m} generated input "
                                           "compared before the time limit.",
                                           "Your function also agrees with the solution on the {m} generated inputs "
                                           "compared before the time limit.", tried, m=tried) if stopped else
                                  ngettext("Your function also agrees with the solution on the {m} generated input.",
                                           "Your function also agrees with the solution on all {m} generated "
                                           "inputs.", tried, m=tried))
            return Feedback("correct", message, explanation=self.explanation or None)
        if failed:
            listed = "; ".join(f"{_(case.label)} ({what})" for case, what, _outcome in failed)
            message = ngettext("{passed} of {n} hidden case passed. Failed: {listed}.",
                               "{passed} of {n} hidden cases passed. Failed: {listed}.", n,
                               passed=n - len(failed), listed=listed)
        else:
            message = ngettext("The hidden case passes, but your function and the solution differ on a generated "
                               "input.",
                               "All {n} hidden cases pass, but your function and the solution differ on a "
                               "generated input.", n)
        hints = []
        misconception = self.diagnose(answer, found, [(case, outcome) for case, _p, _w, outcome in outcomes])
        if misconception is not None:  # it explains every failed case too: its hint says it all
            hints.append(_(misconception.hint))
        else:
            for case, _what, _outcome in failed:
                text = self.hints.get(case.kind)
                if text and _(text) not in hints:
                    hints.append(_(text))
        if not hints:
            hints.append(_("Run your function on the input shown and work out by hand, rule by rule of the task, "
                           "what it should return.") if found is not None else
                         _("Run your function on a small example of the failing kind and compare by hand."))
        example = None
        if found is not None:
            example = "\n".join([_("Smallest input found where your function and the solution differ:"),
                                  found.call(self.name),
                                  _("your function: {result}", result=found.got.shown()),
                                  _("the solution: {result}", result=found.expected.shown())])
        return Feedback("incorrect", message, hint=" ".join(hints), example=example)

    def _answer_text(self):
        return self.solution_code
