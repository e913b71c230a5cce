"""Monitoring a deployed model over time: input drift per period, performance when labels arrive, retraining.

A :class:`StreamMonitor` cuts a time-indexed stream into periods (week, two
weeks, month). The model is built on the first part (the reference); for every
later period it records the input drift against the data the current model was
trained on, and — once the period's labels are known — its performance. An
alert is raised when performance falls below the floor fixed at model building.
Retraining policies are compared on the same stream: never, on a fixed
schedule, or on alert (each retrain uses the most recent periods).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from lifecycle_kit import _html
from lifecycle_kit._validation import check_choice, check_number
from lifecycle_kit.display import vocabulary
from lifecycle_kit.drift import statistics as st
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _, ngettext
from lifecycle_kit.results import ResultMixin

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    # A policy of your own: called with the periods so far and the floor, returns how many recent periods to
    # retrain on (0 or None: keep the model).
    RetrainPolicy = Callable[[pd.DataFrame, float], int | None]

__all__ = ["METRICS", "POLICIES", "MonitoringResult", "StreamMonitor", "compare_policies"]

PERIODS = {"week": "W", "two weeks": "2W", "month": "MS"}
#: Retraining policies the monitoring experiment compares.
POLICIES = ("never", "schedule", "on_alert")
# A comparison of policies, as a reader reads it (lifecycle_kit.display); a custom policy keeps its own name.
vocabulary(headings={"policy": N_("retraining policy"), "mean_score": N_("mean score"),
                     "periods_below_floor": N_("periods below the floor"), "retrains": N_("retrainings")},
           values={"policy": {"never": N_("never"), "schedule": N_("on a schedule"),
                              "on_alert": N_("when below the floor")}})
METRICS = {"r2": True, "accuracy": True, "mae": False}   # True: higher is better
DRIFT_TESTS = ("psi", "wasserstein", "ks")


def _score(metric, y_true, y_pred):
    """R², MAE or accuracy (computed with numpy: this runs once per period and model)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if metric == "accuracy":
        return float(np.mean(y_true == y_pred))
    y_true, y_pred = y_true.astype(float), y_pred.astype(float)
    if metric == "mae":
        return float(np.mean(np.abs(y_true - y_pred)))
    total = float(np.sum((y_true - y_true.mean()) ** 2))
    if len(y_true) < 2 or total == 0:
        return np.nan
    return 1.0 - float(np.sum((y_true - y_pred) ** 2)) / total


@dataclass
class MonitoringResult(ResultMixin):
    """One monitored run.

    Attributes
    ----------
    chunks : pandas.DataFrame
        One row per period: ``period, rows, score, below_floor, drift_share, drifted_columns, retrained``.
    """

    chunks: pd.DataFrame
    metric: str
    floor: float
    policy: str
    reference_score: float

    @property
    def retrain_count(self):
        return int(self.chunks["retrained"].sum())

    @property
    def alerts(self):
        return int(self.chunks["below_floor"].sum())

    @property
    def first_alert(self):
        hit = self.chunks.loc[self.chunks["below_floor"], "period"]
        return None if hit.empty else hit.iloc[0]

    def mean_score(self) -> float:
        return float(self.chunks["score"].mean())

    _result_kind = "monitoring_result"

    def _payload(self):
        return {"metric": self.metric, "floor": self.floor, "policy": self.policy,
                "reference_score": self.reference_score, "alerts": self.alerts, "retrain_count": self.retrain_count,
                "first_alert": self.first_alert, "mean_score": self.mean_score(), "chunks": self.chunks}

    def _repr_html_(self):
        text = (ngettext("{n} period below the floor {floor:g} ({metric})", "{n} periods below the floor {floor:g} ({metric})",
                         self.alerts, floor=self.floor, metric=self.metric) + "; "
                + ngettext("policy {policy}, {n} retrain", "policy {policy}, {n} retrains", self.retrain_count,
                           policy=self.policy))
        scores = [float(v) for v in self.chunks["score"]]
        finite = [v for v in scores if v == v]
        low = min([self.floor, *finite]) if finite else self.floor
        chart = _html.line_chart_svg(list(range(len(scores))), {self.metric: scores},
                                     ylim=(min(0.0, low), max(1.0, *finite) if finite else 1.0),
                                     reference=(_("floor"), self.floor), xlabel=_("period (index)"))
        return _html.verdict_html(not self.alerts, text) + chart + _html.table_html(self.chunks, max_rows=30, true_is_bad=("below_floor",),
                                                                                  neutral=("retrained",))

    def plot(self, ax: Axes | None = None) -> Axes:
        if ax is None:
            from matplotlib.figure import Figure

            ax = Figure(figsize=(7, 3.4), layout="constrained").subplots()
        ax.plot(self.chunks["period"], self.chunks["score"], marker="o", label=self.metric)
        ax.axhline(self.floor, color="#d93025", linestyle="--", label=_("floor"))
        for period in self.chunks.loc[self.chunks["retrained"], "period"]:
            ax.axvline(period, color="#188038", alpha=0.4)
        ax.set_title(ngettext("policy: {policy} ({n} retrain)", "policy: {policy} ({n} retrains)", self.retrain_count,
                              policy=self.policy))
        ax.legend(fontsize=8)
        return ax


class StreamMonitor:
    """Periods of a stream, a model rebuilt on demand, drift and performance per period.

    Parameters
    ----------
    frame : pandas.DataFrame
        The whole stream, with a time column, the features and the target.
    target : str
    time_column : str
    features : list of str
    reference_end : str or Timestamp
        The model is first built on the rows before this time.
    period : {"week", "two weeks", "month"}, default="week"
    task : {"regression", "classification"}, default="regression"
    model : str, default="tree"
        A recipe of :func:`lifecycle_kit.models.make_regressor` or ``make_classifier``.
    metric : {"r2", "mae", "accuracy"}, default="r2"
    drift_test : {"psi", "wasserstein", "ks"}, default="psi"
    random_state : int, default=0
    """

    # Caches filled on demand, keyed by the training rows (first, last, count) and what was computed on them.
    _models: dict[tuple[int, int, int], Any]
    _drift: dict[tuple[Any, ...], list[str]]
    _scores: dict[tuple[Any, ...], float]
    _bins: dict[tuple[Any, ...], tuple[str, Any, np.ndarray, np.ndarray | None]]
    _predictions: dict[tuple[Any, ...], np.ndarray]

    def __init__(self, frame: pd.DataFrame, *, target: str, time_column: str, features: Sequence[str],
                 reference_end: str | pd.Timestamp, period: Literal["week", "two weeks", "month"] = "week",
                 task: Literal["regression", "classification"] = "regression", model: str = "tree",
                 metric: Literal["r2", "mae", "accuracy"] = "r2", drift_test: Literal["psi", "wasserstein", "ks"] = "psi",
                 random_state: int = 0) -> None:
        check_choice("period", period, list(PERIODS))
        check_choice("metric", metric, list(METRICS))
        check_choice("drift_test", drift_test, DRIFT_TESTS)
        check_choice("task", task, ("regression", "classification"))
        missing = [c for c in [target, time_column, *features] if c not in frame.columns]
        if missing:
            raise LifecycleKitError(f"columns {missing} are not in the stream")
        self.frame = frame.sort_values(time_column).reset_index(drop=True)
        self.target, self.time_column, self.features = target, time_column, list(features)
        self.task, self.model, self.metric, self.drift_test = task, model, metric, drift_test
        self.random_state = random_state
        stamps = pd.to_datetime(self.frame[time_column])
        end = pd.Timestamp(reference_end)
        self.reference_mask = (stamps < end).to_numpy()
        if self.reference_mask.sum() < 20 or (~self.reference_mask).sum() < 20:
            raise LifecycleKitError("reference_end must leave at least 20 rows on each side")
        later = stamps[~self.reference_mask]
        self.period_labels = later.dt.to_period(PERIODS[period].replace("MS", "M").replace("2W", "W")).dt.start_time
        if period == "two weeks":
            weeks = (self.period_labels - self.period_labels.min()).dt.days // 14
            self.period_labels = self.period_labels.min() + pd.to_timedelta(weeks * 14, unit="D")
        self.periods = sorted(self.period_labels.unique())
        self._rows = {p: np.flatnonzero(~self.reference_mask)[(self.period_labels == p).to_numpy()] for p in self.periods}
        self._models = {}
        self._drift = {}
        self._scores = {}
        self._bins = {}
        # Plain arrays and per-period frames, sliced once: indexing a DataFrame per period and column is slow.
        self._arrays = {c: self.frame[c].to_numpy() for c in self.features}
        self._numeric = {c: pd.api.types.is_numeric_dtype(self.frame[c].dtype) for c in self.features}
        self._later = np.flatnonzero(~self.reference_mask)
        self._later_X = self.frame.iloc[self._later][self.features]
        position = {row: i for i, row in enumerate(self._later)}
        self._period_slices = {p: np.array([position[r] for r in rows]) for p, rows in self._rows.items()}
        self._period_y = {p: self.frame[target].to_numpy()[r] for p, r in self._rows.items()}
        self._predictions = {}
        reference_rows = np.flatnonzero(self.reference_mask)
        self.reference_rows = reference_rows
        self.reference_score = self._reference_score(reference_rows)

    def _fit(self, rows):
        from lifecycle_kit.models import make_classifier, make_regressor

        key = (int(rows[0]), int(rows[-1]), len(rows))
        if key not in self._models:
            X, y = self.frame.iloc[rows][self.features], self.frame[self.target].to_numpy()[rows]
            maker = make_regressor if self.task == "regression" else make_classifier
            self._models[key] = maker(X, model=self.model, random_state=self.random_state).fit(X, y)
        return self._models[key]

    def _reference_score(self, rows):
        """Score at model building: fit on the first 80% of the reference, score on its last 20%."""
        cut = int(len(rows) * 0.8)
        model = self._fit(rows[:cut])
        held = rows[cut:]
        return _score(self.metric, self.frame.loc[held, self.target], model.predict(self.frame.loc[held, self.features]))

    def _reference_bins(self, train_rows, column):
        """Reference histogram of one column (deciles for numbers, levels for categories), cached per model."""
        key = (int(train_rows[0]), int(train_rows[-1]), len(train_rows), column)
        if key not in self._bins:
            ref = self._arrays[column][train_rows]
            if self._numeric[column]:
                values = ref.astype(float)
                edges = np.unique(np.quantile(values, np.linspace(0, 1, 11)))
                if len(edges) < 2:
                    edges = np.array([values[0] - 0.5, values[0] + 0.5])
                edges[0], edges[-1] = -np.inf, np.inf
                self._bins[key] = ("numeric", edges, np.histogram(values, edges)[0], values)
            else:
                counts = pd.Series(ref).astype("string").value_counts()
                self._bins[key] = ("categorical", counts.index, counts.to_numpy(), None)
        return self._bins[key]

    def _drift_of(self, train_rows, period):
        key = (int(train_rows[0]), int(train_rows[-1]), len(train_rows), period)
        if key not in self._drift:
            rows = self._rows[period]
            drifted = []
            for c in self.features:
                kind, edges, ref_counts, ref_values = self._reference_bins(train_rows, c)
                cur = self._arrays[c][rows]
                if kind == "categorical":
                    counts = pd.Series(cur).astype("string").value_counts()
                    levels = edges.union(counts.index)
                    ref = pd.Series(ref_counts, index=edges).reindex(levels, fill_value=0).to_numpy()
                    flagged = st.psi_from_counts(ref, counts.reindex(levels, fill_value=0).to_numpy()) > 0.1
                elif self.drift_test == "psi":
                    current = np.histogram(cur.astype(float), edges)[0]
                    flagged = st.psi_from_counts(ref_counts, current) > st.STATISTICS["psi"].threshold
                elif self.drift_test == "wasserstein":
                    flagged = st.normalised_wasserstein(ref_values, cur) > st.STATISTICS["wasserstein"].threshold
                else:
                    flagged = st.ks_asymptotic(ref_values, cur)[1] < st.STATISTICS["ks"].threshold
                if flagged:
                    drifted.append(c)
            self._drift[key] = drifted
        return self._drift[key]

    def run(self, *, policy: str | RetrainPolicy = "never",
            floor: float | None = None, schedule_every: int = 4, retrain_window: int = 4,
            manual_retrains: Iterable[int] = ()) -> MonitoringResult:
        """Monitor every period under a retraining policy.

        Parameters
        ----------
        policy : {"never", "schedule", "on_alert"} or callable, default="never"
            A callable is your own policy: after each period it is called as
            ``policy(history, floor)`` with the table of the periods so far (the
            columns of :attr:`MonitoringResult.chunks`) and returns the number of
            most recent periods to retrain on, or 0 (or None) to keep the model.
        floor : float, default=None
            Performance floor fixed at model building (for ``mae``, a ceiling). Default:
            the reference score minus 0.2 (``r2``, ``accuracy``) or times 1.5 (``mae``).
        schedule_every : int, default=4
            Periods between scheduled retrains.
        retrain_window : int, default=4
            A retrained model learns from the last this many periods.
        manual_retrains : iterable of int
            Period numbers (0 = first monitored period) after which to retrain by hand.

        Returns
        -------
        MonitoringResult
        """
        custom = callable(policy)
        if not custom:
            check_choice("policy", policy, POLICIES)
        schedule_every = int(check_number("schedule_every", schedule_every, low=1, integer=True))
        retrain_window = int(check_number("retrain_window", retrain_window, low=1, integer=True))
        higher_better = METRICS[self.metric]
        if floor is None:
            floor = self.reference_score - 0.2 if higher_better else self.reference_score * 1.5
        manual = {int(k) for k in manual_retrains}
        train_rows = self.reference_rows
        records, retrain_next, window = [], False, retrain_window
        for k, period in enumerate(self.periods):
            retrained = False
            if retrain_next:
                recent = np.concatenate([self._rows[p] for p in self.periods[max(0, k - window):k]])
                if len(recent) >= 20:
                    train_rows, retrained = recent, True
                retrain_next = False
            rows = self._rows[period]
            key = (int(train_rows[0]), int(train_rows[-1]), len(train_rows), period)
            if key not in self._scores:
                model_key = key[:3]
                if model_key not in self._predictions:
                    # One prediction over every monitored row per model, sliced per period afterwards.
                    self._predictions[model_key] = np.asarray(self._fit(train_rows).predict(self._later_X))
                predicted = self._predictions[model_key][self._period_slices[period]]
                self._scores[key] = _score(self.metric, self._period_y[period], predicted)
            score = self._scores[key]
            below = bool(np.isfinite(score) and (score < floor if higher_better else score > floor))
            drifted = self._drift_of(train_rows, period)
            records.append({"period": period, "rows": len(rows), "score": score, "below_floor": below,
                            "drift_share": len(drifted) / len(self.features), "drifted_columns": ", ".join(drifted),
                            "retrained": retrained})
            # Labels of this period are known at its end: decide whether the next period gets a new model.
            window = retrain_window
            if custom:
                window = _custom_window(policy, pd.DataFrame(records), floor, k)
                retrain_next = window > 0
            elif policy == "schedule" and (k + 1) % schedule_every == 0:
                retrain_next = True
            elif policy == "on_alert" and below:
                retrain_next = True
            if k in manual:
                retrain_next, window = True, window or retrain_window
        name = getattr(policy, "__name__", "custom") if custom else policy
        return MonitoringResult(chunks=pd.DataFrame(records), metric=self.metric, floor=floor, policy=name,
                                reference_score=self.reference_score)


def _custom_window(policy, history, floor, k):
    """What a custom policy decided after period ``k``: a window of periods (0 keeps the model)."""
    window = policy(history, floor)
    if window is None or window is Ellipsis:  # an unanswered template keeps the model
        return 0
    if isinstance(window, (bool, np.bool_)) or not isinstance(window, (int, np.integer)) or window < 0:
        raise LifecycleKitError(f"a retraining policy must return a number of periods >= 0 (or None); after period "
                                f"{k} it returned {window!r}")
    return int(window)


def compare_policies(monitor: StreamMonitor, *, floor: float | None = None, schedule_every: int = 4,
                     retrain_window: int = 4, custom: Mapping[str, RetrainPolicy] | None = None) -> pd.DataFrame:
    """Run every policy on one monitor; a table of mean score, alerts and retrain counts.

    ``custom`` adds policies of your own, ``{name: policy(history, floor)}`` (see :meth:`StreamMonitor.run`),
    scored on the same stream.
    """
    rows = []
    policies = [(policy, policy) for policy in POLICIES] + list((custom or {}).items())
    for name, policy in policies:
        result = monitor.run(policy=policy, floor=floor, schedule_every=schedule_every, retrain_window=retrain_window)
        rows.append({"policy": name, "mean_score": result.mean_score(), "periods_below_floor": result.alerts,
                     "retrains": result.retrain_count})
    return pd.DataFrame(rows)
