"""JupyterLab in Debian's Chromium, driven by Playwright for Python (never `playwright install`).

A session-wide JupyterLab serves a *copy* of the notebooks (Lab autosaves, and
the repository's notebooks must stay free of outputs), with its own settings
and workspace folders, on 127.0.0.1 with a random token.
"""

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    def __init__(self, root, port, token, process):
        self.root, self.port, self.token, self.process = root, port, token, process

    def url(self, path):
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}{path}{sep}token={self.token}"

    def api(self, path, method="GET"):
        request = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")


@contextlib.contextmanager
def running(command, *, log, **popen):
    """A server process writing its output to ``log``; stopped (terminate, kill after 20 s) when the block ends."""
    with open(log, "w") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, **popen)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def voila_app(notebook, *, folder, lang=None):
    """Serve ``notebook`` as `lifecycle-kit present` does (behind a token, from ``folder``); yield (url, token).

    Fails the test if Voila exits or does not answer within 90 s; Voila is stopped when the block ends.
    """
    from lifecycle_kit.course.launch import voila_command, voila_environment

    port, token = _free_port(), secrets.token_hex(16)
    command = voila_command(notebook, port=port, open_browser=False, lang=lang)
    # The app requires a token (as `make lab` does); the test chooses it through JUPYTER_TOKEN.
    env = voila_environment({**os.environ, "OMP_NUM_THREADS": "1", "JUPYTER_TOKEN": token}, lang=lang)
    log = folder / "voila.log"
    url = f"http://127.0.0.1:{port}/"
    with running(command, log=log, cwd=folder, env=env) as process:
        deadline = time.time() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"voila exited early:\n{log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(url + "voila/static/voila.js", timeout=5).close()
                break
            except OSError:
                if time.time() > deadline:
                    pytest.fail(f"voila did not start in 90 s:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)
        yield url, token


def _wait_until_up(server, process, log):
    deadline = time.time() + 90
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited early:\n{log.read_text()[-3000:]}")
        try:
            server.api("/api/status")
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"jupyter lab did not start in 90 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} missing: run `make test-browser` (it installs chromium as root)")
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    shutil.copytree(ROOT / "notebooks", root)
    settings = base / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Every cell stays in the DOM, so widgets below the fold render and can be found.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(base / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"), OMP_NUM_THREADS="1")
    port, token = _free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--LabApp.expose_app_in_browser=True", "--ServerApp.open_browser=False"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = base / "jupyter.log"
    with running(command, log=log, env=env, cwd=base) as process:
        server = LabServer(root, port, token, process)
        _wait_until_up(server, process, log)
        yield server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, lab_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()
    lab_server.shutdown_kernels()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
