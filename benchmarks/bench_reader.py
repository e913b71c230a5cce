"""Peak memory of reading a user's CSV: `read_table` and `lifecycle-kit check` against `pandas.read_csv` alone.

Each reader runs in a fresh process; its peak resident memory (``ru_maxrss``)
is compared with the memory of the frame it loads (``memory_usage(deep=True)``).
"After imports" subtracts what the process held before reading (Python,
pandas, the kit). ``pandas.read_csv`` alone is the floor, measured in the same
run; "x floor" is a reader's peak after imports over the floor's. The budget
(2.5 times the frame, after imports) applies to `read_table` and to the whole
`lifecycle-kit check` command. Rows: ``LK_BENCH_READER_ROWS`` (default
1,000,000) x 15 columns, about 100 MB (mixed) and 280 MB (numeric) of CSV;
each reader runs ``LK_BENCH_READER_REPEAT`` times (default 1) and the highest
peak is shown.
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

ROWS = int(os.environ.get("LK_BENCH_READER_ROWS", "1000000"))
REPEAT = int(os.environ.get("LK_BENCH_READER_REPEAT", "1"))
BUDGET = 2.5  # peak after imports / frame memory, for read_table and the whole check command

# Run in the child: report baseline RSS, peak RSS and the frame's memory as JSON.
CHILD = r"""
import json, resource, sys
def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
kind, path = sys.argv[1], sys.argv[2]
import pandas as pd
import lifecycle_kit.tables, lifecycle_kit.cli, lifecycle_kit.quality  # imports count as baseline, not reading
base = rss_mb()
if kind == "pandas.read_csv":
    frame = pd.read_csv(path)
elif kind == "read_table":
    frame = lifecycle_kit.tables.read_table(path).frame
else:
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):
        lifecycle_kit.cli.main(["check", path])
    frame = None  # not read again here: that read would be part of this process's peak
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"base": base, "peak": peak, "kit": lifecycle_kit.tables.__file__,
                  "frame": None if frame is None else frame.memory_usage(deep=True).sum() / 2**20}))
"""


def _write_csv(path, rows, shape):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    block = 100_000
    with open(path, "w", encoding="utf-8") as handle:
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
                data["city"] = rng.choice(["Zürich", "Łódź", "Москва", "Nîmes"], n)
                data["code"] = pd.Series(rng.integers(0, 10**6, n)).map("A{:06d}".format)
            pd.DataFrame(data).to_csv(handle, index=False, header=start == 0)


def _measure(kind, path):
    start = time.perf_counter()
    # cwd: the folder holding the kit measured (a checkout, or PYTHONPATH's first entry for an older copy).
    kit_root = os.environ.get("PYTHONPATH", str(ROOT)).split(os.pathsep)[0]
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(path)], capture_output=True, text=True,
                         cwd=kit_root, env={**os.environ, "PYTHONPATH": kit_root}, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["seconds"] = time.perf_counter() - start
    return result


def run():
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for shape in ("mixed", "numeric"):
            path = Path(folder) / f"{shape}.csv"
            _write_csv(path, ROWS, shape)
            size = path.stat().st_size / 2**20
            for kind in ("pandas.read_csv", "read_table", "lifecycle-kit check"):
                # The run with the highest peak after imports (the machine may be shared; memory is what counts).
                r = max((_measure(kind, path) for _ in range(REPEAT)), key=lambda m: m["peak"] - m["base"])
                r["frame"] = r["frame"] or frame_mb  # check: the frame read_table loaded
                frame_mb = r["frame"]
                ratio = (r["peak"] - r["base"]) / r["frame"]
                if kind == "pandas.read_csv":
                    floor = r["peak"] - r["base"]
                rows.append([shape, f"{size:.0f}", kind, f"{r['frame']:.0f}", f"{r['peak']:.0f}",
                             f"{r['peak'] - r['base']:.0f}", f"{ratio:.2f}", f"{r['peak'] / r['frame']:.2f}",
                             f"{(r['peak'] - r['base']) / floor:.2f}", f"{r['seconds']:.1f}",
                             "floor" if kind == "pandas.read_csv" else verdict(ratio, BUDGET)])
            path.unlink()
    print(f"\nkit measured: {Path(r['kit']).parent}")
    print_table(f"Reading a {ROWS:,} x 15 CSV: peak resident memory (MB) against the loaded frame's",
                ["table", "file MB", "reader", "frame MB", "peak MB", "peak after imports",
                 "x frame (after imports)", "x frame (whole process)", "x floor", "s", f"budget {BUDGET}x"], rows)


if __name__ == "__main__":
    run()
