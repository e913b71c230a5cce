# JupyterHub for a Lifecycle Kit course on one server.
#
# Run as root (SystemdSpawner starts each learner as a systemd unit):
#     jupyterhub -f /path/to/lifecycle-kit/deploy/jupyterhub/jupyterhub_config.py
# Read top to bottom: every setting that differs from JupyterHub's default says why.
# deploy/README.md says how to install it; demo_config.py layers a demonstration class
# (shared-password logins, no systemd) on top of this file and changes only what it names.
import os
import sys
from pathlib import Path

import nativeauthenticator

c = get_config()  # noqa: F821 (provided by JupyterHub when it reads this file)

HERE = Path(__file__).resolve().parent
# The hub's database and cookie secret persist across restarts here (created if absent).
STATE_DIR = Path(os.environ.get("LIFECYCLE_KIT_HUB_STATE", "/srv/lifecycle-kit-hub"))
STATE_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
# The course's instructor: a JupyterHub admin, and the only person who can open the class report.
INSTRUCTOR = "instructor"

# Per-learner limits, from benchmarks/bench_hub.py on the 2-core development machine (deploy/README.md):
# a notebook's kernel peaked at 243 MiB at most (06_model_building), the single-user server at 145 MiB.
# 1 GiB holds the server and three notebooks' kernels at those peaks; a learner who leaves more kernels
# running hits the limit, so idle kernels are shut down below. 24 GB then holds about 21 learners even
# if every one of them reaches the limit at once.
MEM_LIMIT = "1G"
# A learner's notebook runs on one core; on a shared server no one can take more than a core.
CPU_LIMIT = 1.0

# --- Network -----------------------------------------------------------------------------------
# Listen on loopback only: a reverse proxy (nginx, Caddy) in front terminates HTTPS and forwards here.
c.JupyterHub.bind_url = "http://127.0.0.1:8000"
# The proxy JupyterHub drives, installed from npm into this folder by `make hub` (see deploy/README.md);
# fall back to one on PATH (conda-forge or a global npm install).
_local_proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
if _local_proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(_local_proxy)]

# --- State -------------------------------------------------------------------------------------
# Keep the user database and cookie secret out of the working directory, so a restart keeps logins.
c.JupyterHub.db_url = f"sqlite:///{STATE_DIR / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE_DIR / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE_DIR / "jupyterhub-proxy.pid")

# --- Who can log in --------------------------------------------------------------------------------
# Learners sign up with a name and password at /hub/signup; the instructor approves each at /hub/authorize,
# so a course needs no system accounts and no external identity provider.
c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
c.JupyterHub.template_paths = [str(Path(nativeauthenticator.__file__).parent / "templates")]
# A password a class shares is guessed quickly: ask for a longer one and block repeated failures.
c.NativeAuthenticator.minimum_password_length = 10
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
# Approval at /hub/authorize is the allow list: JupyterHub's own list would refuse everyone not named in it.
c.Authenticator.allow_all = True
# The instructor is an admin: approves sign-ups, sees every server, reads the class report.
c.Authenticator.admin_users = {INSTRUCTOR}

# --- Each learner's server -------------------------------------------------------------------------
# SystemdSpawner runs each learner as a systemd unit, so the limits below are enforced by the kernel's
# cgroups (JupyterHub's default LocalProcessSpawner ignores mem_limit and cpu_limit).
c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
# A throwaway system user per learner (systemd DynamicUser): no accounts to create, and a learner cannot
# read another's files. Their home, where progress is recorded, is /var/lib/private/<name>.
c.SystemdSpawner.dynamic_users = True
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
c.Spawner.mem_limit = MEM_LIMIT
c.Spawner.cpu_limit = CPU_LIMIT
# The learner's own copy of the course, made at first start by singleuser.py; edits never touch the kit.
c.Spawner.notebook_dir = "~/lifecycle-kit-course"
c.Spawner.cmd = [sys.executable, str(HERE / "singleuser.py")]
# Open the course in JupyterLab on the start-here notebook.
c.Spawner.default_url = "/lab/tree/00_start_here.ipynb"
# No announcement pop-up or update check: a class is offline-first and should not be distracted.
# Kernels left idle for 30 minutes with no notebook tab open are shut down, returning their memory.
c.Spawner.args = ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                  "--MappingKernelManager.cull_idle_timeout=1800", "--MappingKernelManager.cull_interval=300"]
# One thread per numeric library, matching cpu_limit: JupyterHub passes no OMP_NUM_THREADS to servers, and
# multi-threaded scikit-learn fits on a shared 2-core machine thrash instead of finishing sooner.
c.Spawner.environment = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# A server that loads the course data and JupyterLab can take longer than the default 60 s on a busy hub.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# --- Services ------------------------------------------------------------------------------------
# The idle culler stops a learner's server after an hour without activity, returning its memory. It runs
# through idle_culler.py, which lets it stop at once when the hub stops (that file says why).
IDLE_CULLER = {
    "name": "idle-culler",
    "command": [sys.executable, str(HERE / "idle_culler.py"), "--timeout=3600", "--cull-every=300"],
}
# The class report (lifecycle-kit class-report over every learner's progress file), served to admins at
# /services/class-report/ (HTML) and /services/class-report/class-report.csv.
CLASS_REPORT = {
    "name": "class-report",
    "url": "http://127.0.0.1:10101",
    "command": [sys.executable, str(HERE / "class_report_service.py")],
    "environment": {"LIFECYCLE_KIT_LEARNER_HOMES": "/var/lib/private/{username}"},
    "oauth_no_confirm": True,
}
c.JupyterHub.services = [IDLE_CULLER, CLASS_REPORT]
c.JupyterHub.load_roles = [
    # What the culler needs to see activity and stop servers, and nothing more.
    {"name": "idle-culler", "services": ["idle-culler"],
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
    # The report lists users (to find their homes and leave admins out); it changes nothing.
    {"name": "class-report", "services": ["class-report"], "scopes": ["list:users", "read:users"]},
]
# Admins (the instructor) reach every service by JupyterHub's default admin role; learners do not.
