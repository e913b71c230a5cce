r"""What a Russian learner reads in an executed notebook, and the English left in it.

Shared by tests/test_notebooks_ru.py (which executes every Russian notebook once) and by anyone measuring the
edition by hand (``python -m tests.ru_output_scan executed.ipynb ...`` prints what it finds).

Read: every output a learner sees — printed text, HTML and Markdown (its visible text, charts' SVG text included),
plain text where nothing richer is shown — and every widget: descriptions, options, tooltips, placeholders, the
text of HTML, label and text widgets, and what the labs' Output widgets display.

Not English, and so removed before looking (each with its reason):

- **code**: ``<code>`` and backtick spans, identifiers (a word with ``_``, a digit or a dot inside: ``agency_3``,
  ``Com-ML-1``, ``x1``, ``penguins.csv``; ``CamelCase`` class names; ``name=value``), Python's own names
  (:data:`PYTHON_NAMES`: ``str``, ``bytes``, ``del``, pandas' ``NaN`` and ``NaT``), quoted values (``'N\d+'``, ``«Rain»``, JSON's ``"..."``, a
  ``b'...'`` bytes value), paths (``a/b``), SHA-256 and other hexadecimal digests;
- **the notebook's own code**: text that is a string constant of one of its code cells (``"penguins (raw)"``,
  a role ``"analyst"``), except what a cell passes to ``print`` or writes in an f-string, whose words would be
  English sentences the kit should have said;
- **the data**: the carried datasets' names, column names, category values and card titles and citations, and the
  column names of the capstone's agencies, which are shown as the data has them;
- **names and citations**: :data:`NAMES` (tools, standards, organisations, authors of the course's references),
  acronyms in capitals (PSI, AUC, ROC), references with "et al." and a year;
- **units**: :data:`UNITS`.

What is left, in runs of consecutive Latin words, is English a Russian learner reads.
"""

from __future__ import annotations

import ast
import functools
import html
import re
from html.parser import HTMLParser

# Names that stay in Latin letters in a Russian text (and why): software, standards and organisations, by their
# own names; people cited by the course. A run made only of these is not English prose.
NAMES = (
    "Lifecycle Kit", "JupyterLab", "Jupyter", "Voila", "Python", "pandas", "NumPy", "numpy", "scikit-learn",
    "matplotlib", "ipywidgets", "Chromium",  # software
    "UCI Machine Learning Repository", "UCI", "Palmer Station LTER", "Palmer LTER", "NOAA", "ISLP", "palmerpenguins",
    "vega_datasets", "Capital Bikeshare", "Washington D.C.",  # data sources, as their cards name them
    "CC BY 4.0", "CC0 1.0", "CC BY", "CC0",  # licences
    "NIST SP 800-88 Rev. 1", "NIST SP 800-88", "NIST AI 100-2", "NIST", "OWASP", "MITRE ATLAS", "MITRE",
    "Certificate Transparency", "Bitcoin", "LeftoverLocals", "Rowhammer",  # standards, catalogues, known cases
    "Page-Hinkley", "Kolmogorov", "Smirnov", "Wasserstein", "Jensen", "Shannon", "Kendall", "Krippendorff", "Holm",
    "Bonferroni", "Benjamini", "Hochberg", "Jaro", "Winkler", "Cramér", "Yeom", "Shumailov", "Gerstgrasser",
    "Northcutt", "Gebru", "Kohavi", "Becker", "Mitchell",  # statistics and people by their names
    "UCI Adult", "Adult", "k-NN", "Parquet", "pyarrow", "Pipeline",  # a dataset's, a method's, a format's and a class's names
    "noise",  # the pure-noise column the stage-1 screen adds to the data (a column name learners use in code)
)
# Units and symbols written in Latin letters in Russian scientific text too.
UNITS = ("mm", "cm", "kg", "g", "px", "ms", "KiB", "MiB", "GiB", "KB", "MB", "GB", "Hz", "nats", "bits", "R²")

_SKIP_TAGS = {"style", "script", "code"}
_BREAK_TAGS = {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "td", "th", "text", "title", "table",
               "ul", "ol", "dt", "dd", "summary", "caption"}


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        if tag in _BREAK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        if tag in _BREAK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(fragment: str) -> str:
    """The text a browser shows for an HTML fragment (no styles, scripts or code)."""
    parser = _VisibleText()
    parser.feed(str(fragment))
    return html.unescape("".join(parser.parts))


def _output_texts(output):
    kind = output.get("output_type")
    if kind == "stream":
        yield output.get("text", "")
    elif kind in ("execute_result", "display_data"):
        data = output.get("data", {})
        if "application/vnd.jupyter.widget-view+json" in data:
            return
        if "text/html" in data:
            yield visible_text(data["text/html"])
        elif "text/markdown" in data:
            yield re.sub(r"`[^`]*`", " ", data["text/markdown"])
        elif "text/plain" in data:
            yield data["text/plain"]
    elif kind == "error":
        yield f"{output.get('ename', '')}: {output.get('evalue', '')}"


_WIDGET_TEXT_KEYS = ("description", "tooltip", "placeholder", "_options_labels", "tooltips")
_TEXT_WIDGETS = {"HTMLModel", "HTMLMathModel", "LabelModel", "TextModel", "TextareaModel"}


def learner_texts(nb):
    """(where, text) of everything a learner reads in an executed notebook (nbformat node)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            for text in _output_texts(output):
                yield f"cell {i}", text
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for model_id, widget in state.items():
        name, values = widget.get("model_name", ""), widget.get("state", {})
        where = f"widget {name} {model_id[:8]}"
        for key in _WIDGET_TEXT_KEYS:
            value = values.get(key)
            if isinstance(value, list):
                value = "\n".join(map(str, value))
            if isinstance(value, str) and value:
                yield where, visible_text(value) if name in _TEXT_WIDGETS or key == "description" else value
        if name in _TEXT_WIDGETS and isinstance(values.get("value"), str):
            yield where, visible_text(values["value"]) if name.startswith("HTML") else values["value"]
        if name == "OutputModel":
            for output in values.get("outputs", []):
                for text in _output_texts(output):
                    yield where, text


def code_constants(nb):
    """String constants of a notebook's code cells, except those printed or formatted into f-strings."""
    found = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        excluded = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                excluded.update(id(n) for arg in node.args for n in ast.walk(arg))
            if isinstance(node, ast.JoinedStr):
                excluded.update(id(n) for n in ast.walk(node))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in excluded:
                text = node.value.strip()
                if len(text) >= 2:
                    found.add(text)
    return found


@functools.cache
def data_phrases():
    """The carried datasets' names, columns, category values, card titles and citations."""
    from lifecycle_kit.datasets import get_card, list_datasets, load

    found = set()
    for name in list_datasets()["name"]:
        data = load(name)
        card = get_card(name)
        found.update({name, card["title"], card["citation"], card.get("licence", "")})
        frames = [data.frame] + ([data.target.to_frame()] if data.target is not None else [])
        for frame in frames:
            for column in frame.columns:
                found.add(str(column))
                values = frame[column]
                if values.dtype == object or str(values.dtype) in ("str", "string", "category"):
                    uniques = values.dropna().astype(str).unique()
                    if len(uniques) <= 200:
                        found.update(uniques)
        for value in (card.get("target_names") or {}).values():
            found.add(str(value))
    from lifecycle_kit.platform import agency_sources  # the capstone's agencies write the penguins in their own columns

    for frame in agency_sources(random_state=0).sources.values():
        found.update(str(c) for c in frame.columns)
    return frozenset(p for p in found if p and re.search(r"[A-Za-z]", p))


# Python's and pandas' own names a text about code says (types, an operator); not True, False and None, which a
# reader must see as да, нет, н/д.
PYTHON_NAMES = ("str", "bytes", "bytearray", "memoryview", "int", "float", "bool", "dict", "list", "tuple", "del",
                "len", "NaN", "NaT")


def _python_names():
    return frozenset(PYTHON_NAMES)


@functools.cache
def _citations():
    """The course's two sources' own titles (cited in the original beside the Russian ones)."""
    from lifecycle_kit.course.citations import PAPER_TITLE_EN

    return frozenset({PAPER_TITLE_EN})


_IDENTIFIER = re.compile(r"(?<![\w-])[\w.\-]*[A-Za-z][\w.\-]*(?:[_.\d][\w.\-]*|\(\))(?![\w-])"
                         r"|(?<![\w-])[A-Z][a-z]+[A-Z]\w*|\b\w+=\S+")
_QUOTED = re.compile(r"\"[^\"\n]*\"|b'[^'\n]*'|'[^'\s]+'|«[^«»\s]+»|\b(?:true|false|null)\b")
_PATH = re.compile(r"\S*/\S*")
_HEX = re.compile(r"\b[0-9a-f]{8,}\b")
_CITATION = re.compile(r"(?:[A-Z][\w'\-]+(?: (?:and|&) [A-Z][\w'\-]+)?)?(?: ?et al\.)?,? \(?(?:19|20)\d\d\)?")
# An acronym stands alone or before a Russian word it qualifies ("CSV-файл"), never inside an English compound.
_ACRONYM = re.compile(r"(?<![\w-])[A-Z]{2,6}s?(?!\w)(?!-[A-Za-z])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def _phrase_pattern(phrases):
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not ordered:
        return None
    return re.compile("|".join(r"(?<![\w-])" + re.escape(p) + r"(?![\w-])" for p in ordered))


@functools.cache
def _fixed_phrases():
    return frozenset(set(NAMES) | set(UNITS) | set(data_phrases()) | _python_names() | _citations())


@functools.lru_cache(maxsize=32)
def _allowed_pattern(allowed):
    # One alternation, longest first: a notebook's constant "penguins (raw)" before the dataset's name "penguins",
    # the paper's English title before a constant "data".
    return _phrase_pattern(_fixed_phrases() | allowed)


def english_runs(text: str, *, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Runs of English words left in ``text`` once code, data, names, citations and units are removed.

    ``allowed``: more phrases to remove (a notebook's string constants).

    >>> english_runs("Доля правильных ответов 0,95; policy never, see `code_here` and agency_3.csv")
    ['policy never, see and']
    >>> english_runs("поправка Холма (Holm 1979); CC BY 4.0; 12 mm; PSI = 0,1")
    []
    """
    for pattern in (re.compile(r"`[^`\n]*`"), _QUOTED, _allowed_pattern(frozenset(allowed)), _PATH, _HEX, _CITATION,
                    _IDENTIFIER, _ACRONYM):
        if pattern is not None:  # a removed span leaves a mark, so that what it was part of stays one token
            text = pattern.sub("§", text)
    runs = []
    for line in text.splitlines():
        words = list(_WORD.finditer(line))
        start = end = None
        for word in words:
            if len(word.group(0)) < 2 and word.group(0) not in "aAI":
                continue
            if start is not None and re.fullmatch(r"[\s,;:'’\-()§]*", line[end:word.start()]):
                end = word.end()
                continue
            if start is not None:
                runs.append(line[start:end])
            start, end = word.start(), word.end()
        if start is not None:
            runs.append(line[start:end])
    return [" ".join(r.replace("§", " ").split()) for r in runs if len(r) > 1]


def scan(nb) -> list[tuple[str, str]]:
    """(where, run) of every English run in an executed notebook."""
    allowed = frozenset(code_constants(nb))
    return [(where, run) for where, text in learner_texts(nb) for run in english_runs(text, allowed=allowed)]


if __name__ == "__main__":  # python -m tests.ru_output_scan executed.ipynb ...
    import sys

    import nbformat

    total = 0
    for path in sys.argv[1:]:
        found = scan(nbformat.read(path, as_version=4))
        total += len(found)
        print(f"{path}: {len(found)}")
        for where, run in found:
            print(f"    {where}: {run!r}")
    print(f"total: {total}")
