"""assess() against the pandas floor on UCI Adult and 1,000,000 x 15 rows; at 50,000 columns `lifecycle-kit check`
(with and without --spec), infer_spec, spec validation and assess with a spec / a reference; and assess side by side with ydata-profiling (minimal mode).

The floor is one pandas pass over the same frame (``isna().sum()``, ``nunique()``, ``describe()``), timed in the
same run; the machine may be shared, so CPU time (``time.process_time``) is printed next to wall time.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import print_table, verdict  # noqa: E402
from benchmarks.data import synthetic_table  # noqa: E402
from benchmarks.peers import PeerUnavailable, run_peer  # noqa: E402

ADULT_BUDGET_S = 1.0
MILLION_BUDGET_S = 10.0
FLOOR_RATIO_BUDGET = 2.0       # assess at most 2x the single pandas pass at 1,000,000 rows (issue 16)
WIDE_COLUMNS, WIDE_ROWS = 50_000, 5
WIDE_BUDGET_S = 30.0           # each of check, check --spec, infer_spec, validate, assess(spec / reference)
                               # on 50,000 columns x 5 rows (issue 16)

YDATA_SCRIPT = r'''
import json, sys, time, warnings
warnings.filterwarnings("ignore")
payload = json.loads(sys.stdin.read())
start = time.perf_counter()
import pandas as pd
from ydata_profiling import ProfileReport
imported = time.perf_counter()
frame = pd.read_csv(payload["path"], keep_default_na=False, na_values=[""])
loaded = time.perf_counter()
report = ProfileReport(frame, minimal=True, progress_bar=False)
description = report.get_description()
done = time.perf_counter()
alerts = sorted({f"{a.alert_type.name}:{a.column_name}" for a in description.alerts})
print(json.dumps({"import_s": imported - start, "profile_s": done - loaded, "alerts": alerts}))
'''


def _time(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


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


def run_floor():
    """assess / floor at Adult and 1,000,000 x 15, wall and CPU, measured in one run."""
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality import assess

    adult = load("adult")
    rows = []
    for label, frame, target, repeat in (("UCI Adult (48,842 x 15)", adult.frame.assign(income=adult.target), "income", 5),
                                         ("1,000,000 x 15 synthetic", synthetic_table(), "label", 3)):
        floor_wall, floor_cpu = _both_times(lambda: _floor(frame), repeat)
        kit_wall, kit_cpu = _both_times(lambda: assess(frame, target=target), repeat)
        ratio = kit_cpu / floor_cpu
        rows.append([label, f"{floor_cpu:.2f} / {floor_wall:.2f}", f"{kit_cpu:.2f} / {kit_wall:.2f}",
                     f"{ratio:.2f}x", f"{kit_wall / floor_wall:.2f}x",
                     verdict(ratio, FLOOR_RATIO_BUDGET) if frame.shape[0] >= 1_000_000 else "-"])
    print_table("assess against one pandas pass (isna().sum(), nunique(), describe()); seconds CPU / wall, median",
                ["data", "floor", "assess", "ratio (CPU)", "ratio (wall)", f"<= {FLOOR_RATIO_BUDGET:g}x"], rows)


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


def run_peers():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.quality import assess, infer_spec

    adult = load("adult")
    frame = adult.frame.assign(income=adult.target)
    big = synthetic_table()
    rows = []
    t_adult, report_adult = _time(lambda: assess(frame, target="income"), 5)
    rows.append(["assess, UCI Adult (48,842 x 15)", f"{t_adult:.2f}", f"{ADULT_BUDGET_S:.0f}", verdict(t_adult, ADULT_BUDGET_S)])
    t_spec, spec = _time(lambda: infer_spec(adult.frame), 3)
    t_val, _ = _time(lambda: spec.validate(adult.frame), 3)
    rows.append(["infer_spec + validate, UCI Adult", f"{t_spec + t_val:.2f}", "-", "-"])
    t_big, report_big = _time(lambda: assess(big, target="label"), 3)
    rows.append(["assess, 1,000,000 x 15 synthetic", f"{t_big:.2f}", f"{MILLION_BUDGET_S:.0f}", verdict(t_big, MILLION_BUDGET_S)])
    print_table("Quality assessment time (median seconds)", ["what", "seconds", "budget", "verdict"], rows)

    import subprocess

    code = "import time; t = time.perf_counter(); import lifecycle_kit.quality, pandas; print(time.perf_counter() - t)"
    kit_import = float(subprocess.check_output([sys.executable, "-c", code], text=True))
    rows, findings = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for label, data, kit_time, report in (("UCI Adult", frame, t_adult, report_adult),
                                              ("1,000,000 x 15", big, t_big, report_big)):
            # CSV: the peer's older pandas cannot read pandas 3's pickles; both sides see the same values.
            path = str(Path(tmp) / "data.csv")
            data.to_csv(path, index=False)
            try:
                peer = run_peer("ydata-profiling", YDATA_SCRIPT, {"path": path})
            except PeerUnavailable as err:
                rows.append([label, f"{kit_time:.2f}", f"unavailable: {err}", "-", "-"])
                continue
            peer_total = peer["import_s"] + peer["profile_s"]
            rows.append([label, f"{kit_time:.2f} (+{kit_import:.1f} import)",
                         f"{peer['profile_s']:.2f} (+{peer['import_s']:.1f} import)",
                         f"{peer['profile_s'] / kit_time:.2f}x", f"{peer_total / (kit_time + kit_import):.1f}x"])
            if label == "UCI Adult":
                findings.append(("lifecycle-kit assess", _kit_findings(report)))
                findings.append(("ydata-profiling minimal", peer["alerts"]))
    print_table("Side by side: lifecycle-kit assess vs ydata-profiling ProfileReport(minimal=True) (seconds)",
                ["data", "kit", "ydata-profiling", "peer/kit (work only)", "peer/kit (with imports)"], rows)
    for who, items in findings:
        print(f"\nProblems found on UCI Adult by {who} ({len(items)}):")
        for item in items:
            print(f"  - {item}")


if __name__ == "__main__":
    run()
