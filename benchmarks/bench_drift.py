"""compare() on UCI Adult and on 1,000,000 x 15 against the budgets, against a bare scipy loop running the same
tests (the floor: DESIGN.md's budget is 1.5 times it), and side by side with Evidently (all warm, in turns;
Evidently in its own environment, benchmarks.peers)."""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import interleaved, median, print_table, ratio, spread, verdict  # noqa: E402
from benchmarks.data import shifted, synthetic_table  # noqa: E402
from benchmarks.peers import Peer, PeerUnavailable, versions  # noqa: E402

ADULT_BUDGET_S = 1.0
MILLION_BUDGET_S = 10.0
FLOOR_BUDGET = 1.5  # compare / the bare scipy loop (DESIGN.md)

# Evidently's side: both CSVs loaded once (setup), one DataDriftPreset report per timed call (work).
EVIDENTLY_SETUP = r'''
import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset
ref = pd.read_csv(payload["reference"], keep_default_na=False, na_values=[""])
cur = pd.read_csv(payload["current"], keep_default_na=False, na_values=[""])
'''
EVIDENTLY_WORK = r'''
snapshot = Report([DataDriftPreset()]).run(reference_data=ref, current_data=cur)
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
result = {"drifted": sorted(drifted), "tests": tests}
'''


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


def run(repeat=3):
    from lifecycle_kit.drift import compare

    rows, detail, floor_rows = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for label, ref, cur in _pairs():
            ref_path, cur_path = Path(tmp) / "ref.csv", Path(tmp) / "cur.csv"
            ref.to_csv(ref_path, index=False)
            cur.to_csv(cur_path, index=False)
            budget = MILLION_BUDGET_S if len(ref) > 100_000 else ADULT_BUDGET_S
            contenders = {"kit": lambda: compare(ref, cur), "scipy loop": lambda: scipy_loop(ref, cur)}
            peer, unavailable = None, ""
            try:
                peer = Peer("evidently", EVIDENTLY_SETUP, EVIDENTLY_WORK,
                            {"reference": str(ref_path), "current": str(cur_path)})
                contenders["evidently"] = peer
            except PeerUnavailable as err:
                unavailable = f"unavailable: {err}"
            try:
                t = interleaved(contenders, repeat=repeat, warmup=1)
            finally:
                if peer is not None:
                    peer.close()
            kit = t["kit"]
            report = kit.result
            kit_drifted = sorted(report.drifted_columns)
            within = f"{budget:g}: {verdict(median(kit.cpu), budget)}"  # CPU: the machine is shared
            floor = t["scipy loop"]
            floor_drifted = sorted(c for c, p in floor.result.items() if p < 0.05)
            floor_rows.append([label, spread(kit.cpu), spread(floor.cpu), ratio(kit.cpu, floor.cpu),
                               f"{FLOOR_BUDGET:g}: {verdict(median(kit.cpu) / median(floor.cpu), FLOOR_BUDGET)}",
                               "yes" if floor_drifted == kit_drifted else
                               f"no (scipy: {', '.join(floor_drifted) or '-'})"])
            if peer is None or not t["evidently"].cpu:
                why = unavailable or f"failed: {t['evidently'].result}"
                rows.append([label, spread(kit.wall), within, spread(kit.cpu), why, "-", "-", "-"])
                continue
            evidently = t["evidently"]
            same = kit_drifted == evidently.result["drifted"]
            rows.append([label, spread(kit.wall), within, spread(kit.cpu), spread(evidently.cpu),
                         ratio(evidently.cpu, kit.cpu), "yes" if same else "no",
                         f"kit: {', '.join(kit_drifted) or '-'}; "
                         f"evidently: {', '.join(evidently.result['drifted']) or '-'}"])
            if not same:
                detail.append((label, report, evidently.result))
    try:
        version = versions("evidently").get("evidently", "?")
    except PeerUnavailable:
        version = "(unavailable)"
    print_table(f"compare() against its budget and side by side with Evidently {version} DataDriftPreset (same "
                "reference/current CSVs; both warm, in turns; seconds, median (IQR))",
                ["pair", "kit wall s", "budget s (CPU)", "kit CPU s", "Evidently CPU s", "Evidently / kit (CPU)",
                 "same columns", "drifted"], rows)
    print_table("compare against a bare scipy loop (KS / chi-squared per column, the same tests; CPU seconds, warm, "
                "in turns, median (IQR))", ["pair", "compare CPU s", "scipy loop CPU s", "compare / loop (CPU)",
                                            "budget", "same drifted columns"], floor_rows)
    for label, report, peer_result in detail:
        frame = report.to_frame().set_index("column")
        print(f"\nWhere they differ on '{label}':")
        for column in sorted(set(report.drifted_columns) ^ set(peer_result["drifted"])):
            kit = frame.loc[column] if column in frame.index else None
            ev = peer_result["tests"].get(column)
            kit_text = f"{kit['test']} = {kit['statistic']:.4g} (threshold {kit['threshold']})" if kit is not None \
                else "-"
            print(f"  {column}: kit {kit_text} ; evidently {ev}")


if __name__ == "__main__":
    run()
