"""The glossary (docs/glossary.md): parse it, find the terms learners meet, and where each is first used.

Shared by tests/test_glossary.py and tools/glossary_first_use.py (which rewrites the "First used in" lines).

Glossary format: one ``### Term`` heading per entry (alphabetical), one or two plain sentences, an optional
``*Русский термин:* ...`` line (the term of the Russian edition), an optional ``*Also:* alias, alias`` line (other
spellings the term detector accepts), and ``*First used in:* NN_name``.
"""

import ast
import importlib
import inspect
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary.md"
NOTEBOOKS = ROOT / "notebooks"
LABS = ROOT / "lifecycle_kit" / "labs"

# An acronym-like token: two or more capitals or digits (PSI, AUC, KS, F1, CC0), optionally joined by hyphens
# (SHA-256, AES-256-GCM), or a capitalised word with digits (Ed25519).
ACRONYM = re.compile(r"(?<![\w/.-])(?:[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*|[A-Z][a-z]+\d+[A-Za-z0-9]*)(?![\w/-]|\.\w)")
# Identifiers of catalogue entries (OWASP ML02, MITRE M0014, T0020) are not terms: the catalogue is.
CATALOGUE_ID = re.compile(r"[A-Z]{1,3}\d{2,}")
RUSSIAN_LABEL = "*Русский термин:*"
BOLD = re.compile(r"\*\*([^*\n][^*]*?)\*\*")


def slug(heading):
    """GitHub's anchor of a heading: lower case, spaces to '-', only letters, digits, '-' and '_' kept.

    >>> slug("Kendall's W"), slug("SHA-256"), slug("Population stability index (PSI)")
    ('kendalls-w', 'sha-256', 'population-stability-index-psi')
    """
    text = heading.strip().lower().replace(" ", "-")
    return "".join(ch for ch in text if ch.isalnum() or ch in "-_")


def normalise(term):
    """Lower case, apostrophes and punctuation dropped, each word naively singular ('sources' -> 'source')."""
    words = re.sub(r"[’'`\"]", "", term.lower())
    words = re.sub(r"[^\w\s/.+-]", " ", words).split()
    out = []
    for w in words:
        if len(w) > 3 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss") and not w.endswith("us"):
            w = w[:-1]
        out.append(w)
    return " ".join(out)


@dataclass
class Entry:
    term: str
    text: str = ""
    aliases: list = field(default_factory=list)
    first_used: str = None
    line: int = 0
    russian: str = None

    @property
    def slug(self):
        return slug(self.term)

    def names(self):
        """The heading, the heading without its parenthesised qualifier, an acronym in parentheses, the aliases."""
        names = [self.term]
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", self.term).strip()
        if bare != self.term:
            names.append(bare)
            inner = re.search(r"\(([^)]*)\)\s*$", self.term).group(1)
            if ACRONYM.fullmatch(inner) or re.fullmatch(r"k-NN", inner):
                names.append(inner)
        return names + self.aliases


def parse_glossary(path=GLOSSARY):
    """The entries of the glossary, in file order."""
    entries = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("### "):
            entries.append(Entry(line[4:].strip(), line=number))
        elif entries and line.startswith("*Also:*"):
            entries[-1].aliases = [a.strip() for a in line[len("*Also:*"):].split(",") if a.strip()]
        elif entries and line.startswith(RUSSIAN_LABEL):
            entries[-1].russian = line[len(RUSSIAN_LABEL):].strip()
        elif entries and line.startswith("*First used in:*"):
            entries[-1].first_used = line[len("*First used in:*"):].strip()
        elif entries and line.strip() and not line.startswith("#"):
            entries[-1].text += line.strip() + " "
    return entries


def notebook_names():
    return [p.stem for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))]


def _string_constants(source):
    return [n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _lab_modules():
    from lifecycle_kit.labs import _LABS

    return _LABS


def selfcheck_texts(notebook):
    from lifecycle_kit.course.selfchecks import _MODULES

    if notebook not in _MODULES:
        return []
    module = importlib.import_module(f"lifecycle_kit.course.selfchecks.{_MODULES[notebook]}")
    return _string_constants(inspect.getsource(module))


def lab_texts(lab_class):
    """The string constants of the module that defines a lab (titles, intros, control labels, summaries)."""
    module = _lab_modules().get(lab_class)
    if module is None:
        return []
    return _string_constants((LABS / f"{module}.py").read_text(encoding="utf-8"))


def notebook_corpus(notebook):
    """What a learner reads in one notebook: its cells, its self-checks and the labs it opens.

    Returns ``[(where, text)]``; ``where`` is ``"markdown"``, ``"code"``, ``"self-check"`` or ``"lab <Name>"``.
    """
    nb = nbformat.read(NOTEBOOKS / f"{notebook}.ipynb", as_version=4)
    parts = [(c.cell_type, c.source) for c in nb.cells if c.cell_type in ("markdown", "code")]
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    parts += [("self-check", t) for t in selfcheck_texts(notebook)]
    for lab in _lab_modules():
        if lab not in ("Lab",) and re.search(rf"\b{lab}\s*\(", code):
            parts += [(f"lab {lab}", t) for t in lab_texts(lab)]
    return parts


def _pattern(name):
    flags = 0 if ACRONYM.fullmatch(name) or name.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?:e?s)?(?![\w-])", flags)


_IMPORT = re.compile(r"from lifecycle_kit((?:\.\w+)*) import|import lifecycle_kit((?:\.\w+)*)")


def _displayed_strings(path):
    """String constants of a module that are not docstrings: what its functions can put in front of a learner."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def _module_files(dotted):
    from lifecycle_kit import _moved_to

    moved = _moved_to(f"lifecycle_kit{dotted}")  # notebooks import the course's modules by their short names
    if moved:
        dotted = moved.removeprefix("lifecycle_kit")
    base = ROOT / "lifecycle_kit" / Path(*dotted.strip(".").split(".")) if dotted.strip(".") else ROOT / "lifecycle_kit"
    if base.is_dir():
        return sorted(base.glob("*.py"))
    return [base.with_suffix(".py")] if base.with_suffix(".py").exists() else []


def core_corpus(notebook):
    """Second tier: what the core modules a notebook (and its labs) import can display: their non-docstring strings."""
    nb = nbformat.read(NOTEBOOKS / f"{notebook}.ipynb", as_version=4)
    sources = ["\n".join(c.source for c in nb.cells if c.cell_type == "code")]
    for lab in _lab_modules():
        if lab != "Lab" and re.search(rf"\b{lab}\s*\(", sources[0]):
            sources.append((LABS / f"{_lab_modules()[lab]}.py").read_text(encoding="utf-8"))
    files = set()
    for source in sources:
        for a, b in _IMPORT.findall(source):
            dotted = a or b
            if dotted.startswith((".labs", ".selfchecks", ".course.selfchecks")):
                continue
            files.update(_module_files(dotted))
    return [(f"core {f.stem}", t) for f in sorted(files) for t in _displayed_strings(f)]


def first_use(entry, corpora, core_corpora=None):
    """The first notebook (in course order) that mentions the entry's heading or an alias, else None.

    A notebook's own text (cells, self-checks, the labs it opens) is searched first, in course order; only a
    term found in none of them is looked up in what the core modules the notebooks import can display.
    """
    patterns = [_pattern(n) for n in entry.names()]
    for tier in (corpora, core_corpora or {}):
        for notebook, parts in tier.items():
            text = "\n".join(t for _, t in parts)
            if any(p.search(text) for p in patterns):
                return notebook
    return None


def all_corpora():
    return {nb: notebook_corpus(nb) for nb in notebook_names()}


def all_core_corpora():
    return {nb: core_corpus(nb) for nb in notebook_names()}


def detected_terms(corpora):
    """``{term: [where, ...]}``: bold phrases in notebook markdown and acronym-like tokens anywhere a learner reads.

    A bold phrase counts as a term when it has at most four words and does not end with ':' or '.'
    (longer bold text is emphasis; a bold phrase ending in punctuation is a label such as **Try:**).
    """
    found = {}
    for notebook, parts in corpora.items():
        for where, text in parts:
            if where == "markdown":
                for phrase in BOLD.findall(text):
                    phrase = " ".join(phrase.split())
                    if len(phrase.split()) <= 4 and not phrase.endswith((":", ".")):
                        found.setdefault(phrase, set()).add(f"{notebook} (bold, markdown)")
            if where == "markdown":
                text = re.sub(r"`[^`\n]*`", " ", text)  # code spans hold data and code (`GEPE`), not terms
            if where == "code":
                text = " ".join(re.findall(r"#[^\n]*|\"[^\"\n]*\"|'[^'\n]*'", text))  # comments and strings only
            for token in ACRONYM.findall(text):
                if CATALOGUE_ID.fullmatch(token):
                    continue
                found.setdefault(token, set()).add(f"{notebook} ({where})")
    return {k: sorted(v) for k, v in found.items()}


def covered(term, entries):
    """Whether a detected term is in the glossary.

    It is when it equals an entry's heading or *Also* spelling after :func:`normalise`, or, for a bold phrase
    of several words, when it contains one as whole words ("signed manifest" uses the term "manifest").
    """
    target = normalise(term)
    names = {normalise(name) for e in entries for name in e.names()}
    if target in names:
        return True
    if " " not in target:
        return False
    padded = f" {target} "
    return any(f" {name} " in padded for name in names if name)
