"""A class on JupyterHub, end to end over HTTP: `make test-hub` (not part of `make test`).

One hub (deploy/jupyterhub/jupyterhub_config.py with the overrides of demo_config.py) is started for the
module. Three learners log in through the login form, start their servers, run notebook 00 in their own
kernels and answer a self-check: Ada right, Ben wrong, Cleo reveals the solution. The instructor's class
report must show exactly those three and those answers; no learner may reach another's server or the
report; stopping the hub must stop every process it started. The tests run in file order and share
the class.
"""

import csv
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from tests.hub.hub_client import ADMIN_PASSWORD, DemoHub, Learner

pytestmark = pytest.mark.hub

NOTEBOOK = "00_start_here.ipynb"
# What each learner types in a new cell after running the notebook, and what the kernel must answer.
ANSWERS = {
    "ada": ('questions["leaky_columns"].check(["casual", "registered"])', "Feedback(correct)"),
    "ben": ('questions["trust_stage"].check("4")', "Feedback(incorrect)"),
    "cleo": ('questions["leaky_columns"].solution()', "Solution: ['casual', 'registered']"),
}


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    # pytest keeps the state folder (hub.log, the learners' homes) of the last few runs for a post-mortem.
    demo = DemoHub(state_dir=tmp_path_factory.mktemp("hub"))
    try:
        demo.start()
        yield demo
    finally:
        demo.stop()


@pytest.fixture(scope="module")
def learners(hub):
    with ThreadPoolExecutor(len(ANSWERS)) as pool:
        people = list(pool.map(lambda name: Learner(hub, name).log_in(), ANSWERS))
        list(pool.map(Learner.start_server, people))
    return {learner.name: learner for learner in people}


@pytest.fixture(scope="module")
def instructor(hub):
    return Learner(hub, "instructor", password=ADMIN_PASSWORD).log_in()


def test_each_learner_gets_a_server_with_their_own_copy_of_the_course(hub, learners):
    for name, learner in learners.items():
        response = learner.server("GET", f"/api/contents/{NOTEBOOK}", params={"content": "0"})
        assert response.status_code == 200, (name, response.text)
        assert (hub.homes / name / "lifecycle-kit-course" / NOTEBOOK).is_file()
        model = learner.api("GET", f"/hub/api/users/{name}").json()
        assert model["servers"][""]["url"] == f"/user/{name}/"
    # JupyterLab opens on the start-here notebook, with Jupyter's news feed switched off.
    landing = learners["ada"].server("GET", "/", follow_redirects=False)
    assert urlsplit(landing.headers["location"]).path == f"/user/ada/lab/tree/{NOTEBOOK}"
    page = learners["ada"].server("GET", f"/lab/tree/{NOTEBOOK}")
    assert page.status_code == 200
    config = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page.text, re.S)
    assert json.loads(config.group(1))["news"] == {"disabled": True}


def test_each_learner_runs_notebook_00_and_answers_a_self_check(learners):
    def run(learner):
        learner.start_kernel()
        learner.run_notebook(NOTEBOOK)
        code, _ = ANSWERS[learner.name]
        return learner.execute(code)

    with ThreadPoolExecutor(len(learners)) as pool:
        results = dict(zip(learners, pool.map(run, learners.values())))
    for name, result in results.items():
        assert result["status"] == "ok", (name, result)
        assert ANSWERS[name][1] in result["text"], (name, result)
    # The kernel runs for the learner the hub started it for, with the deployed one-thread setting.
    seen = learners["ada"].execute("import os; print(os.environ['JUPYTERHUB_USER'], os.environ['OMP_NUM_THREADS'])")
    assert seen["text"].split() == ["ada", "1"]


@pytest.mark.parametrize(("intruder", "owner"), [("ada", "ben"), ("ben", "cleo"), ("cleo", "ada")])
def test_no_learner_reaches_another_learners_server(learners, intruder, owner):
    visitor, host = learners[intruder], learners[owner]
    for method, path in [("GET", "/api/contents"), ("GET", "/api/kernels"),
                         ("GET", f"/api/kernels/{host.kernel_id}"), ("POST", "/api/kernels")]:
        response = visitor.api(method, f"/user/{owner}{path}", follow_redirects=False)
        assert response.status_code in (403, 404), (intruder, owner, method, path, response.status_code)
    # Nor can they stop it through the hub.
    response = visitor.api("DELETE", f"/hub/api/users/{owner}/server")
    assert response.status_code in (403, 404)
    # Their own server still answers them.
    assert visitor.server("GET", "/api/kernels").status_code == 200


def test_class_report_shows_exactly_the_three_learners_and_their_answers(hub, learners, instructor):
    # The instructor tried a question too; an admin's own tries are not a learner's and stay out.
    from lifecycle_kit.course.progress import record

    record("00_start_here", "trust_stage", event="check", status="correct", user="instructor",
           path=hub.homes / "instructor" / ".local" / "share" / "lifecycle-kit" / "progress.jsonl")
    response = instructor.api("GET", "/services/class-report/class-report.csv")
    assert response.status_code == 200, response.text
    rows = [row for row in csv.DictReader(io.StringIO(response.text)) if row["notebook"] == "00_start_here"]
    by_learner = {row["learner"]: row for row in rows}
    assert sorted(by_learner) == ["ada", "ben", "cleo"] and len(rows) == 3
    assert by_learner["ada"]["answered_right"] == "1" and by_learner["ada"]["revealed"] == "0"
    assert by_learner["ben"]["answered_right"] == "0" and by_learner["ben"]["revealed"] == "0"
    assert int(by_learner["ben"]["answered"]) >= 1
    assert by_learner["cleo"]["answered_right"] == "0" and by_learner["cleo"]["revealed"] == "1"
    assert {row["learner"] for row in csv.DictReader(io.StringIO(response.text))} == {"ada", "ben", "cleo"}

    page = instructor.api("GET", "/services/class-report/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert all(name in page.text for name in ("ada", "ben", "cleo"))
    # Through the hub's proxy too, the page forbids scripts, requests and framing, and is never sniffed.
    policy = page.headers["content-security-policy"]
    assert "script-src 'none'" in policy and "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("attachment")


def test_a_learner_cannot_open_the_class_report(learners):
    response = learners["ada"].api("GET", "/services/class-report/class-report.csv", follow_redirects=False)
    assert response.status_code == 403, response.status_code
    assert "ben" not in response.text


def test_the_idle_culler_runs_with_the_scopes_it_needs(hub, instructor):
    services = instructor.api("GET", "/hub/api/services").json()
    assert {"idle-culler", "class-report"} <= set(services)
    # The culler lists users and their servers' activity at start: answered, not refused.
    log = hub.log_path.read_text(errors="replace")
    assert re.search(r"200 GET /hub/api/users\S* \(idle-culler@", log), hub.log_tail()
    assert not re.search(r"40[13] \w+ /hub/api/\S* \(idle-culler@", log)


def test_stopping_the_hub_stops_every_process_it_started(hub, learners):
    assert hub.leftover_processes(), "the running class should have marked processes"
    killed = hub.stop()
    assert killed == [], f"still running after the hub stopped: {killed}\n{hub.log_tail()}"
    # Each server shut its own kernel down before exiting (singleuser.py): none was left to notice its parent
    # had gone, which used to happen after the hub had exited and so raced this test's look at the processes.
    stopping = hub.log_path.read_text(errors="replace").split("initiating shutdown", 1)[1]
    assert len(re.findall(r"Shutting down [1-9]\d* kernels?\n", stopping)) == len(learners), hub.log_tail(60)
    for orphaned in ("Interrupted...", "Parent appears to have exited"):
        assert orphaned not in stopping, hub.log_tail(60)
