"""Where the course notebooks live and how JupyterLab is started on them.

An editable checkout uses the repository's ``notebooks/`` in place. An
installed wheel carries a read-only copy inside the package; ``prepare_course``
copies it to a folder of the learner's, so their edits never go into
site-packages and a reinstall never overwrites their work.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from lifecycle_kit.errors import LifecycleKitError

__all__ = ["ANNOUNCEMENTS_PLUGIN", "TRANSLATION_PLUGIN", "find_notebook", "find_notebooks_dir", "jupyter_lab_command",
           "jupyterlab_locale", "lab_settings_dir", "list_notebooks", "prepare_course", "start_notebook",
           "voila_command", "voila_environment"]

START_NOTEBOOK = "00_start_here.ipynb"
#: JupyterLab's announcements plugin; the course's settings turn it off (it would ask the internet for news).
ANNOUNCEMENTS_PLUGIN = "@jupyterlab/apputils-extension:announcements"
#: JupyterLab's setting that chooses the language of its own menus and dialogs (needs the language pack).
TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"
VOILA_SERVER_EXTENSION = "voila.server_extension"


def find_notebooks_dir() -> Path:
    """The notebooks shipped with the kit (repository folder first, then the wheel's copy)."""
    package = Path(__file__).resolve().parent.parent  # lifecycle_kit/
    for candidate in (package.parent / "notebooks", package / "_notebooks"):
        if (candidate / START_NOTEBOOK).is_file():
            return candidate
    from lifecycle_kit.i18n import _

    raise LifecycleKitError(_("cannot find the course notebooks (notebooks/ or lifecycle_kit/_notebooks); "
                              "reinstall the kit"))


def list_notebooks(folder: str | os.PathLike[str] | None = None) -> list[str]:
    """Notebook file names in course order."""
    folder = Path(folder) if folder is not None else find_notebooks_dir()
    return sorted(p.name for p in folder.glob("[0-9][0-9]_*.ipynb"))


def _is_inside_site_packages(path):
    return any(part in ("site-packages", "dist-packages") for part in Path(path).parts)


def prepare_course(target: str | os.PathLike[str] | None = None, *, solutions: bool = False) -> Path:
    """The folder JupyterLab should open: the repository's notebooks, or a learner's copy.

    Parameters
    ----------
    target : path-like, default=None
        Where to copy the notebooks when the kit is installed from a wheel
        (default ``./lifecycle-kit-course``). Existing files are kept, so a
        learner's edits survive a second copy and a reinstall.
    solutions : bool, default=False
        Copy the solutions notebooks too (``solutions/``: every code exercise
        filled in). A checkout used in place has them in ``notebooks/solutions``
        already.

    Returns
    -------
    pathlib.Path
        The folder with the start-here notebook at its top.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> course = prepare_course(Path(tempfile.mkdtemp()) / "course", solutions=True)
    >>> (course / "00_start_here.ipynb").is_file(), (course / "ru" / "00_start_here.ipynb").is_file()
    (True, True)
    >>> len(list_notebooks(course)) == len(list_notebooks()), (course / "solutions").is_dir()
    (True, True)
    """
    source = find_notebooks_dir()
    if target is None and not _is_inside_site_packages(source):
        return source
    from lifecycle_kit.i18n import available_languages

    target = Path(target or "lifecycle-kit-course").resolve()
    target.mkdir(parents=True, exist_ok=True)
    # The English notebooks, and each translated edition in its language's folder (notebooks/ru/...).
    folders = [source] + [source / lang for lang in available_languages() if (source / lang).is_dir()]
    if solutions and (source / "solutions").is_dir():
        folders.append(source / "solutions")
    for folder in folders:
        for notebook in folder.glob("*.ipynb"):
            destination = target / notebook.relative_to(source)
            if not destination.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(notebook, destination)
    return target


def start_notebook(root: str | os.PathLike[str], lang: str = "en") -> tuple[str, bool]:
    """The start-here notebook of the edition in ``lang``, relative to ``root``, and whether it exists.

    The translated editions live in a folder named after their language
    (``ru/00_start_here.ipynb``); the English one is at the top. When the
    edition is missing, the English notebook is returned with ``False``.

    >>> start_notebook("/nowhere", "en")
    ('00_start_here.ipynb', True)
    >>> start_notebook("/nowhere", "ru")
    ('00_start_here.ipynb', False)
    """
    if lang == "en":
        return START_NOTEBOOK, True
    if (Path(root) / lang / START_NOTEBOOK).is_file():
        return f"{lang}/{START_NOTEBOOK}", True
    return START_NOTEBOOK, False


def jupyterlab_locale(lang: str) -> str | None:
    """The locale of the installed JupyterLab language pack for ``lang`` (``"ru"`` -> ``"ru_RU"``), or None.

    English is JupyterLab's own language (``None``: no pack needed).
    """
    if lang == "en":
        return None
    from importlib.metadata import entry_points

    packs = sorted(ep.name for ep in entry_points(group="jupyterlab.languagepack"))
    return next((name for name in packs if name.replace("-", "_").split("_")[0].lower() == lang), None)


def lab_settings_dir(target: str | os.PathLike[str], *, locale: str,
                     source: str | os.PathLike[str] | None = None) -> Path:
    """Make a per-launch JupyterLab application settings folder that selects ``locale``.

    JupyterLab reads default-setting overrides from ``overrides.json`` in its
    application settings folder. The kit copies JupyterLab's own folder
    (``source``, when it exists, so its other overrides still apply), adds
    ``{"@jupyterlab/translation-extension:plugin": {"locale": locale}}`` and
    starts JupyterLab with ``--LabApp.app_settings_dir`` pointing there: the
    language applies to this launch only and nothing is edited by hand. A
    language the learner picks in Settings > Language is a user setting and
    still wins.

    >>> import json, tempfile, pathlib
    >>> folder = lab_settings_dir(tempfile.mkdtemp(), locale="ru_RU")
    >>> json.loads((folder / "overrides.json").read_text())
    {'@jupyterlab/translation-extension:plugin': {'locale': 'ru_RU'}}
    """
    target = Path(target)
    if source is not None and Path(source).is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    target.mkdir(parents=True, exist_ok=True)
    path = target / "overrides.json"
    overrides = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    overrides.setdefault(TRANSLATION_PLUGIN, {})["locale"] = locale
    path.write_text(json.dumps(overrides, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def default_app_settings_dir() -> Path:
    """JupyterLab's own application settings folder (``<app dir>/settings``) for this Python.

    The rule of ``jupyterlab.commands.get_app_dir`` for an environment install ($JUPYTERLAB_DIR, else
    ``<sys.prefix>/share/jupyter/lab``), without importing that module: it takes seconds to import.
    """
    import sys

    app_dir = os.environ.get("JUPYTERLAB_DIR") or os.path.join(sys.prefix, "share", "jupyter", "lab")
    return Path(app_dir) / "settings"


def jupyter_lab_command(root: str | os.PathLike[str], *, port: int | None = None, open_browser: bool = True,
                        python: str | None = None, workspaces_dir: str | os.PathLike[str] | None = None,
                        start: str = START_NOTEBOOK,
                        app_settings_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """The ``jupyter lab`` command line the kit uses.

    Bound to 127.0.0.1 with token authentication (JupyterLab's default),
    opening the start-here notebook, and adding ``--allow-root`` only when
    running as root. ``workspaces_dir`` should be a new empty folder: the
    workspace (open tabs, layout) then starts reset. (``?reset`` in the
    default URL would break the token link Jupyter prints, so it is not used.)
    ``start`` is the notebook opened first, relative to ``root``;
    ``app_settings_dir`` a folder made by :func:`lab_settings_dir` (the
    language of JupyterLab's own interface).

    >>> cmd = jupyter_lab_command("/course", port=8899, open_browser=False, python="python")
    >>> cmd[:3], "--ServerApp.ip=127.0.0.1" in cmd, "--no-browser" in cmd
    (['python', '-m', 'jupyterlab'], True, True)
    """
    import sys

    # Voila's server extension reads the deprecated ServerApp.token while loading and re-enables
    # traitlets' deprecation warnings on import, so a -W filter cannot silence it: the course Lab does
    # not load that extension (app mode runs Voila on its own, `lifecycle-kit present`). The news feed
    # is switched off at the server too, so a disabled announcements plugin leaves no failing request.
    cmd = [python or sys.executable, "-m", "jupyterlab",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.jpserver_extensions={VOILA_SERVER_EXTENSION}=False",
           "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           f"--ServerApp.root_dir={root}",
           f"--LabApp.default_url=/lab/tree/{start}"]
    if app_settings_dir is not None:
        cmd.append(f"--LabApp.app_settings_dir={app_settings_dir}")
    if workspaces_dir is not None:
        cmd.append(f"--LabApp.workspaces_dir={workspaces_dir}")
    if port is not None:
        cmd.append(f"--ServerApp.port={int(port)}")
    if not open_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def find_notebook(name: str | int, *, lang: str = "en") -> Path:
    """A course notebook by number (``"04"``, ``4``) or file name, in the edition of ``lang``.

    When that edition has no such notebook, the English one is returned (its
    folder then is not named ``lang``; the caller can say so).
    """
    folder = find_notebooks_dir()
    if lang != "en" and (folder / lang).is_dir():
        try:
            return _find_in(folder / lang, name)
        except LifecycleKitError:
            pass
    return _find_in(folder, name)


def _find_in(folder, name):
    text = str(name).strip()
    if text.isdigit():
        matches = sorted(folder.glob(f"{int(text):02d}_*.ipynb"))
    else:
        candidate = folder / (text if text.endswith(".ipynb") else f"{text}.ipynb")
        matches = [candidate] if candidate.is_file() else []
    if not matches:
        from lifecycle_kit.i18n import _

        raise LifecycleKitError(_("no notebook '{name}'; notebooks are {notebooks}", name=name,
                                  notebooks=", ".join(list_notebooks(folder))))
    return matches[0]


def voila_command(notebook: str | os.PathLike[str], *, port: int = 8866, open_browser: bool = True,
                  python: str | None = None, lang: str | None = None) -> list[str]:
    """The ``voila`` command serving one notebook as an app on 127.0.0.1, code hidden, behind a token.

    The page says its language (``<html lang>``, for screen readers and
    hyphenation): ``lang``, or by default the edition the notebook belongs to
    (``notebooks/ru/...`` is Russian, anything else English).

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
    >>> "--HTMLExporter.language_code=ru" in voila_command("ru/04_data_acquisition.ipynb", open_browser=False)
    True
    """
    import sys
    from pathlib import PurePath

    from lifecycle_kit.app_mode import TEMPLATE
    from lifecycle_kit.i18n import available_languages, normalise_language

    if lang is None:
        folder = PurePath(str(notebook)).parent.name
        lang = folder if folder in available_languages() else "en"
    cmd = [python or sys.executable, "-m", "voila", str(notebook), "--Voila.ip=127.0.0.1", f"--port={int(port)}",
           f"--template={TEMPLATE}", "--strip_sources=True", "--show_tracebacks=False", "--token",
           f"--HTMLExporter.language_code={normalise_language(lang)}"]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


def voila_environment(base: Mapping[str, str] | None = None, *, lang: str | None = None) -> dict[str, str]:
    """``os.environ`` (or ``base``) with the kit's Voila template folder first on ``JUPYTER_PATH``.

    With ``lang``, ``LIFECYCLE_KIT_LANG`` is set too, so the kernel shows the labs in that language.
    """
    from lifecycle_kit.app_mode import SHARE
    from lifecycle_kit.i18n import ENV_VARIABLE

    env = dict(os.environ if base is None else base)
    if lang is not None:
        env[ENV_VARIABLE] = lang
    env["JUPYTER_PATH"] = os.pathsep.join([str(SHARE), *filter(None, [env.get("JUPYTER_PATH")])])
    return env
