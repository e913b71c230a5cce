"""DriftLab (stage 8): drift kinds and patterns against stream detectors; the large-sample lesson."""

import math

from lifecycle_kit.labs.base import Lab, dropdown, float_slider, int_slider

__all__ = ["DriftLab"]

SAMPLE_SIZES = (100, 500, 1000, 5000, 20000, 100000)


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

    title = "Drift lab (stage 8)"
    intro = ("Choose how the world changes and what watches it. Concept drift is invisible to input tests; "
             "covariate drift need not hurt accuracy.")

    def __init__(self, *, random_state=0, lang=None):
        self.random_state = random_state
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        from lifecycle_kit.drift.simulate import DRIFT_KINDS, PATTERNS

        return {
            "kind": dropdown("Drift kind", list(DRIFT_KINDS), "concept"),
            "pattern": dropdown("Pattern", list(PATTERNS), "sudden"),
            "magnitude": float_slider("Magnitude", 1.0, 0.0, 3.0, 0.25),
            "watcher": dropdown("Detector", [("DDM on errors", "ddm"), ("Page-Hinkley on errors", "page_hinkley"),
                                             ("ADWIN on errors", "adwin"), ("KS test on input x1 (windows)", "input_ks")],
                                "ddm"),
            "sensitivity": int_slider("Sensitivity (1 cautious - 10 jumpy)", 5, 1, 10),
            "sample_size": widgets.SelectionSlider(options=list(SAMPLE_SIZES), value=5000,
                                                   description="Sample size (large-sample lesson)",
                                                   continuous_update=False, style={"description_width": "initial"},
                                                   layout={"width": "420px"}),
        }

    def compute(self, kind, pattern, magnitude, watcher, sensitivity, sample_size):
        from lifecycle_kit.drift.trials import detection_trial, sample_size_lesson

        trial = detection_trial(kind=kind, pattern=pattern, magnitude=magnitude, watcher=watcher,
                                sensitivity=sensitivity, random_state=self.random_state)
        return {"trial": trial, "lesson": sample_size_lesson(sample_size, random_state=self.random_state)}

    def summarize(self, r):
        t, lesson = r["trial"], r["lesson"]
        if t.stream.change_points:
            delay = t.delays[0]
            found = f"first change detected after <b>{delay}</b> rows" if delay is not None else "<b>change missed</b>"
        else:
            found = "no change in this stream"
        accuracy = f"accuracy {t.accuracy_before:.3f} before the change"
        if not math.isnan(t.accuracy_after):
            accuracy += f", {t.accuracy_after:.3f} after"
        return (f"{found}; <b>{t.false_alarms}</b> false alarm(s); {len(t.detections)} detection(s); {accuracy}. "
                f"Large-sample lesson (n = {lesson['n']:,}, shift 0.1 sd): KS p = {lesson['ks_p_value']:.2g} "
                f"({'drift' if lesson['ks_drift'] else 'no drift'}), PSI = {lesson['psi']:.3f} "
                f"({'drift' if lesson['psi_drift'] else 'stable'}).")

    def render(self, r):
        import numpy as np

        from lifecycle_kit._html import line_chart_svg

        t = r["trial"]
        window = 100
        errors = np.convolve(t.errors, np.ones(window) / window, mode="valid")
        positions = list(range(window, len(t.errors) + 1, window))
        rolling = [float(errors[p - window]) for p in positions]
        weights = [float(t.stream.frame["weight"].iloc[p - 1]) for p in positions]
        chart = line_chart_svg(positions, {"error rate (last 100 rows)": rolling, "new concept's share": weights},
                               title="The stream: errors and where the change is", xlabel="row",
                               x_format="{:.0f}")
        marks = "".join(f"<span style='color:#d93025'>&#9650;{d}</span> " for d in t.detections[:30])
        more = f" ... and {len(t.detections) - 30} more" if len(t.detections) > 30 else ""
        detections = f"<p><b>Detections at rows:</b> {marks or 'none'}{more}</p>"
        return [chart + detections]
