"""The pre-test, the post-test and the recall questions: items of the bank, asked like any other question.

``for_notebook("pre_test")`` and ``for_notebook("post_test")``
(:mod:`lifecycle_kit.course.selfchecks`) return the two parallel forms of the
item bank (:mod:`lifecycle_kit.course.selfchecks.item_bank`) as
:class:`AssessmentQuestion` objects; each stage notebook from 02 on also holds
its recall questions (keys ``recall_...``, :data:`~lifecycle_kit.course.selfchecks.item_bank.RECALL_PLAN`).
Every answer is recorded in the learner's progress file as usual
(:mod:`lifecycle_kit.course.progress`).

The two tests are sealed until the post-test is done: a check of a pre- or
post-test item records the verdict but shows only that the answer was recorded,
and its solution is withheld. "Done" is read from the learner's progress records
(every post-test item answered), and from the answers heard in this session when
recording is off. The learner sees their score (:func:`learner_assessment`);
after the post-test, both forms are explained. The seal is a course rule, not a
lock: the answers are in the package's source, as for every self-check, so the
pre-test is a diagnosis for the learner, not an exam.

The pre-test can be skipped: :func:`skip_pre_test` records a ``skip`` for each
item not yet answered, and the pre-test then has no score.

Examples
--------
>>> import os, tempfile
>>> from lifecycle_kit.course.selfchecks import for_notebook
>>> before = os.environ.get("LIFECYCLE_KIT_PROGRESS_FILE")
>>> os.environ["LIFECYCLE_KIT_PROGRESS_FILE"] = os.path.join(tempfile.mkdtemp(), "progress.jsonl")
>>> forget_session()
>>> pre = for_notebook("pre_test")
>>> item = pre["04_manifest_rewrite"]
>>> wrong = next(k for k in item.options if k != item.item.correct)
>>> item.check(wrong).status  # recorded, verdict withheld
'recorded'
>>> item.solution().sealed
True
>>> post = for_notebook("post_test")
>>> for key, question in post.items():
...     _ = question.check(question.item.correct)
>>> item.check(wrong).status  # the post-test is done: the verdict is shown
'incorrect'
>>> summary = learner_assessment()
>>> summary.pre.status, summary.post.score
('partial', 1.0)
>>> forget_session(); os.environ["LIFECYCLE_KIT_PROGRESS_FILE"] = before or ""
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lifecycle_kit.course.events import AnswerEvent, announce, listen
from lifecycle_kit.course.exercises import ChoiceQuestion, Feedback, Solution
from lifecycle_kit.course.selfchecks.item_bank import (
    OBJECTIVES,
    RECALL_PLAN,
    Item,
    get_item,
    items_of_form,
    objective_notebook,
)
from lifecycle_kit.i18n import _, get_language, language

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["POST_TEST", "PRE_TEST", "AssessmentQuestion", "FormStatus", "LearnerAssessment", "bank_items",
           "form_keys", "form_questions", "forget_session", "learner_assessment", "post_test_done",
           "recall_questions", "skip_pre_test"]

#: The pre-test's notebook name in the progress file (form A of the item bank, taken in 00_start_here).
PRE_TEST = "pre_test"
#: The post-test's notebook name in the progress file (form B, taken in 12_closing).
POST_TEST = "post_test"
_FORMS = {PRE_TEST: "A", POST_TEST: "B"}
RECALL_PREFIX = "recall_"

# (notebook, question, event) heard in this session: with recording off, the post-test answered in this kernel
# still opens the explanations.
_heard: set[tuple[str, str, str]] = set()


def _hear(event: AnswerEvent) -> None:
    if event.notebook in _FORMS:
        _heard.add((event.notebook, event.question, event.event))


listen(_hear)


def forget_session() -> None:
    """Forget the answers heard in this session (the progress file is not touched)."""
    _heard.clear()


def form_keys(form: str) -> list[str]:
    """The item keys of ``"pre_test"`` or ``"post_test"``, in course order."""
    return [item.key for item in items_of_form(_FORMS[form])]


def bank_items() -> dict[tuple[str, str], Item]:
    """``{(notebook, question key): item}`` of every assessment question the course asks (tests and recall)."""
    out = {}
    for form, letter in _FORMS.items():
        out.update({(form, item.key): item for item in items_of_form(letter)})
    for notebook, keys in RECALL_PLAN.items():
        out.update({(notebook, RECALL_PREFIX + key): get_item(key) for key in keys})
    return out


def _own_records():
    """This learner's progress records (the whole file is one learner's), or None when they cannot be read."""
    from lifecycle_kit.course.progress import progress_file, read_progress
    from lifecycle_kit.errors import LifecycleKitError

    path = progress_file()
    if not os.path.exists(path):
        return None
    try:
        return read_progress(path)
    except (LifecycleKitError, OSError):
        return None  # a damaged file keeps the tests sealed; `lifecycle-kit progress` names the line


def post_test_done(records: pd.DataFrame | None = None) -> bool:
    """Whether every post-test item has been answered (in ``records``, default the learner's file, or this session).

    Examples
    --------
    >>> import pandas as pd
    >>> post_test_done(pd.DataFrame({"user": ["ada"], "notebook": ["post_test"], "question": ["x"],
    ...                              "event": ["check"], "correct": [True], "attempt": [1]}))
    False
    """
    keys = set(form_keys(POST_TEST))
    if keys <= {q for nb, q, event in _heard if nb == POST_TEST and event == "check"}:
        return True
    if records is None:
        records = _own_records()
    if records is None or not len(records):
        return False
    checked = records[(records["notebook"] == POST_TEST) & (records["event"] == "check")]
    return keys <= set(checked["question"])


class AssessmentQuestion(ChoiceQuestion):
    """An item of the bank asked as a question: a choice question that knows its objective.

    Parameters
    ----------
    item : Item
    sealed_until_post_test : bool
        True for the pre- and post-test: until the post-test is done, a check
        records the verdict but answers ``Feedback("recorded", ...)``, and the
        solution is withheld. Recall questions are not sealed.

    Attributes
    ----------
    item : Item
    objective : str
        The item's objective id (``"04.2"``).
    """

    def __init__(self, item: Item, *, sealed_until_post_test: bool) -> None:
        options: dict[str | int, str] = {k: v for k, v in item.options.items()}
        hints: dict[str | int, str] = {k: v for k, v in item.hints.items()}
        super().__init__(item.prompt, options=options, correct=item.correct, hints=hints,
                         explanation=item.explanation)
        self.item = item
        self.sealed_until_post_test = sealed_until_post_test

    @property
    def objective(self) -> str:
        return self.item.objective

    def is_sealed(self) -> bool:
        """Whether the verdict and the solution are withheld now (from the progress records)."""
        return self.sealed_until_post_test and not post_test_done()

    def check(self, answer: Any, *, lang: str | None = None) -> Feedback:
        feedback = self.verdict(answer, lang=lang)
        self._record("check", feedback.status)  # the verdict is recorded, sealed or not
        if feedback.status in ("unanswered", "invalid") or not self.is_sealed():
            return feedback
        with language(lang):
            return Feedback("recorded", _("Answer recorded. Your score is shown when the test is submitted; the "
                                          "explanations open once you have done the post-test (notebook 12)."),
                            lang=get_language())

    def solution(self, *, lang: str | None = None) -> Solution:
        if not self.is_sealed():
            return super().solution(lang=lang)
        with language(lang):
            return Solution(_("the solution opens once you have done the post-test (notebook 12)."), "",
                            lang=get_language(), sealed=True)


def form_questions(form: str) -> dict[str, AssessmentQuestion]:
    """The questions of ``"pre_test"`` (form A) or ``"post_test"`` (form B), keyed by item key."""
    return {item.key: AssessmentQuestion(item, sealed_until_post_test=True) for item in items_of_form(_FORMS[form])}


def recall_questions(notebook: str) -> dict[str, AssessmentQuestion]:
    """The recall questions a stage notebook opens with (``{"recall_<item key>": question}``; none before 02)."""
    return {RECALL_PREFIX + key: AssessmentQuestion(get_item(key), sealed_until_post_test=False)
            for key in RECALL_PLAN.get(notebook, ())}


def skip_pre_test() -> int:
    """Record that the learner skips the pre-test: a ``skip`` for each of its items not yet answered.

    Returns the number of items skipped (0 when every item was already answered).
    A skipped pre-test has no score, and a pre-test answered after a skip does not
    count: it would no longer measure what the learner knew before the course.
    """
    answered = {q for nb, q, event in _heard if nb == PRE_TEST and event == "check"}
    records = _own_records()
    if records is not None and len(records):
        mine = records[(records["notebook"] == PRE_TEST) & (records["event"] == "check")]
        answered |= set(mine["question"])
    skipped = [key for key in form_keys(PRE_TEST) if key not in answered]
    for key in skipped:
        announce(AnswerEvent(PRE_TEST, key, "skip", "unanswered"))  # the progress file listens
    return len(skipped)


@dataclass(frozen=True)
class FormStatus:
    """One learner's state on a test form.

    Attributes
    ----------
    form : {"pre_test", "post_test"}
    status : {"not taken", "partial", "skipped", "complete"}
    items, answered, right : int
        Items in the form; answered; right at the first answer.
    score : float
        ``right / items`` when complete, else NaN.
    """

    form: str
    status: str
    items: int
    answered: int
    right: int
    score: float


@dataclass(frozen=True)
class LearnerAssessment:
    """A learner's pre- and post-test, their normalised gain, and the objectives to revisit.

    Attributes
    ----------
    pre, post : FormStatus
    gain : float
        Hake's normalised gain (:func:`lifecycle_kit.course.item_analysis.normalized_gain`);
        NaN unless both forms are complete, and when the pre-test score is 1.
    sealed : bool
        True until the post-test is done: item verdicts are withheld.
    revisit : pandas.DataFrame
        Columns ``objective, notebook, text`` (the objective as its Orientation names it,
        in English): objectives whose latest answered item (post-test, then recall, then
        pre-test once unsealed) was wrong at the first try.
    """

    pre: FormStatus
    post: FormStatus
    gain: float
    sealed: bool
    revisit: pd.DataFrame


def learner_assessment(records: pd.DataFrame | None = None) -> LearnerAssessment:
    """The pre- and post-test of one learner, from their progress records (default: their file).

    Every record counts as the same learner's (a progress file belongs to one
    person, see :func:`lifecycle_kit.course.summary.summarise_progress`).
    """
    import pandas as pd

    from lifecycle_kit.course.item_analysis import form_scores, learner_gains
    from lifecycle_kit.course.progress import question_outcomes, read_progress

    if records is None:
        records = _own_records()
    if records is None:
        records = read_progress([])
    records = records.assign(user="learner")
    pre_keys, post_keys = form_keys(PRE_TEST), form_keys(POST_TEST)
    gains = learner_gains(records, pre=(PRE_TEST, pre_keys), post=(POST_TEST, post_keys))
    scores = form_scores(records, {PRE_TEST: pre_keys, POST_TEST: post_keys}).set_index("form")

    def status(form, keys):
        if form not in scores.index:
            return FormStatus(form, "not taken", len(keys), 0, 0, math.nan)
        row = scores.loc[form]
        return FormStatus(form, str(row["status"]), int(row["items"]), int(row["answered"]), int(row["right"]),
                          float(row["score"]))

    pre, post = status(PRE_TEST, pre_keys), status(POST_TEST, post_keys)
    if len(gains):  # the pre-test as counted for the gain (answers after the post-test began left out)
        row = gains.iloc[0]
        pre = FormStatus(PRE_TEST, str(row["pre_status"]), pre.items, pre.answered, pre.right,
                         float(row["pre_score"]))
    gain = float(gains["normalized_gain"].iloc[0]) if len(gains) else math.nan
    sealed = not post_test_done(records)
    items = bank_items()
    outcomes = question_outcomes(records)
    priority = {"B": 0, "R": 1, "A": 2}
    latest: dict[str, tuple[int, bool]] = {}
    for nb, question, checks, right in zip(outcomes["notebook"], outcomes["question"], outcomes["checks"],
                                           outcomes["first_try_right"]):
        item = items.get((nb, question))
        if item is None or not checks or (sealed and item.form != "R"):
            continue
        rank = priority[item.form]
        if item.objective not in latest or rank < latest[item.objective][0]:
            latest[item.objective] = (rank, bool(right))
    wrong = sorted(objective for objective, (_rank, right) in latest.items() if not right)
    revisit = pd.DataFrame({"objective": wrong, "notebook": [objective_notebook(o) for o in wrong],
                            "text": [str(OBJECTIVES[o]) for o in wrong]}, columns=["objective", "notebook", "text"])
    return LearnerAssessment(pre, post, gain, sealed, revisit)
