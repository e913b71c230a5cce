"""`lifecycle-kit check`: exit 0 passed, 1 gate failed, 2 bad input with one line and no traceback."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit.tables import read_table


def run(*args, cwd=None):
    proc = subprocess.run([sys.executable, "-m", "lifecycle_kit.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)
    return proc.returncode, proc.stdout, proc.stderr


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


@pytest.fixture
def good(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=300), "g": rng.choice(list("abc"), 300), "y": rng.integers(0, 2, 300)})
    path = tmp_path / "good.csv"
    frame.to_csv(path, index=False)
    return path


def test_clean_file_passes_the_gate(good, tmp_path):
    code, out, err = run("check", good, "--target", "y", "--gate", "--html", tmp_path / "r.html")
    assert code == 0, err
    assert "gate passed" in out and "Com-ML-1" in out and "300 rows x 2 columns and the target 'y'" in out
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")


def test_gate_failure_exits_1_with_reasons(tmp_path):
    frame = pd.DataFrame({"x": [1.0, None, None, 4.0] * 20, "y": [0, 1] * 40})
    path = tmp_path / "holes.csv"
    frame.to_csv(path, index=False)
    code, out, err = run("check", path, "--target", "y", "--gate")
    assert code == 1 and "gate FAILED" in out and "Com-ML-1 value completeness = 0.500" in out


def test_thresholds_from_the_command_line(good):
    code, out, _ = run("check", good, "--target", "y", "--gate", "--threshold", "Bal-ML-1=0.999")
    assert code == 1 and "Bal-ML-1 label balance" in out
    code, _, err = run("check", good, "--threshold", "Com-ML-1")
    assert code == 2 and err == "error: --threshold expects ID=VALUE (e.g. Com-ML-1=0.9); got 'Com-ML-1'\n"


def test_spec_file_is_used(good, tmp_path):
    from lifecycle_kit.quality import infer_spec

    spec = infer_spec(pd.read_csv(good))
    spec.columns["x"].max = 0.0
    spec.save(tmp_path / "spec.json")
    code, out, _ = run("check", good, "--spec", tmp_path / "spec.json")
    assert code == 0 and "specification: given" in out and "violation: x: range" in out


BAD_INPUTS = {
    "empty": (b"", "the file is empty"),
    "blank lines only": (b"\n\n  \n", "the file is empty"),
    "header only": (b"a,b,c\n", "has a header but no data rows"),
    "ragged": (b"a,b\n1,2\n3,4,5\n", "line 3 has 3 fields but the header has 2"),
    # pandas would make the first column the index and shift every value left
    "every row one field too many": (b"a,b\n1,2,3\n4,5,6\n", "line 2 has 3 fields but the header has 2"),
    "duplicate columns": (b"a,b,a\n1,2,3\n", "duplicate column names: a"),
    "binary": (b"\x00\x01\x02PK\x03\x04" * 50, "looks like a binary file"),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_files_exit_2_with_one_line(tmp_path, name):
    content, message = BAD_INPUTS[name]
    path = write(tmp_path / "bad.csv", content)
    code, out, err = run("check", path)
    assert code == 2, out
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err
    assert "Traceback" not in err and str(path) in err


@pytest.mark.parametrize("args,message", [
    (["check", "missing.csv"], "missing.csv: no such file"),
    (["check", "."], "is a folder"),
    (["check", "good.csv", "--target", "nope"], "--target 'nope' is not a column"),
    (["check", "good.csv", "--spec", "missing.json"], "cannot read spec missing.json"),
    (["check"], "the following arguments are required: file"),
])
def test_bad_arguments_exit_2(good, args, message):
    code, _, err = run(*args, cwd=good.parent)
    assert code == 2 and message in err and err.count("\n") == 1


def test_legacy_encodings_and_delimiters_are_read(tmp_path):
    text = "имя;город;возраст\n" + "".join(f"Иван{i};Казань;{20 + i % 50}\n" for i in range(40))
    path = write(tmp_path / "cp1251.csv", text, encoding="cp1251")
    code, out, err = run("check", path)
    assert code == 0 and "encoding cp1251" in out and "delimiter ';'" in out and "40 rows x 3 columns" in out
    latin = write(tmp_path / "latin.csv", "name\tcity\n" + "José\tMünchen\n" * 20, encoding="cp1252")
    code, out, _ = run("check", latin)
    assert code == 0 and "encoding cp1252" in out and "delimiter '\\t'" in out
    bom = write(tmp_path / "bom.csv", "\ufeffa,b\n1,2\n3,4\n")
    code, out, _ = run("check", bom)
    assert code == 0 and "encoding utf-8-sig" in out


@pytest.mark.parametrize("content,finding", [
    ("a,b\n,1\n,2\n,3\n", "Com-ML-1"),                                    # a column that is all NaN
    ("a,b\ninf,1\n-inf,2\n3,3\n", "Acc-ML-3"),                           # infinities
    ("a,b\n1,2\n", "1 rows x 2 columns"),                                 # a single row
    ("a,b\n1,x\ntwo,y\n3.5,z\nTrue,w\n", "Acc-ML-1"),                     # mixed types
])
def test_awkward_but_readable_files_get_a_report_not_a_traceback(tmp_path, content, finding):
    code, out, err = run("check", write(tmp_path / "odd.csv", content))
    assert code == 0, err
    assert finding in out and "Traceback" not in err


def test_a_million_distinct_categories(tmp_path):
    path = tmp_path / "ids.csv"
    pd.DataFrame({"id": [f"u{i}" for i in range(1_000_000)], "v": np.arange(1_000_000) % 7}).to_csv(path, index=False)
    code, out, err = run("check", path)
    assert code == 0, err
    assert "1,000,000 rows" in out and "Eff-ML-1" in out


def test_trailing_delimiters_keep_every_value_in_its_column(tmp_path):
    # Some exporters end every row with the delimiter: the empty extra field carries nothing.
    path = write(tmp_path / "trailing.csv", "a,b\n1,2,\n4,5,\n7,8,\n")
    table = read_table(path)
    assert list(table.frame.columns) == ["a", "b"]
    assert table.frame["a"].tolist() == [1, 4, 7] and table.frame["b"].tolist() == [2, 5, 8]


def test_a_reader_that_stops_early_gets_no_error_line(good):
    # `lifecycle-kit check data.csv | head -1`: the closed pipe is not bad input.
    process = subprocess.Popen([sys.executable, "-m", "lifecycle_kit.cli", "check", str(good)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # gone before the first line is written, so every write meets a closed pipe
    err = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in err and "error:" not in err
    assert process.returncode == 141
