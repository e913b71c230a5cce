"""Lab responsiveness: control change to redrawn result (median and worst), against the budget.

Each lab is built once, then its controls are moved to random values across
their ranges; the time includes the core computation and drawing the
output (figures rendered to PNG), as in a notebook.
"""

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import print_table  # noqa: E402

MEDIAN_BUDGET_MS = 200
WORST_BUDGET_MS = 500


def _patch_display():
    """Render outputs as a kernel would (figures to PNG) but print nothing."""
    import lifecycle_kit.labs.base as base

    base.in_kernel = lambda: True
    import IPython.display

    IPython.display.display = lambda *items, **kw: [base._displayable(i) for i in items]
    IPython.display.clear_output = lambda *a, **k: None


def lab_classes():
    import lifecycle_kit.labs as labs

    return [getattr(labs, name) for name in labs.__all__ if name not in ("Lab", "SelfCheck")]


def run(moves=20):
    import matplotlib

    matplotlib.use("Agg")
    _patch_display()
    from lifecycle_kit.labs.base import slider_values

    rows = []
    for cls in lab_classes():
        start = time.perf_counter()
        lab = cls()
        build = time.perf_counter() - start
        rng = np.random.default_rng(0)
        names = [k for k in lab.controls if hasattr(lab.controls[k], "value")]
        times = []
        for i in range(moves):
            control = lab.controls[names[i % len(names)]]
            options = [v for v in slider_values(control) if v != control.value]
            if not options:
                continue
            value = options[rng.integers(len(options))]
            start = time.perf_counter()
            control.value = value
            times.append((time.perf_counter() - start) * 1000)
        median, worst = statistics.median(times), max(times)
        verdict = "within" if median <= MEDIAN_BUDGET_MS and worst <= WORST_BUDGET_MS else "OVER"
        rows.append([cls.__name__, f"{build:.2f} s", f"{median:.0f}", f"{worst:.0f}", str(len(times)), verdict])
    print_table(f"Lab control change to redrawn result, ms (budget: median <= {MEDIAN_BUDGET_MS}, worst <= {WORST_BUDGET_MS})",
                ["lab", "build", "median ms", "worst ms", "moves", "verdict"], rows)


if __name__ == "__main__":
    run()
