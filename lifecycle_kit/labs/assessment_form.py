"""AssessmentForm: the pre-test or the post-test as one form — answer, submit, see your score."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _, ngettext
from lifecycle_kit.labs.base import Lab
from lifecycle_kit.labs.self_check import BUTTON_LAYOUT, option_label

if TYPE_CHECKING:
    import pandas as pd

    from lifecycle_kit.course.assessment import FormStatus

__all__ = ["AssessmentForm", "FormResult"]

TITLES = {"pre_test": N_("Pre-test: what do you know already?"),
          "post_test": N_("Post-test: what have you learned?")}
INTROS = {"pre_test": N_("One question per stage. Answer what you can and submit: only your first answers count, you "
                         "see your score, and the explanations stay closed until you have done the post-test at the "
                         "end of the course. Or skip the pre-test: the skip is recorded, and the pre-test then has no "
                         "score."),
          "post_test": N_("One question per stage, parallel to the pre-test's (a new case, the same objective). "
                          "Answer every question and submit: you see your score, your normalised gain, and then both "
                          "tests explained.")}


@dataclass(frozen=True)
class FormResult:
    """What the form shows.

    Attributes
    ----------
    state : FormStatus
        The learner's state on this form, from their progress records.
    selected : int
        Questions with an answer selected in the form now.
    sealed : bool
        True until the post-test is done: no verdict, no explanation.
    gain : float
        The normalised gain (NaN unless both tests are complete and the pre-test below 1).
    review : pandas.DataFrame or None
        Once unsealed: both forms, one row per item (``test, stage, question, answer,
        right_at_first_answer, explanation``).
    """

    state: FormStatus
    selected: int
    sealed: bool
    gain: float
    review: pd.DataFrame | None


class AssessmentForm(Lab):
    """The pre-test (``"pre_test"``) or the post-test (``"post_test"``) of the course, as one form.

    Each question is a set of options; *Submit* checks the selected answers of
    the questions not answered before (their verdicts are recorded in your
    progress file, :mod:`lifecycle_kit.course.progress`) and shows your score.
    Until the post-test is done, no verdict or explanation is shown; then both
    tests are reviewed, item by item. The pre-test has a *Skip* button.

    Parameters
    ----------
    form : {"pre_test", "post_test"}, default="pre_test"
    lang : str, default=None

    Attributes
    ----------
    questions : dict
        ``for_notebook(form)``: the form's questions by key.
    result : FormResult

    Examples
    --------
    >>> import os, tempfile
    >>> from lifecycle_kit.course.assessment import forget_session
    >>> before = os.environ.get("LIFECYCLE_KIT_PROGRESS_FILE")
    >>> os.environ["LIFECYCLE_KIT_PROGRESS_FILE"] = os.path.join(tempfile.mkdtemp(), "progress.jsonl")
    >>> forget_session()
    >>> lab = AssessmentForm("pre_test")
    >>> lab.result.state.status, lab.result.sealed
    ('not taken', True)
    >>> for key, question in lab.questions.items():
    ...     lab.controls[key].value = question.item.correct
    >>> lab.controls["submit"].click()
    >>> lab.result.state.status, lab.result.state.score, lab.result.review is None
    ('complete', 1.0, True)
    >>> forget_session(); os.environ["LIFECYCLE_KIT_PROGRESS_FILE"] = before or ""
    """

    title = TITLES["pre_test"]  # each form sets its own title and intro
    intro = INTROS["pre_test"]
    cache_size = 0  # the progress file changes between presses: always read it again

    def __init__(self, form: str = "pre_test", *, lang: str | None = None) -> None:
        from lifecycle_kit.course.assessment import POST_TEST, PRE_TEST, AssessmentQuestion
        from lifecycle_kit.course.selfchecks import for_notebook

        if form not in (PRE_TEST, POST_TEST):
            raise LifecycleKitError(_("form must be 'pre_test' or 'post_test'; got {form!r}", form=form))
        self.form = form
        self.title = TITLES[form]
        self.intro = INTROS[form]
        self.questions = {key: q for key, q in for_notebook(form).items() if isinstance(q, AssessmentQuestion)}
        self.message = ""
        super().__init__(lang=lang)

    def _make_controls(self) -> dict[str, Any]:
        import ipywidgets as widgets

        controls: dict[str, Any] = {}
        for key, question in self.questions.items():
            controls[key] = widgets.RadioButtons(
                options=[(option_label(k, _(text)), k) for k, text in question.options.items()], value=None,
                description=_("Answer"), style={"description_width": "initial"},
                layout={"width": "auto", "max_width": "100%"})
        controls["submit"] = widgets.Button(description=_("Submit"), button_style="primary",
                                            tooltip=_("record your answers and see your score"), layout=BUTTON_LAYOUT)
        controls["submit"].on_click(lambda _button: self.submit())
        if self.form == "pre_test":
            controls["skip"] = widgets.Button(description=_("Skip the pre-test"),
                                              tooltip=_("record that you skip it: the pre-test then has no score"),
                                              layout=BUTTON_LAYOUT)  # as wide as its label («Пропустить входной тест»)
            controls["skip"].on_click(lambda _button: self.skip())
        return controls

    def _controls_box(self):
        import ipywidgets as widgets

        from lifecycle_kit.labs.self_check import _WRAP_CSS

        # Long options wrap as in a SelfCheck box (its own class: tests count SelfCheck boxes by theirs).
        wrap = _WRAP_CSS.replace(".lk-self-check", ".lk-assessment-questions")
        rows = []
        for number, (key, question) in enumerate(self.questions.items(), start=1):
            with self._speaking():
                prompt = _(question.prompt)
            rows.append(widgets.HTML(wrap + f"<b>{number}.</b> {html.escape(prompt)}"))
            rows.append(self.controls[key])
        buttons = [self.controls["submit"], *([self.controls["skip"]] if "skip" in self.controls else [])]
        box = widgets.VBox([*rows, widgets.HBox(buttons)])
        box.add_class("lk-assessment-questions")
        return box

    def _speaking(self):
        from lifecycle_kit.i18n import language

        return language(self.lang)

    def _answered(self):
        """Keys of this form's questions with a recorded answer (in the progress file or this session)."""
        from lifecycle_kit.course import assessment

        answered = {q for nb, q, event in assessment._heard if nb == self.form and event == "check"}
        records = assessment._own_records()
        if records is not None and len(records):
            mine = records[(records["notebook"] == self.form) & (records["event"] == "check")]
            answered |= set(mine["question"])
        return answered

    def submit(self) -> FormResult:
        """Check every selected answer of a question not answered before, then show the score."""
        done = self._answered()
        fresh = [key for key, question in self.questions.items()
                 if self.controls[key].value is not None and key not in done]
        for key in fresh:
            self.questions[key].check(self.controls[key].value, lang=self.lang)
        missing = sum(1 for key in self.questions if self.controls[key].value is None and key not in done)
        with self._speaking():
            self.message = ngettext("{n} answer recorded.", "{n} answers recorded.", len(fresh))
            if missing:
                self.message += " " + ngettext(
                    "{n} question is not answered yet: answer it and submit again.",
                    "{n} questions are not answered yet: answer them and submit again.", missing)
            if not fresh and not missing:
                self.message = _("Every answer was already recorded: only first answers count.")
        return self.update()

    def skip(self) -> FormResult:
        """Record that the learner skips the pre-test (every item not yet answered)."""
        from lifecycle_kit.course.assessment import skip_pre_test

        skipped = skip_pre_test()
        with self._speaking():
            self.message = ngettext("Skipped: {n} question recorded as skipped.",
                                    "Skipped: {n} questions recorded as skipped.", skipped)
        return self.update()

    def compute(self, **selected: Any) -> FormResult:
        from lifecycle_kit.course.assessment import learner_assessment

        tests = learner_assessment()
        state = tests.pre if self.form == "pre_test" else tests.post
        review = None if tests.sealed else self._review()
        return FormResult(state, sum(value is not None for value in selected.values()), tests.sealed, tests.gain,
                          review)

    def _review(self):
        """Both forms, item by item, with the right answer, the explanation and the learner's first answer."""
        import pandas as pd

        from lifecycle_kit.course.assessment import POST_TEST, PRE_TEST, _own_records
        from lifecycle_kit.course.progress import question_outcomes
        from lifecycle_kit.course.selfchecks import for_notebook

        records = _own_records()
        outcomes = question_outcomes(records.assign(user="learner")) if records is not None else None
        first = ({} if outcomes is None else
                 {(nb, q): bool(r) for nb, q, r, c in zip(outcomes["notebook"], outcomes["question"],
                                                          outcomes["first_try_right"], outcomes["checks"]) if c})
        rows = []
        for form, label in ((PRE_TEST, N_("pre-test")), (POST_TEST, N_("post-test"))):
            for key, question in for_notebook(form).items():
                right = first.get((form, key))
                rows.append({"test": _(label), "stage": question.item.stage, "question": _(question.prompt),
                             "answer": question._answer_text(),
                             "right_at_first_answer": "" if right is None else (_("yes") if right else _("no")),
                             "explanation": _(question.explanation)})
        return pd.DataFrame(rows).sort_values(["stage", "test"], kind="stable").reset_index(drop=True)

    def summarize(self, result: FormResult) -> str:
        state = result.state
        parts = []
        if state.status == "complete":
            parts.append(_("Your score: <b>{right}</b> of {items} right at the first answer ({share:.0%}).",
                           right=state.right, items=state.items, share=state.score))
        elif state.status == "skipped":
            parts.append(_("You skipped the pre-test: it has no score."))
        elif state.status == "partial":
            parts.append(_("{answered} of {items} questions answered; your score is shown when every question is "
                           "answered.", answered=state.answered, items=state.items))
        else:
            parts.append(_("Not taken yet: {selected} of {items} answers selected.", selected=result.selected,
                           items=state.items))
        if not math.isnan(result.gain):
            parts.append(_("Your normalised gain: <b>{gain:.2f}</b>.", gain=result.gain))
        parts.append(_("The explanations open once you have done the post-test (notebook 12).") if result.sealed
                     else _("Both tests are explained below."))
        if self.message:
            parts.insert(0, f"<i>{html.escape(self.message)}</i>")
        return " ".join(parts)

    def render(self, result: FormResult) -> list[Any]:
        if result.review is None:
            return []
        from lifecycle_kit import _html

        columns = {"test": _("test"), "stage": _("stage"), "question": _("question"), "answer": _("answer"),
                   "right_at_first_answer": _("right at your first answer"), "explanation": _("explanation")}
        return [_html.table_html(result.review.rename(columns=columns), max_rows=len(result.review))]
