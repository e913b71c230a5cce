"""Execute a course notebook the way a learner's fresh kernel would, with the network blocked.

Shared by the notebook tests and the benchmarks.
"""

import ast
import re
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

    line = (f"{datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')} {Path(path).name} "
            f"attempt {attempt}: {type(err).__name__}: {str(err).strip().splitlines()[0] if str(err).strip() else ''}")
    STALL_LOG.parent.mkdir(parents=True, exist_ok=True)
    with open(STALL_LOG, "a", encoding="utf-8") as log:
        log.write(line + "\n")
    warnings.warn(f"notebook stall, retrying in a fresh kernel: {line}", stacklevel=3)


def _run_once(path, cwd, timeout, check_code_snippets):
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
                            kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nb.cells.pop(0)
    if check_code_snippets:
        nb.cells.pop()
    return nb, elapsed


def execute_notebook(path, *, cwd, timeout=CELL_TIMEOUT_S, retries=1, check_code_snippets=False):
    """Run every cell in a fresh kernel with ``cwd`` as working directory.

    With ``check_code_snippets``, a last injected cell runs the code written in the notebook's self-check texts
    in the same kernel (see :func:`check_snippets`); its time is included.

    Returns the executed notebook (injected cells removed) and the wall time in seconds of the
    successful run. A stall (a cell or its output timing out, or the kernel dying) is recorded
    and retried up to ``retries`` times in a fresh kernel; an error raised by a cell is not
    retried: nbclient's CellExecutionError propagates at once.
    """
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    for attempt in range(1, retries + 2):
        try:
            return _run_once(path, cwd, timeout, check_code_snippets)
        except (CellTimeoutError, DeadKernelError, TimeoutError) as err:
            if attempt > retries:
                raise
            _record_stall(path, attempt, err)


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
