"""The release as a course provider pins it and a learner installs it: `make dist`'s sdist and wheel.

The sdist and the wheel are built the way `make dist` builds them (``uv build``: the sdist, then the wheel from
the sdist, so a file missing from the sdist would be missing from the wheel too), checked with ``twine check``,
and the wheel is installed into a fresh environment in the system's temporary folder, outside the repository.
From there the learner's path runs as a learner without git or make runs it: ``lifecycle-kit lab --dir``
copies the course and serves it, ``check``, ``drift`` and ``report`` read a table as a Russian Excel writes it,
``doctor`` passes, ``present`` without Voila names the extra to install, and a notebook of the copy runs in a
kernel of the fresh environment with the network blocked.

Marked ``dist``: `make test` runs it, `make test-quick` leaves it out. uv installs from its cache (``--offline``,
the packages `make env` downloaded), so the fresh environment takes seconds; without a warm cache it falls back
to the registry.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

import lifecycle_kit

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "data" / "own_data"

pytestmark = pytest.mark.dist


def _uv():
    # The environment's own uv (the `release` extra), not one found on PATH: an environment made without the
    # extra (make test-pythons) skips these tests instead of building with another Python's tools.
    uv = Path(sys.executable).with_name("uv")
    if not uv.exists():
        pytest.skip("uv is not installed in this environment (the `release` extra installs it: make env)")
    return str(uv)


def _run(command, **kwargs):
    kwargs.setdefault("timeout", 600)
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def _uv_with_cache_first(arguments, **kwargs):
    """uv from its cache (offline), and from the registry only when the cache lacks something."""
    proc = _run([_uv(), *arguments, "--offline"], **kwargs)
    if proc.returncode != 0:
        proc = _run([_uv(), *arguments], **kwargs)
    assert proc.returncode == 0, f"uv {' '.join(arguments)} failed:\n{proc.stderr[-4000:]}"
    return proc


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    _uv_with_cache_first(["build", "--out-dir", str(out), str(ROOT)], cwd=ROOT)
    version = lifecycle_kit.__version__
    wheel, sdist = out / f"lifecycle_kit-{version}-py3-none-any.whl", out / f"lifecycle_kit-{version}.tar.gz"
    assert wheel.is_file() and sdist.is_file(), sorted(p.name for p in out.iterdir())
    return wheel, sdist


def _tracked(folder):
    """Files of ``folder`` (relative to the repository) that git tracks; every file there outside a checkout."""
    proc = _run(["git", "ls-files", "-z", folder], cwd=ROOT)
    if proc.returncode == 0 and proc.stdout:
        return sorted(p for p in proc.stdout.split("\0") if p)
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


def test_the_wheel_carries_the_course_and_twine_accepts_both(dist):
    wheel, sdist = dist
    names = set(zipfile.ZipFile(wheel).namelist())
    info = f"lifecycle_kit-{lifecycle_kit.__version__}.dist-info"
    expected = {name for name in _tracked("lifecycle_kit")}  # code, catalogues (.po and .mo), templates, schemas
    expected |= {"lifecycle_kit/_notebooks/" + p.removeprefix("notebooks/") for p in _tracked("notebooks")}
    expected |= {"lifecycle_kit/_data/" + p.removeprefix("data/") for p in _tracked("data")}
    assert not expected - names, f"missing from the wheel: {sorted(expected - names)[:20]}"
    # Nothing but the package: no tests, docs, benchmarks or build leftovers.
    assert all(n.startswith(("lifecycle_kit/", info + "/")) for n in names), sorted(
        n for n in names if not n.startswith(("lifecycle_kit/", info + "/")))
    # What a learner needs, named (the lists above could both be empty if git failed).
    for needed in ("lifecycle_kit/_notebooks/00_start_here.ipynb", "lifecycle_kit/_notebooks/ru/00_start_here.ipynb",
                   "lifecycle_kit/_notebooks/solutions/04_data_acquisition.ipynb", "lifecycle_kit/_data/MANIFEST.json",
                   "lifecycle_kit/_data/adult.data.gz", "lifecycle_kit/locale/ru/LC_MESSAGES/lifecycle_kit.mo",
                   "lifecycle_kit/course/templates/report.html", "lifecycle_kit/course/templates/report.css",
                   "lifecycle_kit/app_mode/voila/templates/lifecycle/index.html.j2", "lifecycle_kit/py.typed",
                   "lifecycle_kit/schemas/quality_report.schema.json"):
        assert needed in names, needed
    notebooks = [n for n in names if n.endswith(".ipynb")]
    assert sum(n.count("/") == 2 for n in notebooks) >= 12  # lifecycle_kit/_notebooks/NN_*.ipynb
    assert sum("/_notebooks/ru/" in n for n in notebooks) == sum(n.count("/") == 2 for n in notebooks)
    metadata = zipfile.ZipFile(wheel).read(f"{info}/METADATA").decode()
    for line in ("Version: 0.2.0", "Requires-Python: >=3.11", "License-Expression: MIT",
                 "Classifier: Programming Language :: Python :: 3.11",
                 "Classifier: Programming Language :: Python :: 3.12",
                 "Classifier: Programming Language :: Python :: 3.13", "Classifier: Framework :: Jupyter",
                 "Classifier: Intended Audience :: Education", "Provides-Extra: present"):
        assert line in metadata.splitlines(), line
    assert "lifecycle-kit = lifecycle_kit.cli:main" in zipfile.ZipFile(wheel).read(f"{info}/entry_points.txt").decode()

    with tarfile.open(sdist) as archive:
        members = {m.name.split("/", 1)[1] for m in archive.getmembers() if "/" in m.name and m.isfile()}
    for document in ("README.md", "LICENSE", "CHANGELOG.md", "CITATION.cff", "CONTRIBUTING.md", "SECURITY.md",
                     "pyproject.toml", "environment.yml"):
        assert document in members, document
    tracked = set(_tracked("."))
    assert not tracked - members, f"tracked but not in the sdist: {sorted(tracked - members)[:20]}"

    twine = Path(sys.executable).with_name("twine")
    if not twine.exists():
        pytest.skip("twine is not installed (the `release` extra installs it: make env)")
    proc = _run([str(twine), "check", "--strict", str(wheel), str(sdist)])
    assert proc.returncode == 0 and proc.stdout.count("PASSED") == 2, proc.stdout + proc.stderr


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except OSError:
        return None, b""


# Runs in the fresh environment's Python: the copy's notebook in a kernel of that environment, the network
# blocked by the notebook tests' own guard, then a cell that says which kit the kernel imported.
_EXECUTE = """
import json, sys
import nbformat
from nbclient import NotebookClient
notebook, guard = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
nb = nbformat.read(notebook, as_version=4)
nb.cells.insert(0, nbformat.v4.new_code_cell(guard))
nb.cells.append(nbformat.v4.new_code_cell("import sys, lifecycle_kit; print(sys.prefix); print(lifecycle_kit.__file__)"))
NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": sys.argv[3]}}).execute()
errors = [o.get("ename") for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
print(json.dumps({"errors": errors, "last": nb.cells[-1].outputs[0]["text"], "cells": len(nb.cells)}))
"""


def _same_judgement(output):
    """What must agree between the fresh install (base extras) and the checkout (make env adds pyarrow).

    Only two things may differ, and they say so: which parser read the file (pyarrow's where installed, with
    the same result) and the portability measure's note that it could not try Parquet without pyarrow.
    """
    output = json.loads(json.dumps(output))
    for reading in ([output["reading"]] if "file" in output.get("reading", {}) else output.get("reading", {}).values()):
        reading.pop("parser", None)
        reading.pop("parser_reason", None)
    for measure in output.get("measures", []):
        if measure.get("measure_id") == "Por-ML-1":
            measure.pop("detail", None)
    return output


def test_the_installed_wheel_runs_the_learners_path_outside_the_repository(dist, tmp_path, monkeypatch, capsys):
    from lifecycle_kit.cli import main
    from tests.notebook_runner import SOCKET_GUARD

    wheel, _ = dist
    venv, home = tmp_path / "venv", tmp_path / "learner"
    home.mkdir()
    _run([_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    _uv_with_cache_first(["pip", "install", "--python", str(venv / "bin" / "python"), str(wheel)])
    bin_dir = venv / "bin"
    # The learner's shell: the fresh environment first on PATH, nothing of the repository or the test's environment,
    # and Jupyter's per-user folders empty (no kernel or setting of this machine's user leaks in).
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
               JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"), JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
               JUPYTER_TOKEN="lifecycle-kit-dist-test", LIFECYCLE_KIT_LANG="en")
    kit = str(bin_dir / "lifecycle-kit")

    def run(*args, **kwargs):
        return _run([kit, *args], cwd=home, env=env, **kwargs)

    assert run("--version").stdout.strip() == f"lifecycle-kit {lifecycle_kit.__version__}"
    where = _run([str(bin_dir / "python"), "-c", "import lifecycle_kit; print(lifecycle_kit.__file__)"], cwd=home,
                 env=env).stdout.strip()
    assert Path(where).is_relative_to(venv) and not Path(where).is_relative_to(ROOT), where

    # 1. lab: the course copied (both editions and the solutions) and served, then stopped as with Ctrl+C.
    port, course = _free_port(), home / "my-course"
    lab = subprocess.Popen([kit, "lab", "--dir", str(course), "--no-browser", "--with-solutions", "--port", str(port)],
                           cwd=home, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, start_new_session=True)
    try:
        status, deadline = None, time.monotonic() + 120
        while status != 200 and time.monotonic() < deadline and lab.poll() is None:
            time.sleep(0.5)
            status, body = _get(f"http://127.0.0.1:{port}/api/contents/00_start_here.ipynb"
                                f"?content=0&token={env['JUPYTER_TOKEN']}")
        assert status == 200, f"JupyterLab did not serve the copy (exit {lab.poll()})"
        assert json.loads(body)["path"] == "00_start_here.ipynb"
        assert _get(f"http://127.0.0.1:{port}/api/contents/00_start_here.ipynb?content=0")[0] is None  # token needed
    finally:
        os.killpg(lab.pid, signal.SIGINT)
        try:
            output = lab.communicate(timeout=60)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            raise
    assert "Traceback" not in output, output[-3000:]
    from lifecycle_kit.course.launch import list_notebooks

    assert list_notebooks(course) == list_notebooks() and list_notebooks(course / "ru") == list_notebooks(course)
    assert list_notebooks(course / "solutions") == list_notebooks(ROOT / "notebooks" / "solutions")

    # 2. check, drift and report on a table as a Russian-locale Excel writes it (cp1251, ';', decimal comma, digits
    # grouped with a no-break space): the installed kit reads and judges it exactly as the checkout does.
    for name in ("cars_cp1251_a.csv", "cars_cp1251_b.csv"):
        shutil.copy(SAMPLES / name, home / name)
    reference, current = "cars_cp1251_a.csv", "cars_cp1251_b.csv"
    outputs = {}
    for args in (["check", current, "--json"], ["drift", reference, current, "--json"]):
        installed = run(*args)
        monkeypatch.chdir(home)
        capsys.readouterr()
        here = main(args)
        assert installed.returncode == here and installed.returncode in (0, 1), installed.stderr
        outputs[args[0]] = json.loads(installed.stdout)
        assert _same_judgement(outputs[args[0]]) == _same_judgement(json.loads(capsys.readouterr().out)), args
    reading = outputs["drift"]["reading"]["current"]
    assert (reading["encoding"], reading["delimiter"], reading["decimal"]) == ("cp1251", ";", ","), reading
    assert "Вес_фунты" in outputs["drift"]["drifted_columns"], outputs["drift"]["summary"]
    report = run("report", current, "--reference", reference, "--html", "report.html")
    assert report.returncode in (0, 1) and "<html" in (home / "report.html").read_text(encoding="utf-8")[:500].lower()

    # 3. doctor passes; it says Voila is missing and which extra brings it, and present says the same.
    doctor = run("doctor")
    assert doctor.returncode == 0, doctor.stdout[-3000:]
    voila = next(line for line in doctor.stdout.splitlines() if " voila " in f" {line} ")
    assert voila.startswith("warn") and 'pip install "lifecycle-kit[present]"' in voila, voila
    assert "SHA-256 verified" in doctor.stdout and "FAIL" not in doctor.stdout
    present = run("present", "04", "--no-browser")
    assert present.returncode == 2 and present.stderr.count("\n") == 1, present.stderr
    assert 'pip install "lifecycle-kit[present]"' in present.stderr

    # 4. A notebook of the copy, executed in a kernel of the fresh environment, offline.
    guard, script = tmp_path / "guard.py", tmp_path / "execute.py"
    guard.write_text(SOCKET_GUARD, encoding="utf-8")
    script.write_text(_EXECUTE, encoding="utf-8")
    executed = _run([str(bin_dir / "python"), str(script), str(course / "00_start_here.ipynb"), str(guard), str(course)],
                    cwd=course, env=env)
    assert executed.returncode == 0, executed.stderr[-4000:]
    result = json.loads(executed.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    prefix, module = result["last"].split()
    assert Path(prefix).resolve() == venv.resolve() and Path(module).is_relative_to(venv), result["last"]
