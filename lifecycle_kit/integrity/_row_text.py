"""Canonical rows written a block of rows at a time: the text row hashing reads (see ``rows.py``).

Used for tables with float64 columns: making each float's text with ``repr`` cost half a microsecond a value,
two thirds of the time to hash a table of floats. Here a block's rows lie side by side in one array of 8-byte
words, each cell in a fixed slot with a mask of the bytes it uses (a float in three words, other columns in as
many words as their longest text), with one word between cells for the separators, the quotes and the sign of a
float. One NumPy selection closes the gaps between the bytes in use, and one ``bytes.split`` on the newline that
ends every row makes the lines (a canonical row holds no newline: text is written as JSON strings, with ``\\n``
escaped)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from lifecycle_kit.integrity._float_text import float_texts

__all__ = ["block_lines", "column_table", "is_float64"]

_BLOCK_BYTES = 1 << 22          # a block of rows: about 4 MB of words
_MAX_TABLE_BYTES = 64 << 20     # the distinct texts of one column side by side, at most (else the slow path)
_FLOAT_WORDS = 3                # 24 bytes: the longest repr ("-2.2250738585072014e-308")
_ONES = 0x0101010101010101


def _keep_first(count):
    """The mask word keeping the first ``count`` bytes (0 to 8) of a word."""
    return _ONES & ((1 << (8 * count)) - 1)


# _PREFIX[i][length]: mask word i of a cell whose text is ``length`` bytes long.
_PREFIX = np.array([[_keep_first(min(max(length - 8 * i, 0), 8)) for length in range(8 * _FLOAT_WORDS + 1)]
                    for i in range(_FLOAT_WORDS)], dtype=np.uint64)


def _word(text):
    return int.from_bytes(text.ljust(8, b"\0"), "little")


def is_float64(series):
    return isinstance(series.dtype, np.dtype) and series.dtype == np.float64


def column_table(series):
    """``(codes, texts)``: the canonical encoding of each distinct value of a column (not of float64: see
    :func:`lifecycle_kit.integrity._float_text.float_texts`), as UTF-8 bytes, and each row's code; code -1 (missing) is the final ``b"null"``.

    Each distinct value is encoded once: a column has far fewer distinct values than rows.
    """
    numpy_dtype = series.dtype if isinstance(series.dtype, np.dtype) else None  # None: a pandas extension type
    values = series.to_numpy()
    if numpy_dtype is not None and numpy_dtype.kind == "f":
        # Floats are written one by one, never merged as equal: 0.0 and -0.0 are different texts.
        texts = np.char.add(np.char.add(b'"', values.astype("S")), b'"').tolist()
        codes = np.arange(len(values))
        codes[np.isnan(values)] = -1
        return codes, texts + [b"null"]
    if numpy_dtype == np.dtype(object):
        # Python objects: 1, 1.0 and True are equal as keys but are different texts, so compare texts.
        missing = series.isna().to_numpy()
        series = pd.Series([str(value) for value in values.tolist()], dtype=object)
        codes, uniques = pd.factorize(series)
        codes[missing] = -1
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    if uniques.dtype.kind in "iub":
        # Integers and booleans: numpy writes their text; nothing to escape.
        texts = np.char.add(np.char.add(b'"', np.asarray(uniques).astype("S")), b'"').tolist()
    else:
        texts = [json.dumps(str(value), ensure_ascii=False).encode("utf-8") for value in uniques]
    return codes, texts + [b"null"]


class _Table:
    """A column written from the text of each distinct value: ``words[i][code]`` and ``masks[i][code]``."""

    def __init__(self, codes, texts):
        self.codes = codes
        longest = max(map(len, texts))
        self.width = max(1, -(-longest // 8))
        padded = np.array(texts, dtype=f"S{8 * self.width}").view("<u8").reshape(len(texts), self.width)
        self.words = [np.ascontiguousarray(padded[:, i]) for i in range(self.width)]
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        self.masks = [np.array([_keep_first(c) for c in range(9)], dtype=np.uint64)[np.clip(lengths - 8 * i, 0, 8)]
                      for i in range(self.width)]

    @property
    def nbytes(self):
        return 16 * self.width * len(self.words[0])

    def write(self, start, stop, text, mask):
        """Write rows ``start:stop`` into ``text`` and ``mask``: (words, rows) arrays, a word's rows contiguous."""
        codes = self.codes[start:stop]                               # -1 (missing) picks the final "null"
        for i in range(self.width):
            np.take(self.words[i], codes, out=text[i])
            np.take(self.masks[i], codes, out=mask[i])


class _Floats:
    """A float64 column: its text made by :func:`float_texts` (with the block's other float columns, in one call),
    its quotes and sign in the words around it."""

    width = _FLOAT_WORDS

    def __init__(self, values):
        self.values = values


def block_lines(frame, prefix):
    """Every row of ``frame`` as ``prefix + canonical row``, a list of lines per block of rows (an iterator); or
    None, and the caller joins each row's cells in Python, when no column holds float64 (then this is no faster)
    or a column's distinct texts are too large to lay side by side. ``prefix``: one byte, or empty."""
    n_rows, n_columns = frame.shape
    if not any(is_float64(frame.iloc[:, j]) for j in range(n_columns)):
        return None  # integers and text: joining each row's cells in Python is as fast, and simpler
    columns = []
    for j in range(n_columns):
        series = frame.iloc[:, j]
        if is_float64(series):
            columns.append(_Floats(series.to_numpy()))
            continue
        column = _Table(*column_table(series))
        if column.nbytes > _MAX_TABLE_BYTES:
            return None
        columns.append(column)
    # Word layout of a row: joint 0, cells of column 0, joint 1, ..., cells of the last column, final joint.
    # A joint holds [closing quote of the float before][separator][...]["-" and opening quote of the float after].
    starts, position = [], 0
    for column in columns:
        starts.append(position + 1)
        position += 1 + column.width
    width = position + 1
    joints = [s - 1 for s in starts] + [width - 1]
    joint_text = np.zeros(len(joints), dtype=np.uint64)
    joint_mask = np.zeros(len(joints), dtype=np.uint64)
    for j, at in enumerate(joints):
        separator = (prefix + b"[") if j == 0 else (b"]\n" if j == len(columns) else b",")
        body = b'"' + separator.ljust(5, b"\0") + b'"-'                # bytes 0, 1-5, 6 and 7
        joint_text[j] = _word(body)
        joint_mask[j] = _keep_first(1 + len(separator)) & ~np.uint64(0xFF)
    return _blocks(columns, starts, joints, joint_text, joint_mask, width, n_rows)


def _blocks(columns, starts, joints, joint_text, joint_mask, width, n_rows):
    rows_per_block = max(1, _BLOCK_BYTES // (8 * width))
    # Built word by word (each word of every row of the block contiguous: NumPy writes those fastest), then
    # turned row by row for the selection.
    text = np.zeros((width, min(rows_per_block, n_rows)), dtype=np.uint64)
    mask = np.zeros_like(text)
    text[joints] = joint_text[:, None]
    floats = [(column, at) for column, at in zip(columns, starts) if isinstance(column, _Floats)]
    for start in range(0, n_rows, rows_per_block):
        stop = min(start + rows_per_block, n_rows)
        size = stop - start
        t, m = text[:, :size], mask[:, :size]
        m[joints] = joint_mask[:, None]
        for column, at in zip(columns, starts):
            if not isinstance(column, _Floats):
                column.write(start, stop, t[at:at + column.width], m[at:at + column.width])
        if floats:
            # Every float column of the block in one call: NumPy's cost per call is paid once.
            words = np.empty((_FLOAT_WORDS, len(floats) * size), dtype=np.uint64)
            length, minus, quoted, _ = float_texts(
                np.concatenate([column.values[start:stop] for column, _ in floats]), out=words)
            opening = (quoted.astype(np.uint64) << np.uint64(48)) | (minus.astype(np.uint64) << np.uint64(56))
            closing = quoted.astype(np.uint64)
            for f, (column, at) in enumerate(floats):
                part = slice(f * size, (f + 1) * size)
                t[at:at + _FLOAT_WORDS] = words[:, part]
                for i in range(_FLOAT_WORDS):
                    np.take(_PREFIX[i], length[part], out=m[at + i])
                # The opening quote and sign (bytes 6 and 7 of the joint before; not for null), and the closing
                # quote (byte 0 of the joint after).
                m[at - 1] |= opening[part]
                m[at + _FLOAT_WORDS] |= closing[part]
        rows_text = np.ascontiguousarray(t.T)
        rows_mask = np.ascontiguousarray(m.T)
        kept = rows_text.view(np.uint8)[rows_mask.view(np.bool_)]
        lines = kept.tobytes().split(b"\n")
        lines.pop()
        yield lines
