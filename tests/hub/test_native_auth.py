"""The deployed authenticator: learners sign up, the instructor approves them, only then they log in.

A hub from demo_config.py with LIFECYCLE_KIT_HUB_DEMO_AUTH=native, i.e. jupyterhub_config.py's
NativeAuthenticator as deployed; no servers are started.
"""

import pytest

from tests.hub.hub_client import DemoHub, Learner

pytestmark = pytest.mark.hub

STRONG = "seven-lilac-harbours"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    demo = DemoHub(state_dir=tmp_path_factory.mktemp("hub"), authenticator="native")
    try:
        yield demo.start()
    finally:
        demo.stop()


def test_sign_up_then_approval_then_login(hub):
    instructor, dana = Learner(hub, "instructor", password=STRONG), Learner(hub, "dana", password=STRONG)
    # The instructor, an admin, is approved at sign-up; a learner waits for approval.
    assert instructor.sign_up().status_code == 200
    assert dana.sign_up().status_code == 200
    with dana.browser() as browser:
        assert not dana.log_in_session(browser)
        assert browser.get("/hub/authorize").status_code == 403
    with instructor.browser() as browser:
        assert instructor.log_in_session(browser)
        assert "dana" in browser.get("/hub/authorize").text
        assert browser.get("/hub/authorize/dana").status_code == 302
    with dana.browser() as browser:
        assert dana.log_in_session(browser)


def test_a_short_or_common_password_is_refused(hub):
    for password in ("short1", "password123"):
        eve = Learner(hub, f"eve{len(password)}", password=password)
        eve.sign_up()
        with eve.browser() as browser:
            assert not eve.log_in_session(browser), password
