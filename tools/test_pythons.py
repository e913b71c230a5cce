"""Run the quick test suite on every other Python >= 3.11 on this machine (`make test-pythons`, part of .ci/run).

`make test` runs everything on the main environment's Python (.venv). This finds the other CPython releases
>= 3.11 -- pyenv's (`pyenv root`/versions/3.X.Y) and `python3.X` on PATH, a pyenv shim that cannot run counting
as absent -- keeps the newest of each minor version, and for each one makes a throw-away environment with uv
(pip when uv is missing), installs the kit with its `test`, `crosscheck` and `present` extras (and pip, which the conda-file check runs), and runs the quick suite
(`-m "not notebook and not docs and not dist"`, without the type check). It says which Pythons it found and how long each
took (wall clock and CPU time: on a shared machine the CPU time is the steadier figure), and exits 1 if any
failed. Arguments after the options go to pytest.

    python tools/test_pythons.py            # every other Python found
    python tools/test_pythons.py --list     # only say which were found
    python tools/test_pythons.py -- -x -k drift
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OLDEST = (3, 11)  # pyproject.toml's requires-python
EXTRAS = "test,crosscheck,present"
# The quick suite, less the type check: mypy's verdict on the kit does not depend on the Python that runs the
# tests (pyproject.toml pins python_version), and its two mypy runs took 83 of the quick suite's 672 s.
QUICK = ["-m", "not notebook and not docs and not dist", "--ignore=tests/test_typecheck.py"]
# Prints (major, minor, micro, releaselevel) and the interpreter's own path, or fails (a pyenv shim for a
# version that is not selected exits 127).
PROBE = "import sys; print(*sys.version_info[:4], sys.executable)"


def probe(executable):
    """``((major, minor, micro), path)`` of a final CPython release that runs, else None."""
    try:
        out = subprocess.run([str(executable), "-I", "-c", PROBE], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    fields = out.stdout.split()
    if out.returncode != 0 or len(fields) < 5 or fields[3] != "final":
        return None
    return tuple(int(f) for f in fields[:3]), " ".join(fields[4:])


def candidates(search_path=None, pyenv_root=None):
    """Interpreters worth probing: pyenv's versions of 3.X.Y, then python3.X on the search path."""
    out = []
    if pyenv_root is None:
        pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    if pyenv_root:
        versions = Path(pyenv_root) / "versions"
        for folder in sorted(versions.glob("3.*")) if versions.is_dir() else []:
            match = re.fullmatch(r"3\.(\d+)\.\d+", folder.name)  # plain releases: no 3.13t, -dev or envs
            if match:
                out.append(folder / "bin" / f"python3.{match.group(1)}")
    for minor in range(OLDEST[1], 30):
        found = shutil.which(f"python3.{minor}", path=search_path)
        if found:
            out.append(Path(found))
    return out


def find_pythons(*, exclude_minor=None, search_path=None, pyenv_root=None):
    """``{(3, minor): (version, path)}``: the newest working release of each minor >= 3.11 but ``exclude_minor``."""
    best = {}
    for executable in candidates(search_path, pyenv_root):
        found = probe(executable)
        if found is None:
            continue
        version, path = found
        minor = version[:2]
        if minor < OLDEST or minor == exclude_minor:
            continue
        if minor not in best or version > best[minor][0]:
            best[minor] = (version, path)
    return dict(sorted(best.items()))


def dotted(version):
    return ".".join(map(str, version))


def make_environment(python, folder):
    """A fresh environment in ``folder`` with the kit (editable) and its test extras; the seconds it took."""
    start = time.perf_counter()
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    env = dict(os.environ, UV_PYTHON_DOWNLOADS="never")  # the interpreter found, never a downloaded one
    target = folder / "bin" / "python"
    if uv:
        subprocess.run([uv, "venv", "--quiet", "--seed", "--python", python, str(folder)], check=True, env=env)
        subprocess.run([uv, "pip", "install", "--quiet", "--python", str(target), "-e", f".[{EXTRAS}]"],
                       check=True, env=env, cwd=ROOT)
    else:
        subprocess.run([python, "-m", "venv", str(folder)], check=True)
        subprocess.run([str(target), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-e", f".[{EXTRAS}]"], check=True, cwd=ROOT)
    return target, time.perf_counter() - start


def children_cpu_seconds():
    """CPU time (user + system) of the finished child processes so far: unlike the wall clock, it does not grow
    when other work shares the machine, so it says what a run costs on an idle one (about CPU / 2 on 2 cores)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_suite(python, pytest_args):
    """The quick suite on ``python``: (passed, seconds, CPU seconds)."""
    start, cpu = time.perf_counter(), children_cpu_seconds()
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    command = [str(python), "-m", "pytest", "-p", "no:cacheprovider", "-n", "2", "-q", *QUICK, *pytest_args]
    done = subprocess.run(command, cwd=ROOT, env=env)
    return done.returncode == 0, time.perf_counter() - start, children_cpu_seconds() - cpu


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="only say which Pythons were found")
    parser.add_argument("--include-current", action="store_true",
                        help="test this interpreter's minor version too (normally `make test` covers it)")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    args = parser.parse_args(argv)
    current = sys.version_info[:2]
    pythons = find_pythons(exclude_minor=None if args.include_current else current)
    if not pythons:
        print(f"Other Pythons >= {dotted(OLDEST)}: none found (pyenv or python3.X on PATH); "
              f"{dotted(current)} is covered by make test.")
        return 0
    print(f"Other Pythons >= {dotted(OLDEST)} found: "
          + ", ".join(f"{dotted(version)} ({path})" for version, path in pythons.values())
          + ("" if args.include_current else f"; {dotted(current)} is covered by make test."), flush=True)
    if args.list:
        return 0
    results = []
    with tempfile.TemporaryDirectory(prefix="lifecycle-kit-pythons-") as scratch:
        for version, path in pythons.values():
            print(f"\n== Python {dotted(version)}: a fresh environment, then the quick suite ==", flush=True)
            try:
                python, env_seconds = make_environment(path, Path(scratch) / dotted(version))
            except subprocess.CalledProcessError as err:
                print(f"could not install the kit on Python {dotted(version)}: {err}", file=sys.stderr)
                results.append((version, "not installed", 0.0, 0.0, 0.0))
                continue
            passed, test_seconds, test_cpu = run_suite(python, args.pytest_args)
            results.append((version, "passed" if passed else "FAILED", env_seconds, test_seconds, test_cpu))
    print("\nPython   quick suite     environment  tests (wall)  tests (CPU)")
    for version, outcome, env_seconds, test_seconds, test_cpu in results:
        print(f"{dotted(version):<8} {outcome:<15} {env_seconds:>8.0f} s  {test_seconds:>10.0f} s  {test_cpu:>9.0f} s")
    return 0 if all(result[1] == "passed" for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
