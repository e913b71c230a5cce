"""Start a learner's JupyterLab on their own copy of the course (the hub's ``Spawner.cmd``).

The first start copies the kit's notebooks into ``Spawner.notebook_dir`` (JupyterHub passes it as
``JUPYTERHUB_ROOT_DIR``; default ``~/lifecycle-kit-course``); later starts keep the learner's edits.
Then it becomes ``jupyterhub-singleuser`` with the arguments the hub gave, so the hub talks to it as
to any single-user server.
"""

import os
import sys
from pathlib import Path


def main(argv):
    from lifecycle_kit.course.launch import prepare_course

    course = Path(os.path.expanduser(os.environ.get("JUPYTERHUB_ROOT_DIR") or "~/lifecycle-kit-course"))
    prepare_course(course)
    os.environ["JUPYTERHUB_ROOT_DIR"] = str(course)
    command = [sys.executable, "-m", "jupyterhub.singleuser", *argv]
    # Containers and demonstration hubs often run as root; Jupyter refuses that unless told.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    os.execv(sys.executable, command)


if __name__ == "__main__":
    main(sys.argv[1:])
