"""MonitoringLab (stage 8): a year of bike rentals, a model built on winter, drift, alerts and retraining."""

from lifecycle_kit.labs.base import Lab, dropdown, float_slider

__all__ = ["MonitoringLab"]

FEATURES = ["hr", "weekday", "workingday", "holiday", "weathersit", "temp", "atemp", "hum", "windspeed"]


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

    title = "Monitoring lab (stage 8)"
    intro = "The model was built on January-February 2011. Watch it meet spring and summer."

    def __init__(self, *, random_state=0, lang=None):
        from lifecycle_kit.datasets import load

        bikes = load("bike_sharing")
        self.frame = bikes.frame.assign(bikers=bikes.target)
        self.random_state = random_state
        self._monitors = {}
        super().__init__(lang=lang)
        self._wire_retrain_button()

    def monitor(self, period, drift_test):
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
            "period": dropdown("Period", ["week", "two weeks", "month"], "week"),
            "drift_test": dropdown("Input drift test", [("PSI > 0.1", "psi"), ("normalised Wasserstein > 0.1", "wasserstein"),
                                                        ("KS p < 0.05", "ks")], "psi"),
            "floor": float_slider("Performance floor (R²)", 0.5, 0.0, 0.9, 0.05),
            "policy": dropdown("Retraining policy", [("never", "never"), ("every 4 periods", "schedule"),
                                                     ("when below the floor", "on_alert")], "never"),
            "manual": widgets.SelectMultiple(options=[], value=(), description="Retrained by hand after",
                                             rows=4, style={"description_width": "initial"}),
        }

    def _wire_retrain_button(self):
        import ipywidgets as widgets

        self.retrain_at = widgets.IntSlider(value=8, min=0, max=max(0, len(self.monitor("week", "psi").periods) - 1),
                                            description="Period", continuous_update=False)
        self.retrain_button = widgets.Button(description="Retrain after this period", icon="")
        self.clear_button = widgets.Button(description="Clear manual retrains", icon="")
        self.retrain_button.on_click(lambda _: self.retrain_after(self.retrain_at.value))
        self.clear_button.on_click(lambda _: setattr(self.controls["manual"], "value", ()))

    def retrain_after(self, period_index):
        """What the button does: add a manual retrain after the given period (0 = first monitored period)."""
        manual = self.controls["manual"]
        chosen = set(manual.value) | {int(period_index)}
        if int(period_index) not in manual.options:
            # Changing the options clears the selection; it is restored from `chosen` just below.
            manual.options = sorted(set(manual.options) | {int(period_index)})
        manual.value = tuple(sorted(chosen))

    def compute(self, period, drift_test, floor, policy, manual):
        monitor = self.monitor(period, drift_test)
        return monitor.run(policy=policy, floor=floor, manual_retrains=manual)

    def summarize(self, r):
        first = "never" if r.first_alert is None else r.first_alert.strftime("%d %b")
        return (f"Policy <b>{r.policy}</b>: {r.alerts} of {len(r.chunks)} periods below the floor {r.floor:.2f} "
                f"(first: {first}); {r.retrain_count} retrain(s); mean R² {r.mean_score():.3f} "
                f"(R² at model building {r.reference_score:.3f}). Input drift flagged in "
                f"{int((r.chunks['drift_share'] > 0).sum())} periods.")

    def render(self, r):
        from lifecycle_kit._html import line_chart_svg

        chunks = r.chunks
        labels = list(range(len(chunks)))
        chart = line_chart_svg(labels, {"R² of the period": [max(-0.5, s) for s in chunks["score"]],
                                        "share of drifted inputs": list(chunks["drift_share"])},
                               ylim=(-0.5, 1.0), reference=("floor", r.floor), x_format="{:.0f}",
                               title="Performance and input drift per period (0 = first period after February)",
                               xlabel="period")
        retrains = ", ".join(str(i) for i, hit in enumerate(chunks["retrained"]) if hit) or "none"
        return [chart + f"<p><b>Retrained before periods:</b> {retrains}</p>",
                chunks.assign(period=chunks["period"].dt.strftime("%Y-%m-%d")).round(3)]

    def _controls_box(self):
        import ipywidgets as widgets

        box = super()._controls_box()
        # The manual-retrain slider sits outside the controls: give it their label width so its track lines up.
        self.retrain_at.style.description_width = self.controls["floor"].style.description_width
        self.retrain_at.layout.width = self.controls["floor"].layout.width
        return widgets.VBox([box, widgets.HBox([self.retrain_at, self.retrain_button, self.clear_button])])
