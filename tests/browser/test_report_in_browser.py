"""The lifecycle report opens in Chromium from a file, offline, and shows its sections."""

import pytest

pytestmark = pytest.mark.browser


def test_lifecycle_report_renders_offline(browser, tmp_path, artifacts):
    from lifecycle_kit.datasets import load
    from lifecycle_kit.drift import compare
    from lifecycle_kit.quality import assess
    from lifecycle_kit.report import LifecycleReport

    adult = load("adult").frame
    report = LifecycleReport("Adult census data")
    report.add("Data preparation", assess(adult.head(5000)), title="quality")
    report.add("System operation", compare(adult.head(5000), adult.tail(5000)), title="drift")
    path = tmp_path / "report.html"
    report.to_html(path)

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    headings = page.locator("h2").all_inner_texts()
    assert any("5. Data preparation — quality" in h for h in headings)
    assert any("8. System operation — drift" in h for h in headings)
    # Two tables of results; each chart's data is a third kind of table, collapsed under the chart.
    assert page.locator("table:not(details table)").count() == 2 and page.locator("svg rect").count() >= 10
    assert page.locator("details.lk-chart-data table").count() >= 1
    assert page.locator("main h1").count() == 1 and page.evaluate("() => document.documentElement.lang") == "en"
    assert page.locator("td", has_text="Com-ML-1").count() >= 1
    page.screenshot(path=str(artifacts / "lifecycle_report.png"), full_page=False)
    context.close()
    assert requests == [path.as_uri()], f"the report fetched more than itself: {requests}"
