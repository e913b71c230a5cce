"""The Russian edition's terms: GOST R 70889-2023's stage names and one term per concept, everywhere a learner reads.

Where: the Markdown of ``notebooks/ru/``, the Russian translations of the catalog, and ``docs/ru/`` (the translation
notes themselves excepted: they list the variants). What is read is prose: code spans and blocks, link targets,
URLs, HTML tags and quotations of the paper (its words are the paper's, whatever they are) are left out.

- **Stage names.** Every mention of a stage — a notebook's title ``# Стадия N. Name``, ``стадия N «Name»``,
  ``стадии «Name»``, ``на стадии <name in the genitive>`` — names it as GOST R 70889-2023 and the paper do
  (:attr:`lifecycle_kit.course.stages.Stage.gost_name`); the names the edition used before (``формирование
  идеи``, ``бизнес-требования``, ``планирование данных``, ``получение данных`` as a stage, ...) are refused.
- **Terms.** docs/ru/translation_notes.md keeps the term table; every variant it rules out, written in «ёлочки» in
  its third column («…» at a word's end: any ending), is refused. «переобучение» is allowed only where the text is
  about overfitting; every text that says «коллапс модели» also gives the paper's «деградация модели ИИ».
"""

import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from lifecycle_kit.course.stages import list_stages
from tests.test_sources_quotes import RU_QUOTE

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "docs" / "ru" / "translation_notes.md"
CATALOG = ROOT / "lifecycle_kit" / "locale" / "ru" / "LC_MESSAGES" / "lifecycle_kit.po"
STAGES = {s.number: s.gost_name for s in list_stages(include_capstone=False)}

_NOT_PROSE = [re.compile(r"```.*?```", re.S), RU_QUOTE, re.compile(r"`[^`\n]*`"), re.compile(r"\]\([^)]*\)"),
              re.compile(r"https?://\S+"), re.compile(r"<[^>]+>")]


def prose(text):
    # The Russian glossary names each entry's English term, in English: not prose to check.
    text = re.sub(r"^\*Английский термин:\*.*$", " ", text, flags=re.M)
    for pattern in _NOT_PROSE:
        text = pattern.sub(" ", text)
    return text


def _texts():
    """(where, text, context) of every Russian text; ``context`` is what the text translates or links (English)."""
    for path in sorted((ROOT / "notebooks" / "ru").glob("[0-9][0-9]_*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "markdown":
                source = "".join(cell["source"])
                yield f"{path.name}, cell {i}", prose(source), source
    for path in sorted((ROOT / "docs" / "ru").glob("*.md")):
        if path == NOTES:
            continue
        # The glossary entry by entry (its English term tells what it is about), the guides paragraph by paragraph.
        parts = re.split(r"\n(?=### )", path.read_text(encoding="utf-8")) if path.name == "glossary.md" else \
            path.read_text(encoding="utf-8").split("\n\n")
        for k, part in enumerate(parts):
            yield f"docs/ru/{path.name}, part {k}", prose(part), part
    with open(CATALOG, "rb") as handle:
        for message in read_po(handle):
            if message.id:
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                yield f"catalog {msgid[:50]!r}", " ".join(s for s in strings if s), msgid


def _norm(text):
    return text.replace("ё", "е").replace("Ё", "Е")


def _pattern(variant):
    """A variant of the table as a regex: words in order, «…» at a word's end for any ending, ё = е."""
    words = []
    for word in _norm(variant).split():
        stem = word.endswith("…")
        word = re.escape(word.rstrip("…"))
        words.append(word + (r"\w*" if stem else ""))
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + (r"" if variant.endswith("…") else r"(?!\w)"), re.I)


def ruled_out():
    """{variant: pattern} of the «…» variants in the third column of the translation notes' term table."""
    text = NOTES.read_text(encoding="utf-8")
    table = text[text.index("## Термины"):]
    table = table[:table.index("\n## ", 1)] if "\n## " in table[1:] else table
    found = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and not set(cells[0]) <= {"-"}:
            for variant in re.findall(r"«([^«»]+)»", cells[2]):
                found[variant] = _pattern(variant)
    return found


def test_the_term_table_rules_out_the_variants_the_issue_names():
    variants = ruled_out()
    for needed in ("переобуч…", "элемент… хранения", "чувствительност… данных", "ISO/IEC", "вывод… членства",
                   "ковариатн… дрейф…", "парти…", "точность модели", "KS", "ведени… сведений о происхождени…"):
        assert needed in variants, f"the term table no longer rules out {needed!r}"
    assert _pattern("переобуч…").search("политика переобучения") and not _pattern("KS").search("КС")
    assert _pattern("элемент… хранения").search("элементы хранения") and _pattern("парти…").search("партии различимы")


# «переобучение» is the term for overfitting: allowed where the text is about it (says "overfitting", links to the
# glossary's entry on it); «переобученная модель» (overfitted) is never a retrained one (that is «дообученная»).
_OVERFITTING = re.compile(r"overfit|glossary\.md#переобучение\)", re.I)
_OVERFITTED = re.compile(r"переобученн\w*", re.I)


def test_no_variant_the_term_table_rules_out():
    variants = ruled_out()
    problems = []
    for where, text, context in _texts():
        normal = _norm(text)
        for variant, pattern in variants.items():
            for match in pattern.finditer(normal):
                if variant.startswith("переобуч") and (_OVERFITTED.fullmatch(match.group(0))
                                                      or _OVERFITTING.search(context + " " + text)):
                    continue
                problems.append(f"{where}: «{match.group(0)}» (the term table rules out «{variant}»)")
    assert not problems, f"{len(problems)} ruled-out variants:\n" + "\n".join(problems[:60])


def test_model_collapse_is_also_named_with_the_papers_term():
    missing = []
    by_file = {}
    for where, text, _context in _texts():
        key = where.split(",")[0]
        by_file.setdefault(key, []).append(_norm(text))
    for key, texts in by_file.items():
        joined = " ".join(texts)
        if key.startswith("catalog"):
            if re.search(r"коллапс\w* модели", joined, re.I) and not re.search(r"деградац\w* модели ИИ", joined):
                missing.append(key)
        elif re.search(r"коллапс\w* модели", joined, re.I) and not re.search(r"деградац\w* модели ИИ", joined):
            missing.append(key)
    assert not missing, "says «коллапс модели» but never the paper's «деградация модели ИИ»: " + ", ".join(missing)


# --- stage names -----------------------------------------------------------------------------------------------

# The names used before, as stage names: refused wherever they stand.
OLD_NAMES = [r"формировани\w* идеи", r"бизнес-требовани\w*", r"планировани\w* данных"]
# How each stage's name reads in the genitive ("на стадии подготовки наборов данных"), from its name.
_GENITIVE = {1: "замысла", 2: "формирования деловых требований", 3: "планирования работы с данными",
             4: "комплектования наборов данных", 5: "подготовки наборов данных", 6: "построения модели ии",
             7: "развертывания системы ии", 8: "эксплуатации системы ии", 9: "вывода данных из эксплуатации",
             10: "вывода системы ии из эксплуатации"}
# The first words of a stage's name, nominative or genitive (what a mention after "стадия" starts with).
_STARTS = {n: (_norm(name).split()[0].lower()[:7], _GENITIVE[n].split()[0][:7]) for n, name in STAGES.items()}


def stage_mentions(text):
    """(stage number or None, the name as written) of every stage mention in a prose text."""
    text = _norm(text)
    # "# Стадия 4. Name: ..." (a notebook's title, as the paper's headings)
    for m in re.finditer(r"^#+ Стадия (\d+)\. ([^:\n]+)", text, re.M):
        yield int(m.group(1)), m.group(2).strip()
    # "стадия 4 «Name»", "стадии 4 «Name»", "стадию «Name»"
    for m in re.finditer(r"стади\w*(?:\s+(\d+))?\s+«([^«»]+)»", text, re.I):
        yield (int(m.group(1)) if m.group(1) else None), m.group(2).strip()
    # "на стадии комплектования наборов данных" (one stage, its name in the genitive, no number)
    for m in re.finditer(r"стади(?:я|и|ю|ей)\s+([а-я][а-я\- ]+)", text, re.I):
        words = m.group(1).lower()
        for number, (nominative, genitive) in _STARTS.items():
            if words.startswith(genitive) and number != 1:
                yield number, words[:len(_GENITIVE[number]) + 12]


def _name_ok(number, written):
    written = re.sub(r"\s+", " ", written.strip().rstrip(".,;)").lower())
    expected = [_norm(STAGES[n]).lower() for n in ([number] if number else STAGES)]
    genitive = [_GENITIVE[n] for n in ([number] if number else STAGES)]
    return any(written.startswith(e) for e in expected + genitive)


def test_stage_mentions_use_the_names_of_gost_r_70889():
    problems = []
    for where, text, _context in _texts():
        if where.startswith("catalog"):
            continue  # the catalog's stage names are checked exactly below
        for number, written in stage_mentions(text):
            if not _name_ok(number, written):
                problems.append(f"{where}: stage {number or '?'} named «{written}»")
        for old in OLD_NAMES:
            for m in re.finditer(old, _norm(text), re.I):
                problems.append(f"{where}: «{m.group(0)}» is not a stage name of GOST R 70889-2023")
    assert not problems, f"{len(problems)} stage names to correct:\n" + "\n".join(problems[:60])


def test_every_russian_notebook_title_names_its_stage_as_the_standard_does():
    for stage in list_stages(include_capstone=False):
        path = ROOT / "notebooks" / "ru" / stage.notebook
        title = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"]).splitlines()[0]
        assert title.startswith(f"# Стадия {stage.number}. {stage.gost_name}:"), (stage.notebook, title)


def test_the_catalog_says_every_stage_name_as_the_standard_does():
    from lifecycle_kit.i18n import _

    for stage in list_stages(include_capstone=False):
        assert _(stage.name, lang="ru") == stage.gost_name, stage.name
    with open(CATALOG, "rb") as handle:
        catalog = read_po(handle)
    problems = []
    for message in catalog:
        text = _norm(message.string if isinstance(message.string, str) else " ".join(message.string or ()))
        for old in OLD_NAMES:
            if re.search(old, text, re.I):
                problems.append(f"{message.id!r}: {re.search(old, text, re.I).group(0)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("text, ok", [
    ("# Стадия 4. Комплектование наборов данных: доверие", True),
    ("# Стадия 4 — получение данных: доверие", True),  # not the title form: the title test catches it
    ("на стадии 4 «Получение данных»", False),
    ("стадия 6 «Построение модели ИИ»", True),
    ("стадия 6 «Построение модели»", False),
    ("на стадии подготовки наборов данных", True),
    ("на стадии подготовки данных", False),
    ("уже на стадии построения модели ИИ", True),
    ("на стадии построения модели", False),
])
def test_the_stage_name_check_tells_right_from_wrong(text, ok):
    assert all(_name_ok(n, w) for n, w in stage_mentions(text)) == ok
