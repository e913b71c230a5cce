"""compare() on UCI Adult and on 1,000,000 x 15 against the budgets, against a bare scipy loop running the same
tests (the floor: DESIGN.md's budget is 1.5 times it), and side by side with Evidently."""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import print_table, verdict  # noqa: E402
from benchmarks.data import shifted, synthetic_table  # noqa: E402
from benchmarks.peers import PeerUnavailable, run_peer  # noqa: E402

ADULT_BUDGET_S = 1.0
MILLION_BUDGET_S = 10.0

EVIDENTLY_SCRIPT = r'''
import json, sys, time, warnings
warnings.filterwarnings("ignore")
payload = json.loads(sys.stdin.read())
start = time.perf_counter()
import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset
imported = time.perf_counter()
ref = pd.read_csv(payload["reference"], keep_default_na=False, na_values=[""])
cur = pd.read_csv(payload["current"], keep_default_na=False, na_values=[""])
loaded = time.perf_counter()
snapshot = Report([DataDriftPreset()]).run(reference_data=ref, current_data=cur)
done = time.perf_counter()
drifted, tests = [], {}
for metric in snapshot.dict()["metrics"]:
    name = metric.get("metric_name", "") or ""
    config = metric.get("config", {}) or {}
    column = config.get("column")
    value = metric.get("value")
    if column and "ValueDrift" in name and isinstance(value, (int, float)):
        method = config.get("method") or ""
        threshold = config.get("threshold")
        tests[column] = [method, value, threshold]
        p_value_test = "p_value" in method.lower() or "test" in method.lower()
        is_drift = (value < threshold) if p_value_test else (value >= threshold)
        if is_drift:
            drifted.append(column)
print(json.dumps({"import_s": imported - start, "run_s": done - loaded, "drifted": sorted(drifted), "tests": tests}))
'''


def _time(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _pairs():
    from lifecycle_kit.datasets import load

    adult = load("adult")
    frame = adult.frame.assign(income=adult.target)
    train = frame[adult.meta["source_file"] == "adult.data"]
    test = frame[adult.meta["source_file"] == "adult.test"]
    drifted_test = shifted(test.reset_index(drop=True), ["age", "hours_per_week"], shift=0.5, seed=1)
    big = synthetic_table()
    big_current = shifted(big, ["num_0", "num_3"], shift=0.3, seed=1)
    return [("UCI Adult train vs test", train, test),
            ("UCI Adult train vs test, age and hours shifted 0.5 sd", train, drifted_test),
            ("1,000,000 x 15, num_0 and num_3 shifted 0.3 sd", big, big_current)]


def scipy_loop(reference, current):
    """The floor of `compare`: one bare scipy test per column, the ones compare's "auto" picks (KS for numbers, a
    chi-squared test of the category counts otherwise); {column: p-value}."""
    import pandas as pd
    from scipy import stats

    p_values = {}
    for column in reference.columns:
        ref, cur = reference[column].dropna(), current[column].dropna()
        if pd.api.types.is_numeric_dtype(ref.dtype) and ref.nunique() > 20:
            p_values[column] = stats.ks_2samp(ref.to_numpy(), cur.to_numpy()).pvalue
        else:
            counts = pd.concat([ref.value_counts(), cur.value_counts()], axis=1).fillna(0).to_numpy()
            p_values[column] = stats.chi2_contingency(counts[counts.sum(axis=1) > 0])[1]
    return p_values


def run_floor(results):
    """compare against the bare scipy loop on the same pair, and whether they call the same columns drifted."""
    rows = []
    for label, ref, cur, seconds, report in results:
        floor, p_values = _time(lambda: scipy_loop(ref, cur), 3)
        floor_drifted = sorted(c for c, p in p_values.items() if p < 0.05)
        same = floor_drifted == sorted(report.drifted_columns)
        rows.append([label, f"{seconds:.2f}", f"{floor:.2f}", f"{seconds / floor:.2f}x", "yes" if same else
                     f"no (scipy: {', '.join(floor_drifted) or '-'})"])
    print_table("compare against a bare scipy loop (KS / chi-squared per column, the same tests; median seconds of 3)",
                ["pair", "compare", "scipy loop", "compare / loop", "same drifted columns"], rows)


def run():
    from lifecycle_kit.drift import compare

    pairs = _pairs()
    rows, results = [], []
    for label, ref, cur in pairs:
        seconds, report = _time(lambda: compare(ref, cur), 3)
        budget = MILLION_BUDGET_S if len(ref) > 100_000 else ADULT_BUDGET_S
        rows.append([label, f"{len(ref):,} / {len(cur):,}", f"{seconds:.2f}", f"{budget:.0f}", verdict(seconds, budget)])
        results.append((label, ref, cur, seconds, report))
    print_table("Drift comparison time (median seconds of 3)", ["pair", "rows", "seconds", "budget", "verdict"], rows)
    run_floor(results)

    code = "import time; t = time.perf_counter(); import lifecycle_kit.drift, pandas, scipy.stats; print(time.perf_counter() - t)"
    kit_import = float(subprocess.check_output([sys.executable, "-c", code], text=True))
    rows, detail = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for label, ref, cur, seconds, report in results:
            ref_path, cur_path = Path(tmp) / "ref.csv", Path(tmp) / "cur.csv"
            ref.to_csv(ref_path, index=False)
            cur.to_csv(cur_path, index=False)
            try:
                peer = run_peer("evidently", EVIDENTLY_SCRIPT, {"reference": str(ref_path), "current": str(cur_path)})
            except PeerUnavailable as err:
                rows.append([label, f"{seconds:.2f}", f"unavailable: {err}", "-", "-", "-"])
                continue
            kit_drifted = sorted(report.drifted_columns)
            same = kit_drifted == peer["drifted"]
            rows.append([label, f"{seconds:.2f} (+{kit_import:.1f} import)",
                         f"{peer['run_s']:.2f} (+{peer['import_s']:.1f} import)",
                         f"{(peer['run_s'] + peer['import_s']) / (seconds + kit_import):.1f}x",
                         "yes" if same else "no", f"kit: {', '.join(kit_drifted) or '-'}; evidently: "
                                                 f"{', '.join(peer['drifted']) or '-'}"])
            if not same:
                detail.append((label, report, peer))
    print_table("Side by side with Evidently DataDriftPreset (same reference/current CSVs)",
                ["pair", "kit s", "Evidently s", "Evidently/kit incl. imports", "same columns", "drifted"], rows)
    for label, report, peer in detail:
        frame = report.to_frame().set_index("column")
        print(f"\nWhere they differ on '{label}':")
        for column in sorted(set(report.drifted_columns) ^ set(peer["drifted"])):
            kit = frame.loc[column] if column in frame.index else None
            ev = peer["tests"].get(column)
            print(f"  {column}: kit {kit['test']} = {kit['statistic']:.4g} (threshold {kit['threshold']}) ; "
                  f"evidently {ev}")


if __name__ == "__main__":
    run()
