"""Print every benchmark table: `make bench` (or `python benchmarks/run.py notebooks ...`).

``--markdown PATH`` also writes the tables of this run to PATH (`make bench` writes docs/benchmarks.md).
"""

import argparse
import datetime
import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The notebooks' self-checks run here too: keep them out of the user's own progress file.
os.environ["LIFECYCLE_KIT_PROGRESS"] = "off"

# Suites and what runs them: a module, or a module and one of its functions.
SUITES = {"notebooks": ("notebooks", "run"), "stalls": ("notebooks", "run_stalls"), "labs": ("labs", "run"),
          "quality": ("quality", "run"), "check": ("check", "run"), "poisoning": ("poisoning", "run"),
          "drift": ("drift", "run"), "streams": ("streams", "run"), "integrity": ("integrity", "run"),
          "progress": ("progress", "run"), "reader": ("reader", "run"),
          "code_exercises": ("code_exercises", "run")}


def markdown(chosen, seconds, machine, started):
    from benchmarks.common import NOTES, TABLES

    def cell(text):
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["# Benchmarks", "",
             "The latest tables of `make bench` (`python benchmarks/run.py --markdown docs/benchmarks.md`), written by "
             "the run itself: every number below was measured in that run. Contenders are timed warm and in turns "
             "(after an untimed warm-up, the repeats of the kit and of its peer or floor alternate), with CPU seconds "
             "beside wall seconds because the machine may be shared; a ratio is the median of the per-round ratios "
             "with its interquartile range in brackets. Peers that need older numpy or pandas run in throw-away "
             "environments outside the repository (`benchmarks/peers.py`).", "",
             f"- Run: {started:%Y-%m-%d %H:%M} UTC, {seconds / 60:.0f} minutes; suites: {', '.join(chosen)}",
             f"- Machine: {machine}", ""]
    unavailable = sorted({c for _, _, rows, _ in TABLES for row in rows for c in row if "unavailable" in str(c)})
    if unavailable or NOTES:
        lines += ["Not available in this run:", ""] + [f"- {cell(c)}" for c in unavailable + NOTES] + [""]
    for title, header, rows, note in TABLES:
        lines += [f"## {cell(title)}", "", "| " + " | ".join(cell(h) for h in header) + " |",
                  "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
        if note:
            lines += ["", cell(note)]
        lines.append("")
    return "\n".join(lines)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("suites", nargs="*", help=f"which (default: all): {', '.join(SUITES)}")
    parser.add_argument("--markdown", metavar="PATH", help="also write this run's tables to PATH as Markdown")
    args = parser.parse_args(argv)
    chosen = args.suites or list(SUITES)
    unknown = [s for s in chosen if s not in SUITES]
    if unknown:
        print(f"error: unknown benchmark(s) {unknown}; choose from {list(SUITES)}", file=sys.stderr)
        return 2
    from benchmarks.common import machine

    started, start = datetime.datetime.now(datetime.timezone.utc), time.perf_counter()
    print(f"machine: {machine()}")
    for suite in chosen:
        module, function = SUITES[suite]
        getattr(importlib.import_module(f"benchmarks.bench_{module}"), function)()
    seconds = time.perf_counter() - start
    if args.markdown:
        Path(args.markdown).write_text(markdown(chosen, seconds, machine(), started) + "\n", encoding="utf-8")
        print(f"\ntables written to {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
