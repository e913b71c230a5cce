"""The lifecycle report (HTML, Markdown), `lifecycle-kit report` and `lifecycle-kit present`."""

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.report import LifecycleReport


def run(*args, cwd):
    proc = subprocess.run([sys.executable, "-m", "lifecycle_kit.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory):
    """One of every result object the report can hold."""
    from lifecycle_kit.datasets import load
    from lifecycle_kit.drift import compare
    from lifecycle_kit.integrity import build_manifest, verify_manifest
    from lifecycle_kit.provenance import Datasheet, LineageRecorder
    from lifecycle_kit.quality import assess, infer_spec

    penguins = load("penguins").frame
    shifted = penguins.assign(body_mass_g=penguins["body_mass_g"] * 1.3)
    folder = tmp_path_factory.mktemp("files")
    (folder / "a.csv").write_text("x\n1\n")
    manifest = build_manifest(folder)
    recorder = LineageRecorder(penguins, name="penguins")
    recorder.apply("drop missing", lambda df: df.dropna())
    return {"quality": assess(penguins), "violations": infer_spec(penguins).validate(shifted),
            "drift": compare(penguins, shifted), "verification": verify_manifest(folder, manifest),
            "datasheet": Datasheet.from_frame(penguins, name="penguins"), "lineage": recorder.lineage,
            "frame": pd.DataFrame({"a": [1, 2]}), "text": "a note <with> markup", "dict": {"k": 1}}


def test_report_holds_every_kind_of_result_self_contained(every_kind, tmp_path):
    report = LifecycleReport("Everything", created="2026-11-22T00:00:00+00:00")
    for stage, (name, content) in zip([2, 5, 8, 4, 9, 9, "Data preparation", "anything", 1], every_kind.items()):
        report.add(stage, content, title=name)
    html = report.to_html(tmp_path / "r.html")
    assert (tmp_path / "r.html").read_text() == html
    assert "<script" not in html and not re.search(r"(src|href)=[\"']?https?://", html)
    assert html.count("<table") >= 7 and "a note &lt;with&gt; markup" in html
    assert "8. System operation — drift" in html and "body_mass_g" in html
    markdown = report.to_markdown(tmp_path / "r.md")
    assert markdown.startswith("# Everything") and markdown.count("\n## ") == len(every_kind)
    assert "| body_mass_g" in markdown or "body_mass_g |" in markdown


def test_report_refuses_what_it_cannot_show():
    with pytest.raises(LifecycleKitError, match="cannot show a ndarray"):
        LifecycleReport("x").add(5, np.zeros(3))


@pytest.fixture
def tables(tmp_path):
    rng = np.random.default_rng(0)
    reference = pd.DataFrame({"x": rng.normal(0, 1, 300), "c": rng.choice(["a", "b"], 300), "y": rng.integers(0, 2, 300)})
    current = reference.assign(x=reference["x"] + 1.5)
    reference.to_csv(tmp_path / "ref.csv", index=False)
    current.to_csv(tmp_path / "cur.csv", index=False)
    return tmp_path


def test_cli_report_writes_html_and_markdown(tables):
    code, out, err = run("report", "cur.csv", "--reference", "ref.csv", "--target", "y", "--html", "r.html",
                         "--markdown", "r.md", "--title", "Batch 7", cwd=tables)
    assert code == 0, err
    html = (tables / "r.html").read_text()
    assert "Batch 7" in html and "<script" not in html and "drift against the reference" in html
    assert "x" in (tables / "r.md").read_text() and "5 sections" in out  # how the files were read is the fifth


def test_cli_report_with_integrity(tables):
    (tables / "files").mkdir()
    (tables / "files" / "a.csv").write_text("x\n1\n")
    assert run("manifest", "create", "files", cwd=tables)[0] == 0
    (tables / "files" / "a.csv").write_text("x\n2\n")
    code, _, err = run("report", "cur.csv", "--manifest-dir", "files", "--manifest", "files/MANIFEST.json",
                       "--html", "r.html", cwd=tables)
    assert code == 0, err
    assert "a.csv" in (tables / "r.html").read_text()


@pytest.mark.parametrize("args,message", [
    (["report", "missing.csv", "--html", "r.html"], "missing.csv"),
    (["report", "cur.csv", "--target", "nope", "--html", "r.html"], "target 'nope'"),
    (["report", "cur.csv", "--manifest-dir", "files", "--html", "r.html"], "needs both"),
    (["present", "99"], "no notebook '99'"),
])
def test_cli_bad_input_exits_2_with_one_line(tables, args, message):
    code, _, err = run(*args, cwd=tables)
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1 and message in err, err


def test_present_command_serves_one_notebook_locally_with_the_offline_template(tables):
    code, out, _ = run("present", "04", "--print-command", "--port", "9123", "--no-browser", cwd=tables)
    assert code == 0
    assert "04_data_acquisition.ipynb" in out and "--Voila.ip=127.0.0.1" in out and "--port=9123" in out
    assert "--template=lifecycle" in out and "--strip_sources=True" in out and "--no-browser" in out


def test_find_notebook_and_the_template_folder():
    from lifecycle_kit.app_mode import SHARE, TEMPLATE
    from lifecycle_kit.course.launch import find_notebook, voila_environment

    assert find_notebook("4").name == find_notebook("04_data_acquisition").name == "04_data_acquisition.ipynb"
    assert find_notebook(11).name == "11_capstone_multi_source.ipynb"
    with pytest.raises(LifecycleKitError, match="no notebook 'x'; notebooks are 00_start_here"):
        find_notebook("x")
    template = SHARE / "voila" / "templates" / TEMPLATE / "index.html.j2"
    assert template.is_file() and "extends 'lab/index.html.j2'" in template.read_text()
    env = voila_environment({"JUPYTER_PATH": "/elsewhere"})
    assert env["JUPYTER_PATH"].split(":") == [str(SHARE), "/elsewhere"]
