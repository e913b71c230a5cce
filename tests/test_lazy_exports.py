"""Names a package loads lazily (a module-level ``__getattr__``) are still listed by ``dir()``, so tab completion
and ``help()`` find them, and listing them does not load them."""

import importlib
import pkgutil
import subprocess
import sys

import pytest

import lifecycle_kit


def _packages():
    names = ["lifecycle_kit"] + [m.name for m in pkgutil.walk_packages(lifecycle_kit.__path__, "lifecycle_kit.")
                                 if m.ispkg]
    return [name for name in names if "__getattr__" in vars(importlib.import_module(name))]


LAZY_PACKAGES = _packages()


def test_the_packages_with_lazy_names_are_found():
    assert {"lifecycle_kit", "lifecycle_kit.quality", "lifecycle_kit.labs"} <= set(LAZY_PACKAGES)


@pytest.mark.parametrize("name", LAZY_PACKAGES)
def test_dir_lists_every_public_name_and_each_resolves(name):
    package = importlib.import_module(name)
    listed = dir(package)
    missing = [n for n in getattr(package, "__all__", []) if n not in listed]
    assert not missing, f"{name}: dir() leaves out {missing}"
    for public in [n for n in listed if not n.startswith("_")]:
        getattr(package, public)  # every name listed can be read


@pytest.mark.parametrize("name, lazy, heavy", [("lifecycle_kit.quality", "QualityGateStep", "sklearn"),
                                               ("lifecycle_kit.labs", "DriftLab", "ipywidgets")])
def test_listing_a_lazy_name_does_not_load_it(name, lazy, heavy):
    code = (f"import sys, {name} as p; assert {lazy!r} in dir(p); "
            f"assert {heavy!r} not in sys.modules, 'dir() loaded {heavy}'")
    subprocess.run([sys.executable, "-c", code], check=True)
