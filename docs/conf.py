"""Sphinx configuration of the Lifecycle Kit documentation site (``make docs``).

The site is built offline: nothing is fetched at build time and no page loads
anything from the internet when read (no CDN, no intersphinx, no widget
JavaScript from a CDN). The notebooks are rendered as committed, without
outputs and without executing them; the course runs them in JupyterLab.
"""

import os
import sys
from pathlib import Path

import lifecycle_kit
from sphinx.util import logging

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

# --- Notebooks: rendered as committed, never executed -------------------------
# The course's notebooks live in notebooks/ (outside this source tree); a copy
# goes into docs/notebooks/ (git-ignored) so that their links to one another
# resolve. A symlink would not do: Sphinx resolves it and the links then fail.
# In the copy, links into docs/ ("../docs/glossary.md#slug", right from the
# repository's notebooks/ folder) are made relative to docs/notebooks/.
def _copy_notebooks(sources, copies, docs_prefix):
    copies.mkdir(exist_ok=True)
    for stale in set(copies.glob("*.ipynb")) - {copies / n.name for n in sources}:
        stale.unlink()
    for notebook in sources:
        copy = copies / notebook.name
        text = notebook.read_text(encoding="utf-8").replace(f"]({docs_prefix}docs/", f"]({docs_prefix}")
        if not copy.is_file() or copy.read_text(encoding="utf-8") != text:
            # Written aside and renamed, so a build running at the same time never reads half a file.
            part = copy.with_suffix(f".{os.getpid()}.part")
            part.write_text(text, encoding="utf-8")
            os.replace(part, copy)
        # The source's mtime, so an unchanged notebook's page is not rebuilt.
        os.utime(copy, ns=(notebook.stat().st_atime_ns, notebook.stat().st_mtime_ns))


# The Russian edition (notebooks/ru/) goes to docs/notebooks/ru/, its links into docs/ ("../../docs/") likewise.
_copy_notebooks(sorted((HERE.parent / "notebooks").glob("*.ipynb")), HERE / "notebooks", "../")
_copy_notebooks(sorted((HERE.parent / "notebooks" / "ru").glob("*.ipynb")), HERE / "notebooks" / "ru", "../../")

nb_execution_mode = "off"
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
    from sphinx.pycode import ModuleAnalyzer
    from sphinx.errors import PycodeError

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
    submodules = [m for m in sys.modules.values() if getattr(m, "__name__", "").startswith(name + ".")]
    entries = []
    for attr in obj.__all__:
        value = getattr(obj, attr)
        if attr in own or callable(value) and not isinstance(value, (dict, tuple, list)) \
                or type(value).__module__ == "types":
            continue
        doc = []
        for sub in [obj, *submodules]:
            if getattr(sub, attr, None) is value:
                doc = _attr_docs(sub.__name__).get(attr, [])
                if doc:
                    break
        entries += [f".. py:data:: {attr}", f"   :type: {type(value).__name__}", ""]
        if not doc:
            # The build runs with -W: a public constant without a "#:" comment fails it.
            logging.getLogger(__name__).warning("%s.%s has no '#:' comment where it is defined", name, attr)
        entries += [f"   {line}" for line in doc] + [""]
    if entries:
        lines += ["", ".. rubric:: Constants", "", *entries]


def setup(app):
    app.connect("autodoc-process-docstring", _module_sections_as_rubrics)
    app.connect("autodoc-skip-member", _document_everything_in_all)
    app.connect("autodoc-process-docstring", _constants_of_all)
