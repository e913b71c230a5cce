"""The course quotes its two sources in their own words, and cites them the same way everywhere.

How a quotation is recognised — one form per edition, so that none can be skipped silently:

- **Russian edition** (``notebooks/ru/``): a quotation of the paper is a «…» span immediately followed (spaces,
  line breaks and blockquote ``>`` marks allowed in between) by an attribution in parentheses that starts with
  ``Зацаринный и Гаврилов,`` and names where it comes from: ``стадия N`` (optionally with the stage's name),
  ``раздел N`` or ``заключение``. For example::

      «Как правило, к таким характеристикам в первую очередь относятся релевантность, репрезентативность и
      актуальность.» (Зацаринный и Гаврилов, стадия 4 «Комплектование наборов данных»)

  Inside a quotation, an omission is written ``[…]``; a quote inside the quotation uses „…“ (never a second
  «…», so spans cannot nest). The quotation must be found verbatim in that stage's (section's) text of the
  paper, after normalising both: ``ё`` to ``е``, blockquote and list markers and ``*`` removed, every kind of
  quotation mark made one, whitespace collapsed.
- **English edition** (``notebooks/``): the translation of each quotation carries the attribution
  ``(Zatsarinny and Gavrilov, stage N; our translation)`` (or ``section N`` / ``conclusion``), and a notebook
  has the same attributions, in the same order, as its Russian edition.
- **Nothing else may quote the paper unattributed**: any «…» span of five words or more in the Russian edition
  that shares a run of five words with the paper's text but carries no attribution fails the test.
- **The article** is quoted in its original characters inside 「…」 (both editions, with a translation beside
  it); each such span must be found in the article's text once its pinyin glosses are removed.

The source texts live outside the repository, in ``shared/reference/sources/`` beside the clone (CI) or beside
the folder of worktrees (a helper's worktree), or wherever ``LIFECYCLE_KIT_SOURCES`` points; the tests that need
them are skipped when they are absent, as the chart schema test is.
"""

import os
import re
from pathlib import Path

import nbformat
import pytest

from lifecycle_kit.course.citations import ARTICLE, ARTICLE_RU, PAPER, PAPER_RU, PAPER_TITLE_EN, PAPER_TITLE_RU
from lifecycle_kit.course.stages import list_stages

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
RU = NOTEBOOKS / "ru"


def _sources_dir():
    if os.environ.get("LIFECYCLE_KIT_SOURCES"):
        return Path(os.environ["LIFECYCLE_KIT_SOURCES"])
    for folder in ROOT.parents[:3]:
        candidate = folder / "shared" / "reference" / "sources"
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "reference" / "sources"


SOURCES = _sources_dir()
PAPER_FILE = SOURCES / "zatsarinny-gavrilov-paper.ru.md"
ARTICLE_FILE = SOURCES / "shandong-data-policing-2019.zh.md"

# Between the words of an attribution: spaces, or a line break inside a blockquote ("> ").
_GAP = r"[\s>]+"
RU_QUOTE = re.compile(rf"«(?P<quote>[^«»]+)»(?P<gap>[\s>]*)\(Зацаринный{_GAP}и{_GAP}Гаврилов,{_GAP}"
                      rf"(?P<where>стадия{_GAP}(?P<stage>\d+)|раздел{_GAP}(?P<section>\d+)|заключение)[^)]*\)")
EN_ATTRIBUTION = re.compile(rf"\(Zatsarinny{_GAP}and{_GAP}Gavrilov,{_GAP}(?P<where>stage{_GAP}(?P<stage>\d+)|"
                            rf"section{_GAP}(?P<section>\d+)|conclusion)[^()]*?;{_GAP}our{_GAP}translation\)")
GUILLEMET_SPAN = re.compile(r"«([^«»]+)»")
ARTICLE_SPAN = re.compile(r"「([^「」]+)」")
OMISSION = re.compile(r"\[(?:…|\.\.\.)\]")
# What the test requires at the least (issue #21): (notebook, where, words the quotation holds).
REQUIRED = [
    ("01_conception", "стадия 1", "какие данные потребуются для решения заданной функциональной задачи"),
    ("01_conception", "стадия 1", "перечень источников, из которых они могут быть получены"),
    ("01_conception", "стадия 1", "какие источники являются доверенными"),
    ("01_conception", "стадия 1", "организационно-технические решения необходимы"),
    ("04_data_acquisition", "стадия 4", "релевантность, репрезентативность и актуальность"),
    ("04_data_acquisition", "стадия 4", "своевременность, связанная со скоростью передачи данных"),
    ("05_data_preparation", "стадия 5", "в формате первичных данных"),
    ("05_data_preparation", "стадия 5", "пожалуй, наибольший вклад"),
    ("05_data_preparation", "стадия 5", "как в предметной области"),
    ("05_data_preparation", "стадия 5", "независимой вспомогательной ИНС"),
    ("06_model_building", "стадия 6", "До построения модели целесообразно"),
    ("09_data_decommissioning", "стадия 9", "было бы полезно"),
    ("10_system_decommissioning", "стадия 10", "беспилотный транспорт"),
    ("10_system_decommissioning", "стадия 10", "особенно для высокопроизводительных вычислительных систем"),
    ("00_start_here", "раздел 1", "функциональной безопасности"),
]


def normalise(text):
    """The text as compared: ё as е, Markdown quote/list marks and * removed, one quotation mark, one space."""
    text = text.replace("ё", "е").replace("Ё", "Е")
    text = re.sub(r"^[ \t]*>[ \t]?", "", text, flags=re.M)
    text = re.sub(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", "", text, flags=re.M)
    text = text.replace("*", "")
    text = re.sub(r"[«»„“”\"]", '"', text)
    return re.sub(r"\s+", " ", text).strip()


def paper_parts(text):
    """{"стадия 4": text, "раздел 1": text, "заключение": text, "body": text} of the paper."""
    parts, current, lines = {}, None, []
    for line in text.splitlines():
        if re.match(r"#{2,4}\s", line):
            if current:
                parts[current] = parts.get(current, "") + "\n".join(lines)
            heading = line.replace("*", "")
            stage = re.search(r"Стадия (\d+)\.", heading)
            section = re.match(r"#+\s+(\d+)\.", heading)
            current = (f"стадия {stage.group(1)}" if stage else f"раздел {section.group(1)}" if section
                       else "заключение" if "Заключение" in heading else "другое")
            lines = []
        else:
            lines.append(line)
    if current:
        parts[current] = parts.get(current, "") + "\n".join(lines)
    body = text.split("## Список литературы")[0]
    return {key: normalise(value) for key, value in parts.items()} | {"body": normalise(body)}


def found_in_order(quote, text):
    """Whether every fragment of the quotation (split at its […] omissions) is in the text, in order."""
    position = 0
    for fragment in OMISSION.split(quote):
        fragment = normalise(fragment).strip(" ,;:")
        if not fragment:
            continue
        at = text.find(fragment, position)
        if at < 0:
            return False
        position = at + len(fragment)
    return True


def markdown_cells(path):
    nb = nbformat.read(path, as_version=4)
    return [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "markdown"]


def ru_quotations(path):
    """[(cell, where, quote)] of the paper's quotations in a Russian notebook, in order."""
    found = []
    for i, source in markdown_cells(path):
        for m in RU_QUOTE.finditer(source):
            found.append((i, " ".join(m.group("where").split()), m.group("quote")))
    return found


def en_attributions(path):
    found = []
    for i, source in markdown_cells(path):
        for m in EN_ATTRIBUTION.finditer(source):
            where = " ".join(m.group("where").split())
            found.append(where.replace("stage", "стадия").replace("section", "раздел").replace("conclusion",
                                                                                              "заключение"))
    return found


def ru_paths():
    return sorted(RU.glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def paper():
    if not PAPER_FILE.is_file():
        pytest.skip(f"the paper is not at {PAPER_FILE} (shared/reference/sources is beside the repository, or set "
                    "LIFECYCLE_KIT_SOURCES)")
    return paper_parts(PAPER_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def article():
    if not ARTICLE_FILE.is_file():
        pytest.skip(f"the article is not at {ARTICLE_FILE}")
    text = ARTICLE_FILE.read_text(encoding="utf-8")
    text = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", text)  # the pinyin glosses after characters
    return _article_normalise(text)


def _article_normalise(text):
    table = str.maketrans({"，": ",", "：": ":", "；": ";", "“": '"', "”": '"', "「": "", "」": ""})
    return re.sub(r"\s+", "", text.translate(table))


# --- the recognisers themselves: they must find what they are meant to find, and nothing else -------------------

def test_the_recogniser_finds_quotations_in_their_form_and_only_there():
    text = ("Авторы пишут: «Первая фраза статьи, довольно длинная.» (Зацаринный и Гаврилов, стадия 4 «Комплектование "
            "наборов данных»). А вот «Замысел» — название стадии, не цитата.\n\n"
            "> «Цитата в блоке\n> на две строки […] с пропуском»\n> (Зацаринный и Гаврилов, раздел 1)")
    found = [(" ".join(m.group("where").split()), normalise(m.group("quote"))) for m in RU_QUOTE.finditer(text)]
    assert found == [("стадия 4", "Первая фраза статьи, довольно длинная."),
                     ("раздел 1", "Цитата в блоке на две строки […] с пропуском")]
    english = "\"Some words\" (Zatsarinny and Gavrilov, stage 4; our translation) and (Zatsarinny and Gavrilov)"
    assert [m.group("where") for m in EN_ATTRIBUTION.finditer(english)] == ["stage 4"]


def test_normalising_and_omissions():
    assert normalise("«Ёлка»\n> - пункт;\n  **жирно**") == '"Елка" пункт; жирно'
    assert found_in_order("начало […] конец", "начало, середина и конец")
    assert not found_in_order("конец […] начало", "начало, середина и конец")


# --- the paper -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ru_paths(), ids=lambda p: p.name)
def test_every_quotation_of_the_paper_is_verbatim_and_from_the_stage_it_names(path, paper):
    wrong = []
    for cell, where, quote in ru_quotations(path):
        if where not in paper:
            wrong.append(f"cell {cell}: the paper has no part {where!r}")
        elif not found_in_order(quote, paper[where]):
            elsewhere = [k for k, v in paper.items() if k not in ("body", where) and found_in_order(quote, v)]
            wrong.append(f"cell {cell}, {where}: «{quote[:70]}…» is not the paper's text"
                         + (f" (it is in {elsewhere[0]})" if elsewhere else ""))
    assert not wrong, f"{path.name}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", ru_paths(), ids=lambda p: p.name)
def test_no_quotation_of_the_paper_goes_unattributed(path, paper):
    body = paper["body"].split()
    shingles = {" ".join(body[i:i + 5]) for i in range(len(body) - 4)}
    # Names, not quotations: the paper's title, and the stage names it shares with GOST R 70889-2023.
    names = {normalise(PAPER_TITLE_RU)} | {normalise(s.gost_name) for s in list_stages(include_capstone=False)}
    problems = []
    for cell, source in markdown_cells(path):
        depth = 0
        for ch in source:
            depth += (ch == "«") - (ch == "»")
            if depth > 1:
                problems.append(f"cell {cell}: «…» inside «…» — quote inside a quotation with „…“")
                break
        attributed = {m.start() for m in RU_QUOTE.finditer(source)}
        for m in GUILLEMET_SPAN.finditer(source):
            words = normalise(m.group(1)).split()
            if m.start() in attributed or len(words) < 5 or normalise(m.group(1)) in names:
                continue
            if any(" ".join(words[i:i + 5]) in shingles for i in range(len(words) - 4)):
                problems.append(f"cell {cell}: «{m.group(1)[:60]}…» quotes the paper without "
                                "(Зацаринный и Гаврилов, стадия N)")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("notebook, where, words", REQUIRED, ids=lambda v: str(v)[:30])
def test_the_required_quotations_are_there(notebook, where, words):
    quotes = [normalise(q) for _cell, w, q in ru_quotations(RU / f"{notebook}.ipynb") if w == where]
    assert any(normalise(words) in q for q in quotes), (
        f"{notebook} (Russian edition) should quote the paper's {where} on «{words}» in the recognised form")


@pytest.mark.parametrize("path", ru_paths(), ids=lambda p: p.name)
def test_the_english_edition_translates_the_same_quotations_and_says_so(path):
    russian = [where for _cell, where, _quote in ru_quotations(path)]
    english = en_attributions(NOTEBOOKS / path.name)
    assert english == russian, (f"{path.name}: the English edition's '(Zatsarinny and Gavrilov, stage N; our "
                                f"translation)' marks {english} must match the Russian quotations {russian}")


def test_the_paper_keeps_its_hedges_in_both_editions():
    # The paper recommends, it does not require: its hedges survive the quotation.
    for hedge, notebook in [("пожалуй", "05_data_preparation"), ("целесообразно", "06_model_building"),
                            ("было бы полезно", "09_data_decommissioning"), ("Представляется", "01_conception")]:
        quotes = " ".join(q for _c, _w, q in ru_quotations(RU / f"{notebook}.ipynb"))
        assert hedge in quotes, f"{notebook}: the quotation lost the paper's «{hedge}»"
    for hedge, notebook in [("perhaps", "05_data_preparation"), ("advisable", "06_model_building"),
                            ("would be useful", "09_data_decommissioning"), ("It appears", "01_conception")]:
        text = "\n".join(s for _i, s in markdown_cells(NOTEBOOKS / f"{notebook}.ipynb"))
        assert hedge in text, f"{notebook}: the translation lost the hedge ({hedge!r})"


# --- the article ---------------------------------------------------------------------------------------------------

def _article_quotes():
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) + ru_paths():
        for cell, source in markdown_cells(path):
            for m in ARTICLE_SPAN.finditer(source):
                yield path, cell, m.group(1)


def test_the_article_is_quoted_in_its_own_characters(article):
    quotes = list(_article_quotes())
    assert len(quotes) >= 6, "the capstone quotes the article (Weifang's rule, Binzhou's loop, the results...)"
    wrong = [f"{p.parent.name}/{p.name}, cell {c}: 「{q}」" for p, c, q in quotes if _article_normalise(q) not in article]
    assert not wrong, "not the article's text:\n" + "\n".join(wrong)


# --- citations -----------------------------------------------------------------------------------------------------

def test_the_citations_name_authors_both_titles_date_and_cities():
    for citation in (PAPER, PAPER_RU):
        assert PAPER_TITLE_RU in citation and PAPER_TITLE_EN in citation
    assert PAPER.startswith("Zatsarinny A.A., Gavrilov V.E.") and PAPER_RU.startswith("Зацаринный А.А., Гаврилов В.Е.")
    assert "2019-03-22" in ARTICLE and "22.03.2019" in ARTICLE_RU
    for city in ("Yantai", "Weifang", "Binzhou"):
        assert city in ARTICLE
    for city in ("Яньта", "Вэйфан", "Биньчжоу"):
        assert city in ARTICLE_RU


def test_the_title_of_our_own_translation_is_gone():
    # The course used to cite the paper by a translation of ours; it cites the paper's own English title now.
    stale = "Systems-engineering approaches to ensuring"
    places = [p for p in [*NOTEBOOKS.glob("**/*.ipynb"), *ROOT.glob("docs/**/*.md"), ROOT / "README.md",
                          *ROOT.glob("lifecycle_kit/**/*.py"), *ROOT.glob("lifecycle_kit/locale/**/*.po")]
              if stale in p.read_text(encoding="utf-8")]
    assert not places, f"still cites the paper by our translation of its title: {places}"


@pytest.mark.parametrize("path", [NOTEBOOKS / "00_start_here.ipynb", RU / "00_start_here.ipynb", ROOT / "README.md",
                                  ROOT / "docs" / "index.md", ROOT / "docs" / "ru" / "index.md",
                                  ROOT / "docs" / "glossary.md"], ids=lambda p: str(p.relative_to(ROOT)))
def test_the_paper_is_cited_by_both_titles_where_the_course_introduces_it(path):
    text = re.sub(r"\s+", " ", path.read_text(encoding="utf-8").replace("\\n\",\n    \"", " "))
    assert PAPER_TITLE_EN in text and PAPER_TITLE_RU in text, f"{path.name}: cite both of the paper's titles"
