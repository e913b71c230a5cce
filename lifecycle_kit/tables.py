"""Reading a learner's own table safely: any common encoding, delimiter and number format, clear errors.

:func:`read_table` (and :func:`read_tables` for tables read together) is what the CLI uses on a user's
file. It reads a sample from the start of each file (256 KiB) and lets
:func:`lifecycle_kit.reading.choose_reading_options` decide, in one place, how the text is written:
encoding, delimiter, decimal mark, digit grouping (see :mod:`lifecycle_kit.reading`). Then a parser reads
the file itself with those options, streamed, so the reader never holds the raw bytes, a decoded copy and
a list of lines of a large file at once: pyarrow's CSV reader when it is installed (the ``parquet`` extra;
``lifecycle_kit._arrow_csv``), which reads the frame pandas reads in less time, else pandas in chunks. A
file pyarrow cannot read exactly as pandas does is read by pandas, and :meth:`TableFile.reading` says
which parser read a file and why. Every way a file can be unreadable becomes a
:class:`~lifecycle_kit.LifecycleKitError` that names the file and the line.

CSV may be compressed (``.gz``, ``.bz2``, ``.xz``, ``.zip`` with one file), as
pandas reads them; a compressed file (and an ``.xlsx`` or Parquet file) that
expands past :data:`MAX_DECOMPRESSED_BYTES` and 100 times its size is refused as
a decompression bomb. Parquet needs the ``parquet`` extra (pyarrow) and Excel
``.xlsx`` the ``excel`` extra (openpyxl).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import io
import os
import re
import stat
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _
from lifecycle_kit.reading import (
    ReadingOptions,
    Sample,
    choose_reading_options,
    field_too_long,
    grouping_name,
    guess_encoding,
    numbers_in_text,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TableFile", "read_table", "read_tables"]

#: Bytes from the start of the file used to detect the encoding and the delimiter.
SAMPLE_BYTES = 256 * 1024
#: Lines a sample holds at least (the header and rows to learn the number format from), however long they are.
SAMPLE_LINES = 4
#: The most read to hold SAMPLE_LINES lines (the longest header line read in full to name the columns).
HEADER_BYTES = 64 * 1024 * 1024
#: Text parsed at a time (the tokenizer's memory); the chunks are then joined into one frame.
CHUNK_BYTES = 32 * 1024 * 1024
COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zip": "zip"}
#: A compressed table (also .xlsx and Parquet) may expand to this many bytes, or to MAX_EXPANSION_RATIO times its
#: size on disk if that is more: a 611 KB .csv.gz that expands to 600 MiB is a decompression bomb, not a table
#: (tables compress 3 to 10 times; a real one past 100 times is rare, and the message says to decompress it first).
MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024
MAX_EXPANSION_RATIO = 100
PARQUET_SUFFIXES = (".parquet", ".pq")
#: Set to ``pandas`` to read every CSV with pandas even where pyarrow is installed (tests read with both).
PARSER_VARIABLE = "LIFECYCLE_KIT_CSV_PARSER"
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class TableFile:
    """A table read from disk, with how it was read.

    ``confidence`` is 1.0 for a byte-order mark or valid UTF-8, the share of
    the non-ASCII text that reads as plausible words for a guessed legacy
    encoding, and ``None`` for a forced encoding or a binary format (Parquet,
    Excel). ``alternatives`` names other encodings that read the sample almost
    as well (pass ``--encoding`` if the guess is wrong). ``options`` holds
    every reading option of a text table (decimal mark, digit grouping, ...),
    ``notes`` what was detected or noticed, in words. ``parser`` is the CSV
    parser that read a text table (``"pyarrow"`` or ``"pandas"``; both read
    the same frame) and ``parser_reason`` why pandas read it.
    """

    frame: pd.DataFrame
    path: str
    encoding: str
    delimiter: str
    confidence: float | None = None
    alternatives: tuple[str, ...] = ()
    options: ReadingOptions | None = None
    sheet: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    parser: str | None = None
    parser_reason: str | None = None

    def describe_encoding(self) -> str:
        """``'cp1250 (confidence 0.94)'``: the encoding and how it was chosen, for people."""
        if self.options is not None:
            return self.options.describe_encoding()
        return self.encoding

    def describe(self) -> str:
        """How the file was read, in one line for people: encoding, delimiter, decimal mark, grouping, sheet."""
        if self.options is None:
            if self.sheet is not None:
                return _("Excel workbook, sheet {sheet}", sheet=repr(self.sheet))
            return _("{format} file", format=self.encoding)
        parts = [_("encoding {encoding}", encoding=self.options.describe_encoding()),
                 _("delimiter {delimiter}", delimiter=repr(self.delimiter))]
        if self.options.decimal != ".":
            parts.append(_("decimal comma"))
        if self.options.thousands is not None:
            parts.append(_("digits grouped by {separator}", separator=_(grouping_name(self.options.thousands))))
        return ", ".join(parts)

    def reading(self) -> dict[str, object]:
        """How the file was read, as JSON (the notes in English: the document is read by programs)."""
        out: dict[str, object] = {"file": self.path, "format": "csv" if self.options is not None else self.encoding}
        if self.options is not None:
            out.update(self.options.to_dict())
            out["parser"] = self.parser
            if self.parser_reason is not None:
                out["parser_reason"] = self.parser_reason
        if self.sheet is not None:
            out["sheet"] = self.sheet
        out["notes"] = [str(n) for n in self.notes]
        return out


# --- opening ----------------------------------------------------------------------------


def _compression(path):
    return COMPRESSIONS.get(path.suffix.lower())


def _expansion_limit(path):
    """How many bytes a compressed file may expand to (see :data:`MAX_DECOMPRESSED_BYTES`)."""
    return max(MAX_DECOMPRESSED_BYTES, MAX_EXPANSION_RATIO * os.stat(path).st_size)


def _bomb(path, limit):
    return LifecycleKitError(f"{path}: expands to more than {limit:,} bytes when decompressed (over "
                             f"{MAX_EXPANSION_RATIO} times its size): refused as a likely decompression bomb; if it is "
                             "a real table, decompress it first")


class _Capped(io.RawIOBase):
    """A decompressing stream that raises once more than ``limit`` bytes came out of it."""

    def __init__(self, inner, limit, path):
        super().__init__()
        self._inner, self._left, self._limit, self._path = inner, limit, limit, path

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._inner.read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            raise _bomb(self._path, self._limit)
        self._left -= len(data)
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        try:
            self._inner.close()
        finally:
            super().close()


def _open_binary(path, compression):
    """A binary stream of the (decompressed) file; a decompressed one stops at :func:`_expansion_limit`."""
    if compression is None:
        return open(path, "rb")
    limit = _expansion_limit(path)
    if compression == "gzip":
        import gzip

        inner = gzip.open(path, "rb")
    elif compression == "bz2":
        import bz2

        inner = bz2.open(path, "rb")
    elif compression == "xz":
        import lzma

        inner = lzma.open(path, "rb")
    else:
        import zipfile

        archive = zipfile.ZipFile(path)
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) != 1:
            archive.close()
            raise LifecycleKitError(f"{path}: a .zip table must hold exactly one file; it holds {len(members)}")
        if members[0].file_size > limit:  # zipfile never reads past the declared size
            archive.close()
            raise _bomb(path, limit)
        inner = archive.open(members[0])
    return io.BufferedReader(_Capped(inner, limit, path), buffer_size=1 << 20)


@contextlib.contextmanager
def _decompressed(path, options):
    """``(source, options)`` for ``pandas.read_csv``: a compressed file as a capped stream pandas reads as is."""
    if options.get("compression") is None:
        yield path, options
        return
    with _open_binary(path, options["compression"]) as handle:
        yield handle, {**options, "compression": None}


def _read_sample(path, compression):
    """(first SAMPLE_BYTES bytes, or up to the end of a longer first line; whether that is the whole file)."""
    import lzma
    import zipfile
    import zlib

    try:
        with _open_binary(path, compression) as handle:
            sample = handle.read(SAMPLE_BYTES + 1)
            # The header is parsed from the sample, and the number format learnt from its first rows: on a wide
            # table (50,000 columns) a line can be longer than the sample, so read on to the end of the first
            # SAMPLE_LINES lines (at most HEADER_BYTES).
            while (len(sample) > SAMPLE_BYTES and sample.lstrip().count(b"\n") < SAMPLE_LINES
                   and len(sample) < HEADER_BYTES):
                more = handle.read(SAMPLE_BYTES)
                if not more:
                    return sample, True
                sample += more
            if len(sample) > SAMPLE_BYTES + 1:
                return sample, False
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError) as err:
        raise LifecycleKitError(f"{path}: not a readable {compression} file ({err})") from None
    except OSError as err:
        if compression and not err.strerror:  # gzip and bz2 report corrupt data as a bare OSError
            raise LifecycleKitError(f"{path}: not a readable {compression} file ({err})") from None
        raise LifecycleKitError(f"{path}: cannot be read ({err.strerror or err})") from None
    return sample[:SAMPLE_BYTES], len(sample) <= SAMPLE_BYTES


# --- encoding ----------------------------------------------------------------------------------


def _first_non_utf8_chunk(path, compression):
    """The first SAMPLE_BYTES-sized chunk that is not valid UTF-8 (to detect the encoding of a file that
    starts in plain ASCII and has its first accented letter further on)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    with _open_binary(path, compression) as handle:
        while True:
            chunk = handle.read(SAMPLE_BYTES)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError:
                return chunk
            if not chunk:
                return b""


# --- reading --------------------------------------------------------------------------------


def read_table(path: str | os.PathLike[str], *, encoding: str | None = None, delimiter: str | None = None,
               decimal: str | None = None, thousands: str | None = None, sheet: str | None = None) -> TableFile:
    """Read a CSV (plain or compressed), Parquet or Excel file into a DataFrame, or fail with one clear sentence.

    Parameters
    ----------
    path : path-like
    encoding : str, default=None
        Force an encoding instead of detecting it.
    delimiter : str, default=None
        Force a one-character delimiter instead of detecting it (``"\\t"`` or ``"tab"`` for a tab).
    decimal : {".", ","}, default=None
        Force the decimal mark instead of detecting it.
    thousands : str, default=None
        Force the character between groups of three digits (``"space"``, ``"nbsp"``, ``"nnbsp"``, ``"."``,
        ``","``, ``"'"``), or ``"none"``, instead of detecting it.
    sheet : str, default=None
        The sheet of an Excel workbook: its name, or its number counting from 1 (default: the first).

    Returns
    -------
    TableFile

    Raises
    ------
    LifecycleKitError
        Missing, unreadable or not a regular file (a FIFO), empty file, header
        without rows, ragged rows (naming the line), duplicate column names,
        undecodable text, a missing optional extra (naming it).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "t.csv").write_bytes("ville;prix\\nNîmes;3,5\\nSète;4\\n".encode("cp1252"))
    >>> table = read_table(folder / "t.csv")
    >>> table.frame["ville"].tolist(), table.frame["prix"].tolist(), table.delimiter
    (['Nîmes', 'Sète'], [3.5, 4.0], ';')
    >>> print(table.notes[0])
    decimal comma detected: prix holds numbers written as 3,5
    """
    return read_tables([path], encoding=encoding, delimiter=delimiter, decimal=decimal, thousands=thousands,
                       sheet=sheet)[0]


def read_tables(paths: Sequence[str | os.PathLike[str]], *, encoding: str | None = None, delimiter: str | None = None,
                decimal: str | None = None, thousands: str | None = None,
                sheet: str | None = None) -> list[TableFile]:
    """Read tables that belong together (a reference and a current table) with the same reading options.

    Like :func:`read_table` for each path, except that files in a legacy encoding have it guessed together,
    so the two halves of one table cannot come out in two code pages.

    Returns
    -------
    list of TableFile
    """
    files = [Path(p) for p in paths]
    for path in files:
        _check_file(path)
    suffixes = [p.suffix.lower() for p in files]
    if sheet is not None and not any(s in EXCEL_SUFFIXES for s in suffixes):
        raise LifecycleKitError(_("--sheet is for Excel workbooks (.xlsx); {files}: not one",
                                  files=", ".join(map(str, files))))
    for path, suffix in zip(files, suffixes):
        if suffix == ".xls":
            raise LifecycleKitError(_("{path}: Excel 97-2003 (.xls) files are not read; save it as .xlsx or CSV",
                                      path=path))
    text_paths = [p for p, s in zip(files, suffixes) if s not in PARQUET_SUFFIXES + EXCEL_SUFFIXES]
    samples = []
    for path in text_paths:
        data, whole = _read_sample(path, _compression(path))
        samples.append(Sample(data, whole, str(path)))
    options = dict(zip(text_paths, choose_reading_options(samples, encoding=encoding, delimiter=delimiter,
                                                          decimal=decimal, thousands=thousands)))
    tables = []
    for path, suffix in zip(files, suffixes):
        if suffix in PARQUET_SUFFIXES:
            tables.append(_read_parquet(path))
        elif suffix in EXCEL_SUFFIXES:
            tables.append(_read_excel(path, sheet=sheet, decimal=decimal, thousands=thousands))
        else:
            sample = samples[text_paths.index(path)]
            tables.append(_read_csv(path, options[path], sample))
    return tables


def _check_file(path):
    try:
        info = path.stat()
    except FileNotFoundError:
        raise LifecycleKitError(_("{path}: no such file", path=path)) from None
    except OSError as err:
        raise LifecycleKitError(_("{path}: cannot be read ({reason})", path=path, reason=err.strerror)) from None
    if stat.S_ISDIR(info.st_mode):
        raise LifecycleKitError(_("{path}: is a folder, not a table file", path=path))
    if not stat.S_ISREG(info.st_mode):
        # Opening a FIFO blocks until a writer appears; a device may never end.
        raise LifecycleKitError(_("{path}: is not a regular file (a pipe, socket or device); save the table to a "
                                  "file first", path=path))
    if not os.access(path, os.R_OK):
        raise LifecycleKitError(_("{path}: cannot be read (permission denied)", path=path))


def _read_csv(path, options, sample):
    import pandas as pd

    compression = _compression(path)
    text = codecs.getincrementaldecoder(options.encoding)(errors="replace").decode(sample.data, final=sample.whole)
    sep = options.delimiter
    first = next(line for line in text.splitlines() if line.strip())
    try:
        whole_header = next(csv.reader([first], delimiter=sep))
    except csv.Error:
        raise field_too_long(path, sep) from None
    header = whole_header[:-1] if options.empty_last_column else whole_header
    _check_columns(header, path)

    # Rows per chunk: about CHUNK_BYTES of text, judged from the sample's line length.
    lines_in_sample = max(text.count("\n"), 1)
    line_bytes = max(len(sample.data) / lines_in_sample, 1)
    chunk_rows = max(1000, int(CHUNK_BYTES / line_bytes))
    # pyarrow's arrays are sized for this many rows, and grow if there are more (a compressed file: a guess).
    estimated_rows = lines_in_sample + 1 if sample.whole else int(
        os.stat(path).st_size * (1 if compression is None else 4) / line_bytes * 1.02) + 1024
    why_not_pyarrow = _why_not_pyarrow()
    parser = {"parser": "pandas", "parser_reason": why_not_pyarrow}

    def parse(options, errors):
        # index_col=False: otherwise pandas silently turns the first column into the
        # index when every row has one field more than the header, shifting all values.
        parser_options = dict(options.pandas_options(), engine="c", index_col=False, encoding_errors=errors,
                              compression=compression)
        if why_not_pyarrow is None:
            from lifecycle_kit._arrow_csv import CannotReadExactly

            try:
                frame = _read_with_pyarrow(path, options, errors, whole_header, parser_options, chunk_rows,
                                           estimated_rows)
                parser.update(parser="pyarrow", parser_reason=None)
                return frame
            except CannotReadExactly as err:
                parser.update(parser="pandas", parser_reason=str(err))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = _read_in_chunks(path, parser_options, chunk_rows)
        if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
            _refuse_extra_fields(path, compression, options.encoding, errors, sep, len(header))
        return frame

    # Legacy code pages leave a few bytes undefined (cp1253 0xAA...): shown as U+FFFD, as before.
    errors = "strict" if "encoding" in options.forced or options.encoding.startswith("utf") else "replace"
    try:
        try:
            frame = parse(options, errors)
        except UnicodeDecodeError:
            if "encoding" in options.forced or options.encoding != "utf-8":
                raise
            # Plain ASCII at the start, another encoding further on: guess it where UTF-8 fails.
            chunk = _first_non_utf8_chunk(path, compression)
            used, confidence, alternatives = guess_encoding([Sample(chunk, False, str(path))])
            options = dataclasses.replace(options, encoding=used, confidence=confidence, alternatives=alternatives)
            frame = parse(options, "replace")
    except UnicodeDecodeError as err:
        raise LifecycleKitError(_("{path}: cannot be decoded as {encoding} ({reason}); give the right one with "
                                  "--encoding", path=path, encoding=options.encoding_name, reason=err.reason)) from None
    except pd.errors.ParserError as err:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if match:
            expected, line, saw = match.groups()
            raise _ragged(path, line, saw, expected) from None
        raise LifecycleKitError(_("{path}: not a readable table ({reason})", path=path,
                                  reason=str(err).splitlines()[0])) from None
    except pd.errors.EmptyDataError:
        raise LifecycleKitError(_("{path}: the file is empty", path=path)) from None
    except OSError as err:  # a compressed file corrupt beyond the sample
        raise LifecycleKitError(_("{path}: cannot be read ({reason})", path=path, reason=err)) from None
    if frame.empty:
        raise LifecycleKitError(_("{path}: has a header but no data rows", path=path))
    if frame.shape[1] == 1 and sep != "," and len(header) > 1:
        raise LifecycleKitError(_("{path}: could not split the columns with delimiter {delimiter!r}", path=path,
                                  delimiter=sep))
    notes = list(options.notes)
    if options.empty_last_column and frame.shape[1] == len(header) + 1 and frame.iloc[:, -1].isna().all():
        frame = frame.iloc[:, :-1]
    frame, found = numbers_in_text(frame, decimal=options.decimal, thousands=options.thousands)
    return TableFile(frame, str(path), options.encoding_name, sep, options.confidence, options.alternatives,
                     options, None, tuple(notes + found), **parser)


def _why_not_pyarrow():
    """Why pandas reads the CSV files, not pyarrow (None: pyarrow may, see lifecycle_kit._arrow_csv)."""
    if os.environ.get(PARSER_VARIABLE, "").strip().lower() == "pandas":
        return f"{PARSER_VARIABLE}=pandas"
    from lifecycle_kit._arrow_csv import unavailable

    return unavailable()


def _read_with_pyarrow(path, options, errors, header, parser_options, chunk_rows, estimated_rows):
    """The frame pandas reads with ``parser_options``, read by pyarrow; columns it cannot type exactly by pandas."""
    import pandas as pd

    from lifecycle_kit._arrow_csv import CannotReadExactly, read_columns

    compression = _compression(path)
    columns, doubtful = read_columns(lambda: _open_binary(path, compression), options, errors=errors, header=header,
                                     estimated_rows=estimated_rows)
    if doubtful:
        rows = len(next(iter(columns.values())))
        try:
            again = _read_in_chunks(path, {**parser_options, "usecols": doubtful}, chunk_rows)
        except (ValueError, pd.errors.ParserError, UnicodeError) as err:
            raise CannotReadExactly(f"pandas could not read the columns pyarrow may type otherwise ({err})") from None
        if len(again) != rows or list(again.columns) != doubtful:
            raise CannotReadExactly("pandas splits the rows otherwise than pyarrow")
        for name in doubtful:
            columns[name] = again[name]
    return pd.DataFrame(columns, copy=False)


def _read_in_chunks(path, options, chunk_rows):
    """``pandas.read_csv(path, **options)`` with the parser's memory bounded by a chunk, same frame.

    Read whole, pandas' tokenizer holds every field of the file as text next to
    the frame it builds: 4.5 times the frame for a table of floats. Read in
    chunks, the peak is the chunks plus their concatenation (about twice the
    frame). Chunks are typed on their own, so a column that is numbers in one
    chunk and text in another (a '?' on row 700,000) would come out as a mix of
    numbers and strings; those columns alone are read again whole, as pandas
    types them when it sees the entire file.
    """
    import pandas as pd

    with _decompressed(path, options) as (source, opened), \
            pd.read_csv(source, chunksize=chunk_rows, **opened) as reader:
        chunks = list(reader)
    if not chunks:
        with _decompressed(path, options) as (source, opened):
            return pd.read_csv(source, **opened)
    if len(chunks) == 1:
        return chunks[0]
    mixed = [column for column in chunks[0].columns
             if len({str(chunk[column].dtype) for chunk in chunks}) > 1
             and not all(pd.api.types.is_numeric_dtype(chunk[column].dtype)
                         and not pd.api.types.is_bool_dtype(chunk[column].dtype) for chunk in chunks)]
    frame = pd.concat(chunks, ignore_index=True)
    del chunks
    if mixed:
        with _decompressed(path, options) as (source, opened):
            again = pd.read_csv(source, **{**opened, "usecols": mixed, "low_memory": False})
        for column in mixed:
            frame[column] = again[column]
    return frame


def _read_parquet(path):
    import pandas as pd

    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise LifecycleKitError(_("{path}: reading Parquet needs the 'parquet' extra: "
                                  "pip install 'lifecycle-kit[parquet]'", path=path)) from None
    try:
        import pyarrow.parquet as pq

        # Pages are compressed, and encoded (a run of a billion equal values takes a few bytes): the row groups say
        # how large they are decompressed, and the frame takes at least 8 bytes a value.
        metadata = pq.read_metadata(path)
        expanded = max(sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups)),
                       8 * metadata.num_rows * metadata.num_columns)
    except Exception as err:  # pyarrow raises its own types for corrupt files
        raise LifecycleKitError(f"{path}: not a readable Parquet file ({type(err).__name__})") from None
    if expanded > _expansion_limit(path):
        raise _bomb(path, _expansion_limit(path))
    try:
        frame = pd.read_parquet(path)
    except Exception as err:  # pyarrow raises its own types for corrupt files
        raise LifecycleKitError(_("{path}: not a readable Parquet file ({reason})", path=path,
                                  reason=type(err).__name__)) from None
    _check_columns(frame.columns, path)
    if frame.empty:
        raise LifecycleKitError(_("{path}: has no data rows", path=path))
    return TableFile(frame, str(path), "parquet", "")


def _read_excel(path, *, sheet=None, decimal=None, thousands=None):
    import pandas as pd

    from lifecycle_kit.reading import check_decimal, check_thousands

    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise LifecycleKitError(_("{path}: reading Excel needs the 'excel' extra: "
                                  "pip install 'lifecycle-kit[excel]'", path=path)) from None
    import zipfile

    try:
        # An .xlsx is a zip of XML files; zipfile never reads a member past its declared size.
        with zipfile.ZipFile(path) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise LifecycleKitError(f"{path}: not a readable Excel file ({type(err).__name__})") from None
    if expanded > _expansion_limit(path):
        raise _bomb(path, _expansion_limit(path))
    try:
        with pd.ExcelFile(path, engine="openpyxl") as workbook:
            names = [str(n) for n in workbook.sheet_names]
            chosen = _sheet_name(path, names, sheet)
            frame = pd.read_excel(workbook, sheet_name=chosen)
    except LifecycleKitError:
        raise
    except Exception as err:  # openpyxl and zipfile raise their own types for corrupt files
        raise LifecycleKitError(_("{path}: not a readable Excel file ({reason})", path=path,
                                  reason=type(err).__name__)) from None
    _check_columns(frame.columns, path)
    if frame.empty:
        raise LifecycleKitError(_("{path}: sheet {sheet!r} has no data rows", path=path, sheet=chosen))
    notes = []
    if sheet is None and len(names) > 1:
        notes.append(N_("the workbook has {count} sheets; the first, {sheet!r}, was read (choose another with "
                        "--sheet)", count=len(names), sheet=chosen))
    # Numbers typed into text cells ("1,5" in a Russian spreadsheet): converted under the forced decimal mark and
    # grouping, or named.
    frame, found = numbers_in_text(frame, decimal=check_decimal(decimal) if decimal else ".",
                                   thousands=check_thousands(thousands) if thousands else None,
                                   convert=decimal is not None or thousands is not None)
    return TableFile(frame, str(path), "xlsx", "", sheet=chosen, notes=tuple(notes + found))


def _sheet_name(path, names, sheet):
    """The sheet to read: ``sheet`` by name, else by its number counting from 1; the first by default."""
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    if str(sheet).isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    raise LifecycleKitError(_("{path}: no sheet {sheet!r}; its sheets are {names} (give a name or a number "
                              "counting from 1)", path=path, sheet=sheet, names=", ".join(map(repr, names))))


def _refuse_extra_fields(path, compression, encoding, errors, sep, expected):
    """Raise on the first row whose fields beyond the header hold data (pandas would drop them).

    Empty trailing fields, as left by exporters that end every row with the
    delimiter, carry nothing and are let through. The file is streamed, not
    held in memory.
    """
    import io

    with _open_binary(path, compression) as raw, io.TextIOWrapper(raw, encoding=encoding, errors=errors,
                                                                  newline="") as handle:
        reader = csv.reader(handle, delimiter=sep)
        try:
            next(reader, None)
            for row in reader:
                if len(row) > expected and any(field.strip() for field in row[expected:]):
                    raise _ragged(path, reader.line_num, len(row), expected)
        except csv.Error as err:
            raise LifecycleKitError(f"{path}: line {reader.line_num} cannot be read as CSV ({err})") from None


def _ragged(path, line, fields, expected):
    return LifecycleKitError(_("{path}: line {line} has {fields} fields but the header has {expected} "
                               "(ragged rows: a stray delimiter or quote?)", path=path, line=line, fields=fields,
                               expected=expected))


def _check_columns(columns, path):
    seen, duplicated = set(), []
    for name in columns:
        key = str(name).strip()
        if key in seen and key not in duplicated:
            duplicated.append(key)
        seen.add(key)
    if duplicated:
        raise LifecycleKitError(_("{path}: duplicate column names: {names}", path=path, names=", ".join(duplicated)))
    blank = [i + 1 for i, name in enumerate(columns) if not str(name).strip()]
    if blank and len(blank) == len(columns):
        raise LifecycleKitError(_("{path}: the header row is empty", path=path))
