"""Execute a course notebook the way a learner's fresh kernel would, with the network blocked.

Shared by the notebook tests and the benchmarks.
"""

import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

# Runs first in the kernel: any connection to a host other than this machine fails loudly,
# so a notebook that would download something cannot pass the tests.
SOCKET_GUARD = '''
import socket as _socket
_LOCAL = {"127.0.0.1", "::1", "localhost", "0.0.0.0"}
_connect, _connect_ex, _getaddrinfo = _socket.socket.connect, _socket.socket.connect_ex, _socket.getaddrinfo
def _blocked(address):
    host = address[0] if isinstance(address, tuple) else address
    return isinstance(host, str) and host not in _LOCAL
def _guard_connect(self, address, *args):
    if self.family in (_socket.AF_INET, _socket.AF_INET6) and _blocked(address):
        raise OSError(f"network access blocked in the course tests: {address}")
    return _connect(self, address, *args)
def _guard_connect_ex(self, address, *args):
    if self.family in (_socket.AF_INET, _socket.AF_INET6) and _blocked(address):
        raise OSError(f"network access blocked in the course tests: {address}")
    return _connect_ex(self, address, *args)
def _guard_getaddrinfo(host, *args, **kwargs):
    if isinstance(host, (str, bytes)) and (host.decode() if isinstance(host, bytes) else host) not in _LOCAL:
        raise OSError(f"network access blocked in the course tests: lookup of {host!r}")
    return _getaddrinfo(host, *args, **kwargs)
_socket.socket.connect, _socket.socket.connect_ex, _socket.getaddrinfo = _guard_connect, _guard_connect_ex, _guard_getaddrinfo
'''


def notebook_paths():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


# A course cell takes seconds. A lost kernel message (seen twice: notebooks 00 and 04 each took
# ~300 s once, then passed) must cost seconds too: each cell gets CELL_TIMEOUT_S, output left on
# IOPub after the reply gets IOPUB_TIMEOUT_S and then raises, and a stalled run is retried once in
# a fresh kernel. Every stall is recorded in STALL_LOG so it stays visible when the retry passes.
CELL_TIMEOUT_S = 60
IOPUB_TIMEOUT_S = 10
STALL_LOG = ROOT / "tests" / "artifacts" / "notebook-stalls.log"


def _record_stall(path, attempt, err):
    import datetime
    import warnings

    line = (f"{datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')} {path.name} "
            f"attempt {attempt}: {type(err).__name__}: {str(err).strip().splitlines()[0] if str(err).strip() else ''}")
    STALL_LOG.parent.mkdir(parents=True, exist_ok=True)
    with open(STALL_LOG, "a", encoding="utf-8") as log:
        log.write(line + "\n")
    warnings.warn(f"notebook stall, retrying in a fresh kernel: {line}", stacklevel=3)


def _run_once(path, cwd, timeout):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    guard = nbformat.v4.new_code_cell(SOCKET_GUARD)
    guard.metadata["tags"] = ["injected-socket-guard"]
    nb.cells.insert(0, guard)
    client = NotebookClient(nb, timeout=timeout, iopub_timeout=IOPUB_TIMEOUT_S, raise_on_iopub_timeout=True,
                            kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nb.cells.pop(0)
    return nb, elapsed


def execute_notebook(path, *, cwd, timeout=CELL_TIMEOUT_S, retries=1):
    """Run every cell in a fresh kernel with ``cwd`` as working directory.

    Returns the executed notebook (guard cell removed) and the wall time in seconds of the
    successful run. A stall (a cell or its output timing out, or the kernel dying) is recorded
    and retried up to ``retries`` times in a fresh kernel; an error raised by a cell is not
    retried: nbclient's CellExecutionError propagates at once.
    """
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    for attempt in range(1, retries + 2):
        try:
            return _run_once(path, cwd, timeout)
        except (CellTimeoutError, DeadKernelError, TimeoutError) as err:
            if attempt > retries:
                raise
            _record_stall(path, attempt, err)
