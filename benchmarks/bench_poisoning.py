"""Poisoning sweep time against its budget, and label-noise detection side by side with cleanlab (both warm, in
turns; cleanlab in its own environment, benchmarks.peers)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import interleaved, median, print_table, ratio, spread, verdict  # noqa: E402
from benchmarks.peers import Peer, PeerUnavailable  # noqa: E402

SWEEP_BUDGET_S = 2.0

# cleanlab's side: the labels and out-of-fold probabilities once (setup), one find_label_issues per call (work).
CLEANLAB_SETUP = r'''
import numpy as np
from cleanlab.filter import find_label_issues
y = np.array(payload["y"]); P = np.array(payload["probabilities"]); method = payload["method"]
'''
CLEANLAB_WORK = r'''
result = np.flatnonzero(find_label_issues(labels=y, pred_probs=P, filter_by=method)).tolist()
'''


def run():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.poisoning import PoisoningExperiment, detection_scores, flip_labels
    from lifecycle_kit.quality.label_noise import cross_val_probabilities, find_label_issues

    cancer = load("breast_cancer")

    def sweep():
        PoisoningExperiment(cancer.frame, cancer.target, random_state=0).curve(
            attack="random", defences=("label_noise", "knn", "outlier"))

    t = interleaved({"sweep": sweep}, repeat=3, warmup=1)["sweep"]
    print_table("Poisoning sweep, breast_cancer, 10 rates x 3 defences (seconds, median (IQR) of 3, fresh cache)",
                ["what", "wall s", "CPU s", "budget s", "verdict (CPU: the machine is shared)"],
                [["PoisoningExperiment.curve", spread(t.wall), spread(t.cpu), f"{SWEEP_BUDGET_S:.0f}",
                  verdict(median(t.cpu), SWEEP_BUDGET_S)]])

    rows = []
    for seed in range(3):
        y, flipped = flip_labels(cancer.target, 0.1, random_state=seed)
        y = y.to_numpy()
        probabilities = cross_val_probabilities(cancer.frame, y, random_state=seed)
        for kit_method, peer_method in (("prune_by_noise_rate", "prune_by_noise_rate"),
                                        ("disagreement", "predicted_neq_given")):
            contenders = {"kit": lambda: find_label_issues(cancer.frame, y, probabilities=probabilities,
                                                           method=kit_method)}
            peer, unavailable = None, ""
            try:
                peer = Peer("cleanlab", CLEANLAB_SETUP, CLEANLAB_WORK,
                            {"y": y.tolist(), "probabilities": probabilities.tolist(), "method": peer_method})
                contenders["cleanlab"] = peer
            except PeerUnavailable as err:
                unavailable = f"unavailable: {err}"
            try:
                t = interleaved(contenders, repeat=7, warmup=1)
            finally:
                if peer is not None:
                    peer.close()
            kit = t["kit"]
            p, r = detection_scores(kit.result.indices, flipped)
            kit_ms = spread([1000 * c for c in kit.cpu], digits=1)
            if peer is None or not t["cleanlab"].cpu:
                rows.append([seed, f"{kit_method} / {peer_method}", len(kit.result.indices), f"{p:.3f}", f"{r:.3f}",
                             kit_ms, unavailable or f"failed: {t['cleanlab'].result}", "-", "-"])
                continue
            found = t["cleanlab"].result
            peer_p, peer_r = detection_scores(found, flipped)
            rows.append([seed, f"{kit_method} / {peer_method}", f"{len(kit.result.indices)} / {len(found)}",
                         f"{p:.3f} / {peer_p:.3f}", f"{r:.3f} / {peer_r:.3f}", kit_ms,
                         spread([1000 * c for c in t["cleanlab"].cpu], digits=1), ratio(kit.cpu, t["cleanlab"].cpu),
                         "yes" if sorted(kit.result.indices) == sorted(found) else "no"])
    print_table("Label-noise detection on identical 10% random flips of breast_cancer, same out-of-fold probabilities: "
                "kit / cleanlab, both warm, in turns (CPU ms, median (IQR) of 7)",
                ["seed", "method (kit / cleanlab)", "flagged", "precision", "recall", "kit ms", "cleanlab ms",
                 "kit / cleanlab (CPU)", "same rows"], rows)


if __name__ == "__main__":
    run()
