"""Experiments the drift labs run: detectors on simulated streams, and the large-sample lesson."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lifecycle_kit._validation import check_choice, check_number
from lifecycle_kit.display import vocabulary
from lifecycle_kit.drift import statistics as st
from lifecycle_kit.drift.detectors import detection_delays, make_detector
from lifecycle_kit.drift.simulate import make_stream
from lifecycle_kit.i18n import N_

__all__ = ["WATCHERS", "DetectionTrial", "detection_trial", "sample_size_lesson", "sensitivity_params"]

#: What a detector watches: the model's errors, or the input feature x1 in windows.
WATCHERS = ("page_hinkley", "ddm", "adwin", "input_ks")
# The watchers and the kinds of drift of a trial's table, as a reader reads them (lifecycle_kit.display).
vocabulary(headings={"detector": N_("Detector"), "drift": N_("Drift kind"), "delay": N_("delay (rows)"),
                     "false alarms": N_("false alarms"), "covariate": N_("covariate shift"),
                     "prior": N_("prior shift"), "concept": N_("concept drift")},
           values={"detector": {"page_hinkley": N_("Page-Hinkley on errors"), "ddm": N_("DDM on errors"),
                                "adwin": N_("ADWIN on errors"), "input_ks": N_("KS test on input x1 (windows)")},
                   "drift": {"none": N_("no drift"), "covariate": N_("covariate shift"), "prior": N_("prior shift"),
                             "concept": N_("concept drift")}})


def sensitivity_params(detector, sensitivity):
    """Detector parameters for a sensitivity from 1 (cautious: late, few false alarms) to 10 (jumpy)."""
    s = check_number("sensitivity", sensitivity, low=1, high=10)
    if detector == "page_hinkley":
        # Errors only matter when they rise: a fall in the error rate is not an alarm.
        return {"threshold": float(60 - 5.5 * (s - 1)), "delta": 0.005, "mode": "up"}
    if detector == "ddm":
        # A warm-up of 100 errors (river's default is 30) keeps an early lucky run from setting a best
        # error rate that ordinary noise later exceeds: fewer false alarms in the lab.
        return {"drift_threshold": float(4.0 - 0.2 * (s - 1)), "warning_threshold": float(2.2 - 0.1 * (s - 1)),
                "warm_start": 100}
    if detector == "adwin":
        return {"delta": float(10 ** (-4 + 3 * (s - 1) / 9))}
    return {"alpha": float(10 ** (-6 + 5 * (s - 1) / 9))}


@dataclass
class DetectionTrial:
    """A detector run on a stream whose change points are known."""

    stream: object
    errors: np.ndarray
    detections: list[int]
    delays: list[int | None]
    false_alarms: int
    accuracy_before: float
    accuracy_after: float
    watcher: str
    params: dict[str, Any]

    @property
    def first_delay(self):
        return self.delays[0] if self.delays else None


def _input_ks_detections(x, window, alpha, reference):
    """Windows of ``window`` rows of x1 tested against the training sample; fires at a window's end."""
    out = []
    for end in range(len(reference) + window, len(x) + 1, window):
        if st.kolmogorov_smirnov(reference, x[end - window:end])[1] < alpha:
            out.append(end - 1)
    return out


def detection_trial(*, kind="concept", pattern="sudden", magnitude=1.0, watcher="ddm", sensitivity=5, window=200,
                    n=4000, train=500, random_state=0):
    """Train on the first ``train`` rows of a stream, watch the errors (or inputs), measure delay and false alarms."""
    from sklearn.linear_model import LogisticRegression

    check_choice("watcher", watcher, WATCHERS)
    window = int(check_number("window", window, low=10, integer=True))
    stream = make_stream(n, kind=kind, pattern=pattern, magnitude=magnitude, random_state=random_state)
    X, y = stream.X.to_numpy(), stream.y.to_numpy()
    model = LogisticRegression().fit(X[:train], y[:train])
    errors = (model.predict(X) != y).astype(int)
    params = sensitivity_params(watcher, sensitivity)
    monitored = errors[train:]
    if watcher == "input_ks":
        detections = _input_ks_detections(X[:, 0], window, params["alpha"], X[:train, 0])
    else:
        detector = make_detector(watcher, **params)
        detections = [train + i for i in detector.detect(monitored)]
    timing = detection_delays(detections, stream.change_points)
    cp = stream.change_points[0] if stream.change_points else n
    before = 1 - errors[train:cp].mean() if cp > train else float("nan")
    after = 1 - errors[cp:].mean() if cp < n else float("nan")
    return DetectionTrial(stream=stream, errors=errors, detections=detections, delays=timing["delays"],
                          false_alarms=timing["false_alarms"], accuracy_before=float(before), accuracy_after=float(after),
                          watcher=watcher, params=params)


def sample_size_lesson(n, *, shift=0.1, random_state=0):
    """Two samples of ``n`` from N(0, 1) and N(shift, 1): KS p-value against PSI and Wasserstein.

    With large samples the p-value flags a shift too small to matter, while
    the distances stay small: significance is not importance.

    >>> big = sample_size_lesson(5000)
    >>> bool(big["ks_p_value"] < 0.001 and big["psi"] < 0.1)
    True
    """
    n = int(check_number("n", n, low=10, integer=True))
    rng = np.random.default_rng(random_state)
    ref, cur = rng.normal(0, 1, n), rng.normal(shift, 1, n)
    _, p = st.kolmogorov_smirnov(ref, cur)
    return {"n": n, "shift": shift, "ks_p_value": p, "psi": st.psi(ref, cur),
            "wasserstein": st.normalised_wasserstein(ref, cur), "ks_drift": p < 0.05,
            "psi_drift": st.psi(ref, cur) > st.STATISTICS["psi"].threshold}
