"""The capstone's investigation, said in the reader's language: a suspect committed, the evidence, the truth.

The capstone asks the learner to name a suspect source before looking at the evidence, then to weigh two tests
against each other (which source's removal helps a model most, which source the others contradict), and finally
reveals which source was poisoned. These small records say each step in the reader's language, so that the code
cells of the two editions stay identical.

Examples
--------
>>> from lifecycle_kit.i18n import language
>>> with language("ru"):
...     print(suspicion("", ""))
Подозреваемый источник ещё не назван; причина не записана.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from lifecycle_kit.display import Lines, vocabulary
from lifecycle_kit.i18n import N_

__all__ = ["Evidence", "evidence", "reveal", "suspicion"]

#: The title, section titles and note of the capstone's lifecycle report, marked for the catalog: the report says a
#: title or note found in the catalog in the reader's language (lifecycle_kit.report.LifecycleReport).
REPORT_TEXTS = (
    N_("Penguin data platform — capstone"), N_("unified specification check"),
    N_("per-source impact on the trusted audit sample"), N_("ISO/IEC 5259-2 measures, all sources"),
    N_("measures per source"), N_("record linkage"), N_("tag coverage"), N_("human review of flagged records"),
    N_("what the model learned"), N_("per-source drift monitor"), N_("what each role can infer about protected fields"),
    N_("cross-validated model on the role's visible columns vs a guess without data"), N_("audit log"),
    N_("datasheet"),
)

vocabulary(headings={"records": N_("records"), "audit_accuracy": N_("accuracy on the audit sample"),
                     "audit_log_loss": N_("log-loss on the audit sample"), "training_data": N_("training data")})


def suspicion(suspect: str, reason: str) -> Lines:
    """The suspect the learner committed to before the evidence, and why."""
    who = (N_("Your suspect: {source}.", source=suspect) if suspect else N_("No suspect named yet."))
    why = (N_("Because: {reason}", reason=reason) if reason else N_("No reason written."))
    if not suspect and not reason:
        return Lines([N_("No suspect named yet; no reason written.")])
    return Lines([who, why])


@dataclass
class Evidence:
    """What the two tests name: the source whose removal helps most (impact), and the most contradicted one."""

    most_harmful: str
    most_contradicted: str

    @property
    def agree(self) -> bool:
        return self.most_harmful == self.most_contradicted

    def summary(self) -> Lines:
        verdict = N_("the two tests agree") if self.agree else N_("the two tests disagree")
        return Lines([N_("Most harmful by impact: {harmful}; most contradicted by the other sources: {contradicted} — "
                         "{verdict}.", harmful=self.most_harmful, contradicted=self.most_contradicted, verdict=verdict)])

    def _repr_html_(self):
        return self.summary()._repr_html_()


def evidence(impact: pd.DataFrame, conflicts: pd.DataFrame) -> Evidence:
    """The first source of each test: :func:`~lifecycle_kit.poisoning.source_impact` and :func:`label_conflicts`."""
    return Evidence(most_harmful=str(impact.sort_values("impact", ascending=False)["source"].iloc[0]),
                    most_contradicted=str(conflicts["source"].iloc[0]))


def reveal(poisoned: dict[str, Any], *, trusted_sources: list[str] | tuple[str, ...] = (), suspect: str = "") -> Lines:
    """The truth: which source was poisoned, how much, whether it was trusted, and whether the suspect was right."""
    trusted = poisoned["source"] in trusted_sources
    lines = [N_("The truth, revealed: {source} had {n} species labels flipped ({rate:.0%}).", source=poisoned["source"],
                n=len(poisoned["rows"]), rate=poisoned["rate"]),
             N_("It was on the specification's list of trusted sources.") if trusted
             else N_("It was not on the specification's list of trusted sources.")]
    if suspect:
        lines.append(N_("Your suspect before the evidence was right; was your reason evidence, or a prejudice about "
                        "the source?") if suspect == poisoned["source"] else
                     N_("Your suspect before the evidence was wrong; was your reason evidence, or a prejudice about "
                        "the source?"))
    return Lines(lines)
