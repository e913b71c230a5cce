# A demonstration class on this machine: jupyterhub_config.py, then the overrides named below.
#
#     make hub            (or: jupyterhub -f deploy/jupyterhub/demo_config.py)
#
# Log in as any name with the password "lifecycle-demo"; "instructor" is the admin, with the password
# "lifecycle-demo-instructor-password". Everything not overridden here is the deployed configuration,
# so what tests/hub tests is the file a course server runs. NOT for a real class: anyone who knows the
# password can log in as any learner, and without systemd learners' servers run as the hub's own user,
# with no memory or CPU limit and no file isolation between learners.
import atexit
import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it reads this file)
# Override 1, places: the hub's state (database, cookie secret) and the learners' homes in one folder. A folder
# made here is the demonstration's own: removed when the hub exits (after it has stopped every server it started).
MADE_STATE_DIR = not os.environ.get("LIFECYCLE_KIT_HUB_STATE")
STATE_DIR = Path(os.environ.get("LIFECYCLE_KIT_HUB_STATE") or tempfile.mkdtemp(prefix="lifecycle-kit-hub-"))
os.environ["LIFECYCLE_KIT_HUB_STATE"] = str(STATE_DIR)
if MADE_STATE_DIR:
    atexit.register(shutil.rmtree, STATE_DIR, ignore_errors=True)
HOMES_DIR = STATE_DIR / "home"
load_subconfig(str(Path(__file__).resolve().with_name("jupyterhub_config.py")))  # noqa: F821


def _free_loopback_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = int(os.environ.get("LIFECYCLE_KIT_HUB_PORT", "8000"))

# Override 2, logins: JupyterHub's shared-password authenticator (the successor of its dummy one): any name.
# (LIFECYCLE_KIT_HUB_DEMO_AUTH=native keeps the deployed sign-up and approval; tests/hub checks both.)
SHARED_PASSWORD = os.environ.get("LIFECYCLE_KIT_HUB_DEMO_AUTH", "shared-password") != "native"
if SHARED_PASSWORD:
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ.get("LIFECYCLE_KIT_HUB_PASSWORD", "lifecycle-demo")
    # The instructor (an admin) logs in with a separate password; JupyterHub requires 32+ characters.
    c.SharedPasswordAuthenticator.admin_password = os.environ.get("LIFECYCLE_KIT_HUB_ADMIN_PASSWORD",
                                                                  "lifecycle-demo-instructor-password")

# Override 3, servers: local processes with a home per learner under the state folder (no systemd here).
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES_DIR / "{username}")

# Override 4, ports: loopback ports that do not clash with a real hub or with each other.
c.JupyterHub.bind_url = f"http://127.0.0.1:{PORT}"
c.JupyterHub.hub_port = _free_loopback_port()
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_free_loopback_port()}"
for service in c.JupyterHub.services:
    if service["name"] == "class-report":
        service["url"] = f"http://127.0.0.1:{_free_loopback_port()}"
        service["environment"] = {"LIFECYCLE_KIT_LEARNER_HOMES": str(HOMES_DIR / "{username}")}

# Override 5, a mark on every process the hub starts (servers, kernels, services; the proxy inherits the
# hub's environment), so tests/hub can check that stopping the hub stopped them all.
_MARK = {"LIFECYCLE_KIT_HUB_STATE": str(STATE_DIR)}
c.Spawner.environment = {**c.Spawner.environment, **_MARK}
for service in c.JupyterHub.services:
    service["environment"] = {**service.get("environment", {}), **_MARK}

# What a newcomer needs to log in, said where they look when `make hub` starts (the hub's log follows).
INSTRUCTOR = ", ".join(sorted(c.Authenticator.admin_users))  # from jupyterhub_config.py
_LOGINS = (f"  learners:   any name, password {c.SharedPasswordAuthenticator.user_password}\n"
           f"  instructor: name {INSTRUCTOR}, password {c.SharedPasswordAuthenticator.admin_password} "
           f"(an admin: the class report at /services/class-report/)\n" if SHARED_PASSWORD else
           f"  sign up at /hub/signup (the instructor first, as {INSTRUCTOR}), approve learners at /hub/authorize\n")
print(f"lifecycle-kit demo hub: http://127.0.0.1:{PORT}/\n{_LOGINS}"
      f"  state:      {STATE_DIR}{' (removed when the hub stops)' if MADE_STATE_DIR else ''}\n"
      "  stop:       Ctrl+C", file=sys.stderr, flush=True)
