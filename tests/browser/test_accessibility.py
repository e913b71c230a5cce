"""WCAG 2.1 AA with axe-core: every lab and self-check in JupyterLab, and app mode (Voila), in both languages.

A scratch notebook per language holds every lab with its defaults and every choice and numeric self-check of
the course (the notebook of tests/browser/test_lab_layout.py, under headings); it is run once in JupyterLab. App
mode serves notebook 04 of each edition, as `lifecycle-kit present 04` does. axe-core
(tests/browser/accessibility.py) then checks the whole page. The test fails on any
violation in the kit's output, and on any change in the violations of JupyterLab and Voila themselves, which
tests/browser/accessibility_upstream.json lists with their upstream references and counts. Every page's full
result goes to tests/artifacts/axe_<mode>_<lang>.json.
"""

import json
import time

import nbformat
import pytest

from tests.browser.accessibility import describe, load_upstream, run_axe, upstream_counts
from tests.browser.conftest import ROOT, voila_app
from tests.browser.lab_driver import open_notebook, run_all
from tests.browser.test_lab_layout import _scratch_notebook

pytestmark = pytest.mark.browser

HEADINGS = {"en": ("# Every lab of the course", "## Labs", "## Check yourself"),
            "ru": ("# Все лабораторные работы курса", "## Лабораторные работы", "## Проверьте себя")}


def scratch_notebook(lang):
    """Every lab and self-check in ``lang``, under a title and two section headings (as a stage notebook has)."""
    nb, labs, checks = _scratch_notebook(lang)
    title, labs_heading, checks_heading = HEADINGS[lang]
    code = nb.cells
    first_check = 1 + len(labs)
    nb.cells = ([nbformat.v4.new_markdown_cell(title), code[0], nbformat.v4.new_markdown_cell(labs_heading)]
                + code[1:first_check] + [nbformat.v4.new_markdown_cell(checks_heading)] + code[first_check:])
    return nb, labs, checks


def _wait_for_widgets(page, labs, checks):
    page.wait_for_function(f"() => document.querySelectorAll('.lk-lab').length >= {len(labs)} && "
                           f"document.querySelectorAll('.lk-self-check').length >= {len(checks)} && "
                           "document.querySelectorAll('.lk-summary').length >= " + str(len(labs)), timeout=180_000)
    time.sleep(1.0)  # the last outputs (charts, tables) render just after the widgets


def _check(page, violations, mode, lang, artifacts):
    (artifacts / f"axe_{mode}_{lang}.json").write_text(json.dumps(violations, indent=1, ensure_ascii=False),
                                                       encoding="utf-8")
    ours = [v for v in violations if v["kit"]]
    counts = upstream_counts(violations)
    # A violation of every code cell's editor is counted per cell: the list holds it once, not the course's size.
    code_cells = page.evaluate("() => document.querySelectorAll('.jp-CodeCell').length")
    expected = {key: entry["counts"][f"{mode}_{lang}"] * (code_cells if entry.get("per") == "code cell" else 1)
                for key, entry in load_upstream().items() if f"{mode}_{lang}" in entry["counts"]}
    print(f"axe {mode} {lang}: {len(ours)} in the kit's output, {sum(counts.values())} upstream "
          f"({len(counts)} kinds)")
    assert not ours, f"axe-core finds {len(ours)} violations in the kit's output ({mode}, {lang}):\n" + describe(ours)
    assert counts == expected, (
        f"JupyterLab's or Voila's own violations changed ({mode}, {lang}); update "
        "tests/browser/accessibility_upstream.json with the upstream reference of a new one:\n"
        + "\n".join(f"- {k}: {counts.get(k, 0)} now, {expected.get(k, 0)} listed"
                    for k in sorted(set(counts) | set(expected)) if counts.get(k, 0) != expected.get(k, 0)))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_axe_finds_nothing_in_the_kit_in_jupyterlab(page, lab_server, artifacts, lang):
    nb, labs, checks = scratch_notebook(lang)
    name = f"accessibility_scratch_{lang}.ipynb"
    nbformat.write(nb, lab_server.root / name)
    open_notebook(page, lab_server, name)
    assert run_all(page, timeout=600) == []
    _wait_for_widgets(page, labs, checks)
    _check(page, run_axe(page, mode="jupyterlab"), "jupyterlab", lang, artifacts)


STAGE = "04_data_acquisition.ipynb"


@pytest.fixture(scope="module", params=["en", "ru"])
def voila_stage(request, tmp_path_factory):
    """Voila serving notebook 04 of one edition, as `lifecycle-kit present 04 [--lang ru]` does.

    App mode shows one stage notebook at a time. The scratch notebook of every lab (75 widget outputs on one page)
    is checked in JupyterLab; in Voila, on the loaded test machine, such a page left some widgets undrawn ("widget
    model not found") whether or not the kit's helper was in it, so app mode is checked on a real stage page: its
    Markdown, two labs and four self-checks, and the kit's template.
    """
    import shutil

    lang = request.param
    folder = tmp_path_factory.mktemp(f"voila-a11y-{lang}") / lang  # the edition's folder, as notebooks/ru/
    folder.mkdir()
    source = ROOT / "notebooks" / (STAGE if lang == "en" else f"{lang}/{STAGE}")
    shutil.copy(source, folder / STAGE)
    cells = [c for c in nbformat.read(source, as_version=4).cells if c.cell_type == "code"]
    labs = [c for c in cells if "Lab(" in c.source]
    checks = [c for c in cells if "SelfCheck(" in c.source]
    with voila_app(folder / STAGE, folder=folder, lang=lang) as (url, token):
        yield {"lang": lang, "url": f"{url}?token={token}", "labs": labs, "checks": checks}


_DONE = ("([labs, checks]) => document.querySelectorAll('.lk-lab').length >= labs && "
         "document.querySelectorAll('.lk-self-check').length >= checks && "
         "document.querySelectorAll('.lk-summary').length >= labs")


def _open_in_voila(page, server, *, attempts=3, stall=120):
    """Open the app and wait for every widget; reload (a new kernel) when Voila stops executing cells.

    Voila runs the notebook through nbclient, which now and then waits for ever for a cell's reply when the cell
    fills an Output widget (jupyter/nbclient#312, voila-dashboards/voila#1395): the page stops at one cell with the
    kernel idle. It happens with or without the kit's changes, more often on a loaded machine; a reload starts a
    new kernel. ``stall`` seconds without a new cell, before the page has loaded, count as a stop; once it has
    loaded (every cell executed), the widgets get three minutes to draw.
    """
    labs, checks = len(server["labs"]), len(server["checks"])
    for attempt in range(attempts):
        page.goto(server["url"], wait_until="commit")
        cells, since = -1, time.time()
        while time.time() - since < stall:
            if page.evaluate("() => document.readyState") == "complete":
                page.wait_for_function(_DONE, arg=[labs, checks], timeout=180_000)
                time.sleep(1.0)  # the last outputs (charts, tables) render just after the widgets
                if attempt:
                    print(f"voila: the page stopped {attempt} time(s) (jupyter/nbclient#312) and was reloaded")
                return
            now = page.evaluate("() => document.querySelectorAll('[cell-index]').length")
            if now != cells:
                cells, since = now, time.time()
            time.sleep(1.0)
    raise AssertionError(f"voila stopped executing the notebook {attempts} times (at {cells} cells)")


def test_axe_finds_nothing_in_the_kit_in_app_mode(browser, voila_stage, artifacts):
    lang = voila_stage["lang"]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        _open_in_voila(page, voila_stage)
        # The kit's template: the page's language is the edition's, and the course is inside <main>.
        assert page.evaluate("() => document.documentElement.lang") == lang
        assert page.evaluate("() => document.querySelectorAll('main').length") == 1
        assert page.evaluate("() => [...document.querySelectorAll('.lk-lab, .lk-self-check')].every(el => el.closest('main'))")
        _check(page, run_axe(page, mode="voila"), "voila", lang, artifacts)
    finally:
        context.close()
