"""Reading a learner's own table safely: any common encoding and delimiter, clear errors.

:func:`read_table` is what the CLI uses on a user's file. It looks at a
sample from the start of the file only (256 KiB): the encoding (a byte-order
mark, else valid UTF-8, else UTF-16 without a mark, else what
``charset-normalizer`` finds most likely, named with its confidence) and the
delimiter (comma, semicolon, tab, pipe). Then pandas parses the file itself,
so the reader never holds the raw bytes, a decoded copy and a list of lines
of a large file at once. Every way a file can be unreadable becomes a
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
import io
import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TableFile", "read_table"]

DELIMITERS = [",", ";", "\t", "|"]
#: Bytes from the start of the file used to detect the encoding and the delimiter.
SAMPLE_BYTES = 256 * 1024
#: The longest header line read in full to name the columns (a sample ends after the first line break).
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
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
# When charset-normalizer finds several encodings equally clean, the one most often met in exported tables wins.
_PREFERRED = ["cp1252", "cp1251", "cp1250", "cp1253", "koi8_r", "cp932", "cp1254", "cp1257", "iso8859_15",
              "mac_cyrillic"]


@dataclass
class TableFile:
    """A table read from disk, with how it was read.

    ``confidence`` is 1.0 for a byte-order mark or valid UTF-8, the share of
    the sample that decodes without mess for a detected legacy encoding, and
    ``None`` for a forced encoding or a binary format (Parquet, Excel).
    ``alternatives`` names other encodings that decode the sample as cleanly
    but to different text (pass ``--encoding`` if the guess is wrong).
    """

    frame: pd.DataFrame
    path: str
    encoding: str
    delimiter: str
    confidence: float | None = None
    alternatives: tuple[str, ...] = ()

    def describe_encoding(self):
        """``'cp1250 (confidence 0.94)'``: the encoding and how it was chosen, for people."""
        if self.confidence is None:
            return self.encoding
        if self.alternatives:
            return _("{encoding} (confidence {confidence:.2f}; also plausible: {alternatives})",
                     encoding=self.encoding, confidence=self.confidence, alternatives=", ".join(self.alternatives))
        return _("{encoding} (confidence {confidence:.2f})", encoding=self.encoding, confidence=self.confidence)


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
            # The header is parsed from the sample: on a wide table (50,000 columns) it can be longer than the
            # sample, so read on to the end of the first line (at most HEADER_BYTES).
            while len(sample) > SAMPLE_BYTES and b"\n" not in sample.lstrip() and len(sample) < HEADER_BYTES:
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


# --- encoding -----------------------------------------------------------------------------


def _utf16_without_bom(sample):
    """'utf-16-le' or 'utf-16-be' when the NUL bytes sit on one parity as in UTF-16 text, else None."""
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    # Mostly-ASCII UTF-16 has a NUL in nearly every other byte; binary files scatter them.
    for encoding, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if half and zeros >= 0.3 * half and others <= 0.02 * half:
            text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample[: len(sample) // 2 * 2])
            controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
            if controls <= 0.01 * max(len(text), 1) and "\ufffd" not in text:
                return encoding
    return None


def _valid_utf8(sample, whole):
    try:
        codecs.getincrementaldecoder("utf-8")(errors="strict").decode(sample, final=whole)
        return True
    except UnicodeDecodeError:
        return False


def _detect(sample, path, *, exclude=()):
    """(encoding, confidence, alternatives) of a sample in a legacy or unmarked encoding.

    charset-normalizer scores each candidate decoding by its mess (``chaos``:
    mojibake-like symbols and case changes) and its language coherence. Its
    own search stops early on short samples, sometimes at a multi-byte
    encoding that decodes Cyrillic as Japanese, so the common code pages are
    always scored too, and the lowest mess-minus-coherence wins. Candidates
    scoring the same are broken by how common the encoding is in exported
    tables (also among those giving exactly the same text); those that would
    give different text are named as alternatives.
    """
    from charset_normalizer import from_bytes

    candidates = {}
    for found in (from_bytes(sample, threshold=1.0), from_bytes(sample, threshold=1.0, cp_isolation=_PREFERRED)):
        for result in found:
            if result.encoding not in exclude:
                candidates.setdefault(result.encoding, result)
    if not candidates:
        raise LifecycleKitError(f"{path}: cannot tell the text encoding; give it with --encoding (e.g. cp1252)")
    ranked = sorted(candidates.values(), key=lambda r: r.chaos - r.coherence)
    best_score = ranked[0].chaos - ranked[0].coherence
    best_text = str(ranked[0])
    # Equal scores, or exactly the same text (cp1250 and cp1252 agree on "José München"): the name is convention.
    tied = [r for r in ranked if r.chaos - r.coherence <= best_score + 0.02 or str(r) == best_text]

    def name(result):
        # charset-normalizer keeps one result per decoded text and lists the encodings giving it.
        names = [e for e in (result.could_be_from_charset or [result.encoding]) if e not in exclude]
        return min(names or [result.encoding], key=rank)

    def rank(encoding):
        return _PREFERRED.index(encoding) if encoding in _PREFERRED else len(_PREFERRED)

    tied.sort(key=lambda r: rank(name(r)))
    chosen = tied[0]
    text = str(chosen)
    alternatives = tuple(dict.fromkeys(name(r).replace("_", "-") for r in tied[1:] if str(r) != text))[:3]
    return name(chosen), round(1.0 - chosen.chaos, 2), alternatives


def _choose_encoding(sample, whole, path):
    """(encoding for pandas, confidence, alternatives) from a sample of the file's start."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", 1.0, ()
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", 1.0, ()
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 1.0, ()
    if b"\x00" in sample:
        found = _utf16_without_bom(sample)
        if found:
            return found, 1.0, ()
        raise LifecycleKitError(f"{path}: looks like a binary file, not a text table (NUL bytes found)")
    if _valid_utf8(sample, whole):
        return "utf-8", 1.0, ()
    return _detect(sample, path, exclude=("utf_8",))


def _decode_sample(sample, encoding, whole):
    # Incremental decoding drops a multi-byte character cut at the end of the sample instead of garbling it.
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=whole)


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


# --- structure ----------------------------------------------------------------------------


def _sniff_delimiter(text):
    lines = text.splitlines()[:50]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        header = next((line for line in lines if line.strip()), "")
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _check_delimiter(delimiter):
    named = {"\\t": "\t", "tab": "\t", "TAB": "\t"}
    delimiter = named.get(delimiter, delimiter)
    if len(delimiter) != 1 or delimiter in "\r\n\"" or delimiter.isalnum():
        raise LifecycleKitError(f"--delimiter must be one character that is not a letter, digit, quote or "
                                f"newline (e.g. ';' or '\\t'); got {delimiter!r}")
    return delimiter


def _check_encoding(encoding):
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise LifecycleKitError(f"--encoding {encoding!r} is not an encoding Python knows "
                                "(e.g. utf-8, cp1252, cp1251, koi8-r, shift_jis)") from None


# --- reading --------------------------------------------------------------------------------


def read_table(path, *, encoding=None, delimiter=None):
    """Read a CSV (plain or compressed), Parquet or Excel file into a DataFrame, or fail with one clear sentence.

    Parameters
    ----------
    path : path-like
    encoding : str, default=None
        Force an encoding instead of detecting it.
    delimiter : str, default=None
        Force a one-character delimiter instead of detecting it (``"\\t"`` or ``"tab"`` for a tab).

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
    >>> table.frame["ville"].tolist(), table.delimiter
    (['Nîmes', 'Sète'], ';')
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise LifecycleKitError(f"{path}: no such file") from None
    except OSError as err:
        raise LifecycleKitError(f"{path}: cannot be read ({err.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise LifecycleKitError(f"{path}: is a folder, not a table file")
    if not stat.S_ISREG(info.st_mode):
        # Opening a FIFO blocks until a writer appears; a device may never end.
        raise LifecycleKitError(f"{path}: is not a regular file (a pipe, socket or device); "
                                "save the table to a file first")
    if not os.access(path, os.R_OK):
        raise LifecycleKitError(f"{path}: cannot be read (permission denied)")
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return _read_parquet(path)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path)
    if suffix == ".xls":
        raise LifecycleKitError(f"{path}: Excel 97-2003 (.xls) files are not read; save it as .xlsx or CSV")
    if delimiter is not None:
        delimiter = _check_delimiter(delimiter)
    if encoding is not None:
        encoding = _check_encoding(encoding)
    return _read_csv(path, encoding=encoding, delimiter=delimiter)


def _read_csv(path, *, encoding, delimiter):
    import pandas as pd

    compression = _compression(path)
    sample, whole = _read_sample(path, compression)
    if not sample.strip():
        raise LifecycleKitError(f"{path}: the file is empty")
    if encoding:
        used, confidence, alternatives = encoding, None, ()
        try:
            codecs.getincrementaldecoder(encoding)(errors="strict").decode(sample, final=whole)
        except UnicodeDecodeError as err:
            raise LifecycleKitError(f"{path}: cannot be decoded as {encoding} ({err.reason} at byte {err.start})") from None
    else:
        used, confidence, alternatives = _choose_encoding(sample, whole, path)
    text = _decode_sample(sample, used, whole)
    if not text.strip():
        raise LifecycleKitError(f"{path}: the file is empty")
    sep = delimiter or _sniff_delimiter(text)
    first = next(line for line in text.splitlines() if line.strip())
    try:
        header = next(csv.reader([first], delimiter=sep))
    except csv.Error as err:  # a first line longer than the csv module's field limit (131,072 characters)
        raise LifecycleKitError(f"{path}: the header line cannot be read as CSV ({err})") from None
    _check_columns(header, path)

    # Rows per chunk: about CHUNK_BYTES of text, judged from the sample's line length.
    lines_in_sample = max(text.count("\n"), 1)
    chunk_rows = max(1000, int(CHUNK_BYTES / max(len(sample) / lines_in_sample, 1)))

    def parse(encoding, errors):
        options = dict(sep=sep, engine="c", index_col=False, encoding=encoding, encoding_errors=errors,
                       compression=compression)
        # index_col=False: otherwise pandas silently turns the first column into the
        # index when every row has one field more than the header, shifting all values.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = _read_in_chunks(path, options, chunk_rows)
        if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
            _refuse_extra_fields(path, compression, encoding, errors, sep, len(header))
        return frame

    # Legacy code pages leave a few bytes undefined (cp1253 0xAA...): shown as U+FFFD, as before.
    errors = "strict" if encoding or used.startswith("utf") else "replace"
    try:
        try:
            frame = parse(used, errors)
        except UnicodeDecodeError:
            if encoding or used != "utf-8":
                raise
            # Plain ASCII at the start, another encoding further on: detect it where UTF-8 fails.
            chunk = _first_non_utf8_chunk(path, compression)
            used, confidence, alternatives = _detect(chunk, path, exclude=("utf_8",))
            frame = parse(used, "replace")
    except UnicodeDecodeError as err:
        raise LifecycleKitError(f"{path}: cannot be decoded as {used} ({err.reason}); "
                                "give the right one with --encoding") from None
    except pd.errors.ParserError as err:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if match:
            expected, line, saw = match.groups()
            raise _ragged(path, line, saw, expected) from None
        raise LifecycleKitError(f"{path}: not a readable table ({str(err).splitlines()[0]})") from None
    except pd.errors.EmptyDataError:
        raise LifecycleKitError(f"{path}: the file is empty") from None
    except OSError as err:  # a compressed file corrupt beyond the sample
        raise LifecycleKitError(f"{path}: cannot be read ({err})") from None
    if frame.empty:
        raise LifecycleKitError(f"{path}: has a header but no data rows")
    if frame.shape[1] == 1 and sep != "," and len(header) > 1:
        raise LifecycleKitError(f"{path}: could not split the columns with delimiter {sep!r}")
    return TableFile(frame, str(path), used.replace("_", "-"), sep, confidence, alternatives)


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
            again = pd.read_csv(source, usecols=mixed, low_memory=False, **opened)
        for column in mixed:
            frame[column] = again[column]
    return frame


def _read_parquet(path):
    import pandas as pd

    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise LifecycleKitError(f"{path}: reading Parquet needs the 'parquet' extra: "
                                "pip install 'lifecycle-kit[parquet]'") from None
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
        raise LifecycleKitError(f"{path}: not a readable Parquet file ({type(err).__name__})") from None
    _check_columns(frame.columns, path)
    if frame.empty:
        raise LifecycleKitError(f"{path}: has no data rows")
    return TableFile(frame, str(path), "parquet", "")


def _read_excel(path):
    import pandas as pd

    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise LifecycleKitError(f"{path}: reading Excel needs the 'excel' extra: "
                                "pip install 'lifecycle-kit[excel]'") from None
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
        frame = pd.read_excel(path, sheet_name=0, engine="openpyxl")
    except Exception as err:  # openpyxl and zipfile raise their own types for corrupt files
        raise LifecycleKitError(f"{path}: not a readable Excel file ({type(err).__name__})") from None
    _check_columns(frame.columns, path)
    if frame.empty:
        raise LifecycleKitError(f"{path}: the first sheet has no data rows")
    return TableFile(frame, str(path), "xlsx", "")


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
