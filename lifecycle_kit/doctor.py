"""Environment checks behind ``lifecycle-kit doctor``: versions, data integrity, Jupyter, browser.

Each check returns a :class:`Check` with a status (``ok``, ``warn``, ``fail``)
and a sentence a learner or an instructor can act on. Nothing here prints.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lifecycle_kit.i18n import _, ngettext

__all__ = ["Check", "doctor_summary", "run_checks"]

CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str


def _version_tuple(text):
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3])


def _requirements():
    """(name, lower bound) for each runtime dependency, read from the installed metadata."""
    try:
        requires = importlib.metadata.requires("lifecycle-kit") or []
    except importlib.metadata.PackageNotFoundError:
        return []
    out = []
    for req in requires:
        if "extra ==" in req:
            continue
        match = re.match(r"^([A-Za-z0-9_.\-]+)\s*(?:>=\s*([0-9.]+))?", req)
        if match:
            out.append((match.group(1), match.group(2)))
    return out


def check_python():
    ok = sys.version_info >= (3, 11)
    return Check("python", "ok" if ok else "fail",
                 f"Python {sys.version.split()[0]}" + ("" if ok else _("; the kit needs Python 3.11 or newer")))


def check_dependencies():
    checks = []
    requirements = _requirements()
    if not requirements:
        return [Check("lifecycle-kit", "warn",
                      _("the kit is not installed as a package; run `make lab` or `pip install -e .`"))]
    for name, lower in requirements:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            checks.append(Check(name, "fail", _("{name} is not installed; run `make test` to create the environment",
                                                name=name)))
            continue
        if lower and _version_tuple(version) < _version_tuple(lower):
            checks.append(Check(name, "fail", _("{name} {version} is older than the tested minimum {lower}",
                                                name=name, version=version, lower=lower)))
        else:
            checks.append(Check(name, "ok", f"{name} {version}"))
    return checks


def check_data():
    from lifecycle_kit.datasets import list_datasets, load
    from lifecycle_kit.errors import LifecycleKitError

    checks = []
    for name in list_datasets()["name"]:
        try:
            ds = load(name)
            checks.append(Check(f"data:{name}", "ok", _("SHA-256 verified, {rows:,} rows", rows=len(ds.frame))))
        except LifecycleKitError as err:
            checks.append(Check(f"data:{name}", "fail", str(err)))
    return checks


def check_jupyter():
    checks = []
    try:
        version = importlib.metadata.version("jupyterlab")
        checks.append(Check("jupyterlab", "ok", f"JupyterLab {version}"))
    except importlib.metadata.PackageNotFoundError:
        return [Check("jupyterlab", "fail", _("JupyterLab is not installed"))]
    widgets = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyter-widgets" / "jupyterlab-manager"
    checks.append(Check("widgets extension", "ok" if widgets.is_dir() else "fail",
                        _("ipywidgets front-end installed") if widgets.is_dir()
                        else _("ipywidgets front-end missing at {path}; reinstall ipywidgets", path=widgets)))
    page_config = Path(sys.prefix) / "etc" / "jupyter" / "labconfig" / "page_config.json"
    disabled = False
    if page_config.is_file():
        try:
            from lifecycle_kit.course.launch import ANNOUNCEMENTS_PLUGIN

            disabled = bool(json.loads(page_config.read_text()).get("disabledExtensions", {}).get(ANNOUNCEMENTS_PLUGIN))
        except (OSError, ValueError):
            disabled = False
    checks.append(Check("news popup", "ok" if disabled else "warn",
                        _("JupyterLab news popup disabled") if disabled
                        else _("the JupyterLab news popup is enabled; `lifecycle-kit lab` disables it")))
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        specs = KernelSpecManager().find_kernel_specs()
        checks.append(Check("kernel", "ok" if "python3" in specs else "fail",
                            _("python3 kernel available") if "python3" in specs
                            else _("no python3 kernel: install ipykernel")))
    except ImportError:
        checks.append(Check("kernel", "fail", _("jupyter_client missing")))
    return checks


def check_app_mode():
    """Voila, which ``lifecycle-kit present`` needs (the ``present`` extra); the course itself runs without it."""
    try:
        version = importlib.metadata.version("voila")
    except importlib.metadata.PackageNotFoundError:
        return Check("voila", "warn", _("Voila not installed: `lifecycle-kit present` (app mode) needs it; "
                                        "pip install \"lifecycle-kit[present]\""))
    return Check("voila", "ok", _("Voila {version} (app mode: lifecycle-kit present)", version=version))


def check_browser():
    chromium = Path(CHROMIUM)
    found = chromium.is_file() or shutil.which("chromium") is not None
    detail = (_("Chromium at {path}", path=CHROMIUM if chromium.is_file() else shutil.which("chromium")) if found
              else _("Chromium not found: browser tests need `apt-get install -y chromium fonts-dejavu-core` "
                     "(make test-browser installs it when run as root)"))
    checks = [Check("chromium", "ok" if found else "warn", detail)]
    try:
        version = importlib.metadata.version("playwright")
        checks.append(Check("playwright", "ok", _("Playwright for Python {version}", version=version)))
    except importlib.metadata.PackageNotFoundError:
        checks.append(Check("playwright", "warn", _("Playwright not installed (only the browser tests need it)")))
    return checks


def run_checks() -> list[Check]:
    """Run every check; returns a list of :class:`Check` in a stable order."""
    return [check_python(), *check_dependencies(), *check_data(), *check_jupyter(), check_app_mode(),
            *check_browser()]


def doctor_summary(checks: Sequence[Check]) -> str:
    """One line saying what happened, naming only the outcomes that occurred.

    >>> doctor_summary([Check("a", "ok", ""), Check("b", "ok", "")])
    '2 checks: all passed'
    >>> doctor_summary([Check("a", "ok", ""), Check("b", "warn", ""), Check("c", "fail", "")])
    '3 checks: 1 passed, 1 warning, 1 failed'
    """
    counts = {status: sum(c.status == status for c in checks) for status in ("ok", "warn", "fail")}
    if counts["ok"] == len(checks):
        return ngettext("{n} check: all passed", "{n} checks: all passed", len(checks))
    parts = [ngettext("{n} passed", "{n} passed", counts["ok"])]
    if counts["warn"]:
        parts.append(ngettext("{n} warning", "{n} warnings", counts["warn"]))
    if counts["fail"]:
        parts.append(ngettext("{n} failed", "{n} failed", counts["fail"]))
    return ngettext("{n} check: {outcomes}", "{n} checks: {outcomes}", len(checks), outcomes=", ".join(parts))
