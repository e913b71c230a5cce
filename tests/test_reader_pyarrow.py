"""pyarrow's CSV reader gives the frame pandas' reader gives (issue 27): same dtypes, values, missing cells, names,
notes and reading metadata, on generated files and on the cases where the two parsers' grammars differ.

Where pyarrow is installed, :func:`lifecycle_kit.tables.read_table` reads a CSV with it (faster, and without joining
chunks: ``benchmarks/bench_reader.py``); ``LIFECYCLE_KIT_CSV_PARSER=pandas`` reads it with pandas. Each test here
reads a file both ways and compares. The rest of the reader's tests (tests/test_own_data.py, test_reading_options.py,
test_cli_reading.py, test_reader_wide.py and the attack tests on compressed inputs) run under both parsers through
the ``csv_parser`` fixture in tests/conftest.py.
"""

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifecycle_kit import _arrow_csv, tables
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.reading import NA_TOKENS

pytestmark = pytest.mark.skipif(_arrow_csv.unavailable() is not None, reason=str(_arrow_csv.unavailable()))


def read_both(path, monkeypatch, **options):
    """(pyarrow's TableFile or error message, pandas' TableFile or error message)."""
    out = []
    for parser in ("auto", "pandas"):
        monkeypatch.setenv(tables.PARSER_VARIABLE, parser)
        try:
            out.append(tables.read_table(path, **options))
        except LifecycleKitError as err:
            out.append(f"error: {err}")
    return out


def assert_same(arrow, pandas):
    """The same frame, notes and reading metadata (but for which parser read it), or the same error."""
    if isinstance(arrow, str) or isinstance(pandas, str):
        assert arrow == pandas
        return
    pd.testing.assert_frame_equal(arrow.frame, pandas.frame, check_exact=True)
    assert [str(n) for n in arrow.notes] == [str(n) for n in pandas.notes]
    readings = [table.reading() for table in (arrow, pandas)]
    for reading in readings:
        reading.pop("parser"), reading.pop("parser_reason", None)
    assert readings[0] == readings[1]
    assert pandas.parser == "pandas" and pandas.parser_reason == f"{tables.PARSER_VARIABLE}=pandas"


def write(tmp_path, text, encoding="utf-8", name="t.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- the ordinary tables are read by pyarrow ----------------------------------------------------------------------


def test_a_table_of_numbers_and_text_is_read_by_pyarrow_into_pandas_frame(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    n = 5000
    frame = pd.DataFrame({"f": rng.normal(size=n), "i": rng.integers(-10**12, 10**12, n),
                          "text": rng.choice(["alpha", "Москва", "a, b", 'say "hi"', "two\nlines"], n),
                          "gappy": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n).round(3)),
                          "gappy_int": np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 9, n))})
    frame.loc[::7, "text"] = None
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    arrow, pandas = read_both(path, monkeypatch)
    assert arrow.parser == "pyarrow" and arrow.parser_reason is None, arrow.parser_reason
    assert arrow.reading()["parser"] == "pyarrow"
    assert_same(arrow, pandas)
    pd.testing.assert_frame_equal(arrow.frame, pd.read_csv(path), check_exact=True)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1251", "koi8_r", "utf-16", "utf-16-le"])
def test_text_in_other_encodings_is_decoded_as_pandas_decodes_it(tmp_path, monkeypatch, encoding):
    text = "город;масса;n\r\n" + "".join(f"Город{i % 7};{i * 0.25};{i}\r\n".replace(".", ",") for i in range(300))
    arrow, pandas = read_both(write(tmp_path, text, encoding), monkeypatch)
    assert arrow.parser == "pyarrow", arrow.parser_reason
    assert arrow.frame["масса"].dtype == "float64" and arrow.options.decimal == ","
    assert_same(arrow, pandas)


def test_undefined_bytes_of_a_legacy_code_page_become_replacement_characters_in_both(tmp_path, monkeypatch):
    # 0x98 is undefined in cp1251: shown as U+FFFD by both readers, as before (errors="replace").
    data = "имя;n\n".encode("cp1251") + b"\xc0\x98\xc1;1\n" + "Москва;2\n".encode("cp1251") * 50
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    arrow, pandas = read_both(path, monkeypatch, encoding=None)
    assert_same(arrow, pandas)


def test_a_file_that_turns_from_utf8_to_a_code_page_far_in_is_read_by_pyarrow_after_pandas_finds_out(tmp_path,
                                                                                                        monkeypatch):
    monkeypatch.setattr(tables, "SAMPLE_BYTES", 4096)
    text = "name,n\n" + "plain,1\n" * 2000 + "Nîmes,2\nSète,3\n"
    arrow, pandas = read_both(write(tmp_path, text, "cp1252"), monkeypatch)
    assert arrow.parser == "pyarrow" and arrow.options.encoding == "cp1252"
    assert_same(arrow, pandas)


# --- where the grammars differ: the doubtful columns are read by pandas ----------------------------------------------


@pytest.mark.parametrize("values", [
    ["+1", "2", "-3"],                      # '+1': an integer to pandas, a float to pyarrow
    ["0x1A", "17", "3"],                    # hexadecimal: text to pandas, 26 to pyarrow
    ["1", "2", "0X1f"],
    ["NAN", "1.5", "2"],                    # a NaN written as a value: text to pandas, NaN to pyarrow
    ["nAn", "7"],
    ["9223372036854775808", "7"],           # past int64: uint64 to pandas, a float to pyarrow
    ["18446744073709551616", "7"],          # past uint64: objects to pandas
    ["-9223372036854775809", ""],
    ["True", "false", "TRUE"],              # booleans
    ["True", ""],
    ["tRuE", "False"],
    ["1", "True"],
    [" 1", "2 ", "\t3"],                    # spaces around numbers
    ["\v1", "2"],
    ["1.", ".5", "1e5", "1E-2", "-.5e+3"],
    ["inf", "-Infinity", "+INF", "1"],
    ["1e400", "-1e400", "1e-400"],
    ["2024-01-01", "2024-02-30"],           # dates and times: text to pandas, typed by pyarrow
    ["12:30", "01:02:03"],
    ["2024-01-01T10:00:00", "2024-01-02 11:00"],
    ["1.0", "2.0", "3.0"],                  # whole floats
    ["1", "2.5", "x"],
    ["", "", ""],                           # all missing
    ["NA", "None", "<NA>", "#N/A", "nan", "NULL", "n/a", "-NaN"],
    ['"NA"', '""', "1"],                    # quoted missing-value tokens
    ["00012", "-0", "+0"],
])
def test_values_the_two_parsers_may_read_otherwise_come_out_as_pandas_reads_them(tmp_path, monkeypatch, values):
    lines = ["a,b"] + [f"{v},{i}" for i, v in enumerate(values)]
    arrow, pandas = read_both(write(tmp_path, "\n".join(lines) + "\n"), monkeypatch)
    assert_same(arrow, pandas)
    pd.testing.assert_frame_equal(arrow.frame, pd.read_csv(io.StringIO("\n".join(lines) + "\n"), index_col=False),
                                  check_exact=True)


@pytest.mark.parametrize("late", ["1.5", "?", "x", "", "NAN", "+7", "0x10", "True", "1e400"])
@pytest.mark.parametrize("early", ["1", "1.5", ""])
def test_a_late_value_of_another_type_widens_its_column_as_pandas_types_the_whole_file(tmp_path, monkeypatch, early,
                                                                                        late):
    """pyarrow types the columns from its first block (here 64 bytes, so a few rows) and reads the file again with a
    wider type when a later value does not fit: the frame is the one pandas types from the whole file."""
    monkeypatch.setattr(_arrow_csv, "INFER_BYTES", 64)
    monkeypatch.setattr(_arrow_csv, "BLOCK_BYTES", 256)
    lines = ["a,b,c"] + [f"{early},{i},{i * 0.5}" for i in range(200)] + [f"{late},1,2"]
    arrow, pandas = read_both(write(tmp_path, "\n".join(lines) + "\n"), monkeypatch)
    assert_same(arrow, pandas)
    if isinstance(arrow, str):
        return
    assert arrow.parser == "pyarrow", arrow.parser_reason


def test_more_late_changes_than_it_reads_again_for_are_read_by_pandas(tmp_path, monkeypatch):
    monkeypatch.setattr(_arrow_csv, "INFER_BYTES", 64)
    monkeypatch.setattr(_arrow_csv, "BLOCK_BYTES", 256)
    columns = _arrow_csv.MAX_RESTARTS + 2
    lines = [",".join(f"c{j}" for j in range(columns))] + [",".join(["1"] * columns)] * 200
    lines += [",".join("x" if j == k else "1" for j in range(columns)) for k in range(columns)]
    arrow, pandas = read_both(write(tmp_path, "\n".join(lines) + "\n"), monkeypatch)
    assert arrow.parser == "pandas" and "changed after the first" in arrow.parser_reason
    assert_same(arrow, pandas)


# --- what pyarrow cannot honour: pandas reads it, and the metadata says why ----------------------------------------


@pytest.mark.parametrize("text, options, reason", [
    ("a;b\n1.234,5;x\n2.345,5;y\n", {}, "digits grouped by '.'"),
    ("a;b\n1 234,5;x\n2 345,5;y\n", {}, "digits grouped by ' '"),
    ("a\n1\n   \n2\n", {}, "a table of one column"),
    ("a,b\n1,2\n3\n4,5\n", {}, "Expected 2 columns, got 1"),           # a short row: pandas fills it with NaN
    ("a,b\n1,2\n3,4,\n", {}, None),                                   # a field past the header: pandas' error
    ("a,b\n1,2\n3,4,5\n", {}, None),                                   # data past the header: pandas' error
    ("a,b\n1,2\n   \n3,4\n", {}, "Expected 2 columns, got 1"),          # a line of spaces: pandas skips it
    ('a,b\n1,2\n"3,4\n', {}, None),                                    # a quote never closed: pandas' error
    ("a,b\n1,2\n", {"thousands": ","}, "digits grouped by ','"),
])
def test_what_pyarrow_cannot_read_as_pandas_does_is_read_by_pandas_and_said(tmp_path, monkeypatch, text, options,
                                                                           reason):
    arrow, pandas = read_both(write(tmp_path, text), monkeypatch, **options)
    assert_same(arrow, pandas)
    if reason is None:
        assert arrow.startswith("error: ")
    else:
        assert arrow.parser == "pandas" and reason in arrow.parser_reason, arrow.parser_reason
        assert arrow.reading()["parser"] == "pandas" and reason in arrow.reading()["parser_reason"]


def test_invalid_utf8_in_a_forced_utf8_file_is_pandas_error(tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\nx,1\n\xff\xfe,2\n")
    arrow, pandas = read_both(path, monkeypatch, encoding="utf-8")
    assert arrow == pandas and "cannot be decoded as utf-8" in arrow


def test_without_pyarrow_pandas_reads_and_says_why(tmp_path, monkeypatch):
    monkeypatch.delenv(tables.PARSER_VARIABLE, raising=False)
    monkeypatch.setattr(_arrow_csv, "unavailable", lambda: "pyarrow is not installed (the 'parquet' extra)")
    table = tables.read_table(write(tmp_path, "a,b\n1,2\n"))
    assert table.parser == "pandas" and table.reading()["parser_reason"] == "pyarrow is not installed (the 'parquet' extra)"


def test_the_decompression_cap_holds_for_pyarrow(tmp_path, monkeypatch):
    import gzip

    monkeypatch.delenv(tables.PARSER_VARIABLE, raising=False)
    monkeypatch.setattr(tables, "MAX_DECOMPRESSED_BYTES", 1 << 20)
    path = tmp_path / "bomb.csv.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b"a,b\n" + b"1,2\n" * 2_000_000)
    opened = []
    real = tables._open_binary
    monkeypatch.setattr(tables, "_open_binary", lambda *a: opened.append(a) or real(*a))
    with pytest.raises(LifecycleKitError, match="decompression bomb"):
        tables.read_table(path)
    assert len(opened) == 2  # the sample, then pyarrow's first block: refused there, pandas never called


# --- generated files, frame for frame ------------------------------------------------------------------------------

_TOKENS = sorted(NA_TOKENS) + ["", "+1", "-0", "0x1F", "NAN", "nan", "inf", "-Infinity", "1e400", "1.", ".5", "1e5",
                               "9223372036854775808", "True", "false", "TRUE", "tRue", "2024-01-01", "12:30",
                               " 7", "8 ", "?", "-", ".", "e5", "1,5", "1 234", "1.234,5", "Москва", "a\"b",
                               "x,y", "x;y", "two\nlines", "0", "00", "1_000"]


@st.composite
def _columns(draw):
    kind = draw(st.sampled_from(["int", "float", "text", "tokens", "mixed", "comma"]))
    if kind == "int":
        values = st.integers(-(2**64), 2**64).map(str)
    elif kind == "float":
        values = st.floats(allow_nan=False, width=draw(st.sampled_from([32, 64]))).map(repr)
    elif kind == "text":
        values = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6)
    elif kind == "tokens":
        values = st.sampled_from(_TOKENS)
    elif kind == "comma":
        values = st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: f"{v:.3f}".replace(".", ","))
    else:
        values = st.one_of(st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=False).map(repr),
                           st.sampled_from(_TOKENS))
    return draw(st.lists(values, min_size=1, max_size=25))


@st.composite
def _tables(draw):
    columns = draw(st.lists(_columns(), min_size=2, max_size=5))
    rows = min(len(c) for c in columns)
    names = draw(st.lists(st.text("abcxyzАБВ _", min_size=1, max_size=4), min_size=len(columns),
                          max_size=len(columns), unique_by=str.strip))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    table = [names] + [[c[i] for c in columns] for i in range(rows)]
    if draw(st.booleans()):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator=end,
                   quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))).writerows(table)
        text = buffer.getvalue()
    else:  # written as is: stray quotes, delimiters and line breaks in values make odd rows
        text = "".join(delimiter.join(row) + end for row in table)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "cp1251"]))
    return text, encoding


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(table=_tables(), small_blocks=st.booleans())
def test_generated_csv_files_read_to_the_same_frame_by_both_parsers(tmp_path, monkeypatch, table, small_blocks):
    text, encoding = table
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    path = tmp_path / "generated.csv"
    path.write_bytes(data)
    with monkeypatch.context() as patched:
        if small_blocks:  # types from the first rows, widened later; many record batches
            patched.setattr(_arrow_csv, "INFER_BYTES", 64)
            patched.setattr(_arrow_csv, "BLOCK_BYTES", 512)
        arrow, pandas = read_both(path, patched)
    assert_same(arrow, pandas)
