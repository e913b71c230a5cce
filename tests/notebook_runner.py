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


def execute_notebook(path, *, cwd, timeout=300):
    """Run every cell in a fresh kernel with ``cwd`` as working directory.

    Returns the executed notebook (guard cell removed) and the wall time in seconds.
    Raises nbclient's CellExecutionError on the first failing cell.
    """
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    guard = nbformat.v4.new_code_cell(SOCKET_GUARD)
    guard.metadata["tags"] = ["injected-socket-guard"]
    nb.cells.insert(0, guard)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nb.cells.pop(0)
    return nb, elapsed
