"""Small, fixed model recipes for the demos, so every stage trains the same way.

Tabular frames mix numbers, categories and text that should have been
numbers; :func:`make_classifier` builds a scikit-learn pipeline that copes
(coercion, imputation, one-hot encoding, scaling) so a learner's damaged data
reaches the model instead of crashing it. scikit-learn is imported here, not
at ``import lifecycle_kit``.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

    from lifecycle_kit._typing import Matrix, Predictor, Vector

__all__ = ["MODELS", "REGRESSORS", "ClassificationSummary", "accuracy", "classification_table", "make_classifier", "make_regressor",
           "split_columns"]

#: The regressors :func:`make_regressor` builds, by name.
REGRESSORS = ("tree", "forest", "linear")

#: The classifiers :func:`make_classifier` builds, by name.
MODELS = ("logistic", "tree", "forest", "knn", "svc")


def split_columns(X: pd.DataFrame, *, max_levels: int = 50) -> tuple[list[Hashable], list[Hashable]]:
    """(numeric columns, categorical columns) of a frame; text with many levels is left out."""
    from lifecycle_kit.quality._frames import as_numeric

    numeric, categorical = [], []
    for c in X.columns:
        s = X[c]
        if pd.api.types.is_bool_dtype(s.dtype):
            categorical.append(c)
        elif pd.api.types.is_numeric_dtype(s.dtype):
            numeric.append(c)
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            continue
        else:
            present = s.dropna()
            if len(present) and as_numeric(present).notna().mean() >= 0.9:
                numeric.append(c)  # numbers stored as text: coerced, the rest imputed
            elif s.nunique() <= max_levels:
                categorical.append(c)
    return numeric, categorical


def _to_float_frame(frame):
    from lifecycle_kit.quality._frames import as_numeric

    return np.column_stack([as_numeric(frame[c]).replace([np.inf, -np.inf], np.nan).to_numpy() for c in frame.columns]) \
        if frame.shape[1] else np.empty((len(frame), 0))


def _to_unit_intensity(values):
    """Pixel intensities divided by the largest intensity of the 8x8 digits (16)."""
    return np.asarray(values, dtype=float) / 16.0


def _to_text_frame(frame):
    return frame.astype("string").fillna("<missing>").astype(object).to_numpy()


def _estimator(model, random_state):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    if model == "logistic":
        return LogisticRegression(max_iter=2000)
    if model == "tree":
        return DecisionTreeClassifier(random_state=random_state)
    if model == "forest":
        return RandomForestClassifier(n_estimators=100, random_state=random_state, n_jobs=1)
    if model == "knn":
        return KNeighborsClassifier()
    if model == "svc":
        return SVC(C=10.0)
    raise LifecycleKitError(_("model must be one of {allowed}; got {value}", allowed=", ".join(MODELS), value=repr(model)))


def make_classifier(X: Matrix, *, model: Literal["logistic", "tree", "forest", "knn", "svc"] = "logistic",
                    random_state: int | None = 0) -> Pipeline:
    """A pipeline for the frame ``X``: numbers coerced, imputed and scaled; categories one-hot encoded.

    Parameters
    ----------
    X : pandas.DataFrame or array-like of shape (n_rows, n_features)
        Training features (used only to decide which columns are which).
    model : {"logistic", "tree", "forest", "knn", "svc"}, default="logistic"
    random_state : int or None, default=0
        Seed of the tree and forest models.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Not fitted.

    Examples
    --------
    >>> from lifecycle_kit.datasets import load
    >>> ds = load("penguins")
    >>> clf = make_classifier(ds.frame).fit(ds.frame, ds.target)
    >>> round(clf.score(ds.frame, ds.target), 2) > 0.95
    True
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    estimator = _estimator(model, random_state)
    if not isinstance(X, pd.DataFrame):
        return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), estimator)
    if all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in X.dtypes):
        if all(str(c).startswith("pixel") for c in X.columns):
            # Pixels share one scale; scaling each pixel separately would turn a bright corner (almost always
            # blank in training) into an enormous value and make any model erratic on it.
            return make_pipeline(SimpleImputer(strategy="median"), FunctionTransformer(_to_unit_intensity), estimator)
        # All numeric columns (breast cancer, wine): a lighter pipeline, several times faster to fit.
        return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), estimator)
    numeric, categorical = split_columns(X)
    if not numeric and not categorical:
        raise LifecycleKitError(_("no usable feature columns (numbers or categories) to train on"))
    parts = []
    if numeric:
        parts.append(("numeric", make_pipeline(FunctionTransformer(_to_float_frame), SimpleImputer(strategy="median"),
                                               StandardScaler()), numeric))
    if categorical:
        parts.append(("categorical", make_pipeline(FunctionTransformer(_to_text_frame),
                                                   OneHotEncoder(handle_unknown="ignore", min_frequency=5)), categorical))
    return Pipeline([("prepare", ColumnTransformer(parts, remainder="drop")), ("model", estimator)])


def accuracy(model: Predictor, X: Matrix, y: Vector) -> float:
    """Share of correct predictions of a fitted ``model`` (anything with ``predict``) on ``X`` against ``y``."""
    return float(np.mean(np.asarray(model.predict(X)) == np.asarray(y)))


class ClassificationSummary:
    """scikit-learn's classification report as a table, and the accuracy, shown in the reader's language.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per class, then ``macro avg`` and ``weighted avg``: ``precision, recall, f1, support``.
    accuracy : float
        Share of all rows predicted correctly.
    """

    def __init__(self, frame: pd.DataFrame, accuracy: float) -> None:
        self.frame, self.accuracy = frame, accuracy

    def _repr_html_(self) -> str:
        from lifecycle_kit.display import Lines, Table, View

        lines = Lines([N_("Accuracy on {n} test rows: {accuracy:.3f}.", n=int(self.frame["support"].iloc[-1]),
                          accuracy=self.accuracy)])
        return View(lines, Table(self.frame, digits=3))._repr_html_()


def classification_table(y_true: Vector, y_pred: Vector) -> ClassificationSummary:
    """Per class: precision, recall, F1 and support, and the accuracy (:func:`sklearn.metrics.classification_report`).

    >>> result = classification_table(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    >>> result.frame.round(2).to_dict("index")["a"], result.accuracy
    ({'precision': 1.0, 'recall': 0.5, 'f1': 0.67, 'support': 2}, 0.75)
    """
    from sklearn.metrics import classification_report

    from lifecycle_kit.display import vocabulary

    vocabulary(headings={"class": N_("class"), "precision": N_("precision"), "recall": N_("recall"),
                         "f1": N_("F1 score"), "support": N_("rows")},
               values={"class": {"macro avg": N_("macro average"), "weighted avg": N_("weighted average")}})
    report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    accuracy = float(report.pop("accuracy"))
    frame = pd.DataFrame.from_dict({label: {"precision": scores["precision"], "recall": scores["recall"],
                                            "f1": scores["f1-score"], "support": int(scores["support"])}
                                    for label, scores in report.items()}, orient="index")
    frame.index.name = "class"
    return ClassificationSummary(frame, accuracy)


def make_regressor(X: pd.DataFrame, *, model: Literal["tree", "forest", "linear"] = "tree",
                   random_state: int | None = 0) -> Pipeline:
    """A regression pipeline: numbers imputed, categories ordinal-encoded, then the model.

    ``tree`` (depth 8) cannot extrapolate beyond the values it was trained on —
    the point of the monitoring demos; ``linear`` (ridge) extrapolates straight
    lines; ``forest`` averages 100 trees.

    Parameters
    ----------
    X : pandas.DataFrame
        Training features (used only to decide which columns are which).
    model : {"tree", "forest", "linear"}, default="tree"
    random_state : int or None, default=0
        Seed of the tree and forest models.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Not fitted.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, OrdinalEncoder, StandardScaler
    from sklearn.tree import DecisionTreeRegressor

    if model == "tree":
        estimator = DecisionTreeRegressor(max_depth=8, min_samples_leaf=5, random_state=random_state)
    elif model == "forest":
        estimator = RandomForestRegressor(n_estimators=100, min_samples_leaf=3, random_state=random_state, n_jobs=1)
    elif model == "linear":
        estimator = Ridge(alpha=1.0)
    else:
        raise LifecycleKitError(_("model must be one of {allowed}; got {value}", allowed=", ".join(REGRESSORS),
                                  value=repr(model)))
    numeric, categorical = split_columns(X)
    encoder = (OneHotEncoder(handle_unknown="ignore") if model == "linear"
               else OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1))
    parts = []
    if numeric:
        steps = [FunctionTransformer(_to_float_frame), SimpleImputer(strategy="median")]
        if model == "linear":
            steps.append(StandardScaler())
        parts.append(("numeric", make_pipeline(*steps), numeric))
    if categorical:
        parts.append(("categorical", make_pipeline(FunctionTransformer(_to_text_frame), encoder), categorical))
    return Pipeline([("prepare", ColumnTransformer(parts, remainder="drop")), ("model", estimator)])
