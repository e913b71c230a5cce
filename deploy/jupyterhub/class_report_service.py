"""The class report as a JupyterHub service: the instructor opens it in the browser.

The hub starts this process (``c.JupyterHub.services`` in jupyterhub_config.py). On each request it asks
the hub for the learners (every user who is not an admin), finds each learner's home from the template
in ``LIFECYCLE_KIT_LEARNER_HOMES`` (``{username}`` replaced), runs ``lifecycle-kit class-report`` over
those homes and returns the result:

- ``/services/class-report/`` the HTML report,
- ``/services/class-report/class-report.csv`` the same as a table.

Access is JupyterHub's: only users granted ``access:services!service=class-report`` get in, which by
default means admins (the instructor). The service reads progress files and changes nothing.
"""

import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import Request, urlopen

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import web
from tornado.ioloop import IOLoop

REPORTS = {"": ("class-report.html", "text/html; charset=utf-8"),
           "class-report.csv": ("class-report.csv", "text/csv; charset=utf-8")}


def learner_names():
    """Names of the hub's users who are not admins (the hub's REST API, with this service's token)."""
    request = Request(url_path_join(os.environ["JUPYTERHUB_API_URL"], "users"),
                      headers={"Authorization": f"token {os.environ['JUPYTERHUB_API_TOKEN']}"})
    with urlopen(request, timeout=30) as response:
        users = json.load(response)
    return sorted(user["name"] for user in users if not user.get("admin"))


async def build_report(output_dir):
    """Run the kit's class report over the learners' homes.

    Returns None when the report was written to ``output_dir``, else the reason there is none.
    """
    template = os.environ.get("LIFECYCLE_KIT_LEARNER_HOMES", "/var/lib/private/{username}")
    homes = [Path(template.format(username=name)) for name in learner_names()]
    homes = [str(home) for home in homes if home.is_dir()]
    if not homes:
        return "No learner has started a server yet, so there is no progress to report."
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "lifecycle_kit.cli", "class-report", *homes, "--output", str(output_dir),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, stderr = await process.communicate()
    message = stderr.decode(errors="replace").strip()
    if process.returncode == 2:
        # The kit's own "error: ..." line, e.g. no learner has answered a self-check yet.
        return f"No class report yet: {message.removeprefix('error: ')}"
    if process.returncode != 0:
        raise web.HTTPError(500, reason=f"class-report failed: {message.splitlines()[-1][:300] if message else ''}")
    return None


class ClassReportHandler(HubOAuthenticated, web.RequestHandler):
    @web.authenticated
    async def get(self, name):
        if name not in REPORTS:
            raise web.HTTPError(404)
        filename, content_type = REPORTS[name]
        with tempfile.TemporaryDirectory(prefix="class-report-") as output_dir:
            missing = await build_report(output_dir)
            if missing:
                self.set_header("Content-Type", "text/plain; charset=utf-8")
                self.finish(missing + "\n")
                return
            body = (Path(output_dir) / filename).read_bytes()
        self.set_header("Content-Type", content_type)
        self.set_header("Cache-Control", "no-store")
        self.finish(body)


def main():
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    app = web.Application([
        (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
        (url_path_join(prefix, "(.*)"), ClassReportHandler),
    ], cookie_secret=os.urandom(32))
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    app.listen(url.port, url.hostname)
    IOLoop.current().start()


if __name__ == "__main__":
    main()
