"""How a learner's text table is written: its encoding, delimiter, decimal mark and digit grouping.

:func:`choose_reading_options` looks at a sample from the start of each file and returns
:class:`ReadingOptions` per file: explicit options a parser follows (pandas, in
:func:`lifecycle_kit.tables.read_table`), with what was detected and how sure the detection is. Every
decision about how to read a text table is made here, once, so that any parser given the same options
reads the same frame. Options the user forces (``--encoding``, ``--delimiter``, ``--decimal``,
``--thousands``) are taken as given; the others are detected:

- **encoding**: a byte-order mark; else valid UTF-8; else UTF-16 without a mark; else the legacy code
  page in which the file's non-ASCII words read as plausible words of one script
  (:func:`guess_encoding`). The files of one comparison are guessed together, so two halves of the same
  data cannot come out in two code pages.
- **delimiter**: comma, semicolon, tab or pipe: the one that splits the header and the rows into the same
  number of fields.
- **decimal mark**: a comma when the delimiter is not a comma and some column holds only numbers, written
  with a decimal comma (``13,0``) and no other comma, and no column needs a decimal point.
- **digit grouping**: a space, a no-break space or a narrow no-break space between groups of three digits
  (``1 234,5``; spreadsheets in Russian and French write them), or a point (``1.234,5``) or a comma
  (``"1,234.5"``), when a column can be read as numbers only with it.

Examples
--------
>>> sample = Sample("age;bmi\\n59;32,1\\n48;21,6\\n".encode("cp1251"), True, "t.csv")
>>> options, = choose_reading_options([sample])
>>> options.encoding, options.delimiter, options.decimal, options.thousands
('utf-8', ';', ',', None)
>>> print(options.notes[0])
decimal comma detected: bmi holds numbers written as 32,1
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ReadingOptions", "Sample", "choose_reading_options", "guess_encoding", "numbers_in_text"]

DELIMITERS = (",", ";", "\t", "|")
DECIMALS = (".", ",")
#: Spaces spreadsheets put between groups of three digits: space, no-break space (Russian), narrow no-break space
#: (French).
SPACES = (" ", "\u00a0", "\u202f")
GROUPINGS = SPACES + (".", ",", "'")
#: Legacy encodings a guess chooses among, in order of preference where two read the sample equally well.
LEGACY_ENCODINGS = ("cp1252", "cp1251", "koi8_r", "cp866", "cp1250", "cp1253", "cp1254", "cp1257", "iso8859_15",
                    "mac_cyrillic", "koi8_u", "iso8859_5", "iso8859_2", "cp1255", "cp1256", "cp874", "cp932",
                    "euc_jp", "gb18030", "big5", "euc_kr", "mac_roman")
#: Cells pandas reads as missing by default (pandas.read_csv's na_values), besides the empty cell.
NA_TOKENS = frozenset({"#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
                       "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"})
_INFINITIES = frozenset({"inf", "-inf", "+inf", "Inf", "-Inf", "+Inf", "Infinity", "-Infinity", "+Infinity"})
# Lines of the samples with non-ASCII bytes scored by a guess, at most (the words repeat; the time is the decoding).
_GUESS_BYTES = 128 * 1024
# Readings whose scores differ by less than this are equally good: the order of LEGACY_ENCODINGS decides.
_TIE = 0.02


class Sample(NamedTuple):
    """The first bytes of a file (``whole``: all of it), and the file's name for messages."""

    data: bytes
    whole: bool
    where: str


@dataclass(frozen=True)
class ReadingOptions:
    """How to read one text table, as decided by :func:`choose_reading_options`.

    Attributes
    ----------
    encoding : str
        A Python codec name (``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"``, ``"cp1251"``).
    delimiter : str
    decimal : {".", ","}
    thousands : str or None
        The character between groups of three digits, if the numbers are grouped.
    confidence : float or None
        Of the encoding: 1.0 for a byte-order mark or valid UTF-8, the share of the non-ASCII words that
        read as plausible words for a guessed one, None when forced.
    alternatives : tuple of str
        Other encodings that read the sample about as well, to try with ``--encoding``.
    forced : frozenset of str
        The options the user gave (``"encoding"``, ``"delimiter"``, ``"decimal"``, ``"thousands"``).
    notes : tuple of str
        What was detected or noticed, in words (:func:`~lifecycle_kit.i18n.N_` messages: ``_(note)`` says one
        in the reader's language).
    empty_last_column : bool
        Every line, the header included, ends with the delimiter: the empty column after it is no column.
    """

    encoding: str
    delimiter: str
    decimal: str = "."
    thousands: str | None = None
    confidence: float | None = None
    alternatives: tuple[str, ...] = ()
    forced: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()
    empty_last_column: bool = False

    @property
    def encoding_name(self) -> str:
        """The encoding as people write it: ``"koi8-r"``, ``"utf-8-sig"``."""
        return self.encoding.replace("_", "-")

    def describe_encoding(self) -> str:
        """``'cp1251 (confidence 0.94)'``: the encoding and how sure its detection is, for people."""
        if self.confidence is None:
            return _("{encoding} (given)", encoding=self.encoding_name)
        if self.alternatives:
            return _("{encoding} (confidence {confidence:.2f}; also plausible: {alternatives})",
                     encoding=self.encoding_name, confidence=self.confidence,
                     alternatives=", ".join(self.alternatives))
        return _("{encoding} (confidence {confidence:.2f})", encoding=self.encoding_name, confidence=self.confidence)

    def pandas_options(self) -> dict[str, object]:
        """Keyword arguments of ``pandas.read_csv`` that follow these options.

        pandas' C parser takes a one-byte grouping character only: numbers grouped with a (narrow) no-break
        space are read as text and converted afterwards by :func:`lifecycle_kit.tables.read_table`.
        """
        options: dict[str, object] = {"sep": self.delimiter, "encoding": self.encoding, "decimal": self.decimal}
        if self.thousands is not None and self.thousands.isascii():
            options["thousands"] = self.thousands
        return options

    def to_dict(self) -> dict[str, object]:
        """The options as JSON: notes in English (they are read by programs)."""
        return {"encoding": self.encoding_name, "confidence": self.confidence, "alternatives": list(self.alternatives),
                "delimiter": self.delimiter, "decimal": self.decimal, "thousands": self.thousands,
                "forced": sorted(self.forced), "notes": [str(n) for n in self.notes]}


# --- checking what the user forces -------------------------------------------------------------------


def check_delimiter(delimiter: str) -> str:
    """One character that is not a letter, digit, quote or line break (``\\t``, ``tab`` for a tab)."""
    named = {"\\t": "\t", "tab": "\t", "TAB": "\t"}
    delimiter = named.get(delimiter, delimiter)
    if len(delimiter) != 1 or delimiter in "\r\n\"" or delimiter.isalnum():
        raise LifecycleKitError(_("--delimiter must be one character that is not a letter, digit, quote or newline "
                                  "(e.g. ';' or '\\t'); got {value!r}", value=delimiter))
    return delimiter


def check_encoding(encoding: str) -> str:
    """The codec's Python name (``"koi8-r"`` -> ``"koi8_r"``); an unknown one raises."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise LifecycleKitError(_("--encoding {value!r} is not an encoding Python knows "
                                  "(e.g. utf-8, cp1252, cp1251, koi8-r, shift_jis)", value=encoding)) from None


def check_decimal(decimal: str) -> str:
    if decimal not in DECIMALS:
        raise LifecycleKitError(_("--decimal must be '.' or ','; got {value!r}", value=decimal))
    return decimal


def check_thousands(thousands: str) -> str | None:
    """The grouping character; ``none`` for none, ``space``/``nbsp``/``nnbsp`` for the spaces."""
    named = {"none": None, "space": " ", "nbsp": "\u00a0", "nnbsp": "\u202f"}
    if thousands.lower() in named:
        return named[thousands.lower()]
    if thousands not in GROUPINGS:
        raise LifecycleKitError(_("--thousands must be one of: space, nbsp, nnbsp, '.', ',', \"'\" or none; got "
                                  "{value!r}", value=thousands))
    return thousands


# --- encoding ------------------------------------------------------------------------------------------


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


def decodes(sample: Sample, encoding: str) -> bool:
    """Whether the sample is valid text in ``encoding`` (a character cut at the sample's end is not held against it)."""
    try:
        codecs.getincrementaldecoder(encoding)(errors="strict").decode(sample.data, final=sample.whole)
        return True
    except UnicodeDecodeError:
        return False


def certain_encoding(sample: Sample) -> str | None:
    """The encoding when the bytes say it (a byte-order mark, UTF-16's NULs, valid UTF-8), else None."""
    data = sample.data
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found:
            return found
        raise LifecycleKitError(_("{file}: looks like a binary file, not a text table (NUL bytes found)",
                                  file=sample.where))
    if decodes(sample, "utf-8"):
        return "utf-8"
    return None


def _script(ch):
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    return "CJK" if first in ("CJK", "HIRAGANA", "KATAKANA") else first


def plausible_word(word: str) -> bool:
    """Whether a word with non-ASCII letters reads as a word: letters of one script, in one case pattern.

    A Cyrillic word read in a Latin code page has nothing but accented letters; read in the wrong
    Cyrillic code page, it switches case inside the word or turns into box-drawing signs.

    >>> [plausible_word(w) for w in ("США", "Иван12", "München", "Łódź", "ÑØÀ", "âîçðàñò", "нПДЕМШ", "3а504")]
    [True, True, True, True, False, False, False, False]
    """
    letters = [ch for ch in word if ch.isalpha()]
    if not letters:
        return True
    if any(not ch.isalnum() for ch in word) or re.search(r"\d[^\W\d_]+\d", word):
        return False  # a letter between digits: "3а504" is a grouped number read in the wrong code page
    scripts = {_script(ch) for ch in letters}
    if len(scripts) != 1:
        return False
    script = scripts.pop()
    if script in ("CJK", "HANGUL", "ARABIC", "HEBREW", "THAI"):  # no letter case
        return True
    if not (word.islower() or word.isupper() or word.istitle()):
        return False
    return not (script == "LATIN" and len(letters) >= 2 and all(ord(ch) > 127 for ch in letters))


def _non_ascii_lines(samples):
    """The lines of the samples that hold a non-ASCII byte, whole lines only, up to _GUESS_BYTES in all."""
    picked, size = [], 0
    for sample in samples:
        lines = sample.data.split(b"\n")
        if not sample.whole and len(lines) > 1:
            lines = lines[:-1]  # the last line may be cut inside a character
        for line in lines:
            if max(line, default=0) >= 0x80:
                picked.append(line)
                size += len(line) + 1
                if size >= _GUESS_BYTES:
                    return b"\n".join(picked)
    return b"\n".join(picked)


#: Non-ASCII characters that are no letters but belong in text: spaces that group digits, quotes, dashes, signs.
_TEXT_SIGNS = frozenset("\u00a0\u202f«»„“”‘’‚–—…№°±×€£¥₽§©®™·")


class _Reading(NamedTuple):
    encoding: str
    score: float
    plausible: float
    text: str


def _score(data, encoding):
    """A reading of ``data`` in ``encoding``, scored (None if it does not decode or has no non-ASCII word).

    ``plausible`` is the share of the non-ASCII characters that sit in plausible words (or are signs that
    belong in text); the score adds charset-normalizer's coherence (how much the distinct words look like
    a language) and subtracts its chaos (how much they look like mojibake).
    """
    from charset_normalizer.cd import coherence_ratio
    from charset_normalizer.md import mess_ratio

    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    total = len(text) - len(text.encode("ascii", "ignore"))
    if not total:
        return None
    good = sum(text.count(sign) for sign in _TEXT_SIGNS)
    # A dash glued to the letters after it ("–осси" for "Россия" read in mac-cyrillic) is a misread letter.
    good -= len(re.findall(r"[–—](?=[^\W\d_])", text))
    words = Counter(w for w in re.findall(r"[^\W_]+", text) if not w.isascii())
    shapes = {}
    for word, count in words.items():
        # Digits collapsed: "3 504" and "3 693" are one shape, judged once.
        shape = re.sub(r"\d+", "0", word)
        if shape not in shapes:
            shapes[shape] = plausible_word(shape)
        if shapes[shape]:
            good += count * (len(word) - len(word.encode("ascii", "ignore")))
    joined = " ".join(list(shapes)[:3000])
    chaos = mess_ratio(joined, maximum_threshold=1.0) if joined else 1.0
    coherence = max((ratio for _lang, ratio in coherence_ratio(joined)), default=0.0) if joined else 0.0
    plausible = min(good / total, 1.0)
    return _Reading(encoding, plausible + coherence - chaos, plausible, joined)


def _rank(readings):
    best = max(r.score for r in readings)
    tied = [r for r in readings if r.score >= best - _TIE]
    chosen = min(tied, key=lambda r: LEGACY_ENCODINGS.index(r.encoding))
    return chosen, sorted(readings, key=lambda r: -r.score)


def _readings(samples):
    return [r for r in (_score(_non_ascii_lines(samples), e) for e in LEGACY_ENCODINGS) if r is not None]


def guess_encoding(samples: Sequence[Sample]) -> tuple[str, float, tuple[str, ...]]:
    """(encoding, confidence, alternatives) of samples that are neither UTF-8 nor marked, guessed together.

    Each candidate of :data:`LEGACY_ENCODINGS` decodes the lines holding non-ASCII bytes (in a mostly ASCII
    file the ASCII rest would make every reading look clean). Its score is the share of the non-ASCII
    characters that sit in plausible words of one script (:func:`plausible_word`), plus charset-normalizer's
    coherence of the distinct words (how much they look like a language), minus its chaos (how much they
    look like mojibake). The best reading wins; readings within 0.02 of it are broken by the order of
    :data:`LEGACY_ENCODINGS`. The confidence is the chosen reading's share of plausible text; the
    alternatives, readings giving other text that score within 0.1 of it.

    >>> text = "страна;модель\\nСША;ford\\nЯпония;toyota\\n"
    >>> [guess_encoding([Sample(text.encode(e), True, "t.csv")])[:2] for e in ("cp1251", "koi8_r", "cp866")]
    [('cp1251', 1.0), ('koi8_r', 1.0), ('cp866', 1.0)]
    """
    readings = _readings(samples)
    if not readings:
        raise LifecycleKitError(_("{files}: cannot tell the text encoding; give it with --encoding (e.g. cp1251)",
                                  files=", ".join(s.where for s in samples)))
    chosen, ranked = _rank(readings)
    alternatives = tuple(dict.fromkeys(r.encoding.replace("_", "-") for r in ranked
                                       if r.encoding != chosen.encoding and r.text != chosen.text
                                       and r.score >= chosen.score - 0.1))[:3]
    return chosen.encoding, round(chosen.plausible, 2), alternatives


def _guess_together(samples):
    """guess_encoding over all samples; a file that its own guess reads clearly better keeps its own."""
    shared = guess_encoding(samples)
    if len(samples) == 1:
        return [shared]
    out = []
    for sample in samples:
        own = guess_encoding([sample])
        if own[0] != shared[0]:
            scores = {r.encoding: r.score for r in _readings([sample])}
            if scores.get(own[0], 0.0) - scores.get(shared[0], -1.0) > 0.1:
                out.append(own)
                continue
        out.append(shared)
    return out


# --- structure -----------------------------------------------------------------------------------------


def _lines(text, whole):
    lines = [line for line in text.splitlines() if line.strip()]
    if not whole and len(lines) > 1:
        lines = lines[:-1]  # cut at the end of the sample
    return lines


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits the header and (nearly) every row into the same number of fields.

    Of those that do, the one giving the most fields; if none does, csv.Sniffer's choice, else the
    commonest in the header, else a comma.

    >>> sniff_delimiter(["age;bmi;s5", "59,0;32,1;4,8598", "48,0;21,6;3,8918"])
    ';'
    """
    lines = list(lines[:50])
    if not lines:
        return ","
    consistent = {}
    for candidate in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=candidate)]
        except csv.Error:  # one field longer than csv's limit (a wide header split by the wrong character)
            continue
        if counts and counts[0] > 1 and sum(c == counts[0] for c in counts) >= 0.9 * len(counts):
            consistent[candidate] = counts[0]
    if consistent:
        return max(DELIMITERS, key=lambda d: (consistent.get(d, 0), -DELIMITERS.index(d)))
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        in_header = {d: lines[0].count(d) for d in DELIMITERS}
        best = max(DELIMITERS, key=lambda d: in_header[d])
        return best if in_header[best] else ","


# --- numbers -------------------------------------------------------------------------------------------


def number_pattern(decimal: str, thousands: str | None) -> re.Pattern[str]:
    """A number written with ``decimal`` and, if given, ``thousands`` between groups of three digits.

    >>> bool(number_pattern(",", "\\u00a0").fullmatch("1\\u00a0234,5")), bool(number_pattern(",", None).fullmatch("1.5"))
    (True, False)
    """
    d = re.escape(decimal)
    exponent = r"(?:[eE][+-]?\d+)?"
    plain = rf"(?:\d+(?:{d}\d*)?|{d}\d+){exponent}"
    if thousands is None:
        return re.compile(rf"[+-]?{plain}")
    g = re.escape(thousands)
    return re.compile(rf"[+-]?(?:\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d*)?{exponent}|{plain})")


# Plain decimals first: a note suggests the first convention a column fits, and "0,219" is a decimal comma
# before it is 219 grouped after a zero.
_CONVENTIONS = [(d, None) for d in DECIMALS] + [(d, g) for d in DECIMALS for g in GROUPINGS if g != d]


def _needs(values):
    """The (decimal, thousands) conventions under which every value is a number, or [] for a non-number column."""
    joined = "\x00".join(values)
    present = [g for g in GROUPINGS if g in joined]
    fitting = []
    for decimal, thousands in _CONVENTIONS:
        if thousands is not None and thousands not in present:
            continue
        pattern = number_pattern(decimal, thousands)
        if all(pattern.fullmatch(v) for v in values):
            fitting.append((decimal, thousands))
    return fitting


def _columns(lines, delimiter, empty_last):
    try:
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:  # a field longer than csv's limit: no number format to learn from this sample
        return [], []
    if not rows:
        return [], []
    header = rows[0][:-1] if empty_last else rows[0]
    columns = [[] for _ in header]
    for row in rows[1:]:
        for i, value in enumerate(row[: len(header)]):
            value = value.strip(" ")
            if value and value not in NA_TOKENS and value not in _INFINITIES:
                columns[i].append(value)
    return header, columns


def _example(values, decimal, thousands):
    """A value of the column showing the convention (one with the grouping or decimal mark in it)."""
    marks = [m for m in (thousands, decimal) if m]
    return next((v for v in values if all(m in v for m in marks)), next((v for v in values if any(m in v for m in marks)),
                                                                        values[0]))


def _number_convention(header, columns, delimiter, decimal, thousands):
    """(decimal, thousands, notes) of a file: forced values kept, the others detected from its columns.

    A column counts when all its values are numbers under some convention; the conventions under which they
    all are is what it "fits". Most columns fit the default (``1234.5``) and are looked at no further unless
    a decimal comma is in question.
    """
    default = number_pattern(".", None)
    fits = {}
    for name, values in zip(header, columns):
        if values and not all(default.fullmatch(v) for v in values):
            fitting = _needs(values)
            if fitting:
                fits[name] = (values, fitting)
    notes = []
    if decimal is None:
        comma = [n for n, (_v, f) in fits.items() if all(d == "," for d, _g in f)]
        decimal = "."
        if comma and delimiter != ",":
            # Columns that fit the default but not a decimal comma ("3.5") would be lost to it: count them.
            comma_pattern = number_pattern(",", None)
            point = [n for n, values in zip(header, columns) if n not in fits and values
                     and all(default.fullmatch(v) for v in values)
                     and not all(comma_pattern.fullmatch(v) for v in values)]
            point += [n for n, (_v, f) in fits.items() if all(d == "." for d, _g in f)]
            if len(comma) >= len(point):
                decimal = ","
                notes.append(_decimal_note(comma, fits))
                for name in point:
                    if name not in fits:
                        fits[name] = (columns[header.index(name)], [(".", None)])
    if thousands is None:
        grouped = Counter(next(g for d, g in f if d == decimal) for _v, f in fits.values()
                          if any(d == decimal for d, _g in f) and (decimal, None) not in f)
        if grouped:
            candidate = grouped.most_common(1)[0][0]
            if _groups_safely(columns, decimal, candidate):
                thousands = candidate
                names = [n for n, (_v, f) in fits.items() if (decimal, None) not in f and (decimal, thousands) in f]
                notes.append(_grouping_note(names, fits, decimal, thousands))
    return decimal, thousands, notes


def _groups_safely(columns, decimal, thousands):
    """Whether no value anywhere holds ``thousands`` except between groups of three digits.

    A parser told to skip a grouping character skips it in every number: with ``thousands=","`` pandas reads
    "1,5" as 15. A grouping is only chosen when no value would be read so.
    """
    plain, grouped = number_pattern(decimal, None), number_pattern(decimal, thousands)
    return not any(thousands in v and plain.fullmatch(v.replace(thousands, "")) and not grouped.fullmatch(v)
                   for values in columns for v in values)


def _readable(fitting, decimal, thousands):
    """Whether a column fitting these conventions is read as numbers under (decimal, thousands)."""
    if (decimal, None) in fitting or (decimal, thousands) in fitting:
        return True
    # Numbers grouped by any of the spaces are converted after parsing when the file's grouping is a space.
    return thousands in SPACES and any(d == decimal and g in SPACES for d, g in fitting)


_GROUPING_NAMES = {" ": "space", "\u00a0": "nbsp", "\u202f": "nnbsp", None: "none"}


def _grouping_name(thousands):
    """The ``--thousands`` value that gives ``thousands``."""
    return _GROUPING_NAMES.get(thousands, repr(thousands))


def _listed(names):
    return ", ".join(map(str, names[:3])) + (", …" if len(names) > 3 else "")


def _decimal_note(names, needs):
    example = _example(needs[names[0]][0], ",", None)
    return N_("decimal comma detected ({columns}: numbers written as {example})", columns=_listed(names),
              example=example) if len(names) > 1 else N_("decimal comma detected: {column} holds numbers written as "
                                                          "{example}", column=names[0], example=example)


def grouping_name(thousands: str) -> str:
    """The character between groups of digits, in words (an :func:`~lifecycle_kit.i18n.N_` message)."""
    return {" ": N_("a space"), "\u00a0": N_("a no-break space"), "\u202f": N_("a narrow no-break space"),
            ".": N_("a point"), ",": N_("a comma"), "'": N_("an apostrophe")}[thousands]


def _grouping_note(names, needs, decimal, thousands):
    example = _example(needs[names[0]][0], decimal, thousands)
    return N_("digits grouped by {separator} detected ({columns}: {example})", separator=grouping_name(thousands),
              columns=_listed(names), example=example)


# --- after parsing ----------------------------------------------------------------------------------------

_NUMBER_CHARACTERS = re.compile(r"[\d \u00a0\u202f.,'+\-eE]+")


def numbers_in_text(frame: pd.DataFrame, *, decimal: str = ".", thousands: str | None = None,
                    convert: bool = True) -> tuple[pd.DataFrame, list[str]]:
    """(frame, notes): text columns holding only numbers, converted or named; never left silently as text.

    A column whose every value is a number under the file's convention (``decimal`` and ``thousands``;
    any of the spaces when ``thousands`` is one) but that the parser left as text — grouped with a no-break
    space, which pandas' parser cannot take — is converted (``convert``), as pandas would have typed it:
    int64, or float64 with missing values. A column of numbers in another convention is named in a note
    that says which options would read it.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"w": ["3\u00a0504", "1\u00a0613", None], "x": ["1.5", "2,5", "3"]}, dtype=object)
    >>> out, notes = numbers_in_text(frame, decimal=",", thousands="\u00a0")
    >>> out["w"].tolist(), out["x"].tolist()
    ([3504.0, 1613.0, nan], ['1.5', '2,5', '3'])
    """
    import numpy as np
    import pandas as pd

    notes: list[str] = []
    unread: dict[tuple[str, str | None], list[tuple[object, str]]] = {}
    converted: dict[object, pd.Series] = {}
    texts = [j for j, dtype in enumerate(frame.dtypes) if dtype == np.dtype(object) or isinstance(dtype, pd.StringDtype)]
    if not texts:
        return frame, notes
    # The first 1,000 rows of every text column at once: one look tells most text columns from numbers, without a
    # pandas call per column (50,000 columns).
    head = frame.iloc[:1000, texts].to_numpy(dtype=object)
    candidates = []
    for i, j in enumerate(texts):
        seen = False
        for v in head[:, i]:
            if isinstance(v, str):
                if not _NUMBER_CHARACTERS.fullmatch(v.strip()):
                    break
                seen = True
        else:
            if seen:
                candidates.append(frame.columns[j])
    for column in candidates:
        series = frame[column]
        present = series.dropna()
        if not all(isinstance(v, str) for v in present.to_numpy()):
            continue
        values = present.astype(object).map(str.strip)
        distinct = [v for v in dict.fromkeys(values.to_numpy()) if v not in NA_TOKENS]
        fitting = _needs(distinct) if distinct else []
        if not fitting:
            continue
        if _readable(fitting, decimal, thousands):
            if not convert:
                continue  # numbers typed as text on purpose (an Excel text cell): kept as text
            cleaned = values
            grouping = thousands if thousands not in SPACES else None
            spaces = "".join(SPACES) if thousands in SPACES else re.escape(grouping or "")
            if spaces:
                cleaned = cleaned.str.replace(rf"(?<=\d)[{spaces}](?=\d{{3}}(?!\d))", "", regex=True)
            if decimal == ",":
                cleaned = cleaned.str.replace(",", ".", regex=False)
            numbers = pd.to_numeric(cleaned.to_numpy(dtype=object), errors="coerce")
            if len(present) == len(series):
                converted[column] = pd.Series(numbers, index=series.index)
            else:
                full = pd.Series(np.nan, index=series.index, dtype="float64")
                full.loc[present.index] = np.asarray(numbers, dtype="float64")
                converted[column] = full
            continue
        unread.setdefault(fitting[0], []).append((column, _example(distinct, *fitting[0])))
    if converted:
        frame = frame.copy(deep=False)  # the caller's frame is left as it was
        for column, values in converted.items():
            frame[column] = values
    # One note per way of reading them: a wide table can hold thousands of such columns.
    for (other_decimal, other_thousands), columns in unread.items():
        options = f"--decimal {other_decimal!r}" + (f" --thousands {_grouping_name(other_thousands)}"
                                                    if other_thousands is not None else "")
        if len(columns) == 1:
            notes.append(N_("column {column} holds numbers written as {example} but is read as text (give {options} "
                            "to read them as numbers)", column=str(columns[0][0]), example=columns[0][1],
                            options=options))
        else:
            notes.append(N_("{count:,} columns ({columns}) hold numbers written as {example} but are read as text "
                            "(give {options} to read them as numbers)", count=len(columns),
                            columns=_listed([str(c) for c, _e in columns]), example=columns[0][1], options=options))
    return frame, notes


# --- the decision ----------------------------------------------------------------------------------------


def choose_reading_options(samples: Sequence[Sample], *, encoding: str | None = None, delimiter: str | None = None,
                           decimal: str | None = None, thousands: str | None = None) -> list[ReadingOptions]:
    """How to read each of the text tables whose first bytes are ``samples``: one decision, explicit options.

    Parameters
    ----------
    samples : sequence of Sample
        One per file, read together (a reference and a current table): files needing a guessed legacy
        encoding are guessed together.
    encoding, delimiter, decimal, thousands : str, default=None
        Force an option instead of detecting it (``thousands="none"``: no digit grouping).

    Returns
    -------
    list of ReadingOptions

    Raises
    ------
    LifecycleKitError
        An empty or binary sample, an encoding that does not decode it, an unknown option value.
    """
    forced = frozenset(name for name, value in (("encoding", encoding), ("delimiter", delimiter),
                                                 ("decimal", decimal), ("thousands", thousands)) if value is not None)
    encoding = check_encoding(encoding) if encoding is not None else None
    delimiter = check_delimiter(delimiter) if delimiter is not None else None
    decimal = check_decimal(decimal) if decimal is not None else None
    no_grouping = thousands is not None and check_thousands(thousands) is None
    thousands = check_thousands(thousands) if thousands is not None else None
    if decimal is not None and decimal == delimiter:
        raise LifecycleKitError(_("--decimal and --delimiter cannot both be {value!r}", value=decimal))
    for sample in samples:
        if not sample.data.strip():
            raise LifecycleKitError(_("{path}: the file is empty", path=sample.where))
    found: list[tuple[str, float | None, tuple[str, ...]] | None] = []
    for sample in samples:
        if encoding is None:
            certain = certain_encoding(sample)
            found.append((certain, 1.0, ()) if certain else None)
        elif not decodes(sample, encoding):
            raise _undecodable(sample, encoding)
        else:
            found.append((encoding, None, ()))
    unsure = [i for i, f in enumerate(found) if f is None]
    if unsure:
        for i, guess in zip(unsure, _guess_together([samples[i] for i in unsure])):
            found[i] = guess
    out = []
    for sample, decided in zip(samples, found):
        assert decided is not None  # every sample has an encoding by now
        used, confidence, alternatives = decided
        text = codecs.getincrementaldecoder(used)(errors="replace").decode(sample.data, final=sample.whole)
        lines = _lines(text, sample.whole)
        if not lines:
            raise LifecycleKitError(_("{path}: the file is empty", path=sample.where))
        sep = delimiter or sniff_delimiter(lines)
        try:
            first = next(csv.reader(lines[:1], delimiter=sep))
            # Some exporters end every line with the delimiter, the header too: the empty column after it is none.
            empty_last = len(first) > 1 and not first[-1].strip() and all(
                not row[-1].strip() for row in csv.reader(lines[1:50], delimiter=sep) if len(row) == len(first))
        except csv.Error:
            raise field_too_long(sample.where, sep) from None
        header, columns = _columns(lines, sep, empty_last)
        notes = []
        if confidence is not None and confidence < 0.9:
            notes.append(N_("the encoding is a guess; if the text looks wrong, give one of {alternatives} with "
                            "--encoding", alternatives=", ".join(alternatives)) if alternatives else
                         N_("the encoding is a guess; if the text looks wrong, give the right one with --encoding"))
        dec, grouping, number_notes = _number_convention(header, columns, sep, decimal,
                                                         None if no_grouping else thousands)
        if no_grouping:
            grouping = None
        if empty_last:
            notes.append(N_("every line ends with the delimiter: the empty column after it is ignored"))
        out.append(ReadingOptions(used, sep, dec, grouping, confidence, alternatives, forced,
                                  tuple(notes + number_notes), empty_last))
    return out


def field_too_long(path: object, delimiter: str) -> LifecycleKitError:
    """The error for a field longer than Python's csv module takes: most likely a wrong delimiter."""
    return LifecycleKitError(_("{path}: a field is longer than {limit:,} characters when split at {delimiter!r}; if "
                               "that is not the delimiter, give the right one with --delimiter", path=path,
                               limit=csv.field_size_limit(), delimiter=delimiter))


def _undecodable(sample, encoding):
    try:
        codecs.getincrementaldecoder(encoding)(errors="strict").decode(sample.data, final=sample.whole)
    except UnicodeDecodeError as err:
        return LifecycleKitError(_("{file}: cannot be decoded as {encoding} ({reason} at byte {position})",
                                   file=sample.where, encoding=encoding, reason=err.reason, position=err.start))
    return LifecycleKitError(_("{file}: cannot be decoded as {encoding}", file=sample.where, encoding=encoding))
