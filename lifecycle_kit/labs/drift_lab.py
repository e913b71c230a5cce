"""DriftLab (stage 8): drift kinds and patterns against stream detectors; the large-sample lesson."""

from __future__ import annotations

import math
from typing import Any

from lifecycle_kit.i18n import N_, _, ngettext
from lifecycle_kit.labs.base import Lab, dropdown, float_slider, int_slider

__all__ = ["DriftLab"]

SAMPLE_SIZES = (100, 500, 1000, 5000, 20000, 100000)
# The learner reads these for lifecycle_kit.drift.simulate's DRIFT_KINDS and PATTERNS (the values the core receives).
KIND_LABELS = {"none": N_("no drift"), "covariate": N_("covariate shift"), "prior": N_("prior shift"),
               "concept": N_("concept drift")}
PATTERN_LABELS = {"sudden": N_("sudden"), "gradual": N_("gradual"), "incremental": N_("incremental"),
                  "recurring": N_("recurring")}


class DriftLab(Lab):
    """A model trained before the change watches a stream of 4,000 rows; drift starts at row 2,000.

    Detectors watch the model's errors (Page-Hinkley, DDM, ADWIN) or the input
    feature x1 in windows (KS test). Sensitivity trades detection delay
    against false alarms. The last control shows the large-sample lesson: a
    0.1-standard-deviation shift tested with growing samples.

    Examples
    --------
    >>> lab = DriftLab()
    >>> lab.controls["kind"].value = "concept"
    >>> lab.result["trial"].delays[0] is not None
    True
    >>> lab.controls["watcher"].value = "input_ks"
    >>> lab.result["trial"].delays
    [None]
    """

    title = N_("Drift lab (stage 8)")
    intro = N_("Choose how the world changes and what watches it. Concept drift is invisible to input tests; "
               "covariate drift need not hurt accuracy.")

    def __init__(self, *, random_state: int = 0, lang: str | None = None) -> None:
        self.random_state = random_state
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        from lifecycle_kit.drift.simulate import DRIFT_KINDS, PATTERNS

        return {
            "kind": dropdown(_("Drift kind"), [(_(KIND_LABELS.get(k, k)), k) for k in DRIFT_KINDS], "concept"),
            "pattern": dropdown(_("Pattern"), [(_(PATTERN_LABELS.get(p, p)), p) for p in PATTERNS], "sudden"),
            "magnitude": float_slider(_("Magnitude"), 1.0, 0.0, 3.0, 0.25),
            "watcher": dropdown(_("Detector"), [(_("DDM on errors"), "ddm"), (_("Page-Hinkley on errors"), "page_hinkley"),
                                                (_("ADWIN on errors"), "adwin"),
                                                (_("KS test on input x1 (windows)"), "input_ks")], "ddm"),
            "sensitivity": int_slider(_("Sensitivity (1 cautious - 10 jumpy)"), 5, 1, 10),
            "sample_size": widgets.SelectionSlider(options=list(SAMPLE_SIZES), value=5000,
                                                   description=_("Sample size (large-sample lesson)"),
                                                   continuous_update=False, style={"description_width": "initial"},
                                                   layout={"width": "420px"}),
        }

    def compute(self, kind: str, pattern: str, magnitude: float, watcher: str, sensitivity: int,
                sample_size: int) -> dict[str, Any]:
        from lifecycle_kit.drift.trials import detection_trial, sample_size_lesson

        trial = detection_trial(kind=kind, pattern=pattern, magnitude=magnitude, watcher=watcher,
                                sensitivity=sensitivity, random_state=self.random_state)
        return {"trial": trial, "lesson": sample_size_lesson(sample_size, random_state=self.random_state)}

    def summarize(self, r: dict[str, Any]) -> str:
        t, lesson = r["trial"], r["lesson"]
        if t.stream.change_points:
            delay = t.delays[0]
            found = (_("first change detected after <b>{delay}</b> rows", delay=delay) if delay is not None
                     else "<b>" + _("change missed") + "</b>")
        else:
            found = _("no change in this stream")
        if math.isnan(t.accuracy_after):
            accuracy = _("accuracy {before:.3f} before the change", before=t.accuracy_before)
        else:
            accuracy = _("accuracy {before:.3f} before the change, {after:.3f} after", before=t.accuracy_before,
                         after=t.accuracy_after)
        alarms = ngettext("<b>{n}</b> false alarm", "<b>{n}</b> false alarms", t.false_alarms)
        detections = ngettext("{n} detection", "{n} detections", len(t.detections))
        return _("{found}; {alarms}; {detections}; {accuracy}. Large-sample lesson (n = {n:,}, shift 0.1 sd): KS p = "
                 "{p:.2g} ({ks_verdict}), PSI = {psi:.3f} ({psi_verdict}).", found=found, alarms=alarms,
                 detections=detections, accuracy=accuracy, n=lesson["n"], p=lesson["ks_p_value"],
                 ks_verdict=_("drift") if lesson["ks_drift"] else _("no drift"), psi=lesson["psi"],
                 psi_verdict=_("drift") if lesson["psi_drift"] else _("stable"))

    def render(self, r: dict[str, Any]) -> list[Any]:
        import numpy as np

        from lifecycle_kit._html import line_chart_svg

        t = r["trial"]
        window = 100
        errors = np.convolve(t.errors, np.ones(window) / window, mode="valid")
        positions = list(range(window, len(t.errors) + 1, window))
        rolling = [float(errors[p - window]) for p in positions]
        weights = [float(t.stream.frame["weight"].iloc[p - 1]) for p in positions]
        chart = line_chart_svg(positions, {_("error rate (last 100 rows)"): rolling, _("new concept's share"): weights},
                               title=_("The stream: errors and where the change is"), xlabel=_("row"),
                               x_format="{:.0f}")
        marks = "".join(f"<span style='color:#a50e0e'>&#9650;{d}</span> " for d in t.detections[:30])
        more = " " + _("... and {count} more", count=len(t.detections) - 30) if len(t.detections) > 30 else ""
        head, none = _("Detections at rows:"), _("none")
        detections = f"<p><b>{head}</b> {marks or none}{more}</p>"
        return [chart + detections]
