"""Deployment checks: does serving data still match what the model was trained on?

ISO/IEC 8183's deployment stage asks that input formats from sensors and other
sources match those used in training, and that the system be verified and
validated. :class:`DeploymentExperiment` applies a serving bug to a batch and
runs three independent checks side by side — the stage-2 specification
(structure, types, ranges and categories, rules), the distribution tests, and
the model itself — so it is visible which bug each check catches.
:func:`trigger_scan` adds a backdoor test to validation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from lifecycle_kit.display import vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, message_frame

if TYPE_CHECKING:
    from lifecycle_kit._typing import Matrix
    from lifecycle_kit.drift.compare import DriftReport
    from lifecycle_kit.poisoning.attacks import PixelPatch, ValuePattern
    from lifecycle_kit.quality.spec import DataSpec, Violation

__all__ = ["CHECK_GROUPS", "SEATTLE_BUG_COLUMNS", "DeploymentCheck", "DeploymentExperiment", "seattle_features",
           "trigger_scan"]

#: Which specification rules belong to which check.
CHECK_GROUPS = {
    "structure": ("missing_column", "unexpected_column"),
    "types": ("type",),
    "ranges and categories": ("range", "category", "implausible", "format", "missing"),
    "cross-field rules": ("rule",),
}

#: The column each serving bug hits in the Seattle weather demo (and its twin for a swap).
SEATTLE_BUG_COLUMNS = {
    "swapped_columns": ("temp_max", "temp_min"),
    "unit_x1000": ("wind", None),
    "celsius_to_fahrenheit": ("temp_max", None),
    "millimetres_to_centimetres": ("precipitation", None),
    "missing_column": ("wind", None),
    "renamed_category": ("season", None),
    "changed_dtype": ("temp_max", None),
    "none": (None, None),
}


def seattle_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Seattle weather features for the deployment demo: the measurements plus the season (a category)."""
    seasons = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring", 6: "summer",
               7: "summer", 8: "summer", 9: "autumn", 10: "autumn", 11: "autumn"}
    out = frame[["precipitation", "temp_max", "temp_min", "wind"]].copy()
    out["season"] = pd.to_datetime(frame["date"]).dt.month.map(seasons)
    return out


@dataclass
class DeploymentCheck:
    """What each check saw on one serving batch."""

    bug: str
    batch: pd.DataFrame
    violations: list[Violation]
    groups: dict[str, list[str]]
    drift: DriftReport | None
    accuracy: float
    clean_accuracy: float
    model_error: str

    def to_frame(self) -> pd.DataFrame:
        rows = [{"check": f"specification: {name}", "caught": bool(found), "detail": "; ".join(found) or "passes"}
                for name, found in self.groups.items()]
        drifted = self.drift.drifted_columns if self.drift is not None else []
        rows.append({"check": "distribution tests", "caught": bool(drifted),
                     "detail": ", ".join(drifted) if drifted else "no column drifted"})
        if self.model_error:
            rows.append({"check": "model", "caught": True, "detail": f"cannot predict: {self.model_error}"})
        else:
            drop = self.clean_accuracy - self.accuracy
            rows.append({"check": "model accuracy", "caught": drop > 0.05,
                         "detail": f"{self.accuracy:.3f} on the batch (clean batch {self.clean_accuracy:.3f})"})
        return message_frame(rows)


class DeploymentExperiment:
    """Train on a reference, then check serving batches with and without bugs.

    Parameters
    ----------
    frame : pandas.DataFrame
        Features.
    target : pandas.Series
    spec : DataSpec, default=None
        The stage-2 specification; inferred from the reference (ranges widened by 10%) when None.
    model : {"logistic", "tree", "forest", "knn", "svc"}, default="logistic"
        See :func:`lifecycle_kit.models.make_classifier`.
    test_size : float, default=0.3
        Share of rows that become the serving batch.
    random_state : int, default=0
    """

    def __init__(self, frame: pd.DataFrame, target: pd.Series, *, spec: DataSpec | None = None,
                 model: Literal["logistic", "tree", "forest", "knn", "svc"] = "logistic",
                 test_size: float = 0.3, random_state: int = 0) -> None:
        from sklearn.model_selection import train_test_split

        from lifecycle_kit.models import accuracy, make_classifier
        from lifecycle_kit.quality import infer_spec

        self.X_ref, self.X_batch, self.y_ref, self.y_batch = train_test_split(
            frame, target, test_size=test_size, random_state=random_state)
        # Ranges get a 10% margin: a clean batch should not raise false alarms (stage 2's lesson).
        self.spec = spec if spec is not None else infer_spec(self.X_ref, range_margin=0.1)
        self.model = make_classifier(self.X_ref, model=model, random_state=random_state).fit(self.X_ref, self.y_ref)
        self.clean_accuracy = accuracy(self.model, self.X_batch, self.y_batch)
        self.random_state = random_state

    def run(self, bug: str = "none", *, column: str | None = None, other: str | None = None,
            share: float = 1.0) -> DeploymentCheck:
        from lifecycle_kit.drift.compare import compare
        from lifecycle_kit.drift.simulate import serving_bug
        from lifecycle_kit.models import accuracy

        batch = serving_bug(self.X_batch, bug, column=column, other=other, share=share, random_state=self.random_state)
        violations = self.spec.validate(batch)
        groups = {name: [f"{v.column} ({v.rule}, {v.count})" for v in violations if v.rule in rules]
                  for name, rules in CHECK_GROUPS.items()}
        try:
            drift = compare(self.X_ref, batch, columns=[c for c in self.X_ref.columns if c in batch.columns])
        except LifecycleKitError:
            drift = None
        model_error = ""
        try:
            score = accuracy(self.model, batch, self.y_batch)
        except (ValueError, KeyError) as err:
            score, model_error = float("nan"), str(err).splitlines()[0][:120]
        return DeploymentCheck(bug=bug, batch=batch, violations=violations, groups=groups, drift=drift,
                               accuracy=score, clean_accuracy=self.clean_accuracy, model_error=model_error)


vocabulary(headings={"pattern": N_("trigger"), "changed": N_("predictions changed"), "top_class": N_("top class"),
                     "top_share": N_("share in the top class"), "suspicious": N_("suspicious")})


def trigger_scan(model: Any, X: Matrix, patterns: Mapping[str, PixelPatch | ValuePattern] | Sequence[PixelPatch], *,
                 labels: Sequence[str] | None = None) -> pd.DataFrame:
    """A validation test for backdoors: stamp each candidate trigger on clean inputs and watch the predictions.

    A backdoored model sends most triggered inputs to one class; a clean model's
    predictions barely move.

    Parameters
    ----------
    model : fitted classifier
    X : clean validation inputs
    patterns : dict or list
        ``{name: pattern}`` of :class:`~lifecycle_kit.poisoning.PixelPatch` or ``ValuePattern``, or a list of
        ``PixelPatch``, each named by its description (said in the reader's language when shown).

    Returns
    -------
    pandas.DataFrame
        ``pattern, changed, top_class, top_share, suspicious`` (suspicious: more than half of
        the inputs land in one class that was not already the majority).
    """
    from lifecycle_kit.poisoning.attacks import apply_trigger

    if not isinstance(patterns, Mapping):
        patterns = {pattern.describe(): pattern for pattern in patterns}
    before = np.asarray(model.predict(X))
    base_counts = pd.Series(before).value_counts(normalize=True)
    rows = []
    for name, pattern in patterns.items():
        after = np.asarray(model.predict(apply_trigger(X, pattern)))
        counts = pd.Series(after).value_counts(normalize=True)
        top, share = counts.index[0], float(counts.iloc[0])
        rows.append({"pattern": name, "changed": float(np.mean(after != before)), "top_class": top,
                     "top_share": share, "suspicious": share > 0.5 and share > 2 * base_counts.get(top, 0.0)})
    return message_frame(rows)
