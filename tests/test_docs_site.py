"""The documentation site builds offline with warnings as errors, and holds what it promises.

`make docs` builds the same site into build/docs. The build executes every notebook once per checkout (the
executed copies in docs/notebooks/ are reused until a notebook changes): the first build takes minutes, a later
one 20-45 s on two cores, so the test is marked ``docs``: `make test` runs it, `make test-quick` leaves it out.
One test builds the site and checks it, so that pytest-xdist's workers never build it twice at once.
"""

import importlib
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lifecycle_kit
from lifecycle_kit.course.stages import list_stages

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

pytestmark = pytest.mark.docs

# The notebooks this build executes for their outputs. Running all 26 takes ~5 min of the 8 that make test may
# use, and test_notebooks*.py run each already: make test has the build run one per edition (the site's other
# pages show them as committed); make test-docs (in .ci/run) sets "all" and checks every page's outputs.
EXECUTE = os.environ.get("LIFECYCLE_KIT_DOCS_EXECUTE", "04_data_acquisition,ru/04_data_acquisition")

# A page that loads anything from another host: a script, a style sheet, an image, a frame, a CSS import.
EXTERNAL_RESOURCE = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["'](?:https?:)?//"""
                               r"""|@import\s+url\(\s*["']?(?:https?:)?//""", re.I)


def _build(out):
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-E", "-q",
         "-d", str(out / "doctrees"), str(DOCS), str(out / "html")],
        cwd=ROOT, capture_output=True, text=True, timeout=1800, env={**os.environ, "LIFECYCLE_KIT_DOCS_EXECUTE": EXECUTE})
    assert proc.returncode == 0, f"sphinx-build failed (warnings are errors):\n{proc.stderr[-6000:]}"
    assert "WARNING" not in proc.stderr, proc.stderr[-6000:]
    return out / "html"


def test_the_site_builds_offline_with_warnings_as_errors(tmp_path):
    site = _build(tmp_path)
    _check_guides_glossary_and_json_layout(site)
    _check_install_faq_and_changelog_pages(site)
    _check_russian_pages_are_navigated_in_russian(site)
    _check_every_notebook_rendered_with_its_outputs(site)
    _check_every_public_module_has_a_reference_page_with_its_functions_and_classes(site)
    _check_no_page_loads_anything_from_the_internet(site)


def _check_guides_glossary_and_json_layout(site):
    for page in ("index", "learner_guide", "instructor_guide", "json_format", "glossary",
                 "ru/index", "ru/learner_guide", "ru/instructor_guide", "ru/glossary"):
        assert (site / f"{page}.html").is_file(), page
    # The Russian guides are Russian pages of the same site, linked from its front page.
    assert "ru/index.html" in (site / "index.html").read_text(encoding="utf-8")
    assert "Руководство преподавателя" in (site / "ru" / "instructor_guide.html").read_text(encoding="utf-8")
    # One section per term; the notebooks' links to them are checked by the build (a missing anchor warns).
    glossary = (site / "glossary.html").read_text(encoding="utf-8")
    assert glossary.count("<section id=") >= 100
    # The glossary is a page of its own: the front pages link to it, they do not list its terms.
    for front in ("index", "ru/index"):
        html = (site / f"{front}.html").read_text(encoding="utf-8")
        assert "glossary.html" in html and "glossary.html#" not in html, f"{front} expands the glossary"


def _check_install_faq_and_changelog_pages(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    for page in ("install", "faq", "changelog"):
        assert f'href="{page}.html"' in index, page
    install = (site / "install.html").read_text(encoding="utf-8")
    for way in ("From a wheel", "With conda", "The Docker image", "A class on JupyterHub"):
        assert way in install, way
    assert "lifecycle-demo-instructor-password" in install
    # The changelog page is CHANGELOG.md itself, current version included.
    changelog = (site / "changelog.html").read_text(encoding="utf-8")
    assert f"[{lifecycle_kit.__version__}]" in changelog and "Keep a Changelog" in changelog
    ru_index = (site / "ru" / "index.html").read_text(encoding="utf-8")
    assert 'href="install.html"' in ru_index and 'href="faq.html"' in ru_index
    assert "Образ Docker" in (site / "ru" / "install.html").read_text(encoding="utf-8")


def _sidebar(html):
    return html[html.index('class="sphinxsidebar"'):]


def _check_russian_pages_are_navigated_in_russian(site):
    for page in ("ru/index", "ru/learner_guide", "ru/faq", "notebooks/ru/00_start_here"):
        html = (site / f"{page}.html").read_text(encoding="utf-8")
        assert '<html lang="ru"' in html, page
        sidebar = _sidebar(html)
        for heading in ("<h3>Навигация</h3>", "Руководства", "Блокноты курса", 'placeholder="Поиск"', "Далее"):
            assert heading in sidebar, (page, heading)
        for english in ("<h3>Navigation</h3>", "Related Topics", 'placeholder="Search"', ">Guides<"):
            assert english not in sidebar, (page, english)
        assert 'hreflang="en"' in sidebar  # the way back to the English edition
    english = _sidebar((site / "learner_guide.html").read_text(encoding="utf-8"))
    assert "<h3>Navigation</h3>" in english and "Навигация" not in english


def _check_every_notebook_rendered_with_its_outputs(site):
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    notebooks += sorted(f"ru/{p.stem}" for p in (ROOT / "notebooks" / "ru").glob("*.ipynb"))
    assert len(notebooks) >= 24
    for name in notebooks:
        html = (site / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
        assert "cell_input" in html, f"{name}: no code cells rendered"
        if EXECUTE != "all" and name not in EXECUTE.split(","):
            continue  # not run by this build (make test-docs runs them all)
        # The committed notebooks have no outputs: these are the build's run of each one, without an error.
        assert "cell_output" in html, f"{name}: shown without its outputs"
        assert "Traceback" not in html and 'class="output traceback' not in html, f"{name}: an error output"
        # What a run prints and the tables it shows are on the page (a lab's widgets are drawn only by a kernel).
        assert "<table" in html or "output stream" in html, f"{name}: no table or printed text"
        # Each edition's run speaks its language: the kit learns it from the notebook's folder, as in Jupyter.
        # The English edition cites GOST R 70889-2023's stage names as the standard writes them, in Russian.
        text = _output_text(html)
        for stage in list_stages():
            text = text.replace(stage.gost_name, "")
        cyrillic = len(re.findall(r"[а-яё]", text, flags=re.I))
        assert (cyrillic >= 20) if name.startswith("ru/") else (cyrillic == 0), (name, cyrillic)


def _output_text(html):
    """The text inside a page's cell outputs (MyST-NB's ``cell_output`` blocks), nothing around them."""
    from html.parser import HTMLParser

    class Outputs(HTMLParser):
        depth, texts = 0, []  # depth: open <div>s since the current cell_output began (0: outside one)

        def handle_starttag(self, tag, attrs):
            if tag != "div":
                return
            if self.depth:
                self.depth += 1
            elif "cell_output" in (dict(attrs).get("class") or "").split():
                self.depth = 1

        def handle_endtag(self, tag):
            if tag == "div" and self.depth:
                self.depth -= 1

        def handle_data(self, data):
            if self.depth:
                self.texts.append(data)

    parser = Outputs()
    parser.texts = []
    parser.feed(html)
    return " ".join(parser.texts)


def _check_every_public_module_has_a_reference_page_with_its_functions_and_classes(site):
    from lifecycle_kit import course

    pages = {p.stem for p in (DOCS / "api").glob("*.md")} - {"index"}
    # A page per public module (tests/test_api_reference.py says which those are), and one per part of the
    # course (lifecycle_kit.course.<page>); course.launch's names are on the course page.
    assert pages == set(lifecycle_kit._SUBMODULES) | (course._SUBMODULES - {"launch"})
    missing = []
    for name in sorted(pages):
        prefix = "lifecycle_kit.course" if name in course._SUBMODULES else "lifecycle_kit"
        module = importlib.import_module(f"{prefix}.{name}")
        html = (site / "api" / f"{name}.html").read_text(encoding="utf-8")
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                if f"{prefix}.{name}.{attr}" not in ids:
                    missing.append(f"{prefix}.{name}.{attr}")
            # Constants (catalogues such as MEASURES): their page names them (autodoc, or the module's prose).
            elif attr not in html:
                missing.append(f"{prefix}.{name}.{attr}")
    assert not missing, f"not in the API reference: {missing}"


def _check_no_page_loads_anything_from_the_internet(site):
    offenders = []
    for path in [*site.rglob("*.html"), *site.rglob("*.css"), *site.rglob("*.js")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(site)}: {m.group(0)}" for m in EXTERNAL_RESOURCE.finditer(text)]
    assert not offenders, offenders[:10]


def test_the_check_for_external_resources_can_fail():
    assert EXTERNAL_RESOURCE.search('<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex.js"></script>')
    assert EXTERNAL_RESOURCE.search("<link rel='stylesheet' href='//fonts.googleapis.com/css?family=x'>")
    assert EXTERNAL_RESOURCE.search('@import url("https://fonts.googleapis.com/css2?family=Inter");')
    assert not EXTERNAL_RESOURCE.search('<script src="_static/searchtools.js"></script>')
    assert not EXTERNAL_RESOURCE.search('<a href="https://www.iso.org/standard/83002.html">ISO/IEC 8183</a>')
