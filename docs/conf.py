"""Sphinx configuration of the Lifecycle Kit documentation site (``make docs``).

The site is built offline: nothing is fetched at build time and no page loads
anything from the internet when read (no CDN, no intersphinx, no widget
JavaScript from a CDN). The notebooks are rendered as committed, without
outputs and without executing them; the course runs them in JupyterLab.
"""

import os
import shutil
from pathlib import Path

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
autodoc_default_options = {"members": True, "member-order": "bysource"}
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
_copies = HERE / "notebooks"
_copies.mkdir(exist_ok=True)
for _stale in set(_copies.glob("*.ipynb")) - {_copies / n.name for n in (HERE.parent / "notebooks").glob("*.ipynb")}:
    _stale.unlink()
for _notebook in sorted((HERE.parent / "notebooks").glob("*.ipynb")):
    _copy = _copies / _notebook.name
    if not _copy.is_file() or _copy.read_bytes() != _notebook.read_bytes():
        # Written aside and renamed, so a build running at the same time never reads half a file; copy2
        # keeps the mtime, so an unchanged notebook's page is not rebuilt.
        shutil.copy2(_notebook, _copy.with_suffix(f".{os.getpid()}.tmp"))
        os.replace(_copy.with_suffix(f".{os.getpid()}.tmp"), _copy)
nb_execution_mode = "off"
# MyST-NB would otherwise add require.js and the widget manager from a CDN.
nb_ipywidgets_js = {}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

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


def setup(app):
    app.connect("autodoc-process-docstring", _module_sections_as_rubrics)
