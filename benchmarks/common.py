"""Shared helpers: fair timing (warm, interleaved, wall and CPU), ratios with their spread, and the tables.

The machine may be shared (other jobs on its 2 cores), so every contender is timed in the same run, in turns:
each is warmed up first (imports, caches, first-call costs), then the repeats go round robin, so a busy moment
falls on all sides alike. CPU time (this process and its children) is printed beside wall time, and a ratio is
the median of the per-round ratios with its interquartile range.
"""

import os
import platform
import statistics
import time
from dataclasses import dataclass, field

# Every table printed in this run, for the Markdown page (benchmarks/run.py --markdown).
TABLES = []
NOTES = []


def cpu_seconds():
    """CPU seconds of this process and of its children that have finished (kernels, subprocesses)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class Timings:
    """Wall and CPU seconds of each repeat of one contender (a contender may report its own, e.g. a peer process)."""

    wall: list = field(default_factory=list)
    cpu: list = field(default_factory=list)
    results: list = field(default_factory=list)

    @property
    def result(self):
        return self.results[-1] if self.results else None

    def text(self, kind="cpu"):
        return spread(getattr(self, kind))


def timed(fn):
    """``(wall, cpu, result)`` of one call; ``fn`` may return ``(wall, cpu, result)`` itself (a peer's own timing)."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = fn()
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    if isinstance(result, Measured):
        return result.wall, result.cpu, result.result
    return wall, cpu, result


@dataclass
class Measured:
    """What a contender that times itself returns (a peer in its own process, warm)."""

    wall: float
    cpu: float
    result: object = None


def interleaved(contenders, *, repeat=5, warmup=1):
    """Time every contender ``repeat`` times in turns, after ``warmup`` untimed calls of each.

    ``contenders``: ``{name: callable}``. The order of the turn rotates each round. Returns ``{name: Timings}``;
    a contender that raises is left out of later rounds and its error kept in ``Timings.results``.
    """
    names = list(contenders)
    out = {name: Timings() for name in names}
    failed = {}
    for name in names:
        for _ in range(warmup):
            try:
                contenders[name]()
            except Exception as err:  # noqa: BLE001 - a peer may be missing or fail; the table says so
                failed[name] = err
                break
    for r in range(repeat):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            if name in failed:
                continue
            try:
                wall, cpu, result = timed(contenders[name])
            except Exception as err:  # noqa: BLE001
                failed[name] = err
                continue
            out[name].wall.append(wall)
            out[name].cpu.append(cpu)
            out[name].results.append(result)
    for name, err in failed.items():
        out[name].results.append(err)
    return out


def quartiles(values):
    values = sorted(values)
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def spread(values, unit="", digits=2):
    """``"median (q1-q3)"``; just the value when there is one."""
    if not values:
        return "-"
    q1, median, q3 = quartiles(values)
    if len(values) == 1:
        return f"{median:.{digits}f}{unit}"
    return f"{median:.{digits}f}{unit} ({q1:.{digits}f}-{q3:.{digits}f})"


def ratio(numerator, denominator, digits=2):
    """The per-round ratios ``numerator[i] / denominator[i]``: ``"median x (q1-q3)"``."""
    pairs = [n / d for n, d in zip(numerator, denominator) if d]
    return spread(pairs, "x", digits) if pairs else "-"


def median(values):
    return statistics.median(values) if values else float("nan")


def print_table(title, header, rows, *, note=None):
    """Print a plain-text table (every cell already text) and keep it for the Markdown page."""
    rows = [[str(c) for c in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(str(h)) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))
    if note:
        print(note)
    TABLES.append((title, list(map(str, header)), rows, note))


def note(text):
    """A line said once for the whole run (e.g. a peer that could not be installed)."""
    print(text)
    NOTES.append(text)


def verdict(value, budget):
    return "within" if value <= budget else "OVER"


def machine():
    """What the numbers were measured on, and how busy it was."""
    import numpy
    import pandas

    load = os.getloadavg()
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"numpy {numpy.__version__}, pandas {pandas.__version__}, "
            f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}; "
            f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min)")


def median_time(fn, *, repeat=3, warmup=0):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times
