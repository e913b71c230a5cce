"""ProgressLab: the learner's own self-check progress per stage, refreshed on demand."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lifecycle_kit import _html
from lifecycle_kit.course.summary import stage_label
from lifecycle_kit.i18n import N_, _, ngettext
from lifecycle_kit.labs.base import Lab, localise_frame
from lifecycle_kit.labs.self_check import BUTTON_LAYOUT

if TYPE_CHECKING:
    import os

    import pandas as pd

    from lifecycle_kit.course.assessment import LearnerAssessment

__all__ = ["ProgressLab"]

START_HERE = N_("Start here")
PROGRESS_COLUMNS = {"stage": N_("stage"), "questions": N_("questions"), "answered": N_("answered"),
                    "answered_right": N_("answered right"), "first_try_right": N_("right at first try"),
                    "revealed": N_("revealed")}


def _stage(label: str) -> str:
    """A stage label of lifecycle_kit.course.progress ("4. Data acquisition", "Capstone: ...") in the current language."""
    number, dot, name = label.partition(". ")
    if dot and number.isdigit():
        return _("{number}. {name}", number=number, name=_(name))
    if label.startswith("Capstone: "):
        return _("Capstone: {name}", name=_(label[len("Capstone: "):]))
    return _(label)


class ProgressLab(Lab):
    """Your progress: per stage, questions answered right, right at the first try, solutions revealed.

    Also your pre- and post-test scores, your normalised gain, and the objectives
    to revisit (:func:`lifecycle_kit.course.assessment.learner_assessment`).

    Every self-check you answer (in a widget or in code) is recorded in your
    progress file (:mod:`lifecycle_kit.course.progress`); press *Refresh* after
    answering more.

    Parameters
    ----------
    path : str or Path, default=None
        The progress file to show (default: yours, :func:`lifecycle_kit.course.progress.progress_file`).

    Attributes
    ----------
    result : pandas.DataFrame
        :func:`lifecycle_kit.course.summary.summarise_progress` of the file, one row per notebook.
    tests : LearnerAssessment
        The pre- and post-test (:func:`lifecycle_kit.course.assessment.learner_assessment`).

    Examples
    --------
    >>> import os, tempfile
    >>> from lifecycle_kit.course.progress import record
    >>> path = os.path.join(tempfile.mkdtemp(), "progress.jsonl")
    >>> lab = ProgressLab(path=path)
    >>> int(lab.result["answered_right"].sum())
    0
    >>> _ = record("00_start_here", "trust_stage", event="check", status="correct", path=path)
    >>> lab.controls["refresh"].click()
    >>> int(lab.result["answered_right"].sum()), int(lab.result["first_try_right"].sum())
    (1, 1)
    """

    title = N_("Your progress")
    intro = N_("Every self-check you answer is recorded here: per stage, the questions answered right, those right "
               "at the first try, and the solutions you revealed; your pre- and post-test scores, and the objectives "
               "to revisit. Only the verdicts are kept, never your answers.")
    cache_size = 0  # the file changes between refreshes: always read it again

    def __init__(self, *, path: str | os.PathLike[str] | None = None, lang: str | None = None) -> None:
        self.path = path
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        button = widgets.Button(description=_("Refresh"), icon="refresh", tooltip=_("read the progress file again"),
                                layout=BUTTON_LAYOUT)
        button.on_click(lambda _: self.update())
        return {"refresh": button}

    def _file(self):
        from lifecycle_kit.course.progress import progress_file

        return progress_file() if self.path is None else self.path

    def compute(self) -> pd.DataFrame:
        import os

        from lifecycle_kit.course.assessment import learner_assessment
        from lifecycle_kit.course.progress import read_progress
        from lifecycle_kit.course.summary import summarise_progress

        path = self._file()
        # Nothing recorded yet is not an error: show the course ahead, all at zero.
        records = read_progress(path if os.path.exists(path) else [])
        self.tests = learner_assessment(records)  # the pre- and post-test, and the objectives to revisit
        return summarise_progress(records)

    def summarize(self, result: pd.DataFrame) -> str:
        from lifecycle_kit.course.progress import recording_enabled

        questions, right = int(result["questions"].sum()), int(result["answered_right"].sum())
        revealed = int(result["revealed"].sum())
        text = _("<b>{right}</b> of {questions} questions answered right; <b>{first}</b> at the first try; {revealed}.",
                 right=right, questions=questions, first=int(result["first_try_right"].sum()),
                 revealed=ngettext("<b>{n}</b> solution revealed", "<b>{n}</b> solutions revealed", revealed))
        text += " " + _tests_text(self.tests)
        if not recording_enabled():
            text += " <i>" + _("Recording is off ({variable}).", variable="LIFECYCLE_KIT_PROGRESS") + "</i>"
        return text

    def render(self, result: pd.DataFrame) -> list[Any]:
        shares = [(r / q if q else 0.0) for r, q in zip(result["answered_right"], result["questions"])]
        stages = [_stage(s) for s in result["stage"]]
        chart = _html.bar_chart_svg(stages, shares, title=_("Answered right, per stage"), value_format="{:.0%}")
        table = localise_frame(result.drop(columns="notebook").assign(stage=stages), PROGRESS_COLUMNS)
        where = _("Progress file: {path}", path=_html.esc(self._file()))
        revisit = self.tests.revisit
        extra = []
        if len(revisit):
            extra.append("<p><b>" + _("Objectives to revisit") + "</b></p>" + _html.items_html(
                [f"{_stage(stage_label(nb))}: {_(text)}" for nb, text in zip(revisit["notebook"], revisit["text"])]))
        return [chart, table, *extra, f"<p class='lk-muted' style='color:#5f6368'>{where}</p>"]


def _tests_text(tests: LearnerAssessment) -> str:
    """The pre- and post-test in one line of HTML: scores when complete, and the gain."""
    import math

    def state(form):
        if form.status == "complete":
            return _("<b>{right}</b> of {items} ({share:.0%})", right=form.right, items=form.items, share=form.score)
        return {"skipped": _("skipped"), "partial": _("{answered} of {items} answered", answered=form.answered,
                                                              items=form.items)}.get(form.status, _("not taken yet"))

    text = _("Pre-test: {pre}; post-test: {post}.", pre=state(tests.pre), post=state(tests.post))
    if not math.isnan(tests.gain):
        text += " " + _("Normalised gain: <b>{gain:.2f}</b>.", gain=tests.gain)
    return text
