"""What a question tells the rest of the course when a learner answers it.

A :class:`~lifecycle_kit.course.exercises.Question` that knows its notebook and
key announces every check and every reveal of its solution as an
:class:`AnswerEvent`; it does not know who listens. The progress file
(:mod:`lifecycle_kit.course.progress`) is one listener; a test or an
instructor's tool can add its own. A listener that fails is ignored: an answer
is always checked, whatever happens to its record.

>>> from lifecycle_kit.course.events import AnswerEvent, announce, listen, stop_listening
>>> heard = []
>>> listen(heard.append)
>>> announce(AnswerEvent("04_data_acquisition", "backdoor_success", "check", "correct"))
>>> heard[0].status
'correct'
>>> stop_listening(heard.append)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = ["AnswerEvent", "announce", "listen", "stop_listening"]


@dataclass(frozen=True)
class AnswerEvent:
    """One check of an answer, or one reveal of a solution.

    Attributes
    ----------
    notebook : str
        The notebook's name without ``.ipynb`` (``"04_data_acquisition"``).
    question : str
        The question's key in that notebook.
    event : {"check", "reveal", "skip", "commit"}
        ``"skip"``: the learner chose not to answer (the pre-test, see
        :mod:`lifecycle_kit.course.assessment`). ``"commit"``: the learner
        committed to an answer that is judged later (the capstone's suspect,
        before any evidence is shown).
    status : str
        The feedback's status for a check (``"correct"``, ``"incorrect"``, ...);
        ``"unanswered"`` for a reveal, a skip and a commitment.
    detail : dict, default=None
        A few counts or flags about the answer, never the answer itself
        (``{"reason_words": 12}``); see :mod:`lifecycle_kit.course.progress`.
    """

    notebook: str
    question: str
    event: Literal["check", "reveal", "skip", "commit"]
    status: str
    detail: dict[str, int | bool] | None = None


_listeners: list[Callable[[AnswerEvent], object]] = []


def listen(listener: Callable[[AnswerEvent], object]) -> None:
    """Call ``listener(event)`` on every answer from now on (once, however often it is added)."""
    if listener not in _listeners:
        _listeners.append(listener)


def stop_listening(listener: Callable[[AnswerEvent], object]) -> None:
    """Stop calling ``listener`` (nothing happens if it was not listening)."""
    if listener in _listeners:
        _listeners.remove(listener)


def announce(event: AnswerEvent) -> None:
    """Tell every listener; a listener's failure never reaches the learner's check."""
    for listener in list(_listeners):
        try:
            listener(event)
        except Exception:  # noqa: BLE001 - a record is a side effect; the check must still answer
            pass
