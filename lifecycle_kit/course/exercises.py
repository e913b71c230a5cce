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
>>> from lifecycle_kit.course.exercises import NumericQuestion, ChoiceQuestion
>>> q = NumericQuestion("How many stages has ISO/IEC 8183?", answer=10, tolerance=0,
...                     explanation="Idea conception through system decommissioning.")
>>> q.check(...)
Feedback(unanswered): Not answered yet. Replace ... with your answer and run the cell again.
>>> q.check(9).status
'incorrect'
>>> q.check(10)
Feedback(correct): Correct: 10. Idea conception through system decommissioning.
>>> q.check("10,0").correct  # a decimal comma is a decimal separator
True
>>> c = ChoiceQuestion("Which is a quality characteristic of ISO/IEC 5259-2?",
...                    options={"a": "Completeness", "b": "Latency"}, correct="a",
...                    hints={"b": "Latency describes a system, not its data."})
>>> c.check("b").hint
'Latency describes a system, not its data.'
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from lifecycle_kit.course.events import AnswerEvent, announce
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import _, decimal_separator, format_number, get_language, language, ngettext, pgettext

__all__ = ["ChoiceQuestion", "CheckQuestion", "Feedback", "NumericQuestion", "Question", "Solution", "is_unanswered",
           "option_letter", "parse_number"]

_COLOURS = {
    "correct": ("#e6f4ea", "#137333", "✔"),
    "incorrect": ("#fce8e6", "#a50e0e", "✘"),
    "partial": ("#fef7e0", "#8a5a00", "◐"),
    "unanswered": ("#e8f0fe", "#1a4d8f", "✎"),
    "invalid": ("#fef7e0", "#8a5a00", "?"),
    "recorded": ("#f1f3f4", "#3c4043", "•"),  # a sealed assessment item: recorded, verdict withheld
}


def option_letter(position: int, *, lang: str | None = None) -> str:
    """The letter that marks the option at ``position`` (0 first) in the reader's alphabet: a, b, c / а, б, в.

    Options are shown by letter, never by their key (a key such as ``few_wide`` is an identifier for code).

    >>> option_letter(0), option_letter(2, lang="ru"), option_letter(9, lang="ru")
    ('a', 'в', 'к')
    """
    # Translators: the letters that mark the options of a question, in order (Russian skips ё and й).
    letters = pgettext("option letters", "abcdefghijklmnopqrstuvwxyz", lang=lang)
    return letters[position] if position < len(letters) else str(position + 1)


def is_unanswered(answer: Any) -> bool:
    """``None``, ``...`` or an empty string mean the learner has not answered yet."""
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer.

    Attributes
    ----------
    status : {"correct", "incorrect", "partial", "unanswered", "invalid", "recorded"}
        ``"recorded"``: the answer was recorded and its verdict withheld (a pre- or
        post-test item before the post-test is done, :mod:`lifecycle_kit.course.assessment`).
    message : str
        What was found.
    hint : str or None
        What to look at next (wrong answers only).
    explanation : str or None
        Why the answer is right (correct answers only), so that a learner who
        guessed right still learns the reason.
    example : str or None
        Code exercises: the smallest input found on which the learner's function
        and the solution differ, with both results (shown as code).
    """

    status: str
    message: str
    hint: str | None = None
    explanation: str | None = None
    lang: str | None = None  # the language of the message; labels ("Hint") are shown in it
    example: str | None = None

    @property
    def correct(self):
        return self.status == "correct"

    def __repr__(self):
        text = f"Feedback({self.status}): {self.message}"
        if self.example:
            text += f"\n{self.example}\n"
        if self.explanation:
            text += f" {self.explanation}"
        label = _("Hint:", lang=self.lang)
        return f"{text} {label} {self.hint}" if self.hint else text

    def _repr_html_(self):
        background, colour, mark = _COLOURS[self.status]
        body = f"<b>{mark} {html.escape(self.message)}</b>"
        if self.example:
            body += ('<pre class="lk-feedback-example" style="white-space:pre-wrap;margin:4px 0;color:inherit;'
                     f'background:transparent">{html.escape(self.example)}</pre>')
        if self.explanation:
            body += f" {html.escape(self.explanation)}"
        if self.hint:
            label = _("Hint:", lang=self.lang)
            body += f"<br><i>{label}</i> {html.escape(self.hint)}"
        return (
            f'<div class="lk-feedback lk-feedback-{self.status}" style="background:{background};'
            f'color:{colour};border-left:4px solid {colour};padding:6px 10px;margin:4px 0">{body}</div>'
        )


@dataclass(frozen=True)
class Solution:
    """A revealed answer and why it is right.

    ``sealed`` is true when the answer is withheld (a pre-test item before the
    post-test is done): ``answer`` then says when it opens.
    """

    answer: str
    explanation: str
    lang: str | None = None
    sealed: bool = False

    def __repr__(self):
        label = _("Sealed:", lang=self.lang) if self.sealed else _("Solution:", lang=self.lang)
        return f"{label} {self.answer}\n{self.explanation}".strip()

    def _repr_html_(self):
        label = _("Sealed:", lang=self.lang) if self.sealed else _("Solution:", lang=self.lang)
        return (
            '<div class="lk-solution" style="border-left:4px solid #5f6368;padding:6px 10px;margin:4px 0">'
            f"<b>{label}</b> {html.escape(self.answer)}<br>{html.escape(self.explanation)}</div>"
        )


class Question:
    """Base class: a prompt, a way to check an answer, and a solution to reveal.

    Subclasses implement ``_check(answer) -> Feedback`` and ``_answer_text()``.
    """

    kind = "question"

    def __init__(self, prompt: str, *, explanation: str = "", key: str | None = None) -> None:
        self.prompt = prompt
        self.explanation = explanation
        self.key = key
        # Set with ``key`` by lifecycle_kit.course.selfchecks.for_notebook; together they turn on progress recording.
        self.notebook = None

    def check(self, answer: Any, *, lang: str | None = None) -> Feedback:
        """Check an answer; never raises on what the learner typed.

        When the question knows its notebook and key, the verdict (never the
        answer) is announced (:mod:`lifecycle_kit.course.events`), and the
        learner's progress file records it (:mod:`lifecycle_kit.course.progress`).

        Parameters
        ----------
        answer : object
        lang : str, default=None
            The language of the feedback's fixed phrases (see :mod:`lifecycle_kit.i18n`);
            by default the kit's current language.

        Returns
        -------
        Feedback
        """
        feedback = self.verdict(answer, lang=lang)
        self._record("check", feedback.status)
        return feedback

    def verdict(self, answer: Any, *, lang: str | None = None) -> Feedback:
        """The feedback :meth:`check` gives, without recording it anywhere.

        For an assessment item, the verdict :meth:`check` records while it shows
        the learner only that the answer was recorded (instructors, tests).
        """
        with language(lang):
            feedback = self._judge(answer)
            # The question's own texts (hints, explanation) are written in English and marked with N_()
            # where the question is defined; they are said in the learner's language here.
            return replace(feedback, hint=_(feedback.hint) if feedback.hint else feedback.hint,
                           explanation=_(feedback.explanation) if feedback.explanation else feedback.explanation,
                           lang=feedback.lang or get_language())

    def _record(self, event, status):
        notebook, key = getattr(self, "notebook", None), getattr(self, "key", None)  # subclasses may skip __init__
        if notebook and key:
            announce(AnswerEvent(notebook, key, event, status))  # the progress file listens (course.progress)

    def _judge(self, answer):
        if is_unanswered(answer):
            return Feedback("unanswered", _("Not answered yet. Replace ... with your answer and run the cell again."))
        try:
            return self._check(answer)
        except LifecycleKitError as err:
            return Feedback("invalid", _("That answer could not be checked: {error}", error=err))
        except Exception as err:  # a learner's object can fail in any way; say so instead of crashing Run All
            return Feedback("invalid", _("Checking that answer failed ({kind}: {error}).", kind=type(err).__name__,
                                         error=err),
                            hint=_("Check the type of your answer against what the question asks for."))

    def _correct(self, message):
        return Feedback("correct", message, explanation=self.explanation or None)

    def solution(self, *, lang: str | None = None) -> Solution:
        """Reveal the answer with its explanation (recorded as a reveal, like ``check``)."""
        with language(lang):
            solution = Solution(self._answer_text(), _(self.explanation) if self.explanation else "",
                                lang=get_language())
        self._record("reveal", "unanswered")
        return solution

    def __repr__(self):
        return f"{type(self).__name__}({self.prompt!r})"

    def _repr_html_(self):
        label = _("Question.")
        return f'<div class="lk-question"><b>{label}</b> {html.escape(_(self.prompt))}</div>'


def _format_number(value):
    # Thousands grouped with a space, never a comma; the decimal separator of the current language.
    return format_number(value)


_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009](?=\d{3}(?!\d))")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def parse_number(text: str | float, *, percent_unit: bool = False,
                 lang: str | None = None) -> tuple[float, str | None]:
    """Read a number as a learner types it; return ``(value, how it was read or None)``.

    The rules (documented for learners in docs/learner_guide.md):

    - A comma is a decimal separator: ``"0,34"`` is 0.34, and so is an
      ambiguous ``"1,200"`` (1.2, and the note says so). Several commas
      (``"1,200,000"``) or a comma before a point (``"1,200.5"``) can only be
      thousands separators; a point before a comma (``"1.200,5"``) makes the
      point the thousands separator.
    - Spaces, no-break spaces and thin spaces between groups of three digits
      are thousands separators: ``"1 200"`` is 1200.
    - A trailing ``%`` means percent and divides by 100 (``"34 %"`` is 0.34),
      unless the question's own unit is ``%`` (``percent_unit=True``), where
      the learner types the percentage itself.

    The note is in the language ``lang`` (default: the kit's current language,
    see :mod:`lifecycle_kit.i18n`); where the comma is the usual decimal
    separator (Russian), reading ``"0,34"`` needs no note.

    Raises ``ValueError`` when the text is not a number.

    Examples
    --------
    >>> parse_number("0,34")
    (0.34, "read '0,34' as 0.34: a comma is a decimal separator")
    >>> parse_number("0,34", lang="ru"), parse_number("0.34", lang="ru")
    ((0.34, None), (0.34, None))
    >>> parse_number("1,200", lang="ru")[1]
    '«1,200» прочитано как 1,2: запятая отделяет дробную часть; если вы имели в виду 1200, введите число без запятой'
    >>> parse_number(" 0.34 ")
    (0.34, None)
    >>> parse_number("34 %")
    (0.34, "read '34 %' as 0.34: 34 percent")
    >>> parse_number("34%", percent_unit=True)
    (34.0, None)
    >>> parse_number("1 200")
    (1200.0, "read '1 200' as 1200: spaces separate thousands")
    >>> parse_number("1,200")
    (1.2, "read '1,200' as 1.2: a comma is a decimal separator; if you meant 1200, type it without the comma")
    >>> parse_number("1,200,000")[0], parse_number("1,200.5")[0], parse_number("1.200,5")[0]
    (1200000.0, 1200.5, 1200.5)
    """
    with language(lang):
        return _parse_number(text, percent_unit=percent_unit)


def _parse_number(text, *, percent_unit):
    raw = str(text)
    body = raw.strip().replace("\u2212", "-")  # a typographic minus, as pasted from a rendered page
    notes = []
    percent = body.endswith("%")
    if percent:
        body = body[:-1].rstrip()
    if _SPACES.search(body):
        body = _SPACES.sub("", body)
        notes.append(_("spaces separate thousands"))
    comma_note = None
    if "," in body:
        if "." in body:
            if body.rfind(",") > body.rfind("."):  # 1.200,5: the point groups thousands
                body = body.replace(".", "").replace(",", ".")
            else:  # 1,200.5: the comma groups thousands
                body = body.replace(",", "")
        elif body.count(",") > 1:
            body = body.replace(",", "")
            notes.append(_("commas separate thousands"))
        else:
            head, tail = body.split(",")
            body = f"{head}.{tail}"
            ambiguous = len(tail) == 3 and head.lstrip("+-").isdigit() and head.lstrip("+-").strip("0")
            if ambiguous:
                comma_note = _("a comma is a decimal separator; if you meant {number}, type it without the comma",
                               number=f"{head}{tail}")
            elif decimal_separator() != ",":  # where the comma is the usual separator, reading it so needs no note
                comma_note = _("a comma is a decimal separator")
    if comma_note:
        notes.append(comma_note)
    if not _PLAIN_NUMBER.fullmatch(body):
        raise ValueError(f"not a number: {raw!r}")
    value = float(body)
    if percent and not percent_unit:
        notes.append(_("{number} percent", number=_format_number(value)))
        value /= 100
    if not notes:
        return value, None
    shown = _format_number(value).replace(" ", "").replace("\u00a0", "")
    return value, _("read '{text}' as {number}: {notes}", text=raw.strip(), number=shown, notes="; ".join(notes))


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
        gives the hint.
    distractors : dict, default=None
        ``{label: value or callable}``: plausible wrong quantities (the other
        number on the same screen, the quantity before the attack, ...). A
        callable is evaluated on first check and kept. An answer within the
        tolerance of a distractor is told what it is: "0.994 is the clean test
        accuracy". Write the label so that it reads well after "is". A
        distractor within the tolerance of the expected value is an authoring
        error: the first check raises :class:`LifecycleKitError`.
    distractor_hints : dict, default=None
        ``{label: hint}``: for a distractor, the hint that names the
        misconception behind it ("you applied the precision to the flipped
        labels: precision is a share of the flagged rows"). A distractor without
        one gets a generic hint to re-read the question. When an answer matches
        several distractors (two wrong computations can give the same number),
        all of them are named, each with its hint.
    explanation : str, default=""
        Why the answer is right: shown with a correct answer and with the
        revealed solution.
    unit : str, default=""
        Shown after the number. With ``unit="%"`` the question asks for a
        percentage and "34 %" is read as 34.

    Notes
    -----
    What a learner types is read by :func:`parse_number`: a comma is a decimal
    separator ("0,34" is 0.34; an ambiguous "1,200" is 1.2 and the feedback
    says how it was read), spaces separate thousands ("1 200"), and a trailing
    "%" divides by 100 unless the unit is "%".

    A wrong answer gets one hint, the first that applies in this order: it is
    a distractor (named, with its own hint); it is off by a factor of 100
    (fraction versus percentage); a question-specific hint; the sign; and only
    as the fallback, too high or too low.

    Examples
    --------
    >>> q = NumericQuestion("Attack success, as a fraction?", answer=0.91, tolerance=0.005,
    ...                     distractors={"the clean test accuracy": 0.994},
    ...                     explanation="The trigger flips most test digits to the target.")
    >>> q.check("0,91")
    Feedback(correct): Correct: 0.91 (read '0,91' as 0.91: a comma is a decimal separator). The trigger flips most test digits to the target.
    >>> q.check(0.994).message
    'Not quite: 0.994 is the clean test accuracy, not what the question asks for.'
    >>> q.check(91).hint
    'You are off by a factor of 100: is the question asking for a fraction or a percentage?'
    >>> q.check("91 %").correct
    True
    >>> flags = NumericQuestion("False alarms among 56 flagged rows (precision 0.68)?", answer=18, tolerance=0.5,
    ...                     distractors={"the flagged rows that were flipped": 38},
    ...                     distractor_hints={"the flagged rows that were flipped": "Those are the true alarms."})
    >>> flags.check(38).hint
    'Those are the true alarms.'
    """

    kind = "numeric"
    _distractor_values: dict[str, float] | None  # computed on first use

    def __init__(self, prompt: str, *, answer: float | Callable[[], float], tolerance: float = 1e-9,
                 rel_tolerance: float = 0.0, hints: Iterable[tuple[Callable[[float, float], bool], str]] = (),
                 distractors: Mapping[str, float | Callable[[], float]] | None = None,
                 distractor_hints: Mapping[str, str] | None = None, explanation: str = "",
                 unit: str = "", key: str | None = None) -> None:
        super().__init__(prompt, explanation=explanation, key=key)
        if tolerance < 0 or rel_tolerance < 0:
            raise LifecycleKitError("tolerance and rel_tolerance must be non-negative")
        self._answer = answer
        self._expected = None
        self.tolerance = tolerance
        self.rel_tolerance = rel_tolerance
        self.hints = list(hints)
        self.distractors = dict(distractors or {})
        self.distractor_hints = dict(distractor_hints or {})
        unknown = set(self.distractor_hints) - set(self.distractors)
        if unknown:
            raise LifecycleKitError(f"distractor_hints name no distractor: {sorted(unknown)}")
        self._distractor_values = None
        self.unit = unit

    @property
    def expected(self):
        if self._expected is None:
            value = self._answer() if callable(self._answer) else self._answer
            self._expected = float(value)
        return self._expected

    def distractor_values(self) -> dict[str, float]:
        """``{label: value}`` of the distractors, computed on first use.

        Raises
        ------
        LifecycleKitError
            If a distractor is within the tolerance of the expected answer.
        """
        if self._distractor_values is None:
            values = {}
            for label, value in self.distractors.items():
                value = float(value() if callable(value) else value)
                if self._close(value, self.expected):
                    raise LifecycleKitError(
                        f"question {self.key or self.prompt[:40]!r}: distractor {label!r} ({value:.6g}) is within the "
                        f"tolerance of the answer ({self.expected:.6g}); the question cannot tell them apart")
                values[label] = value
            self._distractor_values = values
        return self._distractor_values

    def verdict(self, answer: Any, *, lang: str | None = None) -> Feedback:
        if not is_unanswered(answer):
            self.distractor_values()  # an authoring error must surface, not read as the learner's mistake
        return super().verdict(answer, lang=lang)

    def _close(self, given, expected):
        return math.isclose(given, expected, rel_tol=self.rel_tolerance, abs_tol=self.tolerance)

    def _check(self, answer):
        note = None
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            try:
                answer, note = parse_number(answer, percent_unit=self.unit.strip() == "%")
            except ValueError:
                return Feedback("invalid", _("Expected a number; got {answer}.", answer=repr(answer)),
                                hint=_("Type the number alone, for example 0.25, 0,25 or 1200."))
        given = float(answer)
        if not math.isfinite(given):
            return Feedback("invalid", _("Expected a finite number; got {answer}.", answer=given))
        expected = self.expected
        read = f" ({note})" if note else ""
        if self._close(given, expected):
            return self._correct(_("Correct: {value}.", value=f"{_format_number(expected)}{self._unit_text()}{read}"))
        shown = f"{_format_number(given)}{read}"
        message = _("Not quite: {value} is not it.", value=shown)
        matched = self._matched_distractors(given, shown)
        if matched:
            return matched
        if expected != 0 and (self._close(given / 100, expected) or self._close(given * 100, expected)):
            return Feedback("incorrect", message,
                            hint=_("You are off by a factor of 100: is the question asking for a fraction or a "
                                   "percentage?"))
        for when, text in self.hints:
            if when(given, expected):
                return Feedback("incorrect", message, hint=text)
        if expected != 0 and self._close(-given, expected):
            return Feedback("incorrect", message, hint=_("Check the sign."))
        return Feedback("incorrect", message, hint=_("Too high: recount.") if given > expected else _("Too low: recount."))

    def _matched_distractors(self, given, shown):
        """The feedback for an answer that is one (or several) of the distractors, or None."""
        as_is, as_percentage = [], []
        for label, value in self.distractor_values().items():
            if self._close(given, value):
                as_is.append(label)
            elif abs(given) >= 1 >= abs(value) and value != 0 and self._close(given / 100, value):
                as_percentage.append(label)  # a fraction typed as a percentage: 99.4 for 0.994, never 0.85 for 0.01
        labels = as_is or as_percentage
        if not labels:
            return None
        hints = list(dict.fromkeys(_(self.distractor_hints[label]) for label in labels
                                   if label in self.distractor_hints))
        hint = " ".join(hints) if hints else _("Re-read the question: which quantity does it name?")
        if len(labels) > 1:  # two wrong computations give this number: name both, the learner knows which it was
            named = "; ".join(_(label) for label in labels)
            message = (_("Not quite: {value} is each of these, and none is what the question asks for: {labels}.",
                         value=shown, labels=named) if as_is else
                       _("Not quite: {value} is each of these as a percentage, and none is what the question asks "
                         "for: {labels}.", value=shown, labels=named))
        elif as_is:
            message = _("Not quite: {value} is {label}, not what the question asks for.", value=shown,
                        label=_(labels[0]))
        else:
            message = _("Not quite: {value} is {label} as a percentage, not what the question asks for.", value=shown,
                        label=_(labels[0]))
        return Feedback("incorrect", message, hint=hint)

    def _unit_text(self):
        # A unit in words (" rows") is said in the learner's language; "%" is the same in every language.
        return _(self.unit) if self.unit.strip() not in ("", "%") else self.unit

    def _answer_text(self):
        return f"{_format_number(self.expected)}{self._unit_text()}"


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

    def __init__(self, prompt: str, *, options: Mapping[str | int, str], correct: str | int | Collection[str | int],
                 hints: Mapping[str | int, str] | None = None, explanation: str = "", key: str | None = None) -> None:
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
            raise LifecycleKitError(_("pick exactly one option"))
        out = set()
        for p in picked:
            key = p.strip() if isinstance(p, str) else p
            if key not in self.options:
                # Accept the option's text as well as its key.
                # The option's text is accepted in English and in the learner's language.
                matches = [k for k, text in self.options.items()
                           if str(key).lower() in (str(text).strip().lower(), _(text).strip().lower())]
                if not matches:
                    raise LifecycleKitError(_("'{answer}' is not an option; choose from {options}", answer=p,
                                              options=", ".join(map(str, self.options))))
                key = matches[0]
            out.add(key)
        return frozenset(out)

    def _check(self, answer):
        picked = self._normalise(answer)
        if picked == self.correct:
            return self._correct(_("Correct."))
        wrong = sorted(picked - self.correct, key=list(self.options).index)
        hint = next((self.hints[k] for k in wrong if k in self.hints), None)
        if self.multiple:
            found = len(picked & self.correct)
            status = "partial" if found and not wrong else "incorrect"
            picked_text = ngettext("You picked {found} of the {n} right option",
                                   "You picked {found} of the {n} right options", len(self.correct), found=found)
            if wrong:
                message = ngettext("{picked} and {n} wrong one.", "{picked} and {n} wrong ones.", len(wrong),
                                   picked=picked_text)
            else:
                message = f"{picked_text}."
            if hint is None and not wrong:
                hint = _("Some right options are still missing: read each remaining one against the question.")
            return Feedback(status, message, hint=hint or _("Reconsider the options you picked."))
        return Feedback("incorrect", _("Not '{answer}'.", answer=self._named(wrong[0])),
                        hint=hint or _("Re-read the question and the options."))

    def _named(self, key):
        # An option is named by the letter it is shown with ("б"), its text cut to a readable length after it; a
        # key that is its own text (a source's name) by that text. A key ("same") is an identifier, never shown.
        text = str(_(self.options[key]))
        if str(key).strip() == str(self.options[key]).strip():
            return text
        short = text if len(text) <= 60 else text[:59].rstrip() + "…"
        return f"{option_letter(list(self.options).index(key))}) {short}"

    def _answer_text(self):
        keys = [k for k in self.options if k in self.correct]
        return "; ".join(str(self.options[k]) if str(k).strip() == str(self.options[k]).strip()
                         else f"{option_letter(list(self.options).index(k))}) {_(self.options[k])}" for k in keys)


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
    solution_code : str, default=None
        The right answer as code, where the answer is an object the learner builds in a cell: the solutions
        notebook fills the cell with it (``tools/build_solutions.py``).
    """

    kind = "check"

    def __init__(self, prompt: str, *, checker: Callable[[Any], tuple[bool, str]], solution_text: str,
                 explanation: str = "", key: str | None = None, solution_code: str | None = None) -> None:
        super().__init__(prompt, explanation=explanation, key=key)
        self.checker = checker
        self.solution_text = solution_text
        self.solution_code = solution_code

    def _check(self, answer):
        ok, message = self.checker(answer)
        if ok:
            return self._correct(_("Correct. {message}", message=_(message) if message else "").strip())
        return Feedback("incorrect", _("Not yet."), hint=message)

    def _answer_text(self):
        return _(self.solution_text)
