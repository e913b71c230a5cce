"""conda users get the same environment: environment.yml and pyproject.toml agree on every dependency and bound."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _normalise(requirement):
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*((?:[<>=!~]=?\s*[0-9][0-9.*]*\s*,?\s*)*)\s*", requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def _pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = [*project["dependencies"], *(d for extra in project["optional-dependencies"].values() for d in extra)]
    return dict(_normalise(d) for d in deps), project["requires-python"]


def _environment():
    deps, python = {}, None
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("\ndependencies:", 1)[1].splitlines():
        item = re.match(r"^  - ([^#:]+?)\s*$", line)
        if not item:
            continue
        name, bound = _normalise(item.group(1))
        if name == "python":
            python = bound
        elif name != "pip":
            deps[name] = bound
    return deps, python


def test_same_dependencies_and_bounds():
    py_deps, py_python = _pyproject()
    env_deps, env_python = _environment()
    assert env_deps == py_deps, f"only in pyproject: {set(py_deps.items()) - set(env_deps.items())}; " \
                                f"only in environment.yml: {set(env_deps.items()) - set(py_deps.items())}"
    assert env_python == py_python


def test_every_dependency_has_a_lower_bound():
    py_deps, _ = _pyproject()
    assert all(bound.startswith(">=") for bound in py_deps.values()), py_deps


def test_environment_installs_the_kit_itself():
    text = (ROOT / "environment.yml").read_text()
    assert "- -e ." in text
