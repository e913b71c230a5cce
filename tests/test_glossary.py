"""docs/glossary.md covers every term a learner meets, and every notebook link into it resolves.

When a test fails after notebooks change: add the missing entries (format in tests/glossary_support.py), then
run ``python tools/glossary_first_use.py`` to recompute the "First used in" lines.
"""

import re

import nbformat
import pytest

from tests.glossary_support import (
    GLOSSARY,
    NOTEBOOKS,
    ROOT,
    all_core_corpora,
    all_corpora,
    covered,
    detected_terms,
    first_use,
    normalise,
    notebook_names,
    parse_glossary,
    slug,
)

# Words the term detector finds that are not terms to define. Keep this list short; each line says why.
ALLOWLIST = {
    # bold labels of the notebook bones and of exercises
    "Where we are", "Hands on", "Check yourself", "Take away", "Orientation", "Learning objectives",
    "Prerequisites", "Expected time", "Key terms", "Try", "Next", "Check", "Solution", "Hint", "Question", "Refresh",
    "Submit", "Skip the pre-test",
    # the three labelled parts of "Where we are"
    "What ISO/IEC 8183 defines for this stage", "What Zatsarinny and Gavrilov recommend beyond it", "The threat",
    # the course's own name
    "Lifecycle Kit",
    # file formats and computing words the audience knows before the course
    "HTML", "JSON", "CSV", "SVG", "PNG", "URL", "KB", "MB", "CPU", "OK", "UTC",
    # organisations named only as the publisher of a dataset or catalogue
    "UCI", "NOAA", "LTER", "US", "NIST", "MITRE", "OWASP", "W3C", "FRC", "RAS",
    # disguised-missing tokens quoted as data, not terms
    "NA", "NULL",
    # pandas dtype names in the code exercises' generated inputs (nullable columns), code rather than terms
    "Float64", "Int64",
}


@pytest.fixture(scope="module")
def entries():
    return parse_glossary()


@pytest.fixture(scope="module")
def corpora():
    return all_corpora()


def test_glossary_entries_are_well_formed_and_alphabetical(entries):
    assert len(entries) >= 120, f"the glossary has only {len(entries)} entries"
    terms = [e.term for e in entries]
    assert terms == sorted(terms, key=str.lower), "keep the entries in alphabetical order"
    slugs = [e.slug for e in entries]
    assert len(set(slugs)) == len(slugs), f"two entries share an anchor: {sorted(s for s in slugs if slugs.count(s) > 1)}"
    for e in entries:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"(])", e.text.strip()) if s]
        assert 1 <= len(sentences) <= 3, f"{e.term}: one or two plain sentences (found {len(sentences)})"


def test_every_entry_names_the_notebook_where_it_is_first_used(entries, corpora):
    names = set(notebook_names())
    core = all_core_corpora()
    problems = []
    for e in entries:
        if e.first_used not in names:
            problems.append(f"{e.term}: 'First used in' is {e.first_used!r}, not a notebook")
            continue
        computed = first_use(e, corpora, core)
        if computed is None:
            problems.append(f"{e.term}: used in no notebook (remove the entry, or use the term)")
        elif computed != e.first_used:
            problems.append(f"{e.term}: first used in {computed}, not {e.first_used}")
    assert not problems, ("glossary 'First used in' lines are wrong (run python tools/glossary_first_use.py):\n"
                          + "\n".join(problems))


def test_every_glossary_link_in_the_notebooks_resolves(entries):
    anchors = {e.slug for e in entries}
    broken = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            for text, target in re.findall(r"\[([^\]]+)\]\(([^)\s]*glossary\.md[^)\s]*)\)", cell.source):
                if not target.startswith("../docs/glossary.md#"):
                    broken.append(f"{path.name}: [{text}]({target}) — link as ../docs/glossary.md#slug")
                elif target.split("#", 1)[1] not in anchors:
                    near = [e.term for e in entries if normalise(e.term) == normalise(text)]
                    broken.append(f"{path.name}: [{text}]({target}) has no entry"
                                  + (f" (the entry '{near[0]}' has the anchor #{slug(near[0])})" if near else ""))
    assert not broken, "glossary links that do not resolve:\n" + "\n".join(broken)


def test_every_term_the_notebooks_and_labs_use_has_an_entry(entries, corpora):
    missing = {term: where for term, where in detected_terms(corpora).items()
               if term not in ALLOWLIST and not covered(term, entries)}
    assert not missing, ("terms with no glossary entry (add a '### Term' entry or an '*Also:*' spelling; words that "
                         "are not terms go on the test's ALLOWLIST):\n"
                         + "\n".join(f"- {t!r}: {', '.join(w[:4])}" for t, w in sorted(missing.items())))


def test_the_term_detector_finds_bold_phrases_and_acronyms():
    corpora = {"99_fake": [("markdown", "The **population stability index** and the **Try:** label; KS and SHA-256, "
                                        "not MANIFEST.json or ISO/IEC or OWASP ML02."),
                           ("code", "SEED = 0  # PSI per column\nprint('AUC')")]}
    found = detected_terms(corpora)
    assert set(found) == {"population stability index", "KS", "SHA-256", "OWASP", "PSI", "AUC"}
    assert found["PSI"] == ["99_fake (code)"]


def test_glossary_file_has_the_documented_format():
    text = GLOSSARY.read_text(encoding="utf-8")
    assert text.startswith("# Glossary")
    blocks = text.split("\n### ")[1:]
    for block in blocks:
        assert "*First used in:*" in block, f"entry {block.splitlines()[0]!r} has no First-used line"


# The terms GOST R 71484.2-2024 gives the quality characteristics the course leans on most (the issue names them).
GOST_QUALITY_TERMS = {"Completeness": "полнота", "Accuracy (data quality)": "точность", "Consistency": "согласованность",
                      "Credibility": "достоверность", "Currentness": "актуальность"}


def test_every_entry_has_its_russian_term(entries):
    missing = [e.term for e in entries if not e.russian]
    assert not missing, "entries with no '*Русский термин:*' line (the Russian edition's term):\n" + "\n".join(missing)
    straight = [e.term for e in entries if '"' in e.russian]
    assert not straight, f"Russian terms quote with «ёлочки», not straight quotes: {straight}"


def test_russian_terms_follow_the_gost_adoptions(entries):
    by_term = {e.term: e for e in entries}
    for term, russian in GOST_QUALITY_TERMS.items():
        assert by_term[term].russian.split(" (")[0] == russian, (term, by_term[term].russian)
    problems = []
    for e in entries:
        if e.text.startswith("The ISO/IEC 5259-2 quality characteristic") and "ГОСТ Р 71484.2-2024" not in e.russian:
            problems.append(f"{e.term}: a quality characteristic; cite its GOST R 71484.2-2024 term")
        if re.match(r"Stage \d+ of the ISO/IEC 8183", e.text) and "ГОСТ Р 70889-2023" not in e.russian:
            problems.append(f"{e.term}: a life-cycle stage; cite its GOST R 70889-2023 term")
    assert not problems, "\n".join(problems)
    # The adoption is modified: designated with the ISO number in parentheses, never called identical.
    assert by_term["GOST R 70889-2023"].russian == "ГОСТ Р 70889-2023 (ИСО/МЭК 8183:2023)"


def test_the_russian_glossary_defines_every_entry_in_russian():
    # docs/ru/glossary.md (tools/glossary_ru.py): one Russian entry per entry, its heading the Russian term, a Russian
    # definition, and the English term linked to its entry.
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "glossary_ru.py"), "--check"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    text = (ROOT / "docs" / "ru" / "glossary.md").read_text(encoding="utf-8")
    blocks = [b for b in re.split(r"\n(?=### )", text) if b.startswith("### ")]
    entries = parse_glossary()
    assert len(blocks) == len(entries)
    linked = set(re.findall(r"\*Английский термин:\* \[[^\]]*\]\(\.\./glossary\.md#([^)\s]+)\)", text))
    assert linked == {e.slug for e in entries}
    for block in blocks:
        definition = "\n".join(line for line in block.splitlines()[1:] if line and not line.startswith("*Английский"))
        letters = [ch for ch in definition if ch.isalpha()]
        cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in letters) / max(len(letters), 1)
        assert len(definition) >= 40 and cyrillic >= 0.6, f"{block.splitlines()[0]}: define it in Russian"
