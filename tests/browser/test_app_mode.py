"""App mode: `lifecycle-kit present 04` serves the notebook's labs with Voila, code hidden, nothing from a CDN."""

import shutil
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import ROOT, voila_app
from tests.browser.lab_driver import lab_locator, select_option, summary_text, wait_for_change

pytestmark = pytest.mark.browser

NOTEBOOK = "04_data_acquisition.ipynb"


@pytest.fixture(scope="module")
def voila_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("voila")
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, folder / NOTEBOOK)
    with voila_app(folder / NOTEBOOK, folder=folder) as (url, token):
        yield url, token


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
    url, token = voila_server
    try:
        page.goto(f"{url}?token={token}")
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


def test_present_refuses_a_request_without_the_token(voila_server):
    """Before: Voila ran without a token, so any local user or web page could open the app and each GET started
    a kernel. Now a request without the token is sent to the login page and starts no kernel."""
    url, token = voila_server

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(url, timeout=30)
        status, location = response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as err:
        status, location = err.code, err.headers.get("Location", "")
    assert status in (302, 403) and (status == 403 or "/login" in location), (status, location)
