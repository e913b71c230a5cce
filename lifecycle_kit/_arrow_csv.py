"""Reading a CSV with pyarrow's CSV reader into the columns ``pandas.read_csv`` would give, or saying why not.

:func:`lifecycle_kit.tables.read_table` uses this when pyarrow (the ``parquet`` extra) is installed and pandas
is 3.0 or newer: pyarrow parses and converts a table of numbers in about two thirds of the CPU time of
pandas' C parser, and its streamed record batches are copied straight into the frame's arrays, so no
chunks are joined. The frame must be the one pandas reads from the same file with the same
:class:`~lifecycle_kit.reading.ReadingOptions`: same column names, dtypes and values, the same cells
missing. The two parsers agree on most of a CSV, and this module keeps to that part:

- **tokens**: pandas' missing-value tokens (:data:`~lifecycle_kit.reading.NA_TOKENS` and the empty cell,
  quoted or not) are pyarrow's nulls; booleans, dates and times, which pyarrow would type and pandas
  leaves as text, are read as text.
- **types**: pyarrow types each column from the first block, the types are then given explicitly (about a
  third faster than inferring every block), and a later value that does not fit (``1.5`` in a column of
  integers, ``?`` in a column of numbers) widens its column (integers, floats, text) and the file is read
  again. A column whose values pyarrow's parsers may read otherwise than pandas' is *doubtful* and is read
  again by pandas alone (:func:`read_columns` returns it as such): a column of text whose every value
  looks like a number or a boolean, integers when ``0x`` occurs in the file (pyarrow reads hexadecimal),
  floats that are all whole numbers without a missing value (``+1`` is an integer to pandas), hold a NaN
  written as a value (``NAN``) or a whole number past 2**63.
- **what pyarrow cannot honour** raises :class:`CannotReadExactly`, and the caller reads the file with pandas:
  digits grouped by an ASCII character (pandas' ``thousands``), a table of one column (pandas skips lines
  of spaces), rows of another length than the header (pandas fills or refuses them), invalid UTF-8 (pandas
  raises, and the caller guesses the encoding), a header other than the one the options were chosen from.

Files in another encoding than UTF-8 are decoded by Python's codec, with the same ``errors`` as pandas
uses, and handed to pyarrow as UTF-8. A compressed file comes as the caller's capped stream, so the cap on
decompressed bytes holds here as in pandas' path.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.reading import NA_TOKENS, ReadingOptions

if TYPE_CHECKING:
    import numpy as np

__all__ = ["CannotReadExactly", "read_columns", "unavailable"]

#: Bytes of text pyarrow parses at a time (one record batch): the least CPU time per byte on a table of floats.
BLOCK_BYTES = 1 << 20
#: Bytes pyarrow types the columns from before they are given explicitly.
INFER_BYTES = 1 << 20
#: Times a file is read again because a later value widened a column's type, before pandas reads it instead.
MAX_RESTARTS = 4
# pandas' whitespace around a number (its parser's isspace_ascii).
_SPACE = r"[ \t\n\v\f\r]"
# A value pandas might read as a number or a boolean: pyarrow left it as text, so only pandas can tell. Wider than
# pandas' grammar (either decimal mark, digits optional), never narrower; a date ("2024-01-01") is not one.
_NUMBER_LIKE = re.compile(rf"(?i)^{_SPACE}*(?:[+-]?[0-9]*[.,]?[0-9]*(?:e[+-]?[0-9]*)?|[+-]?inf(?:inity)?|true|false)"
                          rf"{_SPACE}*$")
_CONVERSION = re.compile(r"In CSV column #(\d+): .*?CSV conversion error to (\w+)", re.S)
_WIDER = {"int64": "double", "double": "large_string"}


class CannotReadExactly(Exception):
    """pyarrow cannot read the file into the frame pandas reads; the message says why (English, for the metadata)."""


def unavailable() -> str | None:
    """Why pyarrow's CSV reader cannot be used here, or None when it can.

    It needs pyarrow (the ``parquet`` extra) and pandas 3.0 or newer: pandas 2's float parser does not round
    every long number correctly, and this module follows pandas 3's, which does, as pyarrow's does.
    """
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return "pyarrow is not installed (the 'parquet' extra)"
    import pandas as pd

    if int(pd.__version__.split(".")[0]) < 3:
        return f"pandas {pd.__version__} reads some long numbers otherwise than pyarrow (pandas 3 does not)"
    return None


class _Utf8Stream(io.RawIOBase):
    """The text of a binary stream in ``encoding``, decoded with ``errors`` as pandas decodes it, as UTF-8 bytes."""

    def __init__(self, raw: BinaryIO, encoding: str, errors: str):
        super().__init__()
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
        self._pending = memoryview(b"")
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self._done:
            data = self._raw.read(BLOCK_BYTES)
            self._done = not data
            self._pending = memoryview(self._decoder.decode(data, final=self._done).encode("utf-8"))
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


class _Scanned(io.RawIOBase):
    """A stream passed through, noting whether ``0x`` or ``0X`` occurs in it (pyarrow reads ``0x1A`` as 26)."""

    def __init__(self, raw: BinaryIO):
        super().__init__()
        self._raw = raw
        self.scan = False
        self.hexadecimal = False
        self._last = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if self.scan and not self.hexadecimal and data:
            # memchr for the letter first: text without an x costs nearly nothing.
            if b"x" in data or b"X" in data:
                joined = self._last + data
                self.hexadecimal = b"0x" in joined or b"0X" in joined
            self._last = data[-1:]
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


def _open(open_binary: Callable[[], BinaryIO], options: ReadingOptions, errors: str) -> _Scanned:
    raw = open_binary()
    # pyarrow checks UTF-8 itself (and skips a byte-order mark); any other text is decoded as pandas decodes it.
    if not (options.encoding in ("utf-8", "utf-8-sig") and errors == "strict"):
        raw = _Utf8Stream(raw, options.encoding, errors)  # type: ignore[assignment]
    return _Scanned(raw)


def _arrow_options(options: ReadingOptions, block_bytes: int, types: dict[str, Any] | None) -> dict[str, Any]:
    import pyarrow.csv as pacsv

    return {
        "read_options": pacsv.ReadOptions(block_size=block_bytes, use_threads=False),
        "parse_options": pacsv.ParseOptions(delimiter=options.delimiter, newlines_in_values=True,
                                            ignore_empty_lines=True),
        "convert_options": pacsv.ConvertOptions(
            column_types=types, null_values=sorted(NA_TOKENS | {""}), strings_can_be_null=True,
            quoted_strings_can_be_null=True, true_values=[], false_values=[], decimal_point=options.decimal,
            check_utf8=True),
    }


def _reason(err: BaseException) -> str:
    """The first line of an error, at most 200 characters (pyarrow's quote the row)."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def read_columns(open_binary: Callable[[], BinaryIO], options: ReadingOptions, *, errors: str,
                 header: Sequence[str], estimated_rows: int) -> tuple[dict[str, Any], list[str]]:
    """The columns pandas would read from the file, by name in the header's order, and the doubtful ones.

    Parameters
    ----------
    open_binary : callable
        Opens the file's (decompressed) bytes, from the start, each time it is called.
    options : ReadingOptions
    errors : str
        How undecodable bytes are treated (pandas' ``encoding_errors``).
    header : sequence of str
        The column names the options were chosen from (as Python's csv module splits the first line),
        the empty one after a trailing delimiter included.
    estimated_rows : int
        About how many rows the file holds (the arrays grow if there are more).

    Returns
    -------
    columns : dict
        Column name (pandas' ``Unnamed: i`` for an empty one) to a numpy array or a pandas extension array.
        A doubtful column's entry is a placeholder (missing values) to be replaced by pandas' reading.
    doubtful : list of str
        Columns pandas must read itself (see the module's docstring).

    Raises
    ------
    CannotReadExactly
        The file cannot be read as pandas reads it (the caller reads it with pandas).
    """
    if options.thousands is not None and options.thousands.isascii():
        raise CannotReadExactly(f"digits grouped by {options.thousands!r}: pyarrow's CSV reader reads no grouping")
    if len(header) - options.empty_last_column < 2:
        raise CannotReadExactly("a table of one column: pandas skips lines of spaces where pyarrow reads values")
    import pyarrow as pa
    import pyarrow.csv as pacsv

    types = _first_types(open_binary, options, errors, header)
    for _restart in range(MAX_RESTARTS + 1):
        stream = _open(open_binary, options, errors)
        stream.scan = any(t == "int64" for t in types.values())
        try:
            arrow_types = {name: getattr(pa, "float64" if t == "double" else t)() for name, t in types.items()}
            with pacsv.open_csv(stream, **_arrow_options(options, BLOCK_BYTES, arrow_types)) as reader:
                collected = _Collected(types, estimated_rows)
                for batch in reader:
                    collected.add(batch)
            break
        except LifecycleKitError:
            raise  # a decompression bomb, stopped by the caller's capped stream
        except pa.ArrowInvalid as err:
            widened = _widened(err, types)
            if widened is None:
                raise CannotReadExactly(f"pyarrow: {_reason(err)}") from None
            types = widened
        except Exception as err:  # undecodable text, a corrupt archive...: pandas reads it and says what it says
            raise CannotReadExactly(f"pyarrow: {_reason(err)}") from None
        finally:
            stream.close()
    else:
        raise CannotReadExactly(f"the types of more than {MAX_RESTARTS} columns changed after the first "
                                f"{INFER_BYTES:,} bytes")
    if collected.rows == 0:
        raise CannotReadExactly("no data rows")
    return collected.columns(hexadecimal=stream.hexadecimal)


def _first_types(open_binary, options, errors, header):
    """Each column's type as pyarrow infers it from the first INFER_BYTES: 'int64', 'double' or 'large_string'."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    stream = _open(open_binary, options, errors)
    try:
        with pacsv.open_csv(stream, **_arrow_options(options, INFER_BYTES, None)) as reader:
            schema = reader.schema
    except LifecycleKitError:
        raise
    except Exception as err:
        raise CannotReadExactly(f"pyarrow: {_reason(err)}") from None
    finally:
        stream.close()
    if list(schema.names) != list(header):
        raise CannotReadExactly("pyarrow splits the header otherwise than the options were chosen from")
    types = {}
    for field in schema:
        if pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type):
            raise CannotReadExactly(f"column {field.name!r} is not valid UTF-8")
        if pa.types.is_int64(field.type):
            types[field.name] = "int64"
        elif pa.types.is_float64(field.type) or pa.types.is_null(field.type):
            types[field.name] = "double"  # a column empty so far: floats, as pandas reads missing values
        else:
            # Text, and what pandas leaves as text (booleans, dates, times): as large_string, which pandas' pyarrow-backed
            # str holds without a copy.
            types[field.name] = "large_string"
    return types


def _widened(err, types):
    """The types with the column a conversion error names made wider, or None for any other error."""
    match = _CONVERSION.search(str(err))
    if not match:
        return None
    names = list(types)
    index, to = int(match.group(1)), match.group(2)
    if index >= len(names) or _WIDER.get(types[names[index]]) is None or types[names[index]] != to:
        return None  # text that is not UTF-8, or a message this module does not know
    return {**types, names[index]: _WIDER[to]}


class _Collected:
    """The record batches, copied into one array per column as they come (no chunks to join at the end)."""

    def __init__(self, types: dict[str, str], estimated_rows: int):
        import numpy as np

        self.types = types
        self.rows = 0
        self.capacity = max(int(estimated_rows), 1024)
        self.arrays: dict[str, Any] = {}
        self.nulls: dict[str, int] = dict.fromkeys(types, 0)
        self.masks: dict[str, np.ndarray] = {}  # missing values of integer columns, once one is seen
        self.texts: dict[str, list[Any]] = {}
        for name, kind in types.items():
            if kind == "large_string":
                self.texts[name] = []
            else:
                self.arrays[name] = np.empty(self.capacity, dtype="float64" if kind == "double" else "int64")

    def _grow(self, rows):
        if rows <= self.capacity:
            return
        self.capacity = max(rows, int(self.capacity * 1.5))
        for array in (*self.arrays.values(), *self.masks.values()):
            array.resize(self.capacity, refcheck=False)  # realloc, one column at a time; new rows are zeros

    def add(self, batch: Any) -> None:
        import numpy as np
        import pyarrow.compute as pc

        n = batch.num_rows
        start, end = self.rows, self.rows + n
        self._grow(end)
        for name, column in zip(self.types, batch.columns):
            kind = self.types[name]
            if kind == "large_string":
                self.texts[name].append(column)
                continue
            nulls = column.null_count
            self.nulls[name] += nulls
            if kind == "double" or not nulls:
                self.arrays[name][start:end] = column.to_numpy(zero_copy_only=False)  # missing -> NaN
                continue
            self.arrays[name][start:end] = pc.fill_null(column, 0).to_numpy()
            if name not in self.masks:
                self.masks[name] = np.zeros(self.capacity, dtype=bool)
            self.masks[name][start:end] = column.is_null().to_numpy(zero_copy_only=False)
        self.rows = end

    def columns(self, *, hexadecimal: bool) -> tuple[dict[str, Any], list[str]]:
        import numpy as np
        import pandas as pd
        import pyarrow as pa

        text_dtype = pd.read_csv(io.StringIO("a\nx\n"))["a"].dtype  # the dtype pandas gives text now
        out: dict[str, Any] = {}
        doubtful = []
        for position, (name, kind) in enumerate(self.types.items()):
            label = name if name != "" else f"Unnamed: {position}"
            if kind == "large_string":
                chunks = pa.chunked_array(self.texts.pop(name), type=pa.large_string())
                if _all_number_like(chunks):
                    doubtful.append(label)
                    out[label] = np.full(self.rows, np.nan)
                else:
                    out[label] = _text_array(chunks, text_dtype)
                continue
            array = self.arrays.pop(name)
            array.resize(self.rows, refcheck=False)
            if kind == "int64":
                mask = self.masks.pop(name, None)
                if mask is not None:
                    mask.resize(self.rows, refcheck=False)
                    array = array.astype("float64")
                    array[mask] = np.nan
                if hexadecimal:
                    doubtful.append(label)
            elif _doubtful_floats(array, self.nulls[name]):
                doubtful.append(label)
            out[label] = array
        return out, doubtful


def _text_array(chunks, dtype):
    """Text as pandas holds it: its ``str`` dtype (pyarrow-backed when pyarrow is installed), or objects."""
    import numpy as np
    import pandas as pd

    if isinstance(dtype, pd.StringDtype):
        return dtype.__from_arrow__(chunks)
    values = chunks.to_numpy(zero_copy_only=False)
    values[pd.isna(values)] = np.nan
    return values


def _all_number_like(chunks: Any) -> bool:
    """Whether every value present is text pandas might read as a number or a boolean (stops at the first not)."""
    import pyarrow.compute as pc

    for chunk in chunks.chunks:
        present = chunk.drop_null()
        if len(present) and not pc.all(pc.match_substring_regex(present, _NUMBER_LIKE.pattern)).as_py():
            return False
    return True


def _doubtful_floats(values: np.ndarray, nulls: int) -> bool:
    """Whether pandas may read a column pyarrow read as floats otherwise (see the module's docstring)."""
    import numpy as np

    if int(np.count_nonzero(np.isnan(values))) > nulls:
        return True  # a NaN written as a value ("NAN", "+nan"): text to pandas
    if nulls:
        present = values[~np.isnan(values)] if nulls < len(values) else values[:0]
        return bool(len(present)) and float(np.max(np.abs(present))) >= 2.0**63 and _whole(present)
    return _whole(values)


def _whole(values: np.ndarray) -> bool:
    """Whether every value is a whole number (or infinite), looked at in slices: most float columns fail at once."""
    import numpy as np

    step = 1 << 16
    for start in range(0, len(values), step):
        part = values[start:start + step]
        with np.errstate(invalid="ignore"):
            if not np.all((np.trunc(part) == part) | np.isinf(part)):
                return False
    return True
