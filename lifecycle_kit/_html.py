"""Self-contained HTML for reports: inline CSS, inline SVG charts, no scripts, no CDN.

A report written with these helpers is one file that opens offline in any browser.
"""

import html
import math

from lifecycle_kit.i18n import N_, Message, _, decimal_separator, get_language, ngettext, pgettext

__all__ = ["bar_chart_svg", "heading", "histogram_svg", "interval_svg", "page", "roc_curve_svg", "table_html", "verdict_html",
           "xy_chart_svg"]

_CSS = """
body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px auto;max-width:1100px;color:#202124;line-height:1.4}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #dadce0}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}th,td{border:1px solid #dadce0;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#137333;font-weight:bold}.fail{color:#a50e0e;font-weight:bold}.na{color:#5f6368}
.muted{color:#5f6368;font-size:.9em}.box{border-left:4px solid #1a73e8;padding:4px 10px;background:#f8f9fa}
"""


# Inline styles, so pass/fail colours survive where the page's CSS is absent (a notebook's output).
PASS_STYLE = "color:#137333;font-weight:bold"
FAIL_STYLE = "color:#a50e0e;font-weight:bold"
NA_STYLE = "color:#5f6368"
_TABLE_STYLE = "border-collapse:collapse;margin:.4em 0;font-size:.9em"
_TH_STYLE = "border:1px solid #dadce0;padding:3px 8px;text-align:left;background:#f1f3f4"
_TD_STYLE = "border:1px solid #dadce0;padding:3px 8px;text-align:left;vertical-align:top"
_NUM_STYLE = "border:1px solid #dadce0;padding:3px 8px;text-align:right;font-variant-numeric:tabular-nums"


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
    """A whole HTML document: ``sections`` is a list of (heading or None, html body)."""
    parts = [f"<!DOCTYPE html>\n<html lang='{get_language()}'><head><meta charset='utf-8'><title>{esc(title)}</title>",
             f"<style>{_CSS}</style></head><body>", f"<h1>{esc(title)}</h1>"]
    if subtitle:
        parts.append(f"<p class='muted'>{esc(subtitle)}</p>")
    for heading, body in sections:
        if heading:
            parts.append(f"<h2>{esc(heading)}</h2>")
        parts.append(body)
    parts.append("</body></html>\n")
    return "".join(parts)


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
    head = "".join(f"<th style='{_TH_STYLE}'>{esc(heading(c) if headings else c)}</th>" for c in frame.columns)
    meanings = ["bad" if c in true_is_bad else "neutral" if c in neutral else "good" for c in frame.columns]
    rows = []
    for record in frame.head(max_rows).itertuples(index=False):
        rows.append("<tr>" + "".join(_cell(v.item() if hasattr(v, "item") else v, m)
                                     for v, m in zip(record, meanings)) + "</tr>")
    more = (f"<p class='muted' style='{NA_STYLE}'>" + ngettext("{n} more row not shown", "{n} more rows not shown", len(frame) - max_rows) + "</p>"
            if len(frame) > max_rows else "")
    return f"<table style='{_TABLE_STYLE}'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


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


def bar_chart_svg(labels, values, *, thresholds=None, passed=None, colours=None, width=640, bar_height=16, xmax=1.0,
                  title="", value_format="{:.3f}"):
    """Horizontal bars in [0, xmax] with optional threshold ticks; green passed, red failed (or ``colours``)."""
    # Room for the longest label (about 6.5 px per character at 11 px), so long measure names are not clipped.
    label_width = max(120, min(320, max((text_px(label) for label in labels), default=65) + 12))
    width = max(width, label_width + 250, label_width + text_px(title, 12, bold=True) + 8)
    plot = width - label_width - 50
    top = 24 if title else 10
    height = bar_height * len(labels) + top + 20
    xmax = xmax if xmax and xmax > 0 else 1.0
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' font-size='11' "
           "font-family='DejaVu Sans, sans-serif' role='img'>"]
    if title:
        out.append(f"<text x='{label_width}' y='14' font-size='12' font-weight='bold'>{esc(title)}</text>")
    for i, (label, value) in enumerate(zip(labels, values)):
        y = top + i * bar_height
        ok = None if passed is None else passed[i]
        colour = colours[i] if colours is not None else ("#9aa0a6" if ok is None else ("#34a853" if ok else "#d93025"))
        v = 0.0 if value is None or (isinstance(value, float) and math.isnan(value)) else max(0.0, min(value, xmax))
        out.append(f"<text x='{label_width - 6}' y='{y + bar_height * 0.7:.1f}' text-anchor='end'>{esc(label)}</text>")
        out.append(f"<rect x='{label_width}' y='{y + 2}' width='{plot * v / xmax:.1f}' height='{bar_height - 4}' fill='{colour}'/>")
        shown = v if value is None or (isinstance(value, float) and math.isnan(value)) else value
        out.append(f"<text x='{label_width + plot * v / xmax + 4:.1f}' y='{y + bar_height * 0.7:.1f}'>{_num(value_format.format(shown))}</text>")
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
    return "".join(out)


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


PALETTE = ["#1a73e8", "#d93025", "#188038", "#f9ab00", "#9334e6", "#12b5cb", "#e8710a", "#5f6368"]


def line_chart_svg(x, series, *, width=560, height=260, ylim=(0.0, 1.0), marker_x=None, title="", xlabel="",
                   ylabel="", reference=None, x_format="{:g}"):
    """Lines over a shared x axis (``series``: name -> list of y, NaN gaps allowed), with a legend.

    ``marker_x`` draws a vertical line at the current value of a control;
    ``reference`` is ``(label, y)`` for a dashed horizontal line.
    """
    left, right, top, bottom = 48, 150, 26 if title else 10, 34
    # The legend's longest name and the title fit whatever their language: the plot keeps its width.
    legend = max((text_px(name) for name in series), default=0) + 30
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

    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' font-size='11' "
           "font-family='DejaVu Sans, sans-serif' role='img'>"]
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
        colour = PALETTE[i % len(PALETTE)]
        points = [(px(a), py(b)) for a, b in zip(x, values) if b is not None and not (isinstance(b, float) and math.isnan(b))]
        if len(points) > 1:
            out.append("<polyline fill='none' stroke='{}' stroke-width='2' points='{}'/>".format(
                colour, " ".join(f"{a:.1f},{b:.1f}" for a, b in points)))
        for a, b in points:
            out.append(f"<circle cx='{a:.1f}' cy='{b:.1f}' r='3' fill='{colour}'/>")
        ly = top + 12 + 16 * i
        out.append(f"<rect x='{left + plot_w + 8}' y='{ly - 8}' width='10' height='10' fill='{colour}'/>")
        out.append(f"<text x='{left + plot_w + 22}' y='{ly + 1}'>{esc(name)}</text>")
    out.append("</svg>")
    return "".join(out)


def image_grid_svg(images, *, captions=(), shape=(8, 8), vmax=16.0, cell=6, highlight=None):
    """Small grey-scale images side by side (e.g. 8x8 digits), with captions under them.

    ``highlight`` is a list of pixel indices outlined in red (a trigger patch).
    """
    height, width = shape
    size_w, size_h = width * cell, height * cell
    gap = 14
    total_w = len(images) * (size_w + gap)
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{total_w}' height='{size_h + 30}' font-size='10' "
           "font-family='DejaVu Sans, sans-serif' role='img'>"]
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
                       "stroke='#d93025' stroke-width='1'/>")
        if k < len(captions):
            out.append(f"<text x='{x0 + size_w / 2}' y='{size_h + 14}' text-anchor='middle'>{esc(captions[k])}</text>")
    out.append("</svg>")
    return "".join(out)


def _yes_no(value):
    return _("yes") if value else _("no")


def verdict_html(passed, text, *, title=""):
    """A one-line verdict in green (passed), red (failed) or grey (``passed=None``), styled inline."""
    style = NA_STYLE if passed is None else (PASS_STYLE if passed else FAIL_STYLE)
    border = "#5f6368" if passed is None else ("#137333" if passed else "#a50e0e")
    head = f"<b>{esc(title)}</b> " if title else ""
    return (f"<div style='border-left:4px solid {border};padding:4px 10px;margin:4px 0;background:#f8f9fa'>"
            f"{head}<span style='{style}'>{esc(text)}</span></div>")


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


def items_html(items):
    """A bulleted list of escaped lines; a line marked with ``N_`` is said in the reader's language."""
    return ("<ul style='margin:.2em 0'>" + "".join(f"<li>{esc(_(item) if isinstance(item, Message) else item)}</li>"
                                                   for item in items) + "</ul>")


def _svg_open(width, height):
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' font-size='11' "
            "font-family='DejaVu Sans, sans-serif' role='img'>")


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
    return "".join(out)


def xy_chart_svg(series, *, width=300, height=300, xlim=(0.0, 1.0), ylim=(0.0, 1.0), title="", xlabel="", ylabel="",
                 diagonal=False):
    """Lines through (x, y) points on numeric axes; ``series`` is name -> (xs, ys). ``diagonal`` adds y = x dashed."""
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
        out.append(f"<line x1='{px(x0):.1f}' y1='{py(y0):.1f}' x2='{px(x1):.1f}' y2='{py(y1):.1f}' stroke='#9aa0a6' "
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
    return "".join(out)


def roc_curve_svg(fpr, tpr, *, auc, title="ROC curve"):
    """A ROC curve with the chance diagonal and the AUC in the legend."""
    return xy_chart_svg({f"AUC {auc:.3f}": (fpr, tpr)}, title=title, xlabel="false positive rate",
                        ylabel="true positive rate", diagonal=True)


def interval_svg(estimate, low, high, *, reference=0.5, margin=None, xlim=(0.0, 1.0), width=520, label="AUC",
                 passed=None):
    """A point estimate with its interval on one axis, against a reference line (chance) and an optional margin."""
    left, right, top = 20, 20, 30
    plot_w = width - left - right
    x0, x1 = xlim

    def px(v):
        return left + plot_w * (min(max(float(v), x0), x1) - x0) / ((x1 - x0) or 1.0)

    colour = "#9aa0a6" if passed is None else ("#34a853" if passed else "#d93025")
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
        out.append(f"<line x1='{px(margin):.1f}' x2='{px(margin):.1f}' y1='{top}' y2='{y + 16}' stroke='#9aa0a6'/>")
    out.append(f"<line x1='{px(low):.1f}' x2='{px(high):.1f}' y1='{y}' y2='{y}' stroke='{colour}' stroke-width='6'/>")
    out.append(f"<circle cx='{px(estimate):.1f}' cy='{y}' r='5' fill='#202124'/>")
    between = pgettext("interval", ", ")  # "[0.4, 0.6]"; Russian writes "[0,4; 0,6]"
    text = f"{label} {_num(f'{estimate:.3f}')} [{_num(f'{low:.3f}')}{between}{_num(f'{high:.3f}')}]"
    if px(high) + 8 + 6.5 * len(text) <= width:
        out.append(f"<text x='{px(high) + 8:.1f}' y='{y + 4}'>{esc(text)}</text>")
    else:
        out.append(f"<text x='{px(low) - 8:.1f}' y='{y + 4}' text-anchor='end'>{esc(text)}</text>")
    out.append("</svg>")
    return "".join(out)
