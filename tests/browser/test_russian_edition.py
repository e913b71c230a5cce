"""The Russian edition as a learner starts it: `lifecycle-kit lab --lang ru`, notebooks/ru/04 run in JupyterLab.

JupyterLab is started by the kit's own command (language pack selected through a settings override, never by hand),
on a copy of the course. The test sees Russian in JupyterLab's menus, in a lab's controls and summary (before and
after a control is moved), and in a self-check's feedback, and saves a screenshot.
"""

import json
import os
import secrets
import sys
import time

import pytest

from tests.browser.conftest import CHROMIUM, LabServer, _free_port, _wait_until_up, running
from tests.browser.lab_driver import lab_locator, open_notebook, run_all, summary_text, wait_for_change
from tests.test_notebooks_ru import cyrillic_share

pytestmark = pytest.mark.browser

NOTEBOOK = "ru/04_data_acquisition.ipynb"


@pytest.fixture(scope="module")
def russian_lab(tmp_path_factory):
    if not os.path.isfile(CHROMIUM):
        pytest.fail(f"{CHROMIUM} missing: run `make test-browser` (it installs chromium as root)")
    base = tmp_path_factory.mktemp("lab-ru")
    settings = base / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Every cell stays in the DOM, so widgets below the fold render and can be found.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    # The driver reads the notebook's state through window.jupyterapp, which JupyterLab exposes only when asked;
    # `lifecycle-kit lab` has no flag for it, so it goes in through a config folder of this test's own.
    config = base / "jupyter-config"
    config.mkdir()
    (config / "jupyter_server_config.json").write_text(json.dumps({"LabApp": {"expose_app_in_browser": True}}))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_TOKEN=token, JUPYTERLAB_SETTINGS_DIR=str(base / "user-settings"),
               JUPYTER_CONFIG_DIR=str(config), OMP_NUM_THREADS="1")
    env.pop("LIFECYCLE_KIT_LANG", None)  # the notebook's folder must be what makes the labs Russian
    course = base / "course"
    command = [sys.executable, "-m", "lifecycle_kit.cli", "lab", "--lang", "ru", "--no-browser",
               "--port", str(port), "--dir", str(course)]
    log = base / "lab.log"
    with running(command, log=log, env=env, cwd=base) as process:
        server = LabServer(course, port, token, process)
        _wait_until_up(server, process, log)
        yield server


def test_russian_notebook_04_in_jupyterlab_in_russian(browser, russian_lab, artifacts):
    assert (russian_lab.root / NOTEBOOK).is_file(), "lifecycle-kit lab --dir did not copy the Russian edition"
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_notebook(page, russian_lab, NOTEBOOK)
        assert run_all(page) == []

        # JupyterLab's own interface: the menu bar comes from the Russian language pack.
        menus = page.locator(".lm-MenuBar-content").first.inner_text()
        assert cyrillic_share(menus) > 0.8, f"JupyterLab's menus are not in Russian: {menus!r}"

        # A lab: title, control labels and summary in Russian, and still Russian after a control is moved.
        lab = lab_locator(page, "PoisoningLab")
        header = lab.locator("h3").first.inner_text()
        labels = " ".join(lab.locator(".widget-label").all_inner_texts())
        before = summary_text(lab)
        assert cyrillic_share(header) > 0.8, header
        assert cyrillic_share(labels) > 0.8, labels
        assert cyrillic_share(before) > 0.5, before
        select = lab.locator(".widget-dropdown select").first
        current = select.evaluate("s => s.selectedIndex")
        count = select.evaluate("s => s.options.length")
        assert count > 1
        select.select_option(index=(current + 1) % count)
        after = wait_for_change(lab, before)
        assert cyrillic_share(after) > 0.5, after
        lab.screenshot(path=str(artifacts / "ru_04_poisoning_lab.png"))

        # A self-check: the question, the button and the feedback in Russian.
        check = page.locator(".lk-self-check").first
        check.scroll_into_view_if_needed()
        assert cyrillic_share(check.inner_text()) > 0.6
        check.locator("input[type=radio]").first.check()
        check.locator("button", has_text="Проверить").click()
        feedback = check.locator(".lk-feedback-correct, .lk-feedback-incorrect").first
        feedback.wait_for(timeout=20_000)
        text = feedback.inner_text()
        assert cyrillic_share(text) > 0.6, f"the self-check's feedback is not in Russian: {text!r}"
        # Settle the layout before the full-page screenshot the issue asks for.
        time.sleep(0.5)
        page.screenshot(path=str(artifacts / "ru_04_data_acquisition.png"), full_page=True)
    finally:
        context.close()
        russian_lab.shutdown_kernels()
