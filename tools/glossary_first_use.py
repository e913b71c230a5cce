"""Recompute the "*First used in:*" line of every docs/glossary.md entry from the notebooks.

    python tools/glossary_first_use.py          # rewrite the lines in place, list what changed
    python tools/glossary_first_use.py --check  # exit 1 if a line is out of date

The first use of a term is the first notebook, in course order, whose cells, self-checks or opened labs
mention the entry's heading or one of its *Also* spellings (then, for a term found in none, what the core
modules the notebooks import can display). An entry found nowhere is reported: remove it or use it.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.glossary_support import GLOSSARY, all_core_corpora, all_corpora, first_use, parse_glossary  # noqa: E402


def main(argv):
    check = "--check" in argv
    entries = parse_glossary()
    corpora, core = all_corpora(), all_core_corpora()
    lines = GLOSSARY.read_text(encoding="utf-8").splitlines()
    changed, unused = [], []
    for entry in reversed(entries):  # from the end, so an inserted line does not move the entries still to do
        computed = first_use(entry, corpora, core)
        if computed is None:
            unused.append(entry.term)
            continue
        if computed != entry.first_used:
            changed.append(f"{entry.term}: {entry.first_used} -> {computed}")
            at = next(i for i in range(entry.line, len(lines)) if lines[i].startswith("*First used in:*")
                      or lines[i].startswith("### "))
            if lines[at].startswith("### "):
                lines.insert(at, f"*First used in:* {computed}")
                lines.insert(at + 1, "")
            else:
                lines[at] = f"*First used in:* {computed}"
    if changed and not check:
        GLOSSARY.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for line in reversed(changed):
        print(line)
    for term in unused:
        print(f"{term}: used in no notebook", file=sys.stderr)
    return 1 if (check and changed) or unused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
