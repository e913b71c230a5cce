"""Stage 1 labs: SourceRegistryLab (which sources, how far trusted) and RelevanceLab (which features, any leaks)."""

import html

from lifecycle_kit.labs.base import Lab, dropdown, float_slider, int_slider

__all__ = ["RelevanceLab", "SourceRegistryLab"]

TODAY = "2026-11-22"  # fixed so that the notebook's results do not change with the calendar


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

    title = "Source registry (stage 1)"
    intro = "Which sources could supply the data, and which may? Untrusted or stale sources are flagged."

    def __init__(self, *, lang=None):
        from lifecycle_kit.conception import example_registry

        self.registry = example_registry()
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        from lifecycle_kit.conception import TRUST_LEVELS

        names = [s["name"] for s in self.registry.sources]
        return {
            "include": widgets.SelectMultiple(options=names, value=tuple(names), description="Sources considered",
                                              rows=5, style={"description_width": "initial"},
                                              layout={"width": "520px"}),
            "min_trust": dropdown("Minimum trust to use a source", list(TRUST_LEVELS), "trusted"),
            "max_age_days": int_slider("A verification expires after (days)", 365, 30, 1095, 30),
        }

    def compute(self, include, min_trust, max_age_days):
        return self.registry.assess(include=list(include), min_trust=min_trust, max_age_days=max_age_days, today=TODAY)

    def summarize(self, r):
        needs = r["needs"]
        uncovered = needs.loc[~needs["covered"], "need"].tolist()
        flagged = r["sources"].loc[r["sources"]["flags"] != "", "name"].tolist() if len(r["sources"]) else []
        return (f"{int(needs['covered'].sum())} of {len(needs)} data needs covered by a source trusted enough"
                + (f"; <b>not covered: {html.escape(', '.join(uncovered))}</b>" if uncovered else "")
                + f". {len(flagged)} source(s) flagged.")

    def render(self, r):
        sources = r["sources"]
        table = sources[["name", "trust", "licence", "last_verified", "usable", "flags"]] if len(sources) else sources
        return [table, r["needs"]]


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

    title = "Relevance screen (stage 1)"
    intro = "Keep or drop features and move the threshold; watch the flags and what a model would score."

    def __init__(self, *, random_state=0, lang=None):
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
                                           description="Features kept", rows=8,
                                           style={"description_width": "initial"}, layout={"width": "520px"}),
            "threshold": float_slider("Irrelevance threshold (nats)", 0.01, 0.0, 0.2, 0.01),
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

    def compute(self, keep, threshold):
        screen = self.base_screen.copy()
        limit = screen["chance_level"].clip(lower=threshold)
        screen.loc[(screen["flag"] != "suspected leak") & (screen["mutual_information"] < limit), "flag"] = "irrelevant"
        screen.loc[(screen["flag"] != "suspected leak") & (screen["mutual_information"] >= limit), "flag"] = "relevant"
        screen["kept"] = screen["feature"].isin(keep)
        kept = list(keep)
        return {"screen": screen, "accuracy": self._cv_accuracy(kept), "kept": kept,
                "leaks_kept": screen.loc[screen["kept"] & (screen["flag"] == "suspected leak"), "feature"].tolist()}

    def summarize(self, r):
        flags = r["screen"]["flag"].value_counts()
        leak = (f" <b>Suspected leak kept: {html.escape(', '.join(r['leaks_kept']))}</b> — the accuracy is not real."
                if r["leaks_kept"] else "")
        return (f"{flags.get('relevant', 0)} relevant, {flags.get('irrelevant', 0)} irrelevant, "
                f"{flags.get('suspected leak', 0)} suspected leak(s). A depth-3 tree on the {len(r['kept'])} kept features: "
                f"cross-validated accuracy <b>{r['accuracy']:.3f}</b>.{leak}")

    def render(self, r):
        from lifecycle_kit._html import bar_chart_svg

        screen = r["screen"]
        colours = {"relevant": "#1a73e8", "irrelevant": "#9aa0a6", "suspected leak": "#d93025"}
        top = float(screen["mutual_information"].max())
        chart = bar_chart_svg(list(screen["feature"]), list(screen["mutual_information"]),
                              colours=[colours[f] for f in screen["flag"]], xmax=top * 1.1 if top > 0 else 1.0,
                              title="Mutual information with the diagnosis (red: suspected leak, grey: irrelevant)",
                              value_format="{:.3f}", bar_height=14)
        return [chart, screen[["feature", "mutual_information", "chance_level", "share_of_entropy", "flag", "kept"]]]
