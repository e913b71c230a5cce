"""SpecLab (stage 2): a specification inferred from reference data, checked against corrupted batches."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from lifecycle_kit.i18n import N_, _
from lifecycle_kit.labs.base import Lab, checkbox, dropdown, float_slider, localise_frame

if TYPE_CHECKING:
    from lifecycle_kit.quality.trials import SpecTrial

__all__ = ["SpecLab"]

# The option labels of lifecycle_kit.quality.trials.CORRUPTIONS and RANGES (the values the core receives), marked for
# the catalog; tests/test_labs_i18n.py checks that every option is here.
OPTION_LABELS = (N_("none (a clean batch)"), N_("missing values"), N_("out-of-range numbers"),
                 N_("text in numeric columns"), N_("unseen categories"), N_("tight: 5%-95% of the reference"),
                 N_("1%-99% of the reference"), N_("full reference range"), N_("reference range + 10%"),
                 N_("reference range + 50%"))
VIOLATION_COLUMNS = {"column": N_("column"), "rule": N_("rule"), "count": N_("count"), "message": N_("message")}


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

    title = N_("Specification lab (stage 2)")
    intro = N_("The specification below was inferred from UCI Adult's training file. Corrupt a batch from the test "
               "file and see which rows the specification flags; then make the ranges tighter and watch clean rows "
               "being flagged too.")

    def __init__(self, *, batch_rows: int = 2000, random_state: int = 0, lang: str | None = None) -> None:
        from lifecycle_kit.datasets import load
        from lifecycle_kit.quality.trials import SpecExperiment

        adult = load("adult")
        train = adult.meta["source_file"] == "adult.data"
        self.experiment = SpecExperiment(adult.frame[train], adult.frame[~train].sample(batch_rows, random_state=random_state),
                                         random_state=random_state)
        super().__init__(lang=lang)

    def _make_controls(self):
        from lifecycle_kit.quality.trials import CORRUPTIONS, RANGES

        return {
            "corruption": dropdown(_("Corruption"), [(_(k), k) for k in CORRUPTIONS], "none (a clean batch)"),
            "rate": float_slider(_("Corruption rate (share of cells)"), 0.05, 0.0, 0.5, 0.01),
            "ranges": dropdown(_("Numeric ranges"), [(_(k), k) for k in RANGES], "full reference range"),
            "drift_possible": checkbox(_("Drift possible (arm a PSI check)"), True),
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
        return _("The rate is per cell: {rate_share:.0%} of the values in each of the {k} eligible columns are "
                 "corrupted, so a row escapes only if all {k} of its values do — about 1 − (1 − {rate:g})<sup>{k}</sup> "
                 "= {expected:.0%} of rows; here {corrupted:,} of {rows:,} ({share:.0%}).",
                 rate_share=rate, k=k, rate=rate, expected=expected, corrupted=corrupted_rows, rows=rows,
                 share=corrupted_rows / rows)

    def summarize(self, r: SpecTrial) -> str:
        corrupted = int(r.corrupted.sum())
        values = self.values()
        detection = _(" (detection {rate:.0%})", rate=r.detection_rate) if corrupted else ""
        text = _("<b>{flagged:,}</b> of {rows:,} rows flagged: <b>{caught:,}</b> of {corrupted:,} corrupted rows "
                 "caught{detection}, <b>{false_alarms:,}</b> false alarms on clean rows ({false_rate:.1%}).",
                 flagged=int(r.flagged.sum()), rows=len(r.batch), caught=r.true_alarms, corrupted=corrupted,
                 detection=detection, false_alarms=r.false_alarms, false_rate=r.false_alarm_rate)
        if r.drift_possible and len(r.psi):
            largest = float(r.psi.max())
            # Named only when one column stands above the others: a "largest" among equal values names a column
            # for nothing.
            top = [str(c) for c, v in r.psi.items() if v == largest]
            if largest <= 0:
                text += " " + _("Monitoring armed: every PSI is 0.")
            elif len(top) > 1:
                text += " " + _("Monitoring armed: the largest PSI, {psi:.3f}, is shared by {columns}.",
                                psi=largest, columns=html.escape(", ".join(top)))
            else:
                text += " " + _("Monitoring armed: largest PSI {column} = {psi:.3f}.", column=html.escape(top[0]),
                                psi=largest)
        note = self.rate_note(values["corruption"], values["rate"], corrupted)
        return text + (f"<br><span style='font-size:90%'>{note}</span>" if note else "")

    def render(self, r: SpecTrial) -> list[Any]:
        from lifecycle_kit._html import CAUTION_FILL, FAIL_FILL, NEUTRAL_FILL, PASS_FILL, bar_chart_svg

        labels = [_("caught (true alarms)"), _("missed"), _("false alarms"), _("clean, not flagged")]
        values = [r.true_alarms, int(r.corrupted.sum()) - r.true_alarms, r.false_alarms,
                  int((~r.corrupted).sum()) - r.false_alarms]
        items = [bar_chart_svg(labels, values, colours=[PASS_FILL, CAUTION_FILL, FAIL_FILL, NEUTRAL_FILL],
                               xmax=len(r.batch), value_format="{:,.0f}", title=_("Rows of the batch"))]
        frame = r.violations_frame()
        items.append(localise_frame(frame, VIOLATION_COLUMNS) if len(frame)
                     else "<p>" + _("No violations: the batch meets the specification.") + "</p>")
        return items
