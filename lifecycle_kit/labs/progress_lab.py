"""ProgressLab: the learner's own self-check progress per stage, refreshed on demand."""

from lifecycle_kit import _html
from lifecycle_kit.labs.base import Lab

__all__ = ["ProgressLab"]


class ProgressLab(Lab):
    """Your progress: per stage, questions answered right, right at the first try, solutions revealed.

    Every self-check you answer (in a widget or in code) is recorded in your
    progress file (:mod:`lifecycle_kit.progress`); press *Refresh* after
    answering more.

    Parameters
    ----------
    path : str or Path, default=None
        The progress file to show (default: yours, :func:`lifecycle_kit.progress.progress_file`).

    Attributes
    ----------
    result : pandas.DataFrame
        :func:`lifecycle_kit.progress.summarise_progress` of the file, one row per notebook.

    Examples
    --------
    >>> import os, tempfile
    >>> from lifecycle_kit.progress import record
    >>> path = os.path.join(tempfile.mkdtemp(), "progress.jsonl")
    >>> lab = ProgressLab(path=path)
    >>> int(lab.result["answered_right"].sum())
    0
    >>> _ = record("00_start_here", "trust_stage", event="check", status="correct", path=path)
    >>> lab.controls["refresh"].click()
    >>> int(lab.result["answered_right"].sum()), int(lab.result["first_try_right"].sum())
    (1, 1)
    """

    title = "Your progress"
    intro = ("Every self-check you answer is recorded here: per stage, the questions answered right, those right "
             "at the first try, and the solutions you revealed. Only the verdicts are kept, never your answers.")
    cache_size = 0  # the file changes between refreshes: always read it again

    def __init__(self, *, path=None, lang=None):
        self.path = path
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        button = widgets.Button(description="Refresh", icon="refresh", tooltip="read the progress file again")
        button.on_click(lambda _: self.update())
        return {"refresh": button}

    def _file(self):
        from lifecycle_kit.progress import progress_file

        return progress_file() if self.path is None else self.path

    def compute(self):
        import os

        from lifecycle_kit.progress import read_progress, summarise_progress

        path = self._file()
        # Nothing recorded yet is not an error: show the course ahead, all at zero.
        return summarise_progress(read_progress(path if os.path.exists(path) else []))

    def summarize(self, result):
        from lifecycle_kit.progress import recording_enabled

        questions, right = int(result["questions"].sum()), int(result["answered_right"].sum())
        text = (f"<b>{right}</b> of {questions} questions answered right; "
                f"<b>{int(result['first_try_right'].sum())}</b> at the first try; "
                f"<b>{int(result['revealed'].sum())}</b> solution(s) revealed.")
        if not recording_enabled():
            text += " <i>Recording is off (LIFECYCLE_KIT_PROGRESS).</i>"
        return text

    def render(self, result):
        shares = [(r / q if q else 0.0) for r, q in zip(result["answered_right"], result["questions"])]
        chart = _html.bar_chart_svg(list(result["stage"]), shares, title="Answered right, per stage",
                                    value_format="{:.0%}")
        table = result.drop(columns="notebook").rename(columns={
            "answered_right": "answered right", "first_try_right": "right at first try"})
        return [chart, table, f"<p class='lk-muted' style='color:#5f6368'>Progress file: "
                              f"{_html.esc(self._file())}</p>"]
