"""The hub's class-report service, served over HTTP to Chromium: what it sends and what a browser does with it.

The service (deploy/jupyterhub/class_report_service.py) runs here in this process with the hub's login
replaced by a fixed admin and the hub's user list by a fixed one, so these tests need no running hub; the
end-to-end hub test (test_hub.py) checks the same headers through the real hub and proxy. Issue 22: each
test fails on main before the fix (commit dde6568), which sent the learners' markup as ``text/html`` with
no Content-Security-Policy.
"""

import asyncio
import importlib.util
import json
import threading
import urllib.error
import urllib.request

import markupsafe
import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, ROOT, _free_port
from tests.hub.hub_client import HUB_DIR
from tests.test_attacks_class_report import GOOD, PAYLOADS, _folder_name, _progress, _write

pytestmark = pytest.mark.hub

# Learners of the hub: one with a home named like a payload, one whose name starts with a dash (an option
# parser would take it for an option), and names that would point out of the homes folder.
NAMES = ["ada", "-dash", _folder_name(PAYLOADS[0]), _folder_name(PAYLOADS[2]), "..", "a/b"]


def _load_service():
    spec = importlib.util.spec_from_file_location("class_report_service", HUB_DIR / "class_report_service.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """The service on a loopback port, over homes of a hostile class, as the instructor (an admin) sees it."""
    from tornado import web
    from tornado.ioloop import IOLoop

    module = _load_service()
    root = tmp_path_factory.mktemp("homes")
    for name in NAMES[:4]:
        _write(root / name / ".local" / "share" / "lifecycle-kit" / "progress.jsonl",
               {**GOOD, "user": name}, {**GOOD, "user": PAYLOADS[1], "notebook": PAYLOADS[3]},
               {**GOOD, "status": PAYLOADS[4]})
    _write(_progress(root.parent, "outside"), {**GOOD, "user": "outside"})  # what ".." would reach
    module.learner_names = lambda: list(NAMES)
    module.os.environ["LIFECYCLE_KIT_LEARNER_HOMES"] = str(root / "{username}")

    class AsInstructor(module.ClassReportHandler):
        def get_current_user(self):
            return {"name": "instructor", "admin": True, "kind": "user", "scopes": ["access:services"]}

    port = _free_port()
    started, loop = threading.Event(), {}

    def serve():
        asyncio.set_event_loop(asyncio.new_event_loop())
        app = web.Application([(r"/services/class-report/(.*)", AsInstructor)], cookie_secret="x" * 32)
        app.listen(port, "127.0.0.1")
        loop["io"] = IOLoop.current()
        started.set()
        loop["io"].start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started.wait(30)
    yield module, f"http://127.0.0.1:{port}/services/class-report/"
    loop["io"].add_callback(loop["io"].stop)
    thread.join(30)


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


def _policy(headers):
    return dict(d.strip().split(" ", 1) if " " in d.strip() else (d.strip(), "")
                for d in headers.get("Content-Security-Policy", "").split(";") if d.strip())


def test_the_page_is_sent_with_a_policy_that_allows_no_script_no_request_and_no_framing(service):
    """Before: the page was sent as text/html with no Content-Security-Policy and no nosniff."""
    _module, url = service
    status, headers, body = _get(url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    policy = _policy(headers)
    assert policy["default-src"] == policy["script-src"] == policy["frame-ancestors"] == "'none'"
    assert policy["style-src"].startswith("'sha256-") and "sandbox" in policy
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Cache-Control"] == "no-store"
    assert "<script" not in body.lower()
    # Each learner is named by their home; the names that lead out of the homes folder were left out.
    for name in NAMES[:4]:
        assert str(markupsafe.escape(name)) in body, name
    assert "outside" not in body


def test_the_csv_is_a_download_and_says_what_it_is(service):
    """Before: the CSV came without nosniff or a download disposition, and its cells could start formulas."""
    _module, url = service
    status, headers, body = _get(url + "class-report.csv")
    assert status == 200 and headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"] == 'attachment; filename="class-report.csv"'
    assert "\n-dash," not in body and "\n'-dash," in body


def test_errors_are_plain_text_with_the_same_policy(service, monkeypatch):
    """Before: an error page was HTML without a policy, and the kit's error output went into the status line."""
    module, url = service
    status, headers, body = _get(url + "nothing-here")
    assert status == 404 and headers["Content-Type"].startswith("text/plain")
    assert headers["X-Content-Type-Options"] == "nosniff" and _policy(headers)["script-src"] == "'none'"

    async def failing(*args, **kwargs):
        return await asyncio.create_subprocess_exec(
            "python3", "-c", "import sys; sys.stderr.write('<script>alert(1)</script>'); sys.exit(3)",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)

    monkeypatch.setattr(module.asyncio, "create_subprocess_exec", failing)
    status, headers, body = _get(url)
    assert status == 500 and headers["Content-Type"].startswith("text/plain") and "<script" not in body
    assert "alert" not in headers.get("Content-Type", "") and _policy(headers)["default-src"] == "'none'"


# Chromium is driven from a process of its own: the browser tests' session may already hold this process's
# Playwright, and a second one cannot start beside it.
VISIT = """
import json, sys
from playwright.sync_api import sync_playwright
url, chromium, flags = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium, args=flags, headless=True)
    page = browser.new_page()
    seen = {"dialogs": [], "requests": []}
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.goto(url)
    page.wait_for_timeout(300)
    seen["origin"] = page.evaluate("window.origin")
    seen["text"] = page.evaluate("document.body.innerText")
    browser.close()
print(json.dumps(seen))
"""


def test_chromium_runs_nothing_from_the_served_page(service):
    """Before: the served page ran the learners' markup on the hub's origin. Now nothing runs or is fetched, and
    the header's sandbox gives the page an origin of its own (a script that got in could not reach the hub)."""
    import subprocess
    import sys

    _module, url = service
    proc = subprocess.run([sys.executable, "-c", VISIT, url, CHROMIUM, json.dumps(CHROMIUM_FLAGS)], cwd=ROOT,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout)
    assert seen["dialogs"] == [] and seen["requests"] == [url]
    assert seen["origin"] == "null"
    assert _folder_name(PAYLOADS[0]) in seen["text"]
