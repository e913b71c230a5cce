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
import importlib.abc
import importlib.util
import sys

from lifecycle_kit.errors import IntegrityError, LifecycleKitError, QualityGateError

#: The kit's version (the one place it is written; the wheel reads it from here).
__version__ = "0.2.0"

__all__ = [
    "IntegrityError",
    "LifecycleKitError",
    "QualityGateError",
    "__version__",
]

# Public modules and subpackages (every one has a page in docs/api), imported lazily by attribute access (PEP 562).
_SUBMODULES = {
    "acquisition",
    "cli",
    "conception",
    "course",
    "datasets",
    "decommission",
    "display",
    "doctor",
    "drift",
    "errors",
    "experts",
    "i18n",
    "integrity",
    "labs",
    "memory_residue",
    "models",
    "planning",
    "platform",
    "poisoning",
    "preparation",
    "privacy",
    "profiling",
    "provenance",
    "quality",
    "reading",
    "report",
    "requirements",
    "results",
    "sensitivity",
    "synthetic",
    "tables",
}

# The course machinery lives in lifecycle_kit.course; these shorter names, which the notebooks (both
# editions, code identical) and learners' own code import, stay valid as the same module objects.
_MOVED = {
    "lifecycle_kit.class_report": "lifecycle_kit.course.class_report",
    "lifecycle_kit.code_exercises": "lifecycle_kit.course.code_exercises",
    "lifecycle_kit.exercises": "lifecycle_kit.course.exercises",
    "lifecycle_kit.progress": "lifecycle_kit.course.progress",
    "lifecycle_kit.selfchecks": "lifecycle_kit.course.selfchecks",
    "lifecycle_kit.stages": "lifecycle_kit.course.stages",
}


def _moved_to(name):
    """The new name of a module imported by its old one (``lifecycle_kit.selfchecks.capstone`` too), or None."""
    for old, new in _MOVED.items():
        if name == old or name.startswith(old + "."):
            return new + name[len(old):]
    return None


class _MovedModuleLoader(importlib.abc.Loader):
    """Gives the module at its new name; the import system then files it under the old name as well."""

    def __init__(self, target):
        self.target = target

    def create_module(self, spec):
        module = importlib.import_module(self.target)
        self.spec = module.__spec__  # the import system writes the old name's spec over it; put it back
        return module

    def exec_module(self, module):
        module.__spec__ = self.spec  # already executed under its new name


class _MovedModuleFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        new = _moved_to(fullname)
        return None if new is None else importlib.util.spec_from_loader(fullname, _MovedModuleLoader(new))


# First in line: otherwise the file finder, given the moved package's folder, would run a submodule
# (lifecycle_kit.selfchecks.capstone) a second time under its old name.
if not any(isinstance(finder, _MovedModuleFinder) for finder in sys.meta_path):
    sys.meta_path.insert(0, _MovedModuleFinder())


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"lifecycle_kit.{name}")
    if _moved_to(f"lifecycle_kit.{name}"):
        return importlib.import_module(f"lifecycle_kit.{name}")
    raise AttributeError(f"module 'lifecycle_kit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)
