"""Peer libraries in throw-away environments (they need older pins than the kit).

``run_peer(name, script, payload)`` creates ``.bench-envs/<name>`` with uv on
first use, runs ``script`` (Python source) there with ``payload`` as JSON on
stdin, and returns the JSON the script prints on its last line. A peer that
cannot be installed (no registry access) is reported, not fatal.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENVS = ROOT / ".bench-envs"

REQUIREMENTS = {
    "ydata-profiling": ["ydata-profiling==4.18.4", "pandas<3", "numpy<2.2", "setuptools<81"],
    "cleanlab": ["cleanlab==2.9.0", "scikit-learn", "pandas<3"],
    "evidently": ["evidently==0.7.23", "pandas<3"],
    # Readers of the same CSV, for the peak memory of `lifecycle-kit check` (benchmarks/bench_reader.py).
    "polars": ["polars"],
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
    if stamp.exists():
        return python
    ENVS.mkdir(exist_ok=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True, capture_output=True)
        subprocess.run([_uv(), "pip", "install", "--python", str(python), "--quiet", *REQUIREMENTS[name]],
                       check=True, capture_output=True, text=True, timeout=900)
    except subprocess.CalledProcessError as err:
        raise PeerUnavailable(f"could not install {name}: {(err.stderr or '').strip().splitlines()[-1:]}") from None
    except subprocess.TimeoutExpired:
        raise PeerUnavailable(f"installing {name} timed out") from None
    stamp.write_text(" ".join(REQUIREMENTS[name]))
    return python


def run_peer(name, script, payload, *, timeout=1800):
    python = ensure_env(name)
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"), PYTHONWARNINGS="ignore")
    proc = subprocess.run([str(python), "-c", script], input=json.dumps(payload), capture_output=True, text=True,
                          timeout=timeout, env=env)
    if proc.returncode != 0:
        raise PeerUnavailable(f"{name} failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
