"""Hostile or unusual inputs end in one clear ``LifecycleKitError`` (CLI: exit 2, one line) — never a traceback,
a hang, a silent prompt or garbled text. Each test's docstring states what happened before the fix.
"""

import bz2
import gzip
import io
import lzma
import os
import subprocess
import sys
import zipfile

import numpy as np
import pandas as pd
import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.cli import main
from lifecycle_kit.tables import read_table


def run_cli(*args, capsys):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*args, cwd, timeout=120, env=None):
    """The CLI in its own process and session (no controlling terminal), stdin empty, killed after ``timeout``."""
    proc = subprocess.run([sys.executable, "-m", "lifecycle_kit.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, stdin=subprocess.DEVNULL, start_new_session=True,
                          env={**os.environ, **(env or {})})
    return proc.returncode, proc.stdout, proc.stderr


def one_error_line(code, err):
    return code == 2 and err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


@pytest.fixture
def small_csv(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=60).round(3), "g": rng.choice(list("abc"), 60)})
    path = tmp_path / "small.csv"
    frame.to_csv(path, index=False)
    return path, frame


# --- files that are not files ----------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_as_input_is_refused_without_waiting(tmp_path):
    """Before: `check pipe` opened the FIFO and blocked forever waiting for a writer."""
    fifo = tmp_path / "table.csv"
    os.mkfifo(fifo)
    code, _, err = run_process("check", fifo, cwd=tmp_path, timeout=60)
    assert one_error_line(code, err) and "not a regular file" in err, err
    with pytest.raises(LifecycleKitError, match="not a regular file"):
        read_table(fifo)


# --- command-line options ----------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";;", "", "ab", "\n"])
def test_a_delimiter_of_several_characters_is_refused(small_csv, delimiter, capsys):
    """Before: `--delimiter ';;'` reached pandas' C parser (ValueError traceback: only the python engine takes
    regex separators); an empty one was silently replaced by detection."""
    path, _ = small_csv
    code, _, err = run_cli("check", path, "--delimiter", delimiter, capsys=capsys)
    assert one_error_line(code, err) and "--delimiter must be one character" in err, err


@pytest.mark.usefixtures("csv_parser")  # with pyarrow's CSV reader and with pandas'
def test_a_tab_delimiter_can_be_written_as_backslash_t(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("a\tb\n1\t2\n3\t4\n")
    assert read_table(path, delimiter="\\t").frame.columns.tolist() == ["a", "b"]


def test_an_unknown_encoding_is_refused(small_csv, capsys):
    """Before: `--encoding nope` ended in the LookupError text of the codecs module, without the option's name."""
    path, _ = small_csv
    code, _, err = run_cli("check", path, "--encoding", "nope", capsys=capsys)
    assert one_error_line(code, err) and "--encoding 'nope' is not an encoding" in err, err


def test_sign_with_an_encrypted_key_and_no_passphrase_source_does_not_prompt(tmp_path):
    """Before: `sign` called getpass, which (without a terminal) read the passphrase from stdin: a script hung or
    died with an EOFError traceback. Now it stops at once naming --passphrase-env."""
    from lifecycle_kit.integrity import build_manifest, generate_keypair

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n1\n")
    build_manifest(tmp_path / "data").save(tmp_path / "MANIFEST.json")
    private, _ = generate_keypair(passphrase="s3cret")
    (tmp_path / "k.key").write_bytes(private)
    code, _, err = run_process("sign", "MANIFEST.json", "--key", "k.key", cwd=tmp_path, timeout=60)
    assert one_error_line(code, err) and "--passphrase-env" in err and "encrypted" in err, err
    code, _, err = run_process("sign", "MANIFEST.json", "--key", "k.key", "--passphrase-env", "UNSET_VARIABLE_LK",
                               cwd=tmp_path, timeout=60)
    assert one_error_line(code, err) and "UNSET_VARIABLE_LK is empty or not set" in err, err
    code, out, err = run_process("sign", "MANIFEST.json", "--key", "k.key", "--passphrase-env", "KEYPASS",
                                 cwd=tmp_path, timeout=60, env={"KEYPASS": "s3cret"})
    assert code == 0 and "signature written" in out, err


# --- specifications ----------------------------------------------------------------------------


@pytest.mark.parametrize("column, message", [
    ({"name": "age", "min": "abc"}, "min must be a number; got 'abc'"),
    ({"name": "age", "max": [1]}, "max must be a number"),
    ({"name": "job", "kind": "categorical", "allowed": 5}, "allowed must be a list"),
    ({"name": "day", "kind": "datetime", "min": "not a date"}, "min must be an ISO date"),
    ({"name": "age", "nullable": "no"}, "nullable must be true or false"),
    ({"name": "age", "decimals": -1}, "decimals must be a whole number"),
    ({"name": "age", "sentinels": ["x"]}, "sentinels must be numbers"),
    ({"name": "code", "kind": "text", "pattern": 5}, "pattern must be text"),
])
def test_spec_fields_of_the_wrong_type_are_refused_when_loaded(column, message):
    """Before: the spec loaded, and `validate` or `assess` failed later with ValueError: could not convert string
    to float: 'abc' (or TypeError: 'int' object is not iterable for allowed: 5)."""
    from lifecycle_kit.quality import DataSpec

    with pytest.raises(LifecycleKitError, match=message.replace("[", r"\[").replace("(", r"\(")):
        DataSpec.from_dict({"columns": [column]})


@pytest.mark.parametrize("rules, message", [
    (["x"], "spec rule 1 must be an object"),
    ([{"left": "a", "op": "<="}], "spec rule 1: missing right"),
    ([{"left": "a", "op": "<=", "right": [1]}], "right side must be a column name or a number"),
    ("a <= b", "'rules' must be a list"),
])
def test_malformed_rules_are_refused_when_loaded(rules, message):
    """Before: `rules: ["x"]` loaded as the string "x" and `validate` died with AttributeError: 'str' object has no
    attribute 'left'."""
    from lifecycle_kit.quality import DataSpec

    with pytest.raises(LifecycleKitError, match=message):
        DataSpec.from_dict({"columns": [{"name": "a"}], "rules": rules})


def test_cli_check_with_a_malformed_spec_exits_2(small_csv, tmp_path, capsys):
    path, _ = small_csv
    spec = tmp_path / "spec.json"
    spec.write_text('{"columns": [{"name": "x", "min": "abc"}, {"name": "g", "kind": "categorical"}]}')
    code, _, err = run_cli("check", path, "--spec", spec, capsys=capsys)
    assert one_error_line(code, err) and "column 'x': min must be a number" in err, err


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a*)*b", r"(\w+\s?)+$", r"(x+x+)+y", r"(?:a+){2,}", r"(a)\1"])
def test_a_pattern_that_can_backtrack_catastrophically_is_refused_before_matching(pattern):
    """Before: the spec accepted `(a+)+$`, and checking 30 values of 'aaaa...b' took minutes (each extra character
    doubles the time; Python's re cannot be interrupted). The shape is refused when the spec is built: nested
    unbounded quantifiers and back-references; possessive quantifiers and atomic groups stay allowed."""
    from lifecycle_kit.quality import ColumnSpec, DataSpec

    with pytest.raises(LifecycleKitError, match="nests one unbounded repeat|back-reference"):
        ColumnSpec("code", kind="text", pattern=pattern)
    with pytest.raises(LifecycleKitError, match="column 'code'"):
        DataSpec.from_dict({"columns": [{"name": "code", "kind": "text", "pattern": pattern}]})


@pytest.mark.parametrize("pattern", [r"[A-Z]{2}-\d{4}", r"\d+[A-Za-z]+", r"(\d{3}-)+\d+", r"(a|b)+", r"(a++)+",
                                     r"(?>a+)+", r"\d{4}-\d{2}-\d{2}"])
def test_ordinary_format_patterns_are_accepted(pattern):
    from lifecycle_kit.quality import ColumnSpec

    assert ColumnSpec("code", kind="text", pattern=pattern).pattern == pattern


def test_a_pattern_set_after_creation_is_checked_before_matching():
    """Before: a pattern assigned to an existing ColumnSpec skipped every check and hung the validation."""
    from lifecycle_kit.quality import DataSpec, assess, infer_spec

    frame = pd.DataFrame({"code": ["a" * 30 + "b"] * 3})
    spec = infer_spec(frame)
    spec.columns["code"].pattern = r"(a+)+$"
    with pytest.raises(LifecycleKitError, match="nests one unbounded repeat"):
        spec.validate(frame)
    with pytest.raises(LifecycleKitError, match="nests one unbounded repeat"):
        assess(frame, spec=spec)
    assert isinstance(spec, DataSpec)


# --- frames ------------------------------------------------------------------------------------


@pytest.mark.parametrize("values, kind", [
    ([{"x": 1}, {"y": 2}, None, {"x": 1}], "dict"),
    ([[1], [2, 3], [], [1]], "list"),
    ([b"ab", b"\xff", b"ab", b"x"], "bytes"),
    (["a", (1, 2), "b", "a"], "tuple"),
])
def test_columns_of_containers_or_bytes_are_refused_in_assess_and_compare(values, kind):
    """Before: assess died with TypeError: unhashable type: 'dict' (or 'list'), bytes with UnicodeDecodeError, and
    compare with a numpy truth-value ValueError; a dict column even 'passed' compare."""
    from lifecycle_kit.drift import compare
    from lifecycle_kit.quality import assess

    frame = pd.DataFrame({"obj": values * 5, "n": range(len(values) * 5)})
    with pytest.raises(LifecycleKitError, match=f"column 'obj' holds {kind} values"):
        assess(frame)
    with pytest.raises(LifecycleKitError, match=f"reference column 'obj' holds {kind} values"):
        compare(frame, frame)


def test_duplicate_column_names_are_refused_in_compare():
    """Before: compare died with ValueError: The truth value of a Series is ambiguous."""
    from lifecycle_kit.drift import compare

    frame = pd.DataFrame([[1, 2], [3, 4]] * 10, columns=["a", "a"])
    with pytest.raises(LifecycleKitError, match="reference has duplicate column names: a"):
        compare(frame, frame)


# --- output built from data ----------------------------------------------------------------------


def test_markdown_reports_escape_html_from_cells_and_column_names():
    """Before: a column named `<img src=x onerror=alert(1)>` and a cell `<script>` went verbatim into the Markdown
    report, where a renderer that passes inline HTML runs them."""
    from lifecycle_kit.drift import compare
    from lifecycle_kit.provenance import Datasheet
    from lifecycle_kit.quality import assess, infer_spec
    from lifecycle_kit.report import LifecycleReport

    evil = "<img src=x onerror=alert(1)>"
    frame = pd.DataFrame({evil: ["<script>alert(1)</script>", "b"] * 20, "n": np.arange(40.0)})
    spec = infer_spec(frame.iloc[:2])
    report = LifecycleReport("Report <b>bold</b>")
    report.add("Data preparation", assess(frame, spec=spec))
    report.add("Business requirements", spec.validate(frame))
    report.add("System operation", compare(frame, frame.iloc[::-1]))
    report.add("Data decommissioning", pd.DataFrame({"column": [evil], "note": ["<script>x</script>"]}), note=evil)
    report.add("Data decommissioning", Datasheet.from_frame(frame, name=evil))  # answers quote column names
    markdown = report.to_markdown()
    for piece in ("<img", "<script", "<b>"):
        assert piece not in markdown
    assert "&lt;img src=x onerror=alert(1)&gt;" in markdown and "&lt;script&gt;" in markdown
    assert "&amp;lt;" not in markdown  # escaped once, not twice
    assert "<img" not in assess(frame, spec=spec).to_markdown() and "<script" not in compare(frame, frame).to_markdown()


@pytest.mark.usefixtures("csv_parser")  # with pyarrow's CSV reader and with pandas'
def test_terminal_escape_sequences_in_column_names_are_not_echoed(tmp_path, capsys):
    """Before: a header holding ESC [ 2 J (clear screen) or a colour code was written raw to stderr in the
    duplicate-column error, and to stdout in the check's tables."""
    path = tmp_path / "t.csv"
    path.write_text("\x1b[2Jname,\x1b[2Jname\n1,2\n")
    code, _, err = run_cli("check", path, capsys=capsys)
    assert one_error_line(code, err) and "\x1b" not in err and "\\x1b[2Jname" in err, err
    path.write_text("\x1b[31mred,y\n" + "1,0\n?,1\n" * 30)  # '?' puts the column in the missing-values table
    code, out, err = run_cli("check", path, capsys=capsys)
    assert code == 0 and "\x1b" not in out and "\\x1b[31mred" in out, err


# --- encodings -----------------------------------------------------------------------------------

TEXTS = {
    "cp1250": "jméno;město;poznámka\nJiří Novák;Plzeň;Žluťoučký kůň úpěl ďábelské ódy\n"
              "Małgorzata Wójcik;Łódź;Zażółć gęślą jaźń\nŠtefan Čech;Brno;Příliš žluťoučký kůň\n",
    "cp1253": "όνομα;πόλη;σημείωση\nΓιώργος Παπαδόπουλος;Αθήνα;Ξεσκεπάζω την ψυχοφθόρα βδελυγμία\n"
              "Μαρία Κωνσταντίνου;Θεσσαλονίκη;Γαζέες και μυρτιές δεν θα βρω\n",
    "koi8-r": "имя;город;заметка\nИван Петров;Москва;Съешь же ещё этих мягких французских булок\n"
              "Мария Иванова;Казань;да выпей чаю\n",
    "shift_jis": "名前,都市,メモ\n山田太郎,東京,いろはにほへとちりぬるを\n佐藤花子,大阪,わかよたれそつねならむ\n",
    "cp1251": "имя;город;возраст\n" + "".join(f"Иван{i};Казань;{20 + i % 50}\n" for i in range(40)),
    "cp1252": "name;city;note\nFrançois Müller;Zürich;Crème brûlée à la façon\nJosé Núñez;Málaga;Señor año\n",
    "utf-8": "имя,city,名前\nИван,Zürich,山田\nМария,Łódź,佐藤\n",
    "utf-16-le": "name,city\nFrançois,Zürich\nИван,Москва\n",
    "utf-16-be": "name,city\nFrançois,Zürich\nИван,Москва\n",
}
# Shift-JIS is read as cp932, its Windows superset: same text for these characters.
SAME = {"shift_jis": "cp932"}


@pytest.mark.parametrize("encoding", list(TEXTS))
@pytest.mark.usefixtures("csv_parser")  # with pyarrow's CSV reader and with pandas'
def test_text_in_each_encoding_reads_back_to_the_right_text(tmp_path, encoding):
    """Before: only cp1251 and cp1252 were recognised; cp1250, cp1253, KOI8-R and Shift-JIS were decoded as one
    of them and garbled silently, and UTF-16 without a byte-order mark was refused as binary."""
    text = TEXTS[encoding]
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(text.encode(encoding))
    table = read_table(path)
    expected = pd.read_csv(io.StringIO(text), sep=table.delimiter)
    pd.testing.assert_frame_equal(table.frame, expected)
    assert table.encoding == SAME.get(encoding, encoding).replace("_", "-")
    assert 0.5 <= table.confidence <= 1.0


@pytest.mark.usefixtures("csv_parser")  # with pyarrow's CSV reader and with pandas'
def test_cli_names_the_encoding_and_its_confidence(tmp_path, capsys):
    path = tmp_path / "greek.csv"
    path.write_bytes(TEXTS["cp1253"].encode("cp1253"))
    code, out, err = run_cli("check", path, capsys=capsys)
    assert code == 0, err
    assert "encoding cp1253 (confidence 1.00" in out


@pytest.mark.usefixtures("csv_parser")  # with pyarrow's CSV reader and with pandas'
def test_an_accented_letter_far_into_an_ascii_file_is_still_decoded(tmp_path, monkeypatch):
    """A file plain ASCII for longer than the detection sample, then cp1252: the sample says UTF-8, the parser
    fails on the first cp1252 byte, and the encoding is detected again where UTF-8 failed."""
    import lifecycle_kit.tables as tables

    monkeypatch.setattr(tables, "SAMPLE_BYTES", 64)
    path = tmp_path / "late.csv"
    path.write_bytes(("name,city\n" + "Anna,Paris\n" * 20 + "José,Zürich\n").encode("cp1252"))
    table = read_table(path)
    assert table.encoding == "cp1252" and table.frame["city"].iloc[-1] == "Zürich"


@pytest.mark.usefixtures("csv_parser")  # with pyarrow's CSV reader and with pandas'
def test_a_forced_encoding_that_does_not_fit_is_named(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("a,b\nÿ,1\n".encode("cp1252"))
    with pytest.raises(LifecycleKitError, match="cannot be decoded as utf-8"):
        read_table(path, encoding="utf-8")


# --- formats -------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix, opener", [(".gz", gzip.open), (".bz2", bz2.open), (".xz", lzma.open), (".zip", None)])
@pytest.mark.usefixtures("csv_parser")  # with pyarrow's CSV reader and with pandas'
def test_compressed_csv_is_read_as_pandas_reads_it(tmp_path, small_csv, suffix, opener):
    """Before: a .csv.gz was read as bytes, refused as binary (NUL bytes) or garbled."""
    source, frame = small_csv
    path = tmp_path / f"small.csv{suffix}"
    if opener is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.write(source, "small.csv")
    else:
        with opener(path, "wb") as handle:
            handle.write(source.read_bytes())
    table = read_table(path)
    pd.testing.assert_frame_equal(table.frame, frame)


@pytest.mark.usefixtures("csv_parser")  # with pyarrow's CSV reader and with pandas'
def test_a_zip_with_several_files_and_a_corrupt_gzip_are_refused(tmp_path):
    path = tmp_path / "two.csv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", "x\n1\n")
        archive.writestr("b.csv", "x\n2\n")
    with pytest.raises(LifecycleKitError, match="exactly one file; it holds 2"):
        read_table(path)
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00 this is not gzip data")
    with pytest.raises(LifecycleKitError, match="not a readable gzip file|cannot be read"):
        read_table(broken)


@pytest.mark.parametrize("suffix, module, extra", [(".parquet", "pyarrow", "parquet"), (".xlsx", "openpyxl", "excel")])
def test_a_missing_optional_reader_names_its_extra(tmp_path, monkeypatch, capsys, suffix, module, extra):
    """Before: Parquet without pyarrow said 'pip install pyarrow' (not the kit's extra) and Excel was not read."""
    path = tmp_path / f"t{suffix}"
    path.write_bytes(b"whatever")
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    code, _, err = run_cli("check", path, capsys=capsys)
    assert one_error_line(code, err) and f"the '{extra}' extra: pip install 'lifecycle-kit[{extra}]'" in err, err


def test_parquet_and_excel_are_read_when_their_extras_are_installed(tmp_path, small_csv):
    pytest.importorskip("pyarrow")
    pytest.importorskip("openpyxl")
    _, frame = small_csv
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    frame.to_excel(tmp_path / "t.xlsx", index=False)
    pd.testing.assert_frame_equal(read_table(tmp_path / "t.parquet").frame, frame)
    pd.testing.assert_frame_equal(read_table(tmp_path / "t.xlsx").frame, frame)


def test_old_excel_files_are_refused_with_advice(tmp_path):
    path = tmp_path / "t.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(LifecycleKitError, match=r"\.xls\) files are not read; save it as \.xlsx or CSV"):
        read_table(path)


def test_portability_says_parquet_was_not_measured_without_pyarrow(monkeypatch):
    """Before: without pyarrow the measure silently covered the CSV round trip only."""
    from lifecycle_kit.quality import assess, measures

    monkeypatch.setattr(measures, "_parquet_available", lambda: False)
    frame = pd.DataFrame({"x": np.arange(50.0), "g": list("ab") * 25})
    detail = assess(frame)["Por-ML-1"].detail
    assert "Parquet not measured" in detail and "'parquet' extra" in detail
    monkeypatch.undo()
    if measures._parquet_available():  # with the extra installed, both round trips are measured
        assert "CSV/Parquet round trip" in assess(frame)["Por-ML-1"].detail


# --- app mode ------------------------------------------------------------------------------------


def test_app_mode_requires_a_token():
    """Before: `present` served Voila without a token: any local user or web page could open the app, and each
    GET started a kernel. The browser test checks that a request without the token is sent to the login page."""
    from lifecycle_kit.course.launch import voila_command

    assert "--token" in voila_command("04_data_acquisition.ipynb", open_browser=False)


# --- memory: chunked parsing gives pandas' frame ----------------------------------------------------


@pytest.mark.usefixtures("csv_parser")  # with pyarrow's CSV reader and with pandas'
def test_chunked_reading_gives_the_frame_pandas_reads_whole(tmp_path, monkeypatch):
    """The memory fix must not change the frame. Before, the reader held the raw bytes, the decoded text, a list of
    lines and a StringIO copy (9.4 times the file; benchmarks/bench_reader.py measures it). Now pandas parses the
    file in chunks; a column that is numbers in early chunks and text later ('?' on a
    late row), an integer column with a late blank and a boolean column with a late blank still get the dtypes
    and values of one whole read, and a ragged row in a late chunk is reported with its line number."""
    import lifecycle_kit.tables as tables

    monkeypatch.setattr(tables, "CHUNK_BYTES", 2000)  # about 100 rows a chunk: 30 chunks
    rng = np.random.default_rng(1)
    n = 3000
    frame = pd.DataFrame({"f": rng.normal(size=n), "i": rng.integers(0, 9, n), "late_q": rng.integers(0, 9, n),
                          "b": rng.choice([True, False], n), "s": rng.choice(["a", "b", "c"], n),
                          "late_blank": rng.integers(0, 9, n)}).astype(object)
    frame.loc[2900, "late_q"] = "?"
    frame.loc[2950, "late_blank"] = None
    frame.loc[2990, "b"] = None
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    pd.testing.assert_frame_equal(read_table(path).frame, pd.read_csv(path, index_col=False, low_memory=False))
    lines = path.read_text().splitlines()
    lines[2500] += ",9"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(LifecycleKitError, match="line 2501 has 7 fields but the header has 6"):
        read_table(path)
