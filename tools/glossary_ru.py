"""Write docs/ru/glossary.md: the glossary in two columns, the Russian term and the English one, from docs/glossary.md.

    python tools/glossary_ru.py          # rewrite docs/ru/glossary.md
    python tools/glossary_ru.py --check  # exit 1 if it is out of date with docs/glossary.md

Each row links to the entry of docs/glossary.md, where the definition is; the Russian term is the entry's
``*Русский термин:*`` line (GOST R 71484.2-2024 and GOST R 70889-2023 where they define one). Rows are in Russian
alphabetical order (ё with е), terms written in Latin letters (ADWIN, SHA-256) first.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.glossary_support import parse_glossary  # noqa: E402

TARGET = ROOT / "docs" / "ru" / "glossary.md"

HEADER = """# Глоссарий: русские и английские термины курса

Термины, которые встречаются в блокнотах, лабораторных работах, вопросах для самопроверки и отчётах, в двух
колонках: слева — термин русской версии курса, справа — английский термин, под которым он определён в
[глоссарии](../glossary.md) (по ссылке — определение и блокнот, где термин встречается впервые). Для
характеристик и показателей качества данных русские термины взяты из ГОСТ Р 71484.2-2024 (ИСО/МЭК 5259-2), для
стадий жизненного цикла — из ГОСТ Р 70889-2023 (ИСО/МЭК 8183:2023); там, где стандарт термина не определяет,
приведён устоявшийся русский термин. В скобках — уточнение значения.

Таблица создаётся из `docs/glossary.md` командой `python tools/glossary_ru.py`; тест проверяет, что она не
отстала от английского глоссария.

| Русский термин | English term |
|---|---|
"""


def _key(russian):
    text = russian.lower().replace("ё", "е")
    return (0 if text[:1].isascii() else 1, text)


def render():
    rows = []
    for entry in parse_glossary():
        if not entry.russian:
            raise SystemExit(f"docs/glossary.md: {entry.term!r} has no *Русский термин:* line")
        russian = entry.russian.replace("|", "\\|")
        rows.append((_key(entry.russian), f"| {russian} | [{entry.term}](../glossary.md#{entry.slug}) |"))
    return HEADER + "\n".join(row for _key_, row in sorted(rows)) + "\n"


def main(argv):
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.is_file() else ""
        if current != text:
            print("docs/ru/glossary.md is out of date: run python tools/glossary_ru.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({text.count(chr(10)) - HEADER.count(chr(10))} terms)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
