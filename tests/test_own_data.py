"""Learners' own tables, the way their tools write them (issue 24): ``tests/data/own_data/``.

Three open tables this project did not prepare — scikit-learn's diabetes, vega_datasets' cars and airports
(``README.md`` there says where from) — each split into a reference and a current part and written by
``tools/make_own_data.py`` the way Russian- and European-locale tools write them (``cases.json``: Excel's
``;``/decimal-comma CSV, Excel's UTF-16 "Unicode text", cp1251, KOI8-R and cp866 with short Cyrillic in a
mostly ASCII file, a byte-order mark, CRLF, a delimiter ending every line, digits grouped with a no-break or
a narrow no-break space). Every copy must read to the frame of the clean UTF-8 original, and ``check``,
``drift`` and ``report`` must print the same documents in every format as on the original: only the file
names and the lines saying how the files were read may differ.

Before this test, the Excel copy of diabetes was read as text ("categories seen fewer than 10 times: age 38,
bmi 163...") and the cp1251 airports as cp1252 with garbled column names.
"""

import contextlib
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from lifecycle_kit.cli import main
from lifecycle_kit.tables import read_tables

DATA = Path(__file__).parent / "data" / "own_data"

# Every test here runs with pyarrow's CSV reader and with pandas' (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("csv_parser")
CASES = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))
VARIANTS = [case for case in CASES if case["name"] != case["table"]]
TARGETS = {"diabetes": "target", "cars": "Страна", "airports": None}


def _ids(case):
    return case["name"]


@pytest.mark.parametrize("case", VARIANTS, ids=_ids)
def test_each_copy_reads_to_the_frame_of_its_clean_original_and_says_how(case, csv_parser):
    tables = read_tables([DATA / name for name in case["files"]])
    for table, original in zip(tables, case["original"]):
        pd.testing.assert_frame_equal(table.frame, pd.read_csv(DATA / original), check_exact=True)
        # Read by the parser asked for (digits grouped by a no-break space are converted after parsing, by either).
        assert table.parser == csv_parser, table.parser_reason
        options = table.options
        raw = (DATA / Path(table.path).name).read_bytes()
        # The detected encoding gives the text that was written (an ASCII-only cp1251 file is read as UTF-8).
        assert raw.decode(options.encoding) == raw.decode(case["encoding"]).lstrip("\ufeff")
        assert options.confidence >= 0.95, table.describe()
        assert (options.delimiter, options.decimal, options.thousands) == (case["delimiter"], case["decimal"],
                                                                           case["thousands"])
        assert options.empty_last_column == case["trailing_delimiter"]
        notes = " ".join(map(str, table.notes))
        assert ("decimal comma detected" in notes) == (case["decimal"] == ",")
        assert ("digits grouped by" in notes) == (case["thousands"] is not None)
        assert "read as text" not in notes  # no numeric column left as categories


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    assert code in (0, 1), err.getvalue()
    return out.getvalue()


_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+\-]\d\d:\d\d")


def _without_reading(kind, text):
    """A document without the parts that say how the files were read (they name encodings and delimiters)."""
    text = _STAMP.sub("TIME", text)
    if kind == "text":
        return "\n".join(line for line in text.splitlines() if not line.startswith(("read ", "  note: ")))
    if kind == "html":
        text = re.sub(r"<h2>How the data was read</h2><ul class='sources'>.*?</ul>", "", text, flags=re.S)
        return re.sub(r"<h2>[^<]*how the files were read</h2>.*?(?=<h2>)", "", text, flags=re.S)
    if kind == "markdown":
        text = re.sub(r"## How the data was read\n\n(- .*\n)+\n", "", text)
        return re.sub(r"## [^\n]*how the files were read\n.*?(?=\n## )", "", text, flags=re.S)
    if kind == "report text":
        text = re.sub(r"\n=+\n", "\n=\n", text)  # the title's underline is as long as its file name
        return re.sub(r"\n[^\n]*how the files were read\n.*?\n\n", "\n", text, flags=re.S)
    document = json.loads(text)
    for key in ("file", "reference", "current", "reading", "created"):
        document.pop(key, None)
    if "sections" in document:
        document["sections"] = [s for s in document["sections"] if s["title"] != "how the files were read"]
    return document


def _documents(table, files, tmp_path):
    """Every document check, drift and report write on a table's two files, named A and B, reading parts removed."""
    a, b = (DATA / name for name in files)
    target = TARGETS[table]
    check_target = ["--target", target] if target else []
    html, md = tmp_path / "out.html", tmp_path / "out.md"
    raw = {}
    raw["check json"] = _run("check", a, *check_target, "--format", "json", "--html", html)
    raw["check html"] = html.read_text(encoding="utf-8")
    raw["check markdown"] = _run("check", a, *check_target, "--format", "markdown")
    raw["check text"] = _run("check", a, *check_target)
    raw["drift json"] = _run("drift", a, b, "--format", "json", "--html", html)
    raw["drift html"] = html.read_text(encoding="utf-8")
    raw["drift markdown"] = _run("drift", a, b, "--format", "markdown")
    raw["drift text"] = _run("drift", a, b)
    raw["report json"] = _run("report", b, "--reference", a, *check_target, "--format", "json", "--html", html,
                              "--markdown", md)
    raw["report html"] = html.read_text(encoding="utf-8")
    raw["report markdown"] = md.read_text(encoding="utf-8")
    raw["report text"] = _run("report", b, "--reference", a, *check_target)
    documents = {}
    for name, text in raw.items():
        text = text.replace(str(a), "A").replace(str(b), "B")
        kind = name.split(" ", 1)[1]
        documents[name] = _without_reading("report text" if name == "report text" else kind, text)
    return documents


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    cache = {}

    def get(table):
        if table not in cache:
            files = [f"{table}_a.csv", f"{table}_b.csv"]
            cache[table] = _documents(table, files, tmp_path_factory.mktemp(table))
        return cache[table]
    return get


@pytest.mark.parametrize("case", VARIANTS, ids=_ids)
def test_check_drift_and_report_say_the_same_in_every_format_as_on_the_clean_original(case, originals, tmp_path):
    expected = originals(case["table"])
    got = _documents(case["table"], case["files"], tmp_path)
    for name in expected:
        assert got[name] == expected[name], f"{case['name']}: {name} differs from the clean original's"
    # What was removed before comparing is there: each output says how the files were read.
    text = _run("check", DATA / case["files"][0])
    assert "read " in text and ("decimal comma" in text) == (case["decimal"] == ",")
