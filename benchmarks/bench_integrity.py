"""Manifest throughput against the hashlib floor and sha256sum, and row hashing of an integer/text table (UCI Adult)
and of float tables (1,000,000 x 15) against SHA-256 over the same rows already written out.

Everything is timed warm and in turns (benchmarks.common.interleaved); CPU seconds count the sha256sum children.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import interleaved, median, print_table, ratio, spread  # noqa: E402

FOLDER_MB = 200
FILES = 40
ROWS = int(os.environ.get("LK_BENCH_ROWS", "1000000"))
REPEAT = int(os.environ.get("LK_BENCH_REPEAT", "5"))
ROWS_TARGET = 400_000  # rows per second on 1,000,000 x 15 floats (issue 27)


def _make_folder(root):
    chunk = os.urandom(1 << 20)
    per_file = FOLDER_MB // FILES
    for i in range(FILES):
        with open(root / f"part-{i:03d}.bin", "wb") as handle:
            for _ in range(per_file):
                handle.write(chunk)
    return sum(p.stat().st_size for p in root.iterdir())


def _hashlib_floor(folder):
    """The least any Python manifest can do: read and SHA-256 every file with hashlib, nothing else."""
    for path in sorted(folder.iterdir()):
        with open(path, "rb") as handle:
            hashlib.file_digest(handle, "sha256")


def manifests():
    from lifecycle_kit.integrity import build_manifest, verify_manifest

    tmp = Path(tempfile.mkdtemp(prefix="lifecycle-kit-bench-"))
    try:
        mb = _make_folder(tmp) / 1e6
        manifest = build_manifest(tmp)
        files = sorted(str(p) for p in tmp.iterdir())
        contenders = {"hashlib floor": lambda: _hashlib_floor(tmp),
                      "lifecycle-kit build_manifest": lambda: build_manifest(tmp),
                      "lifecycle-kit verify_manifest": lambda: verify_manifest(tmp, manifest)}
        if shutil.which("sha256sum"):
            contenders["sha256sum (coreutils)"] = lambda: subprocess.run(["sha256sum", *files], check=True,
                                                                         stdout=subprocess.DEVNULL)
        t = interleaved(contenders, repeat=REPEAT, warmup=1)  # the warm-up also fills the page cache
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    floor = t["hashlib floor"]
    rows = []
    for name, timing in t.items():
        rows.append([name, spread(timing.wall), spread(timing.cpu), f"{mb / median(timing.cpu):.0f}",
                     "-" if name == "hashlib floor" else ratio(timing.cpu, floor.cpu)])
    missing = "" if "sha256sum (coreutils)" in t else "; sha256sum not found"
    print_table(f"Manifest of {mb:.0f} MB in {FILES} files (page cache warm; {REPEAT} rounds in turns, median "
                f"(IQR){missing})", ["what", "wall s", "CPU s", "MB/s (CPU)", "x hashlib floor (CPU)"], rows)


def _float_table(rows, rounded):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    data = {f"x{i}": rng.normal(i, 1 + i, rows) for i in range(15)}
    frame = pd.DataFrame(data)
    return frame.round(3) if rounded else frame


def _tables():
    from lifecycle_kit.datasets import load

    adult = load("adult")
    yield "UCI Adult (48,842 x 15: integers and text)", adult.frame.assign(income=adult.target)
    yield f"{ROWS:,} x 15 floats, full precision (normal)", _float_table(ROWS, rounded=False)
    yield f"{ROWS:,} x 15 floats, 3 decimals", _float_table(ROWS, rounded=True)


def _floor(lines):
    """SHA-256 over the rows already written out: every leaf and the RFC 6962 tree over them."""
    from lifecycle_kit.integrity import MerkleTree

    sha256 = hashlib.sha256
    return MerkleTree([sha256(b"\x00" + line).digest() for line in lines]).root


def rows():
    from lifecycle_kit.integrity import RowManifest
    from lifecycle_kit.integrity.rows import _canonical_bytes

    table_rows = []
    for label, table in _tables():
        lines = _canonical_bytes(table)
        t = interleaved({"floor": lambda: _floor(lines),
                         "from_frame": lambda: RowManifest.from_frame(table)}, repeat=max(3, REPEAT // 2), warmup=1)
        record = t["from_frame"].result
        floor_root = t["floor"].result
        same = "yes" if record.tree_root == floor_root else "NO"
        n = len(table)
        kit_rate = [n / c for c in t["from_frame"].cpu]
        floor_rate = [n / c for c in t["floor"].cpu]
        target = f">= {ROWS_TARGET // 1000}k: {'within' if median(kit_rate) >= ROWS_TARGET else 'OVER'}" \
            if "floats, full" in label else "-"
        table_rows.append([label, spread(t["from_frame"].cpu), spread(kit_rate, digits=0),
                           spread(floor_rate, digits=0), ratio(t["from_frame"].cpu, t["floor"].cpu), same, target])
    print_table("Row hashing: RowManifest.from_frame (canonical rows, leaf digests, Merkle root) against the floor, "
                "SHA-256 of the same rows already written out (leaves and tree); CPU, in turns, median (IQR)",
                ["table", "kit CPU s", "kit rows/s", "floor rows/s", "kit / floor", "same root", "target"],
                table_rows)


def run():
    manifests()
    rows()


if __name__ == "__main__":
    run()
