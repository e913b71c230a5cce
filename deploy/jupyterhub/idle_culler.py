"""JupyterHub's idle culler (the jupyterhub-idle-culler package), run as a managed service of the hub.

JupyterHub stops a managed service with SIGINT, and sends SIGTERM only 10 s later. A hub started as a
background job of a shell (`make hub &`, nohup, a CI step) runs with SIGINT ignored and passes that on to the
processes it starts, so the culler ignored the SIGINT and every stop of the hub waited those 10 s. Here SIGINT
is Python's own again (the culler catches the KeyboardInterrupt and exits quietly) and SIGTERM ends it; the
culler keeps no state of its own (it reads activity from the hub), so stopping it at once loses nothing.
Arguments are the culler's own (`--timeout`, `--cull-every`, ...).
"""

import runpy
import signal

signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
runpy.run_module("jupyterhub_idle_culler", run_name="__main__", alter_sys=True)
