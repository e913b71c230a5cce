"""00_start_here in JupyterLab: Run All, the map renders, picking a stage changes what is shown."""

import pytest

from tests.browser.lab_driver import lab_locator, open_notebook, run_all, summary_text, wait_for_change

pytestmark = pytest.mark.browser


def test_start_here_map_and_explorer_respond(page, lab_server, artifacts):
    open_notebook(page, lab_server, "00_start_here.ipynb")
    assert run_all(page) == []

    lab_map = lab_locator(page, "LifecycleMap")
    before = summary_text(lab_map)
    assert "Idea conception" in before
    lab_map.locator("button", has_text="9").first.click()
    after = wait_for_change(lab_map, before)
    assert "Data decommissioning" in after and "09_data_decommissioning.ipynb" in after
    assert lab_map.locator("svg .lk-map-selected").count() == 1
    lab_map.screenshot(path=str(artifacts / "00_lifecycle_map.png"))

    explorer = lab_locator(page, "DatasetExplorer")
    before = summary_text(explorer)
    assert "48,842 rows" in before
    explorer.locator("select").first.select_option("penguins")
    after = wait_for_change(explorer, before)
    assert "344 rows" in after
    # The summary changes first; the profile and preview tables render into the output just after it.
    explorer.locator("table").nth(1).wait_for(timeout=20_000)
    assert explorer.locator("table").count() >= 2  # profile and preview rendered in the output
    page.screenshot(path=str(artifacts / "00_start_here.png"), full_page=True)

    # The licence question (multiple choice): found by its text, not its position among the self-checks.
    check = page.locator(".lk-self-check", has_text="redistribute and adapt")
    check.locator("input[type=checkbox]").nth(1).check()
    check.locator("input[type=checkbox]").nth(3).check()
    check.locator("button", has_text="Check").click()
    page.locator(".lk-feedback-correct").first.wait_for(timeout=20_000)
