"""A learner's progress summed per notebook, against the course's catalogue of questions.

:mod:`lifecycle_kit.course.progress` records and reads answers and knows nothing
of the course's questions; this module puts the records beside the catalogue
(:mod:`lifecycle_kit.course.selfchecks`) and the stage map
(:mod:`lifecycle_kit.course.stages`), so a notebook whose questions were never
answered still shows, with zeros.

>>> import os, tempfile
>>> from lifecycle_kit.course.progress import read_progress, record
>>> path = os.path.join(tempfile.mkdtemp(), "progress.jsonl")
>>> _ = record("04_data_acquisition", "backdoor_success", event="check", status="correct", path=path)
>>> summary = summarise_progress(read_progress(path)).set_index("notebook")
>>> int(summary.loc["04_data_acquisition", "answered_right"]), int(summary.loc["05_data_preparation", "answered"])
(1, 0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lifecycle_kit.course.progress import question_outcomes
from lifecycle_kit.i18n import N_

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["notebook_questions", "stage_label", "summarise_progress"]


def notebook_questions() -> dict[str, list[str]]:
    """``{notebook: [question keys]}`` of the course, in course order."""
    from lifecycle_kit.course.selfchecks import for_notebook, notebooks

    return {nb: list(for_notebook(nb)) for nb in notebooks()}


# Notebooks (and the two tests) that are not stages of the life cycle; labels in English, said in the reader's
# language where shown (lifecycle_kit.labs.progress_lab).
_OTHER_LABELS = {"pre_test": N_("Pre-test"), "00_start_here": N_("Start here"), "12_closing": N_("Closing"),
                 "post_test": N_("Post-test")}


def stage_label(notebook: str) -> str:
    """The stage a notebook teaches, as its label ("4. Data acquisition"); "Start here" for 00, "Pre-test"..."""
    from lifecycle_kit.course.stages import list_stages

    for stage in list_stages():
        if stage.notebook.removesuffix(".ipynb") == notebook:
            return stage.label
    return str(_OTHER_LABELS.get(notebook, notebook))




def summarise_progress(frame: pd.DataFrame, *, user: str | None = None) -> pd.DataFrame:
    """A learner's progress per stage: questions, answered right, right at the first try, solutions revealed.

    Parameters
    ----------
    frame : pandas.DataFrame
        As returned by :func:`~lifecycle_kit.course.progress.read_progress` (one learner's file).
    user : str, default=None
        Keep only this user's records. By default every record counts as the same
        learner's: a progress file belongs to one person, even if it holds two
        user names (a laptop and a hub login).

    Returns
    -------
    pandas.DataFrame
        One row per notebook of the course (the pre-test, start here, the ten
        stages of ISO/IEC 8183, the capstone, the closing notebook and the
        post-test), in course order, with columns ``stage,
        notebook, questions, answered, answered_right, first_try_right,
        revealed``. ``questions`` is the number of self-checks the notebook has;
        the others count questions, not attempts.
    """
    import pandas as pd

    if user is not None:
        frame = frame[frame["user"] == user]
    frame = frame.assign(user="learner")
    outcomes = question_outcomes(frame)
    known = notebook_questions()
    extra = [nb for nb in dict.fromkeys(outcomes["notebook"]) if nb not in known]
    rows = []
    for notebook in [*known, *sorted(extra)]:
        mine = outcomes[outcomes["notebook"] == notebook]
        asked = set(known.get(notebook, [])) | set(mine["question"])
        rows.append({
            "stage": stage_label(notebook),
            "notebook": notebook,
            "questions": len(asked),
            "answered": int((mine["checks"] > 0).sum()),
            "answered_right": int(mine["answered_right"].sum()),
            "first_try_right": int(mine["first_try_right"].sum()),
            "revealed": int(mine["revealed"].sum()),
        })
    return pd.DataFrame(rows, columns=["stage", "notebook", "questions", "answered", "answered_right",
                                       "first_try_right", "revealed"])
