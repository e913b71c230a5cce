"""Data acquisition: collect by the characteristics the system's purpose puts first.

Zatsarinny and Gavrilov name relevance, representativeness and currentness as
the characteristics usually put first at acquisition, and add that, depending
on the system's purpose, others may become the priority: timeliness, tied to
the speed of data transfer, for real-time systems, or consistency for
analytic ones (stage 4 of their paper). Two feeds of the same hourly bike
rentals show why the purpose decides:

- a *live* feed publishes each hour's counts minutes after the hour ends, but
  some of them are preliminary (rides still open are not yet counted);
- a *nightly* feed publishes the reconciled counts of a whole day at 02:00 the
  next morning.

:func:`timeliness` measures the share of records available by a decision's
deadline; consistency is the share of records satisfying the cross-field rule
``casual + registered == total`` (a :class:`~lifecycle_kit.quality.Rule`).
:func:`compare_feeds` measures both on the two feeds, and what each costs a
real-time system (an hour-ahead forecast made at the deadline) and an analytic
one (a monthly report of registered riders). The rentals are real (UCI Bike
Sharing, 2011); the delivery times and the preliminary counts are simulated,
with their rates as parameters.

Examples
--------
>>> import pandas as pd
>>> hours = pd.to_datetime(["2011-01-01 00:00", "2011-01-01 01:00"])
>>> timeliness(hours, hours + pd.Timedelta(minutes=70), deadline_minutes=15)
1.0
>>> timeliness(hours, hours + pd.Timedelta(minutes=80), deadline_minutes=15)
0.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_fraction, check_number
from lifecycle_kit.display import Lines, Table, View, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

__all__ = ["FeedComparison", "PRIORITY_WEIGHTS", "compare_feeds", "feed_consistency", "timeliness"]

#: Weights the planners of each kind of system might give the two characteristics (the course's example):
#: what the purpose puts first weighs four times the other.
PRIORITY_WEIGHTS = {"real-time": {"timeliness": 0.8, "consistency": 0.2},
                    "analytic": {"timeliness": 0.2, "consistency": 0.8}}


def timeliness(period_start: Sequence[Any], available_at: Sequence[Any], *, deadline_minutes: float,
               period: pd.Timedelta = pd.Timedelta(hours=1)) -> float:
    """Share of records available no later than ``deadline_minutes`` after their period ends.

    Parameters
    ----------
    period_start : sequence of datetimes
        When each record's period (an hour, by default) began.
    available_at : sequence of datetimes
        When each record reached the system.
    deadline_minutes : float
        How long after the period's end the system decides (and so needs the record).
    period : pandas.Timedelta, default=1 hour

    Returns
    -------
    float
        In [0, 1]; 1 when every record arrived in time.
    """
    start = pd.to_datetime(pd.Series(period_start)).reset_index(drop=True)
    arrived = pd.to_datetime(pd.Series(available_at)).reset_index(drop=True)
    if len(start) != len(arrived):
        raise LifecycleKitError(f"period_start and available_at must have the same length; got {len(start)} and "
                                f"{len(arrived)}")
    if len(start) == 0:
        raise LifecycleKitError("timeliness of no records is undefined: pass at least one record")
    deadline = check_number("deadline_minutes", deadline_minutes, low=0)
    due = start + period + pd.Timedelta(minutes=float(deadline))
    return float((arrived <= due).mean())


def feed_consistency(feed: pd.DataFrame) -> float:
    """Share of a feed's records whose ``casual + registered`` equals their ``total``."""
    from lifecycle_kit.quality.spec import Rule

    missing = [c for c in ("casual", "registered", "total") if c not in feed.columns]
    if missing:
        raise LifecycleKitError(f"the feed has no column(s) {', '.join(missing)}")
    summed = feed.assign(casual_plus_registered=feed["casual"] + feed["registered"])
    return float(Rule("casual_plus_registered", "==", "total").holds(summed).mean())


@dataclass
class FeedComparison:
    """Two feeds of the same rentals, measured and put to use.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per feed: ``timeliness`` (share of records by the deadline), ``consistency`` (share
        satisfying ``casual + registered == total``), ``forecast_mae`` (mean absolute error, in rentals,
        of the hour-ahead forecast a real-time system makes at the deadline from what has arrived) and
        ``monthly_error`` (largest relative error of a month's registered riders in an analytic report).
    feeds : dict of str -> pandas.DataFrame
        The two feeds: ``timestamp, casual, registered, total, available_at``.
    deadline_minutes : float
    """

    table: pd.DataFrame
    feeds: dict[str, pd.DataFrame]
    deadline_minutes: float

    def ranking(self, system: str) -> pd.DataFrame:
        """The feeds ranked by :data:`PRIORITY_WEIGHTS` of a ``"real-time"`` or ``"analytic"`` system."""
        from lifecycle_kit.planning import weighted_ranking

        if system not in PRIORITY_WEIGHTS:
            raise LifecycleKitError(_("system must be one of {choices}; got {value!r}",
                                      choices=", ".join(PRIORITY_WEIGHTS), value=system))
        scores = {name: row[["timeliness", "consistency"]].astype(float) for name, row in self.table.iterrows()}
        return weighted_ranking(scores, PRIORITY_WEIGHTS[system])

    def best_for(self, system: str) -> str:
        """The feed a ``"real-time"`` or ``"analytic"`` system should take, by its priority weights."""
        return str(self.ranking(system)["candidate"].iloc[0])

    def summary(self) -> Lines:
        """Which feed each kind of system takes, in the reader's language."""
        return Lines([
            N_("A real-time system (it moves bikes {minutes:g} minutes after each hour) takes the {feed} feed.",
               minutes=self.deadline_minutes, feed=FEED_LABELS.get(self.best_for("real-time"))),
            N_("An analytic system (a monthly report of registered riders) takes the {feed} feed.",
               feed=FEED_LABELS.get(self.best_for("analytic"))),
        ])

    def _repr_html_(self):
        return View(self.summary(), Table(self.table, digits=3))._repr_html_()


FEED_LABELS = {"live": N_("live"), "nightly": N_("nightly")}
vocabulary(headings={"feed": N_("feed"), "timeliness": N_("timeliness"), "consistency": N_("consistency"),
                     "forecast_mae": N_("forecast MAE (rentals)"), "monthly_error": N_("monthly error")},
           values={"feed": FEED_LABELS})


def _forecast_error(feed, truth, deadline_minutes):
    """MAE of the forecast of hour t+1 made at end of hour t + deadline, from the latest record arrived by then."""
    counts = feed.set_index("timestamp")["total"]
    profile = truth.groupby(truth.index.hour).mean()  # the typical day, from which the latest count is scaled
    arrivals = feed.sort_values("available_at")
    decision_times = truth.index + pd.Timedelta(hours=1) + pd.Timedelta(minutes=deadline_minutes)
    # The latest period whose record has arrived at each decision time (one time resolution for both sides).
    arrived = pd.DataFrame({"decision": arrivals["available_at"].astype("datetime64[ns]").to_numpy(),
                            "latest": arrivals["timestamp"].cummax().to_numpy()})
    arrived_by = pd.merge_asof(pd.DataFrame({"decision": decision_times.astype("datetime64[ns]")}), arrived,
                               on="decision", direction="backward")
    target_time = truth.index + pd.Timedelta(hours=1)
    actual = truth.reindex(target_time).to_numpy()
    latest = arrived_by["latest"]
    known = latest.notna().to_numpy() & ~np.isnan(actual)
    base = counts.reindex(latest[known]).to_numpy(dtype=float)
    scale = (profile.reindex(target_time[known].hour).to_numpy()
             / profile.reindex(pd.DatetimeIndex(latest[known]).hour).to_numpy())
    return float(np.mean(np.abs(actual[known] - base * scale)))


def _monthly_error(feed, truth_frame):
    month = truth_frame["timestamp"].dt.month
    reported = feed.groupby(feed["timestamp"].dt.month)["registered"].sum()
    actual = truth_frame.groupby(month)["registered"].sum()
    return float((np.abs(reported - actual) / actual).max())


def compare_feeds(*, deadline_minutes: float = 15, preliminary_share: float = 0.3, undercount: float = 0.2,
                  late_share: float = 0.06, random_state: int = 0) -> FeedComparison:
    """The live and the nightly feed of UCI Bike Sharing's hourly rentals, measured for two kinds of system.

    Parameters
    ----------
    deadline_minutes : float, default=15
        A real-time system decides this long after each hour ends (moving bikes for the next hour).
    preliminary_share : float, default=0.3
        Share of the live feed's records published before every ride of the hour was closed.
    undercount : float, default=0.2
        Share of the registered riders a preliminary record has not counted yet (the total, from the
        docks' gate counter, is complete).
    late_share : float, default=0.06
        Share of the live feed's records held up 20 to 120 minutes (the rest arrive within minutes).
    random_state : int, default=0

    Returns
    -------
    FeedComparison

    Examples
    --------
    >>> result = compare_feeds()
    >>> result.best_for("real-time"), result.best_for("analytic")
    ('live', 'nightly')
    >>> t = result.table
    >>> bool(t.loc["live", "forecast_mae"] < t.loc["nightly", "forecast_mae"])
    True
    >>> bool(t.loc["nightly", "monthly_error"] < t.loc["live", "monthly_error"])
    True
    """
    from lifecycle_kit.datasets import load

    deadline_minutes = float(check_number("deadline_minutes", deadline_minutes, low=0, high=24 * 60))
    check_fraction("preliminary_share", preliminary_share)
    check_fraction("undercount", undercount)
    check_fraction("late_share", late_share)
    rng = np.random.default_rng(random_state)
    bikes = load("bike_sharing")
    truth_frame = pd.DataFrame({"timestamp": bikes.frame["timestamp"], "casual": bikes.frame["casual"],
                                "registered": bikes.frame["registered"], "total": bikes.target}).reset_index(drop=True)
    n = len(truth_frame)
    hour_end = truth_frame["timestamp"] + pd.Timedelta(hours=1)

    # Live: minutes after the hour (median about 4), a few records held up; some counts still preliminary.
    delay = np.exp(rng.normal(np.log(4.0), 0.5, n))
    late = rng.random(n) < late_share
    delay[late] = rng.uniform(20, 120, int(late.sum()))
    preliminary = rng.random(n) < preliminary_share
    not_yet = rng.binomial(truth_frame["registered"].to_numpy(), undercount) * preliminary
    live = truth_frame.assign(registered=truth_frame["registered"] - not_yet,
                              available_at=hour_end + pd.to_timedelta(delay, unit="min"))
    # Nightly: the reconciled counts of a day, published at 02:00 the next morning.
    nightly = truth_frame.assign(available_at=truth_frame["timestamp"].dt.normalize() + pd.Timedelta(hours=26))

    truth = truth_frame.set_index("timestamp")["total"].astype(float)
    rows = {}
    for name, feed in (("live", live), ("nightly", nightly)):
        rows[name] = {"timeliness": timeliness(feed["timestamp"], feed["available_at"],
                                               deadline_minutes=deadline_minutes),
                      "consistency": feed_consistency(feed),
                      "forecast_mae": _forecast_error(feed, truth, deadline_minutes),
                      "monthly_error": _monthly_error(feed, truth_frame)}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "feed"
    return FeedComparison(table=table, feeds={"live": live, "nightly": nightly}, deadline_minutes=deadline_minutes)
