"""Code exercises: how long a check takes (budget: 2 s on the 2-core machine), and how many wrong implementations
each exercise rejects.

For every code exercise: the first check of the reference solution on a fresh exercise (it generates the inputs
and computes the solution's results: what a learner waits for at the first check), a later check of the solution,
and the checks of every wrong implementation known for it — its own misconceptions and the learner-written wrong
code of tests/test_code_exercise_mutants.py (a failing check also shrinks the input and names the misconception).
Times are wall clock and, in brackets, CPU time of this process: on a machine shared with other jobs the CPU time
is what the check itself costs.
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import print_table, verdict  # noqa: E402

BUDGET = 2.0


def _timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def run():
    from lifecycle_kit.course.code_exercises import CodeExercise
    from lifecycle_kit.course.selfchecks import for_notebook, notebooks
    from tests.test_code_exercise_mutants import MUTANTS

    rows, worst = [], 0.0
    for notebook in notebooks():
        for key, question in for_notebook(notebook).items():
            if not isinstance(question, CodeExercise):
                continue
            fresh = for_notebook(notebook)[key]
            first, first_wall, first_cpu = _timed(lambda: fresh.check(fresh.reference))
            assert first.correct, (key, first.message)
            _, again_wall, again_cpu = _timed(lambda: fresh.check(fresh.reference))
            wrong = [m.like for m in fresh.misconceptions] + list(MUTANTS.get(key, []))
            walls, cpus, rejected = [], [], 0
            for function in wrong:
                feedback, wall, cpu = _timed(lambda: fresh.check(function))
                rejected += feedback.status == "incorrect"
                walls.append(wall)
                cpus.append(cpu)
            slowest = max(range(len(walls)), key=walls.__getitem__)
            worst = max(worst, first_cpu, max(cpus))
            rows.append([f"{notebook[:2]} {key}", str(len(fresh.generated_inputs())),
                         f"{len(fresh.misconceptions)} + {len(MUTANTS.get(key, []))}", f"{rejected}/{len(wrong)}",
                         f"{first_wall:.2f} ({first_cpu:.2f})", f"{again_wall:.2f} ({again_cpu:.2f})",
                         f"{statistics.median(walls):.2f} ({statistics.median(cpus):.2f})",
                         f"{walls[slowest]:.2f} ({cpus[slowest]:.2f})",
                         verdict(max(first_cpu, max(cpus)), BUDGET)])
    print_table(f"Code exercises: seconds per check, wall (CPU); budget {BUDGET:.0f} s of CPU per check",
                ["exercise", "generated", "wrong: own + tests", "rejected", "solution, 1st check",
                 "solution, again", "wrong, median", "wrong, slowest", "budget"], rows)
    print(f"slowest check, CPU: {worst:.2f} s")


if __name__ == "__main__":
    run()
