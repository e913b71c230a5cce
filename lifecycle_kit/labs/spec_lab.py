"""SpecLab (stage 2): a specification inferred from reference data, checked against corrupted batches."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from lifecycle_kit.labs.base import Lab, checkbox, dropdown, float_slider

if TYPE_CHECKING:
    from lifecycle_kit.quality.trials import SpecTrial

__all__ = ["SpecLab"]


class SpecLab(Lab):
    """Infer a data specification from UCI Adult's training file, then validate batches from its test file.

    Controls: the kind of corruption and its rate, how tight the numeric ranges
    are, and whether drift is possible (which adds a PSI check per column).
    The result counts true alarms (corrupted rows flagged) and false alarms
    (clean rows flagged): a tight spec catches more and cries wolf more.

    Examples
    --------
    >>> lab = SpecLab()
    >>> lab.controls["corruption"].value = "out-of-range numbers"
    >>> lab.result.detection_rate
    1.0
    >>> lab.controls["ranges"].value = "tight: 5%-95% of the reference"
    >>> lab.result.false_alarm_rate > 0.2
    True
    """

    title = "Specification lab (stage 2)"
    intro = ("The specification below was inferred from UCI Adult's training file. Corrupt a batch from the test "
             "file and see which rows the specification flags; then make the ranges tighter and watch clean rows "
             "being flagged too.")

    def __init__(self, *, batch_rows: int = 2000, random_state: int = 0) -> None:
        from lifecycle_kit.datasets import load

        from lifecycle_kit.quality.trials import SpecExperiment

        adult = load("adult")
        train = adult.meta["source_file"] == "adult.data"
        self.experiment = SpecExperiment(adult.frame[train], adult.frame[~train].sample(batch_rows, random_state=random_state),
                                         random_state=random_state)
        super().__init__()

    def _make_controls(self):
        from lifecycle_kit.quality.trials import CORRUPTIONS, RANGES

        return {
            "corruption": dropdown("Corruption", list(CORRUPTIONS), "none (a clean batch)"),
            "rate": float_slider("Corruption rate (share of cells)", 0.05, 0.0, 0.5, 0.01),
            "ranges": dropdown("Numeric ranges", list(RANGES), "full reference range"),
            "drift_possible": checkbox("Drift possible (arm a PSI check)", True),
        }

    def compute(self, corruption: str, rate: float, ranges: str, drift_possible: bool) -> SpecTrial:
        return self.experiment.run(corruption=corruption, rate=rate, ranges=ranges, drift_possible=drift_possible)

    def eligible_columns(self, corruption: str) -> list[str]:
        """The columns a corruption can touch: every feature, the numeric ones, or the categorical ones."""
        from lifecycle_kit.quality.trials import CORRUPTIONS

        batch = self.experiment.batch
        kind = CORRUPTIONS[corruption]
        if kind in ("outliers", "type_errors"):
            return list(batch.select_dtypes("number").columns)
        if kind == "unseen_categories":
            return list(batch.select_dtypes(exclude="number").columns)
        return list(batch.columns) if kind else []

    def rate_note(self, corruption: str, rate: float, corrupted_rows: int) -> str:
        """Why a per-cell rate touches many more rows: 1 - (1 - rate)^k with k eligible columns."""
        k = len(self.eligible_columns(corruption))
        if not k or not rate:
            return ""
        rows = len(self.experiment.batch)
        expected = 1 - (1 - rate) ** k
        return (f"The rate is per cell: {rate:.0%} of the values in each of the {k} eligible columns are corrupted, "
                f"so a row escapes only if all {k} of its values do — about 1 − (1 − {rate:g})<sup>{k}</sup> = "
                f"{expected:.0%} of rows; here {corrupted_rows:,} of {rows:,} ({corrupted_rows / rows:.0%}).")

    def summarize(self, r: SpecTrial) -> str:
        corrupted = int(r.corrupted.sum())
        values = self.values()
        text = (f"<b>{int(r.flagged.sum()):,}</b> of {len(r.batch):,} rows flagged: "
                f"<b>{r.true_alarms:,}</b> of {corrupted:,} corrupted rows caught"
                + (f" (detection {r.detection_rate:.0%})" if corrupted else "")
                + f", <b>{r.false_alarms:,}</b> false alarms on clean rows ({r.false_alarm_rate:.1%}).")
        if r.drift_possible and len(r.psi):
            worst = r.psi.idxmax()
            text += f" Monitoring armed: largest PSI {html.escape(worst)} = {r.psi.max():.3f}."
        note = self.rate_note(values["corruption"], values["rate"], corrupted)
        return text + (f"<br><span style='font-size:90%'>{note}</span>" if note else "")

    def render(self, r: SpecTrial) -> list[Any]:
        from lifecycle_kit._html import bar_chart_svg

        labels = ["caught (true alarms)", "missed", "false alarms", "clean, not flagged"]
        values = [r.true_alarms, int(r.corrupted.sum()) - r.true_alarms, r.false_alarms,
                  int((~r.corrupted).sum()) - r.false_alarms]
        items = [bar_chart_svg(labels, values, colours=["#34a853", "#fbbc04", "#d93025", "#9aa0a6"],
                               xmax=len(r.batch), value_format="{:,.0f}", title="Rows of the batch")]
        frame = r.violations_frame()
        items.append(frame if len(frame) else "<p>No violations: the batch meets the specification.</p>")
        return items
