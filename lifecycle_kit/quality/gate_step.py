"""A quality gate as a scikit-learn pipeline step: it checks every batch and refuses a failing one.

:class:`QualityGateStep` is a transformer that changes nothing: ``fit`` learns
the data specification from the training data (and refuses training data that
fails the gate, labels included); ``transform`` assesses each batch that flows
through the pipeline, at training and at prediction time, and either returns
it untouched or raises :class:`~lifecycle_kit.QualityGateError` with the
gate's reasons. Measures about labels are checked at ``fit`` only, because a
batch at prediction time has no labels.

This module imports scikit-learn; :mod:`lifecycle_kit.quality` loads it only
when ``QualityGateStep`` is first used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from lifecycle_kit.errors import LifecycleKitError, QualityGateError
from lifecycle_kit.i18n import _

if TYPE_CHECKING:
    from lifecycle_kit._typing import Matrix, Vector
    from lifecycle_kit.quality.gate import GateResult
    from lifecycle_kit.quality.spec import DataSpec

__all__ = ["QualityGateStep"]


@cache
def label_measures():
    """Ids of the measures that need labels (not applicable to a batch without a target)."""
    from lifecycle_kit.quality.assessment import assess
    from lifecycle_kit.quality.measures import MEASURES

    probe = assess(pd.DataFrame({"x": [1.0, 2.0, 3.0]}), measures=list(MEASURES))
    return frozenset(k for k, why in probe.not_applicable.items() if why.startswith("needs a target"))


def _frame(X, where):
    """``X`` as a DataFrame; arrays are checked the way scikit-learn checks them (2-D, not complex, not empty)."""
    from sklearn.utils.validation import check_array

    if isinstance(X, pd.DataFrame):
        if X.shape[1] == 0:
            raise LifecycleKitError(f"{where}: 0 feature(s) (shape={X.shape}) while a minimum of 1 is required.")
        return X
    if hasattr(X, "toarray"):
        raise LifecycleKitError(f"{where}: sparse X is not supported by the quality gate; pass a dense array or a DataFrame")
    try:
        try:
            values = check_array(X, dtype=None, ensure_all_finite=False, input_name="X")
        except TypeError:  # scikit-learn < 1.6 names the option force_all_finite
            values = check_array(X, dtype=None, force_all_finite=False, input_name="X")
    except ValueError as err:
        raise LifecycleKitError(f"{where}: {err}") from None
    return pd.DataFrame(values)


class QualityGateStep(TransformerMixin, BaseEstimator):
    """A pipeline step that lets through only data meeting the gate's thresholds.

    Parameters
    ----------
    thresholds : dict, default=None
        ``{measure_id: minimum value}``, as for :class:`QualityGate`; ``None`` uses
        its defaults (completeness, labels, duplicates, label consistency and
        syntactic accuracy).
    spec : DataSpec, default=None
        The written requirements. When ``None`` and ``infer_spec`` is true, a
        specification is inferred from the training data at ``fit``.
    infer_spec : bool, default=True
        Learn ``spec_`` from the training data, so measures that need
        requirements (ranges, formats) can judge later batches.
    check_fit_data : bool, default=True
        Also refuse training data that fails the gate (with the labels, when
        ``y`` is given).
    on_not_applicable : {"fail", "skip"}, default="skip"
        What to do when a gated measure cannot be computed on a batch. Label
        measures are never applied to a batch; they are checked at ``fit``.

    Attributes
    ----------
    spec_ : DataSpec or None
        The specification batches are judged against.
    fit_result_ : GateResult or None
        The gate's decision on the training data (``None`` when not checked).
    batch_measures_ : list of str
        The measures checked on every batch (the gated ones minus label measures).
    n_features_in_ : int
    feature_names_in_ : numpy.ndarray
        Only when fitted on a DataFrame with string column names.

    Notes
    -----
    scikit-learn's ``check_estimator`` passes on a gate whose thresholds
    let its test data through (``{"Com-ML-1": 0, "Con-ML-1": 0, "Con-ML-2": 0}``;
    tests/test_sklearn_gate.py). With the default thresholds about thirty of
    its checks fail, by design: their random integer data hold exact
    duplicates and conflicting labels, which the gate exists to refuse.

    Raises
    ------
    QualityGateError
        From ``fit`` or ``transform`` when the data fails; ``err.reasons`` has one line per failed measure.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import Pipeline
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    >>> y = (X["a"] > 0).astype(int)
    >>> model = Pipeline([("gate", QualityGateStep(thresholds={"Com-ML-1": 0.95})),
    ...                   ("model", LogisticRegression())]).fit(X, y)
    >>> model.predict(X.head(3)).tolist()
    [1, 0, 1]
    >>> broken = X.head(10).copy(); broken.loc[:4, "a"] = np.nan
    >>> try:
    ...     model.predict(broken)
    ... except QualityGateError as err:
    ...     print(err.reasons[0])
    Com-ML-1 value completeness = 0.750 is below 0.95: 5 of 20 cells missing (most in a: 5)
    """

    def __init__(self, *, thresholds: Mapping[str, float] | None = None, spec: DataSpec | None = None,
                 infer_spec: bool = True, check_fit_data: bool = True,
                 on_not_applicable: Literal["fail", "skip"] = "skip") -> None:
        self.thresholds = thresholds
        self.spec = spec
        self.infer_spec = infer_spec
        self.check_fit_data = check_fit_data
        self.on_not_applicable = on_not_applicable

    def _gate(self, measures=None):
        from lifecycle_kit.quality.gate import DEFAULT_GATE, QualityGate

        thresholds = dict(DEFAULT_GATE if self.thresholds is None else self.thresholds)
        if measures is not None:
            thresholds = {k: v for k, v in thresholds.items() if k in measures}
        gate = QualityGate(thresholds, on_not_applicable=self.on_not_applicable)
        return gate

    def fit(self, X: Matrix, y: Vector | None = None) -> QualityGateStep:
        """Learn the specification from ``X`` (and check ``X``, ``y`` against the gate)."""
        from lifecycle_kit.quality.spec import DataSpec
        from lifecycle_kit.quality.spec import infer_spec as infer

        frame = _frame(X, "QualityGateStep.fit")
        if len(frame) == 0:
            raise LifecycleKitError("QualityGateStep.fit: X has 0 rows; a gate needs data to learn from")
        gate = self._gate()
        gate._validate()
        if self.spec is not None and not isinstance(self.spec, DataSpec):
            raise LifecycleKitError(f"spec must be a DataSpec; got {type(self.spec).__name__}")
        self.n_features_in_ = frame.shape[1]
        if isinstance(X, pd.DataFrame) and all(isinstance(c, str) for c in X.columns):
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self.spec_ = self.spec if self.spec is not None else (infer(frame) if self.infer_spec else None)
        self.batch_measures_ = [k for k in gate.thresholds if k not in label_measures()]
        self.fit_result_ = None
        if self.check_fit_data:
            target = None if y is None else pd.Series(np.asarray(y), index=frame.index)
            if target is not None and len(target) != len(frame):
                raise LifecycleKitError(f"QualityGateStep.fit: X has {len(frame)} rows but y has {len(target)}")
            measures = None if target is not None else self.batch_measures_
            self.fit_result_ = self._gate(measures).check_data(frame, target=target, spec=self.spec_)
            if not self.fit_result_.passed:
                raise QualityGateError(_("quality gate refused the training data: {reasons}",
                                         reasons="; ".join(_(r) for r in self.fit_result_.reasons)),
                                       reasons=self.fit_result_.reasons)
        return self

    def check(self, X: Matrix) -> GateResult:
        """The gate's decision on one batch (a :class:`GateResult`), without raising."""
        check_is_fitted(self, "batch_measures_")
        frame = _frame(X, "QualityGateStep.transform")
        if frame.shape[1] != self.n_features_in_:
            raise LifecycleKitError(f"X has {frame.shape[1]} features, but QualityGateStep is expecting "
                                    f"{self.n_features_in_} features as input")
        names = getattr(self, "feature_names_in_", None)
        if names is not None and isinstance(X, pd.DataFrame) and list(X.columns) != list(names):
            raise LifecycleKitError("QualityGateStep.transform: the columns differ from those seen in fit; expected "
                                    + ", ".join(map(str, names)))
        if not self.batch_measures_:
            from lifecycle_kit.quality.gate import GateResult

            return GateResult(passed=True, reasons=[], checked={})
        return self._gate(self.batch_measures_).check_data(frame, spec=self.spec_)

    def transform(self, X: Matrix) -> pd.DataFrame | np.ndarray:
        """Return ``X`` unchanged if it passes the gate; otherwise raise :class:`QualityGateError`."""
        result = self.check(X)
        if not result.passed:
            raise QualityGateError(_("quality gate refused the batch: {reasons}",
                                     reasons="; ".join(_(r) for r in result.reasons)), reasons=result.reasons)
        return self._passthrough(X)

    def fit_transform(self, X: Matrix, y: Vector | None = None, **fit_params: Any) -> pd.DataFrame | np.ndarray:
        """Fit and return ``X`` unchanged (with ``check_fit_data`` the training data was checked in ``fit``)."""
        if not self.check_fit_data:
            return self.fit(X, y).transform(X)
        return self.fit(X, y)._passthrough(X)

    @staticmethod
    def _passthrough(X):
        # Frames and arrays go through as they are (same object); lists and other array-likes as an array.
        return X if isinstance(X, (pd.DataFrame, np.ndarray)) else np.asarray(X)

    def get_feature_names_out(self, input_features: Sequence[str] | None = None) -> np.ndarray:
        """The input feature names: the step changes nothing."""
        check_is_fitted(self, "n_features_in_")
        names = getattr(self, "feature_names_in_", None)
        if input_features is not None:
            return np.asarray(input_features, dtype=object)
        if names is not None:
            return names
        return np.asarray([f"x{i}" for i in range(self.n_features_in_)], dtype=object)

    def _more_tags(self):  # scikit-learn < 1.6
        return {"allow_nan": True, "X_types": ["2darray", "categorical", "string"],
                "preserves_dtype": [np.float64, np.float32]}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # The gate judges missing values and categories instead of refusing them outright.
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
