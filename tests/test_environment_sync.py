"""conda users get the base course: environment.yml and pyproject.toml agree, and its pip section installs.

conda installs the kit's own dependencies from conda-forge with the same lower bounds as pyproject.toml (the
extras are pip installs, named in the file's comments), then hands the ``pip:`` section to pip: it writes the
lines to a requirements file beside environment.yml and runs ``pip install -U -r`` on it in that folder. A line
pip does not accept in a requirements file (``--no-deps`` was one) fails the whole ``conda env create``, so the
section is run through pip itself here: ``pip install --dry-run`` parses it, builds the kit's metadata and
resolves it against this environment, offline (``--no-index``, no build isolation: hatchling from the
``release`` extra).
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

# Left to pip on purpose (environment.yml says why): published on PyPI by its authors.
FROM_PIP = {"jupyterlab-language-pack-ru-ru"}


def _normalise(requirement):
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*((?:[<>=!~]=?\s*[0-9][0-9.*]*\s*,?\s*)*)\s*", requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def _pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return dict(_normalise(d) for d in project["dependencies"]), project


def _environment():
    spec = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in spec["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in spec["dependencies"] if isinstance(d, dict) and "pip" in d)
    deps = dict(_normalise(d) for d in conda)
    return deps, pip, spec


def test_conda_installs_the_base_dependencies_with_the_same_bounds():
    base, project = _pyproject()
    conda, _, spec = _environment()
    python = conda.pop("python")
    assert conda.pop("pip") == ""
    assert conda == {name: bound for name, bound in base.items() if name not in FROM_PIP}, (
        f"only in pyproject: {set(base.items()) - set(conda.items()) - {(n, base[n]) for n in FROM_PIP}}; "
        f"only in environment.yml: {set(conda.items()) - set(base.items())}")
    assert FROM_PIP <= set(base)  # what is left to pip is a dependency pip will bring with the kit
    assert python == project["requires-python"] and spec["channels"] == ["conda-forge"]


def test_no_extra_is_installed_by_conda():
    _, project = _pyproject()
    conda, _, _ = _environment()
    extras = {_normalise(d)[0] for extra in project["optional-dependencies"].values() for d in extra}
    assert not extras & set(conda), extras & set(conda)


def test_every_dependency_has_a_lower_bound():
    base, project = _pyproject()
    extras = dict(_normalise(d) for extra in project["optional-dependencies"].values() for d in extra)
    assert all(bound.startswith(">=") for bound in {**base, **extras}.values()), {**base, **extras}


def _pip_dry_run(lines, tmp_path):
    """``pip install -U --dry-run -r`` of ``lines`` as conda runs it (in environment.yml's folder), offline."""
    requirements = tmp_path / "condaenv.requirements.txt"
    requirements.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "-U", "--no-index", "--no-build-isolation",
         "--disable-pip-version-check", "-r", str(requirements)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_pips_own_parser_accepts_the_pip_section_and_resolves_it_to_the_kit(tmp_path):
    pytest.importorskip("hatchling", reason="the `release` extra installs the build backend (make env)")
    _, pip, _ = _environment()
    assert pip == ["-e ."]  # the kit from this folder, with its dependencies (no --no-deps)
    proc = _pip_dry_run(pip, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    would = next(line for line in proc.stdout.splitlines() if line.startswith("Would install"))
    assert would.split()[2:] == [f"lifecycle-kit-{__import__('lifecycle_kit').__version__}"], would


def test_the_parser_check_can_fail(tmp_path):
    proc = _pip_dry_run(["--no-deps", "-e ."], tmp_path)
    assert proc.returncode != 0 and "no-deps" in proc.stderr, proc.stderr
