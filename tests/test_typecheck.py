"""The type check of `make test`: mypy passes over the package, the entry points are typed, py.typed ships.

mypy's settings (default strictness plus a few flags that hold, a listed per-module baseline) live in
pyproject.toml [tool.mypy]. Every public function and method is annotated.
"""

import importlib
import inspect
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import lifecycle_kit

ROOT = Path(__file__).resolve().parents[1]

# The public entry points of /work/shared/DESIGN.md ("Public entry points"): fully annotated.
ENTRY_POINTS = {
    "lifecycle_kit.datasets": ["load", "list_datasets"],
    "lifecycle_kit.quality": ["assess", "infer_spec"],
    "lifecycle_kit.poisoning": ["flip_labels", "add_trigger", "find_suspicious"],
    "lifecycle_kit.drift": ["compare"],
    "lifecycle_kit.integrity": ["build_manifest", "verify_manifest", "sign", "verify_signature"],
}


def _mypy(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "mypy", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def _missing_annotations(func, *, method=False):
    """Names of the parameters (and "return") of ``func`` that carry no annotation.

    ``__init__`` needs its ``-> None`` too: mypy does not check the body of an ``__init__``
    without any annotation, which is the case of one that takes no parameters.
    """
    signature = inspect.signature(func)
    params = list(signature.parameters.values())
    if method and params and params[0].name in ("self", "cls"):
        params = params[1:]
    missing = [p.name for p in params if p.annotation is inspect.Parameter.empty]
    if signature.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


def _public_functions_and_methods():
    """``{qualified name: function}`` for every public function, and every public method of a public class."""
    found, seen = {}, set()
    for module_name in ["lifecycle_kit", *sorted(f"lifecycle_kit.{m}" for m in lifecycle_kit._SUBMODULES)]:
        module = importlib.import_module(module_name)
        names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
        for name in names:
            obj = getattr(module, name)
            if not getattr(obj, "__module__", "").startswith("lifecycle_kit"):
                continue
            if inspect.isfunction(obj) and obj not in seen:
                seen.add(obj)
                found[f"{module_name}.{name}"] = (obj, False)
            elif inspect.isclass(obj) and obj not in seen:
                seen.add(obj)
                for attr, member in vars(obj).items():
                    if attr.startswith("_") and attr != "__init__":
                        continue
                    is_static = isinstance(member, staticmethod)
                    func = member.__func__ if isinstance(member, (staticmethod, classmethod)) else member
                    if inspect.isfunction(func):
                        found[f"{module_name}.{name}.{attr}"] = (func, not is_static)
    return found


def test_mypy_passes_on_the_package():
    proc = _mypy()
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert "Success" in proc.stdout


def test_mypy_reads_the_entry_points_types_from_a_learners_code(tmp_path):
    # From outside the repository mypy finds the installed kit; without py.typed it would treat it as untyped.
    (tmp_path / "learner.py").write_text(
        "from lifecycle_kit.datasets import load\n"
        "from lifecycle_kit.quality import assess\n"
        "report = assess(load('iris').frame, random_state='seven')\n"
        "rows: str = report\n")
    proc = _mypy("--ignore-missing-imports", "--cache-dir", str(tmp_path / "cache"), "learner.py", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert 'Argument "random_state" to "assess" has incompatible type "str"; expected "int"' in proc.stdout
    assert 'expression has type "QualityReport", variable has type "str"' in proc.stdout


def test_the_wheel_carries_the_py_typed_marker():
    assert (ROOT / "lifecycle_kit" / "py.typed").is_file()
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["lifecycle_kit"]
    # hatchling leaves out what git ignores.
    ignored = subprocess.run(["git", "check-ignore", "-q", "lifecycle_kit/py.typed"], cwd=ROOT)
    assert ignored.returncode == 1


@pytest.mark.parametrize("module_name", sorted(ENTRY_POINTS))
def test_the_public_entry_points_are_fully_annotated(module_name):
    module = importlib.import_module(module_name)
    for name in ENTRY_POINTS[module_name]:
        assert _missing_annotations(getattr(module, name)) == [], f"{module_name}.{name}"


def test_the_annotation_check_can_fail():
    def untyped(a, b: int = 0):
        return a

    def typed(a: int, *, b: str = "") -> int:
        return a

    class Thing:
        def __init__(self):
            pass

    assert _missing_annotations(untyped) == ["a", "return"]
    assert _missing_annotations(typed) == []
    assert _missing_annotations(Thing.__init__, method=True) == ["return"]


def test_every_public_function_and_method_is_annotated():
    functions = _public_functions_and_methods()
    assert len(functions) > 300  # the enumeration still finds the package's API
    lacking = {name: _missing_annotations(func, method=method) for name, (func, method) in functions.items()}
    lacking = {name: missing for name, missing in lacking.items() if missing}
    assert lacking == {}, f"{len(lacking)} public functions and methods lack annotations: {lacking}"


def test_the_enumeration_reaches_methods_sklearn_wraps():
    # scikit-learn wraps transform and fit_transform (set_output); the check reads the kit's own signatures.
    functions = _public_functions_and_methods()
    for name in ("transform", "fit_transform"):
        func, method = functions[f"lifecycle_kit.quality.QualityGateStep.{name}"]
        assert _missing_annotations(func, method=method) == []
        assert inspect.unwrap(func).__module__ == "lifecycle_kit.quality.gate_step"
