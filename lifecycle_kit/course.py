"""Where the course notebooks live and how JupyterLab is started on them.

An editable checkout uses the repository's ``notebooks/`` in place. An
installed wheel carries a read-only copy inside the package; ``prepare_course``
copies it to a folder of the learner's, so their edits never go into
site-packages and a reinstall never overwrites their work.
"""

import os
import shutil
from pathlib import Path

from lifecycle_kit.errors import LifecycleKitError

__all__ = ["ANNOUNCEMENTS_PLUGIN", "find_notebook", "find_notebooks_dir", "jupyter_lab_command", "list_notebooks",
           "prepare_course", "voila_command",
           "voila_environment"]

START_NOTEBOOK = "00_start_here.ipynb"
ANNOUNCEMENTS_PLUGIN = "@jupyterlab/apputils-extension:announcements"
_TOKEN_DEPRECATION = "ServerApp.token config is deprecated"


def find_notebooks_dir():
    """The notebooks shipped with the kit (repository folder first, then the wheel's copy)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "notebooks", here / "_notebooks"):
        if (candidate / START_NOTEBOOK).is_file():
            return candidate
    raise LifecycleKitError("cannot find the course notebooks (notebooks/ or lifecycle_kit/_notebooks); reinstall the kit")


def list_notebooks(folder=None):
    """Notebook file names in course order."""
    folder = Path(folder) if folder is not None else find_notebooks_dir()
    return sorted(p.name for p in folder.glob("[0-9][0-9]_*.ipynb"))


def _is_inside_site_packages(path):
    return any(part in ("site-packages", "dist-packages") for part in Path(path).parts)


def prepare_course(target=None):
    """The folder JupyterLab should open: the repository's notebooks, or a learner's copy.

    Parameters
    ----------
    target : path-like, default=None
        Where to copy the notebooks when the kit is installed from a wheel
        (default ``./lifecycle-kit-course``). Existing files are kept.
    """
    source = find_notebooks_dir()
    if target is None and not _is_inside_site_packages(source):
        return source
    target = Path(target or "lifecycle-kit-course").resolve()
    target.mkdir(parents=True, exist_ok=True)
    for notebook in source.glob("*.ipynb"):
        destination = target / notebook.name
        if not destination.exists():
            shutil.copy2(notebook, destination)
    return target


def jupyter_lab_command(root, *, port=None, open_browser=True, python=None, workspaces_dir=None):
    """The ``jupyter lab`` command line the kit uses.

    Bound to 127.0.0.1 with token authentication (JupyterLab's default),
    opening the start-here notebook, and adding ``--allow-root`` only when
    running as root. ``workspaces_dir`` should be a new empty folder: the
    workspace (open tabs, layout) then starts reset. (``?reset`` in the
    default URL would break the token link Jupyter prints, so it is not used.)

    >>> cmd = jupyter_lab_command("/course", port=8899, open_browser=False, python="python")
    >>> cmd[0], cmd[3:5], "--ServerApp.ip=127.0.0.1" in cmd, "--no-browser" in cmd
    ('python', ['-m', 'jupyterlab'], True, True)
    """
    import sys

    # Voila's server extension reads the deprecated ServerApp.token while loading (a third-party
    # warning a learner can do nothing about); silence that one message only. The news feed is
    # switched off at the server too, so a disabled announcements plugin leaves no failing request.
    cmd = [python or sys.executable, "-W", f"ignore:{_TOKEN_DEPRECATION}:DeprecationWarning", "-m", "jupyterlab",
           "--ServerApp.ip=127.0.0.1", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           f"--ServerApp.root_dir={root}",
           f"--LabApp.default_url=/lab/tree/{START_NOTEBOOK}"]
    if workspaces_dir is not None:
        cmd.append(f"--LabApp.workspaces_dir={workspaces_dir}")
    if port is not None:
        cmd.append(f"--ServerApp.port={int(port)}")
    if not open_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def find_notebook(name):
    """A course notebook by number (``"04"``, ``4``) or file name."""
    folder = find_notebooks_dir()
    text = str(name).strip()
    if text.isdigit():
        matches = sorted(folder.glob(f"{int(text):02d}_*.ipynb"))
    else:
        candidate = folder / (text if text.endswith(".ipynb") else f"{text}.ipynb")
        matches = [candidate] if candidate.is_file() else []
    if not matches:
        raise LifecycleKitError(f"no notebook {name!r}; notebooks are {', '.join(list_notebooks(folder))}")
    return matches[0]


def voila_command(notebook, *, port=8866, open_browser=True, python=None):
    """The ``voila`` command serving one notebook as an app on 127.0.0.1, code hidden, behind a token.

    Run it with :func:`voila_environment`, which lets Voila find the kit's
    offline template. ``--token`` makes Voila require a token, as JupyterLab
    does: without it any local user or web page could open the app, and each
    GET of the page starts a kernel. Voila generates the token and prints the
    URL carrying it (and opens the browser on it), unless ``JUPYTER_TOKEN`` is
    set in the environment, which then is the token.

    >>> cmd = voila_command("04_data_acquisition.ipynb", port=9000, open_browser=False, python="python")
    >>> cmd[:3], "--Voila.ip=127.0.0.1" in cmd, "--template=lifecycle" in cmd, "--no-browser" in cmd
    (['python', '-m', 'voila'], True, True, True)
    >>> "--token" in cmd
    True
    """
    import sys

    from lifecycle_kit.app_mode import TEMPLATE

    cmd = [python or sys.executable, "-m", "voila", str(notebook), "--Voila.ip=127.0.0.1", f"--port={int(port)}",
           f"--template={TEMPLATE}", "--strip_sources=True", "--show_tracebacks=False", "--token"]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


def voila_environment(base=None):
    """``os.environ`` (or ``base``) with the kit's Voila template folder first on ``JUPYTER_PATH``."""
    from lifecycle_kit.app_mode import SHARE

    env = dict(os.environ if base is None else base)
    env["JUPYTER_PATH"] = os.pathsep.join([str(SHARE), *filter(None, [env.get("JUPYTER_PATH")])])
    return env
