"""The class report as a JupyterHub service: the instructor opens it in the browser.

The hub starts this process (``c.JupyterHub.services`` in jupyterhub_config.py). On each request it asks
the hub for the learners (every user who is not an admin), finds each learner's home from the template
in ``LIFECYCLE_KIT_LEARNER_HOMES`` (``{username}`` replaced), runs ``lifecycle-kit class-report`` with
each learner's home named (``--learners-file``: a file counts for the learner whose home holds it, whatever
it says)
and returns the result:

- ``/services/class-report/`` the HTML report,
- ``/services/class-report/class-report.csv`` the same as a table (a download).

Access is JupyterHub's: only users granted ``access:services!service=class-report`` get in, which by
default means admins (the instructor). The service reads progress files and changes nothing.

The page is served on the hub's origin to a logged-in admin and shows what learners wrote, so every
response says what it is and allows nothing to run: the kit's Content-Security-Policy for report pages
(no script, no request, no framing, a sandbox), ``X-Content-Type-Options: nosniff``, no caching, and errors
as plain text. The kit escapes every value in the page itself (lifecycle_kit.course.report_output).
"""

import asyncio
import json
import logging
import os
import signal
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import Request, urlopen

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import web

from lifecycle_kit.course.report_output import content_security_policy

REPORTS = {"": ("class-report.html", "text/html; charset=utf-8"),
           "class-report.csv": ("class-report.csv", "text/csv; charset=utf-8")}
log = logging.getLogger("class-report")


def learner_names():
    """Names of the hub's users who are not admins (the hub's REST API, with this service's token)."""
    request = Request(url_path_join(os.environ["JUPYTERHUB_API_URL"], "users"),
                      headers={"Authorization": f"token {os.environ['JUPYTERHUB_API_TOKEN']}"})
    with urlopen(request, timeout=30) as response:
        users = json.load(response)
    return sorted(user["name"] for user in users if not user.get("admin"))


def learner_homes(names, template):
    """``{name: home}`` for the names that make a home inside the template's folder (a name such as ``..`` or
    ``a/b`` would point elsewhere: it is left out and logged)."""
    homes = {}
    for name in names:
        if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
            log.warning("class report: user name %r cannot name a home folder; left out", name)
            continue
        homes[name] = Path(template.format(username=name))
    return homes


async def build_report(output_dir):
    """Run the kit's class report over the learners' homes.

    Returns None when the report was written to ``output_dir``, else the reason there is none.
    """
    template = os.environ.get("LIFECYCLE_KIT_LEARNER_HOMES", "/var/lib/private/{username}")
    # lexists, not is_dir: a home that is a link is named all the same, and the report says it was not followed.
    homes = {name: home for name, home in learner_homes(learner_names(), template).items() if os.path.lexists(home)}
    if not homes:
        return "No learner has started a server yet, so there is no progress to report."
    # A file, not --learner NAME HOME: a hub user name may start with a dash, which an option parser misreads.
    named = Path(output_dir) / "learners.json"
    named.write_text(json.dumps({name: str(home) for name, home in homes.items()}), encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "lifecycle_kit.cli", "class-report", "--learners-file", str(named),
        "--output", str(output_dir),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, stderr = await process.communicate()
    message = stderr.decode(errors="replace").strip()
    if process.returncode == 2:
        # The kit's own "error: ..." line, e.g. no learner has answered a self-check yet.
        return f"No class report yet: {message.removeprefix('error: ')}"
    if process.returncode != 0:
        # The details go to the hub's log, not into a status line or a page.
        raise web.HTTPError(500, "class-report exited with %s: %s", process.returncode, message[-2000:])
    return None


class ClassReportHandler(HubOAuthenticated, web.RequestHandler):
    def set_default_headers(self):
        # Also on redirects and errors (tornado calls this again when it clears a response for an error).
        self.set_header("Content-Security-Policy", content_security_policy(header=True))
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-store")

    def write_error(self, status_code, **kwargs):
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}: the class report could not be made; the hub's log says why.\n"
                    if status_code >= 500 else f"{status_code}\n")

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
        if filename.endswith(".csv"):
            self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        self.finish(body)


async def serve():
    """Serve until the hub stops the service, then return (the process exits with status 0, no traceback).

    JupyterHub stops a managed service with SIGINT, and with SIGTERM only 10 s later. Both stop this one at
    once, whatever the signal dispositions it inherited: a hub started as a background job of a shell (`make hub
    &`, nohup, a CI step) runs with SIGINT ignored and passes that on to its services, which then sat out the
    10 s; and in a terminal the default SIGINT printed a KeyboardInterrupt traceback into the hub's log.
    """
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    app = web.Application([
        (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
        (url_path_join(prefix, "(.*)"), ClassReportHandler),
    ], cookie_secret=os.urandom(32))
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopped.set)
    server = app.listen(url.port, url.hostname)
    await stopped.wait()
    server.stop()


def main():
    asyncio.run(serve())


if __name__ == "__main__":
    main()
