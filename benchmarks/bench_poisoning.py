"""Poisoning sweep time against its budget, and label-noise detection side by side with cleanlab."""

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import print_table, verdict  # noqa: E402
from benchmarks.peers import PeerUnavailable, run_peer  # noqa: E402

SWEEP_BUDGET_S = 2.0

CLEANLAB_SCRIPT = r'''
import json, sys, time, warnings
warnings.filterwarnings("ignore")
import numpy as np
payload = json.loads(sys.stdin.read())
start = time.perf_counter()
from cleanlab.filter import find_label_issues
imported = time.perf_counter()
X = np.array(payload["X"]); y = np.array(payload["y"]); P = np.array(payload["probabilities"])
results = {}
for method in ("prune_by_noise_rate", "both", "predicted_neq_given"):
    t = time.perf_counter()
    found = find_label_issues(labels=y, pred_probs=P, filter_by=method)
    results[method] = {"flagged": np.flatnonzero(found).tolist(), "seconds": time.perf_counter() - t}
print(json.dumps({"import_s": imported - start, "results": results}))
'''


def run():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.poisoning import PoisoningExperiment, detection_scores, flip_labels
    from lifecycle_kit.quality.label_noise import cross_val_probabilities, find_label_issues

    cancer = load("breast_cancer")
    times = []
    for _ in range(3):
        experiment = PoisoningExperiment(cancer.frame, cancer.target, random_state=0)
        start = time.perf_counter()
        experiment.curve(attack="random", defences=("label_noise", "knn", "outlier"))
        times.append(time.perf_counter() - start)
    sweep = statistics.median(times)
    print_table("Poisoning sweep, breast_cancer, 10 rates x 3 defences (seconds, median of 3, fresh cache)",
                ["what", "seconds", "budget", "verdict"],
                [["PoisoningExperiment.curve", f"{sweep:.2f}", f"{SWEEP_BUDGET_S:.0f}", verdict(sweep, SWEEP_BUDGET_S)]])

    rows = []
    for seed in range(3):
        y, flipped = flip_labels(cancer.target, 0.1, random_state=seed)
        y = y.to_numpy()
        start = time.perf_counter()
        probabilities = cross_val_probabilities(cancer.frame, y, random_state=seed)
        cv_time = time.perf_counter() - start
        for method in ("disagreement", "prune_by_noise_rate"):
            start = time.perf_counter()
            issues = find_label_issues(cancer.frame, y, probabilities=probabilities, method=method)
            elapsed = time.perf_counter() - start
            p, r = detection_scores(issues.indices, flipped)
            rows.append([seed, f"kit {method}", len(issues.indices), f"{p:.3f}", f"{r:.3f}", f"{elapsed * 1000:.1f}"])
        try:
            peer = run_peer("cleanlab", CLEANLAB_SCRIPT, {"X": cancer.frame.to_numpy().tolist(), "y": y.tolist(),
                                                          "probabilities": probabilities.tolist()})
        except PeerUnavailable as err:
            rows.append([seed, "cleanlab", "-", "-", "-", f"unavailable: {err}"])
            continue
        for method, found in peer["results"].items():
            p, r = detection_scores(found["flagged"], flipped)
            rows.append([seed, f"cleanlab {method}", len(found["flagged"]), f"{p:.3f}", f"{r:.3f}",
                         f"{found['seconds'] * 1000:.1f}"])
    print_table("Label-noise detection on identical 10% random flips of breast_cancer, same out-of-fold probabilities "
                f"(5-fold cross-validation took {cv_time:.2f} s, shared by both)",
                ["seed", "method", "flagged", "precision", "recall", "ms"], rows)


if __name__ == "__main__":
    run()
