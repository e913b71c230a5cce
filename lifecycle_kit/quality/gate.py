"""A quality gate: data that misses its thresholds does not reach a model.

Zatsarinny and Gavrilov recommend assessing data quality *before* a model is
built (ISO/IEC 5259-2 defines the quality measures; the paper notes that the
life-cycle standard requires such an assessment only for AI systems linked to
public safety). A :class:`QualityGate` holds the thresholds agreed at the
requirements stage; ``check`` says whether a report passes, and why not;
``fit(X, y)`` checks training data and refuses data that fails, raising
:class:`~lifecycle_kit.QualityGateError` with the reasons (and fits an
``estimator=`` only when the data passes). In a scikit-learn ``Pipeline`` use
:class:`~lifecycle_kit.quality.QualityGateStep`, which checks every batch.

Examples
--------
>>> import pandas as pd
>>> from lifecycle_kit.quality import QualityGate
>>> gate = QualityGate({"Com-ML-1": 0.95, "Con-ML-1": 0.99})
>>> df = pd.DataFrame({"x": [1.0, None, None, 4.0], "y": [0, 1, 0, 1]})
>>> result = gate.check_data(df, target="y")
>>> result.passed
False
>>> print(result.reasons[0])
Com-ML-1 value completeness = 0.500 is below 0.95: 2 of 4 cells missing (most in x: 2)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from lifecycle_kit import _html
from lifecycle_kit.errors import LifecycleKitError, QualityGateError
from lifecycle_kit.i18n import N_, _, ngettext
from lifecycle_kit.quality.measures import MEASURES
from lifecycle_kit.results import ResultMixin

if TYPE_CHECKING:
    import pandas as pd

    from lifecycle_kit._typing import Matrix, Vector
    from lifecycle_kit.quality.assessment import QualityReport
    from lifecycle_kit.quality.spec import DataSpec

__all__ = ["GateResult", "QualityGate"]

#: A sensible default gate for tabular training data.
DEFAULT_GATE = {"Com-ML-1": 0.95, "Com-ML-4": 0.99, "Con-ML-1": 0.99, "Con-ML-2": 0.99, "Acc-ML-1": 0.99}



def said(reason: str) -> str:
    """A gate's reason in the reader's language, the measure's name included (the reason itself stays English)."""
    params = getattr(reason, "params", None)
    if params and "measure" in params:
        return _(reason, measure=_(params["measure"]))
    return _(reason)

@dataclass(frozen=True)
class GateResult(ResultMixin):
    """What a gate decided: ``passed``, one readable ``reasons`` line per failure, the ``checked`` values."""

    passed: bool
    reasons: list[str]
    checked: dict[str, float]

    _result_kind = "gate_result"

    def __bool__(self):
        return self.passed

    def _repr_html_(self):
        if self.passed:
            return ("<div class='lk-gate lk-gate-open'>" + _html.verdict_html(
                True, _("every checked measure meets its threshold."), title=_("Gate open:")) + "</div>")
        return ("<div class='lk-gate lk-gate-blocked'>" + _html.verdict_html(
            False, ngettext("{n} reason", "{n} reasons", len(self.reasons)), title=_("Gate blocked:")) + _html.items_html([said(r) for r in self.reasons]) + "</div>")


class QualityGate:
    """Thresholds a dataset must meet before a model may be trained on it.

    Parameters
    ----------
    thresholds : dict, default=None
        ``{measure_id: minimum value}``; defaults to completeness, labels,
        duplicates, label consistency and syntactic accuracy.
    on_not_applicable : {"fail", "skip"}, default="fail"
        What to do when a gated measure cannot be computed (for example a
        label measure without a target): failing is the safe choice.
    """

    def __init__(self, thresholds: Mapping[str, float] | None = None, *,
                 on_not_applicable: Literal["fail", "skip"] = "fail") -> None:
        self.thresholds = dict(DEFAULT_GATE if thresholds is None else thresholds)
        self.on_not_applicable = on_not_applicable

    def _validate(self):
        if self.on_not_applicable not in ("fail", "skip"):
            raise LifecycleKitError(_("on_not_applicable must be 'fail' or 'skip'; got {value}",
                                      value=repr(self.on_not_applicable)))
        if not self.thresholds:
            raise LifecycleKitError(_("a gate needs at least one threshold"))
        for key, value in self.thresholds.items():
            if key not in MEASURES:
                raise LifecycleKitError(_("unknown measure {key} in the gate; known: {known}", key=repr(key),
                                          known=", ".join(MEASURES)))
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise LifecycleKitError(_("gate threshold for {key} must be in [0, 1]; got {value}", key=key,
                                          value=repr(value)))

    def check(self, report: QualityReport) -> GateResult:
        """Whether a :class:`QualityReport` passes, with one readable reason per failure."""
        self._validate()
        reasons: list[str] = []
        checked: dict[str, float] = {}
        for key, minimum in self.thresholds.items():
            try:
                result = report[key]
            except KeyError:
                why = report.not_applicable.get(key, _("not measured"))
                if self.on_not_applicable == "fail":
                    # N_: the reason reads as English (and in to_dict), and is said in the reader's language when shown.
                    reasons.append(N_("{key} {measure} could not be checked: {why}", key=key,
                                      measure=MEASURES[key].name, why=why))
                continue
            checked[key] = result.value
            if result.value < minimum:
                reasons.append(N_("{key} {measure} = {value:.3f} is below {minimum:g}: {detail}", key=key,
                                  measure=result.measure, value=result.value, minimum=minimum, detail=result.detail))
        return GateResult(passed=not reasons, reasons=reasons, checked=checked)

    def check_data(self, df: pd.DataFrame, *, target: str | pd.Series | None = None, spec: DataSpec | None = None,
                   reference: pd.DataFrame | None = None) -> GateResult:
        """Assess ``df`` (only the gated measures) and check the report."""
        from lifecycle_kit.quality.assessment import assess

        self._validate()
        report = assess(df, target=target, spec=spec, reference=reference, measures=list(self.thresholds))
        return self.check(report)

    def fit(self, X: Matrix, y: Vector | None = None, *args: Any, estimator: Any = None, spec: DataSpec | None = None,
            **fit_params: Any) -> Any:
        """Check training data ``(X, y)``; refuse it, or fit ``estimator`` on it only if it passes.

        Parameters
        ----------
        X : pandas.DataFrame or array-like
            Training features.
        y : array-like, default=None
            Labels (label measures are not applicable without them).
        estimator : scikit-learn estimator, default=None
            Fitted on ``(X, y, **fit_params)`` when the data passes.
        spec : DataSpec, default=None

        Returns
        -------
        estimator or self
            The fitted ``estimator`` when one is given (as ``estimator.fit`` returns it), otherwise the
            gate itself, with the decision in ``result_``.

        Raises
        ------
        QualityGateError
            When the data fails; ``reasons`` lists every failed measure.

        Notes
        -----
        Before version 0.2 the call was ``fit(estimator, X, y)``. It still works, with a
        ``FutureWarning`` naming the new form ``fit(X, y, estimator=estimator)``.

        Examples
        --------
        >>> import pandas as pd
        >>> from sklearn.dummy import DummyClassifier
        >>> gate = QualityGate({"Com-ML-1": 0.9})
        >>> model = gate.fit(pd.DataFrame({"x": [1.0, 2.0, 3.0]}), [0, 1, 0], estimator=DummyClassifier())
        >>> type(model).__name__
        'DummyClassifier'
        """
        import pandas as pd

        if args or (hasattr(X, "fit") and hasattr(X, "get_params")):
            if len(args) > 1 or estimator is not None:
                raise LifecycleKitError("QualityGate.fit takes (X, y, estimator=...); got too many positional arguments")
            warnings.warn("QualityGate.fit(estimator, X, y) is deprecated and will be removed in 0.3; "
                          "call QualityGate.fit(X, y, estimator=estimator)", FutureWarning, stacklevel=2)
            estimator, X, y = X, y, (args[0] if args else None)
        frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
        target = None if y is None else pd.Series(y, index=frame.index)
        result = self.check_data(frame, target=target, spec=spec)
        self.result_ = result
        if not result.passed:
            if estimator is not None:
                message = _("quality gate refused to fit {estimator}: {reasons}", estimator=type(estimator).__name__,
                            reasons="; ".join(said(r) for r in result.reasons))
            else:
                message = _("quality gate refused the data: {reasons}", reasons="; ".join(said(r) for r in result.reasons))
            raise QualityGateError(message, reasons=result.reasons)
        if estimator is None:
            return self
        return estimator.fit(X, y, **fit_params)

    def __repr__(self):
        return f"QualityGate({self.thresholds!r})"
