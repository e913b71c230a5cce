"""How a text table is written, decided once (lifecycle_kit.reading): decimal comma, digit grouping, legacy
encodings of short Cyrillic, and the cases where a guess must not be made."""

import io

import pandas as pd
import pytest

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.reading import Sample, choose_reading_options, guess_encoding, numbers_in_text, plausible_word
from lifecycle_kit.tables import read_table

# Every test here runs with pyarrow's CSV reader and with pandas' (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("csv_parser")


def options_of(text, written="utf-8", **forced):
    return choose_reading_options([Sample(text.encode(written), True, "t.csv")], **forced)[0]


def write(tmp_path, text, encoding="utf-8", name="t.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- decimal comma --------------------------------------------------------------------------------------------

def test_a_decimal_comma_is_detected_and_read_as_numbers(tmp_path):
    table = read_table(write(tmp_path, "age;bmi\n59;32,1\n48;21,6\n72;30,5\n"))
    assert table.frame["bmi"].tolist() == [32.1, 21.6, 30.5] and table.options.decimal == ","
    assert str(table.notes[0]) == "decimal comma detected: bmi holds numbers written as 32,1"


def test_no_decimal_comma_is_guessed_in_a_comma_delimited_file_and_its_comma_numbers_are_named(tmp_path):
    """A quoted "1,5" in a comma file may be a decimal comma or a list: not guessed (the issue's rule), never
    silently left as categories either."""
    table = read_table(write(tmp_path, 'a,b\n"1,5",x\n"2,25",y\n"3,0",z\n'))
    assert table.options.decimal == "." and table.frame["a"].dtype != float
    assert "column a holds numbers written as 1,5 but is read as text (give --decimal ','" in str(table.notes[-1])
    forced = read_table(write(tmp_path, 'a,b\n"1,5",x\n"2,25",y\n"3,0",z\n'), decimal=",")
    assert forced.frame["a"].tolist() == [1.5, 2.25, 3.0] and forced.options.forced == {"decimal"}


@pytest.mark.parametrize("text", [
    "a;b\n1;2\n3;4\n",                    # whole numbers fit every convention: nothing to detect
    "a;b\n1.5;x\n2.5;y\n",                 # decimal points
    "a;b\nSmith, John;1\nDoe, Jane;2\n",   # commas in text
    "a;b\n1,2,3;x\n4,5,6;y\n",             # a list, not a number
])
def test_a_decimal_comma_is_not_guessed_without_a_column_of_comma_numbers(text):
    options = options_of(text)
    assert options.decimal == "." and options.thousands is None and not options.notes


def test_a_file_mixing_a_decimal_comma_and_a_decimal_point_names_the_column_left_as_text(tmp_path):
    table = read_table(write(tmp_path, "a;b;c\n1,5;2.5;x\n2,5;3.5;y\n"))
    assert table.options.decimal == "," and table.frame["a"].tolist() == [1.5, 2.5]
    assert any("column b holds numbers written as 2.5 but is read as text (give --decimal '.'" in str(n)
               for n in table.notes), table.notes


# --- digit grouping -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("separator,name", [("\u00a0", "nbsp"), ("\u202f", "nnbsp"), (" ", "space"), (".", "point")])
def test_digits_grouped_by_spaces_or_a_point_are_read_as_numbers(tmp_path, separator, name):
    text = f"w;x\n3{separator}504;1,5\n1{separator}613;2\n12{separator}345{separator}678;3,25\n"
    table = read_table(write(tmp_path, text))
    assert table.frame["w"].tolist() == [3504, 1613, 12345678] and table.frame["w"].dtype == "int64"
    assert table.options.thousands == separator and table.frame["x"].tolist() == [1.5, 2.0, 3.25]
    assert any("digits grouped by" in str(n) for n in table.notes)


def test_grouped_numbers_with_missing_values_become_floats_as_pandas_types_them(tmp_path):
    table = read_table(write(tmp_path, "w;x\n3\u00a0504;a\n;b\n1\u00a0613;c\n", "cp1251"))
    assert table.frame["w"].dtype == "float64" and table.frame["w"].isna().tolist() == [False, True, False]


def test_a_grouping_character_is_not_chosen_when_it_would_misread_another_number(tmp_path):
    """pandas skips the grouping character in every number: with thousands=',' it reads "1,5" as 15."""
    table = read_table(write(tmp_path, 'a,b\n"1,234.5","1,5"\n"2,000.25","2,5"\n'))
    assert table.options.thousands is None
    assert table.frame["b"].dtype != "int64" and 15 not in table.frame["b"].tolist()
    assert {str(n).split(" holds")[0] for n in table.notes} >= {"column a", "column b"}


def test_forcing_no_grouping_keeps_grouped_numbers_as_text_and_says_so(tmp_path):
    table = read_table(write(tmp_path, "w;x\n3\u00a0504;1\n1\u00a0613;2\n"), thousands="none")
    assert table.options.thousands is None and table.frame["w"].tolist() == ["3\u00a0504", "1\u00a0613"]
    assert "--thousands nbsp" in str(table.notes[-1])


def test_numbers_in_text_never_converts_a_text_column_nor_numbers_typed_as_text_unless_asked():
    frame = pd.DataFrame({"code": ["007", "12"], "name": ["1\u00a0234,5", "Anna"]}, dtype=object)
    out, notes = numbers_in_text(frame, decimal=",", thousands="\u00a0", convert=False)  # an Excel sheet's text cells
    assert out["code"].tolist() == ["007", "12"] and out["name"].tolist() == ["1\u00a0234,5", "Anna"] and not notes
    out, notes = numbers_in_text(frame, decimal=",", thousands="\u00a0")
    assert out["code"].tolist() == [7, 12] and out["name"].tolist() == ["1\u00a0234,5", "Anna"] and not notes


# --- a delimiter ending every line ----------------------------------------------------------------------------

def test_a_delimiter_ending_every_line_makes_no_empty_column(tmp_path):
    table = read_table(write(tmp_path, "a;b;\r\n1;x;\r\n2;y;\r\n"))
    assert list(table.frame.columns) == ["a", "b"] and table.options.empty_last_column
    # An empty last header over data is a column with a blank name, kept.
    kept = read_table(write(tmp_path, "a;b;\n1;x;5\n2;y;6\n", name="u.csv"))
    assert kept.frame.shape[1] == 3 and not kept.options.empty_last_column


# --- options given ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("forced,message", [
    ({"decimal": ";"}, "--decimal must be '.' or ','"),
    ({"decimal": ",", "delimiter": ","}, "--decimal and --delimiter cannot both be ','"),
    ({"thousands": "_"}, "--thousands must be one of"),
    ({"encoding": "koi8-x"}, "--encoding 'koi8-x' is not an encoding Python knows"),
    ({"encoding": "ascii"}, "cannot be decoded as ascii"),
])
def test_bad_forced_options_are_named(forced, message):
    with pytest.raises(LifecycleKitError, match=message):
        options_of("имя;x\nИван;1\n", "cp1251", **forced)


def test_a_forced_encoding_is_shown_as_given():
    options = options_of("имя;x\nИван;1\n", "koi8_r", encoding="koi8-r")
    assert options.describe_encoding() == "koi8-r (given)" and options.confidence is None


# --- encodings of short Cyrillic -----------------------------------------------------------------------------

@pytest.mark.parametrize("word,plausible", [
    ("США", True), ("Россия", True), ("Иван12", True), ("Zürich", True), ("Łódź", True), ("東京", True),
    ("ÑØÀ", False),        # США in cp1251 read as cp1252: nothing but accented capitals
    ("ìîñêâà", False),     # москва likewise
    ("нПДЕМШ", False),     # KOI8-R read as cp1251: the case flips inside the word
    ("╚трэ", False),       # cp1251 read as cp866: box drawing
    ("3а504", False),      # 3 504 with a no-break space read in cp866: a letter between digits
    ("Мosкva", False),     # two scripts in one word
])
def test_plausible_words(word, plausible):
    assert plausible_word(word) == plausible


SHORT_CYRILLIC = "model;origin;mpg\nford torino;США;17\nvolvo 144ea;Европа;19\ntoyota corona;Япония;24\n"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866"])
def test_short_cyrillic_in_a_mostly_ascii_file_is_read_in_its_code_page(tmp_path, encoding):
    """Before: read as cp1252 "confidence 0.97" (cp1251), hp-roman8 (KOI8-R), mac-latin2 (cp866)."""
    table = read_table(write(tmp_path, SHORT_CYRILLIC, encoding))
    assert table.encoding == encoding.replace("_", "-") and table.confidence == 1.0
    assert table.frame["origin"].tolist() == ["США", "Европа", "Япония"]


def test_the_halves_of_one_table_are_guessed_together():
    """Each half alone is short; together they decide one code page."""
    halves = [SHORT_CYRILLIC.encode("cp1251"), "model;origin\nlada;Россия\n".encode("cp1251")]
    options = choose_reading_options([Sample(h, True, f"{i}.csv") for i, h in enumerate(halves)])
    assert [o.encoding for o in options] == ["cp1251", "cp1251"]


def test_files_in_two_code_pages_read_together_keep_their_own():
    samples = [Sample(SHORT_CYRILLIC.encode("cp1251"), True, "a.csv"),
               Sample(SHORT_CYRILLIC.encode("koi8_r"), True, "b.csv")]
    assert [o.encoding for o in choose_reading_options(samples)] == ["cp1251", "koi8_r"]


def test_western_text_stays_in_a_western_code_page():
    text = "name;city\nJosé;München\nFrançois;Nîmes\nŁukasz;Łódź\n"
    assert guess_encoding([Sample(text.encode("cp1250"), True, "t.csv")])[0] == "cp1250"
    latin = "name;city\nJosé;München\nFrançois;Nîmes\n"
    assert guess_encoding([Sample(latin.encode("cp1252"), True, "t.csv")])[0] == "cp1252"


def test_an_unsure_guess_says_so():
    # Words mixing ASCII letters and accented ones in every case pattern: no code page reads them as words.
    words = ["".join(letter + chr(0xC0 + (7 * i + 13 * j) % 64) for j, letter in enumerate("aXbYcZ"))
             for i in range(20)]
    options = options_of("a;b\n" + "".join(f"{w};{i}\n" for i, w in enumerate(words)), "latin-1")
    assert options.confidence < 0.9
    assert any(str(n).startswith("the encoding is a guess; if the text looks wrong, give") for n in options.notes)


def test_a_pandas_frame_read_from_the_clean_text_is_what_a_decimal_comma_file_becomes(tmp_path):
    clean = "a,b,c\n1.5,x,3\n2.25,y,4\n"
    variant = "a;b;c\r\n1,5;x;3\r\n2,25;y;4\r\n"
    pd.testing.assert_frame_equal(read_table(write(tmp_path, variant, "cp1251")).frame, pd.read_csv(io.StringIO(clean)))


# --- wide tables ------------------------------------------------------------------------------------------------

def test_a_wide_decimal_comma_table_whose_lines_are_longer_than_the_sample_is_read_as_numbers(tmp_path, monkeypatch):
    """The sample holds the header and a few rows however long they are (50,000 columns: 340 KB a line)."""
    import lifecycle_kit.tables as tables

    monkeypatch.setattr(tables, "SAMPLE_BYTES", 64)  # stands for 256 KiB
    frame = pd.DataFrame({f"x{i}": [i + 0.5, -i - 0.25, 1.5, 2.0] for i in range(300)})
    path = tmp_path / "wide.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False)
    table = read_table(path)
    pd.testing.assert_frame_equal(table.frame, frame)
    assert table.options.decimal == "," and len(table.notes) == 1


def test_many_columns_of_numbers_left_as_text_make_one_note(tmp_path):
    columns = {"a": ["1,5", "2,5"], **{f"p{i}": ["1.5", "2"] for i in range(40)}, "b": ["3,5", "4,5"]}
    columns.update({f"c{i}": ["3,5", "4,5"] for i in range(41)})
    text = ";".join(columns) + "\n" + "\n".join(";".join(v[r] for v in columns.values()) for r in range(2)) + "\n"
    table = read_table(write(tmp_path, text))
    assert table.options.decimal == ","
    left = [str(n) for n in table.notes if "read as text" in str(n)]
    assert left == ["40 columns (p0, p1, p2, …) hold numbers written as 1.5 but are read as text (give --decimal '.' "
                    "to read them as numbers)"]


def test_a_wrong_delimiter_on_a_wide_file_is_one_clear_error(tmp_path):
    path = write(tmp_path, ",".join(f"column_{i}" for i in range(20000)) + "\n" + ",".join("1" * 20000) + "\n")
    with pytest.raises(LifecycleKitError, match="a field is longer than 131,072 characters when split at ';'"):
        read_table(path, delimiter=";")
