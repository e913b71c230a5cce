"""Self-check questions: immediate feedback, specific hints, revealable solutions.

Three kinds of question cover what a learner is asked in the notebooks:

- :class:`NumericQuestion` — a number, right within a tolerance; the expected
  value may be a function computed from data when first needed, so no answer
  is typed into the question.
- :class:`ChoiceQuestion` — one or several options; each wrong option can
  carry its own hint.
- :class:`CheckQuestion` — "check this object": a function decides whether
  the learner's object (a frame, a list of columns, a fitted model) is right
  and says why not.

``check`` never raises on what a learner types. An unanswered question
(``None`` or ``...``) gets a friendly prompt, so "Run All" always completes.
Feedback objects render as coloured boxes in Jupyter and as text elsewhere.

Examples
--------
>>> from lifecycle_kit.exercises import NumericQuestion, ChoiceQuestion
>>> q = NumericQuestion("How many stages has ISO/IEC 8183?", answer=10, tolerance=0,
...                     explanation="Idea conception through system decommissioning.")
>>> q.check(...)
Feedback(unanswered): Not answered yet. Replace ... with your answer and run the cell again.
>>> q.check(9).status
'incorrect'
>>> q.check(10)
Feedback(correct): Correct: 10.
>>> c = ChoiceQuestion("Which is a quality characteristic of ISO/IEC 5259-2?",
...                    options={"a": "Completeness", "b": "Latency"}, correct="a",
...                    hints={"b": "Latency describes a system, not its data."})
>>> c.check("b").hint
'Latency describes a system, not its data.'
"""

import html
import math
import numbers
from dataclasses import dataclass

from lifecycle_kit.errors import LifecycleKitError

__all__ = ["ChoiceQuestion", "CheckQuestion", "Feedback", "NumericQuestion", "Question", "Solution", "is_unanswered"]

_COLOURS = {
    "correct": ("#e6f4ea", "#137333", "✔"),
    "incorrect": ("#fce8e6", "#a50e0e", "✘"),
    "partial": ("#fef7e0", "#8a5a00", "◐"),
    "unanswered": ("#e8f0fe", "#1a4d8f", "✎"),
    "invalid": ("#fef7e0", "#8a5a00", "?"),
}


def is_unanswered(answer):
    """``None``, ``...`` or an empty string mean the learner has not answered yet."""
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer.

    Attributes
    ----------
    status : {"correct", "incorrect", "partial", "unanswered", "invalid"}
    message : str
        What was found.
    hint : str or None
        What to look at next (wrong answers only).
    """

    status: str
    message: str
    hint: str = None

    @property
    def correct(self):
        return self.status == "correct"

    def __repr__(self):
        text = f"Feedback({self.status}): {self.message}"
        return f"{text} Hint: {self.hint}" if self.hint else text

    def _repr_html_(self):
        background, colour, mark = _COLOURS[self.status]
        body = f"<b>{mark} {html.escape(self.message)}</b>"
        if self.hint:
            body += f"<br><i>Hint:</i> {html.escape(self.hint)}"
        return (
            f'<div class="lk-feedback lk-feedback-{self.status}" style="background:{background};'
            f'color:{colour};border-left:4px solid {colour};padding:6px 10px;margin:4px 0">{body}</div>'
        )


@dataclass(frozen=True)
class Solution:
    """A revealed answer and why it is right."""

    answer: str
    explanation: str

    def __repr__(self):
        return f"Solution: {self.answer}\n{self.explanation}".strip()

    def _repr_html_(self):
        return (
            '<div class="lk-solution" style="border-left:4px solid #5f6368;padding:6px 10px;margin:4px 0">'
            f"<b>Solution:</b> {html.escape(self.answer)}<br>{html.escape(self.explanation)}</div>"
        )


class Question:
    """Base class: a prompt, a way to check an answer, and a solution to reveal.

    Subclasses implement ``_check(answer) -> Feedback`` and ``_answer_text()``.
    """

    kind = "question"

    def __init__(self, prompt, *, explanation="", key=None):
        self.prompt = prompt
        self.explanation = explanation
        self.key = key

    def check(self, answer):
        """Check an answer; never raises on what the learner typed.

        Returns
        -------
        Feedback
        """
        if is_unanswered(answer):
            return Feedback("unanswered", "Not answered yet. Replace ... with your answer and run the cell again.")
        try:
            return self._check(answer)
        except LifecycleKitError as err:
            return Feedback("invalid", f"That answer could not be checked: {err}")
        except Exception as err:  # a learner's object can fail in any way; say so instead of crashing Run All
            return Feedback("invalid", f"Checking that answer failed ({type(err).__name__}: {err}).",
                            hint="Check the type of your answer against what the question asks for.")

    def solution(self):
        """Reveal the answer with its explanation."""
        return Solution(self._answer_text(), self.explanation)

    def __repr__(self):
        return f"{type(self).__name__}({self.prompt!r})"

    def _repr_html_(self):
        return f'<div class="lk-question"><b>Question.</b> {html.escape(self.prompt)}</div>'


def _format_number(value):
    if isinstance(value, numbers.Integral) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.4g}"


class NumericQuestion(Question):
    """A question whose answer is a number.

    Parameters
    ----------
    prompt : str
    answer : float or callable
        The expected value, or a function of no arguments that computes it
        (evaluated on first use and kept).
    tolerance : float, default=1e-9
        Absolute tolerance.
    rel_tolerance : float, default=0.0
        Relative tolerance; the answer is right within either tolerance.
    hints : list of (callable, str), default=()
        ``(when, text)`` pairs: the first ``when(given, expected)`` that is true
        gives the hint. Generic hints (too high, too low, percent versus
        fraction) follow when none applies.
    explanation : str, default=""
        Shown with the revealed solution.
    unit : str, default=""
        Shown after the number in the solution.
    """

    kind = "numeric"

    def __init__(self, prompt, *, answer, tolerance=1e-9, rel_tolerance=0.0, hints=(), explanation="", unit="",
                 key=None):
        super().__init__(prompt, explanation=explanation, key=key)
        if tolerance < 0 or rel_tolerance < 0:
            raise LifecycleKitError("tolerance and rel_tolerance must be non-negative")
        self._answer = answer
        self._expected = None
        self.tolerance = tolerance
        self.rel_tolerance = rel_tolerance
        self.hints = list(hints)
        self.unit = unit

    @property
    def expected(self):
        if self._expected is None:
            value = self._answer() if callable(self._answer) else self._answer
            self._expected = float(value)
        return self._expected

    def _close(self, given, expected):
        return math.isclose(given, expected, rel_tol=self.rel_tolerance, abs_tol=self.tolerance)

    def _check(self, answer):
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            try:
                answer = float(str(answer).replace(",", "").strip())
            except ValueError:
                return Feedback("invalid", f"Expected a number; got {answer!r}.",
                                hint="Type the number alone, for example 0.25 or 1200.")
        given = float(answer)
        if not math.isfinite(given):
            return Feedback("invalid", f"Expected a finite number; got {given}.")
        expected = self.expected
        if self._close(given, expected):
            return Feedback("correct", f"Correct: {_format_number(expected)}{self.unit}.")
        for when, text in self.hints:
            if when(given, expected):
                return Feedback("incorrect", f"Not quite: {_format_number(given)} is not it.", hint=text)
        return Feedback("incorrect", f"Not quite: {_format_number(given)} is not it.", hint=self._generic_hint(given, expected))

    def _generic_hint(self, given, expected):
        if expected != 0 and (self._close(given / 100, expected) or self._close(given * 100, expected)):
            return "You are off by a factor of 100: is the question asking for a fraction or a percentage?"
        if expected != 0 and self._close(-given, expected):
            return "Check the sign."
        return "Too high: recount." if given > expected else "Too low: recount."

    def _answer_text(self):
        return f"{_format_number(self.expected)}{self.unit}"


class ChoiceQuestion(Question):
    """Single or multiple choice.

    Parameters
    ----------
    prompt : str
    options : dict
        ``{key: text}`` in display order.
    correct : key or collection of keys
        One key makes a single-choice question; a set or list makes it multiple choice.
    hints : dict, default=None
        ``{wrong key: hint}``: what to think about when that option is picked.
    explanation : str, default=""
    """

    kind = "choice"

    def __init__(self, prompt, *, options, correct, hints=None, explanation="", key=None):
        super().__init__(prompt, explanation=explanation, key=key)
        self.options = dict(options)
        self.multiple = not isinstance(correct, (str, int))
        self.correct = frozenset(correct) if self.multiple else frozenset([correct])
        unknown = self.correct - set(self.options)
        if unknown:
            raise LifecycleKitError(f"correct option(s) {sorted(unknown)} are not among the options {list(self.options)}")
        self.hints = dict(hints or {})

    def _normalise(self, answer):
        picked = [answer] if isinstance(answer, (str, int)) else list(answer)
        if not self.multiple and len(picked) != 1:
            raise LifecycleKitError("pick exactly one option")
        out = set()
        for p in picked:
            key = p.strip() if isinstance(p, str) else p
            if key not in self.options:
                # Accept the option's text as well as its key.
                matches = [k for k, text in self.options.items() if str(text).strip().lower() == str(key).lower()]
                if not matches:
                    raise LifecycleKitError(f"{p!r} is not an option; choose from {', '.join(map(str, self.options))}")
                key = matches[0]
            out.add(key)
        return frozenset(out)

    def _check(self, answer):
        picked = self._normalise(answer)
        if picked == self.correct:
            return Feedback("correct", "Correct.")
        wrong = sorted(picked - self.correct, key=list(self.options).index)
        hint = next((self.hints[k] for k in wrong if k in self.hints), None)
        if self.multiple:
            found = len(picked & self.correct)
            status = "partial" if found and not wrong else "incorrect"
            message = f"You picked {found} of the {len(self.correct)} right options"
            message += f" and {len(wrong)} wrong one(s)." if wrong else "."
            if hint is None and not wrong:
                hint = "Some right options are still missing: read each remaining one against the question."
            return Feedback(status, message, hint=hint or "Reconsider the options you picked.")
        return Feedback("incorrect", f"Not {wrong[0]!r}.", hint=hint or "Re-read the question and the options.")

    def _answer_text(self):
        keys = [k for k in self.options if k in self.correct]
        return "; ".join(f"{k}) {self.options[k]}" for k in keys)


class CheckQuestion(Question):
    """"Check this object": a function judges the learner's answer.

    Parameters
    ----------
    prompt : str
    checker : callable
        ``checker(answer) -> (bool, str)``: whether it is right, and a message
        (on a wrong answer, the message is the hint).
    solution_text : str
        What a right answer looks like.
    explanation : str, default=""
    """

    kind = "check"

    def __init__(self, prompt, *, checker, solution_text, explanation="", key=None):
        super().__init__(prompt, explanation=explanation, key=key)
        self.checker = checker
        self.solution_text = solution_text

    def _check(self, answer):
        ok, message = self.checker(answer)
        if ok:
            return Feedback("correct", f"Correct. {message}".strip())
        return Feedback("incorrect", "Not yet.", hint=message)

    def _answer_text(self):
        return self.solution_text
