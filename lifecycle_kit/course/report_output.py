"""Reports made of what learners wrote, in HTML, CSV and text that nothing in them can drive.

A class report shows names and lines from learners' progress files to the
instructor, in a browser (on the hub, on the hub's own origin), a spreadsheet
and a terminal. Each output has one way in, and every table and chart a report
holds goes through it:

- **HTML**: :func:`render_page` fills ``templates/report.html`` with Jinja2,
  autoescaping every value; the Python side builds no HTML at all, only
  :class:`Section` objects of text, tables (DataFrames) and chart numbers
  (:class:`BarChart`, :class:`ScatterChart`). Control and bidirectional-override characters are shown as escapes
  (:func:`visible`), so a name cannot hide or reorder what is around it. A
  chart carries its text alternative as data too: a name and a description the
  template writes as the SVG's ``<title>`` and ``<desc>``. The
  page declares a Content-Security-Policy (:func:`content_security_policy`)
  that allows no script, no request and only its own hashed stylesheet; the
  hub's report service sends the same as a header.
- **CSV**: :func:`csv_text` writes every text cell through :func:`csv_cell`: a
  cell a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab,
  carriage return — OWASP's list — and their full-width forms) starts with
  ``'``, so it stays text; numbers stay numbers.
- **text**: :func:`visible`, so a terminal shows an escape sequence instead of
  obeying it.

Files are written by :func:`replace_file`: a new file renamed over the old
name, so a link planted there is replaced, never written through.

To add a table to a report, return it as a DataFrame and add a
:class:`Section` holding it (and, for its CSV, a name in the report's
``tables()``): it is then escaped in every output without further work.

Examples
--------
>>> import pandas as pd
>>> page = render_page("Demo", [Section(title="Names", table=pd.DataFrame({"name": ["<b>x</b>"]}))])
>>> "<b>x</b>" in page, "&lt;b&gt;x&lt;/b&gt;" in page
(False, True)
>>> csv_cell("=HYPERLINK(\\"http://x\\")"), csv_cell("ada")
('\\'=HYPERLINK("http://x")', 'ada')
>>> visible("ada\\u202eadb\\x1b[2J")
'ada\\\\u202eadb\\\\x1b[2J'
"""

from __future__ import annotations

import base64
import hashlib
import math
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import _, decimal_separator, get_language, ngettext, pgettext

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BarChart", "ScatterChart", "Section", "bar_chart", "content_security_policy", "csv_cell", "csv_text",
           "render_page", "replace_file", "scatter_chart", "visible"]

TEMPLATES = Path(__file__).resolve().parent / "templates"

# C0 and C1 controls and DEL (terminal escapes, carriage returns), the bidirectional marks, embeddings,
# overrides and isolates (they reorder the text around them), line and paragraph separators, invisible
# spaces, and lone surrogates (not encodable): shown as \xNN / \uNNNN.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff"
                     "\ud800-\udfff]")
# OWASP's CSV injection list, and the full-width forms some spreadsheets also take as operators.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def visible(text: Any) -> str:
    """``str(text)`` with every control, bidirectional and invisible character shown as an escape.

    >>> visible("ok"), visible("red\\x1b[31m"), visible("\\u202eevil")
    ('ok', 'red\\\\x1b[31m', '\\\\u202eevil')
    """
    return _HIDDEN.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                       str(text))


def csv_cell(text: Any) -> str:
    """A text cell for CSV: :func:`visible`, and a leading ``'`` where a spreadsheet would see a formula."""
    text = visible(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV (no index, ``\\n`` line ends), every text cell and column name through :func:`csv_cell`.

    Numeric, boolean and time columns are written as they are (``-0.5`` stays a number).
    """
    from pandas.api import types

    out = frame.copy()
    out.columns = [csv_cell(name) for name in out.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if types.is_numeric_dtype(column) or types.is_bool_dtype(column) or types.is_datetime64_any_dtype(column):
            continue
        out.isetitem(i, column.map(lambda v: csv_cell(v) if isinstance(v, str) else v))
    return out.to_csv(index=False, lineterminator="\n")


def replace_file(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to a new file beside ``path`` and rename it over ``path``.

    A link at ``path`` is replaced by the file, never written through; a reader
    never sees half a file. The file is readable by its owner only (a class
    report names learners).

    Raises
    ------
    LifecycleKitError
        ``path`` is a folder.
    """
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        raise LifecycleKitError(_("{path} is a folder; not replaced", path=path))
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    return path


# --- HTML ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars in [0, 1] (shares), drawn by the template; built by :func:`bar_chart`.

    ``title`` names the chart and ``description`` says what it shows, for a reader who cannot see it (the
    template writes them as the SVG's ``<title>`` and ``<desc>``).
    """

    kind: ClassVar[str] = "bar"
    title: str
    width: int
    height: int
    label_x: int
    bars: tuple[dict[str, Any], ...]
    axis: dict[str, Any]
    description: str = ""


@dataclass(frozen=True)
class ScatterChart:
    """Points (x, y) in [0, 1] on two axes with the diagonal y = x, drawn by the template; built by
    :func:`scatter_chart`. ``title`` and ``description`` are its text alternative, as for :class:`BarChart`."""

    kind: ClassVar[str] = "scatter"
    title: str
    description: str
    width: int
    height: int
    plot: dict[str, Any]
    ticks: tuple[dict[str, Any], ...]
    diagonal: dict[str, Any]
    points: tuple[dict[str, Any], ...]
    labels: dict[str, Any]


@dataclass(frozen=True)
class Section:
    """One part of a report page: a heading, paragraphs, a chart and a table, each optional.

    Attributes
    ----------
    title : str or None
    alerts : tuple of str
        Paragraphs that must be seen (shown in red): what was skipped, what failed.
    notes : tuple of str
        Paragraphs that explain (shown muted).
    chart : BarChart, ScatterChart or None
    table : pandas.DataFrame or None
    empty : str or None
        Shown instead of a table without rows.
    max_rows : int or None
        Rows shown; the rest are counted.
    """

    title: str | None = None
    alerts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    chart: BarChart | ScatterChart | None = None
    table: pd.DataFrame | None = field(default=None, compare=False)
    empty: str | None = None
    max_rows: int | None = None


def _num(text):
    """A number written with a point, in the reader's language (as :mod:`lifecycle_kit._html` writes them)."""
    separator = decimal_separator()
    if separator == ".":
        return text
    thousands = pgettext("thousands separator", " ")
    return text.replace(",", "\x00").replace(".", separator).replace("\x00", thousands)


def _cell(value):
    """``(kind, text)`` of one table cell; the template picks the class by kind and escapes the text."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, bool):
        return "text", _("yes") if value else _("no")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "na", _("n/a")
    try:
        import pandas as pd

        if pd.isna(value):
            return "na", _("n/a")
    except (TypeError, ValueError):
        pass
    if isinstance(value, float):
        return "num", _num(f"{value:.4g}")
    if isinstance(value, int):
        return "num", _num(f"{value:,}")
    return "text", str(value)


def _table(frame, max_rows):
    shown = frame if max_rows is None else frame.head(max_rows)
    rows = [[_cell(v) for v in record] for record in shown.itertuples(index=False)]
    hidden = len(frame) - len(shown)
    more = ngettext("{n} more row not shown", "{n} more rows not shown", hidden) if hidden else None
    return {"columns": [str(c) for c in frame.columns], "rows": rows, "more": more}


def _bar_description(labels, values):
    """What a bar chart of shares shows, in one sentence: how many bars, the highest and the lowest."""
    shown = [(label, float(v)) for label, v in zip(labels, values)
             if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not shown:
        return _("No values.")
    high = max(shown, key=lambda pair: pair[1])
    low = min(shown, key=lambda pair: pair[1])
    if high[1] == low[1]:
        return ngettext("{n} bar, at {value}.", "{n} bars, all at {value}.", len(labels), value=_num(f"{high[1]:.0%}"))
    return ngettext("{n} bar; highest {high} ({high_value}), lowest {low} ({low_value}).",
                    "{n} bars; highest {high} ({high_value}), lowest {low} ({low_value}).", len(labels),
                    high=high[0], high_value=_num(f"{high[1]:.0%}"), low=low[0], low_value=_num(f"{low[1]:.0%}"))


def bar_chart(labels: list[str], values: list[float], *, title: str, width: int = 640,
              bar_height: int = 16, description: str | None = None) -> BarChart:
    """The geometry of a bar chart of shares (0 to 1, shown as percentages); labels stay text for the template.

    ``description`` (default: how many bars, the highest and the lowest) is the chart's text alternative.
    """
    from lifecycle_kit._html import text_px

    label_x = max(120, min(320, max((text_px(label) for label in labels), default=65) + 12))
    width = max(width, label_x + 250, label_x + text_px(title, 12, bold=True) + 8)
    plot = width - label_x - 50
    top = 24 if title else 10
    bars = []
    for i, (label, value) in enumerate(zip(labels, values)):
        missing = value is None or (isinstance(value, float) and math.isnan(value))
        share = 0.0 if missing else max(0.0, min(float(value), 1.0))
        y = top + i * bar_height
        bars.append({"label": label, "y": y + 2, "text_y": round(y + bar_height * 0.7, 1), "height": bar_height - 4,
                     "width": round(plot * share, 1), "value_x": round(label_x + plot * share + 4, 1),
                     "value": _("n/a") if missing else _num(f"{float(value):.0%}")})
    axis_y = top + len(bars) * bar_height + 4
    ticks = [{"x": round(label_x + plot * t, 1), "label": _num(f"{t:.2g}")} for t in (0, 0.25, 0.5, 0.75, 1.0)]
    return BarChart(title=title, width=width, height=axis_y + 16, label_x=label_x, bars=tuple(bars),
                    axis={"y": axis_y, "x2": label_x + plot, "tick_y": axis_y + 12, "ticks": ticks},
                    description=_bar_description(labels, values) if description is None else description)


def scatter_chart(xs: list[float], ys: list[float], *, labels: list[str], title: str, description: str,
                  xlabel: str = "", ylabel: str = "", diagonal_label: str = "", size: int = 340) -> ScatterChart:
    """The geometry of a scatter of shares (0 to 1 on both axes) with the diagonal y = x dashed.

    Each point's label (a learner's name) stays text for the template, which shows it as the point's
    tooltip; points on the same spot are drawn translucent, so a crowd shows darker. Missing values are
    left out. ``description`` is the chart's text alternative (what a reader who cannot see it is told).

    >>> chart = scatter_chart([0.2, float("nan")], [0.6, 0.5], labels=["ada", "bob"], title="pre vs post",
    ...                       description="one learner above the diagonal")
    >>> [point["label"] for point in chart.points]  # bob has no pre-test score: not drawn
    ['ada']
    """
    from lifecycle_kit._html import text_px

    left, right, top, bottom = 44, 12, 40 if title else 24, 40
    width = max(size, left + text_px(title, 12, bold=True) + 8, left + text_px(ylabel) + 8)
    plot_w, plot_h = width - left - right, size - top - bottom

    def px(v):
        return round(left + plot_w * min(max(v, 0.0), 1.0), 1)

    def py(v):
        return round(top + plot_h * (1 - min(max(v, 0.0), 1.0)), 1)

    points = []
    for x, y, label in zip(xs, ys, labels):
        if x is None or y is None or math.isnan(float(x)) or math.isnan(float(y)):
            continue
        points.append({"cx": px(float(x)), "cy": py(float(y)), "label": label})
    ticks = tuple({"label": _num(f"{v:.2g}"), "x": px(v), "y": py(v), "x_text_y": top + plot_h + 14,
                   "y_text_y": round(py(v) + 4, 1)} for v in (0, 0.25, 0.5, 0.75, 1.0))
    return ScatterChart(
        title=title, description=description, width=width, height=size,
        plot={"left": left, "top": top, "width": plot_w, "height": plot_h, "tick_x": left - 4},
        ticks=ticks, diagonal={"x1": px(0.0), "y1": py(0.0), "x2": px(1.0), "y2": py(1.0), "label": diagonal_label,
                               "label_x": round(px(1.0) - 4, 1), "label_y": round(py(1.0) + 14, 1)},
        points=tuple(points),
        labels={"x": xlabel, "x_x": round(left + plot_w / 2, 1), "x_y": size - 12, "y": ylabel, "y_x": 4,
                "y_y": top - 8})


_environment = None


def _template_environment():
    global _environment
    if _environment is None:
        import jinja2
        import markupsafe

        _environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=True,  # every template, whatever its name: no value reaches the page unescaped
            undefined=jinja2.StrictUndefined,
            # Every {{ value }} is shown through visible() before it is escaped; a macro's output (markup the
            # template itself built from escaped values) is left as it is.
            finalize=lambda value: visible(value) if isinstance(value, str) and not isinstance(
                value, markupsafe.Markup) else value,
            trim_blocks=True, lstrip_blocks=True)
    return _environment


def _stylesheet():
    """The page's CSS, exactly as the template includes it (its hash is in the policy)."""
    return _template_environment().get_template("report.css").render()


def content_security_policy(*, header: bool = False) -> str:
    """The Content-Security-Policy of a report page: no script, no request, only the page's own stylesheet.

    Parameters
    ----------
    header : bool, default=False
        The policy for an HTTP header: also no framing (``frame-ancestors``,
        which a ``<meta>`` policy cannot set) and a sandbox (the page is
        treated as from an origin of its own, so even a script that got in
        could not reach the hub).

    >>> policy = content_security_policy(header=True)
    >>> "script-src 'none'" in policy and "default-src 'none'" in policy and "'unsafe-inline'" not in policy
    True
    """
    digest = base64.b64encode(hashlib.sha256(_stylesheet().encode("utf-8")).digest()).decode("ascii")
    policy = ["default-src 'none'", "script-src 'none'", f"style-src 'sha256-{digest}'", "img-src 'none'",
              "base-uri 'none'", "form-action 'none'"]
    if header:
        policy += ["frame-ancestors 'none'", "sandbox"]
    return "; ".join(policy)


def render_page(title: str, sections: list[Section], *, subtitle: str = "") -> str:
    """A whole HTML page from :class:`Section` objects, through the autoescaping template.

    Parameters
    ----------
    title : str
    sections : list of Section
    subtitle : str, default=""

    Returns
    -------
    str
        The page: no script, nothing fetched, opens offline.
    """
    parts = [{"title": s.title, "alerts": list(s.alerts), "notes": list(s.notes), "chart": s.chart,
              "table": None if s.table is None or not len(s.table) else _table(s.table, s.max_rows),
              "empty": s.empty if s.table is not None and not len(s.table) else None} for s in sections]
    return _template_environment().get_template("report.html").render(
        lang=get_language(), policy=content_security_policy(), title=title, subtitle=subtitle, sections=parts)
