"""Headless execution of every notebook (wall and CPU seconds, stalls; median of 3 fresh kernels), import time,
and a notebook that makes widget labs run again and again under CPU load (the stalls of issue 27).

A notebook's CPU seconds are this process's and its kernel's (the kernel is a child, reaped when it shuts down).
A stall is a cell's reply that came only when its wait timed out (tests/notebook_runner.py): it shows as wall
time with no CPU time, and is counted, not hidden.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import median, print_table, spread, verdict  # noqa: E402
from tests.notebook_runner import notebook_paths, run_notebook, stall_trial  # noqa: E402

NOTEBOOK_BUDGET_S = 8.0
COURSE_BUDGET_S = 75.0
IMPORT_BUDGET_S = 0.3
STALL_RUNS = int(os.environ.get("LK_BENCH_STALL_RUNS", "30"))


def import_time(module="lifecycle_kit", repeat=7):
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = sorted(float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(repeat))
    return runs[len(runs) // 2]


def _runs(path, repeat, *, session_name=False):
    runs = []
    if session_name:  # as Jupyter tells the kernel which notebook it runs (the Russian edition speaks Russian)
        os.environ["JPY_SESSION_NAME"] = str(path)
    try:
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as cwd:
                runs.append(run_notebook(path, cwd=cwd, retries=0))
    finally:
        os.environ.pop("JPY_SESSION_NAME", None)
    return runs


def _table(title, paths, repeat, english=None):
    rows, total_wall, total_cpu, medians = [], 0.0, 0.0, {}
    for path in paths:
        runs = _runs(path, repeat, session_name=english is not None)
        wall, cpu = [r.seconds for r in runs], [r.cpu_seconds for r in runs]
        stalls = sum(r.stalls for r in runs)
        name = path.name if path.parent.name != "ru" else f"ru/{path.name}"
        medians[path.name] = median(wall)
        total_wall += median(wall)
        total_cpu += median(cpu)
        versus = f"{median(wall) / english[path.name]:.2f}" if english and english.get(path.name) else "-"
        rows.append([name, spread(wall, digits=1), spread(cpu, digits=1), stalls, versus, f"{NOTEBOOK_BUDGET_S:.0f}",
                     verdict(median(cpu), NOTEBOOK_BUDGET_S)])
    rows.append(["whole course", f"{total_wall:.1f}", f"{total_cpu:.1f}", "", "", f"{COURSE_BUDGET_S:.0f}",
                 verdict(total_cpu, COURSE_BUDGET_S)])
    print_table(title, ["notebook", "wall s", "CPU s", "stalls", "ru / en wall", "budget s",
                        "verdict (CPU: the machine is shared)"], rows)
    return medians


def run(repeat=3):
    english = _table(f"Notebook execution, headless, fresh kernel ({repeat} runs: median (IQR) seconds; stalls: "
                     "replies that came only at their timeout)", notebook_paths(), repeat)
    russian = sorted((ROOT / "notebooks" / "ru").glob("[0-9][0-9]_*.ipynb"))
    if russian:
        _table(f"Russian edition, headless, fresh kernel ({repeat} runs; ratio of median wall to the English run)",
               russian, repeat, english)

    rows = []
    for module in ("lifecycle_kit", "lifecycle_kit.datasets", "lifecycle_kit.labs"):
        seconds = import_time(module)
        budget = IMPORT_BUDGET_S if module == "lifecycle_kit" else None
        rows.append([f"import {module}", f"{seconds * 1000:.0f} ms",
                     f"{budget * 1000:.0f} ms" if budget else "-", verdict(seconds, budget) if budget else "-"])
    baseline = import_time("json")
    rows.append(["import json (reference, stdlib)", f"{baseline * 1000:.1f} ms", "-", "-"])
    print_table("Import time (median of 7 fresh interpreters)", ["what", "time", "budget", "verdict"], rows)


def run_stalls(runs=STALL_RUNS, stock_runs=None):
    """The widget-lab notebook under load: with the test runs' shell channel, and (fewer runs) with
    jupyter_client's plain one, for comparison."""
    stock_runs = max(5, runs // 3) if stock_runs is None else stock_runs
    burners = 2 * (os.cpu_count() or 1)
    rows = []
    for label, rearm, count in (("jupyter_client's channel (before)", False, stock_runs),
                                ("tests/notebook_runner.py's channel (after)", True, runs)):
        with tempfile.TemporaryDirectory() as cwd:
            trial = stall_trial(count, cwd=cwd, burners=burners, rearm=rearm, timeout=20)
        wall, cpu = [r.seconds for r in trial], [r.cpu_seconds for r in trial]
        stalled = sum(1 for r in trial if r.stalls)
        rows.append([label, count, stalled, sum(r.stalls for r in trial), spread(wall, digits=1),
                     f"{max(wall):.1f}", spread(cpu, digits=1)])
    print_table(f"Widget labs under load: a 4-cell notebook (DatasetExplorer, ProgressLab) in fresh kernels while "
                f"{burners} processes spin on the {os.cpu_count()} cores; cell timeout 20 s (a stall costs 20 s)",
                ["shell channel", "runs", "runs stalled", "stalls", "wall s", "worst wall s", "CPU s"], rows)


if __name__ == "__main__":
    run()
    run_stalls()
