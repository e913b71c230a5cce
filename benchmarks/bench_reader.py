"""Peak memory of reading a user's CSV: `read_table` and `lifecycle-kit check` against pandas, Polars and DuckDB.

Each reader runs in a fresh process; its peak resident memory (``VmHWM``)
is compared with the memory of the frame the kit loads from the same file
(``memory_usage(deep=True)``). "After imports" subtracts what the process held
before reading (Python, the library, the kit). ``pandas.read_csv`` alone is the
floor, measured in the same run; "x floor" is a reader's peak after imports
over the floor's. Polars (``read_csv``) and DuckDB (``CREATE TABLE AS SELECT *
FROM read_csv``) read the same file in throw-away environments (``.bench-envs``,
benchmarks/peers.py); a peer that cannot be installed is reported, not fatal.
The budget (2.5 times the frame, after imports) applies to `read_table` and to
the whole `lifecycle-kit check` command.

Tables: a text-heavy one of ``LK_BENCH_READER_ROWS`` rows (default 1,000,000;
about 100 MB of CSV), the same table as Excel writes it in a Russian locale
(``;``, decimal commas, cp1251: the reading options are detected, issue 24),
and ``LK_BENCH_READER_FLOAT_ROWS`` rows of 15 full-precision floats (default
5,000,000; about 1.4 GB of CSV, a 570 MB frame). Each reader runs
``LK_BENCH_READER_REPEAT`` times (default 1) and the highest peak is shown.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import print_table, verdict  # noqa: E402
from benchmarks.peers import PeerUnavailable, run_peer  # noqa: E402

ROWS = int(os.environ.get("LK_BENCH_READER_ROWS", "1000000"))
FLOAT_ROWS = int(os.environ.get("LK_BENCH_READER_FLOAT_ROWS", "5000000"))
REPEAT = int(os.environ.get("LK_BENCH_READER_REPEAT", "1"))
BUDGET = 2.5  # peak after imports / frame memory, for read_table and the whole check command

# Run in the child: report baseline RSS, peak RSS and the frame's memory as JSON.
CHILD = r"""
import json, sys
def rss_mb(field="VmRSS:"):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
kind, path = sys.argv[1], sys.argv[2]
import pandas as pd
import lifecycle_kit.tables, lifecycle_kit.cli, lifecycle_kit.quality  # imports count as baseline, not reading
base = rss_mb()
if kind == "pandas.read_csv":
    frame = pd.read_csv(path, **json.loads(sys.argv[3]))
elif kind == "read_table":
    frame = lifecycle_kit.tables.read_table(path).frame
else:
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):
        lifecycle_kit.cli.main(["check", path])
    frame = None  # not read again here: that read would be part of this process's peak
peak = rss_mb("VmHWM:")  # the high-water mark of this process (ru_maxrss would start at the parent's, forked)
print(json.dumps({"base": base, "peak": peak, "kit": lifecycle_kit.tables.__file__,
                  "frame": None if frame is None else frame.memory_usage(deep=True).sum() / 2**20}))
"""

# Run in a peer's environment: the same measures, the path on stdin.
PEER = r"""
import json, sys, time
def rss_mb(field="VmRSS:"):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
payload = json.loads(sys.stdin.read())
if payload["peer"] == "polars":
    import polars as pl
    base = rss_mb()
    start = time.perf_counter()
    frame = pl.read_csv(payload["path"], **payload["options"])
    rows = frame.height
else:
    import duckdb
    con = duckdb.connect()
    base = rss_mb()
    start = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?" + payload["options"] + ")", [payload["path"]])
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
seconds = time.perf_counter() - start
peak = rss_mb("VmHWM:")  # the high-water mark of this process (ru_maxrss would start at the parent's, forked)
print(json.dumps({"base": base, "peak": peak, "rows": rows, "seconds": seconds}))
"""


def _write_csv(path, rows, shape, *, excel_ru=False):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    block = 100_000
    options = dict(sep=";", decimal=",", encoding="cp1251", lineterminator="\r\n") if excel_ru else {}
    with open(path, "w", encoding=options.pop("encoding", "utf-8"), newline="") as handle:
        for start in range(0, rows, block):
            n = min(block, rows - start)
            if shape == "numeric":
                data = {f"x{i}": rng.normal(size=n) for i in range(15)}
            else:
                data = {f"x{i}": rng.normal(size=n).round(4) for i in range(8)}
                data["n0"] = rng.integers(0, 1000, n)
                data["n1"] = rng.integers(18, 90, n)
                for i in range(3):
                    data[f"c{i}"] = rng.choice(["alpha", "beta", "gamma", "delta", "epsilon"], n)
                # cp1251 holds no Ł or ü: the Russian copy has Russian and ASCII city names.
                cities = ["Москва", "Казань", "Nimes", "Tver"] if excel_ru else ["Zürich", "Łódź", "Москва", "Nîmes"]
                data["city"] = rng.choice(cities, n)
                data["code"] = pd.Series(rng.integers(0, 10**6, n)).map("A{:06d}".format)
            pd.DataFrame(data).to_csv(handle, index=False, header=start == 0, **options)


def _measure(kind, path, pandas_options=None):
    start = time.perf_counter()
    # cwd: the folder holding the kit measured (a checkout, or PYTHONPATH's first entry for an older copy).
    kit_root = os.environ.get("PYTHONPATH", str(ROOT)).split(os.pathsep)[0]
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(path), json.dumps(pandas_options or {})],
                         capture_output=True, text=True, cwd=kit_root, env={**os.environ, "PYTHONPATH": kit_root},
                         check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["seconds"] = time.perf_counter() - start
    return result


def _peer(name, path, excel_ru):
    if name == "polars":
        options = {"separator": ";", "decimal_comma": True, "encoding": "utf8-lossy"} if excel_ru else {}
    else:
        options = ", delim=';', decimal_separator=',', encoding='latin-1'" if excel_ru else ""
    try:
        return run_peer(name, PEER, {"peer": name, "path": str(path), "options": options})
    except PeerUnavailable as err:
        return {"unavailable": str(err)}


def _tables():
    # (label, shape, rows, written as Excel does in a Russian locale?)
    return [("mixed", "mixed", ROWS, False), ("mixed, Excel ru (;, decimal comma, cp1251)", "mixed", ROWS, True),
            ("numeric floats", "numeric", FLOAT_ROWS, False)]


def run():
    rows, kit = [], ROOT
    with tempfile.TemporaryDirectory() as folder:
        for label, shape, n, excel_ru in _tables():
            path = Path(folder) / f"{shape}{'_ru' if excel_ru else ''}.csv"
            _write_csv(path, n, shape, excel_ru=excel_ru)
            size = path.stat().st_size / 2**20
            # pandas is told what the kit detects (a floor that knows the options costs no detection).
            pandas_options = dict(sep=";", decimal=",", encoding="cp1251") if excel_ru else {}
            floor = frame_mb = None
            for kind in ("pandas.read_csv", "read_table", "lifecycle-kit check", "polars", "duckdb"):
                if kind in ("polars", "duckdb"):
                    r = _peer(kind, path, excel_ru)
                    if "unavailable" in r:
                        rows.append([label, f"{size:.0f}", kind, "-", "-", "-", "-", "-", "-", "-", r["unavailable"]])
                        continue
                    r["frame"] = frame_mb  # the same data: the kit's frame is the yardstick
                else:
                    # The run with the highest peak after imports (the machine may be shared; memory is what counts).
                    r = max((_measure(kind, path, pandas_options) for _ in range(REPEAT)),
                            key=lambda m: m["peak"] - m["base"])
                    r["frame"] = r["frame"] or frame_mb  # check: the frame read_table loaded
                    frame_mb = r["frame"]
                    kit = Path(r["kit"]).parent
                ratio = (r["peak"] - r["base"]) / r["frame"]
                if kind == "pandas.read_csv":
                    floor = r["peak"] - r["base"]
                budget = verdict(ratio, BUDGET) if kind in ("read_table", "lifecycle-kit check") else (
                    "floor" if kind == "pandas.read_csv" else "peer")
                rows.append([label, f"{size:.0f}", kind, f"{r['frame']:.0f}", f"{r['peak']:.0f}",
                             f"{r['peak'] - r['base']:.0f}", f"{ratio:.2f}", f"{r['peak'] / r['frame']:.2f}",
                             f"{(r['peak'] - r['base']) / floor:.2f}", f"{r['seconds']:.1f}", budget])
            path.unlink()
    print(f"\nkit measured: {kit}")
    print_table(f"Reading a CSV ({ROWS:,} x 15 mixed, {FLOAT_ROWS:,} x 15 floats): peak resident memory (MB) against "
                "the frame the kit loads",
                ["table", "file MB", "reader", "frame MB", "peak MB", "peak after imports",
                 "x frame (after imports)", "x frame (whole process)", "x floor", "s", f"budget {BUDGET}x"], rows)


if __name__ == "__main__":
    run()
