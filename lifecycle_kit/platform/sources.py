"""Four "agency" sources cut from the Palmer penguins field records, each with its own habits.

The same birds (one per study and individual identifier) appear in several
sources, written differently: other column names, other units (cm, kg),
other code lists (species codes, sex letters), other date formats, typos in
island names, identifiers in other cases, small re-measurement differences.
The truth — which record is which bird — is kept aside, so standardisation,
linkage and the poisoned-source hunt can be measured.

Sources (share of birds each holds):

- ``station_registry`` — the station's own register (70%): close to the raw field records.
- ``field_survey`` — a survey team (55%): centimetres and kilograms, species codes, US dates, typos in
  island names and in some identifiers.
- ``tagging_program`` — a tagging programme (55%): its own names, lower-case identifiers, text dates,
  re-measured values; the source an attacker controls in the capstone.
- ``isotope_lab`` — a laboratory (45%): identifiers, species and blood isotope ratios only.

With ``poison_rate > 0`` one of the three sources that carry measurements has
that share of its species labels flipped — which one is drawn from the seed
unless named, so a learner can hunt for it. A small **audit** sample, checked
by the station itself, serves as the trusted validation set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_number, check_random_state
from lifecycle_kit.errors import LifecycleKitError

if TYPE_CHECKING:
    from lifecycle_kit._typing import RandomState

__all__ = ["AgencyData", "POISONABLE", "SOURCE_NAMES", "agency_sources"]

#: The agencies that feed the platform.
SOURCE_NAMES = ("station_registry", "field_survey", "tagging_program", "isotope_lab")

SPECIES_CODES = {"Adelie Penguin (Pygoscelis adeliae)": "ADPE", "Gentoo penguin (Pygoscelis papua)": "GEPE",
                 "Chinstrap penguin (Pygoscelis antarctica)": "CHPE"}
_COMMON_FROM_RAW = {"Adelie Penguin (Pygoscelis adeliae)": "Adelie", "Gentoo penguin (Pygoscelis papua)": "Gentoo",
                    "Chinstrap penguin (Pygoscelis antarctica)": "Chinstrap"}
SPECIES_COMMON = {"Adelie Penguin (Pygoscelis adeliae)": "Adelie", "Gentoo penguin (Pygoscelis papua)": "Gentoo",
                  "Chinstrap penguin (Pygoscelis antarctica)": "Chinstrap"}
ISLAND_TYPOS = {"Torgersen": "Torgerson", "Biscoe": "biscoe", "Dream": "Dream "}


@dataclass
class AgencyData:
    """The sources as they arrive, and the truth behind them.

    Attributes
    ----------
    sources : dict of str -> DataFrame
    truth : dict of str -> numpy.ndarray
        For every source, the bird (row of the original field records) behind each of its records.
    original : DataFrame
        The field records the sources were cut from.
    audit : DataFrame
        A trusted sample of birds in the unified columns (species checked by the station).
    poisoned : dict or None
        ``{"source": name, "rows": positions of the flipped records, "rate": share}`` when a source was poisoned.
    """

    sources: dict[str, pd.DataFrame]
    truth: dict[str, Any]
    original: pd.DataFrame
    audit: pd.DataFrame | None = None
    poisoned: dict[str, Any] | None = None


def _raw():
    from lifecycle_kit.datasets import load

    raw = load("penguins_raw")
    frame = raw.frame.assign(Species=raw.target).reset_index(drop=True)
    frame["Date Egg"] = pd.to_datetime(frame["Date Egg"])
    return frame


def _typo(identifier, rng):
    """A keying error: one character dropped, doubled, or two neighbours swapped."""
    text = list(identifier)
    i = int(rng.integers(1, len(text) - 1))
    kind = rng.integers(3)
    if kind == 0:
        del text[i]
    elif kind == 1:
        text.insert(i, text[i])
    else:
        text[i], text[i + 1] = text[i + 1], text[i]
    return "".join(text)


#: Sources whose species labels train a model from measurements: the ones an attacker can usefully poison.
POISONABLE = ("station_registry", "field_survey", "tagging_program")
_SPECIES_COLUMN = {"station_registry": "Species", "field_survey": "spp", "tagging_program": "species"}


def agency_sources(*, poison_rate: float = 0.0,
                   poisoned_source: Literal["station_registry", "field_survey", "tagging_program"] | None = None,
                   audit_size: int = 80, random_state: RandomState = 0) -> AgencyData:
    """Cut the four agency sources (seeded); returns :class:`AgencyData`.

    Parameters
    ----------
    poison_rate : float, default=0.0
        Share of one source's species labels flipped to another species.
    poisoned_source : {"station_registry", "field_survey", "tagging_program"}, default=None
        Which source is poisoned; drawn from the seed among ``POISONABLE`` when not given.
    audit_size : int, default=80
        Birds in the trusted audit sample.
    random_state : int, numpy Generator or None, default=0

    Returns
    -------
    AgencyData

    Examples
    --------
    >>> data = agency_sources(random_state=0)
    >>> sorted(data.sources), len(data.sources["station_registry"]) == len(data.truth["station_registry"])
    (['field_survey', 'isotope_lab', 'station_registry', 'tagging_program'], True)
    >>> hunted = agency_sources(poison_rate=0.4, random_state=0)
    >>> hunted.poisoned["source"] in POISONABLE, len(hunted.audit)
    (True, 80)
    """
    check_number("poison_rate", poison_rate, low=0.0, high=1.0)
    if poisoned_source is not None and poisoned_source not in POISONABLE:
        raise LifecycleKitError(f"poisoned_source must be one of {', '.join(POISONABLE)}; got {poisoned_source!r}")
    rng = check_random_state(random_state)
    raw = _raw()
    n = len(raw)

    def pick(share):
        return np.sort(rng.choice(n, size=int(round(share * n)), replace=False))

    sources, truth = {}, {}

    rows = pick(0.70)
    part = raw.iloc[rows]
    sources["station_registry"] = pd.DataFrame({
        "studyName": part["studyName"], "Individual ID": part["Individual ID"], "Island": part["Island"],
        "Species": part["Species"], "Sex": part["Sex"], "Date Egg": part["Date Egg"].dt.strftime("%Y-%m-%d"),
        "Culmen Length (mm)": part["Culmen Length (mm)"], "Culmen Depth (mm)": part["Culmen Depth (mm)"],
        "Flipper Length (mm)": part["Flipper Length (mm)"], "Body Mass (g)": part["Body Mass (g)"],
    }).reset_index(drop=True)
    truth["station_registry"] = rows

    rows = pick(0.55)
    part = raw.iloc[rows]
    islands = part["Island"].where(rng.random(len(part)) > 0.3, part["Island"].map(ISLAND_TYPOS))
    sources["field_survey"] = pd.DataFrame({
        "study": part["studyName"], "bird": [_typo(i, rng) if rng.random() < 0.08 else i for i in part["Individual ID"]],
        "site": islands,
        "spp": part["Species"].map(SPECIES_CODES), "sex": part["Sex"].map({"MALE": "M", "FEMALE": "F"}),
        "egg_date": part["Date Egg"].dt.strftime("%m/%d/%Y"),
        "bill_len_cm": (part["Culmen Length (mm)"] / 10).round(2), "bill_depth_cm": (part["Culmen Depth (mm)"] / 10).round(2),
        "flipper_cm": (part["Flipper Length (mm)"] / 10).round(1), "mass_kg": (part["Body Mass (g)"] / 1000).round(3),
    }).reset_index(drop=True)
    truth["field_survey"] = rows

    rows = pick(0.55)
    part = raw.iloc[rows]
    noise = rng.normal(0, 0.15, (len(part), 3))  # re-measured in the field: small differences
    sources["tagging_program"] = pd.DataFrame({
        "project": part["studyName"], "tag_id": part["Individual ID"].str.lower(), "island": part["Island"].str.upper(),
        "species": part["Species"].map(SPECIES_COMMON), "sex": part["Sex"].str.lower(),
        "nest_date": part["Date Egg"].dt.strftime("%d %b %Y"),
        "culmen_length": (part["Culmen Length (mm)"] + noise[:, 0]).round(1),
        "culmen_depth": (part["Culmen Depth (mm)"] + noise[:, 1]).round(1),
        "flipper": (part["Flipper Length (mm)"] + noise[:, 2]).round(0), "weight_g": part["Body Mass (g)"],
    }).reset_index(drop=True)
    truth["tagging_program"] = rows

    rows = pick(0.45)
    part = raw.iloc[rows]
    sources["isotope_lab"] = pd.DataFrame({
        "study_code": part["studyName"], "individual": part["Individual ID"], "species_code": part["Species"].map(SPECIES_CODES),
        "d15N": part["Delta 15 N (o/oo)"], "d13C": part["Delta 13 C (o/oo)"],
    }).reset_index(drop=True)
    truth["isotope_lab"] = rows

    audit_size = int(audit_size)
    if not 10 <= audit_size <= n:
        raise LifecycleKitError(f"audit_size must be between 10 and {n}; got {audit_size}")
    audit_rows = raw.iloc[np.sort(rng.choice(n, size=audit_size, replace=False))]
    audit = pd.DataFrame({
        "individual_id": audit_rows["Individual ID"].to_numpy(), "study": audit_rows["studyName"].to_numpy(),
        "species": audit_rows["Species"].map(_COMMON_FROM_RAW).to_numpy(),
        "bill_length_mm": audit_rows["Culmen Length (mm)"].to_numpy(),
        "bill_depth_mm": audit_rows["Culmen Depth (mm)"].to_numpy(),
        "flipper_length_mm": audit_rows["Flipper Length (mm)"].to_numpy(),
        "body_mass_g": audit_rows["Body Mass (g)"].to_numpy(),
    })

    poisoned = None
    if poison_rate > 0:
        name = poisoned_source or POISONABLE[int(rng.integers(len(POISONABLE)))]
        frame = sources[name]
        column = _SPECIES_COLUMN[name]
        labelled = np.flatnonzero(frame[column].notna().to_numpy())
        flipped = np.sort(rng.choice(labelled, size=int(round(poison_rate * len(labelled))), replace=False))
        codes = sorted(frame[column].dropna().unique())
        values = frame[column].to_numpy(dtype=object).copy()
        for i in flipped:
            others = [c for c in codes if c != values[i]]
            values[i] = others[int(rng.integers(len(others)))]
        sources[name] = frame.assign(**{column: values})
        poisoned = {"source": name, "rows": flipped, "rate": float(poison_rate)}
    return AgencyData(sources=sources, truth=truth, original=raw, audit=audit, poisoned=poisoned)
