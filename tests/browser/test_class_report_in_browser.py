"""The class report of a hostile class, opened in Chromium: nothing runs, nothing is fetched, the text is shown.

Issue 22: a learner's notebook name ``<script>…</script>`` ran in the instructor's browser. Each test fails on
main before the fix (commit dde6568): there the first script alerts.
"""

import pytest

from tests.test_attacks_class_report import PAYLOADS, fuzzed_class  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

# Everything that could run or fetch: none may be in the page.
ACTIVE = "script, iframe, frame, img, image, a, link, base, object, embed, form, style:not(head > style), " \
         "meta[http-equiv=refresh], [onload], [onerror], [onclick], [href], [src]"


def _open(browser, url):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    seen = {"dialogs": [], "requests": [], "console": []}
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("console", lambda message: seen["console"].append(message.text))
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # an onerror or a refresh would have fired by now
    return context, page, seen


def test_the_issues_notebook_named_with_a_script_does_not_run(browser, tmp_path):
    """The attack as reported: a learner's kernel records a check for a notebook named with a script."""
    from lifecycle_kit.course.class_report import build_class_report
    from lifecycle_kit.course.progress import record

    for notebook in ("<script>alert('xss')</script>", "<svg/onload=alert('svg')>"):
        record(notebook, "q", event="check", status="correct", path=tmp_path / "homes" / "eve" / "progress.jsonl",
               user="eve")
    path = tmp_path / "class-report.html"
    build_class_report([tmp_path / "homes"]).to_html(path)
    context, page, seen = _open(browser, path.as_uri())
    try:
        assert seen["dialogs"] == []
        text = page.evaluate("document.body.innerText")
        assert "<script>alert('xss')</script>" in text and "<svg/onload=alert('svg')>" in text
    finally:
        context.close()


def test_a_fuzzed_class_report_runs_nothing_and_fetches_nothing(browser, fuzzed_class, tmp_path, artifacts):  # noqa: F811
    from lifecycle_kit.course.class_report import build_class_report

    try:
        from lifecycle_kit.course.report_output import visible
    except ImportError:  # main before the fix: the test then fails on what the page does, not on this import
        visible = str

    path = tmp_path / "class-report.html"
    build_class_report([fuzzed_class]).to_html(path)
    context, page, seen = _open(browser, path.as_uri())
    try:
        assert seen["dialogs"] == []
        assert seen["requests"] == [path.as_uri()], seen["requests"]
        assert page.evaluate(f"document.querySelectorAll({ACTIVE!r}).length") == 0
        text = page.evaluate("document.body.innerText")
        for payload in PAYLOADS:
            assert visible(payload) in text, payload
        assert "\u202e" not in text and "\x1b" not in text
        # The page's own stylesheet is allowed by its hash: its rules apply, and no policy was violated.
        assert page.evaluate("getComputedStyle(document.querySelector('table')).borderCollapse") == "collapse"
        assert not [m for m in seen["console"] if "Content Security Policy" in m], seen["console"]
        page.screenshot(path=str(artifacts / "class_report_fuzzed.png"), full_page=False)
    finally:
        context.close()


@pytest.fixture
def listener():
    """A local web server that records every request it receives (none may come from a report)."""
    import http.server
    import threading

    hits = []

    class Record(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_the_pages_policy_stops_a_script_that_got_in_anyway(browser, tmp_path, listener):
    """Defence in depth: a page whose escaping had failed (markup put into it after it was made) still runs no
    script and sends no request, because its Content-Security-Policy forbids both: the browser blocks them
    before they leave (a local server that would record them receives nothing). A policy cannot stop a
    ``<meta http-equiv=refresh>`` navigating away: that one only escaping stops (the fuzzed test above)."""
    from lifecycle_kit.course.class_report import build_class_report
    from lifecycle_kit.course.progress import record

    base, hits = listener
    record("00_start_here", "trust_stage", event="check", status="correct", path=tmp_path / "ada" / "progress.jsonl",
           user="ada")
    injected = (f"<script>alert('script')</script><img src='{base}/img' onerror=\"alert('img')\">"
                f"<svg onload=\"alert('svg')\"></svg><iframe src=\"javascript:alert('iframe')\"></iframe>"
                f"<link rel=stylesheet href='{base}/css'>"
                f"<style>body{{background:url({base}/background)}}</style>")
    page_text = build_class_report([tmp_path]).to_html().replace("<body>", "<body>" + injected, 1)
    path = tmp_path / "injected.html"
    path.write_text(page_text, encoding="utf-8")
    context, page, seen = _open(browser, path.as_uri())
    try:
        assert seen["dialogs"] == [] and hits == []
        assert page.url == path.as_uri()
        violations = [m for m in seen["console"] if "Content Security Policy" in m]
        assert len(violations) >= 4, seen["console"]
    finally:
        context.close()
