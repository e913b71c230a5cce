"""Operation of the platform: new batches keep arriving from every source; a monitor watches each source.

Drift in a fused table is diluted by the sources that did not change: a scale
that reads 10% heavy in one agency moves the platform's overall mass
distribution by a fraction of that. The monitor therefore compares every
source's batch with **that source's own** reference, column by column, with
a multiple-testing correction per batch so that many columns and sources do
not turn into a stream of false alarms.

New batches are drawn from each source's own records (the data holds no later
seasons); the drift is a calibration fault in one agency's scale from a chosen
batch on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_number, check_random_state
from lifecycle_kit.display import vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_
from lifecycle_kit.platform.standardise import MAPPINGS, standardise

vocabulary(headings={"columns_tested": N_("columns tested"), "alarm": N_("alarm"), "smallest_p": N_("smallest p-value")})

if TYPE_CHECKING:
    from lifecycle_kit._typing import RandomState

__all__ = ["MEASUREMENTS", "incoming_batches", "monitor_sources"]

#: Numeric columns the monitor compares (those a source does not carry are skipped).
MEASUREMENTS = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "delta_15n", "delta_13c")


def _raw_column(source, unified):
    spec = MAPPINGS[source]["columns"].get(unified)
    if spec is None:
        raise LifecycleKitError(f"source {source!r} does not record {unified!r}")
    return spec if isinstance(spec, str) else spec[0]


def incoming_batches(sources: Mapping[str, pd.DataFrame], *, batches: int = 6, size: int = 60,
                     drift_source: str | None = "field_survey", drift_column: str = "body_mass_g",
                     drift_factor: float = 1.15, drift_from: int = 3,
                     random_state: RandomState = 0) -> list[dict[str, pd.DataFrame]]:
    """Batches of raw records from every source; from ``drift_from`` on, one source's column is scaled.

    Parameters
    ----------
    sources : mapping of str -> DataFrame
        The raw sources (as in :attr:`AgencyData.sources`).
    batches : int, default=6
    size : int, default=60
        Records per source and batch.
    drift_source : str or None, default="field_survey"
        The source whose instrument goes wrong (None: no drift).
    drift_column : str, default="body_mass_g"
        The unified column affected (scaled in the source's own unit).
    drift_factor : float, default=1.15
        The calibration fault: 1.15 reads 15% heavy.
    drift_from : int, default=3
        First batch (0-based) with the fault.
    random_state : int, numpy Generator or None, default=0

    Returns
    -------
    list of dict of str -> DataFrame

    Examples
    --------
    >>> from lifecycle_kit.platform import agency_sources
    >>> stream = incoming_batches(agency_sources().sources, batches=4, drift_from=2)
    >>> len(stream), sorted(stream[0]), len(stream[0]["field_survey"])
    (4, ['field_survey', 'isotope_lab', 'station_registry', 'tagging_program'], 60)
    """
    batches = int(check_number("batches", batches, low=1, integer=True))
    size = int(check_number("size", size, low=5, integer=True))
    check_number("drift_factor", drift_factor, low=0.0, low_inclusive=False)
    drift_from = int(check_number("drift_from", drift_from, low=0, integer=True))
    if drift_source is not None:
        if drift_source not in sources:
            raise LifecycleKitError(f"drift_source {drift_source!r} is not a source; sources are {', '.join(sources)}")
        raw_column = _raw_column(drift_source, drift_column)
    rng = check_random_state(random_state)
    stream = []
    for b in range(batches):
        batch = {}
        for name, frame in sources.items():
            picked = frame.iloc[rng.choice(len(frame), size=size, replace=True)].reset_index(drop=True)
            if name == drift_source and b >= drift_from:
                picked[raw_column] = pd.to_numeric(picked[raw_column], errors="coerce") * drift_factor
            batch[name] = picked
        stream.append(batch)
    return stream


def monitor_sources(reference: Mapping[str, pd.DataFrame], stream: Sequence[Mapping[str, pd.DataFrame]], *,
                    columns: Sequence[str] = MEASUREMENTS,
                    correction: Literal["holm", "bonferroni", "bh"] | None = "holm",
                    alpha: float = 0.05) -> pd.DataFrame:
    """Compare every batch of every source with that source's reference.

    Parameters
    ----------
    reference : mapping of str -> DataFrame
        Raw reference records per source (standardised here, like the batches).
    stream : list of mapping of str -> DataFrame
        Raw batches, as from :func:`incoming_batches`.
    columns : tuple of str
        Unified numeric columns to test (those a source lacks are skipped).
    correction : {"holm", "bonferroni", "bh", None}, default="holm"
        Correction over the columns of one source and batch.
    alpha : float, default=0.05

    Returns
    -------
    pandas.DataFrame
        One row per batch and source: ``batch, source, rows, columns_tested, drifted, alarm, smallest_p``.
    """
    from lifecycle_kit.drift import compare

    check_number("alpha", alpha, low=0.0, high=1.0, low_inclusive=False, high_inclusive=False)
    if not stream:
        raise LifecycleKitError("the stream holds no batch")
    standard = {name: standardise(name, frame) for name, frame in reference.items()}
    rows = []
    for b, batch in enumerate(stream):
        for name, frame in batch.items():
            if name not in standard:
                raise LifecycleKitError(f"batch {b} comes from {name!r}, which has no reference")
            current = standardise(name, frame)
            tested = [c for c in columns if standard[name][c].notna().any() and current[c].notna().any()]
            if not tested:
                raise LifecycleKitError(f"source {name!r} carries none of the columns {', '.join(columns)}")
            report = compare(standard[name][tested], current[tested], method="ks", correction=correction,
                             thresholds={"ks": alpha})
            rows.append({"batch": b, "source": name, "rows": len(frame), "columns_tested": len(tested),
                         "drifted": ", ".join(report.drifted_columns), "alarm": bool(report.drifted_columns),
                         "smallest_p": float(np.nanmin(report.results["p_value"].to_numpy(dtype=float)))})
    return pd.DataFrame(rows)
