"""The text ``repr`` writes for float64 values (the shortest that reads back as the same float), with NumPy.

Row hashing writes every float as ``repr`` does (:mod:`lifecycle_kit.integrity.rows`). ``repr`` costs about half a
microsecond a value: a table of floats spent two thirds of its hashing time there. Here the same digits come from
array arithmetic, a block of values at a time:

1. ``N = |x| * 10**p`` exactly, as the unevaluated sum ``hi + lo`` of two doubles (Dekker's exact product;
   ``10**p`` is an exact double for ``p <= 22``), with ``p`` chosen so that ``10**16 <= N < 10**17``: the integer
   part of ``N`` holds the first 17 significant digits of ``x``.
2. ``H``: half the gap between ``x`` and the float above it, in the same units (an exact power of two times
   ``10**p``; below a power of two the gap is half as wide). A decimal nearer to ``x`` than half a gap reads back
   as ``x``; one farther reads back as a neighbour.
3. ``repr`` writes the decimal with the fewest significant digits that reads back as ``x`` (the nearer one when
   two have as few). In these units: the multiple of ``10**(17 - k)`` within the half-gaps of ``N`` for the
   smallest ``k``. 17 digits always fit (``H > 0.55``); with 15 or fewer at most one multiple is that near
   (``2H < 100``), so the shortest is the multiple of 100 found for ``k = 15``, its trailing zeros dropped.

Each deciding comparison keeps a margin of ``1e-9`` (the arithmetic is exact to about ``1e-15``). A value whose
distance falls inside the margin (a true tie, a decimal half-way between two floats), and every value outside
``1e-4 <= |x| < 1e16`` (where ``repr`` writes scientific notation) is written by ``repr`` itself; NaN, zeros and
infinities are written directly. ``tests/test_integrity_row_text.py`` compares the result with ``repr`` on many thousands
of floats of every magnitude.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TEXT_BYTES", "float_texts", "texts_of"]

_POW10 = np.array([10.0 ** p for p in range(23)])                   # exact doubles
_SPLITTER = 134217729.0                                              # 2**27 + 1: Veltkamp's split into halves
_POW10_HIGH = _SPLITTER * _POW10 - (_SPLITTER * _POW10 - _POW10)
_POW10_LOW = _POW10 - _POW10_HIGH
_MARGIN = 1e-9
_HALF_GAP_MAX = 11.2                                                 # a half-gap, in units of the 17th digit, is below 1e17 * 2**-53
_DIGITS4 = np.array([int.from_bytes(f"{i:04d}".encode(), "little") for i in range(10_000)], dtype=np.uint64)
_MANTISSA = np.uint64((1 << 52) - 1)

#: Bytes of text per value: the longest ``repr`` ("-2.2250738585072014e-308") has 24 characters.
TEXT_BYTES = 24
_WORDS = TEXT_BYTES // 8


def _bytes_below(count):
    """The three little-endian words whose first ``count`` bytes are all ones."""
    ones = (1 << (8 * count)) - 1
    return [(ones >> (64 * i)) & 0xFFFFFFFFFFFFFFFF for i in range(_WORDS)]


def _words_of(text):
    return [int.from_bytes(text.ljust(TEXT_BYTES, b"\0")[8 * i:8 * i + 8], "little") for i in range(_WORDS)]


# For 0 <= a <= 17: words keeping the first a bytes. For point = -3 .. 16 (digits before the decimal point):
# what goes in front of or between the digits, "0.000" or ".", and where.
# One table per word: NumPy gathers from a 1-D table several times faster than rows of a 2-D one.
_KEEP = np.array([_bytes_below(a) for a in range(18)], dtype=np.uint64).T.copy()
_FILLER = np.array([_words_of(b"0." + b"0" * (-point)) if point <= 0 else
                    _words_of(b"\0" * point + b".") for point in range(-3, 18)], dtype=np.uint64).T.copy()


def _exact_product(a, a_high, a_low, p):
    """``a * 10**p`` exactly as ``(hi, lo, 10**p)`` (Dekker's two-product of ``a = a_high + a_low``, split into
    26-bit halves, and ``10**p``; no overflow or underflow in this range)."""
    power = _POW10[p]
    hi = a * power
    high, low = _POW10_HIGH[p], _POW10_LOW[p]
    lo = ((a_high * high - hi) + a_high * low + a_low * high) + a_low * low
    return hi, lo, power


def _scaled(a):
    """``(e10, hi, lo, power)``: the decimal exponent of each ``a`` and ``a * power = hi + lo`` in [1e16, 1e17),
    ``power = 10**(16 - e10)``."""
    e10 = np.floor(np.log10(a)).astype(np.int64)
    t = _SPLITTER * a
    a_high = t - (t - a)
    a_low = a - a_high
    for _ in range(3):  # log10 can be one off next to a power of ten; the exact product says which way
        hi, lo, power = _exact_product(a, a_high, a_low, 16 - e10)
        if not ((hi <= 1e16) | (hi >= 1e17)).any():
            break
        low = (hi < 1e16) | ((hi == 1e16) & (lo < 0))
        high = (hi > 1e17) | ((hi == 1e17) & (lo >= 0))
        if not (low.any() or high.any()):
            break
        e10 = e10 - low + high
    return e10, hi, lo, power


def _nearest(integer, fraction, below, above, unit):
    """The multiple of ``unit`` within the half-gaps of ``integer + fraction`` (the nearer when both are), whether
    one is, and whether that is sure: False where a distance is within the margin of a half-gap, or (two
    multiples fitting) the two distances are within the margin of each other.

    ``below`` and ``above`` are pairs (half-gap - margin, half-gap + margin). Integer remainders are taken by
    subtraction and choices made by arithmetic: NumPy's ``%`` and ``where`` cost several multiplications.
    """
    base = (integer // unit) * unit
    down = (integer - base) + fraction                                # to the multiple below
    up = unit - down                                                  # to the multiple above
    fits_down, fits_up = down < below[0], up < above[0]
    unsure = (fits_down != (down < below[1])) | (fits_up != (up < above[1]))
    if 2 * _HALF_GAP_MAX > unit:                                      # two multiples can fit: the nearer is taken
        both = fits_down & fits_up
        unsure |= both & (np.abs(down - up) <= _MARGIN)
        take_up = fits_up & (~fits_down | (up < down))
    else:
        take_up = fits_up
    return base + unit * take_up, fits_down | fits_up, ~unsure


def _shortest(a):
    """For each ``a`` (1e-4 <= a < 1e16): ``(digits, k, e10, sure)``: the 17-digit integer whose first ``k``
    digits (zeros follow) are those ``repr`` writes, and ``e10`` the decimal exponent of the first."""
    e10, hi, lo, power = _scaled(a)
    whole = np.floor(lo)
    fraction = lo - whole                                             # exact: N = integer + fraction
    integer = hi.astype(np.int64) + whole.astype(np.int64)            # hi >= 2**53 is an integer
    above = np.spacing(a) * (0.5 * power)                             # exact: a power of two times 10**p
    below = above * (1.0 - 0.5 * ((a.view(np.uint64) & _MANTISSA) == 0))  # half as wide below a power of two
    below, above = (below - _MARGIN, below + _MARGIN), (above - _MARGIN, above + _MARGIN)
    # 17 digits: the nearest integer (both neighbours are within the half-gaps).
    digits = integer + (fraction > 0.5)
    sure = np.abs(fraction - 0.5) > _MARGIN
    k = np.full(len(a), 17, dtype=np.int64)
    # 16 digits, then 15 or fewer, each only where the longer fits (a shorter fit implies the longer). With 15
    # or fewer the multiple of 100 is the only candidate: its trailing zeros say how many digits are written.
    sixteen, fits, sure16 = _nearest(integer, fraction, below, above, 10)
    sure &= sure16
    fits = np.flatnonzero(fits)
    if len(fits):
        digits[fits] = sixteen[fits]
        k[fits] = 16
        hundred, shorter, sure15 = _nearest(integer[fits], fraction[fits], (below[0][fits], below[1][fits]),
                                            (above[0][fits], above[1][fits]), 100)
        sure[fits] &= sure15
        if shorter.any():
            shorter_rows = fits[shorter]
            rest = hundred[shorter]
            digits[shorter_rows] = rest
            k[shorter_rows] = 17 - _trailing_zeros(rest)
    carried = digits >= 10 ** 17                                      # 10**17 is 10**16 one decade up
    if carried.any():
        digits[carried] = 10 ** 16
        k[carried] = 1
        e10 = e10 + carried
    return digits, k, e10, sure


_TRAILING_ZEROS4 = np.array([4] + [len(f"{i:04d}") - len(f"{i:04d}".rstrip("0")) for i in range(1, 10_000)],
                            dtype=np.int8)


def _trailing_zeros(digits):
    """How many zeros end each 17-digit integer (at most 16: the first digit is not zero)."""
    high = digits // 10 ** 8
    g3 = digits - high * 10 ** 8
    g2 = g3 // 10_000
    g3 -= g2 * 10_000
    g1 = high // 10_000
    g0 = (g1 // 10_000) * 10_000
    g0 = g1 - g0
    g1 = high - g1 * 10_000
    zeros = _TRAILING_ZEROS4[g0].astype(np.int64)
    for g in (g1, g2, g3):
        zeros = _TRAILING_ZEROS4[g] + (g == 0) * zeros
    return zeros


def _spelled(digits):
    """The 17 decimal digits of each integer as text in three little-endian words (the last holds one digit)."""
    high = digits // 10 ** 8
    lower = digits - high * 10 ** 8
    first = high // 10 ** 8
    upper = high - first * 10 ** 8
    g0 = upper // 10_000
    g2 = lower // 10_000
    w0, w1 = _DIGITS4[g0], _DIGITS4[upper - g0 * 10_000]
    w2, w3 = _DIGITS4[g2], _DIGITS4[lower - g2 * 10_000]
    first = first.astype(np.uint64) + np.uint64(ord("0"))
    return (first | (w0 << np.uint64(8)) | (w1 << np.uint64(40)),
            (w1 >> np.uint64(24)) | (w2 << np.uint64(8)) | (w3 << np.uint64(40)),
            w3 >> np.uint64(24))


_CHUNK = 1 << 14  # values per pass: the intermediate arrays stay in the processor's cache


def float_texts(values, out=None):
    """``repr`` of each float64 value without its sign, in three little-endian words per value (``null`` for NaN).

    Returns ``(length, minus, quoted, by_repr)``: the text of value ``i`` is ``length[i]`` bytes of the words
    ``out[:, i]`` (a (3, n) array of ``uint64``, made when not given), preceded by a minus sign where ``minus[i]``; ``quoted[i]`` is False for NaN (``null`` is not a string). ``by_repr`` lists
    the positions written by ``repr`` itself (rare; see the module), whose text holds their sign.
    """
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    if out is None:
        out = np.zeros((_WORDS, n), dtype=np.uint64)
    if n > _CHUNK:
        parts = [float_texts(values[i:i + _CHUNK], out[:, i:i + _CHUNK]) for i in range(0, n, _CHUNK)]
        length, minus, quoted, by_repr = (np.concatenate(p) for p in zip(*parts))
        return length, minus, quoted, by_repr + np.repeat(np.arange(0, n, _CHUNK), [len(p[3]) for p in parts])
    minus = values < 0
    a = np.abs(values)
    with np.errstate(all="ignore"):
        fast = (a >= 1e-4) & (a < 1e16)
    by_repr = np.flatnonzero(~fast)
    if len(by_repr):
        a[by_repr] = 1.0                                              # computed as 1.0, then written by repr
    with np.errstate(all="ignore"):
        digits, k, e10, sure = _shortest(a)
    point = np.minimum(e10 + 1, 17)                                   # digits before the decimal point
    d0, d1, d2 = _spelled(digits)
    # The digits after the point move right: by one past the "." (point > 0), or past "0." and the zeros. The
    # 17th digit (word 2) is never before the point (point <= 16 here; 17 only for 1e+16, written by repr).
    extra = (point <= 0) * (1 - point)                                # the "0" and zeros of a value below one
    shift = ((1 + extra) * 8).astype(np.uint64)
    back = np.uint64(64) - shift
    kept = np.maximum(point, 0)
    k0, k1 = _KEEP[0][kept], _KEEP[1][kept]
    h0, h1 = d0 & ~k0, d1 & ~k1
    at = point + 3
    out[0] = (d0 & k0) | _FILLER[0][at] | (h0 << shift)
    out[1] = (d1 & k1) | _FILLER[1][at] | ((h1 << shift) | (h0 >> back))
    out[2] = _FILLER[2][at] | ((d2 << shift) | (h1 >> back))
    length = np.maximum(k, point + 1) + 1 + extra
    unsure = ~sure | (e10 > 15)                                       # e10 > 15: 1e+16, scientific notation
    if unsure.any():
        by_repr = np.union1d(by_repr, np.flatnonzero(unsure))
    quoted = np.ones(n, dtype=bool)
    if len(by_repr):
        minus[by_repr] = False
        special = values[by_repr]
        nan = np.isnan(special)
        quoted[by_repr[nan]] = False
        done = nan | np.isinf(special) | (special == 0)
        for chosen, spelled in ((nan, b"null"), (special == np.inf, b"inf"), (special == -np.inf, b"-inf"),
                                ((special == 0) & ~np.signbit(special), b"0.0"),
                                ((special == 0) & np.signbit(special), b"-0.0")):
            if chosen.any():
                where = by_repr[chosen]
                out[:, where] = np.array(_words_of(spelled), dtype=np.uint64)[:, None]
                length[where] = len(spelled)
        by_repr = by_repr[~done]
        for i in by_repr.tolist():
            spelled = repr(float(values[i])).encode("ascii")
            out[:, i] = _words_of(spelled)
            length[i] = len(spelled)
    return length, minus, quoted, by_repr


def texts_of(values):
    """Each float's text as ``bytes`` (what ``repr(value).encode()`` gives; ``b"null"`` for NaN): for tests."""
    words = np.zeros((_WORDS, len(values)), dtype=np.uint64)
    length, minus, _, _ = float_texts(values, out=words)
    text = np.ascontiguousarray(words.T).view(np.uint8)
    return [b"-" * int(m) + text[i, :size].tobytes() for i, (size, m) in enumerate(zip(length.tolist(), minus.tolist()))]
