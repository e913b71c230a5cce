"""What a notebook shows of a result: its sentences and tables in the reader's language.

A result of the kit keeps its data in English for code: ``to_frame()`` and the
attributes hold the column names and categorical values a program compares
against (``"never"``, ``"on_alert"``, ``True``), and ``to_dict()`` writes them to
JSON. What a *reader* sees goes through this module, so that a code cell,
identical in every edition of the course, shows the learner's language:

- :class:`Table` shows a DataFrame with its column headers and categorical
  values said in the reader's language (through the catalog), yes/no for
  booleans, and numbers with the language's separators (``0,25`` in Russian).
- :class:`Lines` holds a result's sentences, each a catalog phrase marked with
  :func:`~lifecycle_kit.i18n.N_` and its named values, said when shown.
- :class:`View` shows lines and tables one after the other; a result's
  ``_repr_html_`` is usually its view.

The kit's own columns and categorical values are registered where the frame is
made, with :func:`vocabulary`; :func:`display_table` then shows any frame of
the kit without being told how to say it. A user's own columns keep their names.

Examples
--------
>>> import pandas as pd
>>> from lifecycle_kit.i18n import N_, language
>>> table = display_table(pd.DataFrame({"value": [0.1614], "passed": [False], "my_column": ["x"]}))
>>> table.to_frame(lang="en").to_dict("records")
[{'value': 0.1614, 'passed': 'no', 'my_column': 'x'}]
>>> with language("ru"):
...     print(table)
значение пройден my_column
  0,1614      нет         x
>>> lines = Lines([N_("Correct: {value}.", value=0.25)])
>>> str(lines), lines.say(lang="ru")
('Correct: 0.25.', 'Верно: 0,25.')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from lifecycle_kit import _html
from lifecycle_kit.i18n import N_, Message, _, language

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Lines", "Table", "View", "display_table", "say", "vocabulary"]

_HEADINGS: dict[str, str] = {}
_VALUES: dict[str, Any] = {}  # column -> {value: label}, or a function that says a value


def vocabulary(*, headings: Mapping[str, str] | None = None,
               values: Mapping[str, Mapping[Any, str] | Callable[[str], str]] | None = None) -> None:
    """Say how the kit's own columns (``headings``) and their categorical ``values`` read, for every table shown.

    Each label is an English phrase marked with :func:`~lifecycle_kit.i18n.N_`
    where it is written (so Babel extracts it), translated when a table is shown.
    A module calls this once, beside the code that makes the frame.
    """
    _HEADINGS.update(headings or {})
    for column, mapping in (values or {}).items():
        if callable(mapping):
            _VALUES[column] = mapping
        else:
            current = _VALUES.setdefault(column, {})
            if isinstance(current, dict):
                current.update(mapping)


def say(text: object) -> str:
    """A marked phrase (:func:`~lifecycle_kit.i18n.N_`) in the reader's language; anything else as text."""
    return _(text) if isinstance(text, Message) else str(text)


def _heading(name, own):
    if isinstance(name, tuple):  # a column of a pivot table, ("gain", "sex"): each level said, empty ones left out
        return ": ".join(str(_heading(part, own)) for part in name if part != "")
    if isinstance(name, str) and name in own:
        return _(own[name])
    if isinstance(name, str) and name in _HEADINGS:
        return _(_HEADINGS[name])
    return _html.heading(name)


def _value(value, mapping):
    if isinstance(value, Message):
        return _(value)
    if isinstance(value, dict):  # a small record in one cell: "key: value" pairs, yes/no for booleans
        return ", ".join(f"{k}: {_html._yes_no(v) if isinstance(v, bool) else _value(v, None)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):  # a cell holding several values ("provides": two needs)
        return ", ".join(str(v) if isinstance(v, (list, tuple)) else str(_value(v, mapping)) for v in value)
    if isinstance(mapping, Mapping) and isinstance(value, str) and value not in mapping and ", " in value:
        parts = value.split(", ")  # several values joined in one text ("covered_by")
        if all(p in mapping for p in parts):
            return ", ".join(_(mapping[p]) for p in parts)
    if callable(mapping):  # a function that says a value (a quality characteristic, through its catalog context)
        return mapping(value) if isinstance(value, str) else value
    if mapping is not None:
        try:
            label = mapping.get(value)
        except TypeError:  # an unhashable cell (a list) is shown as it is
            label = None
        if label is not None:
            return _(label)
        if isinstance(value, str) and mapping is _ALL:
            return _(value)
    return value


_ALL: dict[Any, str] = {}  # ``values={"column": ...}`` given as a list of columns: every text is a catalog phrase

# Columns that many of the kit's frames share.
vocabulary(headings={"name": N_("name"), "rows": N_("rows"), "columns": N_("columns"), "source": N_("source"),
                     "bytes": N_("bytes"), "path": N_("path"), "records": N_("records"), "batch": N_("batch"),
                     "role": N_("role"), "model": N_("model"), "accuracy": N_("accuracy")})


class Table:
    """A DataFrame as a reader sees it: headers, categorical values and numbers in the reader's language.

    Parameters
    ----------
    frame : pandas.DataFrame
        The result's frame, with the kit's (English) column names and values; it is not changed.
    headings : dict, default=None
        ``{column: N_("label")}`` for columns of this table only; the kit's registered
        columns (:func:`vocabulary`) and the shared result columns need none.
    values : dict or list, default=None
        ``{column: {value: N_("label")}}`` (or ``{column: function}`` that says a value), or a list of
        columns whose texts are catalog phrases.
    index : bool, default=None
        Show the index as the first column; by default when it is named or holds labels rather than row numbers.
    digits : int, default=None
        Round floats to this many decimals before showing them (four significant digits are shown).
    true_is_bad, good : sequence of str
        Boolean columns coloured red (``true_is_bad``) or green when true (``good``); other booleans are plain.
    caption : str, default=""
        A line above the table (a marked phrase is translated).

    Examples
    --------
    >>> import pandas as pd
    >>> from lifecycle_kit.i18n import N_, language
    >>> t = Table(pd.DataFrame({"x": [0.123456, 2.0]}), headings={"x": N_("value")}, digits=3)
    >>> with language("ru"):
    ...     t.to_frame().columns.tolist(), "0,123" in t._repr_html_()
    (['значение'], True)
    """

    def __init__(self, frame: pd.DataFrame, *, headings: Mapping[str, str] | None = None,
                 values: Mapping[str, Mapping[Any, str]] | Iterable[str] | None = None, index: bool | None = None,
                 digits: int | None = None, true_is_bad: Iterable[str] = (), good: Iterable[str] = (),
                 caption: str = "", max_rows: int = 200) -> None:
        self.frame = frame
        self.headings = dict(headings or {})
        if values is not None and not isinstance(values, Mapping):
            values = {column: _ALL for column in values}
        self.values = dict(values or {})
        self.index = index
        self.digits = digits
        self.true_is_bad, self.good = tuple(true_is_bad), tuple(good)
        self.caption = caption
        self.max_rows = max_rows

    def _show_index(self):
        if self.index is not None:
            return self.index
        import pandas as pd

        # A named index or one of labels says something; row numbers (0, 1, 2 or what a filter left) do not.
        idx = self.frame.index
        return idx.name is not None or isinstance(idx, pd.MultiIndex) or not pd.api.types.is_integer_dtype(idx)

    def _shown(self, *, keep_bools):
        """The frame as shown: index as a column, values said, floats rounded, headers said (column order kept)."""
        import pandas as pd

        frame = self.frame
        if isinstance(frame, pd.Series):
            frame = frame.to_frame()
        if self._show_index():
            frame = frame.reset_index()
            if frame.columns[0] == "index":
                frame = frame.rename(columns={"index": ""})
        else:
            frame = frame.reset_index(drop=True)
        frame = frame.head(self.max_rows) if len(frame) > self.max_rows else frame
        columns = {}
        for i, name in enumerate(frame.columns):
            mapping = self.values.get(name, _VALUES.get(name) if isinstance(name, str) else None)
            cells = []
            for v in frame.iloc[:, i].tolist():
                v = v.item() if hasattr(v, "item") and not isinstance(v, str) else v
                if v is pd.NaT or v is pd.NA:  # a missing time or value reads like any missing value
                    v = None
                if isinstance(v, bool) and not keep_bools:
                    v = _html._yes_no(v)
                elif isinstance(v, float) and self.digits is not None and math.isfinite(v):
                    v = round(v, self.digits)
                else:
                    v = _value(v, mapping)
                cells.append(v)
            columns[i] = cells
        shown = pd.DataFrame(columns)
        shown.columns = [str(_heading(name, self.headings)) for name in frame.columns]
        return shown, [name for name in frame.columns]

    def to_frame(self, *, lang: str | None = None) -> pd.DataFrame:
        """The table as shown, as a DataFrame of the reader's words (``lang``: say it in another language)."""
        with language(lang):
            return self._shown(keep_bools=False)[0]

    def _repr_html_(self) -> str:
        shown, names = self._shown(keep_bools=True)
        bools = [shown.columns[i] for i, n in enumerate(names) if n not in self.good and n not in self.true_is_bad]
        bad = [shown.columns[i] for i, n in enumerate(names) if n in self.true_is_bad]
        body = _html.table_html(shown, neutral=bools, true_is_bad=bad, max_rows=self.max_rows)
        more = len(self.frame) - self.max_rows
        if more > 0:
            from lifecycle_kit.i18n import ngettext

            body += "<p style='color:#5f6368'>" + ngettext("{n} more row not shown", "{n} more rows not shown",
                                                           more) + "</p>"
        if self.caption:
            body = f"<p style='margin:.4em 0 .1em'><b>{_html.esc(say(self.caption))}</b></p>" + body
        return body

    def __repr__(self) -> str:
        text = _html.text_table(self._shown(keep_bools=True)[0])
        return f"{say(self.caption)}\n{text}" if self.caption else text


def display_table(frame: pd.DataFrame, **options: Any) -> Table:
    """``frame`` as a :class:`Table` (the same options): what a notebook cell ends with to show a frame of the kit."""
    return Table(frame, **options)


class Lines:
    """A result's sentences, each said in the reader's language when shown.

    Each line is a phrase marked with :func:`~lifecycle_kit.i18n.N_` (with its named
    values) or plain text; numbers in the values are written with the language's
    separators.
    """

    def __init__(self, lines: Iterable[object] = ()) -> None:
        self.lines = list(lines)

    def __iter__(self):
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, i):
        return self.lines[i]

    def say(self, *, lang: str | None = None) -> str:
        """The lines, one per line of text, in the reader's language (or ``lang``)."""
        with language(lang):
            return "\n".join(say(line) for line in self.lines)

    def __str__(self) -> str:
        return self.say()

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return "".join(f"<p style='margin:.2em 0'>{_html.esc(say(line))}</p>" for line in self.lines)


class View:
    """Lines, tables and HTML fragments shown one after the other (a result's ``_repr_html_``)."""

    def __init__(self, *parts: object) -> None:
        self.parts = [p for p in parts if p is not None]

    def _repr_html_(self) -> str:
        out = []
        for part in self.parts:
            if hasattr(part, "_repr_html_"):
                out.append(part._repr_html_())
            elif isinstance(part, str):
                out.append(part)
            else:
                out.append(f"<p>{_html.esc(say(part))}</p>")
        return "<div class='lk-view'>" + "".join(out) + "</div>"

    def __repr__(self) -> str:
        return "\n\n".join(str(p) if not isinstance(p, str) else _html_text(p) for p in self.parts)


def _html_text(fragment):
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()

