"""assess() on UCI Adult and on 1,000,000 x 15 rows, and side by side with ydata-profiling (minimal mode)."""

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


def _kit_findings(report):
    found = [f"{r.measure_id} {r.measure}" for r in report.failed]
    disguised = report.missing[report.missing["disguised"] > 0]
    found += [f"disguised missing '{t}' in {c}" for c, t in zip(disguised["column"], disguised["tokens"])]
    return found


def run():
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
