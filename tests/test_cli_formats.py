"""`--format json|markdown|html` on check, drift and report: stdout holds only the document; exit codes stay 0/1/2."""

import json
import subprocess
import sys

import jsonschema
import numpy as np
import pandas as pd
import pytest

from lifecycle_kit.cli import main
from lifecycle_kit.results import result_schema


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(0)
    good = pd.DataFrame({"x": rng.normal(size=300), "g": rng.choice(list("abc"), 300), "y": rng.integers(0, 2, 300)})
    holes = good.copy()
    holes.loc[:99, "x"] = np.nan
    moved = good.assign(x=good["x"] + 2)
    paths = {}
    for name, frame in (("good", good), ("holes", holes), ("moved", moved)):
        paths[name] = tmp_path / f"{name}.csv"
        frame.to_csv(paths[name], index=False)
    return paths


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_json_is_a_valid_quality_report_with_the_gate(files, capsys):
    code, out, _ = run(capsys, "check", files["holes"], "--target", "y", "--gate", "--format", "json")
    body = json.loads(out)
    jsonschema.validate(body, result_schema("quality_report"))
    jsonschema.validate(body["gate"], result_schema("gate_result"))
    assert code == 1 and body["gate"]["passed"] is False
    assert any(r.startswith("Com-ML-1") for r in body["gate"]["reasons"])
    assert body["file"] == str(files["holes"]) and body["rows"] == 300


def test_check_json_exit_0_when_the_gate_passes(files, capsys):
    code, out, _ = run(capsys, "check", files["good"], "--target", "y", "--gate", "--format", "json")
    assert code == 0 and json.loads(out)["gate"]["passed"] is True


def test_check_html_path_still_written_and_its_note_goes_to_stderr(files, capsys, tmp_path):
    code, out, err = run(capsys, "check", files["good"], "--format", "json", "--html", tmp_path / "r.html")
    assert code == 0 and json.loads(out)["kind"] == "quality_report"
    assert "HTML report written" in err and (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("fmt, start", [("markdown", "# Data quality report"), ("html", "<!DOCTYPE html>")])
def test_check_markdown_and_html(files, capsys, fmt, start):
    code, out, _ = run(capsys, "check", files["good"], "--format", fmt)
    assert code == 0 and out.startswith(start)


def test_drift_json_exit_1_when_a_column_drifted(files, capsys):
    code, out, _ = run(capsys, "drift", files["good"], files["moved"], "--format", "json")
    body = json.loads(out)
    jsonschema.validate(body, result_schema("drift_report"))
    assert code == 1 and body["drifted_columns"] == ["x"]
    code, out, _ = run(capsys, "drift", files["good"], files["good"], "--format", "json")
    assert code == 0 and json.loads(out)["drifted_columns"] == []


@pytest.mark.parametrize("fmt, start", [("markdown", "# Data drift report"), ("html", "<!DOCTYPE html>")])
def test_drift_markdown_and_html(files, capsys, fmt, start):
    code, out, _ = run(capsys, "drift", files["good"], files["moved"], "--format", fmt)
    assert code == 1 and out.startswith(start)


def test_report_json_to_stdout_without_output_files(files, capsys):
    code, out, _ = run(capsys, "report", files["moved"], "--reference", files["good"], "--target", "y",
                       "--format", "json")
    body = json.loads(out)
    jsonschema.validate(body, result_schema("lifecycle_report"))
    assert code == 0
    kinds = [s["content_kind"] for s in body["sections"]]
    assert "quality_report" in kinds and "drift_report" in kinds


def test_report_without_an_output_file_prints_the_report_as_text(files, capsys):
    """Before: exit 2 "say where to write the report", though the help called text the default."""
    code, out, err = run(capsys, "report", files["good"])
    assert code == 0, err
    assert out.startswith("Lifecycle report: ") and "Data preparation — quality measures" in out
    assert "Com-ML-1" in out and "<" not in out and "|" not in out  # text, not HTML or Markdown


def test_bad_input_in_json_format_is_one_line_on_stderr_and_exit_2(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "lifecycle_kit.cli", "check", str(tmp_path / "nope.csv"), "--format",
                           "json"], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_an_unknown_format_is_refused(files, capsys):
    code, _, err = run(capsys, "check", files["good"], "--format", "yaml")
    assert code == 2 and "error:" in err and "yaml" in err


@pytest.mark.parametrize("command", [["check", "good"], ["drift", "good", "moved"], ["report", "good"]])
def test_json_flag_is_format_json(files, capsys, command):
    args = [files.get(a, a) for a in command]
    code_flag, out_flag, _ = run(capsys, *args, "--json")
    code_format, out_format, _ = run(capsys, *args, "--format", "json")
    assert code_flag == code_format and json.loads(out_flag)["kind"] == json.loads(out_format)["kind"]
