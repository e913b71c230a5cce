"""Capstone lab: link the agency sources — blocking keys, match threshold, identifier weight, exact join."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from lifecycle_kit.i18n import N_, _
from lifecycle_kit.labs.base import Lab, checkbox, dropdown, float_slider, localise_frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LinkageLab"]

BLOCKING_LABELS = {"study": N_("study"), "study + species": N_("study + species"), "study + island": N_("study + island"),
                   "study + sex": N_("study + sex")}
CONFLICT_COLUMNS = {"source": N_("source"), "records": N_("records"), "checked": N_("checked"),
                    "conflicts": N_("conflicts"), "conflict_rate": N_("conflict_rate"), "note": N_("note")}
BLOCKING = {
    "study": ("study",),
    "study + species": ("study", "species"),
    "study + island": ("study", "island"),
    "study + sex": ("study", "sex"),
}


class LinkageLab(Lab):
    """Which records are the same bird? Precision and recall of the links against the truth, live.

    The sources are the capstone's, one of them poisoned: blocking on a label an
    attacker can flip, or on a column one source does not record, silently
    loses links.

    How often each source's species contradicts the other sources is evidence
    about the poisoned source: it is shown only with ``show_conflicts=True``
    (the capstone turns it on once the learner has committed to a suspect).
    Among sources with equal rates — all zero, for a blocking that links
    nothing — none is named the highest.

    Examples
    --------
    >>> lab = LinkageLab()
    >>> round(lab.result["precision"], 2) >= 0.95, round(lab.result["recall"], 2) >= 0.95
    (True, True)
    >>> lab.controls["block_on"].value = "study + island"
    >>> lab.result["recall"] < 0.7
    True
    >>> "disagreeing" in lab.summary.value  # the per-source conflicts are not shown unless asked for
    False
    """

    title = N_("Linkage lab (capstone)")
    intro = N_("Records of one bird arrive from several agencies, written differently. Choose how records are blocked "
               "and when a pair counts as a match; precision and recall are measured against the known truth.")

    def __init__(self, *, random_state: int = 0, show_conflicts: bool = False, lang: str | None = None) -> None:
        import numpy as np

        from lifecycle_kit.platform import agency_sources, standardise_all

        self.show_conflicts = bool(show_conflicts)

        self.data = agency_sources(poison_rate=0.4, random_state=random_state)
        self.table = standardise_all(self.data.sources)
        self.truth = np.concatenate([self.data.truth[name] for name in self.data.sources])
        self.true_entities = int(len(set(self.truth)))
        super().__init__(lang=lang)

    def _make_controls(self):
        return {
            "block_on": dropdown(_("Compare only records that agree on"),
                                 [(_(BLOCKING_LABELS.get(k, k)), k) for k in BLOCKING], "study"),
            "threshold": float_slider(_("Match threshold"), 0.95, 0.5, 1.0, 0.01),
            "id_weight": float_slider(_("Weight of the identifier"), 0.5, 0.0, 1.0, 0.05),
            "exact": checkbox(_("Exact join on the identifier instead"), False),
        }

    def compute(self, block_on: str, threshold: float, id_weight: float, exact: bool) -> dict[str, Any]:
        from lifecycle_kit.platform import label_conflicts, link_records

        linkage = link_records(self.table, block_on=BLOCKING[block_on], threshold=threshold, id_weight=id_weight,
                               exact=exact, truth=self.truth)
        precision, recall = linkage.precision, linkage.recall
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": precision, "recall": recall, "f1": f1, "entities": linkage.entities,
                "true_entities": self.true_entities, "candidates": linkage.candidates, "links": len(linkage.pairs),
                "conflicts": label_conflicts(self.table, linkage.clusters)}

    def summarize(self, r: dict[str, Any]) -> str:
        links = _("Links: precision <b>{precision:.3f}</b>, recall <b>{recall:.3f}</b> (F1 {f1:.3f}); {entities} birds "
                  "found for {true_entities} true birds; {candidates:,} pairs compared.", precision=r["precision"],
                  recall=r["recall"], f1=r["f1"], entities=r["entities"], true_entities=r["true_entities"],
                  candidates=r["candidates"])
        if not self.show_conflicts:
            return links
        return f"{links} {conflict_sentence(r['conflicts'])}"

    def render(self, r: dict[str, Any]) -> list[Any]:
        if not self.show_conflicts:
            return []
        conflicts = r["conflicts"].assign(conflict_rate=r["conflicts"]["conflict_rate"].round(3))
        return ["<p>" + _("How often each source's species disagrees with the other sources' records of the same bird "
                          "(only where the linkage found such records):") + "</p>",
                localise_frame(conflicts, CONFLICT_COLUMNS)]


def conflict_sentence(conflicts: pd.DataFrame) -> str:
    """What the per-source conflict table says, naming a highest source only when one stands above the others.

    >>> import pandas as pd
    >>> table = lambda rates: pd.DataFrame({"source": list("abc")[:len(rates)], "conflict_rate": rates})
    >>> conflict_sentence(table([0.0, 0.0, 0.0]))
    "No source's species disagrees with the other sources' records of the same bird."
    >>> conflict_sentence(table([0.4, 0.02, 0.0]))
    'Species disagreeing with the other sources: highest in <b>a</b> (40%).'
    >>> conflict_sentence(table([0.1, 0.1, 0.0]))
    'Species disagreeing with the other sources: a tie for the highest rate (10%) between <b>a, b</b>; no single source stands out.'
    """
    rates = conflicts["conflict_rate"].to_numpy(dtype=float)
    if not len(rates) or rates.max() <= 0:  # a "highest" among zeros would name a source for nothing
        return _("No source's species disagrees with the other sources' records of the same bird.")
    top = conflicts.loc[rates == rates.max(), "source"].astype(str).tolist()
    rate = _rate(rates.max())
    if len(top) > 1:
        return _("Species disagreeing with the other sources: a tie for the highest rate ({rate}) between "
                 "<b>{sources}</b>; no single source stands out.", rate=rate,
                 sources=html.escape(", ".join(top)))
    return _("Species disagreeing with the other sources: highest in <b>{source}</b> ({rate}).",
             source=html.escape(top[0]), rate=rate)


def _rate(value):
    # A rate under 1% is not shown as "0%": that would read as no conflict at all.
    from lifecycle_kit.i18n import format_value

    return format_value(value, ".1%" if value < 0.01 else ".0%")
