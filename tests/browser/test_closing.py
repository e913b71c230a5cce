"""12_closing in JupyterLab: Run All, answer the post-test in its form, submit, see the score and both tests explained."""

import time

import pytest

from tests.browser.lab_driver import lab_locator, open_notebook, run_all, summary_text

pytestmark = pytest.mark.browser


def test_the_post_test_is_answered_and_explained_in_the_browser(page, lab_server, artifacts):
    open_notebook(page, lab_server, "12_closing.ipynb")
    assert run_all(page) == []
    form = lab_locator(page, "AssessmentForm")
    before = summary_text(form)
    assert "Not taken yet: 0 of 11" in before
    groups = form.locator(".widget-radio-box")
    assert groups.count() == 11
    for i in range(11):
        groups.nth(i).locator("input[type=radio]").first.check()
    _wait_for(form, "11 of 11 answers selected")  # every choice reached the kernel
    form.locator("button", has_text="Submit").click()
    after = _wait_for(form, "right at the first answer")
    assert "11 answers recorded" in after and "Both tests are explained below" in after
    form.locator("table").first.wait_for(timeout=20_000)  # the review: both forms, item by item
    assert form.locator("table tbody tr").count() == 22
    form.locator(".lk-summary").first.scroll_into_view_if_needed()  # a 5000-pixel form renders only in view
    page.screenshot(path=str(artifacts / "12_closing_post_test.png"))
    groups.nth(3).scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "12_closing_post_test_questions.png"))


def _wait_for(lab, text, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        now = summary_text(lab)
        if text in now:
            return now
        time.sleep(0.3)
    raise AssertionError(f"the summary never said {text!r}: {summary_text(lab)!r}")
