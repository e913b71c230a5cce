"""The capstone's hunt for a poisoned source, as an investigation that Run All cannot complete.

An :class:`Investigation` is a question of the capstone's catalogue
(:func:`lifecycle_kit.course.selfchecks.for_notebook`) whose steps the learner
takes in order, each an explicit call:

1. :meth:`~Investigation.commit` a suspect and a reason, before any evidence.
   Until then every piece of evidence passed through :meth:`~Investigation.show`
   is withheld: it shows a notice instead, so "Run All" on an untouched notebook
   names no source.
2. Weigh the evidence (shown once committed) and :meth:`~Investigation.review`
   the flagged records: a flag the learner does not mark is *skipped*, never
   accepted.
3. :meth:`~Investigation.reveal` the truth — a call the learner makes, not an
   output of Run All: which source was poisoned, whether the suspect was right,
   and the precision of the review on the flags actually reviewed.

What is recorded in the progress file (:mod:`lifecycle_kit.course.progress`,
schema 2) — never a suspect or a reason, which are answers:

- at the commitment, a ``commit`` line with ``{"reason_words": n}``;
- at the reveal, a ``check`` line: ``correct`` when the investigation was
  carried out in order (a suspect and a reason committed before any evidence,
  every flag of the review decided), ``partial`` when the review skipped flags;
  its detail says whether the suspect was right and how many flags were
  reviewed and skipped. A learner whose hunch was wrong still completes the
  investigation: the hunch is the starting point, the evidence the lesson.

The reason itself stays with the learner: in the notebook, and in the
lifecycle report (:meth:`~Investigation.to_frame`), both the learner's own files.

Examples
--------
>>> inv = Investigation("Which agency?", options=["a", "b", "c"], truth=lambda: {"source": "b", "flipped": 12,
...                                                                           "rate": 0.4, "trusted": True},
...                     explanation="The labels of b contradict the other agencies on the same birds.")
>>> print(inv.show("b looks poisoned"))
Withheld until you commit to a suspect and a reason (section 1).
>>> inv.reveal().done
False
>>> inv.commit("a", "It is the only agency I have never heard of, so I would check it first.").done
True
>>> print(inv.show("b looks poisoned"))
b looks poisoned
>>> inv.reveal().text().splitlines()[0]
'The truth: b had 12 species labels flipped (40%); it was on the list of trusted sources.'
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

from lifecycle_kit.course.events import AnswerEvent, announce
from lifecycle_kit.course.exercises import ChoiceQuestion, Feedback, Question, Solution, is_unanswered
from lifecycle_kit.i18n import _, language, pgettext

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CommittedChoice", "Investigation", "Notice", "Withheld"]

#: A reason shorter than this is a word, not a reason.
MIN_REASON_WORDS = 4

_TONES = {"info": ("#e8f0fe", "#1a4d8f", "✎"), "done": ("#e6f4ea", "#137333", "✔"),
          "warn": ("#fef7e0", "#8a5a00", "?")}


@dataclass(frozen=True)
class Notice:
    """What a step of the investigation says: a message, and whether the step was taken.

    ``lines`` are shown under the message, one per line.
    """

    message: str
    done: bool = False
    tone: str = "info"
    lines: tuple[str, ...] = ()

    def text(self) -> str:
        return "\n".join([self.message, *self.lines])

    def __str__(self):
        return self.text()

    def __repr__(self):
        return self.text()

    def _repr_html_(self):
        background, colour, mark = _TONES[self.tone]
        body = f"<b>{mark} {html.escape(self.message)}</b>"
        body += "".join(f"<br>{html.escape(line)}" for line in self.lines)
        return (f'<div class="lk-investigation" style="background:{background};color:{colour};border-left:4px '
                f'solid {colour};padding:6px 10px;margin:4px 0">{body}</div>')


class Withheld:
    """Evidence not shown yet: displays, prints and reports as a notice (``to_frame`` lets a report hold it)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self):
        return self.message

    def __repr__(self):
        return self.message

    def _repr_html_(self):
        return Notice(self.message, tone="warn")._repr_html_()

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame({"withheld": [self.message]})


@dataclass
class _State:
    """One learner's investigation in this kernel: shared by every copy of the question (re-running the cell
    that builds the catalogue does not undo a commitment or hide that the evidence was seen)."""

    suspect: str | None = None
    reason: str | None = None
    evidence_shown: bool = False
    review: dict[str, Any] | None = None
    revealed: bool = False
    commits: int = 0
    verdicts: list[str] = field(default_factory=list)


_STATES: dict[tuple[str, str], _State] = {}


class Investigation(Question):
    """Commit a suspect and a reason before any evidence; review the flags; reveal the truth.

    Parameters
    ----------
    prompt : str
    options : iterable of str
        The sources a suspect may be.
    truth : callable
        Returns ``{"source": poisoned source, "flipped": labels flipped, "rate": share, "trusted": bool}``;
        called only by :meth:`reveal`.
    explanation : str
        Shown with the truth.
    solution_steps : dict of str -> str, default=None
        The code of each step as the solutions notebook fills it in (``tools/build_solutions.py``).
    key : str, default=None
    """

    kind = "investigation"

    def __init__(self, prompt: str, *, options: Iterable[str], truth: Callable[[], Mapping[str, Any]],
                 explanation: str = "", solution_steps: Mapping[str, str] | None = None,
                 key: str | None = None) -> None:
        super().__init__(prompt, explanation=explanation, key=key)
        self.options = list(options)
        self._truth = truth
        self.solution_steps = dict(solution_steps or {})
        self._own = _State()

    # --- state ------------------------------------------------------------------------------------------------

    @property
    def _state(self) -> _State:
        notebook, key = getattr(self, "notebook", None), getattr(self, "key", None)
        if notebook and key:
            return _STATES.setdefault((notebook, key), self._own)
        return self._own

    @property
    def committed(self) -> bool:
        """Whether a suspect and a reason have been committed."""
        return self._state.suspect is not None

    @property
    def suspect(self) -> str | None:
        return self._state.suspect

    @property
    def revealed(self) -> bool:
        return self._state.revealed

    def _announce(self, event, status, detail):
        notebook, key = getattr(self, "notebook", None), getattr(self, "key", None)
        if notebook and key:
            announce(AnswerEvent(notebook, key, event, status, detail))

    # --- step 1: commit ---------------------------------------------------------------------------------------

    def commit(self, suspect: Any, reason: Any, *, lang: str | None = None) -> Notice:
        """Commit to a suspect and a reason; from then on the evidence is shown.

        Nothing is judged now (a verdict would be evidence). An empty cell
        commits nothing. Once the evidence has been shown, the suspect can no
        longer change: the commitment was made before it, and stands.
        """
        with language(lang):
            state = self._state
            if is_unanswered(suspect) and is_unanswered(reason):
                return Notice(_("No suspect committed yet: write one and a reason, and run the cell. The evidence "
                                "in sections 3 and 7 stays hidden until you do."), tone="warn")
            name = str(suspect).strip() if isinstance(suspect, str) else suspect
            if name not in self.options:
                return Notice(_("{suspect} is not one of the agencies: choose one of {options}.",
                                suspect=repr(suspect), options=", ".join(self.options)), tone="warn")
            words = len(str(reason).split()) if isinstance(reason, str) else 0
            if words < MIN_REASON_WORDS:
                return Notice(_("Write your reason in a sentence (at least {n} words): why this agency rather than "
                                "another? Nothing is committed yet.", n=MIN_REASON_WORDS), tone="warn")
            reason = " ".join(str(reason).split())
            if state.suspect is not None and state.evidence_shown:
                if (name, reason) != (state.suspect, state.reason):
                    return Notice(_("You committed to {suspect} before seeing the evidence, and that commitment "
                                    "stands: compare it with the evidence at the reveal.", suspect=state.suspect),
                                  done=True, tone="warn")
                return Notice(_("Committed before the evidence: {suspect}.", suspect=state.suspect), done=True,
                              tone="done", lines=(_("Your reason: {reason}", reason=state.reason),))
            state.suspect, state.reason = name, reason
            state.commits += 1
            self._announce("commit", "unanswered", {"reason_words": min(words, 1_000_000)})
            return Notice(_("Committed: {suspect}. Nothing tells you yet whether you are right: the evidence in "
                            "sections 3 and 7 is now shown, and reveal() compares it with your suspect.",
                            suspect=name), done=True, tone="done",
                          lines=(_("Your reason: {reason}", reason=reason),))

    # --- step 2: evidence and review --------------------------------------------------------------------------

    def show(self, evidence: Any) -> Any:
        """``evidence`` itself once a suspect is committed; until then a :class:`Withheld` notice in its place."""
        if not self.committed:
            return Withheld(_("Withheld until you commit to a suspect and a reason (section 1)."))
        self._state.evidence_shown = True
        return evidence

    def evidence_summary(self, conflicts: pd.DataFrame, impact: pd.DataFrame) -> Any:
        """What the two signals say, naming a source only where one stands above the others (withheld until
        committed).

        ``conflicts`` is :func:`~lifecycle_kit.platform.label_conflicts`' table, ``impact``
        :func:`~lifecycle_kit.poisoning.source_impact`'s.
        """
        contradicted = _leaders(conflicts, "conflict_rate")
        harmful = _leaders(impact, "impact")
        agree = len(contradicted) == 1 and contradicted == harmful
        lines = (_("Most contradicted by the other agencies: {sources}.", sources=_names(contradicted)),
                 _("Most harmful on the trusted audit sample (dropping it helps most): {sources}.",
                   sources=_names(harmful)))
        verdict = (_("The two independent signals name the same source.") if agree else
                   _("The two signals do not name one source together: weigh each before you decide."))
        return self.show(Notice(verdict, tone="info", lines=lines))

    def review(self, sample: pd.DataFrame, decisions: Mapping[str, str], *, wrong: Mapping[str, bool],
               lang: str | None = None) -> Notice:
        """Record the learner's decisions on the flags of ``sample``; the truth (``wrong``) is used at the reveal.

        A flag not in ``decisions`` is skipped: not accepted, not rejected, and said so.
        """
        from lifecycle_kit.errors import LifecycleKitError
        from lifecycle_kit.platform import score_review

        with language(lang):
            try:
                # A learner's decision may be any string: score_review refuses all but the two with an error.
                result = score_review(sample, cast("Mapping[str, Literal['accept', 'reject']]", decisions), wrong)
            except LifecycleKitError as err:
                return Notice(_("The review could not be recorded: {error}", error=err), tone="warn")
            self._state.review = result
            counts = {"reviewed": result["reviewed"], "flags": result["flags"], "accepted": result["accepted"],
                      "rejected": result["rejected"], "skipped": result["skipped"]}
            if result["reviewed"] == 0:
                return Notice(_("Review skipped: none of the {flags} flags is marked. A skipped flag is not "
                                "accepted; mark each one 'accept' or 'reject'.", **counts), tone="warn")
            if result["skipped"]:
                return Notice(_("You reviewed {reviewed} of {flags} flags ({accepted} accepted, {rejected} "
                                "rejected); {skipped} skipped — not accepted, and not counted in your review. Its "
                                "precision is shown at the reveal.", **counts), tone="warn")
            return Notice(_("You reviewed all {flags} flags: {accepted} accepted, {rejected} rejected. The "
                            "precision of your review is shown at the reveal.", **counts), done=True, tone="done")

    # --- step 3: reveal ---------------------------------------------------------------------------------------

    def reveal(self, *, lang: str | None = None) -> Notice:
        """The truth, once a suspect is committed: the poisoned source, your suspect against it, your review."""
        with language(lang):
            state = self._state
            if not self.committed:
                return Notice(_("Commit to a suspect and a reason first (section 1): the truth is revealed only "
                                "after a commitment."), tone="warn")
            truth = dict(self._truth())
            right = state.suspect == truth["source"]
            review = state.review
            reviewed = review["reviewed"] if review else 0
            skipped = review["skipped"] if review else None
            complete = review is not None and review["skipped"] == 0
            status = "correct" if complete else "partial"
            state.revealed = True
            state.verdicts.append(status)
            detail = {"suspect_right": right, "reviewed": reviewed}
            if skipped is not None:
                detail["skipped"] = skipped
            self._announce("check", status, detail)
            trusted = (_("it was on the list of trusted sources.") if truth["trusted"] else
                       _("it was not on the list of trusted sources."))
            lines = [_("Your suspect before the evidence, {suspect}, was {verdict}. Your reason: «{reason}» — was it "
                       "evidence, or a belief about the source?", suspect=state.suspect,
                       verdict=_verdict(right), reason=state.reason)]
            lines.append(_review_line(review))
            if self.explanation:
                lines.append(_(self.explanation))
            if not complete:
                lines.append(_("The investigation is not complete until every flag of the review is decided: mark "
                               "the skipped ones and reveal again."))
            message = _("The truth: {source} had {flipped} species labels flipped ({rate:.0%}); {trusted}",
                        source=truth["source"], flipped=truth["flipped"], rate=truth["rate"], trusted=trusted)
            return Notice(message, done=complete, tone="done" if complete else "warn", lines=tuple(lines))

    # --- the record for the learner ---------------------------------------------------------------------------

    def to_frame(self, *, lang: str | None = None) -> pd.DataFrame:
        """The steps, done or not, for the lifecycle report (the learner's own file): the suspect and reason are
        shown here; the truth only after the reveal."""
        import pandas as pd

        with language(lang):
            state = self._state
            review = state.review
            if review is None:
                reviewed = _("not reviewed")
            elif review["reviewed"] == 0:
                reviewed = _("skipped: none of {flags} flags marked", flags=review["flags"])
            else:
                reviewed = _("{reviewed} of {flags} flags decided, {skipped} skipped", reviewed=review["reviewed"],
                             flags=review["flags"], skipped=review["skipped"])
            if state.revealed:
                truth = dict(self._truth())
                revealed = _("yes: {source}; your suspect was {verdict}", source=truth["source"],
                             verdict=_verdict(state.suspect == truth["source"]))
            else:
                revealed = pgettext("investigation", "no")
            steps = [(_("suspect committed before the evidence"), state.suspect or pgettext("investigation", "no")),
                     (pgettext("investigation", "reason"), state.reason or pgettext("investigation", "none")),
                     (_("review of the flagged records"), reviewed),
                     (_("truth revealed"), revealed)]
            columns = [pgettext("investigation", "step"), pgettext("investigation", "state")]
            return pd.DataFrame(steps, columns=columns)

    def __repr__(self):
        return self.to_frame().to_string(index=False)

    def _repr_html_(self):
        return self.to_frame().to_html(index=False, escape=True)

    # --- a Question, without an answer to check ---------------------------------------------------------------

    def check(self, answer: Any, *, lang: str | None = None) -> Feedback:
        """An investigation is not checked like a question: commit(), review() and reveal() are its steps."""
        with language(lang):
            if is_unanswered(answer):
                return Feedback("unanswered", _("Not answered yet. Replace ... with your answer and run the cell "
                                                "again."), lang=lang)
            return Feedback("invalid", _("This is an investigation, not a question to check: use commit(suspect, "
                                         "reason), then review(...) and reveal()."), lang=lang)

    def solution(self, *, lang: str | None = None) -> Solution:
        with language(lang):
            return Solution(_("reveal() shows the truth once you have committed to a suspect and a reason."),
                            _(self.explanation) if self.explanation else "")

    def _check(self, answer):  # pragma: no cover - check() is overridden
        raise NotImplementedError

    def _answer_text(self):  # pragma: no cover - solution() is overridden
        raise NotImplementedError


class CommittedChoice(ChoiceQuestion):
    """A choice whose verdict is itself evidence about the suspect: judged, and its solution shown, only once
    ``investigation`` is committed.

    Without the gate a learner could skip the commitment and click through the agencies until one is "correct" —
    learning the truth before committing to anything. Until the commitment the check says so and records nothing
    (an unanswered check is not recorded); after it, the question is an ordinary :class:`ChoiceQuestion`.

    Examples
    --------
    >>> inv = Investigation("Which agency?", options=["a", "b"], truth=lambda: {"source": "b", "flipped": 1,
    ...                                                                     "rate": 0.1, "trusted": False})
    >>> q = CommittedChoice("Which one was poisoned?", investigation=inv, options={"a": "a", "b": "b"}, correct="b")
    >>> q.check("b").status
    'unanswered'
    >>> _ = inv.commit("a", "Its records arrive late and nobody checks them.")
    >>> q.check("b").status
    'correct'
    """

    def __init__(self, prompt: str, *, investigation: Investigation, **kwargs: Any) -> None:
        super().__init__(prompt, **kwargs)
        self.investigation = investigation

    def _not_yet(self):
        return _("Commit to a suspect and a reason first (section 1): the verdict on this answer is evidence about "
                 "the poisoned source, and the evidence comes after the commitment.")

    def _judge(self, answer):
        if not is_unanswered(answer) and not self.investigation.committed:
            return Feedback("unanswered", self._not_yet())
        return super()._judge(answer)

    def solution(self, *, lang: str | None = None) -> Solution:
        if not self.investigation.committed:  # not recorded as a reveal: nothing was revealed
            with language(lang):
                return Solution(self._not_yet(), "", lang=lang)
        return super().solution(lang=lang)


def _verdict(right):
    return pgettext("investigation", "right") if right else pgettext("investigation", "wrong")


def _leaders(table, column):
    """The sources sharing the highest value of ``column``, when it is above 0 (none among zeros)."""
    values = table[column].astype(float)
    if not len(values) or not values.max() > 0 or math.isnan(values.max()):
        return []
    return table.loc[values == values.max(), "source"].astype(str).tolist()


def _names(sources):
    if not sources:
        return _("none stands out")
    if len(sources) > 1:
        return _("a tie between {sources}", sources=", ".join(sources))
    return sources[0]


def _review_line(review):
    if review is None:
        return _("Review: not done.")
    if review["reviewed"] == 0:
        return _("Review: skipped — none of the {flags} flags was marked, so there is no review to measure. The flags "
                 "alone: {flag:.0%} are true errors.", flags=review["flags"], flag=review["flag precision"])
    accepted = review["review precision"]
    if math.isnan(accepted):
        accepted_text = _("you accepted none, so your review has no precision")
    elif math.isnan(review["errors kept"]):
        accepted_text = _("{precision:.0%} of the flags you accepted are true errors", precision=accepted)
    else:
        accepted_text = _("{precision:.0%} of the flags you accepted are true errors, and you kept {kept:.0%} of "
                          "the true errors among them", precision=accepted, kept=review["errors kept"])
    return _("Review: you decided {reviewed} of {flags} flags ({skipped} skipped). On the flags you reviewed, "
             "{baseline:.0%} are true errors; {accepted}.", reviewed=review["reviewed"], flags=review["flags"],
             skipped=review["skipped"], baseline=review["flag precision (reviewed)"], accepted=accepted_text)
