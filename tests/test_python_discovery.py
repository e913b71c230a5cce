"""tools/test_pythons.py (make test-pythons, in .ci/run) finds every other Python >= 3.11, the newest of each."""

import importlib.util
import stat
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("test_pythons", ROOT / "tools" / "test_pythons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_python(path, version, *, works=True, level="final"):
    """An executable that answers the probe as a Python of ``version`` would (or fails, as a pyenv shim does)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    major, minor, micro = version
    body = f"echo {major} {minor} {micro} {level} {path}" if works else "echo 'pyenv: version not selected' >&2; exit 127"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_finds_the_newest_working_release_of_each_minor_but_the_current(tool, tmp_path):
    root, bin_dir = tmp_path / "pyenv", tmp_path / "bin"
    _fake_python(root / "versions/3.12.1/bin/python3.12", (3, 12, 1))
    _fake_python(root / "versions/3.12.4/bin/python3.12", (3, 12, 4))
    _fake_python(root / "versions/3.13.0/bin/python3.13", (3, 13, 0))
    _fake_python(root / "versions/3.13.0t/bin/python3.13", (3, 13, 0))           # free-threaded build: not a folder
    _fake_python(root / "versions/3.10.13/bin/python3.10", (3, 10, 13))          # too old
    _fake_python(root / "versions/3.11.7/bin/python3.11", (3, 11, 7))            # make test's own minor
    _fake_python(bin_dir / "python3.14", (3, 14, 0), level="beta")               # a pre-release
    _fake_python(bin_dir / "python3.15", (3, 15, 0), works=False)                # a shim that cannot run
    _fake_python(bin_dir / "python3.13", (3, 13, 1))                             # newer than pyenv's 3.13.0
    found = tool.find_pythons(exclude_minor=(3, 11), search_path=str(bin_dir), pyenv_root=str(root))
    assert {minor: version for minor, (version, _path) in found.items()} == {(3, 12): (3, 12, 4), (3, 13): (3, 13, 1)}
    assert found[(3, 13)][1] == str(bin_dir / "python3.13")
    assert (3, 11) in tool.find_pythons(search_path=str(bin_dir), pyenv_root=str(root))


def test_says_when_it_finds_none(tool, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    assert tool.main(["--list"]) == 0
    assert "Other Pythons >= 3.11: none found" in capsys.readouterr().out
