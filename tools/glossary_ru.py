"""Write docs/ru/glossary.md: the course's glossary in Russian, one entry per entry of docs/glossary.md.

    python tools/glossary_ru.py          # rewrite docs/ru/glossary.md (keeps every Russian definition written)
    python tools/glossary_ru.py --check  # exit 1 if it is out of date, or if a definition is still missing

Each entry's heading is the Russian term (the ``*Русский термин:*`` line of the English glossary: GOST R
71484.2-2024's and GOST R 70889-2023's terms where they define one), its text a Russian definition, and its last
line the English term, linked to the English entry, with the notebook where the term is first used. The Russian
definitions are written here, in docs/ru/glossary.md, and kept when the file is rewritten: an entry is known by
the English entry it links to. A new English entry gets a placeholder that the check (and tests/test_glossary.py)
refuses until it is translated. Entries are in Russian alphabetical order (ё with е), terms written in Latin
letters (ADWIN, SHA-256) first.

The notebooks of the Russian edition link to the Russian entries by their headings' anchors
(:func:`russian_anchor`): ``../../docs/ru/glossary.md#подмена-меток``.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.glossary_support import parse_glossary, slug  # noqa: E402

TARGET = ROOT / "docs" / "ru" / "glossary.md"
PLACEHOLDER = "*Определение ещё не переведено.*"
ENGLISH_LINE = re.compile(r"^\*Английский термин:\* \[[^\]]*\]\(\.\./glossary\.md#([^)\s]+)\)")

HEADER = """# Глоссарий курса

Все термины, которые встречаются в блокнотах, лабораторных работах, вопросах для самопроверки и отчётах курса, с
определением в одну-две фразы. Русские термины характеристик и показателей качества данных — из ГОСТ Р 71484.2-2024
(ИСО/МЭК 5259-2), названия стадий жизненного цикла — из ГОСТ Р 70889-2023 (ИСО/МЭК 8183:2023) и статьи Зацаринного и
Гаврилова; там, где стандарт термина не определяет, приведён устоявшийся русский термин. В конце каждой статьи —
английский термин со ссылкой на английский [глоссарий](../glossary.md) и блокнот, где термин встречается впервые.

Глоссарий собирается командой `python tools/glossary_ru.py` из английского глоссария и определений, записанных
здесь; тест проверяет, что ни одна статья не пропущена и не осталась без определения.
"""


def heading(russian):
    """The entry's heading: the Russian term with a capital first letter (``подмена меток`` -> ``Подмена меток``)."""
    return russian[:1].upper() + russian[1:]


def russian_anchor(entry):
    """The anchor of an English glossary entry's Russian entry (its heading's slug, as GitHub and MyST make it)."""
    return slug(heading(entry.russian))


def _key(russian):
    text = russian.lower().replace("ё", "е")
    return (0 if text[:1].isascii() else 1, text)


def written_definitions(path=TARGET):
    """{English slug: Russian definition} of the entries already written in docs/ru/glossary.md."""
    if not Path(path).is_file():
        return {}
    found = {}
    for block in re.split(r"\n(?=### )", Path(path).read_text(encoding="utf-8")):
        if not block.startswith("### "):
            continue
        lines = block.strip().splitlines()[1:]
        english = next((ENGLISH_LINE.match(line) for line in lines if ENGLISH_LINE.match(line)), None)
        if english:
            text = "\n".join(line for line in lines if line.strip() and not ENGLISH_LINE.match(line)).strip()
            found[english.group(1)] = text
    return found


def render(definitions=None):
    definitions = written_definitions() if definitions is None else definitions
    blocks = []
    for entry in parse_glossary():
        if not entry.russian:
            raise SystemExit(f"docs/glossary.md: {entry.term!r} has no *Русский термин:* line")
        text = definitions.get(entry.slug) or PLACEHOLDER
        first = f" Впервые встречается в блокноте `{entry.first_used}`." if entry.first_used else ""
        english = f"*Английский термин:* [{entry.term}](../glossary.md#{entry.slug}).{first}"
        blocks.append((_key(entry.russian), f"### {heading(entry.russian)}\n\n{text}\n\n{english}\n"))
    return HEADER + "\n" + "\n".join(block for _key_, block in sorted(blocks))


def main(argv):
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.is_file() else ""
        if current != text:
            print("docs/ru/glossary.md is out of date: run python tools/glossary_ru.py", file=sys.stderr)
            return 1
        if PLACEHOLDER in text:
            print(f"docs/ru/glossary.md: {text.count(PLACEHOLDER)} entries have no Russian definition yet",
                  file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({text.count('### ')} terms, {text.count(PLACEHOLDER)} without a definition)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
