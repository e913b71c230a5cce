"""Drive the demonstration hub (deploy/jupyterhub/demo_config.py) as a class would, over HTTP only.

Used by tests/hub/test_hub.py and benchmarks/bench_hub.py. A :class:`DemoHub` starts JupyterHub on a
free loopback port with its own state folder; a :class:`Learner` logs in through the login form, gets
an API token, starts their server and runs code in a kernel over the Jupyter server's websocket.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
HUB_DIR = ROOT / "deploy" / "jupyterhub"
PASSWORD = "lifecycle-demo-password"
ADMIN_PASSWORD = "lifecycle-demo-instructor-password-for-tests"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _processes_marked_with(marker):
    """Pids of live processes whose environment holds ``marker`` (everything a demo hub started)."""
    found = []
    needle = marker.encode() + b"\0"  # a whole environment entry, so /x/hub1 does not match /x/hub10
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes() + b"\0":
                found.append(int(entry.name))
        except OSError:
            continue  # gone, or not ours to read
    return found


class DemoHub:
    """A JupyterHub started from demo_config.py, stopped (with everything it started) by :meth:`stop`."""

    def __init__(self, *, state_dir=None, timeout=180, authenticator="shared-password"):
        self.authenticator = authenticator
        self.state_dir = Path(state_dir or tempfile.mkdtemp(prefix="lk-hub-test-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.timeout = timeout
        self.log_path = self.state_dir / "hub.log"
        self.process = None

    @property
    def homes(self):
        return self.state_dir / "home"

    def start(self):
        proxy = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
        if not proxy.exists():
            raise RuntimeError(f"{proxy} is missing: run `make hub-proxy` (npm ci in deploy/jupyterhub)")
        env = {**os.environ, "LIFECYCLE_KIT_HUB_STATE": str(self.state_dir),
               "LIFECYCLE_KIT_HUB_PORT": str(self.port), "LIFECYCLE_KIT_HUB_PASSWORD": PASSWORD,
               "LIFECYCLE_KIT_HUB_ADMIN_PASSWORD": ADMIN_PASSWORD,
               "LIFECYCLE_KIT_HUB_DEMO_AUTH": self.authenticator,
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(HUB_DIR / "demo_config.py")],
            cwd=self.state_dir, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/hub/login", timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the hub did not answer within {self.timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def leftover_processes(self):
        """Processes the hub started (proxy, services, servers, kernels) that are still alive."""
        return _processes_marked_with(f"LIFECYCLE_KIT_HUB_STATE={self.state_dir}")

    def stop(self, *, timeout=60):
        """Stop the hub gracefully (it stops servers, services and proxy); kill whatever survives.

        Returns the pids that had to be killed (empty when the graceful stop was complete).
        """
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        survivors = self.leftover_processes()
        for pid in survivors:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if getattr(self, "_log", None):
            self._log.close()
        return survivors


class Learner:
    """One person in the class: a login session, an API token, a server and a kernel."""

    def __init__(self, hub, name, *, password=PASSWORD):
        self.hub = hub
        self.name = name
        self.password = password
        self.token = None
        self.kernel_id = None

    def browser(self):
        """A cookie-keeping HTTP client on the hub, as a browser would be (redirects not followed)."""
        return httpx.Client(base_url=self.hub.url, timeout=60)

    def submit(self, browser, page, fields):
        """GET a form page for its _xsrf cookie, then POST the form's fields with it."""
        browser.get(page).raise_for_status()
        return browser.post(page, data={**fields, "_xsrf": browser.cookies.get("_xsrf", path="/hub/")})

    def sign_up(self):
        """Sign up on NativeAuthenticator's page; return its answer."""
        with self.browser() as browser:
            return self.submit(browser, "/hub/signup", {"username": self.name, "signup_password": self.password,
                                                        "signup_password_confirmation": self.password})

    def log_in_session(self, browser):
        """Log in through the login form in ``browser``; True when the hub accepted the password."""
        response = self.submit(browser, "/hub/login", {"username": self.name, "password": self.password})
        return response.status_code == 302

    def log_in(self):
        """Log in through the login form (with its _xsrf field) and create an API token in that session."""
        with self.browser() as browser:
            if not self.log_in_session(browser):
                raise RuntimeError(f"the hub refused the login of {self.name}")
            response = browser.post(f"/hub/api/users/{self.name}/tokens", json={"note": "class test"},
                                    headers={"X-XSRFToken": browser.cookies.get("_xsrf", path="/hub/")})
            response.raise_for_status()
        self.token = response.json()["token"]
        return self

    @property
    def headers(self):
        return {"Authorization": f"token {self.token}"}

    def api(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 120)
        return httpx.request(method, f"{self.hub.url}{path}", headers=self.headers, **kwargs)

    def start_server(self, *, timeout=240):
        """Ask the hub for this learner's server and wait until it is ready; return the seconds it took."""
        started = time.monotonic()
        response = self.api("POST", f"/hub/api/users/{self.name}/server")
        if response.status_code not in (201, 202):
            raise RuntimeError(f"starting {self.name}'s server answered {response.status_code}: {response.text}")
        while time.monotonic() - started < timeout:
            model = self.api("GET", f"/hub/api/users/{self.name}").json()
            if model["servers"].get("", {}).get("ready"):
                return time.monotonic() - started
            time.sleep(0.5)
        raise RuntimeError(f"{self.name}'s server was not ready within {timeout} s")

    def server(self, method, path, **kwargs):
        """A request to this learner's own single-user server (the Jupyter server REST API)."""
        return self.api(method, f"/user/{self.name}{path}", **kwargs)

    def start_kernel(self):
        response = self.server("POST", "/api/kernels", json={"name": "python3"})
        response.raise_for_status()
        self.kernel_id = response.json()["id"]
        return self.kernel_id

    def execute(self, code, *, timeout=180):
        """Run code in this learner's kernel; return ``{"status", "text", "error"}`` from its messages."""
        import websocket

        url = f"ws://127.0.0.1:{self.hub.port}/user/{self.name}/api/kernels/{self.kernel_id}/channels"
        connection = websocket.create_connection(url, header=[f"Authorization: token {self.token}"],
                                                 timeout=timeout)
        try:
            msg_id = uuid.uuid4().hex
            connection.send(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.name,
                           "session": uuid.uuid4().hex, "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                            "allow_stdin": False, "stop_on_error": True},
            }))
            texts, error, status, idle = [], None, None, False
            deadline = time.monotonic() + timeout
            while not (idle and status) and time.monotonic() < deadline:
                message = json.loads(connection.recv())
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = message["msg_type"], message["content"]
                if kind == "stream":
                    texts.append(content["text"])
                elif kind in ("execute_result", "display_data"):
                    texts.append(content["data"].get("text/plain", ""))
                elif kind == "error":
                    error = f"{content['ename']}: {content['evalue']}"
                elif kind == "execute_reply":
                    status = content["status"]
                elif kind == "status" and content["execution_state"] == "idle":
                    idle = True
            if not (idle and status):
                raise RuntimeError(f"{self.name}'s kernel did not finish within {timeout} s")
            return {"status": status, "text": "\n".join(texts), "error": error}
        finally:
            connection.close()

    def run_notebook(self, path):
        """Run every code cell of a notebook in this learner's server, in order, in this learner's kernel."""
        response = self.server("GET", f"/api/contents/{path}")
        response.raise_for_status()
        for cell in response.json()["content"]["cells"]:
            if cell["cell_type"] != "code":
                continue
            result = self.execute(cell["source"])
            if result["status"] != "ok":
                raise RuntimeError(f"{self.name}: a cell of {path} failed: {result['error']}")
