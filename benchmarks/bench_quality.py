"""assess() against the pandas floor on UCI Adult and 1,000,000 x 15 rows; at 50,000 columns `lifecycle-kit check`
(with and without --spec), infer_spec, spec validation and assess with a spec / a reference; and assess side by side with ydata-profiling (minimal mode).

The floor is one pandas pass over the same frame (``isna().sum()``, ``nunique()``, ``describe()``), timed in the
same run, in turns with the kit; ydata-profiling runs warm in its own environment, in turns with the kit
(benchmarks.common, benchmarks.peers). The machine may be shared: CPU seconds are printed beside wall seconds, and
ratios are the median (IQR) of the per-round ratios.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import interleaved, median, print_table, ratio, spread, verdict  # noqa: E402
from benchmarks.data import synthetic_table  # noqa: E402
from benchmarks.peers import Peer, PeerUnavailable, versions  # noqa: E402

ADULT_BUDGET_S = 1.0
MILLION_BUDGET_S = 10.0
FLOOR_RATIO_BUDGET = 2.0       # assess at most 2x the single pandas pass at 1,000,000 rows (issue 16)
WIDE_COLUMNS, WIDE_ROWS = 50_000, 5
WIDE_BUDGET_S = 30.0           # each of check, check --spec, infer_spec, validate, assess(spec / reference)
                               # on 50,000 columns x 5 rows (issue 16)

# ydata-profiling's side: the CSV loaded once (setup), then one minimal profile per timed call (work).
YDATA_SETUP = r'''
import pandas as pd
from ydata_profiling import ProfileReport
frame = pd.read_csv(payload["path"], keep_default_na=False, na_values=[""])
'''
YDATA_WORK = r'''
description = ProfileReport(frame, minimal=True, progress_bar=False).get_description()
result = sorted({f"{a.alert_type.name}:{a.column_name}" for a in description.alerts})
'''


def _both_times(fn, repeat):
    """Median wall and CPU seconds of ``fn`` over ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _floor(frame):
    frame.isna().sum()
    frame.nunique()
    frame.describe()


def wide_table(columns=WIDE_COLUMNS, rows=WIDE_ROWS, *, seed=0):
    """Seeded wide table: numbers, small integers, text with '?' and blanks, numbers-as-text with a stray word."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    data = {}
    for i in range(columns):
        kind = i % 4
        if kind == 0:
            data[f"x{i}"] = rng.normal(size=rows).round(3)
        elif kind == 1:
            data[f"x{i}"] = rng.integers(0, 9, rows)
        elif kind == 2:
            data[f"x{i}"] = rng.choice(["a", "b", "?", ""], rows)
        else:
            data[f"x{i}"] = rng.choice(["1.5", "2", "x"], rows)
    return pd.DataFrame(data)


def run_floor(repeat=5):
    """assess / floor at Adult and 1,000,000 x 15, wall and CPU, in turns."""
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality import assess

    adult = load("adult")
    rows = []
    for label, frame, target, rounds in (("UCI Adult (48,842 x 15)", adult.frame.assign(income=adult.target),
                                          "income", repeat),
                                         ("1,000,000 x 15 synthetic", synthetic_table(), "label", max(3, repeat // 2))):
        t = interleaved({"floor": lambda: _floor(frame), "assess": lambda: assess(frame, target=target)},
                        repeat=rounds, warmup=1)
        floor, kit = t["floor"], t["assess"]
        budget = MILLION_BUDGET_S if frame.shape[0] >= 1_000_000 else ADULT_BUDGET_S
        rows.append([label, f"{spread(floor.cpu)} / {spread(floor.wall)}", f"{spread(kit.cpu)} / {spread(kit.wall)}",
                     ratio(kit.cpu, floor.cpu), ratio(kit.wall, floor.wall),
                     verdict(median([k / f for k, f in zip(kit.cpu, floor.cpu)]), FLOOR_RATIO_BUDGET)
                     if frame.shape[0] >= 1_000_000 else "-",
                     f"{budget:g}: {verdict(median(kit.cpu), budget)}"])
    print_table("assess against one pandas pass (isna().sum(), nunique(), describe()); seconds CPU / wall, in turns, "
                "median (IQR)", ["data", "floor", "assess", "ratio (CPU)", "ratio (wall)",
                                 f"<= {FLOOR_RATIO_BUDGET:g}x", "budget s (CPU)"], rows)


def _check_in_child(*args):
    """`lifecycle-kit check ARGS` in a child process: (exit code, CPU seconds, wall seconds, stderr)."""
    import resource
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "lifecycle_kit.cli", "check", *map(str, args)], capture_output=True,
                          text=True, timeout=600)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc.returncode, cpu, wall, proc.stderr.strip()[-200:]


def run_wide():
    """50,000 columns x 5 rows: `lifecycle-kit check` (with and without a spec) in a child process, imports and
    reading included; infer_spec, spec validation and assess with a spec / a reference in this process, each
    against the 30 s budget and, as a ratio, against one pandas pass over the same frame."""
    from lifecycle_kit.quality import assess, infer_spec
    from lifecycle_kit.tables import read_table

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path, spec_path = Path(tmp) / "wide.csv", Path(tmp) / "wide.spec.json"
        wide_table().to_csv(path, index=False)
        frame = read_table(path).frame            # as the CLI reads it, so the spec fits the file
        reference = wide_table(seed=1)
        infer_spec(frame).save(spec_path)
        floor_wall, floor_cpu = _both_times(lambda: _floor(frame), 1)
        for label, args in (("check FILE", (path,)), ("check FILE --spec SPEC", (path, "--spec", spec_path))):
            code, cpu, wall, stderr = _check_in_child(*args)
            failed = "" if code in (0, 1) else f" (exit {code}: {stderr})"
            rows.append([f"lifecycle-kit {label} (child process)", f"{cpu:.1f}", f"{wall:.1f}", f"{cpu / floor_cpu:.1f}x",
                         f"{WIDE_BUDGET_S:.0f}", verdict(cpu, WIDE_BUDGET_S) + failed])
        spec = infer_spec(frame)
        for label, fn in (("infer_spec", lambda: infer_spec(frame)),
                          ("DataSpec.validate", lambda: spec.validate(frame)),
                          ("assess(spec=...)", lambda: assess(frame, spec=spec)),
                          ("assess(reference=...)", lambda: assess(frame, reference=reference))):
            wall, cpu = _both_times(fn, 1)
            rows.append([label, f"{cpu:.1f}", f"{wall:.1f}", f"{cpu / floor_cpu:.1f}x", f"{WIDE_BUDGET_S:.0f}",
                         verdict(cpu, WIDE_BUDGET_S)])
    print_table(f"{WIDE_COLUMNS:,} columns x {WIDE_ROWS} rows (seconds; floor: isna().sum(), nunique(), describe() "
                f"over the same frame = {floor_cpu:.1f} s CPU / {floor_wall:.1f} s wall)",
                ["what", "CPU", "wall", "x floor (CPU)", "budget", "verdict"], rows)


def _kit_findings(report):
    found = [f"{r.measure_id} {r.measure}" for r in report.failed]
    disguised = report.missing[report.missing["disguised"] > 0]
    found += [f"disguised missing '{t}' in {c}" for c, t in zip(disguised["column"], disguised["tokens"])]
    return found


def run():
    run_floor()
    run_wide()
    run_peers()


def run_peers(repeat=3):
    """assess against ydata-profiling's minimal profile: both warm, in turns, on the same CSV's values."""
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality import assess

    adult = load("adult")
    rows, findings = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for label, data, target in (("UCI Adult (48,842 x 15)", adult.frame.assign(income=adult.target), "income"),
                                    ("1,000,000 x 15 synthetic", synthetic_table(), "label")):
            # CSV: the peer's older pandas cannot read pandas 3's pickles; both sides read the same file.
            path = str(Path(tmp) / "data.csv")
            data.to_csv(path, index=False)
            frame = pd_read(path)
            try:
                with Peer("ydata-profiling", YDATA_SETUP, YDATA_WORK, {"path": path}) as peer:
                    t = interleaved({"kit": lambda: assess(frame, target=target), "ydata": peer},
                                    repeat=repeat, warmup=1)
            except PeerUnavailable as err:
                rows.append([label, "-", f"unavailable: {err}", "-", "-"])
                continue
            kit, ydata = t["kit"], t["ydata"]
            if not ydata.cpu:
                rows.append([label, spread(kit.cpu), f"failed: {ydata.result}", "-", "-"])
                continue
            rows.append([label, spread(kit.cpu), spread(ydata.cpu), ratio(ydata.cpu, kit.cpu),
                         ratio(ydata.wall, kit.wall)])
            if label.startswith("UCI Adult"):
                findings.append(("lifecycle-kit assess", _kit_findings(kit.result)))
                findings.append(("ydata-profiling minimal", ydata.result))
    try:
        version = versions("ydata-profiling").get("ydata-profiling", "?")
    except PeerUnavailable:
        version = "unavailable"
    print_table(f"Side by side: lifecycle-kit assess vs ydata-profiling {version} ProfileReport(minimal=True), both "
                f"warm, in turns (CPU seconds, median (IQR); imports and reading the CSV not counted)",
                ["data", "kit CPU s", "ydata-profiling CPU s", "ydata / kit (CPU)", "ydata / kit (wall)"], rows)
    for who, items in findings:
        print(f"\nProblems found on UCI Adult by {who} ({len(items)}):")
        for item in items:
            print(f"  - {item}")


def pd_read(path):
    """The CSV as the kit's own reader gives it (what `lifecycle-kit check` would assess)."""
    from lifecycle_kit.tables import read_table

    return read_table(path).frame


if __name__ == "__main__":
    run()
