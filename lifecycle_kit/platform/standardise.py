"""Standardise every agency source to one data specification.

Each source gets a mapping — which column becomes which unified column, the
unit factor, the code list, the date format — written as data, so that a
reviewer can read it and a learner can change it. Island names are matched to
the allowed list by string similarity, which absorbs typos and case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.platform.linkage import similarity

if TYPE_CHECKING:
    from lifecycle_kit.quality import DataSpec

__all__ = ["MAPPINGS", "UNIFIED_COLUMNS", "standardise", "standardise_all", "unified_spec"]

#: The columns of the unified table, in order.
UNIFIED_COLUMNS = ["source", "record", "study", "individual_id", "island", "species", "sex", "egg_date",
                   "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "delta_15n", "delta_13c"]
ISLANDS = ["Biscoe", "Dream", "Torgersen"]
SPECIES = ["Adelie", "Chinstrap", "Gentoo"]

_SPECIES_FROM = {
    "Adelie Penguin (Pygoscelis adeliae)": "Adelie", "Gentoo penguin (Pygoscelis papua)": "Gentoo",
    "Chinstrap penguin (Pygoscelis antarctica)": "Chinstrap", "ADPE": "Adelie", "GEPE": "Gentoo", "CHPE": "Chinstrap",
    "Adelie": "Adelie", "Gentoo": "Gentoo", "Chinstrap": "Chinstrap",
}
_SEX_FROM = {"MALE": "male", "FEMALE": "female", "M": "male", "F": "female", "male": "male", "female": "female"}

#: Per source: unified column <- (source column, unit factor or None), plus date format.
MAPPINGS: dict[str, dict[str, Any]] = {
    "station_registry": {"columns": {"study": "studyName", "individual_id": "Individual ID", "island": "Island",
                                     "species": "Species", "sex": "Sex", "egg_date": "Date Egg",
                                     "bill_length_mm": ("Culmen Length (mm)", 1), "bill_depth_mm": ("Culmen Depth (mm)", 1),
                                     "flipper_length_mm": ("Flipper Length (mm)", 1), "body_mass_g": ("Body Mass (g)", 1)},
                         "date_format": "%Y-%m-%d"},
    "field_survey": {"columns": {"study": "study", "individual_id": "bird", "island": "site", "species": "spp",
                                 "sex": "sex", "egg_date": "egg_date", "bill_length_mm": ("bill_len_cm", 10),
                                 "bill_depth_mm": ("bill_depth_cm", 10), "flipper_length_mm": ("flipper_cm", 10),
                                 "body_mass_g": ("mass_kg", 1000)},
                     "date_format": "%m/%d/%Y"},
    "tagging_program": {"columns": {"study": "project", "individual_id": "tag_id", "island": "island",
                                    "species": "species", "sex": "sex", "egg_date": "nest_date",
                                    "bill_length_mm": ("culmen_length", 1), "bill_depth_mm": ("culmen_depth", 1),
                                    "flipper_length_mm": ("flipper", 1), "body_mass_g": ("weight_g", 1)},
                        "date_format": "%d %b %Y"},
    "isotope_lab": {"columns": {"study": "study_code", "individual_id": "individual", "species": "species_code",
                                "delta_15n": ("d15N", 1), "delta_13c": ("d13C", 1)},
                    "date_format": None},
}


def _closest(value, allowed, *, minimum=0.75):
    if pd.isna(value):
        return np.nan
    text = str(value).strip()
    best = max(allowed, key=lambda a: similarity(text.lower(), a.lower()))
    return best if similarity(text.lower(), best.lower()) >= minimum else np.nan


def standardise(name: str, frame: pd.DataFrame, mapping: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """One source in the unified columns: renamed, converted to mm and g, codes and dates normalised.

    Parameters
    ----------
    name : str
        The source (its records are named ``name:row``).
    frame : pandas.DataFrame
        Its raw records.
    mapping : mapping, default=None
        ``{"columns": {unified column: source column or (source column, unit factor)}, "date_format": str or
        None}``; the source's entry of :data:`MAPPINGS` by default.

    >>> from lifecycle_kit.platform.sources import agency_sources
    >>> survey = agency_sources(random_state=0).sources["field_survey"]
    >>> first = survey.iloc[0]
    >>> first["site"], first["spp"], float(first["mass_kg"])
    ('Torgersen', 'ADPE', 3.75)
    >>> row = standardise("field_survey", survey).iloc[0]
    >>> row["island"], row["species"], float(row["body_mass_g"])
    ('Torgersen', 'Adelie', 3750.0)
    """
    mapping = mapping or MAPPINGS.get(name)
    if mapping is None:
        raise LifecycleKitError(f"no mapping for source {name!r}; known: {', '.join(MAPPINGS)}")
    out = pd.DataFrame(index=frame.index)
    for unified, spec in mapping["columns"].items():
        column, factor = (spec, None) if isinstance(spec, str) else spec
        if column not in frame.columns:
            raise LifecycleKitError(f"source {name!r}: mapped column {column!r} is not in the data")
        values = frame[column]
        out[unified] = pd.to_numeric(values, errors="coerce") * factor if factor is not None else values
    out["source"] = name
    out["record"] = [f"{name}:{i}" for i in range(len(frame))]
    if "individual_id" in out:
        out["individual_id"] = out["individual_id"].astype("string").str.strip().str.upper()
    if "island" in out:
        out["island"] = out["island"].map(lambda v: _closest(v, ISLANDS))
    if "species" in out:
        out["species"] = out["species"].map(lambda v: _SPECIES_FROM.get(str(v).strip(), np.nan) if pd.notna(v) else np.nan)
    if "sex" in out:
        out["sex"] = out["sex"].map(lambda v: _SEX_FROM.get(str(v).strip(), np.nan) if pd.notna(v) else np.nan)
    if "egg_date" in out and mapping.get("date_format"):
        out["egg_date"] = pd.to_datetime(out["egg_date"], format=mapping["date_format"], errors="coerce")
    for c in UNIFIED_COLUMNS:
        if c not in out:
            out[c] = np.nan
    return out[UNIFIED_COLUMNS].reset_index(drop=True)


def standardise_all(sources: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every source standardised and stacked."""
    # Columns a source does not record are all missing; left out of the concatenation they cannot decide the
    # stacked column's type (egg dates stay dates although the laboratory records none).
    frames = [standardise(name, frame) for name, frame in sources.items()]
    stacked = pd.concat([f.dropna(axis=1, how="all") for f in frames], ignore_index=True)
    return stacked.reindex(columns=UNIFIED_COLUMNS)


def unified_spec() -> DataSpec:
    """The platform's data specification (stage 2) for the unified table."""
    from lifecycle_kit.quality import ColumnSpec, DataSpec, Rule

    columns = {
        "source": ColumnSpec("source", kind="categorical", nullable=False, allowed=sorted(MAPPINGS),
                             description="agency that sent the record"),
        "record": ColumnSpec("record", kind="text", nullable=False, pattern=r"[a-z_]+:\d+",
                             description="source and row of the record"),
        "study": ColumnSpec("study", kind="categorical", nullable=False, allowed=["PAL0708", "PAL0809", "PAL0910"],
                            description="field season"),
        "individual_id": ColumnSpec("individual_id", kind="text", nullable=False, pattern=r"N\d+A\d",
                                    description="the bird's identifier within its study"),
        "island": ColumnSpec("island", kind="categorical", allowed=ISLANDS, description="island of the nest"),
        "species": ColumnSpec("species", kind="categorical", allowed=SPECIES, description="penguin species"),
        "sex": ColumnSpec("sex", kind="categorical", allowed=["female", "male"], description="sex of the bird"),
        "egg_date": ColumnSpec("egg_date", kind="datetime", min="2007-01-01", max="2010-12-31",
                               description="date the first egg was observed"),
        "bill_length_mm": ColumnSpec("bill_length_mm", kind="numeric", min=25, max=65, unit="mm",
                                     description="culmen length"),
        "bill_depth_mm": ColumnSpec("bill_depth_mm", kind="numeric", min=10, max=25, unit="mm",
                                    description="culmen depth"),
        "flipper_length_mm": ColumnSpec("flipper_length_mm", kind="numeric", min=160, max=240, unit="mm",
                                        description="flipper length"),
        "body_mass_g": ColumnSpec("body_mass_g", kind="numeric", min=2500, max=6500, unit="g",
                                  description="body mass"),
        "delta_15n": ColumnSpec("delta_15n", kind="numeric", min=7, max=11, unit="per mille",
                                description="blood nitrogen isotope ratio"),
        "delta_13c": ColumnSpec("delta_13c", kind="numeric", min=-28, max=-23, unit="per mille",
                                description="blood carbon isotope ratio"),
    }
    return DataSpec(columns=columns, target="species", drift_possible=True,
                    drift_notes="Instruments and teams change between seasons.", source_column="source",
                    trusted_sources=["station_registry", "field_survey", "isotope_lab"],
                    rules=[Rule("bill_depth_mm", "<", "bill_length_mm", name="bill depth below bill length")],
                    required_levels={"species": SPECIES, "island": ISLANDS})
