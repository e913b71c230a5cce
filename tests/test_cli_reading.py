"""The command line on a learner's own data (issue 24): one set of reading options on every command that reads a
table, what was detected said in every output, the same counts in every format, the target never an absent
feature, `--lang` before or after the command, and a `--help` that loads no pandas."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit import cli
from lifecycle_kit.cli import main

DATA = Path(__file__).parent / "data" / "own_data"
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
TABLE_COMMANDS = ("check", "drift", "report")
READING_OPTIONS = ("--encoding", "--delimiter", "--decimal", "--thousands", "--sheet")

pytestmark = pytest.mark.usefixtures("automatic_language")


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# --- help without pandas -----------------------------------------------------------------------------------

def test_help_of_the_command_and_of_every_subcommand_loads_no_pandas_numpy_or_scipy():
    """Before: `lifecycle-kit --help` imported pandas and scipy through the drift command's choices (3-5 s)."""
    script = """
import contextlib, io, sys
from lifecycle_kit.cli import build_parser, main
commands = list(build_parser()._subparsers._group_actions[0].choices)
for argv in [["--help"], *([c, "--help"] for c in commands)]:
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            main(argv)
        except SystemExit as done:
            assert done.code == 0, (argv, done.code)
print(",".join(commands), sorted(m for m in ("pandas", "numpy", "scipy", "sklearn", "matplotlib") if m in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert {"check", "drift", "report", "lab", "manifest", "progress"} <= set(out[0].split(",")), out
    assert out[1:] == ["[]"], out


def test_the_drift_choices_written_for_the_help_are_the_ones_compare_takes():
    from lifecycle_kit.drift.compare import CORRECTIONS, METHODS

    assert cli.DRIFT_METHODS == METHODS and cli.DRIFT_CORRECTIONS == tuple(c for c in CORRECTIONS if c)


# --- reading options, from one place -------------------------------------------------------------------------

def _options(command):
    parser = cli.build_parser()
    sub = parser._subparsers._group_actions[0].choices[command]
    return {o for action in sub._actions for o in action.option_strings}


@pytest.mark.parametrize("command", TABLE_COMMANDS)
def test_every_command_that_reads_a_table_takes_the_same_reading_options(command):
    assert set(READING_OPTIONS) <= _options(command)


@pytest.fixture
def pair(tmp_path):
    """A reference and a current table written by Excel in a Russian locale: ';', decimal commas, cp1251."""
    rng = np.random.default_rng(0)
    frames = [pd.DataFrame({"масса": rng.normal(70, 5, 200).round(1), "страна": rng.choice(["США", "Россия"], 200),
                            "y": rng.integers(0, 2, 200)}) for _ in range(2)]
    frames[1]["масса"] += 20
    paths = []
    for name, frame in zip(("ref.csv", "cur.csv"), frames):
        path = tmp_path / name
        path.write_bytes(frame.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n").encode("cp1251"))
        paths.append(path)
    return frames, paths


def test_drift_reads_a_decimal_comma_pair_as_numbers_and_says_so(pair, capsys):
    """Before: drift said "share of '13,0' went from 9.0% to 0.0%": numbers compared as categories."""
    frames, (ref, cur) = pair
    code, out, _ = run(capsys, "drift", ref, cur)
    assert code == 1
    assert re.search(r"масса +numeric +ks .* yes", out), out
    assert "encoding cp1251 (confidence 1.00" in out and "delimiter ';', decimal comma" in out
    assert "note: decimal comma detected: масса holds numbers written as" in out


@pytest.mark.parametrize("command", TABLE_COMMANDS)
def test_a_forced_decimal_point_keeps_comma_numbers_as_text_and_says_it_never_silently(pair, command, capsys):
    frames, (ref, cur) = pair
    args = {"check": [ref], "drift": [ref, cur], "report": [cur, "--reference", ref]}[command]
    code, out, err = run(capsys, command, *args, "--decimal", ".")
    assert code in (0, 1), err
    assert "column масса holds numbers written as" in out and "read as text (give --decimal ','" in out


@pytest.mark.parametrize("command", TABLE_COMMANDS)
def test_a_forced_encoding_and_delimiter_are_used_and_named_as_given(pair, command, capsys):
    frames, (ref, cur) = pair
    args = {"check": [ref], "drift": [ref, cur], "report": [cur, "--reference", ref]}[command]
    code, out, err = run(capsys, command, *args, "--encoding", "cp1251", "--delimiter", ";", "--format", "json")
    assert code in (0, 1), err
    document = json.loads(out)
    readings = {"check": lambda d: [d["reading"]],
                "drift": lambda d: [d["reading"]["reference"], d["reading"]["current"]],
                "report": lambda d: d["sections"][0]["content"]}[command](document)
    if command == "report":  # a table in the report: one row per file
        assert [r["read as"] for r in readings] == ["encoding cp1251 (given), delimiter ';', decimal comma"] * 2
    else:
        assert all(r["encoding"] == "cp1251" and r["confidence"] is None and r["forced"] == ["delimiter", "encoding"]
                   and r["decimal"] == "," for r in readings), readings


@pytest.mark.parametrize("args,message", [
    (["--thousands", "x"], "--thousands must be one of"),
    (["--encoding", "no-such-codec"], "--encoding 'no-such-codec' is not an encoding Python knows"),
    (["--delimiter", "ab"], "--delimiter must be one character"),
    (["--decimal", ";"], "argument --decimal: invalid choice"),
    (["--sheet", "2"], "--sheet is for Excel workbooks (.xlsx)"),
    (["--encoding", "utf-8"], "cannot be decoded as utf-8"),
])
@pytest.mark.parametrize("command", TABLE_COMMANDS)
def test_a_bad_reading_option_is_one_line_and_exit_2(pair, command, args, message, capsys):
    frames, (ref, cur) = pair
    files = {"check": [ref], "drift": [ref, cur], "report": [cur, "--reference", ref]}[command]
    code, out, err = run(capsys, command, *files, *args)
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1 and message in err, err


def test_both_files_of_a_comparison_are_guessed_together(tmp_path, capsys):
    """Before: two halves of the same short-Cyrillic data came out as cp1252 and cp1250, and drift refused them
    as "different columns"."""
    files = [DATA / "airports_cp1251_a.csv", DATA / "airports_cp1251_b.csv"]
    code, out, err = run(capsys, "drift", *files, "--format", "json")
    assert code in (0, 1), err
    reading = json.loads(out)["reading"]
    assert reading["reference"]["encoding"] == reading["current"]["encoding"] == "cp1251"
    assert "широта" in json.loads(out)["drifted_columns"] + [c["column"] for c in json.loads(out)["columns"]]


# --- the same counts and numbers in every format ---------------------------------------------------------------

def test_check_counts_the_same_rows_and_columns_in_text_json_and_html(capsys, tmp_path):
    """Before: the text said "454 rows x 11 columns" where the JSON and the HTML said 10 (the target)."""
    path = DATA / "diabetes_a.csv"
    _, text, _ = run(capsys, "check", path, "--target", "target", "--html", tmp_path / "r.html")
    _, body, _ = run(capsys, "check", path, "--target", "target", "--format", "json")
    document = json.loads(body)
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert (document["rows"], document["columns"]) == (221, 10)
    assert f"{path}: 221 rows x 10 columns and the target 'target'" in text
    assert "221 rows × 10 columns" in html


def test_the_drift_chart_labels_each_bar_with_the_severity_of_the_table(tmp_path, capsys):
    """Before: the HTML chart capped the severity at 10.00 while the table said 15.42."""
    rng = np.random.default_rng(0)
    ref, cur = tmp_path / "ref.csv", tmp_path / "cur.csv"
    pd.DataFrame({"x": rng.normal(0, 1, 500), "z": rng.normal(0, 1, 500)}).to_csv(ref, index=False)
    pd.DataFrame({"x": rng.normal(3, 1, 500), "z": rng.normal(0, 1, 500)}).to_csv(cur, index=False)
    code, out, _ = run(capsys, "drift", ref, cur, "--format", "json", "--html", tmp_path / "d.html")
    severities = {c["column"]: c["severity"] for c in json.loads(out)["columns"]}
    assert severities["x"] > 10
    html = (tmp_path / "d.html").read_text(encoding="utf-8")
    chart = html[html.index("<svg"):html.index("</svg>")]
    # The label may carry the verdict's mark after the number (a cross: drifted).
    assert re.search(rf">{severities['x']:.2f}( [✓✗])?<", chart) and ">10.00" not in chart


def test_the_text_table_cuts_details_at_a_word_and_marks_the_cut(capsys):
    """Before: details were cut at 90 characters, mid-word, with nothing to say so."""
    _, body, _ = run(capsys, "check", DATA / "cars_a.csv", "--format", "json")
    long = {m["measure_id"]: m["detail"] for m in json.loads(body)["measures"] if len(m["detail"]) > 90}
    assert long, "no detail long enough to be cut"
    _, out, _ = run(capsys, "check", DATA / "cars_a.csv")
    for measure_id, detail in long.items():
        line = next(line for line in out.splitlines() if line.split()[:1] == [measure_id])
        assert line.endswith("…"), line
        shown = line[:-1]
        cut = max(k for k in range(1, len(detail)) if shown.endswith(detail[:k]))
        assert cut >= 45 and detail[cut] in " ,;:", (line, detail)


def test_numbers_are_grouped_alike_in_one_language(tmp_path, capsys):
    """Before: `manifest create` said "35 810 bytes" while check said "4,540 cells"."""
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "a.bin").write_bytes(b"x" * 35_810)
    code, out, _ = run(capsys, "manifest", "create", folder, "--output", tmp_path / "m.json")
    assert code == 0 and "35,810 bytes recorded" in out
    code, out, _ = run(capsys, "manifest", "create", folder, "--output", tmp_path / "m.json", "--lang", "ru")
    assert "35\u00a0810" in out


def test_report_prints_itself_as_text_by_default(capsys):
    code, out, err = run(capsys, "report", DATA / "diabetes_b.csv", "--reference", DATA / "diabetes_a.csv")
    assert code == 0, err
    assert "Data acquisition — how the files were read" in out and "System operation — drift against the reference" in out


# --- the target is no absent feature ------------------------------------------------------------------------------

def test_report_with_a_reference_and_a_target_does_not_count_the_target_absent(capsys):
    """Before: Com-ML-2 feature completeness 0.909 on diabetes ("target (absent)"): the spec inferred from the
    reference listed the target, the features did not have it."""
    code, out, err = run(capsys, "report", DATA / "diabetes_b.csv", "--reference", DATA / "diabetes_a.csv",
                         "--target", "target", "--format", "json")
    assert code == 0, err
    sections = json.loads(out)["sections"]
    quality = next(s["content"] for s in sections if s["content_kind"] == "quality_report")
    completeness = next(m for m in quality["measures"] if m["measure_id"] == "Com-ML-2")
    assert completeness["value"] == 1.0 and "absent" not in completeness["detail"]
    violations = next(s["content"] for s in sections if s["content_kind"] == "violations")
    assert not [v for v in violations if v["rule"] == "missing_column"]


def test_check_with_a_spec_that_includes_the_target_does_not_count_it_absent(tmp_path, capsys):
    from lifecycle_kit.quality import infer_spec

    path = DATA / "cars_a.csv"
    infer_spec(pd.read_csv(path)).save(tmp_path / "spec.json")  # the whole table, the target among the columns
    code, out, err = run(capsys, "check", path, "--spec", tmp_path / "spec.json", "--target", "Страна", "--format",
                         "json")
    assert code == 0, err
    document = json.loads(out)
    completeness = next(m for m in document["measures"] if m["measure_id"] == "Com-ML-2")
    assert "absent" not in completeness["detail"]
    assert not [v for v in document["violations"] if v["rule"] == "missing_column"]


# --- the reader's language ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("position", ["before", "after"])
def test_lang_works_before_and_after_the_command(position, capsys):
    """Before: `lifecycle-kit --lang ru check FILE` was refused; only `check FILE --lang ru` was accepted."""
    args = ["check", DATA / "diabetes_a.csv"]
    args = ["--lang", "ru", *args] if position == "before" else [*args, "--lang", "ru"]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert "строк" in out and "код показателя" in out and "пройден" in out


def test_russian_tables_say_their_headings_and_yes_no_in_russian_and_json_stays_english(tmp_path, capsys):
    ref, cur = DATA / "cars_cp1251_a.csv", DATA / "cars_cp1251_b.csv"
    code, out, _ = run(capsys, "--lang", "ru", "drift", ref, cur, "--html", tmp_path / "d.html")
    header = next(line for line in out.splitlines() if "критерий" in line)
    assert "p_value" not in header and "drifted" not in header and "explanation" not in header
    assert re.search(r"\bда\b", out) and "True" not in out and "False" not in out
    assert "десятичная запятая" in out  # what was detected, in Russian
    html = (tmp_path / "d.html").read_text(encoding="utf-8")
    assert ">критерий</th>" in html and ">drifted</th>" not in html
    code, body, _ = run(capsys, "--lang", "ru", "drift", ref, cur, "--format", "json")
    _, english, _ = run(capsys, "drift", ref, cur, "--format", "json")
    assert json.loads(body) == json.loads(english)
    assert {"column", "p_value", "drifted"} <= set(json.loads(body)["columns"][0])


def test_reader_errors_are_in_russian(tmp_path, capsys):
    code, _, err = run(capsys, "--lang", "ru", "check", tmp_path / "nope.csv")
    assert code == 2 and err.startswith("error: ") and CYRILLIC.search(err) and "nope.csv" in err
    (tmp_path / "empty.csv").write_text("")
    code, _, err = run(capsys, "check", tmp_path / "empty.csv", "--lang", "ru")
    assert code == 2 and CYRILLIC.search(err) and err.count("\n") == 1


# --- Excel sheets ---------------------------------------------------------------------------------------------------

@pytest.fixture
def workbook(tmp_path):
    pytest.importorskip("openpyxl", reason="reading .xlsx is the excel extra")
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"x": [1.5, 2.5, 3.5] * 20, "y": [0, 1, 1] * 20}).to_excel(writer, sheet_name="Лист1", index=False)
        # Numbers typed into text cells in a Russian spreadsheet.
        pd.DataFrame({"x": ["1,5", "2,5", "4,5"] * 20, "y": [0, 1, 0] * 20}).to_excel(writer, sheet_name="март",
                                                                                      index=False)
    return path


@pytest.mark.parametrize("sheet", ["март", "2"])
def test_a_sheet_is_chosen_by_name_or_number_and_its_text_numbers_are_named(workbook, sheet, capsys):
    code, out, err = run(capsys, "check", workbook, "--sheet", sheet, "--format", "json")
    assert code == 0, err
    reading = json.loads(out)["reading"]
    assert reading["sheet"] == "март"
    assert reading["notes"] == ["column x holds numbers written as 1,5 but is read as text (give --decimal ',' to "
                                "read them as numbers)"]
    code, out, err = run(capsys, "check", workbook, "--sheet", sheet, "--decimal", ",", "--format", "json")
    assert json.loads(out)["reading"]["notes"] == [] and json.loads(out)["columns"] == 2


def test_the_first_sheet_is_read_by_default_and_the_others_are_mentioned(workbook, capsys):
    code, out, err = run(capsys, "drift", workbook, workbook, "--format", "json")
    reading = json.loads(out)["reading"]["reference"]
    assert reading["sheet"] == "Лист1" and "the workbook has 2 sheets; the first, 'Лист1', was read" in reading["notes"][0]


def test_an_unknown_sheet_names_the_sheets(workbook, capsys):
    code, _, err = run(capsys, "report", workbook, "--sheet", "апрель")
    assert code == 2 and "no sheet 'апрель'; its sheets are 'Лист1', 'март'" in err and err.count("\n") == 1


def test_a_missing_specification_is_named_in_russian(capsys):
    code, _, err = run(capsys, "check", DATA / "diabetes_a.csv", "--spec", "no-such-spec.json", "--lang", "ru")
    assert code == 2 and err.startswith("error: не удаётся прочитать спецификацию no-such-spec.json: ")
