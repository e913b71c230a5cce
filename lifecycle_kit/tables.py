"""Reading a learner's own table safely: any common encoding and delimiter, clear errors.

:func:`read_table` is what the CLI uses on a user's file. It detects the
encoding (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1251 for
Cyrillic, Windows-1252 otherwise) and the delimiter (comma, semicolon, tab,
pipe), and turns every way a file can be unreadable into a
:class:`~lifecycle_kit.LifecycleKitError` that names the file and the line.
"""

import csv
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lifecycle_kit.errors import LifecycleKitError

__all__ = ["TableFile", "read_table"]

DELIMITERS = [",", ";", "\t", "|"]


@dataclass
class TableFile:
    """A table read from disk, with how it was read."""

    frame: pd.DataFrame
    path: str
    encoding: str
    delimiter: str


def _decode(raw, path):
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise LifecycleKitError(f"{path}: has a UTF-16 byte-order mark but is not valid UTF-16 ({err.reason})") from None
    if b"\x00" in raw[:4096]:
        raise LifecycleKitError(f"{path}: looks like a binary file, not a text table (NUL bytes found)")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: a legacy single-byte code page. In Cyrillic text (cp1251) whole words are high bytes, so a
    # high byte usually has a high-byte neighbour; in Western text (cp1252) accented letters sit among ASCII.
    high = [i for i, b in enumerate(raw) if b >= 0x80]
    clustered = sum(1 for i in high if (i > 0 and raw[i - 1] >= 0x80) or (i + 1 < len(raw) and raw[i + 1] >= 0x80))
    if high and clustered >= 0.5 * len(high):
        return raw.decode("cp1251", errors="replace"), "cp1251"
    return raw.decode("cp1252", errors="replace"), "cp1252"


def _sniff_delimiter(text):
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        header = text.splitlines()[0] if text else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read_table(path, *, encoding=None, delimiter=None):
    """Read a CSV (or Parquet) file into a DataFrame, or fail with one clear sentence.

    Parameters
    ----------
    path : path-like
    encoding : str, default=None
        Force an encoding instead of detecting it.
    delimiter : str, default=None
        Force a delimiter instead of detecting it.

    Returns
    -------
    TableFile

    Raises
    ------
    LifecycleKitError
        Missing or unreadable file, empty file, header without rows, ragged
        rows (naming the line), duplicate column names.
    """
    path = Path(path)
    if not path.exists():
        raise LifecycleKitError(f"{path}: no such file")
    if path.is_dir():
        raise LifecycleKitError(f"{path}: is a folder, not a table file")
    if path.suffix.lower() in (".parquet", ".pq"):
        try:
            frame = pd.read_parquet(path)
        except ImportError:
            raise LifecycleKitError(f"{path}: reading Parquet needs pyarrow (pip install pyarrow)") from None
        except Exception as err:  # pyarrow raises its own types for corrupt files
            raise LifecycleKitError(f"{path}: not a readable Parquet file ({type(err).__name__})") from None
        _check_columns(frame.columns, path)
        return TableFile(frame, str(path), "parquet", "")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise LifecycleKitError(f"{path}: cannot be read ({err.strerror})") from None
    if not raw.strip():
        raise LifecycleKitError(f"{path}: the file is empty")
    if encoding:
        try:
            text, used = raw.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as err:
            raise LifecycleKitError(f"{path}: cannot be decoded as {encoding} ({err})") from None
    else:
        text, used = _decode(raw, path)
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        raise LifecycleKitError(f"{path}: has a header but no data rows")
    sep = delimiter or _sniff_delimiter(text)
    header = next(csv.reader([lines[0]], delimiter=sep))
    _check_columns(header, path)
    try:
        # index_col=False: otherwise pandas silently turns the first column into the
        # index when every row has one field more than the header, shifting all values.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), sep=sep, engine="c", low_memory=False, index_col=False)
        if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
            _refuse_extra_fields(text, sep, len(header), path)
    except pd.errors.ParserError as err:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if match:
            expected, line, saw = match.groups()
            raise _ragged(path, line, saw, expected) from None
        raise LifecycleKitError(f"{path}: not a readable table ({str(err).splitlines()[0]})") from None
    except pd.errors.EmptyDataError:
        raise LifecycleKitError(f"{path}: the file is empty") from None
    if frame.empty:
        raise LifecycleKitError(f"{path}: has a header but no data rows")
    if frame.shape[1] == 1 and sep != "," and len(header) > 1:
        raise LifecycleKitError(f"{path}: could not split the columns with delimiter {sep!r}")
    return TableFile(frame, str(path), used, sep)


def _refuse_extra_fields(text, sep, expected, path):
    """Raise on the first row whose fields beyond the header hold data (pandas would drop them).

    Empty trailing fields, as left by exporters that end every row with the
    delimiter, carry nothing and are let through.
    """
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    next(reader, None)
    for row in reader:
        if len(row) > expected and any(field.strip() for field in row[expected:]):
            raise _ragged(path, reader.line_num, len(row), expected)


def _ragged(path, line, fields, expected):
    return LifecycleKitError(f"{path}: line {line} has {fields} fields but the header has {expected} "
                             "(ragged rows: a stray delimiter or quote?)")


def _check_columns(columns, path):
    seen, duplicated = set(), []
    for name in columns:
        key = str(name).strip()
        if key in seen and key not in duplicated:
            duplicated.append(key)
        seen.add(key)
    if duplicated:
        raise LifecycleKitError(f"{path}: duplicate column names: {', '.join(duplicated)}")
    blank = [i + 1 for i, name in enumerate(columns) if not str(name).strip()]
    if blank and len(blank) == len(columns):
        raise LifecycleKitError(f"{path}: the header row is empty")
