"""Stream detectors on 100,000 points against river's, timed in the same run (target: ADWIN within 2x)."""

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import interleaved, median, print_table, ratio, spread, verdict  # noqa: E402

N = 100_000
ADWIN_RATIO_TARGET = 2.0


def _streams():
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.normal(0, 1, N // 2), rng.normal(0.5, 1, N // 4), rng.normal(0.2, 1, N // 4)])
    errors = (rng.random(N) < np.repeat([0.1, 0.25, 0.15, 0.3], N // 4)).astype(float)
    return {"values": values, "errors": errors, "values, no drift": rng.normal(0, 1, N)}


def _loop(detector, stream):
    """river's idiom, for either library: update, then read drift_detected."""
    out = []
    for i, x in enumerate(stream.tolist()):
        detector.update(x)
        if detector.drift_detected:
            out.append(i)
    return out


def run():
    from lifecycle_kit.drift.detectors import ADWIN, DDM, PageHinkley

    try:
        from river import drift
    except ImportError:
        print("\nStream detectors vs river: river unavailable (pip install -e '.[crosscheck]')")
        return
    cases = [("ADWIN", "values", ADWIN, drift.ADWIN), ("ADWIN", "values, no drift", ADWIN, drift.ADWIN),
             ("ADWIN", "errors", ADWIN, drift.ADWIN),
             ("PageHinkley", "values", PageHinkley, drift.PageHinkley), ("DDM", "errors", DDM, drift.binary.DDM)]
    streams = _streams()
    rows = []
    for name, stream_name, kit_class, river_class in cases:
        stream = streams[stream_name]
        t = interleaved({"river": lambda: _loop(river_class(), stream), "detect": lambda: kit_class().detect(stream),
                         "loop": lambda: _loop(kit_class(), stream)}, repeat=5, warmup=1)
        river_hits, kit_hits = t["river"].result, t["detect"].result
        rows.append([name, stream_name, spread(t["river"].cpu, digits=3), spread(t["detect"].cpu, digits=3),
                     ratio(t["detect"].cpu, t["river"].cpu), f"{median(t['loop'].cpu):.3f} "
                     f"({ratio(t['loop'].cpu, t['river'].cpu)})", len(kit_hits),
                     "yes" if kit_hits == river_hits else f"no (river {len(river_hits)})",
                     verdict(median([d / r for d, r in zip(t["detect"].cpu, t["river"].cpu)]), ADWIN_RATIO_TARGET)
                     if name == "ADWIN" else "-"])
    print_table(f"Stream detectors on {N:,} points, kit and river in turns (CPU seconds, median (IQR) of 5)",
                ["detector", "stream", "river s", "kit detect s", "kit/river", "kit update loop s (x river)",
                 "detections", "same as river", f"ADWIN <= {ADWIN_RATIO_TARGET:.0f}x"], rows)


if __name__ == "__main__":
    run()
