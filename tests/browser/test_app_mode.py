"""App mode: `lifecycle-kit present 04` serves the notebook's labs with Voila, code hidden, nothing from a CDN."""

import os
import shutil
import subprocess
import time
import urllib.request
from urllib.parse import urlparse

import pytest

from lifecycle_kit.course import voila_command, voila_environment
from tests.browser.conftest import CHROMIUM_FLAGS, ROOT, _free_port
from tests.browser.lab_driver import lab_locator, select_option, summary_text, wait_for_change

pytestmark = pytest.mark.browser

NOTEBOOK = "04_data_acquisition.ipynb"


@pytest.fixture(scope="module")
def voila_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("voila")
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, folder / NOTEBOOK)
    port = _free_port()
    command = voila_command(folder / NOTEBOOK, port=port, open_browser=False)
    log = folder / "voila.log"
    with open(log, "w") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=folder,
                                   env=voila_environment({**os.environ, "OMP_NUM_THREADS": "1"}))
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"voila exited early:\n{log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(url + "voila/static/voila.js", timeout=5).close()
                break
            except OSError:
                if time.time() > deadline:
                    pytest.fail(f"voila did not start in 90 s:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_present_serves_the_labs_offline_and_a_control_changes_the_result(browser, voila_server, artifacts):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    external = []

    def guard(route):
        # The course machines are offline: anything not served by Voila on 127.0.0.1 is recorded and refused.
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    try:
        page.goto(voila_server)
        lab = lab_locator(page, "PoisoningLab")
        lab.locator(".lk-summary").first.wait_for(state="visible")
        # Voila hides code: no input area of any cell is on the page.
        assert page.locator(".jp-InputArea-editor:visible").count() == 0
        before = summary_text(lab)
        select_option(lab, "Attack", "targeted: malignant -> benign")
        after = wait_for_change(lab, before, timeout=60)
        assert "malignant recall" in after
        # Icons come from the Font Awesome bundled with Voila, not from a CDN.
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        assert page.evaluate("() => [...document.fonts].some(f => f.family.includes('Font Awesome'))")
        lab.screenshot(path=str(artifacts / "app_mode_04.png"))
    finally:
        context.close()
    assert external == [], f"the app fetched from outside 127.0.0.1: {external}"
