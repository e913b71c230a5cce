"""Peer libraries in throw-away environments outside the repository (they need older pins than the kit).

``ensure_env(name)`` creates ``<envs>/<name>`` with uv on first use, where ``<envs>`` is
``$LIFECYCLE_KIT_BENCH_ENVS`` or ``~/.cache/lifecycle-kit/bench-envs``: never the course environment, never the
checkout. ``Peer(name, setup)`` starts one warm process there: its ``setup`` code runs once (imports, loading
the data), then each ``peer()`` call times one run of its ``work`` code in that process (wall and CPU), so a
peer is timed warm, in turns with the kit (``benchmarks.common.interleaved``), like the kit. A peer that cannot
be installed (no registry access) is reported, not fatal.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.common import Measured

ENVS = Path(os.environ.get("LIFECYCLE_KIT_BENCH_ENVS", Path.home() / ".cache" / "lifecycle-kit" / "bench-envs"))

REQUIREMENTS = {
    "ydata-profiling": ["ydata-profiling==4.18.4", "pandas<3", "numpy<2.2", "setuptools<81"],
    "cleanlab": ["cleanlab==2.9.0", "scikit-learn", "pandas<3"],
    "evidently": ["evidently==0.7.23", "pandas<3"],
    # Readers of the same CSV (benchmarks/bench_check.py, bench_reader.py).
    "polars": ["polars==2.2.0"],
    "duckdb": ["duckdb"],
}


class PeerUnavailable(Exception):
    pass


def _uv():
    for candidate in (Path(sys.executable).parent / "uv", shutil.which("uv")):
        if candidate and Path(candidate).exists():
            return str(candidate)
    raise PeerUnavailable("uv not found (make env installs it)")


def ensure_env(name):
    env = ENVS / name
    python = env / "bin" / "python"
    stamp = env / ".installed"
    if stamp.exists() and stamp.read_text() == " ".join(REQUIREMENTS[name]):
        return python
    ENVS.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(env)], check=True, capture_output=True)
        subprocess.run([_uv(), "pip", "install", "--python", str(python), "--quiet", *REQUIREMENTS[name]],
                       check=True, capture_output=True, text=True, timeout=900)
    except subprocess.CalledProcessError as err:
        raise PeerUnavailable(f"could not install {name}: {(err.stderr or '').strip().splitlines()[-1:]}") from None
    except subprocess.TimeoutExpired:
        raise PeerUnavailable(f"installing {name} timed out") from None
    stamp.write_text(" ".join(REQUIREMENTS[name]))
    return python


def versions(name):
    """``{distribution: version}`` of a peer's environment (what the table was measured against)."""
    python = ensure_env(name)
    code = ("import importlib.metadata as m, json, sys; "
            "print(json.dumps({d: m.version(d) for d in sys.argv[1:]}))")
    names = [r.split("==")[0].split("<")[0] for r in REQUIREMENTS[name]]
    out = subprocess.run([str(python), "-c", code, *names], capture_output=True, text=True)
    return json.loads(out.stdout) if out.returncode == 0 else {}


# The peer's side: setup once, then time ``work`` on request; one JSON line per answer.
_SERVER = r'''
import json, sys, time, warnings
warnings.filterwarnings("ignore")
namespace = {"payload": json.loads(sys.stdin.readline())}
start = time.perf_counter()
exec(compile(sys.argv[1], "<setup>", "exec"), namespace)
print(json.dumps({"setup_s": time.perf_counter() - start}), flush=True)
work = compile(sys.argv[2], "<work>", "exec")
for line in sys.stdin:
    wall, cpu = time.perf_counter(), time.process_time()
    exec(work, namespace)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(json.dumps({"wall": wall, "cpu": cpu, "result": namespace.get("result")}), flush=True)
'''


class Peer:
    """A warm peer process: ``setup`` code (with ``payload``) once, then ``work`` code timed per call.

    ``work`` may set ``result`` (JSON-able) to return something to compare with the kit. Use as a context
    manager, or call :meth:`close`.
    """

    def __init__(self, name, setup, work, payload, *, timeout=3600):
        python = ensure_env(name)
        env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"), PYTHONWARNINGS="ignore")
        self.name = name
        self.timeout = timeout
        self.process = subprocess.Popen([str(python), "-c", _SERVER, setup, work], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.process.stdin.write(json.dumps(payload) + "\n")
        self.process.stdin.flush()
        self.setup_s = self._answer()["setup_s"]

    def _answer(self):
        line = self.process.stdout.readline()
        if not line:
            error = self.process.stderr.read().strip().splitlines()
            self.close()
            raise PeerUnavailable(f"{self.name} failed: {error[-1] if error else self.process.returncode}")
        return json.loads(line)

    def __call__(self):
        self.process.stdin.write("run\n")
        self.process.stdin.flush()
        answer = self._answer()
        return Measured(answer["wall"], answer["cpu"], answer["result"])

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run_peer(name, script, payload, *, timeout=1800):
    """Run ``script`` once in a fresh process of the peer's environment (``payload`` as JSON on stdin) and return
    the JSON it prints last: for what only a fresh process shows (peak memory, benchmarks/bench_reader.py)."""
    python = ensure_env(name)
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"), PYTHONWARNINGS="ignore")
    proc = subprocess.run([str(python), "-c", script], input=json.dumps(payload), capture_output=True, text=True,
                          timeout=timeout, env=env)
    if proc.returncode != 0:
        error = proc.stderr.strip().splitlines()
        raise PeerUnavailable(f"{name} failed: {error[-1] if error else proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def start_peer(name, setup, work, payload):
    """A :class:`Peer`, or the reason it is unavailable (a string)."""
    try:
        return Peer(name, setup, work, payload)
    except PeerUnavailable as err:
        return str(err)
