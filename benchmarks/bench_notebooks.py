"""Headless execution time of every notebook (median of 3 fresh kernels) and import time."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import print_table, verdict  # noqa: E402
from tests.notebook_runner import execute_notebook, notebook_paths  # noqa: E402

NOTEBOOK_BUDGET_S = 15.0
COURSE_BUDGET_S = 120.0
IMPORT_BUDGET_S = 0.3


def import_time(module="lifecycle_kit", repeat=7):
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = sorted(float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(repeat))
    return runs[len(runs) // 2]


def _median_run(path, repeat):
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as cwd:
            _, seconds = execute_notebook(path, cwd=cwd)
        times.append(seconds)
    return sorted(times)[len(times) // 2], times


def run(repeat=3):
    rows, total = [], 0.0
    english = {}
    for path in notebook_paths():
        median, times = _median_run(path, repeat)
        english[path.name] = median
        total += median
        rows.append([path.name, f"{median:.1f}", " ".join(f"{t:.1f}" for t in times), f"{NOTEBOOK_BUDGET_S:.0f}",
                     verdict(median, NOTEBOOK_BUDGET_S)])
    rows.append(["whole course", f"{total:.1f}", "", f"{COURSE_BUDGET_S:.0f}", verdict(total, COURSE_BUDGET_S)])
    print_table(f"Notebook execution, headless, fresh kernel (median of {repeat}, seconds)",
                ["notebook", "median", "runs", "budget", "verdict"], rows)

    # The Russian edition runs the same code with the catalogs in use: same budget, and its ratio to the English run.
    russian = sorted((ROOT / "notebooks" / "ru").glob("[0-9][0-9]_*.ipynb"))
    if russian:
        rows, total = [], 0.0
        for path in russian:
            os.environ["JPY_SESSION_NAME"] = str(path)  # as Jupyter tells the kernel which notebook it runs
            try:
                median, times = _median_run(path, repeat)
            finally:
                os.environ.pop("JPY_SESSION_NAME", None)
            total += median
            ratio = median / english[path.name] if english.get(path.name) else float("nan")
            rows.append([f"ru/{path.name}", f"{median:.1f}", f"{ratio:.2f}", f"{NOTEBOOK_BUDGET_S:.0f}",
                         verdict(median, NOTEBOOK_BUDGET_S)])
        rows.append(["whole Russian course", f"{total:.1f}", "", f"{COURSE_BUDGET_S:.0f}",
                     verdict(total, COURSE_BUDGET_S)])
        print_table(f"Russian edition, headless, fresh kernel (median of {repeat}, seconds; ratio to the English run)",
                    ["notebook", "median", "ru / en", "budget", "verdict"], rows)

    rows = []
    for module in ("lifecycle_kit", "lifecycle_kit.datasets", "lifecycle_kit.labs"):
        seconds = import_time(module)
        budget = IMPORT_BUDGET_S if module == "lifecycle_kit" else None
        rows.append([f"import {module}", f"{seconds * 1000:.0f} ms",
                     f"{budget * 1000:.0f} ms" if budget else "-", verdict(seconds, budget) if budget else "-"])
    baseline = import_time("json")
    rows.append(["import json (reference, stdlib)", f"{baseline * 1000:.1f} ms", "-", "-"])
    print_table("Import time (median of 7 fresh interpreters)", ["what", "time", "budget", "verdict"], rows)


if __name__ == "__main__":
    run()
