"""MonitoringLab (stage 8): a year of bike rentals, a model built on winter, drift, alerts and retraining."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from lifecycle_kit.i18n import N_, _, language, ngettext
from lifecycle_kit.labs.base import Lab, dropdown, float_slider, localise_frame
from lifecycle_kit.labs.self_check import BUTTON_LAYOUT

if TYPE_CHECKING:
    import pandas as pd

    from lifecycle_kit.drift.monitoring import MonitoringResult, StreamMonitor

__all__ = ["MonitoringLab"]

FEATURES = ["hr", "weekday", "workingday", "holiday", "weathersit", "temp", "atemp", "hum", "windspeed"]
PERIOD_LABELS = {"week": N_("week"), "two weeks": N_("two weeks"), "month": N_("month")}
POLICY_LABELS = {"never": N_("never"), "schedule": N_("every 4 periods"), "on_alert": N_("when below the floor")}
# Translators: abbreviated month names, for dates such as "18 Apr".
MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"), N_("Aug"), N_("Sep"),
          N_("Oct"), N_("Nov"), N_("Dec"))
CHUNK_COLUMNS = {"period": N_("period"), "rows": N_("rows"), "score": N_("score"), "below_floor": N_("below_floor"),
                 "drift_share": N_("drift_share"), "drifted_columns": N_("drifted_columns"), "retrained": N_("retrained")}


def _day_month(timestamp: pd.Timestamp) -> str:
    return f"{timestamp.day:02d} {_(MONTHS[timestamp.month - 1])}"


class MonitoringLab(Lab):
    """Monitor hourly bike rentals through 2011 with a model trained on January and February.

    Performance (R² of the period's hourly counts) is known at the end of each
    period; an alert is raised below the floor fixed at model building. Input
    drift is measured per period against the data the current model learned
    from. Compare the retraining policies, or retrain by hand.

    Examples
    --------
    >>> lab = MonitoringLab()
    >>> lab.result.first_alert is not None
    True
    >>> lab.controls["policy"].value = "on_alert"
    >>> lab.result.retrain_count > 0
    True
    """

    title = N_("Monitoring lab (stage 8)")
    intro = N_("The model was built on January-February 2011. Watch it meet spring and summer.")

    _monitors: dict[tuple[str, str], StreamMonitor]  # one monitor per period and drift test

    def __init__(self, *, random_state: int = 0, lang: str | None = None) -> None:
        from lifecycle_kit.datasets import load

        bikes = load("bike_sharing")
        self.frame = bikes.frame.assign(bikers=bikes.target)
        self.random_state = random_state
        self._monitors = {}
        super().__init__(lang=lang)
        with language(self.lang):
            self._wire_retrain_button()

    def monitor(self, period: Literal["week", "two weeks", "month"], drift_test: Literal["psi", "wasserstein", "ks"]) -> StreamMonitor:
        key = (period, drift_test)
        if key not in self._monitors:
            from lifecycle_kit.drift.monitoring import StreamMonitor

            self._monitors[key] = StreamMonitor(self.frame, target="bikers", time_column="timestamp",
                                                features=FEATURES, reference_end="2011-03-01", period=period,
                                                drift_test=drift_test, random_state=self.random_state)
        return self._monitors[key]

    def _make_controls(self):
        import ipywidgets as widgets

        return {
            "period": dropdown(_("Period"), [(_(PERIOD_LABELS[p]), p) for p in PERIOD_LABELS], "week"),
            "drift_test": dropdown(_("Input drift test"), [
                (_("PSI > {limit}", limit=0.1), "psi"), (_("normalised Wasserstein > {limit}", limit=0.1), "wasserstein"),
                (_("KS p < {limit}", limit=0.05), "ks")], "psi"),
            "floor": float_slider(_("Performance floor (R²)"), 0.5, 0.0, 0.9, 0.05),
            "policy": dropdown(_("Retraining policy"), [(_(label), key) for key, label in POLICY_LABELS.items()], "never"),
            "manual": widgets.SelectMultiple(options=[], value=(), description=_("Retrained by hand after"),
                                             rows=4, style={"description_width": "initial"}),
        }

    def _wire_retrain_button(self):
        import ipywidgets as widgets

        self.retrain_at = widgets.IntSlider(value=8, min=0, max=max(0, len(self.monitor("week", "psi").periods) - 1),
                                            description=_("Period"), continuous_update=False)
        self.retrain_button = widgets.Button(description=_("Retrain after this period"), icon="", layout=BUTTON_LAYOUT)
        self.clear_button = widgets.Button(description=_("Clear manual retrains"), icon="", layout=BUTTON_LAYOUT)
        self.retrain_button.on_click(lambda _: self.retrain_after(self.retrain_at.value))
        self.clear_button.on_click(lambda _: setattr(self.controls["manual"], "value", ()))

    def retrain_after(self, period_index: int) -> None:
        """What the button does: add a manual retrain after the given period (0 = first monitored period)."""
        manual = self.controls["manual"]
        chosen = set(manual.value) | {int(period_index)}
        if int(period_index) not in manual.options:
            # Changing the options clears the selection; it is restored from `chosen` just below.
            manual.options = sorted(set(manual.options) | {int(period_index)})
        manual.value = tuple(sorted(chosen))

    def compute(self, period: Literal["week", "two weeks", "month"], drift_test: Literal["psi", "wasserstein", "ks"], floor: float, policy: str,
                manual: Sequence[int]) -> MonitoringResult:
        monitor = self.monitor(period, drift_test)
        return monitor.run(policy=policy, floor=floor, manual_retrains=manual)

    def summarize(self, r: MonitoringResult) -> str:
        first = _("never") if r.first_alert is None else _day_month(r.first_alert)
        retrains = ngettext("{n} retrain", "{n} retrains", r.retrain_count)
        drifted = int((r.chunks["drift_share"] > 0).sum())
        return _("Policy <b>{policy}</b>: {alerts} of {periods} periods below the floor {floor:.2f} (first: {first}); "
                 "{retrains}; mean R² {mean:.3f} (R² at model building {reference:.3f}). Input drift flagged in "
                 "{drifted} periods.", policy=_(POLICY_LABELS.get(r.policy, r.policy)), alerts=r.alerts,
                 periods=len(r.chunks), floor=r.floor, first=first, retrains=retrains, mean=r.mean_score(),
                 reference=r.reference_score, drifted=drifted)

    def render(self, r: MonitoringResult) -> list[Any]:
        from lifecycle_kit._html import line_chart_svg

        chunks = r.chunks
        labels = list(range(len(chunks)))
        chart = line_chart_svg(labels, {_("R² of the period"): [max(-0.5, s) for s in chunks["score"]],
                                        _("share of drifted inputs"): list(chunks["drift_share"])},
                               ylim=(-0.5, 1.0), reference=(_("floor"), r.floor), x_format="{:.0f}",
                               title=_("Performance and input drift per period (0 = first period after February)"),
                               xlabel=_("period"))
        retrains = ", ".join(str(i) for i, hit in enumerate(chunks["retrained"]) if hit) or _("none")
        head = _("Retrained before periods:")
        table = chunks.assign(period=chunks["period"].dt.strftime("%Y-%m-%d")).round(3)
        return [chart + f"<p><b>{head}</b> {retrains}</p>", localise_frame(table, CHUNK_COLUMNS)]

    def _controls_box(self):
        import ipywidgets as widgets

        box = super()._controls_box()
        # The manual-retrain slider sits outside the controls: give it their label width so its track lines up.
        self.retrain_at.style.description_width = self.controls["floor"].style.description_width
        self.retrain_at.layout.width = self.controls["floor"].layout.width
        return widgets.VBox([box, widgets.HBox([self.retrain_at, self.retrain_button, self.clear_button])])
