"""Row hashing's fast text equals its reference: ``repr`` for every float, the Python join for every row.

``lifecycle_kit.integrity._float_text`` writes the digits of floats with array arithmetic, and
``_row_text`` lays whole rows out side by side; the canonical form (``repr`` of a float, a JSON array of texts)
is pinned by ``tests/test_attacks_integrity.py``, and signed row manifests depend on it byte for byte.
"""

import math
import struct

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifecycle_kit.integrity import RowManifest, canonical_rows, row_digests
from lifecycle_kit.integrity._float_text import texts_of
from lifecycle_kit.integrity.rows import _canonical_bytes, _leaf_lines


def _reference(values):
    return [b"null" if math.isnan(v) else repr(v).encode() for v in values.tolist()]


def _edges():
    """Values where a shortcut would go wrong: signs of zero, NaN, infinities, subnormals, the ends of repr's
    positional range, powers of two and of ten and their neighbours, sums that do not round-trip."""
    values = [0.0, -0.0, math.nan, -math.nan, math.inf, -math.inf, 5e-324, -5e-324, 2.2250738585072014e-308,
              2.225073858507201e-308, 1e16, 1e16 - 2, 9999999999999998.0, 1e15, 1e-4, 9.999999999999999e-05,
              0.00010000000000000002, 0.1 + 0.2, 0.3, 1 / 3, 2 / 3, 1e22, 1e23, 123456789012345678.0,
              1.7976931348623157e308, 0.5, 0.25, 2007.0, 3750.0, 39.1, 99.99999999999999, 100.0]
    values += [struct.unpack("<d", struct.pack("<Q", bits))[0] for bits in (1, 0x000FFFFFFFFFFFFF, 0x7FEFFFFFFFFFFFFF)]
    for e in range(-1074, 1024, 7):
        for scale in (1.0, math.nextafter(1.0, 2.0), math.nextafter(1.0, 0.0), 1.5):
            values.append(math.ldexp(scale, e))
    for e in range(-6, 18):
        ten = 10.0 ** e
        values += [ten, math.nextafter(ten, math.inf), math.nextafter(ten, 0.0), 5 * ten, 9.5 * ten]
    return np.array(values + [-v for v in values])


@pytest.mark.parametrize("seed", range(3))
def test_float_text_is_what_repr_writes(seed):
    rng = np.random.default_rng(seed)
    n = 40_000
    samples = {
        "edges": _edges(),
        "normal": rng.normal(size=n),
        "rounded": rng.normal(scale=100, size=n).round(rng.integers(0, 7)),
        "float32": rng.normal(size=n).astype(np.float32).astype(float),
        "every decade": np.exp(rng.uniform(math.log(1e-7), math.log(1e18), n)) * rng.choice([-1, 1], n),
        "random bits": rng.integers(0, 2 ** 64, n, dtype=np.uint64).view(np.float64),
        "eighths and integers": np.r_[rng.integers(-10 ** 6, 10 ** 6, n // 2) / 8, rng.integers(-10 ** 15, 10 ** 15, n // 2)
                                      .astype(float)],
        "near ties": (rng.integers(10 ** 15, 10 ** 16, n) + 0.5) * 10.0 ** rng.integers(-20, 0, n),
    }
    for name, values in samples.items():
        got, want = texts_of(values), _reference(values)
        wrong = [(v, g, w) for v, g, w in zip(values.tolist(), got, want) if g != w]
        assert not wrong, (name, wrong[:5])


_text = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(['say "hi"', "a\nb", "\\", "<NA>", ""])
_float = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 0.1 + 0.2, 1e16, 5e-324])


@st.composite
def _frames(draw):
    n = draw(st.integers(0, 12))
    kinds = draw(st.lists(st.sampled_from(["float", "float", "int", "text", "bool", "object", "float32", "Int64",
                                           "string", "datetime"]), min_size=0, max_size=6))
    data = {}
    for j, kind in enumerate(kinds):
        if kind == "float":
            column = pd.Series(draw(st.lists(_float, min_size=n, max_size=n)), dtype=float)
        elif kind == "int":
            column = pd.Series(draw(st.lists(st.integers(-2 ** 63, 2 ** 63 - 1), min_size=n, max_size=n)),
                               dtype=np.int64)
        elif kind == "text":
            column = pd.Series(draw(st.lists(_text | st.none(), min_size=n, max_size=n)), dtype=object)
        elif kind == "bool":
            column = pd.Series(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
        elif kind == "object":
            column = pd.Series(draw(st.lists(st.one_of(_float, st.integers(-5, 5), st.booleans(), _text, st.none()),
                                             min_size=n, max_size=n)), dtype=object)
        elif kind == "float32":
            with np.errstate(over="ignore"):
                column = pd.Series(draw(st.lists(_float, min_size=n, max_size=n)), dtype=float).astype(np.float32)
        elif kind == "Int64":
            column = pd.Series(draw(st.lists(st.integers(-9, 9) | st.none(), min_size=n, max_size=n)), dtype="Int64")
        elif kind == "string":
            column = pd.Series(draw(st.lists(_text | st.none(), min_size=n, max_size=n)), dtype="string")
        else:
            column = pd.Series(pd.date_range("2024-01-01", periods=n, freq="37min"))
        data[f"c{j}"] = column
    return pd.DataFrame(data, index=range(n)) if data else pd.DataFrame(index=range(n))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(_frames())
def test_rows_laid_out_in_blocks_equal_rows_joined_in_python(frame):
    with np.errstate(all="ignore"):
        want = [b"\x00" + line for line in _canonical_bytes(frame)]
        got = [line for block in _leaf_lines(frame) for line in block]
    assert got == want


def test_a_float_table_hashes_as_before_in_blocks_and_through_the_public_functions():
    rng = np.random.default_rng(4)
    n = 70_000  # more than one block of rows
    table = pd.DataFrame({"x": rng.normal(size=n), "y": rng.normal(size=n).round(2), "k": rng.integers(0, 9, n),
                          "t": rng.choice(["a", 'b "c"', None], n)})
    table.loc[rng.integers(0, n, 500), "x"] = np.nan
    lines = _canonical_bytes(table)
    assert canonical_rows(table) == [line.decode() for line in lines]
    import hashlib

    assert row_digests(table) == [hashlib.sha256(b"\x00" + line).hexdigest() for line in lines]
    record = RowManifest.from_frame(table)
    assert record.diff(table).ok and RowManifest.from_json(record.to_json()).root == record.root
