"""The Russian edition (notebooks/ru/): the same notebooks, cell for cell, with every Markdown cell in Russian.

Code cells are identical to the English notebook's, so the two editions cannot drift apart: a change to a code
cell of one edition fails here until the other has it too. The language of the labs and self-checks comes from
the notebook's folder (Jupyter tells the kernel its notebook in ``JPY_SESSION_NAME``; lifecycle_kit/i18n.py).
"""

import re

import nbformat
import pytest

from tests.notebook_runner import NOTEBOOKS, assert_committed_without_outputs, execute_notebook, notebook_paths

RU = NOTEBOOKS / "ru"
MIN_CYRILLIC_SHARE = 0.60
# The headings every notebook has (tests/test_notebooks.py BONES, with the orientation first), in the Russian edition.
RU_BONES = ["## Ориентиры", "## Где мы сейчас", "## Практика", "## Проверьте себя", "## Выводы"]


def ru_paths():
    return sorted(RU.glob("[0-9][0-9]_*.ipynb"))


def _pairs():
    return [(path, RU / path.name) for path in notebook_paths()]


_FENCED = re.compile(r"```.*?```", re.S)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
_HTML_TAG = re.compile(r"<[^>]+>")


def prose(markdown):
    """The words of a Markdown text a reader reads as language: no code, link targets, URLs or HTML tags."""
    for pattern in (_FENCED, _INLINE_CODE, _LINK_TARGET, _URL, _HTML_TAG):
        markdown = pattern.sub(" ", markdown)
    return markdown


def cyrillic_share(text):
    letters = [ch for ch in text if ch.isalpha()]
    return sum("\u0400" <= ch <= "\u04ff" for ch in letters) / max(len(letters), 1)


def test_every_english_notebook_has_its_russian_edition():
    assert [p.name for p in ru_paths()] == [p.name for p in notebook_paths()]


@pytest.mark.parametrize("english, russian", _pairs(), ids=lambda p: p.name)
def test_code_cells_are_identical_and_the_cells_line_up(english, russian):
    en, ru = nbformat.read(english, as_version=4), nbformat.read(russian, as_version=4)
    assert [c.cell_type for c in ru.cells] == [c.cell_type for c in en.cells], (
        f"{russian.name}: translate cell for cell (same number and kinds of cells as the English notebook)")
    for i, (a, b) in enumerate(zip(en.cells, ru.cells)):
        if a.cell_type == "code":
            assert b.source == a.source, f"{russian.name}, cell {i}: code differs from the English notebook"
            assert b.metadata.get("tags", []) == a.metadata.get("tags", []), f"{russian.name}, cell {i}: tags differ"
            assert b.metadata.get("lifecycle_kit") == a.metadata.get("lifecycle_kit"), f"{russian.name}, cell {i}"


@pytest.mark.parametrize("english, russian", _pairs(), ids=lambda p: p.name)
def test_every_markdown_cell_is_translated(english, russian):
    en, ru = nbformat.read(english, as_version=4), nbformat.read(russian, as_version=4)
    untranslated = []
    for i, (a, b) in enumerate(zip(en.cells, ru.cells)):
        if a.cell_type != "markdown":
            continue
        words = re.findall(r"[A-Za-z]{3,}", prose(a.source))
        if len(words) >= 3 and cyrillic_share(prose(b.source)) < 0.3:
            untranslated.append(f"cell {i}: {b.source[:60]!r}")
    assert not untranslated, f"{russian.name}: Markdown still in English:\n" + "\n".join(untranslated)
    text = prose("\n".join(c.source for c in ru.cells if c.cell_type == "markdown"))
    share = cyrillic_share(text)
    assert share >= MIN_CYRILLIC_SHARE, f"{russian.name}: only {share:.0%} of the Markdown's letters are Cyrillic"


@pytest.mark.parametrize("russian", ru_paths(), ids=lambda p: p.name)
def test_russian_notebook_has_the_same_bones_in_every_notebook(russian):
    nb = nbformat.read(russian, as_version=4)
    headings = [line.strip() for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
                if line.startswith("## ")]
    positions = [next((i for i, h in enumerate(headings) if h.startswith(b)), None) for b in RU_BONES]
    assert None not in positions, f"{russian.name}: missing one of {RU_BONES}; headings: {headings}"
    assert positions == sorted(positions), f"{russian.name}: sections out of order"


@pytest.mark.parametrize("russian", ru_paths(), ids=lambda p: p.name)
def test_russian_notebook_is_committed_without_outputs(russian):
    raw = assert_committed_without_outputs(russian)
    assert raw["metadata"].get("language_info", {}).get("name", "python") == "python"


_QUOTES = re.compile(r"(?<![\w`])\"[^\"\n`]{2,}\"(?![\w`])")


@pytest.mark.parametrize("russian", ru_paths(), ids=lambda p: p.name)
def test_russian_typography_uses_guillemets(russian):
    # Straight double quotes around Russian words are English typography: «ёлочки» in Russian text.
    nb = nbformat.read(russian, as_version=4)
    bad = [m.group(0) for c in nb.cells if c.cell_type == "markdown" for m in _QUOTES.finditer(prose(c.source))
           if cyrillic_share(m.group(0)) > 0.5]
    assert not bad, f"{russian.name}: use «ёлочки» instead of {bad[:5]}"


_LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]*)?\)")


@pytest.mark.parametrize("russian", ru_paths(), ids=lambda p: p.name)
def test_relative_links_resolve_from_the_russian_folder(russian):
    nb = nbformat.read(russian, as_version=4)
    broken = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for target, _anchor in _LINK.findall(cell.source):
            if re.match(r"[a-z]+:", target):
                continue
            if not (russian.parent / target).exists():
                broken.append(target)
    assert not broken, f"{russian.name}: links that do not resolve from notebooks/ru/: {broken}"


@pytest.mark.notebook
@pytest.mark.parametrize("russian", ru_paths(), ids=lambda p: p.name)
def test_russian_notebook_executes_offline_with_russian_labs_and_self_checks(russian, tmp_path, monkeypatch):
    # As Jupyter does: the kernel learns its notebook's path, and the kit its language from the folder.
    monkeypatch.delenv("LIFECYCLE_KIT_LANG", raising=False)
    monkeypatch.setenv("JPY_SESSION_NAME", str(russian))
    nb, _seconds = execute_notebook(russian, cwd=tmp_path)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    shown = " ".join(str(w.get("state", {}).get(k, "")) for w in state.values()
                     for k in ("value", "description", "options", "_options_labels"))
    if any(c.cell_type == "code" and "SelfCheck(" in c.source for c in nb.cells):
        assert "Вопрос." in shown, f"{russian.name}: the self-checks are not shown in Russian"
        assert "Проверить" in shown, f"{russian.name}: the self-check buttons are not in Russian"
    # What the learner reads in the outputs — printed lines, tables, charts, labs, self-checks — is Russian: the
    # kit says it (code cells are the English edition's), leaving only code, data, names, units and citations
    # (tests/ru_output_scan.py says which, and why).
    from tests.ru_output_scan import scan

    english = scan(nb)
    assert not english, f"{russian.name}: English in the outputs:\n" + "\n".join(f"  {where}: {run!r}"
                                                                              for where, run in english[:40])


_GLOSSARY_LINK = re.compile(r"\[([^\]]+)\]\((?:\.\./)+docs/(ru/)?glossary\.md#([^)\s]+)\)")


def _stems(text):
    # Russian inflects: "подмена меток", "подмену меток" share their first four letters per word.
    return {w[:4] for w in re.findall(r"[а-яёa-z0-9]+", text.lower().replace("ё", "е")) if len(w) >= 3}


@pytest.mark.parametrize("russian", ru_paths(), ids=lambda p: p.name)
def test_glossary_links_lead_to_the_russian_glossary_and_name_its_term(russian):
    # A Russian learner follows a term to its Russian definition (docs/ru/glossary.md), and the link reads as that
    # entry's term (inflected).
    import importlib.util

    from tests.glossary_support import ROOT, parse_glossary

    spec = importlib.util.spec_from_file_location("glossary_ru", ROOT / "tools" / "glossary_ru.py")
    glossary_ru = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(glossary_ru)
    entries = {glossary_ru.russian_anchor(e): e for e in parse_glossary()}
    nb = nbformat.read(russian, as_version=4)
    wrong = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for text, ru, anchor in _GLOSSARY_LINK.findall(cell.source):
            if not ru:
                wrong.append(f"{text!r} links to the English glossary (#{anchor}); link docs/ru/glossary.md")
                continue
            entry = entries.get(anchor)
            if entry is None:
                wrong.append(f"{text!r} links to #{anchor}, which is not an entry of docs/ru/glossary.md")
                continue
            russian_term = re.sub(r"\([^)]*\)", "", entry.russian or "")
            if not _stems(russian_term) & _stems(text) and not _stems(entry.term) & _stems(text):
                wrong.append(f"{text!r} links to {entry.term!r}, whose Russian term is {entry.russian!r}")
    assert not wrong, f"{russian.name}:\n" + "\n".join(wrong)
