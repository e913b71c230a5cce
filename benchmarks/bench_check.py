"""`lifecycle-kit check` on a large float CSV against pandas `read_csv` + `describe` and Polars, in turns.

The file: ``LK_BENCH_CHECK_ROWS`` (default 5,000,000) rows x 15 columns of float32-precision normal numbers
(about 820 MB of CSV). Each contender runs in a fresh process per round (the command as a user runs it), the
rounds in turns, the file in the page cache. Each process reports its CPU seconds by phase (imports, reading, the
rest) and its peak memory; "x frame" is the peak after imports over the loaded frame's memory. Budgets
(DESIGN.md): check <= 1.0x pandas read_csv + describe CPU, <= 2.5x Polars, peak <= 2x the frame.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import Measured, interleaved, median, print_table, ratio, spread  # noqa: E402
from benchmarks.peers import PeerUnavailable, ensure_env, versions  # noqa: E402

ROWS = int(os.environ.get("LK_BENCH_CHECK_ROWS", "5000000"))
REPEAT = int(os.environ.get("LK_BENCH_CHECK_REPEAT", "3"))

_PEAK = '''
def _peak_mb():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
def _rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
'''

KIT = _PEAK + r'''
import contextlib, io, json, sys, time
t0 = time.process_time()
import pandas
import lifecycle_kit.cli, lifecycle_kit.tables, lifecycle_kit.quality
base = _rss_mb()
phases = {"imports": time.process_time() - t0}
read_table, assess = lifecycle_kit.tables.read_table, lifecycle_kit.quality.assess
frame_mb, parser = [], []
def timed_read(*args, **kwargs):
    t = time.process_time(); table = read_table(*args, **kwargs); phases["reading"] = time.process_time() - t
    frame_mb.append(table.frame.memory_usage(deep=True).sum() / 2**20)
    parser.append(table.parser)
    return table
def timed_assess(*args, **kwargs):
    t = time.process_time(); report = assess(*args, **kwargs); phases["assessing"] = time.process_time() - t
    return report
lifecycle_kit.tables.read_table, lifecycle_kit.quality.assess = timed_read, timed_assess
t = time.process_time()
with contextlib.redirect_stdout(io.StringIO()):
    code = lifecycle_kit.cli.main(["check", sys.argv[1]])
phases["total"] = time.process_time() - t0
print(json.dumps({"phases": phases, "peak": _peak_mb(), "base": base, "frame": frame_mb[0], "code": code,
                  "parser": parser[0]}))
'''

PANDAS = _PEAK + r'''
import json, sys, time
t0 = time.process_time()
import pandas as pd
base = _rss_mb()
phases = {"imports": time.process_time() - t0}
t = time.process_time(); frame = pd.read_csv(sys.argv[1]); phases["reading"] = time.process_time() - t
t = time.process_time(); frame.describe(); phases["describe"] = time.process_time() - t
phases["total"] = time.process_time() - t0
print(json.dumps({"phases": phases, "peak": _peak_mb(), "base": base, "frame": frame.memory_usage(deep=True).sum() / 2**20}))
'''

POLARS = _PEAK + r'''
import json, sys, time
t0 = time.process_time()
import polars as pl
base = _rss_mb()
phases = {"imports": time.process_time() - t0}
t = time.process_time(); frame = pl.read_csv(sys.argv[1]); phases["reading"] = time.process_time() - t
t = time.process_time(); frame.describe(); phases["describe"] = time.process_time() - t
phases["total"] = time.process_time() - t0
print(json.dumps({"phases": phases, "peak": _peak_mb(), "base": base, "frame": frame.estimated_size() / 2**20}))
'''


def write_csv(path, rows=ROWS, *, seed=0):
    """15 columns of normal numbers at float32 precision (``0.12573022``), written a block at a time."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    block = 500_000
    with open(path, "w", encoding="utf-8") as handle:
        for start in range(0, rows, block):
            n = min(block, rows - start)
            pd.DataFrame({f"x{i}": rng.normal(size=n).astype(np.float32) for i in range(15)}).to_csv(
                handle, index=False, header=start == 0)


def _child(python, script, path, cwd=None, **env):
    def run():
        out = subprocess.run([str(python), "-c", script, str(path)], capture_output=True, text=True, check=True,
                             cwd=cwd, env={**os.environ, "OMP_NUM_THREADS": "1", **env})
        report = json.loads(out.stdout.strip().splitlines()[-1])
        return Measured(0.0, report["phases"]["total"], report)
    return run


def run():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "floats.csv"
        write_csv(path)
        size = path.stat().st_size / 1e6
        contenders = {"lifecycle-kit check": _child(sys.executable, KIT, path, cwd=str(ROOT)),
                      # The same command with the fallback reader (what runs where pyarrow is not installed).
                      "lifecycle-kit check, pandas reader": _child(sys.executable, KIT, path, cwd=str(ROOT),
                                                                   LIFECYCLE_KIT_CSV_PARSER="pandas"),
                      "pandas read_csv + describe": _child(sys.executable, PANDAS, path)}
        missing = ""
        try:
            python = ensure_env("polars")
            contenders["Polars read_csv + describe"] = _child(python, POLARS, path)
            polars_version = versions("polars").get("polars", "?")
        except PeerUnavailable as err:
            missing = f"; Polars unavailable: {err}"
        t = interleaved(contenders, repeat=REPEAT, warmup=1)
    kit, floor = t["lifecycle-kit check"], t["pandas read_csv + describe"]
    rows = []
    for name, timing in t.items():
        reports = [r for r in timing.results if isinstance(r, dict)]
        if not reports:
            rows.append([name, f"failed: {timing.results[-1]}", "", "", "", "", "", ""])
            continue
        phases = {key: [r["phases"][key] for r in reports] for key in reports[0]["phases"]}
        work = [r["phases"]["total"] - r["phases"]["imports"] for r in reports]
        detail = ", ".join(f"{key} {median(values):.2f}" for key, values in phases.items() if key != "total")
        peak = max(r["peak"] - r["base"] for r in reports)
        frame = reports[0]["frame"]
        floor_work = [r["phases"]["total"] - r["phases"]["imports"] for r in floor.results if isinstance(r, dict)]
        if reports[0].get("parser"):
            detail += f" (CSV read by {reports[0]['parser']})"
        rows.append([name, spread(timing.cpu), spread(work), detail, ratio(timing.cpu, floor.cpu),
                     ratio(work, floor_work), f"{peak:.0f}", f"{peak / frame:.2f}"])
    if "Polars read_csv + describe" in t and t["Polars read_csv + describe"].cpu:
        versus = f"; kit / Polars (CPU, whole process): {ratio(kit.cpu, t['Polars read_csv + describe'].cpu)} " \
                 f"(Polars {polars_version})"
    else:
        versus = missing
    print_table(f"`check` on {ROWS:,} x 15 floats ({size:.0f} MB of CSV): CPU seconds per process, {REPEAT} rounds in "
                f"turns, median (IQR){versus}",
                ["what", "CPU s", "CPU s after imports", "phases (median CPU s)", "x pandas (CPU)",
                 "x pandas after imports", "peak MB after imports", "x frame"], rows,
                note="Budgets: check <= 1.0x pandas read_csv + describe (CPU), <= 2.5x Polars, peak <= 2x the frame. "
                     "The kit reads with pyarrow's CSV reader where it is installed (the parquet extra, as in the course "
                     "environment), pandas' C parser in chunks otherwise.")


if __name__ == "__main__":
    run()
