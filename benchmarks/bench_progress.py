"""Progress recording and the class report: one append, and the report over 300 learners' files (~60 records each)."""

import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import median_time, print_table  # noqa: E402

LEARNERS = 300
RECORDS_PER_LEARNER = 60


def _generate(root, *, learners=LEARNERS, per_learner=RECORDS_PER_LEARNER, seed=0):
    """Home folders as a hub keeps them, each with one progress file of about ``per_learner`` records."""
    import numpy as np

    from lifecycle_kit.course.progress import record
    from lifecycle_kit.course.summary import notebook_questions

    rng = np.random.default_rng(seed)
    questions = [(nb, q) for nb, keys in notebook_questions().items() for q in keys]
    total = 0
    for i in range(learners):
        user = f"learner{i:03d}"
        path = root / user / ".local" / "share" / "lifecycle-kit" / "progress.jsonl"
        clock = datetime(2026, 3, 2, 9, tzinfo=timezone.utc) + timedelta(minutes=int(rng.integers(0, 300)))
        written = 0
        for nb, q in questions:
            if written >= per_learner:
                break
            for _ in range(3):  # up to three tries; a reveal now and then
                clock += timedelta(seconds=int(rng.integers(20, 240)))
                stamp = clock.isoformat().replace("+00:00", "Z")
                if rng.random() < 0.1:
                    record(nb, q, event="reveal", status="unanswered", path=path, user=user, time=stamp)
                    written += 1
                status = "correct" if rng.random() < 0.6 else "incorrect"
                record(nb, q, event="check", status=status, path=path, user=user, time=stamp)
                written += 1
                if status == "correct":
                    break
        total += written
    return total


def run():
    from lifecycle_kit.course.class_report import build_class_report

    tmp = Path(tempfile.mkdtemp(prefix="lifecycle-kit-bench-progress-"))
    try:
        start = time.perf_counter()
        records = _generate(tmp)
        t_generate = time.perf_counter() - start
        build_class_report([tmp])  # warm: imports, self-check tables, page cache
        t_build, _ = median_time(lambda: build_class_report([tmp]))
        out = tmp / "out"
        out.mkdir()

        def whole():  # what the command does after its imports: a fresh report, both files
            report = build_class_report([tmp])
            report.to_html(out / "class-report.html")
            report.to_csv(out / "class-report.csv")

        t_whole, _ = median_time(whole)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "lifecycle_kit.cli", "class-report", str(tmp), "--output", str(out)],
                       check=True, stdout=subprocess.DEVNULL)
        t_cli = time.perf_counter() - start
        size = (out / "class-report.html").stat().st_size
        rows = [
            [f"{LEARNERS} learners' files, {records:,} records: build_class_report", f"{t_build:.2f}"],
            ["build_class_report + to_html + to_csv (imports warm)", f"{t_whole:.2f}"],
            ["`lifecycle-kit class-report` end to end (fresh process, imports included)", f"{t_cli:.2f}"],
            [f"record(): one append, mean over the {records:,} generated", f"{1000 * t_generate / records:.2f} ms"],
        ]
        print_table(f"Progress and class report (HTML page {size / 1e6:.1f} MB)", ["step", "seconds"], rows)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    run()
