"""Manifest build and verify throughput against sha256sum on the same files, and row hashing of UCI Adult."""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import print_table  # noqa: E402

FOLDER_MB = 200
FILES = 40


def _make_folder(root):
    chunk = os.urandom(1 << 20)
    per_file = FOLDER_MB // FILES
    for i in range(FILES):
        with open(root / f"part-{i:03d}.bin", "wb") as handle:
            for _ in range(per_file):
                handle.write(chunk)
    return sum(p.stat().st_size for p in root.iterdir())


def _median(fn, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.integrity import RowManifest, build_manifest, verify_manifest

    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="lifecycle-kit-bench-"))
    try:
        size = _make_folder(tmp)
        mb = size / 1e6
        build_manifest(tmp)  # warm the page cache so every contender reads from memory
        t_build = _median(lambda: build_manifest(tmp))
        manifest = build_manifest(tmp)
        t_verify = _median(lambda: verify_manifest(tmp, manifest))
        rows.append(["lifecycle-kit build_manifest", f"{t_build:.2f}", f"{mb / t_build:.0f}"])
        rows.append(["lifecycle-kit verify_manifest", f"{t_verify:.2f}", f"{mb / t_verify:.0f}"])
        if shutil.which("sha256sum"):
            files = sorted(str(p) for p in tmp.iterdir())
            t_sum = _median(lambda: subprocess.run(["sha256sum", *files], check=True, stdout=subprocess.DEVNULL))
            rows.append(["sha256sum (coreutils), same files", f"{t_sum:.2f}", f"{mb / t_sum:.0f}"])
            ratio = f"kit build / sha256sum = {t_build / t_sum:.2f}x the time"
        else:
            ratio = "sha256sum not found"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_table(f"Manifest throughput on {mb:.0f} MB in {FILES} files (median of 3, page cache warm; {ratio})",
                ["what", "seconds", "MB/s"], rows)

    adult = load("adult")
    table = adult.frame.assign(income=adult.target)
    t_rows = _median(lambda: RowManifest.from_frame(table))
    record = RowManifest.from_frame(table)
    t_diff = _median(lambda: record.diff(table))
    print_table("Row hashing of UCI Adult (48,842 rows x 15 columns, median of 3)", ["what", "seconds", "rows/s"],
                [["RowManifest.from_frame (digests + Merkle root)", f"{t_rows:.2f}", f"{len(table) / t_rows:,.0f}"],
                 ["RowManifest.diff (locate changed rows)", f"{t_diff:.2f}", f"{len(table) / t_diff:,.0f}"]])


if __name__ == "__main__":
    run()
