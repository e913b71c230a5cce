"""Reading a user's CSV: CPU time and peak memory of `read_table` and `lifecycle-kit check` against pandas, Polars, DuckDB.

Each reader runs in a fresh process; its CPU time (user + system, every
thread, imports left out) and its peak resident memory (``VmHWM``) are
measured, the memory compared with the frame the kit loads from the same file
(``memory_usage(deep=True)``). "After imports" subtracts what the process held
before reading (Python, the library, the kit). ``pandas.read_csv`` alone is the
memory floor, measured in the same run; "x floor" is a reader's peak after
imports over the floor's. The CPU yardstick is ``pandas.read_csv`` followed by
``describe()`` (a first look at a table, which is what `check` is), timed in the
same process as the bare read. The kit reads with pyarrow's CSV reader where it
is installed (the ``parquet`` extra) and with pandas otherwise
(``LIFECYCLE_KIT_CSV_PARSER=pandas``): both are measured, and must read the
same frame (tests/test_reader_pyarrow.py). Polars (``read_csv`` and
``describe()``) and DuckDB (``CREATE TABLE AS SELECT * FROM read_csv``) read the
same file in throw-away environments (benchmarks/peers.py, outside the checkout); a
peer that cannot be installed is reported, not fatal. Every reader runs
``LK_BENCH_READER_REPEAT`` times (default 3), the readers interleaved (one run
of each, then the next round), peers warmed by one unmeasured run; the table
shows the median CPU time with its range and the highest peak.

Budgets: peak memory after imports at most 2 times the frame for `read_table` and
the whole `lifecycle-kit check` (issue 27; 2.5 before), and `check`'s CPU time at
most 1.0 times pandas' ``read_csv`` + ``describe`` and 2.5 times Polars' on the
float table (the "CPU" verdicts; `check` there includes every quality measure).

Tables: a text-heavy one of ``LK_BENCH_READER_ROWS`` rows (default 1,000,000;
about 100 MB of CSV), the same table as Excel writes it in a Russian locale
(``;``, decimal commas, cp1251: the reading options are detected, issue 24),
and ``LK_BENCH_READER_FLOAT_ROWS`` rows of 15 floats (default 5,000,000 written
with ``LK_BENCH_READER_FLOAT_DIGITS`` significant digits, default 17: full
precision, about 1.4 GB of CSV and a 570 MB frame; 8 digits make the 850 MB file
of issue 27).
"""

import json
import os
import statistics
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
FLOAT_DIGITS = int(os.environ.get("LK_BENCH_READER_FLOAT_DIGITS", "17"))
REPEAT = int(os.environ.get("LK_BENCH_READER_REPEAT", "3"))
BUDGET = 2.0  # peak after imports / frame memory, for read_table and the whole check command
CPU_BUDGET = 1.0  # check's CPU time / pandas read_csv + describe, on the float table
POLARS_BUDGET = 2.5  # check's CPU time / Polars read_csv + describe, on the float table
PARSER = "LIFECYCLE_KIT_CSV_PARSER"
# (reader shown, what the child runs, parser): the kit's readers once per parser.
KIT_READERS = [("read_table (pyarrow)", "read_table", "auto"), ("read_table (pandas)", "read_table", "pandas"),
               ("lifecycle-kit check (pyarrow)", "check", "auto"), ("lifecycle-kit check (pandas)", "check", "pandas")]

# Run in the child: report baseline RSS, peak RSS, CPU time and the frame's memory as JSON (pandas.read_csv: also
# after describe(), the CPU yardstick).
CHILD = r"""
import json, resource, sys
def rss_mb(field="VmRSS:"):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
kind, path = sys.argv[1], sys.argv[2]
import pandas as pd
import lifecycle_kit.tables, lifecycle_kit.cli, lifecycle_kit.quality  # imports count as baseline, not reading
import lifecycle_kit._arrow_csv
if lifecycle_kit._arrow_csv.unavailable() is None:
    import pyarrow.csv, pyarrow.compute  # imported by the reader: baseline too
base, start = rss_mb(), cpu()
out = {}
if kind == "pandas.read_csv":
    frame = pd.read_csv(path, **json.loads(sys.argv[3]))
    out["read_cpu"], out["read_peak"] = cpu() - start, rss_mb("VmHWM:")
    frame.describe()
elif kind == "read_table":
    table = lifecycle_kit.tables.read_table(path)
    frame, out["parser"] = table.frame, table.parser
else:
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):
        lifecycle_kit.cli.main(["check", path])
    frame = None  # not read again here: that read would be part of this process's peak
out.update(cpu=cpu() - start, base=base, kit=lifecycle_kit.tables.__file__,
           peak=rss_mb("VmHWM:"),  # the high-water mark of this process (ru_maxrss would start at the parent's, forked)
           frame=None if frame is None else frame.memory_usage(deep=True).sum() / 2**20)
print(json.dumps(out))
"""

# Run in a peer's environment: the same measures, the path on stdin (Polars: also after describe()).
PEER = r"""
import json, resource, sys, time
def rss_mb(field="VmRSS:"):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
payload = json.loads(sys.stdin.read())
out = {}
if payload["peer"] == "polars":
    import polars as pl
    base, start, begun = rss_mb(), cpu(), time.perf_counter()
    frame = pl.read_csv(payload["path"], **payload["options"])
    rows = frame.height
    out["read_cpu"], out["read_peak"] = cpu() - start, rss_mb("VmHWM:")
    frame.describe()
else:
    import duckdb
    con = duckdb.connect()
    base, start, begun = rss_mb(), cpu(), time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?" + payload["options"] + ")", [payload["path"]])
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
out.update(base=base, peak=rss_mb("VmHWM:"), rows=rows, cpu=cpu() - start, seconds=time.perf_counter() - begun)
print(json.dumps(out))
"""


def _write_csv(path, rows, shape, *, excel_ru=False):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    block = 100_000
    options = dict(sep=";", decimal=",", encoding="cp1251", lineterminator="\r\n") if excel_ru else {}
    if shape == "numeric" and FLOAT_DIGITS < 17:
        options["float_format"] = f"%.{FLOAT_DIGITS}g"
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


def _measure(kind, path, pandas_options=None, parser="auto"):
    start = time.perf_counter()
    # cwd: the folder holding the kit measured (a checkout, or PYTHONPATH's first entry for an older copy).
    kit_root = os.environ.get("PYTHONPATH", str(ROOT)).split(os.pathsep)[0]
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(path), json.dumps(pandas_options or {})],
                         capture_output=True, text=True, cwd=kit_root,
                         env={**os.environ, "PYTHONPATH": kit_root, PARSER: parser}, check=True)
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
    digits = "full precision" if FLOAT_DIGITS >= 17 else f"{FLOAT_DIGITS} digits"
    return [("mixed", "mixed", ROWS, False), ("mixed, Excel ru (;, decimal comma, cp1251)", "mixed", ROWS, True),
            (f"numeric floats ({digits})", "numeric", FLOAT_ROWS, False)]


def _runs(path, excel_ru):
    """{reader: [run, ...]}: every reader REPEAT times, interleaved; a peer warmed by one run first."""
    # pandas is told what the kit detects (a floor that knows the options costs no detection).
    pandas_options = dict(sep=";", decimal=",", encoding="cp1251") if excel_ru else {}
    runs = {}
    unavailable = {}
    for peer in ("polars", "duckdb"):
        warm = _peer(peer, path, excel_ru)  # installs the peer, fills the page cache; not counted
        if "unavailable" in warm:
            unavailable[peer] = warm["unavailable"]
    for _ in range(REPEAT):
        run = _measure("pandas.read_csv", path, pandas_options)
        runs.setdefault("pandas.read_csv", []).append({**run, "cpu": run["read_cpu"], "peak": run["read_peak"]})
        runs.setdefault("pandas.read_csv + describe", []).append(run)
        for label, kind, parser in KIT_READERS:
            runs.setdefault(label, []).append(_measure(kind, path, parser=parser))
        for peer in ("polars", "duckdb"):
            if peer in unavailable:
                continue
            run = _peer(peer, path, excel_ru)
            if "unavailable" in run:
                unavailable[peer] = run["unavailable"]
            elif peer == "polars":
                runs.setdefault("polars read_csv", []).append({**run, "cpu": run["read_cpu"], "peak": run["read_peak"]})
                runs.setdefault("polars read_csv + describe", []).append(run)
            else:
                runs.setdefault("duckdb", []).append(run)
    return runs, unavailable


def _cpu(runs):
    cpus = [r["cpu"] for r in runs]
    return statistics.median(cpus), min(cpus), max(cpus)


def run():
    rows, kit, summary = [], ROOT, []
    with tempfile.TemporaryDirectory() as folder:
        for label, shape, n, excel_ru in _tables():
            path = Path(folder) / f"{shape}{'_ru' if excel_ru else ''}.csv"
            _write_csv(path, n, shape, excel_ru=excel_ru)
            size = path.stat().st_size / 2**20
            runs, unavailable = _runs(path, excel_ru)
            frame_mb = runs["read_table (pandas)"][0]["frame"]  # the kit's frame is the yardstick for every reader
            floor = max(r["peak"] - r["base"] for r in runs["pandas.read_csv"])
            yardstick = _cpu(runs["pandas.read_csv + describe"])[0]
            polars = _cpu(runs["polars read_csv + describe"])[0] if "polars read_csv + describe" in runs else None
            kit = Path(runs["read_table (pandas)"][0]["kit"]).parent
            parsers = {r.get("parser") for r in runs["read_table (pyarrow)"]}
            for reader, measured in runs.items():
                peak = max(measured, key=lambda m: m["peak"] - m["base"])  # memory is what counts: the highest
                after = peak["peak"] - peak["base"]
                cpu, low, high = _cpu(measured)
                ratio = after / frame_mb
                budget = verdict(ratio, BUDGET) if reader.startswith(("read_table", "lifecycle-kit")) else (
                    "floor" if reader == "pandas.read_csv" else "yardstick" if reader.endswith("+ describe") else "peer")
                rows.append([label, f"{size:.0f}", reader, f"{frame_mb:.0f}", f"{peak['peak']:.0f}", f"{after:.0f}",
                             f"{ratio:.2f}", f"{after / floor:.2f}", f"{cpu:.2f} ({low:.2f}-{high:.2f})",
                             f"{cpu / yardstick:.2f}", f"{cpu / polars:.2f}" if polars else "-",
                             f"{statistics.median(r['seconds'] for r in measured):.1f}", budget])
                if reader.startswith("lifecycle-kit check") and shape == "numeric":
                    summary.append(f"{label}, {reader}: CPU {cpu / yardstick:.2f}x pandas read_csv + describe "
                                   f"({verdict(cpu / yardstick, CPU_BUDGET)} {CPU_BUDGET}x)"
                                   + (f", {cpu / polars:.2f}x Polars read_csv + describe "
                                      f"({verdict(cpu / polars, POLARS_BUDGET)} {POLARS_BUDGET}x)" if polars else ""))
            for peer, why in unavailable.items():
                rows.append([label, f"{size:.0f}", peer, "-", "-", "-", "-", "-", "-", "-", "-", "-", why])
            if parsers != {"pyarrow"}:
                summary.append(f"{label}: read_table without LIFECYCLE_KIT_CSV_PARSER=pandas read with {parsers}")
            path.unlink()
    print(f"\nkit measured: {kit}")
    print_table(f"Reading a CSV ({ROWS:,} x 15 mixed, {FLOAT_ROWS:,} x 15 floats): CPU time (s, median of {REPEAT} "
                "interleaved runs, range) and peak resident memory (MB, highest run) against the frame the kit loads",
                ["table", "file MB", "reader", "frame MB", "peak MB", "peak after imports", "x frame (after imports)",
                 "x floor", "CPU s", "x pandas read+describe CPU", "x Polars read+describe CPU", "wall s",
                 f"budget {BUDGET}x"], rows)
    for line in summary:
        print(line)


if __name__ == "__main__":
    run()
