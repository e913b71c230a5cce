"""Start a learner's JupyterLab on their own copy of the course (the hub's ``Spawner.cmd``).

The first start copies the kit's notebooks into ``Spawner.notebook_dir`` (JupyterHub passes it as
``JUPYTERHUB_ROOT_DIR``; default ``~/lifecycle-kit-course``); later starts keep the learner's edits.
Then it runs ``jupyterhub-singleuser`` with the arguments the hub gave, so the hub talks to it as
to any single-user server.

A stopped server shuts its kernels down first, whichever signal stops it. JupyterHub's local spawner stops a
server with SIGINT (SIGTERM only 10 s later); Jupyter Server turns SIGINT into its orderly stop only when its
standard input is a terminal, and otherwise lets Python's KeyboardInterrupt end the event loop ("Interrupted...")
before the kernels are shut down: they were left to notice their parent had gone ("Parent appears to have
exited") after the hub had already exited. So the server is started in this process, with SIGINT doing what
SIGTERM does (systemd and Kubernetes send SIGTERM, which Jupyter Server already handles so).
"""

import os
import signal
import sys
from pathlib import Path


def _stop_in_order_on_sigint():
    from jupyter_server.serverapp import ServerApp

    init_signal = ServerApp.init_signal

    def init_signal_stopping_on_sigint(self):
        init_signal(self)
        signal.signal(signal.SIGINT, self._signal_stop)  # shuts the kernels down, then stops the event loop

    ServerApp.init_signal = init_signal_stopping_on_sigint


def main(argv):
    from lifecycle_kit.course.launch import prepare_course

    course = Path(os.path.expanduser(os.environ.get("JUPYTERHUB_ROOT_DIR") or "~/lifecycle-kit-course"))
    prepare_course(course)
    os.environ["JUPYTERHUB_ROOT_DIR"] = str(course)
    # Containers and demonstration hubs often run as root; Jupyter refuses that unless told.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv = [*argv, "--allow-root"]
    _stop_in_order_on_sigint()
    from jupyterhub.singleuser import main as singleuser

    sys.argv = ["jupyterhub-singleuser", *argv]
    singleuser()


if __name__ == "__main__":
    main(sys.argv[1:])
