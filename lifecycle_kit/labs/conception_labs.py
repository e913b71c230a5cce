"""Stage 1 labs: SourceRegistryLab (which sources, how far trusted) and RelevanceLab (which features, any leaks)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from lifecycle_kit.i18n import N_, _, ngettext
from lifecycle_kit.labs.base import Lab, dropdown, float_slider, int_slider, localise_frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RelevanceLab", "SourceRegistryLab", "flag_text"]

TODAY = "2026-11-22"  # fixed so that the notebook's results do not change with the calendar

# lifecycle_kit.conception.TRUST_LEVELS and the relevance screen's flags, as the learner reads them.
TRUST_LABELS = {"untrusted": N_("untrusted"), "unknown": N_("unknown"), "trusted": N_("trusted"),
                "verified": N_("verified")}
FLAG_LABELS = {"relevant": N_("relevant"), "irrelevant": N_("irrelevant"), "suspected leak": N_("suspected leak")}
SOURCE_COLUMNS = {"name": N_("name"), "trust": N_("trust"), "licence": N_("licence"),
                  "last_verified": N_("last_verified"), "usable": N_("usable"), "flags": N_("flags")}
NEED_COLUMNS = {"need": N_("need"), "covered_by": N_("covered_by"), "covered": N_("covered")}
SCREEN_COLUMNS = {"feature": N_("feature"), "mutual_information": N_("mutual_information"),
                  "chance_level": N_("chance_level"), "share_of_entropy": N_("share_of_entropy"), "flag": N_("flag"),
                  "kept": N_("kept")}


def flag_text(flags: str) -> str:
    """The registry's flags of a source (lifecycle_kit.conception, English) in the current language.

    >>> flag_text("trust is untrusted; never verified; verified 617 days ago; no licence")
    'trust is untrusted; never verified; verified 617 days ago; no licence'
    """
    said = []
    for flag in filter(None, str(flags).split("; ")):
        days = re.fullmatch(r"verified (\d+) days ago", flag)
        if flag.startswith("trust is "):
            level = flag[len("trust is "):]
            said.append(_("trust is {level}", level=_(TRUST_LABELS.get(level, level))))
        elif days:
            said.append(ngettext("verified {n} day ago", "verified {n} days ago", int(days.group(1))))
        elif flag in ("never verified", "no licence"):
            said.append(_(flag))
        else:  # a flag this lab does not know yet: as the core wrote it
            said.append(flag)
    return "; ".join(said)


# The registry's fixed flags, marked for the catalog.
FLAGS = (N_("never verified"), N_("no licence"))


class SourceRegistryLab(Lab):
    """Choose the sources a diagnostic model may use and how much trust is required.

    Examples
    --------
    >>> lab = SourceRegistryLab()
    >>> bool(lab.result["needs"]["covered"].all())
    False
    >>> lab.controls["min_trust"].value = "unknown"
    >>> bool(lab.result["needs"]["covered"].all())
    True
    """

    title = N_("Source registry (stage 1)")
    intro = N_("Which sources could supply the data, and which may? Untrusted or stale sources are flagged.")

    def __init__(self, *, lang: str | None = None) -> None:
        from lifecycle_kit.conception import example_registry

        self.registry = example_registry()
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        from lifecycle_kit.conception import EXAMPLE_TEXTS, TRUST_LEVELS

        names = [s["name"] for s in self.registry.sources]
        return {
            "include": widgets.SelectMultiple(options=[(_(EXAMPLE_TEXTS.get(n, n)), n) for n in names],
                                              value=tuple(names), description=_("Sources considered"),
                                              rows=5, style={"description_width": "initial"},
                                              layout={"width": "520px"}),
            "min_trust": dropdown(_("Minimum trust to use a source"),
                                  [(_(TRUST_LABELS.get(t, t)), t) for t in TRUST_LEVELS], "trusted"),
            "max_age_days": int_slider(_("A verification expires after (days)"), 365, 30, 1095, 30),
        }

    def compute(self, include: Sequence[str], min_trust: Literal["untrusted", "unknown", "trusted", "verified"],
                max_age_days: int) -> dict[str, pd.DataFrame]:
        return self.registry.assess(include=list(include), min_trust=min_trust, max_age_days=max_age_days, today=TODAY)

    def summarize(self, r: dict[str, pd.DataFrame]) -> str:
        from lifecycle_kit.conception import EXAMPLE_TEXTS

        needs = r["needs"]
        uncovered = [_(EXAMPLE_TEXTS.get(n, n)) for n in needs.loc[~needs["covered"], "need"]]
        flagged = r["sources"].loc[r["sources"]["flags"] != "", "name"].tolist() if len(r["sources"]) else []
        # The needs are the example registry's own (lifecycle_kit.conception.EXAMPLE_TEXTS), said in the lab's language.
        missing = ("; <b>" + _("not covered: {needs}", needs=html.escape(", ".join(uncovered))) + "</b>"
                   if uncovered else "")
        flagged_text = ngettext("{n} source flagged.", "{n} sources flagged.", len(flagged))
        return _("{covered} of {needs} data needs covered by a source trusted enough{missing}. {flagged}",
                 covered=int(needs["covered"].sum()), needs=len(needs), missing=missing, flagged=flagged_text)

    def render(self, r: dict[str, pd.DataFrame]) -> list[Any]:
        sources = r["sources"]
        table = sources[["name", "trust", "licence", "last_verified", "usable", "flags"]] if len(sources) else sources
        from lifecycle_kit.conception import EXAMPLE_TEXTS

        def said(text):
            return ", ".join(_(EXAMPLE_TEXTS.get(t, t)) for t in text.split(", ")) if text else text

        if len(table):
            table = table.assign(name=[said(n) for n in table["name"]], licence=[said(n) for n in table["licence"]],
                                 trust=[_(TRUST_LABELS.get(t, t)) for t in table["trust"]],
                                 flags=[flag_text(f) for f in table["flags"]])
        needs = r["needs"].assign(need=[said(n) for n in r["needs"]["need"]],
                                  covered_by=[said(n) for n in r["needs"]["covered_by"]])
        return [localise_frame(table, SOURCE_COLUMNS), localise_frame(needs, NEED_COLUMNS)]


class RelevanceLab(Lab):
    """Mutual information of each candidate feature of the breast-cancer data with the diagnosis.

    Two probe columns were added: ``noise`` (random numbers) and ``record_id``
    (records numbered after sorting by diagnosis). The screen flags them before
    any model is trained; the cross-validated accuracy shows what the leak would do.

    Examples
    --------
    >>> lab = RelevanceLab()
    >>> lab.result["screen"].set_index("feature").loc["record_id", "flag"]
    'suspected leak'
    """

    title = N_("Relevance screen (stage 1)")
    intro = N_("Keep or drop features and move the threshold; watch the flags and what a model would score.")

    _scores: dict[tuple[str, ...], float]  # cross-validated accuracy per kept set of columns

    def __init__(self, *, random_state: int = 0, lang: str | None = None) -> None:
        from lifecycle_kit.conception import add_probe_columns, relevance_screen
        from lifecycle_kit.datasets import load

        data = load("breast_cancer")
        self.frame = add_probe_columns(data.frame, data.target, random_state=random_state)
        self.target = data.target
        self.random_state = random_state
        self.base_screen = relevance_screen(self.frame, self.target, random_state=random_state)
        self._scores = {}
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        return {
            "keep": widgets.SelectMultiple(options=list(self.frame.columns), value=tuple(self.frame.columns),
                                           description=_("Features kept"), rows=8,
                                           style={"description_width": "initial"}, layout={"width": "520px"}),
            "threshold": float_slider(_("Irrelevance threshold (nats)"), 0.01, 0.0, 0.2, 0.01),
        }

    def _cv_accuracy(self, columns):
        key = tuple(sorted(columns))
        if key not in self._scores:
            from sklearn.model_selection import cross_val_score
            from sklearn.tree import DecisionTreeClassifier

            if not columns:
                self._scores[key] = float("nan")
            else:
                model = DecisionTreeClassifier(max_depth=3, random_state=self.random_state)
                self._scores[key] = float(cross_val_score(model, self.frame[list(columns)], self.target, cv=5).mean())
        return self._scores[key]

    def compute(self, keep: Sequence[str], threshold: float) -> dict[str, Any]:
        screen = self.base_screen.copy()
        limit = screen["chance_level"].clip(lower=threshold)
        screen.loc[(screen["flag"] != "suspected leak") & (screen["mutual_information"] < limit), "flag"] = "irrelevant"
        screen.loc[(screen["flag"] != "suspected leak") & (screen["mutual_information"] >= limit), "flag"] = "relevant"
        screen["kept"] = screen["feature"].isin(keep)
        kept = list(keep)
        return {"screen": screen, "accuracy": self._cv_accuracy(kept), "kept": kept,
                "leaks_kept": screen.loc[screen["kept"] & (screen["flag"] == "suspected leak"), "feature"].tolist()}

    def summarize(self, r: dict[str, Any]) -> str:
        flags = r["screen"]["flag"].value_counts()
        leak = (" " + _("<b>Suspected leak kept: {features}</b> — the accuracy is not real.",
                        features=html.escape(", ".join(r["leaks_kept"]))) if r["leaks_kept"] else "")
        leaks = ngettext("{n} suspected leak", "{n} suspected leaks", int(flags.get("suspected leak", 0)))
        return _("{relevant} relevant, {irrelevant} irrelevant, {leaks}. A depth-3 tree on the {kept} kept features: "
                 "cross-validated accuracy <b>{accuracy:.3f}</b>.{leak}", relevant=int(flags.get("relevant", 0)),
                 irrelevant=int(flags.get("irrelevant", 0)), leaks=leaks, kept=len(r["kept"]),
                 accuracy=r["accuracy"], leak=leak)

    def render(self, r: dict[str, Any]) -> list[Any]:
        from lifecycle_kit._html import FAIL_FILL, NEUTRAL_FILL, PALETTE, bar_chart_svg

        screen = r["screen"]
        colours = {"relevant": PALETTE[0], "irrelevant": NEUTRAL_FILL, "suspected leak": FAIL_FILL}
        top = float(screen["mutual_information"].max())
        chart = bar_chart_svg(list(screen["feature"]), list(screen["mutual_information"]),
                              colours=[colours[f] for f in screen["flag"]], xmax=top * 1.1 if top > 0 else 1.0,
                              notes=[_(FLAG_LABELS.get(f, f)) for f in screen["flag"]],
                              title=_("Mutual information with the diagnosis (red: suspected leak, grey: irrelevant)"),
                              value_format="{:.3f}", bar_height=14)
        table = screen[["feature", "mutual_information", "chance_level", "share_of_entropy", "flag", "kept"]]
        table = table.assign(flag=[_(FLAG_LABELS.get(f, f)) for f in table["flag"]])
        return [chart, localise_frame(table, SCREEN_COLUMNS)]
