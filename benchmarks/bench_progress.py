"""Progress recording and the class report: one append, the report over 300 learners' files (~60 records each),
and the report over a simulated class of 300 who took the pre-test, every self-check and the post-test (item analysis
and gains included, lifecycle_kit.course.class_simulation)."""

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


# The command in a child process, reporting its own CPU time (user + system) as the last word of its output.
_TIMED_CLI = """
import resource, sys
from lifecycle_kit.cli import main
status = main(["class-report", sys.argv[1], "--output", sys.argv[2]])
usage = resource.getrusage(resource.RUSAGE_SELF)
print(usage.ru_utime + usage.ru_stime)
sys.exit(status)
"""


def _write_simulated(root, *, learners=LEARNERS, seed=0):
    """Home folders of a simulated class that answered every question of the course, pre- and post-test included."""
    import json

    from lifecycle_kit.course.class_simulation import simulate_class

    sim = simulate_class(learners, course_effect=1.0, random_state=seed)
    records = sim.records.assign(time=sim.records["time"].dt.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    columns = ["schema", "user", "notebook", "question", "event", "status", "correct", "attempt", "time"]
    for user, mine in records.groupby("user", sort=False):
        path = root / user / ".local" / "share" / "lifecycle-kit" / "progress.jsonl"
        path.parent.mkdir(parents=True)
        lines = (json.dumps(dict(zip(columns, row)), ensure_ascii=False, separators=(", ", ": "))
                 for row in mine[columns].itertuples(index=False, name=None))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(records), sim


def run_assessment():
    """The class report on 300 learners with pre- and post-test and the item table, against the plain report."""
    from lifecycle_kit.course.class_report import build_class_report

    tmp = Path(tempfile.mkdtemp(prefix="lifecycle-kit-bench-assessment-"))
    try:
        records, sim = _write_simulated(tmp)
        build_class_report([tmp])  # warm
        t_build, _ = median_time(lambda: build_class_report([tmp]))
        report = build_class_report([tmp])
        t_gain, _ = median_time(lambda: (setattr(report, "_scores", None), report.gain_summary()))
        t_items, _ = median_time(lambda: report.item_table())
        out = tmp / "out"
        out.mkdir()

        def whole():
            fresh = build_class_report([tmp])
            fresh.to_html(out / "class-report.html")
            fresh.to_csv(out / "class-report.csv")
            fresh.to_csv(out / "class-report-items.csv", table="items")

        t_whole, _ = median_time(whole)
        cpu = time.process_time()
        whole()
        cpu_whole = time.process_time() - cpu
        start = time.perf_counter()
        child = subprocess.run([sys.executable, "-c", _TIMED_CLI, str(tmp), str(out)], check=True,
                               capture_output=True, text=True)
        t_cli, cpu_cli = time.perf_counter() - start, float(child.stdout.split()[-1])
        gain = report.gain_summary()
        rows = [
            [f"{LEARNERS} learners, every question ({records:,} records): build_class_report", f"{t_build:.2f}", ""],
            ["learner scores and class gain (learner_gains + gain_summary)", f"{t_gain:.2f}", ""],
            [f"item table ({len(report.item_table())} questions: difficulty, discrimination, flags)", f"{t_items:.2f}",
             ""],
            ["build + to_html + to_csv (learners and items) (imports warm)", f"{t_whole:.2f}", f"{cpu_whole:.2f}"],
            ["`lifecycle-kit class-report` end to end (fresh process, imports included)", f"{t_cli:.2f}",
             f"{cpu_cli:.2f}"],
        ]
        print_table(f"Class report with pre/post-test and item analysis (simulated class: mean gain "
                    f"{gain['mean_gain']:.2f}, class gain {gain['class_gain']:.2f}; HTML page "
                    f"{(out / 'class-report.html').stat().st_size / 1e6:.1f} MB; the CPU column is this process's "
                    "own time, which the other processes on the machine do not inflate)",
                    ["step", "seconds", "CPU seconds"], rows)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
    run_assessment()


if __name__ == "__main__":
    run()
