"""Self-contained HTML for reports: inline CSS, inline SVG charts, no scripts, no CDN.

A report written with these helpers is one file that opens offline in any browser.
"""

import html
import math

from lifecycle_kit.i18n import N_, Message, _, decimal_separator, get_language, ngettext, pgettext

__all__ = ["CAUTION_FILL", "FAIL_FILL", "NEUTRAL_FILL", "PALETTE", "PASS_FILL", "bar_chart_svg", "frame_html",
           "heading", "histogram_svg", "image_grid_svg", "interval_svg", "line_chart_svg", "page", "roc_curve_svg", "table_html",
           "verdict_html", "with_text_alternative", "xy_chart_svg"]

_CSS = """
body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px auto;max-width:1100px;color:#202124;line-height:1.4}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #dadce0}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}th,td{border:1px solid #dadce0;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#137333;font-weight:bold}.fail{color:#a50e0e;font-weight:bold}.na{color:#5f6368}
.muted{color:#5f6368;font-size:.9em}.box{border-left:4px solid #1a73e8;padding:4px 10px;background:#f8f9fa}
.lk-visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
"""


# Inline styles, so pass/fail colours survive where the page's CSS is absent (a notebook's output).
PASS_STYLE = "color:#137333;font-weight:bold"
FAIL_STYLE = "color:#a50e0e;font-weight:bold"
NA_STYLE = "color:#5f6368"
_TABLE_STYLE = "border-collapse:collapse;margin:.4em 0;font-size:.9em"
_TH_STYLE = "border:1px solid #dadce0;padding:3px 8px;text-align:left;background:#f1f3f4"
_TD_STYLE = "border:1px solid #dadce0;padding:3px 8px;text-align:left;vertical-align:top"
_NUM_STYLE = "border:1px solid #dadce0;padding:3px 8px;text-align:right;font-variant-numeric:tabular-nums"
# Read by screen readers, not shown (a header cell's text where the eye needs none).
_HIDDEN_STYLE = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"


def esc(value):
    return html.escape(str(value))


def _num(text):
    """A number formatted with a point (and commas between thousands), in the reader's language.

    Only the text a reader sees goes through here, never an SVG coordinate.

    >>> from lifecycle_kit.i18n import language
    >>> with language("ru"):
    ...     _num("0.25"), _num("1,200")
    ('0,25', '1\xa0200')
    >>> _num("0.25")
    '0.25'
    """
    separator = decimal_separator()
    if separator == ".":
        return text
    thousands = pgettext("thousands separator", " ")
    return text.replace(",", "\x00").replace(".", separator).replace("\x00", thousands)


def md_text(value):
    """Text for a Markdown document: HTML in data (a cell, a column name) shown, not rendered.

    Markdown passes inline HTML through, so ``<img src=x onerror=...>`` in a
    column name would run in whatever renders the report.

    >>> md_text("<b>x</b> & y")
    '&lt;b&gt;x&lt;/b&gt; &amp; y'
    """
    return html.escape(str(value), quote=False)


def page(title, sections, *, subtitle=""):
    """A whole HTML document: ``sections`` is a list of (heading or None, html body).

    The page says its language and puts its content in a ``main`` landmark (WCAG 2.1: 3.1.1, 1.3.1).
    """
    parts = [f"<!DOCTYPE html>\n<html lang='{get_language()}'><head><meta charset='utf-8'><title>{esc(title)}</title>",
             f"<style>{_CSS}</style></head><body><main>", f"<h1>{esc(title)}</h1>"]
    if subtitle:
        parts.append(f"<p class='muted'>{esc(subtitle)}</p>")
    for heading, body in sections:
        if heading:
            parts.append(f"<h2>{esc(heading)}</h2>")
        parts.append(body)
    parts.append("</main></body></html>\n")
    return "".join(parts)


def _header_cell(text, scope="col", style=_TH_STYLE):
    """A header cell with its scope; an empty header gets a text for screen readers (axe: empty-table-header)."""
    shown = str(text) if text is not None else ""
    if not shown.strip():
        # Translators: read by a screen reader in the empty top-left cell of a table, above the row names.
        said = _("row")
        return f"<th scope='{scope}' style='{style}'><span style='{_HIDDEN_STYLE}'>{esc(said)}</span></th>"
    return f"<th scope='{scope}' style='{style}'>{esc(shown)}</th>"


def _cell(value, meaning="good"):
    if isinstance(value, bool):
        if meaning == "neutral":
            return f"<td style='{_TD_STYLE}'>{_yes_no(value)}</td>"
        good = value if meaning == "good" else not value
        style = PASS_STYLE if good else FAIL_STYLE
        return f"<td class='{'pass' if good else 'fail'}' style='{_TD_STYLE};{style}'>{_yes_no(value)}</td>"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return f"<td class='na' style='{_TD_STYLE};{NA_STYLE}'>" + _("n/a") + "</td>"
    if isinstance(value, float):
        # Four significant digits, but never an exponent for a count-sized value (12345.6 reads 12 346, not 1.235e+04).
        text = f"{value:,.0f}" if math.isfinite(value) and 1e4 <= abs(value) < 1e15 else f"{value:.4g}"
        return f"<td class='num' style='{_NUM_STYLE}'>{_num(text)}</td>"
    if isinstance(value, int):
        return f"<td class='num' style='{_NUM_STYLE}'>{_num(f'{value:,}')}</td>"
    return f"<td style='{_TD_STYLE}'>{esc(value)}</td>"


# The columns of the kit's result tables, as the labs name them too (lifecycle_kit/labs/quality_lab.py): keys in
# frames and JSON, said in the reader's language where a table is shown.
_HEADINGS = {  # one literal per name, so that Babel extracts each
    "measure_id": N_("measure_id"), "characteristic": N_("characteristic"), "measure": N_("measure"),
    "value": N_("value"), "threshold": N_("threshold"), "passed": N_("passed"), "detail": N_("detail"),
    "definition": N_("definition"), "why": N_("why"), "column": N_("column"), "nan": N_("nan"),
    "disguised": N_("disguised"), "tokens": N_("tokens"), "total": N_("total"), "share": N_("share"),
    "rule": N_("rule"), "count": N_("count"), "message": N_("message"), "examples": N_("examples"),
    "kind": N_("kind"), "test": N_("test"), "statistic": N_("statistic"), "p_value": N_("p_value"),
    "drifted": N_("drifted"), "severity": N_("severity"), "js_base2": N_("js_base2"),
    "explanation": N_("explanation"), "file": N_("file"), "read as": N_("read as"), "notes": N_("notes"),
}


def heading(name):
    """The heading of a result table's column in the reader's language (``measure_id`` stays a key in JSON).

    >>> from lifecycle_kit.i18n import language
    >>> with language("ru"):
    ...     heading("passed"), heading("p_value"), heading("my own column")
    ('пройден', 'p-значение', 'my own column')
    >>> heading("passed")
    'passed'
    """
    return _(_HEADINGS[name]) if isinstance(name, str) and name in _HEADINGS else name


def table_html(frame, *, max_rows=200, true_is_bad=(), neutral=(), headings=False):
    """A DataFrame as an HTML table (values escaped).

    Yes/no cells are green when true and red when false, except in the columns
    named in ``true_is_bad`` (``drifted``: yes is red) and ``neutral`` (no colour).
    ``headings``: the frame is a result of the kit, whose column names are said in
    the reader's language (:func:`heading`); a user's own table keeps its names.
    """
    head = "".join(_header_cell(heading(c) if headings else c) for c in frame.columns)
    meanings = ["bad" if c in true_is_bad else "neutral" if c in neutral else "good" for c in frame.columns]
    rows = []
    for record in frame.head(max_rows).itertuples(index=False):
        rows.append("<tr>" + "".join(_cell(v.item() if hasattr(v, "item") else v, m)
                                     for v, m in zip(record, meanings)) + "</tr>")
    more = (f"<p class='muted' style='{NA_STYLE}'>" + ngettext("{n} more row not shown", "{n} more rows not shown", len(frame) - max_rows) + "</p>"
            if len(frame) > max_rows else "")
    return f"<table style='{_TABLE_STYLE}'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def frame_html(frame, *, wide_px=480):
    """A DataFrame as a lab shows it: pandas' own formatting, with header cells a screen reader can use.

    pandas' ``to_html`` leaves the top-left header cell empty and gives its header
    cells no ``scope`` (pandas-dev/pandas#61350). Here every column header has
    ``scope="col"``, every row name ``scope="row"``, and the top-left cell names
    the rows (the index's name, and the columns' name after a backslash, as in a
    confusion matrix) or, when the index has no name, says "row" to a screen
    reader only. The levels of a MultiIndex are joined, so there is one header
    row and one column of row names. A table wider than about ``wide_px`` pixels
    scrolls sideways inside a focusable region, so a keyboard can scroll it too.

    >>> import pandas as pd
    >>> table = frame_html(pd.DataFrame({"a": [1]}, index=pd.Index(["x"], name="k")))
    >>> "<th scope='col'" in table and "<th scope='row'>x</th>" in table and "<th></th>" not in table
    True
    """
    import re

    import pandas as pd

    shown = frame
    if isinstance(shown.columns, pd.MultiIndex):
        shown = shown.set_axis([" / ".join(map(str, c)) for c in shown.columns], axis=1)
    if isinstance(shown.index, pd.MultiIndex):
        shown = shown.set_axis(pd.Index([", ".join(map(str, i)) for i in shown.index], name=" / ".join(
            str(n) for n in shown.index.names if n is not None) or None), axis=0)
    table = shown.to_html(index_names=False, border=0, max_rows=pd.get_option("display.max_rows"),
                          max_cols=pd.get_option("display.max_columns"),
                          show_dimensions=pd.get_option("display.show_dimensions"))
    head, body = table.split("</thead>", 1)
    names = [str(n) for n in (shown.index.name, shown.columns.name) if n is not None and str(n).strip()]
    corner = _header_cell(" \\ ".join(names), style="")
    head = head.replace("<th></th>", corner.replace(" style=''", ""), 1)
    head = re.sub(r"<th(?=[ >])(?![^>]*scope=)", "<th scope='col'", head)
    body = re.sub(r"<th(?=[ >])(?![^>]*scope=)", "<th scope='row'", body)
    table = head + "</thead>" + body
    return wide_region(table, shown, corner=" \\ ".join(names) or "0" * len(str(len(shown))), wide_px=wide_px)


def wide_region(table, shown, *, corner="", wide_px=480):
    """``table`` (the HTML of the frame ``shown``) inside a region that scrolls sideways, if it is wider than
    about ``wide_px`` pixels; a keyboard can reach the region and scroll it.

    >>> import pandas as pd
    >>> wide_region("<table></table>", pd.DataFrame({"a": [1]}))
    '<table></table>'
    """
    sample = shown.head(20)
    width = (text_px(corner, 12) + 16 if corner else 0) + sum(
        max([text_px(str(c), 12)] + [text_px(v, 12) for v in sample[c].astype(str)]) + 16 for c in sample.columns)
    if width <= wide_px:
        return table
    columns = [str(c) for c in shown.columns]
    label = _("Wide table ({n} columns: {names}): scroll sideways to see all of it", n=len(columns),
              names=", ".join(columns[:3]) + (", …" if len(columns) > 3 else ""))
    return (f"<div role='region' tabindex='0' aria-label='{esc(label)}' "
            f"style='overflow-x:auto;max-width:100%'>{table}</div>")


def text_px(text, size=11, *, bold=False):
    """About how wide ``text`` renders in DejaVu Sans at ``size`` px (Cyrillic and capitals are wider than Latin).

    Charts use it to make room for their titles, labels and legends in any language.

    >>> text_px("recall") < text_px("полнота") < text_px("ПОЛНОТА")
    True
    """
    width = 0.0
    for ch in str(text):
        if ch == " ":
            width += 0.32
        elif "\u0400" <= ch <= "\u04ff":
            width += 0.76 if ch.isupper() else 0.66
        elif ch.isupper() or ch in "mwMW%@":
            width += 0.72
        elif ch.isdigit():
            width += 0.64
        else:
            width += 0.56
    return int(width * size * (1.12 if bold else 1.0)) + 2


def markdown_table(frame, *, floatfmt="{:.4g}", headings=False):
    """A DataFrame as a GitHub-flavoured Markdown table (no extra dependency); ``headings`` as in :func:`table_html`."""
    def fmt(v):
        if isinstance(v, bool):
            return _yes_no(v)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return _("n/a")
        if isinstance(v, float):
            return _num(floatfmt.format(v))
        return cell(v)

    def cell(v):
        return md_text(v).replace("|", "\\|").replace("\r", " ").replace("\n", " ")

    names = [heading(c) for c in frame.columns] if headings else frame.columns
    lines = ["| " + " | ".join(map(cell, names)) + " |", "|" + "---|" * len(frame.columns)]
    for record in frame.itertuples(index=False):
        lines.append("| " + " | ".join(fmt(v.item() if hasattr(v, "item") else v) for v in record) + " |")
    return "\n".join(lines)


def shorten(text, width):
    """``text`` cut to at most ``width`` characters at a word, ending with "…" when cut.

    >>> shorten("categories seen fewer than 10 times: age 38, bmi 163", 30)
    'categories seen fewer than 10…'
    """
    text = str(text)
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if not text[width - 1].isspace() and space > width // 2:  # the cut falls inside a word: end before it
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def text_table(frame, *, headings=False, floatfmt="{:.4g}", max_colwidth=90):
    """A DataFrame as a plain-text table for a terminal, as :func:`table_html` shows it.

    Yes/no in the reader's language, numbers with its separators, text cut at a word with "…" after
    ``max_colwidth`` characters; ``headings`` as in :func:`table_html`. Cells already formatted as text are
    kept (only cut).

    >>> import pandas as pd
    >>> print(text_table(pd.DataFrame({"column": ["age"], "drifted": [True], "p_value": [0.01234]}), headings=True))
    column drifted p_value
       age     yes 0.01234
    """
    def fmt(v):
        if isinstance(v, bool):
            return _yes_no(v)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        if isinstance(v, float):
            return _num(floatfmt.format(v))
        if isinstance(v, int):
            return _num(f"{v:,}")
        return shorten(v, max_colwidth)

    shown = frame.copy()
    for column in frame.columns:
        shown[column] = [fmt(v.item() if hasattr(v, "item") else v) for v in frame[column].tolist()]
    if headings:
        shown.columns = [heading(c) for c in frame.columns]
    import pandas as pd

    with pd.option_context("display.width", 250, "display.max_colwidth", max_colwidth + 1):
        return shown.to_string(index=False)


def _yes_no(value):
    return _("yes") if value else _("no")


def verdict_html(passed, text, *, title=""):
    """A one-line verdict in green (passed), red (failed) or grey (``passed=None``), styled inline.

    A tick or a cross before the text says the same as the colour, for a reader who cannot tell the colours apart.
    """
    style = NA_STYLE if passed is None else (PASS_STYLE if passed else FAIL_STYLE)
    border = "#5f6368" if passed is None else ("#137333" if passed else "#a50e0e")
    head = f"<b>{esc(title)}</b> " if title else ""
    mark = "" if passed is None else (PASS_MARK if passed else FAIL_MARK) + " "
    return (f"<div style='border-left:4px solid {border};padding:4px 10px;margin:4px 0;background:#f8f9fa'>"
            f"{head}<span style='{style}'>{mark}{esc(text)}</span></div>")


def items_html(items):
    """A bulleted list of escaped lines; a line marked with ``N_`` is said in the reader's language."""
    return ("<ul style='margin:.2em 0'>" + "".join(f"<li>{esc(_(item) if isinstance(item, Message) else item)}</li>"
                                                   for item in items) + "</ul>")



# Charts -------------------------------------------------------------------------------------------------------------
# Every chart is an image with a text alternative (WCAG 2.1: 1.1.1): role="img", a <title> (its name) and a <desc>
# that says what it shows in words and in the numbers computed from the data it draws, in the reader's language.
# Under it, collapsed, the same data as a table (<details>). Colours come from a palette that stays apart under the
# common colour-vision deficiencies and has 3:1 contrast with the white background (1.4.11); pass and fail are also
# written (a tick or a cross), and the lines of a chart also differ in their dashes (1.4.1). tests/test_accessibility.py
# simulates protanopia, deuteranopia and tritanopia (Machado et al. 2009) to check the palette.

#: Series colours: blue, vermillion, bluish green, reddish purple (Okabe and Ito, "Color Universal Design") and black.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#202124"]
#: Dashes of the series of a line chart, in the palette's order.
DASHES = ["", "7 3", "2 3", "9 3 2 3", "4 4"]
#: Bar colours with a meaning; the meaning is also written next to the bar.
PASS_FILL, FAIL_FILL, CAUTION_FILL, NEUTRAL_FILL = "#009E73", "#D55E00", "#CC79A7", "#6b6b6b"
PASS_MARK, FAIL_MARK = "✓", "✗"


def _svg_open(width, height):
    # A white ground, so the chart keeps its contrast in a dark theme too.
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' font-size='11' "
            "font-family='DejaVu Sans, sans-serif' role='img' style='background:#ffffff'>")


def _finite(value):
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _say(value, value_format=None):
    """A number as a reader sees it on the chart, with the language's separators."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("n/a")
    if value_format:
        return _num(value_format.format(value))
    value = float(value)
    if value.is_integer() and abs(value) >= 1:
        return _num(f"{value:,.0f}")
    return _num(f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}")


def with_text_alternative(svg, title, description, table):
    """The chart with its name and description inside the SVG, and its data table under it (collapsed).

    Screen readers take an SVG image's name from its first child <title> and its description from its <desc>
    (SVG Accessibility API Mappings); ``aria-label`` repeats the name for the readers that look only at ARIA.
    No ids: a report is then the same file every time it is made, and two identical charts on one page
    cannot clash.
    """
    name = title or _("Chart")
    opening_end = svg.index(">") + 1
    svg = (svg[:opening_end - 1] + f" aria-label='{esc(name)}'><title>{esc(name)}</title><desc>{esc(description)}</desc>"
           + svg[opening_end:])
    style = "display:inline-block;vertical-align:top;max-width:100%;margin:2px 8px 6px 0"
    return f"<div class='lk-chart' style='{style}'>{svg}{_data_details(name, *table)}</div>"


def _data_details(name, columns, rows):
    """The data of a chart as a table in a collapsed <details>: header cells with scope, row names as row headers."""
    head = "".join(_header_cell(c) for c in columns)
    body = "".join("<tr>" + _header_cell(row[0], "row", _TD_STYLE) + "".join(
        f"<td style='{_NUM_STYLE if _looks_numeric(v) else _TD_STYLE}'>{esc(v)}</td>" for v in row[1:]) + "</tr>"
                   for row in rows)
    summary = _("Data of the chart: {name}", name=name)
    return (f"<details class='lk-chart-data' style='font-size:.9em;margin:2px 0'><summary style='cursor:pointer'>"
            f"{esc(summary)}</summary><table style='{_TABLE_STYLE}'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></details>")


def _looks_numeric(text):
    return any(ch.isdigit() for ch in str(text)) and not any(ch.isalpha() for ch in str(text).replace("e", ""))


def _trend(name, xs, ys, xlabel, value_format=None, x_format=None):
    """One sentence about a series: where it starts and ends, and its extremes when they lie in between."""
    points = [(x, y) for x, y in zip(xs, ys) if _finite(y)]
    if not points:
        return _("{name}: no values.", name=name)
    (x0, y0), (x1, y1) = points[0], points[-1]
    say_x = (lambda v: _num(x_format.format(v))) if x_format else _say
    values = [y for _x, y in points]
    span = (max(values) - min(values)) or 1.0
    if abs(y1 - y0) <= 0.02 * span or len(points) == 1:
        sentence = _("{name} stays near {start} while {x} goes from {x_start} to {x_end}", name=name,
                     start=_say(y0, value_format), x=xlabel, x_start=say_x(x0), x_end=say_x(x1))
    elif y1 > y0:
        sentence = _("{name} rises from {start} to {end} as {x} goes from {x_start} to {x_end}", name=name,
                     start=_say(y0, value_format), end=_say(y1, value_format), x=xlabel, x_start=say_x(x0),
                     x_end=say_x(x1))
    else:
        sentence = _("{name} falls from {start} to {end} as {x} goes from {x_start} to {x_end}", name=name,
                     start=_say(y0, value_format), end=_say(y1, value_format), x=xlabel, x_start=say_x(x0),
                     x_end=say_x(x1))
    low = min(points, key=lambda p: p[1])
    high = max(points, key=lambda p: p[1])
    extremes = []
    if high[1] > max(y0, y1) + 0.02 * span:
        extremes.append(_("highest {value} at {x} {at}", value=_say(high[1], value_format), x=xlabel,
                          at=say_x(high[0])))
    if low[1] < min(y0, y1) - 0.02 * span:
        extremes.append(_("lowest {value} at {x} {at}", value=_say(low[1], value_format), x=xlabel, at=say_x(low[0])))
    return sentence + ("; " + ", ".join(extremes) if extremes else "") + "."


def bar_chart_svg(labels, values, *, thresholds=None, passed=None, colours=None, notes=None, width=640, bar_height=16,
                  xmax=1.0, title="", value_format="{:.3f}"):
    """Horizontal bars in [0, xmax] with optional threshold ticks; passed and failed bars coloured and marked.

    A bar that passes is bluish green with a tick after its value, one that fails
    vermillion with a cross, so the verdict is not told by colour alone.
    ``colours`` sets the bars' colours instead; then ``notes`` (one short word
    per bar, such as its category) says in words what each colour means.

    >>> chart = bar_chart_svg(["completeness", "uniqueness"], [0.98, 0.71], thresholds=[0.95, 0.9],
    ...                       passed=[True, False], title="Quality")
    >>> "role='img'" in chart and "<title" in chart and "1 of 2 pass" in chart and "<details" in chart
    True
    """
    # Room for the longest label (about 6.5 px per character at 11 px), so long measure names are not clipped.
    label_width = max(120, min(320, max((text_px(label) for label in labels), default=65) + 12))
    width = max(width, label_width + 250, label_width + text_px(title, 12, bold=True) + 8)
    plot = width - label_width - 50 - (max((text_px(n) for n in notes), default=0) if notes else 0)
    top = 24 if title else 10
    height = bar_height * len(labels) + top + 20
    xmax = xmax if xmax and xmax > 0 else 1.0
    out = [_svg_open(width, height)]
    if title:
        out.append(f"<text x='{label_width}' y='14' font-size='12' font-weight='bold'>{esc(title)}</text>")
    for i, (label, value) in enumerate(zip(labels, values)):
        y = top + i * bar_height
        ok = None if passed is None else passed[i]
        if colours is not None:
            colour = colours[i]
        else:
            colour = NEUTRAL_FILL if ok is None else (PASS_FILL if ok else FAIL_FILL)
        v = 0.0 if not _finite(value) else max(0.0, min(value, xmax))
        out.append(f"<text x='{label_width - 6}' y='{y + bar_height * 0.7:.1f}' text-anchor='end'>{esc(label)}</text>")
        out.append(f"<rect x='{label_width}' y='{y + 2}' width='{plot * v / xmax:.1f}' height='{bar_height - 4}' fill='{colour}'/>")
        shown = _num(value_format.format(v if not _finite(value) else value))
        mark = "" if ok is None else " " + (PASS_MARK if ok else FAIL_MARK)
        note = f" ({notes[i]})" if notes else ""
        out.append(f"<text x='{label_width + plot * v / xmax + 4:.1f}' y='{y + bar_height * 0.7:.1f}'>"
                   f"{esc(shown + mark + note)}</text>")
        if thresholds is not None and thresholds[i] is not None:
            tx = label_width + plot * min(thresholds[i], xmax) / xmax
            out.append(f"<line x1='{tx:.1f}' x2='{tx:.1f}' y1='{y}' y2='{y + bar_height}' stroke='#202124' stroke-width='2'/>")
    axis_y = top + len(labels) * bar_height + 4
    out.append(f"<line x1='{label_width}' x2='{label_width + plot}' y1='{axis_y}' y2='{axis_y}' stroke='#5f6368'/>")
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        tx = label_width + plot * tick
        label = _num(f"{tick * xmax:,.0f}" if xmax >= 20 else f"{tick * xmax:.2g}")
        out.append(f"<text x='{tx:.1f}' y='{axis_y + 12}' text-anchor='middle' fill='#5f6368'>{label}</text>")
    out.append("</svg>")

    # What the bars say, from the values drawn.
    drawn = [(label, value) for label, value in zip(labels, values) if _finite(value)]
    parts = [ngettext("{n} bar", "{n} bars", len(labels))]
    if drawn:
        high, low = max(drawn, key=lambda p: p[1]), min(drawn, key=lambda p: p[1])
        parts.append(_("highest {label} {value}", label=high[0], value=_say(high[1], value_format)))
        if len(drawn) > 1:
            parts.append(_("lowest {label} {value}", label=low[0], value=_say(low[1], value_format)))
    if passed is not None:
        failing = [str(label) for label, ok in zip(labels, passed) if ok is False]
        parts.append(_("{passed} of {n} pass", passed=sum(1 for ok in passed if ok), n=len(labels)))
        if failing:
            parts.append(_("not passing: {labels}", labels=", ".join(failing)))
    if notes:
        groups = {}
        for label, note in zip(labels, notes):
            groups.setdefault(note, []).append(str(label))
        parts.extend(f"{note}: {', '.join(names)}" for note, names in groups.items())
    if thresholds is not None:
        parts.append(_("a tick marks each bar's threshold"))
    description = "; ".join(parts) + "."
    columns = [_("bar"), _("value")] + ([_("threshold")] if thresholds is not None else []) \
        + ([_("passes")] if passed is not None else []) + ([_("kind")] if notes else [])
    rows = []
    for i, (label, value) in enumerate(zip(labels, values)):
        row = [label, _say(value, value_format)]
        if thresholds is not None:
            row.append(_say(thresholds[i], value_format) if thresholds[i] is not None else "")
        if passed is not None:
            row.append("" if passed[i] is None else f"{PASS_MARK if passed[i] else FAIL_MARK} {_yes_no(passed[i])}")
        if notes:
            row.append(notes[i])
        rows.append(row)
    return with_text_alternative("".join(out), title, description, (columns, rows))


def line_chart_svg(x, series, *, width=560, height=260, ylim=(0.0, 1.0), marker_x=None, title="", xlabel="",
                   ylabel="", reference=None, x_format="{:g}"):
    """Lines over a shared x axis (``series``: name -> list of y, NaN gaps allowed), with a legend.

    ``marker_x`` draws a vertical line at the current value of a control;
    ``reference`` is ``(label, y)`` for a dashed horizontal line. Each line has
    its own colour and dash, shown in the legend.

    >>> chart = line_chart_svg([0, 0.2, 0.4], {"accuracy": [0.96, 0.9, 0.71]}, xlabel="poisoned share")
    >>> "accuracy falls from 0.96 to 0.71 as poisoned share goes from 0 to 0.4" in chart
    True
    """
    left, right, top, bottom = 48, 150, 26 if title else 10, 34
    # The legend's longest name and the title fit whatever their language: the plot keeps its width.
    legend = max((text_px(name) for name in series), default=0) + 40
    width += max(0, legend - right)
    right = max(right, legend)
    width = max(width, left + text_px(title, 12, bold=True) + 8)
    plot_w, plot_h = width - left - right, height - top - bottom
    x = [float(v) for v in x]
    x0, x1 = min(x), max(x)
    span = (x1 - x0) or 1.0
    y0, y1 = ylim

    def px(v):
        return left + plot_w * (v - x0) / span

    def py(v):
        return top + plot_h * (1 - (min(max(v, y0), y1) - y0) / ((y1 - y0) or 1.0))

    out = [_svg_open(width, height)]
    if title:
        out.append(f"<text x='{left}' y='15' font-size='12' font-weight='bold'>{esc(title)}</text>")
    for k in range(5):
        v = y0 + (y1 - y0) * k / 4
        out.append(f"<line x1='{left}' x2='{left + plot_w}' y1='{py(v):.1f}' y2='{py(v):.1f}' stroke='#e8eaed'/>")
        out.append(f"<text x='{left - 4}' y='{py(v) + 4:.1f}' text-anchor='end' fill='#5f6368'>{_num(f'{v:.2g}')}</text>")
    step = max(1, math.ceil(len(x) / 12))  # at most about a dozen tick labels
    for v in x[::step]:
        out.append(f"<text x='{px(v):.1f}' y='{top + plot_h + 14}' text-anchor='middle' fill='#5f6368'>{esc(_num(x_format.format(v)))}</text>")
    if xlabel:
        out.append(f"<text x='{left + plot_w / 2:.1f}' y='{height - 4}' text-anchor='middle'>{esc(xlabel)}</text>")
    if ylabel:
        out.append(f"<text x='12' y='{top + plot_h / 2:.1f}' text-anchor='middle' transform='rotate(-90 12 {top + plot_h / 2:.1f})'>{esc(ylabel)}</text>")
    if reference is not None:
        label, value = reference
        out.append(f"<line x1='{left}' x2='{left + plot_w}' y1='{py(value):.1f}' y2='{py(value):.1f}' stroke='#5f6368' stroke-dasharray='4 3'/>")
        out.append(f"<text x='{left + 4}' y='{py(value) - 4:.1f}' fill='#5f6368'>{esc(label)}</text>")
    if marker_x is not None:
        out.append(f"<line x1='{px(float(marker_x)):.1f}' x2='{px(float(marker_x)):.1f}' y1='{top}' y2='{top + plot_h}' stroke='#202124' stroke-width='1.5'/>")
    for i, (name, values) in enumerate(series.items()):
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        dashed = f" stroke-dasharray='{dash}'" if dash else ""
        points = [(px(a), py(b)) for a, b in zip(x, values) if _finite(b)]
        if len(points) > 1:
            out.append("<polyline fill='none' stroke='{}' stroke-width='2'{} points='{}'/>".format(
                colour, dashed, " ".join(f"{a:.1f},{b:.1f}" for a, b in points)))
        for a, b in points:
            out.append(f"<circle cx='{a:.1f}' cy='{b:.1f}' r='3' fill='{colour}'/>")
        ly = top + 12 + 16 * i
        out.append(f"<line x1='{left + plot_w + 6}' x2='{left + plot_w + 28}' y1='{ly - 3}' y2='{ly - 3}' "
                   f"stroke='{colour}' stroke-width='2.5'{dashed}/>")
        out.append(f"<text x='{left + plot_w + 32}' y='{ly + 1}'>{esc(name)}</text>")
    out.append("</svg>")

    along = xlabel or _("the horizontal axis")
    sentences = [_trend(name, x, values, along, x_format=x_format) for name, values in series.items()]
    if marker_x is not None:
        sentences.append(_("The vertical line marks the chosen {x}, {value}.", x=along,
                           value=_num(x_format.format(float(marker_x)))))
    if reference is not None:
        sentences.append(_("Dashed line: {label}, {value}.", label=reference[0], value=_say(reference[1])))
    rows = [[_num(x_format.format(a))] + [_say(values[k]) if k < len(values) else "" for values in series.values()]
            for k, a in enumerate(x)]
    return with_text_alternative("".join(out), title, " ".join(sentences), ([along, *series], rows))


def image_grid_svg(images, *, captions=(), shape=(8, 8), vmax=16.0, cell=6, highlight=None, title="",
                   highlight_label=""):
    """Small grey-scale images side by side (e.g. 8x8 digits), with captions under them.

    ``highlight`` is a list of pixel indices outlined in vermillion (a trigger
    patch), named ``highlight_label`` in the chart's description.
    """
    height, width = shape
    size_w, size_h = width * cell, height * cell
    gap = 14
    total_w = len(images) * (size_w + gap)
    out = [_svg_open(total_w, size_h + 30).replace("font-size='11'", "font-size='10'")]
    for k, image in enumerate(images):
        x0 = k * (size_w + gap)
        for p, v in enumerate(image):
            r, c = divmod(p, width)
            level = int(255 - 255 * max(0.0, min(float(v), vmax)) / vmax)
            out.append(f"<rect x='{x0 + c * cell}' y='{r * cell}' width='{cell}' height='{cell}' "
                       f"fill='rgb({level},{level},{level})'/>")
        for p in highlight or ():
            r, c = divmod(p, width)
            out.append(f"<rect x='{x0 + c * cell}' y='{r * cell}' width='{cell}' height='{cell}' fill='none' "
                       f"stroke='{FAIL_FILL}' stroke-width='1'/>")
        if k < len(captions):
            out.append(f"<text x='{x0 + size_w / 2}' y='{size_h + 14}' text-anchor='middle'>{esc(captions[k])}</text>")
    out.append("</svg>")
    description = ngettext("{n} image of {height} by {width} pixels", "{n} images of {height} by {width} pixels",
                           len(images), height=height, width=width)
    if captions:
        description += "; " + _("captions: {captions}", captions="; ".join(str(c) for c in captions))
    if highlight:
        description += "; " + ngettext("{n} pixel outlined", "{n} pixels outlined", len(highlight))
        if highlight_label:
            description += f" ({highlight_label})"
    rows = [[str(k + 1), str(captions[k]) if k < len(captions) else "",
             _say(float(sum(float(v) for v in image)) / max(1, len(image)))] for k, image in enumerate(images)]
    return with_text_alternative("".join(out), title, description + ".",
                       ([_("image"), _("caption"), _("mean brightness (0 to {vmax})", vmax=_say(vmax))], rows))


def sources_section(sources):
    """[(heading, body)] of a page section saying how the data was read (one line per file), or [] for none."""
    if not sources:
        return []
    return [(_("How the data was read"), "<ul class='sources'>" + "".join(f"<li>{esc(_said(line))}</li>" for line in sources)
             + "</ul>")]


def sources_markdown(sources):
    """The Markdown lines of :func:`sources_section`."""
    if not sources:
        return []
    return ["## " + _("How the data was read"), "", *(f"- {md_text(_said(line))}" for line in sources), ""]


def _said(line):
    """A line in the reader's language if it is a marked phrase (:class:`~lifecycle_kit.i18n.Message`), else as is."""
    return _(line) if isinstance(line, Message) else line


def histogram_svg(edges, series, *, threshold=None, threshold_label="threshold", width=520, height=220, title="",
                  xlabel=""):
    """Stacked histogram bars over shared bin ``edges``; ``series`` is name -> counts (stacked in order).

    ``threshold`` draws a dashed vertical line at that x (a decision threshold).
    """
    left, right, top, bottom = 44, 150, 26 if title else 10, 34
    legend = max((text_px(name) for name in [*series, threshold_label]), default=0) + 30
    width += max(0, legend - right)
    right = max(right, legend)
    width = max(width, left + text_px(title, 12, bold=True) + 8)
    plot_w, plot_h = width - left - right, height - top - bottom
    edges = [float(e) for e in edges]
    x0, x1 = edges[0], edges[-1]
    span = (x1 - x0) or 1.0
    totals = [sum(float(counts[i]) for counts in series.values()) for i in range(len(edges) - 1)]
    ymax = max(totals, default=0) or 1.0

    def px(v):
        return left + plot_w * (v - x0) / span

    def py(v):
        return top + plot_h * (1 - v / ymax)

    out = [_svg_open(width, height)]
    if title:
        out.append(f"<text x='{left}' y='15' font-size='12' font-weight='bold'>{esc(title)}</text>")
    for k in range(5):
        v = ymax * k / 4
        out.append(f"<line x1='{left}' x2='{left + plot_w}' y1='{py(v):.1f}' y2='{py(v):.1f}' stroke='#e8eaed'/>")
        out.append(f"<text x='{left - 4}' y='{py(v) + 4:.1f}' text-anchor='end' fill='#5f6368'>{_num(f'{v:,.3g}')}</text>")
    base = [0.0] * (len(edges) - 1)
    for i, (name, counts) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        for b in range(len(edges) - 1):
            c = float(counts[b])
            if c > 0:
                y_top, y_bottom = py(base[b] + c), py(base[b])
                out.append(f"<rect x='{px(edges[b]) + 0.5:.1f}' y='{y_top:.1f}' width='{max(px(edges[b + 1]) - px(edges[b]) - 1, 0.5):.1f}' "
                           f"height='{y_bottom - y_top:.1f}' fill='{colour}'><title>{esc(name)}: {c:,.0f}</title></rect>")
            base[b] += c
        ly = top + 12 + 16 * i
        out.append(f"<rect x='{left + plot_w + 8}' y='{ly - 8}' width='10' height='10' fill='{colour}'/>")
        out.append(f"<text x='{left + plot_w + 22}' y='{ly + 1}'>{esc(name)}</text>")
    for k in range(5):
        v = x0 + span * k / 4
        out.append(f"<text x='{px(v):.1f}' y='{top + plot_h + 14}' text-anchor='middle' fill='#5f6368'>{_num(f'{v:.3g}')}</text>")
    if xlabel:
        out.append(f"<text x='{left + plot_w / 2:.1f}' y='{height - 4}' text-anchor='middle'>{esc(xlabel)}</text>")
    if threshold is not None:
        tx = px(min(max(float(threshold), x0), x1))
        out.append(f"<line x1='{tx:.1f}' x2='{tx:.1f}' y1='{top}' y2='{top + plot_h}' stroke='#202124' "
                   "stroke-width='1.5' stroke-dasharray='4 3'/>")
        right_half = tx > left + plot_w / 2
        out.append(f"<text x='{tx - 3 if right_half else tx + 3:.1f}' y='{top + 10}' fill='#202124' "
                   f"text-anchor='{'end' if right_half else 'start'}'>{esc(threshold_label)}</text>")
    out.append("</svg>")

    along = xlabel or _("the horizontal axis")
    total = sum(totals)
    parts = [_("{total} values of {x} from {low} to {high} in {bins} bins", total=_say(total), x=along, low=_say(x0),
               high=_say(x1), bins=len(edges) - 1)]
    parts += [f"{name}: {_say(float(sum(float(c) for c in counts)))}" for name, counts in series.items()]
    if total:
        peak = max(range(len(totals)), key=lambda b: totals[b])
        parts.append(_("most in {low} to {high} ({count})", low=_say(edges[peak]), high=_say(edges[peak + 1]),
                       count=_say(totals[peak])))
    if threshold is not None:
        parts.append(_("dashed line: {label} at {value}", label=threshold_label, value=_say(float(threshold))))
    rows = [[f"{_say(edges[b])} – {_say(edges[b + 1])}"] + [_say(float(counts[b])) for counts in series.values()]
            for b in range(len(edges) - 1)]
    return with_text_alternative("".join(out), title, "; ".join(parts) + ".", ([along, *series], rows))


def xy_chart_svg(series, *, width=300, height=300, xlim=(0.0, 1.0), ylim=(0.0, 1.0), title="", xlabel="", ylabel="",
                 diagonal=False, description=""):
    """Lines through (x, y) points on numeric axes; ``series`` is name -> (xs, ys). ``diagonal`` adds y = x dashed.

    ``description`` opens the chart's text alternative (what the curve means); the
    numbers drawn follow it.
    """
    left, right, top, bottom = 44, 12, 26 if title else 10, 46
    width = max(width, left + text_px(title, 12, bold=True) + 8)
    plot_w, plot_h = width - left - right, height - top - bottom
    (x0, x1), (y0, y1) = xlim, ylim

    def px(v):
        return left + plot_w * (min(max(v, x0), x1) - x0) / ((x1 - x0) or 1.0)

    def py(v):
        return top + plot_h * (1 - (min(max(v, y0), y1) - y0) / ((y1 - y0) or 1.0))

    out = [_svg_open(width, height)]
    if title:
        out.append(f"<text x='{left}' y='15' font-size='12' font-weight='bold'>{esc(title)}</text>")
    out.append(f"<rect x='{left}' y='{top}' width='{plot_w}' height='{plot_h}' fill='none' stroke='#dadce0'/>")
    for k in range(5):
        vx, vy = x0 + (x1 - x0) * k / 4, y0 + (y1 - y0) * k / 4
        out.append(f"<text x='{px(vx):.1f}' y='{top + plot_h + 14}' text-anchor='middle' fill='#5f6368'>{_num(f'{vx:.2g}')}</text>")
        out.append(f"<text x='{left - 4}' y='{py(vy) + 4:.1f}' text-anchor='end' fill='#5f6368'>{_num(f'{vy:.2g}')}</text>")
    if diagonal:
        out.append(f"<line x1='{px(x0):.1f}' y1='{py(y0):.1f}' x2='{px(x1):.1f}' y2='{py(y1):.1f}' stroke='#6b6b6b' "
                   "stroke-dasharray='4 3'/>")
    for i, (name, (xs, ys)) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        points = " ".join(f"{px(float(a)):.1f},{py(float(b)):.1f}" for a, b in zip(xs, ys))
        out.append(f"<polyline fill='none' stroke='{colour}' stroke-width='2' points='{points}'/>")
        # Bottom right: empty for curves above the diagonal, such as ROC curves.
        out.append(f"<rect x='{left + plot_w - 90}' y='{top + plot_h - 20 - 16 * i}' width='10' height='10' fill='{colour}'/>")
        out.append(f"<text x='{left + plot_w - 76}' y='{top + plot_h - 11 - 16 * i}'>{esc(name)}</text>")
    if xlabel:
        out.append(f"<text x='{left + plot_w / 2:.1f}' y='{height - 18}' text-anchor='middle'>{esc(xlabel)}</text>")
    if ylabel:
        out.append(f"<text x='12' y='{top + plot_h / 2:.1f}' text-anchor='middle' "
                   f"transform='rotate(-90 12 {top + plot_h / 2:.1f})'>{esc(ylabel)}</text>")
    out.append("</svg>")

    parts = [description] if description else []
    rows = []
    for name, (xs, ys) in series.items():
        pairs = [(float(a), float(b)) for a, b in zip(xs, ys)]
        if not pairs:
            continue
        sentence = _("{name}: {n} points from ({x0}, {y0}) to ({x1}, {y1})", name=name, n=len(pairs),
                     x0=_say(pairs[0][0]), y0=_say(pairs[0][1]), x1=_say(pairs[-1][0]), y1=_say(pairs[-1][1]))
        if diagonal:
            above = sum(1 for a, b in pairs if b > a)
            sentence += "; " + _("above the dashed diagonal y = x at {above} of them", above=above)
        parts.append(sentence + ".")
        keep = max(1, math.ceil(len(pairs) / 40))  # the table keeps at most about 40 points of a long curve
        rows += [[name, _say(a), _say(b)] for a, b in pairs[::keep]]
    return with_text_alternative("".join(out), title, " ".join(parts),
                       ([_("series"), xlabel or "x", ylabel or "y"], rows))


def roc_curve_svg(fpr, tpr, *, auc, title=None):
    """A ROC curve with the chance diagonal and the AUC in the legend."""
    auc_text = _num(f"{auc:.3f}")
    description = _("ROC curve: area under it (AUC) {auc}; 0.5 is chance (the dashed diagonal), 1 is perfect.",
                    auc=auc_text)
    return xy_chart_svg({f"AUC {auc_text}": (fpr, tpr)}, title=title or _("ROC curve"),
                        xlabel=_("false positive rate"), ylabel=_("true positive rate"), diagonal=True,
                        description=description)


def interval_svg(estimate, low, high, *, reference=0.5, margin=None, xlim=(0.0, 1.0), width=520, label="AUC",
                 passed=None, title=""):
    """A point estimate with its interval on one axis, against a reference line (chance) and an optional margin."""
    left, right, top = 20, 20, 30
    plot_w = width - left - right
    x0, x1 = xlim

    def px(v):
        return left + plot_w * (min(max(float(v), x0), x1) - x0) / ((x1 - x0) or 1.0)

    colour = NEUTRAL_FILL if passed is None else (PASS_FILL if passed else FAIL_FILL)
    y = top + 14
    out = [_svg_open(width, top + 50)]
    out.append(f"<line x1='{left}' x2='{left + plot_w}' y1='{y + 16}' y2='{y + 16}' stroke='#5f6368'/>")
    for k in range(11):
        v = x0 + (x1 - x0) * k / 10
        out.append(f"<text x='{px(v):.1f}' y='{y + 30}' text-anchor='middle' fill='#5f6368'>{_num(f'{v:.2g}')}</text>")
    out.append(f"<line x1='{px(reference):.1f}' x2='{px(reference):.1f}' y1='{top - 6}' y2='{y + 16}' stroke='#202124' "
               "stroke-dasharray='4 3'/>")
    chance = _("chance {value}", value=_num(f"{reference:g}"))
    out.append(f"<text x='{px(reference) + 3:.1f}' y='{top - 10 + 8}' fill='#202124'>{esc(chance)}</text>")
    if margin is not None:
        out.append(f"<line x1='{px(margin):.1f}' x2='{px(margin):.1f}' y1='{top}' y2='{y + 16}' stroke='#6b6b6b'/>")
    out.append(f"<line x1='{px(low):.1f}' x2='{px(high):.1f}' y1='{y}' y2='{y}' stroke='{colour}' stroke-width='6'/>")
    out.append(f"<circle cx='{px(estimate):.1f}' cy='{y}' r='5' fill='#202124'/>")
    between = pgettext("interval", ", ")  # "[0.4, 0.6]"; Russian writes "[0,4; 0,6]"
    mark = "" if passed is None else " " + (PASS_MARK if passed else FAIL_MARK)
    text = f"{label} {_num(f'{estimate:.3f}')} [{_num(f'{low:.3f}')}{between}{_num(f'{high:.3f}')}]{mark}"
    if px(high) + 8 + 6.5 * len(text) <= width:
        out.append(f"<text x='{px(high) + 8:.1f}' y='{y + 4}'>{esc(text)}</text>")
    else:
        out.append(f"<text x='{px(low) - 8:.1f}' y='{y + 4}' text-anchor='end'>{esc(text)}</text>")
    out.append("</svg>")

    description = _("{label}: {estimate}, interval from {low} to {high}; dashed line: {chance}.", label=label,
                    estimate=_num(f"{estimate:.3f}"), low=_num(f"{low:.3f}"), high=_num(f"{high:.3f}"), chance=chance)
    if margin is not None:
        shown_margin = _num(f"{margin:g}")
        clears = (_("the whole interval lies above the margin {margin}", margin=shown_margin) if low > margin
                  else _("the interval reaches below the margin {margin}", margin=shown_margin))
        description += " " + clears + "."
    columns = [_("measure"), _("estimate"), _("interval from"), _("interval to"), _("chance")] \
        + ([_("margin")] if margin is not None else [])
    row = [label, _num(f"{estimate:.3f}"), _num(f"{low:.3f}"), _num(f"{high:.3f}"), _num(f"{reference:g}")]
    if margin is not None:
        row.append(_num(f"{margin:g}"))
    return with_text_alternative("".join(out), title or label, description, (columns, [row]))
