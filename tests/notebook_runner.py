"""Execute a course notebook the way a learner's fresh kernel would, with the network blocked.

Shared by the notebook tests and the benchmarks.
"""

import ast
import re
import time
from pathlib import Path
from typing import Any, NamedTuple

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


def assert_committed_without_outputs(path):
    """A notebook in git carries no outputs, execution counts or saved widget state."""
    import json

    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, f"{Path(path).name}: clear outputs"
    assert "widgets" not in raw["metadata"], f"{Path(path).name}: saved widget state"
    return raw


def notebook_paths():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


# A course cell takes seconds; a cell that exceeds CELL_TIMEOUT_S raises, output left on IOPub after the reply gets
# IOPUB_TIMEOUT_S and then raises, and a stalled run is retried once in a fresh kernel. Every stall is recorded in
# STALL_LOG so it stays visible when the retry passes.
CELL_TIMEOUT_S = 60
IOPUB_TIMEOUT_S = 10
STALL_LOG = ROOT / "tests" / "artifacts" / "notebook-stalls.log"

# A "lost" execute_reply (issue 27: 9 of 72 runs at load 6-9 paused ~60 s after a cell that made a widget lab, no
# CPU used, no error; once ~300 s when the timeout was 300) was a wakeup lost between two libraries:
# - nbclient mimics the front end's Output widget: when a cell prints into an Output (every lab redraws into
#   one), it sends the new state back to the kernel as a comm message on the shell channel, from its IOPub task,
#   while its reply task awaits the cell's execute_reply on that same shell socket (nbclient issue 312);
# - jupyter_client sends through a blocking shadow of the asyncio socket. A ZeroMQ send also processes the
#   socket's pending commands: when the execute_reply has just arrived, the send consumes the notice of it, and
#   pyzmq, which waits for that notice (edge-triggered), is never woken. The reply sits in the socket until the
#   poll's timeout (the cell timeout) ends the wait; pyzmq then looks once more, finds it, and the run goes on.
# The shell channel below reads the socket's events through its asyncio wrapper after every send: pyzmq then looks
# at once and wakes a waiting poll (tests/test_notebook_runner.py reproduces the lost wakeup and its fix). It also
# counts a reply that came only when its wait timed out: a stall, reported by run_notebook.
_LATE_REPLIES: list[float] = []


def _kernel_manager_class(*, rearm=True):
    """The kernel manager of the test runs (and its shell channel class); ``rearm=False`` keeps jupyter_client's
    plain send, to measure the stalls it leads to (benchmarks/bench_notebooks.py)."""
    import zmq
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.channels import AsyncZMQSocketChannel
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Type, default

    class RearmingShellChannel(AsyncZMQSocketChannel):
        def send(self, msg):
            super().send(msg)
            if rearm:
                self.socket.get(zmq.EVENTS)  # the asyncio socket rechecks its events and wakes a waiting poll

        async def get_msg(self, timeout=None):
            start = time.monotonic()
            msg = await super().get_msg(timeout)
            waited = time.monotonic() - start
            # A reply in the last moments of a long wait: a wait for a cell's reply (a short one, as the
            # one-second polls of the kernel's start, can end there by chance).
            if timeout is not None and timeout >= 5 and waited >= 0.95 * timeout:
                _LATE_REPLIES.append(waited)
            return msg

    class TestKernelClient(AsyncKernelClient):
        shell_channel_class = Type(RearmingShellChannel)

    class TestKernelManager(AsyncKernelManager):
        @default("client_factory")
        def _client_factory_default(self):
            return TestKernelClient

    return TestKernelManager, RearmingShellChannel


def _record_stall(path, attempt, err):
    import datetime
    import warnings

    line = (f"{datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')} {Path(path).name} "
            f"attempt {attempt}: {type(err).__name__}: {str(err).strip().splitlines()[0] if str(err).strip() else ''}")
    STALL_LOG.parent.mkdir(parents=True, exist_ok=True)
    with open(STALL_LOG, "a", encoding="utf-8") as log:
        log.write(line + "\n")
    warnings.warn(f"notebook stall, retrying in a fresh kernel: {line}", stacklevel=3)


class NotebookRun(NamedTuple):
    """One successful run: the executed notebook, wall and CPU seconds (this process and the kernel, which is
    its child), replies that came only when their wait timed out (stalls), and the attempts it took."""

    notebook: Any
    seconds: float
    cpu_seconds: float
    stalls: int
    attempts: int


def _cpu_seconds():
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _run_once(path, cwd, timeout, check_code_snippets, rearm=True):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    guard = nbformat.v4.new_code_cell(SOCKET_GUARD)
    guard.metadata["tags"] = ["injected-socket-guard"]
    nb.cells.insert(0, guard)
    if check_code_snippets:
        snippets = nbformat.v4.new_code_cell(SNIPPET_CELL.format(root=str(ROOT), name=Path(path).stem))
        snippets.metadata["tags"] = ["injected-snippet-check"]
        nb.cells.append(snippets)
    client = NotebookClient(nb, timeout=timeout, iopub_timeout=IOPUB_TIMEOUT_S, raise_on_iopub_timeout=True,
                            kernel_name="python3", kernel_manager_class=_kernel_manager_class(rearm=rearm)[0],
                            resources={"metadata": {"path": str(cwd)}})
    _LATE_REPLIES.clear()
    start, cpu = time.perf_counter(), _cpu_seconds()
    client.execute()  # the kernel is shut down and reaped: its CPU time is in RUSAGE_CHILDREN
    elapsed, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    nb.cells.pop(0)
    if check_code_snippets:
        nb.cells.pop()
    return nb, elapsed, cpu, len(_LATE_REPLIES)


def run_notebook(path, *, cwd, timeout=CELL_TIMEOUT_S, retries=1, check_code_snippets=False, rearm=True):
    """Run every cell in a fresh kernel with ``cwd`` as working directory: a :class:`NotebookRun`.

    With ``check_code_snippets``, a last injected cell runs the code written in the notebook's self-check texts
    in the same kernel (see :func:`check_snippets`); its time is included. A stall (a cell or its output timing
    out, or the kernel dying) is recorded and retried up to ``retries`` times in a fresh kernel; an error raised
    by a cell is not retried: nbclient's CellExecutionError propagates at once.
    """
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    for attempt in range(1, retries + 2):
        try:
            nb, seconds, cpu, stalls = _run_once(path, cwd, timeout, check_code_snippets, rearm)
            return NotebookRun(nb, seconds, cpu, stalls, attempt)
        except (CellTimeoutError, DeadKernelError, TimeoutError) as err:
            if attempt > retries:
                raise
            _record_stall(path, attempt, err)
    raise AssertionError("unreachable")


def execute_notebook(path, *, cwd, timeout=CELL_TIMEOUT_S, retries=1, check_code_snippets=False):
    """Run every cell in a fresh kernel (see :func:`run_notebook`): the executed notebook (injected cells removed)
    and the wall time in seconds of the successful run."""
    run = run_notebook(path, cwd=cwd, timeout=timeout, retries=retries, check_code_snippets=check_code_snippets)
    return run.notebook, run.seconds


# --- Stalls under load --------------------------------------------------------------------------------------------
# A short notebook that makes the widget labs after which the stalls came (DatasetExplorer, ProgressLab), run again
# and again while processes burning CPU keep the machine busy: tests/test_notebook_stalls.py and make bench.
LAB_CELLS = ["from lifecycle_kit.labs import DatasetExplorer, ProgressLab",
             'DatasetExplorer(dataset="iris")',
             "ProgressLab()",
             "1 + 1"]


def stall_trial(runs, *, cwd, burners=None, rearm=True, timeout=20):
    """``runs`` runs of the :data:`LAB_CELLS` notebook in fresh kernels, with ``burners`` processes (default: two
    per core) spinning on the CPU, started here and ended here: a list of :class:`NotebookRun`.

    ``timeout``: per cell; a stall lasts that long (any value of 5 s or more makes it countable). No retries: a
    stall is counted, not hidden.
    """
    import os
    import subprocess
    import sys

    path = Path(cwd) / "widget_labs.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in LAB_CELLS]
    nbformat.write(nb, path)
    count = 2 * (os.cpu_count() or 1) if burners is None else burners
    spinning = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        return [run_notebook(path, cwd=cwd, timeout=timeout, retries=0, rearm=rearm) for _ in range(runs)]
    finally:
        for process in spinning:
            process.kill()
        for process in spinning:
            process.wait()


# --- Code in self-check texts runs as written ---------------------------------------------------------------------
# Rule (documented for the notebook authors in docs/instructor_guide.md's note on self-checks):
# every text between single backticks in a notebook's self-check module (hints, explanations, solution texts,
# checker messages: every string literal of lifecycle_kit/course/selfchecks/<module>.py) is a *snippet*. A snippet is run,
# after the notebook's own cells, in a copy of the notebook's namespace when
#   1. it parses as Python, and
#   2. either one of its free names is defined by the notebook (``ds.frame.columns`` where the notebook made ``ds``),
#      or it can only be code: it contains a subscript (``x['a']``) or a call with an argument (``f(x)``).
# So prose in backticks is left alone: file names (``agency_3.csv``, ``MANIFEST.json``), column names
# (``record_id``), a method named in passing (``isna()``), a rule quoted as text (``capital_loss <= 5000``)
# — unless it uses a name the notebook defines, in which case it must run.

_SNIPPET = re.compile(r"`([^`\n]+)`")
_IGNORED_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


def _free_names(tree):
    assigned = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - assigned


def is_runnable_snippet(snippet, notebook_names):
    """Whether a backticked snippet is code the test must run (see the rule above).

    >>> is_runnable_snippet("agency_3.csv", {"ds"}), is_runnable_snippet("isna()", {"ds"})
    (False, False)
    >>> is_runnable_snippet("ds.frame.columns", {"ds"}), is_runnable_snippet("(ds.frame['a'] == 1).all()", set())
    (True, True)
    """
    try:
        tree = ast.parse(snippet.strip())
    except SyntaxError:
        return False
    if _free_names(tree) & set(notebook_names):
        return True
    return any(isinstance(n, ast.Subscript) or (isinstance(n, ast.Call) and (n.args or n.keywords))
               for n in ast.walk(tree))


def snippets_of(notebook):
    """``[(where, snippet)]`` for every backticked text in the notebook's self-check module.

    ``where`` is the question key when the text is inside a question's definition, else the enclosing function.
    """
    import importlib
    import inspect

    from lifecycle_kit.course.selfchecks import _MODULES

    name = Path(str(notebook)).stem
    if name not in _MODULES:
        return []
    source = inspect.getsource(importlib.import_module(f"lifecycle_kit.course.selfchecks.{_MODULES[name]}"))
    tree = ast.parse(source)
    owner = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for inner in ast.walk(node):
                owner.setdefault(id(inner), node.name)
    for node in ast.walk(tree):  # question keys win over the enclosing function
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and isinstance(value, ast.Call):
                    for inner in ast.walk(value):
                        owner[id(inner)] = key.value
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for snippet in _SNIPPET.findall(node.value):
                found.append((owner.get(id(node), "module"), snippet))
    return found


def check_snippets(notebook, namespace):
    """Run the notebook's runnable self-check snippets in a copy of ``namespace``; raise listing every failure."""
    names = {k for k in namespace if not k.startswith("_") and k not in _IGNORED_NAMES}
    failures, ran = [], 0
    for where, snippet in snippets_of(notebook):
        if not is_runnable_snippet(snippet, names):
            continue
        ran += 1
        try:
            exec(compile(snippet.strip(), f"<snippet {where}>", "exec"), dict(namespace))
        except Exception as err:  # every failure is reported, not only the first
            failures.append(f"{where}: `{snippet}` raised {type(err).__name__}: {err}")
    if failures:
        raise AssertionError(f"{Path(str(notebook)).name}: code in self-check texts does not run as written in the "
                             "notebook's namespace:\n" + "\n".join(failures))
    return ran


SNIPPET_CELL = '''
import sys as _lk_sys
_lk_sys.path.insert(0, {root!r})
from tests.notebook_runner import check_snippets as _lk_check_snippets
_lk_check_snippets({name!r}, globals())
'''
