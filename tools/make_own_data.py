"""Write tests/data/own_data/: open tables saved the way learners' own tools save them.

Run by maintainers, never by learners or tests (the committed files are the test data):

    pip download --no-deps vega_datasets==0.9.0 -d /tmp/wheels
    python tools/make_own_data.py --vega-wheel /tmp/wheels/vega_datasets-0.9.0-py3-none-any.whl

Three tables that this project did not prepare: scikit-learn's bundled diabetes data, and vega_datasets'
cars and airports (read from the wheel, checked against the SHA-256 recorded below). Each is split into a
first and a second part (``_a``, ``_b``: a reference and a current table for ``drift`` and ``report``),
written once cleanly (UTF-8, comma, decimal point: the frame every other copy must become), then as
Russian- and European-locale tools write it: Excel's CSV with ``;`` and decimal commas (CRLF), Excel's
"Unicode text" (UTF-16 with a byte-order mark, tabs), cp1251, KOI8-R and cp866 with short Cyrillic in a
mostly ASCII file, a UTF-8 byte-order mark, a delimiter ending every line, thousands grouped with a
no-break space or a narrow no-break space. Numbers are written as a spreadsheet shows them in the
"General" format (``59`` for 59.0), the same digits in every copy. ``cases.json`` says how each copy was
written; ``README.md`` where the tables come from and under which licence.
"""

import argparse
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "own_data"
NBSP, NNBSP = "\u00a0", "\u202f"

#: SHA-256 of what is read from the vega_datasets 0.9.0 wheel (its own SHA-256 is in README.md).
VEGA_MEMBERS = {
    "vega_datasets/_data/cars.json": "f686a53678b21f4231e2f6a5ba7ce5761d9d39204fccdea1caa29fb8c460e319",
    "vega_datasets/_data/airports.csv": "903c7169e6d558eefb95295fe2947ec8503135fbb855ea5c737cf4a90ea603ad",
}
VEGA_WHEEL_SHA256 = "3d7c63917be6ca9b154b565f4779a31fedce57b01b5b9d99d8a34a7608062a1d"


def _member(wheel, name):
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read(name)
    digest = hashlib.sha256(data).hexdigest()
    if digest != VEGA_MEMBERS[name]:
        sys.exit(f"error: {name} in {wheel} has SHA-256 {digest}, not the recorded {VEGA_MEMBERS[name]}")
    return data


def diabetes():
    from sklearn.datasets import load_diabetes

    return load_diabetes(as_frame=True, scaled=False).frame


def cars(wheel):
    frame = pd.DataFrame(json.loads(_member(wheel, "vega_datasets/_data/cars.json")))
    # Russian column and country names, as a learner translating the headers writes them; the car models stay
    # ASCII: a mostly ASCII file with short Cyrillic.
    frame["Year"] = frame["Year"].str.slice(0, 4).astype(int)
    frame["Origin"] = frame["Origin"].map({"USA": "США", "Europe": "Европа", "Japan": "Япония"})
    return frame.rename(columns={"Name": "Модель", "Miles_per_Gallon": "Миль_на_галлон", "Cylinders": "Цилиндры",
                                 "Displacement": "Объём", "Horsepower": "Мощность", "Weight_in_lbs": "Вес_фунты",
                                 "Acceleration": "Разгон", "Year": "Год", "Origin": "Страна"})


def airports(wheel):
    frame = pd.read_csv(io.BytesIO(_member(wheel, "vega_datasets/_data/airports.csv")), keep_default_na=False)
    frame = frame.iloc[::8].reset_index(drop=True)  # 422 of the 3,376 airports: small files, every state
    frame["country"] = frame["country"].replace({"USA": "США"})
    return frame.rename(columns={"iata": "код", "name": "название", "city": "город", "state": "штат",
                                 "country": "страна", "latitude": "широта", "longitude": "долгота"})


def number_text(value, *, decimal=".", thousands=None):
    """A number as a spreadsheet shows it in the General format: ``1 234,5`` (grouped, decimal comma).

    >>> number_text(59.0), number_text(4.8598, decimal=","), number_text(3504, decimal=",", thousands=" ")
    ('59', '4,8598', '3 504')
    """
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    text = str(int(value)) if value.is_integer() else repr(value)
    whole, _, fraction = text.partition(".")
    if thousands:
        sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
        groups = []
        while len(digits) > 3:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        whole = sign + thousands.join([digits, *groups])
    return whole + (decimal + fraction if fraction else "")


def write(frame, path, *, encoding="utf-8", delimiter=",", decimal=".", thousands=None, grouped=(), line_end="\n",
          bom=False, trailing=False):
    """Write ``frame`` as a locale's tool does: its delimiter, decimal mark, grouping, line ends and encoding."""
    text = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_numeric_dtype(series.dtype):
            group = thousands if column in grouped else None
            text[column] = [number_text(v, decimal=decimal, thousands=group) for v in series.tolist()]
        else:
            text[column] = series.astype(object)
    buffer = io.StringIO()
    text.to_csv(buffer, sep=delimiter, index=False, lineterminator="\n")
    lines = buffer.getvalue().splitlines()
    if trailing:
        lines = [line + delimiter for line in lines]
    data = (line_end.join(lines) + line_end).encode(encoding)
    if bom:
        data = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe"}[encoding] + data
    path.write_bytes(data)


# name -> (table, how it is written, what writes files that way)
VARIANTS = {
    "diabetes": ("diabetes", dict(), "the clean original: UTF-8, comma, decimal point"),
    "diabetes_excel_ru": ("diabetes", dict(encoding="cp1251", delimiter=";", decimal=",", line_end="\r\n"),
                          "Excel, Russian locale, Save As CSV: cp1251, ';', decimal comma, CRLF"),
    "diabetes_unicode_text": ("diabetes", dict(encoding="utf-16-le", bom=True, delimiter="\t", decimal=",",
                                               line_end="\r\n"),
                              "Excel, Russian locale, Save As Unicode Text (.txt): UTF-16 LE with a BOM, tab, "
                              "decimal comma, CRLF"),
    "cars": ("cars", dict(), "the clean original: UTF-8, comma, decimal point"),
    "cars_cp1251": ("cars", dict(encoding="cp1251", delimiter=";", decimal=",", thousands=NBSP, grouped=("Вес_фунты",),
                                 line_end="\r\n"),
                    "Excel, Russian locale, CSV of a sheet whose weights have the '# ##0' format: cp1251, ';', "
                    "decimal comma, thousands grouped with a no-break space, CRLF"),
    "cars_koi8r": ("cars", dict(encoding="koi8_r", delimiter=";", decimal=","),
                   "a Unix tool in a KOI8-R locale: KOI8-R, ';', decimal comma, LF"),
    "cars_bom": ("cars", dict(encoding="utf-8", bom=True, delimiter=";", decimal=",", thousands=NNBSP,
                              grouped=("Вес_фунты",), trailing=True),
                 "Excel, French locale, CSV UTF-8: a BOM, ';', decimal comma, thousands grouped with a narrow "
                 "no-break space, a ';' ending every line (as 1C and some exporters write)"),
    "airports": ("airports", dict(), "the clean original: UTF-8, comma, decimal point"),
    "airports_cp1251": ("airports", dict(encoding="cp1251", delimiter=";", decimal=",", line_end="\r\n",
                                         trailing=True),
                        "a 1C-style export: cp1251, ';' also ending every line, decimal comma, CRLF"),
    "airports_koi8r": ("airports", dict(encoding="koi8_r", delimiter="\t", decimal=","),
                       "KOI8-R, tab, decimal comma, LF"),
    "airports_cp866": ("airports", dict(encoding="cp866", delimiter=";", decimal=",", line_end="\r\n"),
                       "a DOS program: cp866, ';', decimal comma, CRLF"),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vega-wheel", required=True, help="vega_datasets-0.9.0-py3-none-any.whl")
    args = parser.parse_args(argv)
    digest = hashlib.sha256(Path(args.vega_wheel).read_bytes()).hexdigest()
    if digest != VEGA_WHEEL_SHA256:
        print(f"note: the wheel's SHA-256 is {digest}, not the recorded {VEGA_WHEEL_SHA256}; "
              "its members are checked one by one", file=sys.stderr)
    tables = {"diabetes": diabetes(), "cars": cars(args.vega_wheel), "airports": airports(args.vega_wheel)}
    OUT.mkdir(parents=True, exist_ok=True)
    cases = []
    for name, (table, how, by) in VARIANTS.items():
        frame = tables[table]
        half = len(frame) // 2
        suffix = ".txt" if how.get("encoding") == "utf-16-le" else ".csv"
        files = []
        for part, rows in (("a", frame.iloc[:half]), ("b", frame.iloc[half:])):
            path = OUT / f"{name}_{part}{suffix}"
            write(rows.reset_index(drop=True), path, **how)
            files.append(path.name)
        encoding = how.get("encoding", "utf-8")
        cases.append({"name": name, "table": table, "files": files, "original": [f"{table}_a.csv", f"{table}_b.csv"],
                      "written_by": by, "encoding": "utf-16" if encoding == "utf-16-le" else encoding,
                      "bom": how.get("bom", False), "delimiter": how.get("delimiter", ","),
                      "decimal": how.get("decimal", "."), "thousands": how.get("thousands"),
                      "line_end": how.get("line_end", "\n"), "trailing_delimiter": how.get("trailing", False)})
    (OUT / "cases.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for path in sorted(OUT.iterdir()):
        print(f"{path.name:32} {path.stat().st_size:>8,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
