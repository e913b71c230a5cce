"""Data planning: rank candidate datasets by the quality characteristics that matter for the task.

ISO/IEC 5259-2 lists many characteristics; a task cares about some more than
others. Scores per characteristic (the mean of its measures) are combined with
weights the planners choose, and candidates are ranked by the weighted score.
Which dataset is "best" depends on the weights — the point of deciding them
explicitly, before choosing.

Examples
--------
>>> import pandas as pd
>>> scores = {"A": pd.Series({"completeness": 1.0, "representativeness": 0.6}),
...           "B": pd.Series({"completeness": 0.8, "representativeness": 0.95})}
>>> weighted_ranking(scores, {"completeness": 3, "representativeness": 1})["candidate"].tolist()
['A', 'B']
>>> weighted_ranking(scores, {"completeness": 1, "representativeness": 3})["candidate"].tolist()
['B', 'A']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_number
from lifecycle_kit.display import Lines, Table, View, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

if TYPE_CHECKING:
    from lifecycle_kit.quality.assessment import QualityReport

_WET_WEATHER = ("rain", "drizzle", "snow")

__all__ = ["BorrowedLabels", "PLANNING_CHARACTERISTICS", "borrowed_labels", "candidate_datasets",
           "characteristic_scores", "weighted_ranking"]

#: The quality characteristics candidate datasets are scored on when planning.
PLANNING_CHARACTERISTICS = ("completeness", "consistency", "accuracy", "representativeness", "balance", "diversity",
                            "relevance")


def characteristic_scores(report: QualityReport) -> pd.Series:
    """One score per characteristic: the mean value of its applicable measures in a QualityReport."""
    frame = report.to_frame()
    return frame.groupby("characteristic")["value"].mean()


def weighted_ranking(scores: Mapping[str, pd.Series], weights: Mapping[str, float]) -> pd.DataFrame:
    """Rank candidates by the weighted mean of their characteristic scores.

    Parameters
    ----------
    scores : mapping of str -> pandas.Series
        Characteristic scores per candidate.
    weights : mapping of str -> float
        Non-negative weight per characteristic (missing ones weigh 0).

    Returns
    -------
    pandas.DataFrame
        ``rank, candidate, weighted_score`` and one column per weighted characteristic.
    """
    if not scores:
        raise LifecycleKitError(_("no candidates to rank"))
    weights = {k: float(v) for k, v in weights.items()}
    if any(v < 0 for v in weights.values()):
        raise LifecycleKitError(_("weights must be non-negative"))
    if sum(weights.values()) == 0:
        raise LifecycleKitError(_("at least one weight must be positive"))
    shared = [c for c in weights if all(c in s.index for s in scores.values())]
    used = [c for c in shared if weights[c] > 0]
    if not used:
        raise LifecycleKitError(_("no weighted characteristic is measured for every candidate"))
    total = sum(weights[c] for c in used)
    rows = []
    for name, s in scores.items():
        row = {"candidate": name, "weighted_score": sum(weights[c] * s[c] for c in used) / total}
        row.update({c: float(s[c]) for c in shared})
        rows.append(row)
    table = pd.DataFrame(rows).sort_values("weighted_score", ascending=False, kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def candidate_datasets(*, rows: int = 4000,
                       random_state: int = 0) -> dict[str, tuple[pd.DataFrame, pd.Series] | pd.DataFrame]:
    """Two candidate training sets drawn from UCI Adult, with different strengths.

    - ``registry extract``: clean (no missing values, no duplicates) but drawn
      only from privately employed people aged 35-55 born in the United States —
      unrepresentative.
    - ``open survey``: a representative random sample, raw, with the original
      '?' values plus 3% more values missing and 2% duplicated rows.

    Returns
    -------
    dict
        ``{name: (features, target)}`` and, under ``"reference"``, the whole dataset's features.
    """
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality.defects import inject_defects

    adult = load("adult")
    assert adult.target is not None  # a labelled dataset: load always sets its target
    frame, target = adult.frame, adult.target
    clean = frame[(frame != "?").all(axis=1)].drop_duplicates()
    narrow = clean[clean["age"].between(35, 55) & (clean["native_country"] == "United-States")
                   & (clean["workclass"] == "Private")]
    registry = narrow.sample(min(rows, len(narrow)), random_state=random_state)
    survey = frame.sample(rows, random_state=random_state + 1)
    damaged, _ = inject_defects(survey.assign(income=target.loc[survey.index]), missing=0.03, duplicates=0.02,
                                target="income", random_state=random_state)
    return {"registry extract": (registry, target.loc[registry.index]),
            "open survey": (damaged.drop(columns="income"), damaged["income"]),
            "reference": frame}


@dataclass
class BorrowedLabels:
    """Labels borrowed from another owner, checked against the task's own definition.

    Attributes
    ----------
    crosstab : pandas.DataFrame
        The owner's label (rows) against the task's label (columns: dry, wet), in days.
    agreement : float
        Share of days where the borrowed label equals the task's label.
    accuracy_borrowed : float
        Test accuracy, on the task's labels, of a model trained on the borrowed labels.
    accuracy_own : float
        The same model trained on the task's own labels.
    n_test : int
    """

    crosstab: pd.DataFrame
    agreement: float
    accuracy_borrowed: float
    accuracy_own: float
    n_test: int

    def summary(self) -> Lines:
        """Agreement of the borrowed label with the task's, and what each label teaches a model."""
        return Lines([
            N_("The borrowed label equals the measured 'wet day' on {agreement:.1%} of the days.",
               agreement=self.agreement),
            N_("A wet-day classifier, tested on measured labels ({n_test} days): trained on the borrowed labels "
               "{borrowed:.3f}, on the task's own labels {own:.3f} (share of correct answers).", n_test=self.n_test,
               borrowed=self.accuracy_borrowed, own=self.accuracy_own),
        ])

    def _repr_html_(self):
        return View(self.summary(), Table(self.crosstab, index=True))._repr_html_()


vocabulary(headings={"owner's weather label": N_("owner's weather label"), "dry": N_("dry"), "wet": N_("wet")})


def borrowed_labels(*, threshold_mm: float = 0.0, test_size: float = 0.3, random_state: int = 0) -> BorrowedLabels:
    """Seattle weather: the owner's one-word weather type, borrowed as a "wet day" label.

    The task needs to know whether a day had precipitation (more than
    ``threshold_mm``), which the same dataset measures. The ``weather`` column
    was chosen by the dataset's authors for their own purpose, by a rule they do
    not document; read as "wet" when it says rain, drizzle or snow, it is
    compared with the measurement, and a classifier of wet days (from
    temperatures, wind and month) is trained once on each label and tested on
    the measured one.

    Returns
    -------
    BorrowedLabels

    Examples
    --------
    >>> result = borrowed_labels()
    >>> bool(result.agreement < 0.9), bool(result.accuracy_own > result.accuracy_borrowed)
    (True, True)
    """
    from sklearn.model_selection import train_test_split

    from lifecycle_kit.datasets import load
    from lifecycle_kit.models import make_classifier

    check_number("threshold_mm", threshold_mm, low=0)
    data = load("seattle_weather")
    assert data.target is not None  # a labelled dataset: load always sets its target
    frame = data.frame
    own = np.where(frame["precipitation"] > threshold_mm, "wet", "dry")
    borrowed = np.where(data.target.isin(_WET_WEATHER), "wet", "dry")
    crosstab = pd.crosstab(pd.Series(data.target.to_numpy(), name="owner's weather label"),
                           pd.Series(own, name="measured: precipitation"))
    X = pd.DataFrame({"temp_max": frame["temp_max"], "temp_min": frame["temp_min"], "wind": frame["wind"],
                      "month": frame["date"].dt.month.astype(str)})
    rows = np.arange(len(X))
    train, test = train_test_split(rows, test_size=test_size, stratify=own, random_state=random_state)

    def accuracy_with(labels):
        model = make_classifier(X.iloc[train], random_state=random_state).fit(X.iloc[train], labels[train])
        return float(np.mean(model.predict(X.iloc[test]) == own[test]))

    return BorrowedLabels(crosstab=crosstab, agreement=float(np.mean(own == borrowed)),
                          accuracy_borrowed=accuracy_with(borrowed), accuracy_own=accuracy_with(own),
                          n_test=len(test))
