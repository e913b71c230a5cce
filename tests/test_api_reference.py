"""Every public module of the package has ``__all__`` and a page in the API reference (docs/api).

The documentation build (tests/test_docs_site.py, marked ``docs``) then checks that every name in each
``__all__`` is on its page. This file needs no build, so `make test-quick` catches a module added without
a page or without ``__all__``.
"""

import importlib
import pkgutil
import re
from pathlib import Path

import lifecycle_kit
from lifecycle_kit import course

DOCS_API = Path(__file__).resolve().parents[1] / "docs" / "api"
# Packages of files rather than Python API: Voila's templates for app mode.
NOT_PYTHON_API = {"app_mode"}


def _public(package):
    return {m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")}


def _documented_modules():
    found = {}
    for page in DOCS_API.glob("*.md"):
        for module in re.findall(r"^\.\. automodule:: (\S+)", page.read_text(encoding="utf-8"), re.M):
            found[module] = page.stem
    return found


def test_every_public_module_is_a_lazily_importable_submodule():
    assert _public(lifecycle_kit) - NOT_PYTHON_API == set(lifecycle_kit._SUBMODULES)
    assert _public(course) == set(course._SUBMODULES)


def test_every_public_module_has_all_and_a_reference_page():
    documented = _documented_modules()
    names = [f"lifecycle_kit.{m}" for m in sorted(lifecycle_kit._SUBMODULES)]
    # course.launch is documented through lifecycle_kit.course, which re-exports every name in its __all__.
    names += [f"lifecycle_kit.course.{m}" for m in sorted(course._SUBMODULES - {"launch"})]
    without_all = [n for n in names if not hasattr(importlib.import_module(n), "__all__")]
    without_page = [n for n in names if n not in documented]
    assert not without_all, f"public modules without __all__: {without_all}"
    assert not without_page, f"public modules without a page in docs/api: {without_page}"
    assert set(importlib.import_module("lifecycle_kit.course.launch").__all__) <= set(course.__all__)


def test_every_name_in_all_exists():
    for name in [f"lifecycle_kit.{m}" for m in lifecycle_kit._SUBMODULES] + [
            f"lifecycle_kit.course.{m}" for m in course._SUBMODULES]:
        module = importlib.import_module(name)
        absent = [a for a in module.__all__ if not hasattr(module, a)]
        assert not absent, f"{name}.__all__ names what it does not define: {absent}"
