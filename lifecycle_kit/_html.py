"""Self-contained HTML for reports: inline CSS, inline SVG charts, no scripts, no CDN.

A report written with these helpers is one file that opens offline in any browser.
"""

import html
import math

__all__ = ["bar_chart_svg", "page", "table_html"]

_CSS = """
body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px auto;max-width:1100px;color:#202124;line-height:1.4}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #dadce0}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}th,td{border:1px solid #dadce0;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#137333;font-weight:bold}.fail{color:#a50e0e;font-weight:bold}.na{color:#5f6368}
.muted{color:#5f6368;font-size:.9em}.box{border-left:4px solid #1a73e8;padding:4px 10px;background:#f8f9fa}
"""


def esc(value):
    return html.escape(str(value))


def page(title, sections, *, subtitle=""):
    """A whole HTML document: ``sections`` is a list of (heading or None, html body)."""
    parts = [f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{esc(title)}</title>",
             f"<style>{_CSS}</style></head><body>", f"<h1>{esc(title)}</h1>"]
    if subtitle:
        parts.append(f"<p class='muted'>{esc(subtitle)}</p>")
    for heading, body in sections:
        if heading:
            parts.append(f"<h2>{esc(heading)}</h2>")
        parts.append(body)
    parts.append("</body></html>\n")
    return "".join(parts)


def _cell(value):
    if isinstance(value, bool):
        return f"<td class='{'pass' if value else 'fail'}'>{'yes' if value else 'no'}</td>"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "<td class='na'>n/a</td>"
    if isinstance(value, float):
        return f"<td class='num'>{value:.4g}</td>"
    if isinstance(value, int):
        return f"<td class='num'>{value:,}</td>"
    return f"<td>{esc(value)}</td>"


def table_html(frame, *, max_rows=200):
    """A DataFrame as an HTML table (values escaped)."""
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = []
    for record in frame.head(max_rows).itertuples(index=False):
        rows.append("<tr>" + "".join(_cell(v.item() if hasattr(v, "item") else v) for v in record) + "</tr>")
    more = f"<p class='muted'>{len(frame) - max_rows} more rows not shown</p>" if len(frame) > max_rows else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def bar_chart_svg(labels, values, *, thresholds=None, passed=None, colours=None, width=640, bar_height=16, xmax=1.0,
                  title="", value_format="{:.3f}"):
    """Horizontal bars in [0, xmax] with optional threshold ticks; green passed, red failed (or ``colours``)."""
    label_width = 190
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
        out.append(f"<text x='{label_width + plot * v / xmax + 4:.1f}' y='{y + bar_height * 0.7:.1f}'>{value_format.format(shown)}</text>")
        if thresholds is not None and thresholds[i] is not None:
            tx = label_width + plot * min(thresholds[i], xmax) / xmax
            out.append(f"<line x1='{tx:.1f}' x2='{tx:.1f}' y1='{y}' y2='{y + bar_height}' stroke='#202124' stroke-width='2'/>")
    axis_y = top + len(labels) * bar_height + 4
    out.append(f"<line x1='{label_width}' x2='{label_width + plot}' y1='{axis_y}' y2='{axis_y}' stroke='#5f6368'/>")
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        tx = label_width + plot * tick
        label = f"{tick * xmax:,.0f}" if xmax >= 20 else f"{tick * xmax:.2g}"
        out.append(f"<text x='{tx:.1f}' y='{axis_y + 12}' text-anchor='middle' fill='#5f6368'>{label}</text>")
    out.append("</svg>")
    return "".join(out)


def markdown_table(frame, *, floatfmt="{:.4g}"):
    """A DataFrame as a GitHub-flavoured Markdown table (no extra dependency)."""
    def fmt(v):
        if isinstance(v, bool):
            return "yes" if v else "no"
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "n/a"
        if isinstance(v, float):
            return floatfmt.format(v)
        return str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|" + "---|" * len(frame.columns)]
    for record in frame.itertuples(index=False):
        lines.append("| " + " | ".join(fmt(v.item() if hasattr(v, "item") else v) for v in record) + " |")
    return "\n".join(lines)
