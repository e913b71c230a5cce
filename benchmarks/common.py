"""Shared helpers: timing and printing tables against a budget."""

import statistics
import time


def median_time(fn, *, repeat=3, warmup=0):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def print_table(title, header, rows):
    """Print a plain-text table; every cell already formatted as text."""
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))


def verdict(value, budget):
    return "within" if value <= budget else "OVER"
