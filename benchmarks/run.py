"""Print every benchmark table: `make bench` (or `python benchmarks/run.py notebooks ...`)."""

import importlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The notebooks' self-checks run here too: keep them out of the user's own progress file.
os.environ["LIFECYCLE_KIT_PROGRESS"] = "off"

SUITES = ["notebooks", "labs", "quality", "poisoning", "drift", "streams", "integrity", "progress", "reader",
          "code_exercises"]


def main(argv):
    chosen = argv or SUITES
    unknown = [s for s in chosen if s not in SUITES]
    if unknown:
        print(f"error: unknown benchmark(s) {unknown}; choose from {SUITES}", file=sys.stderr)
        return 2
    print(f"threads: OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}; cores: {os.cpu_count()}")
    for suite in chosen:
        importlib.import_module(f"benchmarks.bench_{suite}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
