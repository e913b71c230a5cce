"""Lifecycle Kit: AI safety through data quality and integrity, stage by stage.

The kit follows the ten stages of the data life cycle of ISO/IEC 8183:2023
(GOST R 70889-2023). The core (everything outside :mod:`lifecycle_kit.labs`)
is plain Python over pandas, numpy and scikit-learn; the labs put ipywidgets
controls over it; the notebooks tell the story.

Subpackages are imported on first use so that ``import lifecycle_kit`` stays
fast (scikit-learn, matplotlib and ipywidgets load only when needed).

>>> import lifecycle_kit
>>> issubclass(lifecycle_kit.IntegrityError, lifecycle_kit.LifecycleKitError)
True
"""

import importlib

from lifecycle_kit.errors import IntegrityError, LifecycleKitError, QualityGateError

__version__ = "0.1.0"

__all__ = [
    "IntegrityError",
    "LifecycleKitError",
    "QualityGateError",
    "__version__",
]

# Public subpackages, imported lazily by attribute access (PEP 562).
_SUBMODULES = {
    "class_report",
    "cli",
    "datasets",
    "doctor",
    "drift",
    "exercises",
    "experts",
    "integrity",
    "labs",
    "poisoning",
    "privacy",
    "profiling",
    "progress",
    "provenance",
    "quality",
    "reading",
    "report",
    "results",
    "selfchecks",
    "stages",
    "synthetic",
    "tables",
}


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"lifecycle_kit.{name}")
    raise AttributeError(f"module 'lifecycle_kit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)
