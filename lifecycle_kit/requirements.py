"""Business requirements: can each feature be obtained during operation?

A feature recorded in the training data may not exist when the system has to
decide: it is filled in later (a count known only after the hour, a result of
the decision itself) or by a process the service cannot call. Validated with
the feature present, the model looks excellent; in service the column is empty
and the pipeline imputes it, or the column is absent and the pipeline fails.
:func:`serving_gap` measures all three, and the honest alternative: a model
trained only on what the service will have.

Examples
--------
>>> from lifecycle_kit.datasets import load
>>> bikes = load("bike_sharing")
>>> gap = serving_gap(bikes.frame, bikes.target, unavailable=["casual", "registered"])
>>> bool(gap.r2_validated > gap.r2_trained_without > gap.r2_in_service), "registered" in gap.error_when_absent
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_number
from lifecycle_kit.display import Lines, Table, View, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

__all__ = ["ServingGap", "serving_gap"]

MODEL_LABELS = {"validated with the features": N_("validated with the features"),
                "in service: features empty, imputed": N_("in service: features empty, imputed"),
                "trained without them": N_("trained without them")}
vocabulary(headings={"model": N_("model"), "r2": N_("R²"), "mae": N_("MAE")}, values={"model": MODEL_LABELS})


@dataclass
class ServingGap:
    """What a feature missing at serving time does to a regression model.

    Attributes
    ----------
    unavailable : list of str
        Features present in the training data but not at serving time.
    r2_validated, mae_validated : float
        Test scores of the model trained with them, tested with them (what validation reports).
    r2_in_service, mae_in_service : float
        The same model on the same test rows with those features empty (imputed by the pipeline).
    r2_trained_without, mae_trained_without : float
        A model trained without them, on the same rows.
    error_when_absent : str
        What the pipeline raises when the columns are absent altogether.
    """

    unavailable: list[str]
    r2_validated: float
    mae_validated: float
    r2_in_service: float
    mae_in_service: float
    r2_trained_without: float
    mae_trained_without: float
    error_when_absent: str

    def table(self) -> pd.DataFrame:
        """R² and MAE of the three models, one row each."""
        return pd.DataFrame(
            {"r2": [self.r2_validated, self.r2_in_service, self.r2_trained_without],
             "mae": [self.mae_validated, self.mae_in_service, self.mae_trained_without]},
            index=pd.Index(list(MODEL_LABELS), name="model"))

    def lines(self) -> Lines:
        """What happens when the columns are absent, in the reader's language."""
        if not self.error_when_absent:
            return Lines([N_("Served with the columns {columns} absent, the pipeline still answers.",
                             columns=", ".join(self.unavailable))])
        kind = self.error_when_absent.split(":", 1)[0]
        return Lines([N_("Served with the columns {columns} absent, the pipeline fails ({error}): the request "
                         "lacks columns the model was trained on.", columns=", ".join(self.unavailable), error=kind)])

    def _repr_html_(self):
        return View(self.lines(), Table(self.table(), digits=3))._repr_html_()


def serving_gap(frame: pd.DataFrame, target: pd.Series, *, unavailable: str | Iterable[str],
                model: Literal["tree", "forest", "linear"] = "tree", test_size: float = 0.3,
                random_state: int | None = 0) -> ServingGap:
    """Train with features the service will not have, then serve without them.

    Parameters
    ----------
    frame : pandas.DataFrame
        Features.
    target : pandas.Series
        A numeric target.
    unavailable : str or list of str
        Columns recorded in the training data but not available when the model decides.
    model : {"tree", "forest", "linear"}, default="tree"
        See :func:`lifecycle_kit.models.make_regressor`.
    test_size : float, default=0.3
    random_state : int or None, default=0

    Returns
    -------
    ServingGap
    """
    from sklearn.metrics import mean_absolute_error, r2_score
    from sklearn.model_selection import train_test_split

    from lifecycle_kit.models import make_regressor

    unavailable = [unavailable] if isinstance(unavailable, str) else list(unavailable)
    missing = [c for c in unavailable if c not in frame.columns]
    if not unavailable or missing:
        raise LifecycleKitError(_("unavailable must name columns of the frame; not found: {missing}",
                                  missing=missing or _("(none given)")))
    if not pd.api.types.is_numeric_dtype(getattr(target, "dtype", None)):
        raise LifecycleKitError(f"target must be numeric (a regression target); got dtype {getattr(target, 'dtype', type(target).__name__)}")
    check_number("test_size", test_size, low=0, high=1, low_inclusive=False, high_inclusive=False)
    X_train, X_test, y_train, y_test = train_test_split(frame, target, test_size=test_size,
                                                        random_state=random_state)
    full = make_regressor(X_train, model=model, random_state=random_state).fit(X_train, y_train)
    served = X_test.copy()
    for column in unavailable:
        served[column] = np.nan  # the service has no value for it
    kept = [c for c in frame.columns if c not in unavailable]
    honest = make_regressor(X_train[kept], model=model, random_state=random_state).fit(X_train[kept], y_train)
    try:
        full.predict(X_test[kept])
        error = ""
    except Exception as err:  # whatever the pipeline raises is the outage the service would see
        error = f"{type(err).__name__}: {err}"

    def scores(predicted):
        return float(r2_score(y_test, predicted)), float(mean_absolute_error(y_test, predicted))

    r2_v, mae_v = scores(full.predict(X_test))
    r2_s, mae_s = scores(full.predict(served))
    r2_w, mae_w = scores(honest.predict(X_test[kept]))
    return ServingGap(unavailable, r2_v, mae_v, r2_s, mae_s, r2_w, mae_w, error)
