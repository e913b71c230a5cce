import json
import os
import subprocess
import sys

import pytest

from lifecycle_kit.cli import main
from lifecycle_kit.course.launch import jupyter_lab_command


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "lifecycle_kit.cli", *args], capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def test_datasets_lists_the_registry(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert "adult" in out and "48842" in out and "CC0 1.0" in out


def test_datasets_json(capsys):
    assert main(["datasets", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in records} >= {"adult", "digits"} and all(r["sha256"] for r in records)


def test_doctor_reports_versions_and_verified_data(capsys):
    code = main(["doctor"])
    out = capsys.readouterr().out
    assert "data:adult" in out and "SHA-256 verified" in out and "numpy" in out and "chromium" in out
    assert code == (1 if "FAIL" in out else 0)


@pytest.mark.parametrize("args", [[], ["bogus"], ["datasets", "--nope"], ["lab", "--port", "abc"]])
def test_bad_arguments_exit_2_with_one_line(args):
    code, out, err = run(*args)
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err


def test_lab_command_is_local_with_token_and_opens_start_here(capsys):
    assert main(["lab", "--print-command", "--no-browser", "--port", "8899"]) == 0
    out = capsys.readouterr().out
    assert "--ServerApp.ip=127.0.0.1" in out and "default_url=/lab/tree/00_start_here.ipynb" in out
    assert "--ServerApp.port=8899" in out and "--LabApp.workspaces_dir=" in out
    # The default: a random token, never set (or disabled) on the command line.
    assert "--ServerApp.token" not in out and "--IdentityProvider.token" not in out


def test_lab_removes_its_workspace_folder_when_jupyterlab_stops(monkeypatch, capsys):
    seen = {}

    def fake_call(command):
        folder = next(a.split("=", 1)[1] for a in command if a.startswith("--LabApp.workspaces_dir="))
        seen["folder"] = folder
        seen["existed"] = os.path.isdir(folder)
        return 0

    monkeypatch.setattr("subprocess.call", fake_call)
    monkeypatch.setattr("subprocess.run", lambda *a, **k: None)
    assert main(["lab", "--no-browser"]) == 0
    assert seen["existed"] and not os.path.exists(seen["folder"])


def test_lab_copy_only_copies_both_editions_and_starts_nothing(tmp_path, monkeypatch, capsys):
    from lifecycle_kit.course.launch import find_notebooks_dir, list_notebooks

    started = []
    monkeypatch.setattr("subprocess.call", lambda *a, **k: started.append(a))
    monkeypatch.setattr("subprocess.run", lambda *a, **k: started.append(a))
    assert main(["lab", "--copy-only", "--dir", str(tmp_path / "course")]) == 0
    course = tmp_path / "course"
    assert started == [] and str(course) in capsys.readouterr().out
    assert list_notebooks(course) == list_notebooks() and len(list_notebooks(course)) >= 12
    assert list_notebooks(course / "ru") == list_notebooks(find_notebooks_dir() / "ru")
    assert not (course / "solutions").exists()  # offered by a flag, not copied unasked


def test_lab_with_solutions_copies_them_and_keeps_the_learners_edits(tmp_path, monkeypatch):
    from lifecycle_kit.course.launch import find_notebooks_dir, list_notebooks

    monkeypatch.setattr("subprocess.call", lambda *a, **k: 0)
    course = tmp_path / "course"
    assert main(["lab", "--copy-only", "--dir", str(course)]) == 0
    edited = course / "04_data_acquisition.ipynb"
    edited.write_text("the learner's own work", encoding="utf-8")
    assert main(["lab", "--copy-only", "--with-solutions", "--dir", str(course)]) == 0
    solutions = list_notebooks(find_notebooks_dir() / "solutions")
    assert solutions and list_notebooks(course / "solutions") == solutions
    assert edited.read_text(encoding="utf-8") == "the learner's own work"


def test_lab_dir_with_solutions_opens_the_copy(tmp_path, capsys):
    assert main(["lab", "--dir", str(tmp_path / "c"), "--with-solutions", "--print-command", "--no-browser"]) == 0
    assert f"--ServerApp.root_dir={tmp_path / 'c'}" in capsys.readouterr().out
    assert (tmp_path / "c" / "solutions" / "04_data_acquisition.ipynb").is_file()


def test_present_without_voila_names_the_extra_to_install(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "voila" else real(name, *a))
    monkeypatch.setattr("subprocess.call", lambda *a, **k: pytest.fail("Voila was started"))
    assert main(["present", "04", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert 'pip install "lifecycle-kit[present]"' in err


def test_doctor_checks_for_voila(monkeypatch):
    import importlib.metadata

    from lifecycle_kit.doctor import check_app_mode

    assert check_app_mode().status == "ok" and "Voila" in check_app_mode().detail
    real = importlib.metadata.version

    def without_voila(name):
        if name == "voila":
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(importlib.metadata, "version", without_voila)
    check = check_app_mode()
    assert check.status == "warn" and 'pip install "lifecycle-kit[present]"' in check.detail


def test_lab_quiets_the_third_party_token_deprecation_and_the_news_feed():
    command = jupyter_lab_command("/x")
    assert "--ServerApp.jpserver_extensions=voila.server_extension=False" in command
    assert "--LabApp.news_url=None" in command


@pytest.mark.notebook
def test_lab_starts_without_a_deprecation_warning(tmp_path):
    """`make lab` used to log a DeprecationWarning for ServerApp.token (from Voila's server extension)."""
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = jupyter_lab_command(tmp_path, port=port, open_browser=False)
    log = tmp_path / "lab.log"
    with open(log, "w") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 90
        while "is running at" not in log.read_text() and time.time() < deadline and process.poll() is None:
            time.sleep(0.5)
        text = log.read_text()
        assert "is running at" in text, text[-2000:]
        assert "DeprecationWarning" not in text, text
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_allow_root_only_as_root(monkeypatch):
    monkeypatch.setattr("os.geteuid", lambda: 0)
    assert "--allow-root" in jupyter_lab_command("/x")
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    assert "--allow-root" not in jupyter_lab_command("/x")
