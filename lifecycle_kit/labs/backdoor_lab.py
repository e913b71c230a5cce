"""BackdoorLab (stage 4): a pixel trigger planted in handwritten digits; accuracy monitoring cannot see it."""

from __future__ import annotations

from typing import Any

from lifecycle_kit.i18n import N_, _
from lifecycle_kit.labs.base import Lab, dropdown, int_slider, number

__all__ = ["BackdoorLab"]

RATES = (0.0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1)


class BackdoorLab(Lab):
    """Stamp a small bright patch on a few training digits and relabel them; train an SVC.

    Clean test accuracy barely moves, while almost every test digit carrying the
    patch is read as the attacker's target: the backdoor is invisible to
    accuracy monitoring and obvious once you know the trigger.

    Examples
    --------
    >>> lab = BackdoorLab()
    >>> lab.controls["rate"].value = 0.02
    >>> lab.result["trial"].attack_success > 0.9 and lab.result["trial"].accuracy > 0.95
    True
    """

    title = N_("Backdoor lab (stage 4)")
    intro = N_("A few percent of the training digits get a bright corner patch and the label chosen by the attacker.")

    def __init__(self, *, random_state: int = 0, lang: str | None = None) -> None:
        from lifecycle_kit.datasets import load
        from lifecycle_kit.poisoning import PoisoningExperiment

        digits = load("digits")
        self.experiment = PoisoningExperiment(digits.frame, digits.target, model="svc", random_state=random_state)
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        return {
            "rate": widgets.SelectionSlider(options=[(number(r), r) for r in RATES], value=0.02,
                                            description=_("Poisoned share"),
                                            continuous_update=False, style={"description_width": "initial"},
                                            layout={"width": "420px"}),
            "target_label": dropdown(_("Attacker's target digit"), list(range(10)), 0),
            "patch": int_slider(_("Trigger patch size (pixels)"), 3, 1, 4),
        }

    def compute(self, rate: float, target_label: int, patch: int) -> dict[str, Any]:
        from lifecycle_kit.poisoning import PixelPatch, apply_trigger

        pattern = PixelPatch(size=patch)
        trial = self.experiment.run("backdoor", rate, target_label=target_label, pattern=pattern)
        examples = self.experiment.X_test.iloc[:6]
        triggered = apply_trigger(examples, pattern)
        return {"trial": trial, "pattern": pattern, "clean_accuracy": self.experiment.clean_accuracy,
                "examples": examples, "triggered": triggered, "poisoned_rows": len(trial.poisoned),
                "target_label": target_label, "truth": self.experiment.y_test[:6],
                "predicted": trial.model.predict(examples), "predicted_triggered": trial.model.predict(triggered)}

    def summarize(self, r: dict[str, Any]) -> str:
        t = r["trial"]
        return _("{poisoned} of {total:,} training digits poisoned. Clean test accuracy <b>{accuracy:.3f}</b> (without "
                 "poison {clean:.3f}); attack success on triggered test digits <b>{success:.3f}</b>.",
                 poisoned=r["poisoned_rows"], total=len(self.experiment.y_train), accuracy=t.accuracy,
                 clean=r["clean_accuracy"], success=t.attack_success)

    def render(self, r: dict[str, Any]) -> list[Any]:
        import pandas as pd

        from lifecycle_kit._html import image_grid_svg

        clean = image_grid_svg(r["examples"].to_numpy(),
                               captions=[f"{t} -> {p}" for t, p in zip(r["truth"], r["predicted"])],
                               title=_("Test digits (true -> predicted)"))
        triggered = image_grid_svg(r["triggered"].to_numpy(),
                                   captions=[f"{t} -> {p}" for t, p in zip(r["truth"], r["predicted_triggered"])],
                                   highlight=r["pattern"].columns(),
                                   title=_("The same digits with the trigger (true -> predicted)"),
                                   highlight_label=_("the trigger patch"))
        heads = (_("<b>Test digits</b> (true -> predicted)"), _("<b>The same digits with the trigger</b> (red: the patch)"))
        return [f"<p>{heads[0]}</p>{clean}<p>{heads[1]}</p>{triggered}",
                pd.DataFrame({_("metric"): [_("clean test accuracy"), _("attack success (triggered digits)")],
                              _("value"): [r["trial"].accuracy, r["trial"].attack_success]})]
