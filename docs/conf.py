"""Sphinx configuration of the Lifecycle Kit documentation site (``make docs``).

The site is built offline: nothing is fetched at build time and no page loads
anything from the internet when read (no CDN, no intersphinx, no widget
JavaScript from a CDN). The notebooks are executed by the build, each in a fresh
kernel, and shown with their outputs; an executed copy is kept in docs/notebooks/
and reused until its notebook changes. The labs' controls are live only in
JupyterLab: on the site a lab's widgets are not drawn (its printed text, tables and
figures made outside widgets are).
"""

import os
import sys
from pathlib import Path

from sphinx.util import logging

import lifecycle_kit

HERE = Path(__file__).resolve().parent

project = "Lifecycle Kit"
author = "Lifecycle Kit developers"
copyright = "Lifecycle Kit developers, MIT licence"
release = version = lifecycle_kit.__version__

extensions = [
    "sphinx.ext.autodoc",
    "numpydoc",
    "myst_nb",
]

# The guides are Markdown (MyST), the notebooks .ipynb (MyST-NB); both are
# registered by myst_nb itself.
exclude_patterns = ["_build", "**.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
root_doc = "index"

# --- API reference: numpydoc docstrings through autodoc ----------------------
# "no-value": catalogues such as quality.MEASURES would otherwise print their whole contents.
autodoc_default_options = {"members": True, "member-order": "bysource", "no-value": True}
autodoc_typehints = "none"  # the numpydoc "Parameters" sections already give the types
# Class members are documented by autodoc's :members:; numpydoc's own member
# tables would list each of them a second time through autosummary stubs.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# --- Notebooks: executed by the build, shown with their outputs ----------------
# The course's notebooks live in notebooks/ (outside this source tree); a copy
# goes into docs/notebooks/ (git-ignored) so that their links to one another
# resolve. A symlink would not do: Sphinx resolves it and the links then fail.
# In the copy, links into docs/ ("../docs/glossary.md#slug", right from the
# repository's notebooks/ folder) are made relative to docs/notebooks/.
#
# The copy is the notebook executed (a fresh kernel per notebook, in a temporary
# folder, as the course's tests run it), so the site shows every output. It is
# kept with the SHA-256 of the text it was made from and made again only when that
# text changes: the first build of a checkout runs the 24 notebooks, two at a time,
# later builds (`make docs`, tests/test_docs_site.py) reuse them. A cell that raises
# fails the build; a stalled kernel (a lost message, seen under load) gets one more
# try in a fresh one, as in tests/notebook_runner.py. MyST-NB's own execution is off:
# it has no retry, and one stalled kernel held a build for minutes. The key is the
# notebook alone: after changing what a notebook prints from inside the package,
# delete docs/notebooks/ to run them all again (a clean checkout always does).
NOTEBOOK_CELL_TIMEOUT_S = 120
NOTEBOOK_IOPUB_TIMEOUT_S = 10
_DIGEST_KEY = "lifecycle_kit_docs_source_sha256"


def _execute(text, source):
    import hashlib
    import tempfile

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    for attempt in (1, 2):
        nb = nbformat.reads(text, as_version=4)
        with tempfile.TemporaryDirectory(prefix="lifecycle-kit-docs-") as cwd:
            client = NotebookClient(nb, timeout=NOTEBOOK_CELL_TIMEOUT_S, iopub_timeout=NOTEBOOK_IOPUB_TIMEOUT_S,
                                    raise_on_iopub_timeout=True, kernel_name="python3",
                                    resources={"metadata": {"path": cwd}},
                                    # Not the kernel's notice that it talks over loopback TCP on every start.
                                    extra_arguments=["--IPKernelApp.log_level=ERROR"])
            try:
                # The kernel learns its notebook's path as Jupyter tells it, and the kit its language from it
                # (a language set for the build's own shell would otherwise win).
                env = {k: v for k, v in os.environ.items() if k != "LIFECYCLE_KIT_LANG"}
                client.execute(env={**env, "JPY_SESSION_NAME": str(source)})
                break
            except (CellTimeoutError, DeadKernelError, TimeoutError):
                if attempt == 2:
                    raise
    nb.metadata[_DIGEST_KEY] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return nbformat.writes(nb)


def _is_current(copy, text):
    import hashlib
    import json

    try:
        made_from = json.loads(copy.read_text(encoding="utf-8"))["metadata"].get(_DIGEST_KEY)
    except (OSError, ValueError, KeyError):
        return False
    return made_from == hashlib.sha256(text.encode("utf-8")).hexdigest()


# Which notebooks the build runs: all (make docs), or those LIFECYCLE_KIT_DOCS_EXECUTE names, comma-separated
# ("04_data_acquisition,ru/04_data_acquisition"): make test builds the site with a few, make test-docs with all.
def _to_execute(notebook):
    chosen = os.environ.get("LIFECYCLE_KIT_DOCS_EXECUTE", "all").strip()
    name = f"ru/{notebook.stem}" if notebook.parent.name == "ru" else notebook.stem
    return chosen == "all" or name in {c.strip() for c in chosen.split(",")}


def _copy_notebooks(sources, copies, docs_prefix):
    from concurrent.futures import ThreadPoolExecutor

    copies.mkdir(parents=True, exist_ok=True)
    for stale in set(copies.glob("*.ipynb")) - {copies / n.name for n in sources}:
        stale.unlink()
    texts = {n: n.read_text(encoding="utf-8").replace(f"]({docs_prefix}docs/", f"]({docs_prefix}") for n in sources}
    to_run = [n for n in sources if not _is_current(copies / n.name, texts[n]) and _to_execute(n)]
    for notebook in set(sources) - set(to_run):
        if not _is_current(copies / notebook.name, texts[notebook]):
            (copies / notebook.name).write_text(texts[notebook], encoding="utf-8")  # shown as committed
    with ThreadPoolExecutor(max_workers=2) as pool:
        for notebook, executed in zip(to_run, pool.map(lambda n: _execute(texts[n], n), to_run)):
            # Written aside and renamed, so a build running at the same time never reads half a file.
            copy = copies / notebook.name
            part = copy.with_suffix(f".{os.getpid()}.part")
            part.write_text(executed, encoding="utf-8")
            os.replace(part, copy)
    for notebook in set(sources) - set(to_run):
        # The source's mtime, so an unchanged notebook's page is not rebuilt (one run now is newer than any build).
        os.utime(copies / notebook.name, ns=(notebook.stat().st_atime_ns, notebook.stat().st_mtime_ns))


# The Russian edition (notebooks/ru/) goes to docs/notebooks/ru/, its links into docs/ ("../../docs/") likewise.
_copy_notebooks(sorted((HERE.parent / "notebooks").glob("*.ipynb")), HERE / "notebooks", "../")
_copy_notebooks(sorted((HERE.parent / "notebooks" / "ru").glob("*.ipynb")), HERE / "notebooks" / "ru", "../../")

nb_execution_mode = "off"  # executed above
# MyST-NB would otherwise add require.js and the widget manager from a CDN.
nb_ipywidgets_js = {}

# --- Markdown -----------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
# GitHub's heading anchors, which the notebooks' links into the glossary use
# (its terms are level-3 headings).
myst_heading_anchors = 3
# The glossary puts its terms (H3) right under its title (H1), so that GitHub
# shows them at a readable size; MyST would warn about the skipped level.
suppress_warnings = ["myst.header"]

# --- HTML ---------------------------------------------------------------------
html_theme = "alabaster"
html_title = f"Lifecycle Kit {release}"
html_theme_options = {
    "description": "AI safety through data quality and integrity across the ISO/IEC 8183 data life cycle",
    "fixed_sidebar": True,
}
# Nothing is loaded from the internet: alabaster's Google-font import is off,
# and no page needs MathJax (it would come from a CDN).
html_theme_options["font_family"] = "Georgia, serif"
html_show_sourcelink = False
# The Russian pages (the guides in ru/, the Russian notebooks) are navigated in Russian: their sidebar lists the
# Russian edition's contents under Russian headings, its search field and links are labelled in Russian, and the
# page says it is in Russian (<html lang="ru">). Other pages keep the theme's English sidebar.
templates_path = ["_templates"]
RUSSIAN_PAGES = ("ru/**", "notebooks/ru/**")
RUSSIAN_SIDEBAR = ["about.html", "ru_searchfield.html", "ru_navigation.html", "ru_relations.html"]
html_sidebars = dict.fromkeys(RUSSIAN_PAGES, RUSSIAN_SIDEBAR)
RUSSIAN_DESCRIPTION = ("Безопасность ИИ через качество и целостность данных на всех стадиях жизненного цикла "
                       "данных ISO/IEC 8183 (ГОСТ Р 70889-2023)")


def _module_sections_as_rubrics(app, what, name, obj, options, lines):
    """Show a module docstring's "Examples" heading as a rubric, as numpydoc does for functions.

    numpydoc leaves module docstrings' sections as section titles, and every
    module's "Examples" would then be the same cross-reference label.
    """
    if what != "module":
        return
    for i in range(len(lines) - 1):
        title, underline = lines[i].strip(), lines[i + 1].strip()
        if title and underline and set(underline) == {"-"} and len(underline) >= len(title):
            lines[i], lines[i + 1] = f".. rubric:: {title}", ""


def _document_everything_in_all(app, what, name, obj, skip, options):
    """A module's ``__all__`` is its public API: document every function and class in it, ``_`` included."""
    module = sys.modules.get(getattr(app.env, "temp_data", {}).get("autodoc:module", ""))
    if what == "module" and module is not None and name in getattr(module, "__all__", ()):
        return False
    return None


def _attr_docs(module_name):
    from sphinx.errors import PycodeError
    from sphinx.pycode import ModuleAnalyzer

    try:
        analyzer = ModuleAnalyzer.for_module(module_name)
        return {name: lines for (namespace, name), lines in analyzer.find_attr_docs().items() if not namespace}
    except PycodeError:
        return {}


def _constants_of_all(app, what, name, obj, options, lines):
    """List the constants in a module's ``__all__`` that autodoc would leave out.

    autodoc documents module-level data only when the module's own source gives it a ``#:`` comment; a
    package re-exporting a catalogue (``lifecycle_kit.quality.MEASURES``) has the comment in the module
    that defines it. Those are added here, with that comment as their description.
    """
    if what != "module" or not hasattr(obj, "__all__"):
        return
    own = _attr_docs(name)
    entries = []
    for attr in obj.__all__:
        value = getattr(obj, attr)  # may import a lazily exported module
        if attr in own or callable(value) and not isinstance(value, (dict, tuple, list)) \
                or type(value).__module__ == "types":
            continue
        # The module that defines it: the first of the kit's modules holding this very object with a comment.
        doc = []
        for module_name in sorted(m for m in sys.modules if m == "lifecycle_kit" or m.startswith("lifecycle_kit.")):
            if getattr(sys.modules[module_name], attr, None) is value:
                doc = _attr_docs(module_name).get(attr, [])
                if doc:
                    break
        entries += [f".. py:data:: {attr}", f"   :type: {type(value).__name__}", ""]
        if not doc:
            # The build runs with -W: a public constant without a "#:" comment fails it.
            logging.getLogger(__name__).warning("%s.%s has no '#:' comment where it is defined", name, attr)
        entries += [f"   {line}" for line in doc] + [""]
    if entries:
        lines += ["", ".. rubric:: Constants", "", *entries]


def _russian_navigation(app, pagename, templatename, context, doctree):
    """On a Russian page: the Russian edition's contents (the toctrees of ru/index) as the sidebar, in Russian."""
    from sphinx import addnodes
    from sphinx.environment.adapters.toctree import TocTree
    from sphinx.util.matching import patmatch

    if not any(patmatch(pagename, pattern) for pattern in RUSSIAN_PAGES):
        return
    context["language"] = "ru"  # <html lang="ru">
    context["theme_description"] = RUSSIAN_DESCRIPTION
    toctree = TocTree(app.env)
    parts = [toctree.resolve(pagename, app.builder, node, maxdepth=2, collapse=True, includehidden=True)
             for node in app.env.get_doctree("ru/index").findall(addnodes.toctree)]
    context["ru_navigation"] = "".join(app.builder.render_partial(part)["fragment"] for part in parts if part)


def setup(app):
    app.connect("autodoc-process-docstring", _module_sections_as_rubrics)
    app.connect("autodoc-skip-member", _document_everything_in_all)
    app.connect("autodoc-process-docstring", _constants_of_all)
    app.connect("html-page-context", _russian_navigation)
