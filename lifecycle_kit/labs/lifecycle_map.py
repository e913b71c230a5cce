"""LifecycleMap: the ten stages of ISO/IEC 8183 as a clickable map."""

from __future__ import annotations

import html
import math
from typing import Any

from lifecycle_kit.labs.base import Lab
from lifecycle_kit.stages import PAPER, get_stage, list_stages

__all__ = ["LifecycleMap", "map_svg"]


def map_svg(selected_number, *, size=360):
    """The ten stages on a ring, the selected one highlighted (an SVG string)."""
    stages = list_stages(include_capstone=False)
    centre, radius, r_node = size / 2, size / 2 - 42, 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" role="img" '
             f'aria-label="data life cycle map" font-family="DejaVu Sans, sans-serif">']
    parts.append(f'<circle cx="{centre}" cy="{centre}" r="{radius}" fill="none" stroke="#c0c4c8" stroke-width="2"/>')
    parts.append(f'<text x="{centre}" y="{centre - 6}" text-anchor="middle" font-size="13" fill="#3c4043">ISO/IEC 8183</text>')
    parts.append(f'<text x="{centre}" y="{centre + 12}" text-anchor="middle" font-size="11" fill="#5f6368">data life cycle</text>')
    for i, stage in enumerate(stages):
        angle = -math.pi / 2 + 2 * math.pi * i / len(stages)
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        chosen = stage.number == selected_number
        fill, stroke = ("#1a73e8", "#0b4fb3") if chosen else ("#ffffff", "#80868b")
        colour = "#ffffff" if chosen else "#202124"
        parts.append(f'<g class="lk-map-node{" lk-map-selected" if chosen else ""}">'
                     f"<title>{html.escape(stage.label)}</title>"
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r_node}" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'
                     f'<text x="{x:.1f}" y="{y + 5:.1f}" text-anchor="middle" font-size="15" '
                     f'font-weight="bold" fill="{colour}">{stage.number}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _details_html(stage):
    def items(values):
        return "".join(f"<li>{html.escape(v)}</li>" for v in values)

    return (
        f'<div class="lk-stage-details"><h4 style="margin:4px 0">{html.escape(stage.label)}</h4>'
        f"<p><i>{html.escape(stage.summary)}</i></p>"
        f"<b>What to do here</b> (after Zatsarinny and Gavrilov)<ul>{items(stage.practice)}</ul>"
        f"<b>What goes wrong when it is skipped</b><ul>{items(stage.risks)}</ul>"
        f"<b>Threat catalogues</b><ul>{items(stage.threats)}</ul>"
        f"<b>Standards and reading</b><ul><li>{html.escape(stage.iso_reference)}</li>"
        f"<li>{html.escape(stage.gost_reference)}</li>{items(stage.standards)}<li>{html.escape(PAPER)}</li></ul>"
        f"<b>Notebook:</b> <code>{html.escape(stage.notebook)}</code>"
        f" — {html.escape(stage.you_will_see)}</div>"
    )


class LifecycleMap(Lab):
    """The data life cycle as an interactive map.

    Pick a stage: the map highlights it and the panel shows what the standard
    covers there, the practice the course asks for, the risks, the threat
    catalogue entries, and the notebook to open.

    Parameters
    ----------
    stage : int, default=1
        The stage selected at start (1-10, or 11 for the capstone).

    Examples
    --------
    >>> lab = LifecycleMap(stage=4)
    >>> lab.result["stage"].name
    'Data acquisition'
    >>> lab.controls["stage"].value = 9
    >>> lab.result["notebook"]
    '09_data_decommissioning.ipynb'
    """

    title = "The data life cycle (ISO/IEC 8183)"
    intro = "Pick a stage to see what it asks for, what goes wrong without it, and where to learn it."

    def __init__(self, *, stage: int = 1) -> None:
        self._initial = get_stage(stage).number
        super().__init__()

    def _make_controls(self):
        import ipywidgets as widgets

        stages = list_stages()
        options = [(str(s.number) if not s.is_capstone else "C", s.number) for s in stages]
        control = widgets.ToggleButtons(
            options=options,
            value=self._initial,
            description="Stage",
            tooltips=[s.label for s in stages],
            style={"button_width": "44px"},
        )
        return {"stage": control}

    def compute(self, stage: int) -> dict[str, Any]:
        chosen = get_stage(stage)
        return {
            "stage": chosen,
            "notebook": chosen.notebook,
            "risks": list(chosen.risks),
            "practice": list(chosen.practice),
            "references": [chosen.iso_reference, chosen.gost_reference, *chosen.standards, PAPER],
            "map_svg": map_svg(chosen.number),
            "details_html": _details_html(chosen),
        }

    def summarize(self, result: dict[str, Any]) -> str:
        stage = result["stage"]
        return f"<b>{html.escape(stage.label)}</b> — open <code>{html.escape(stage.notebook)}</code>"

    def render(self, result: dict[str, Any]) -> list[Any]:
        return [
            '<div style="display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start">'
            f'<div>{result["map_svg"]}</div><div style="flex:1;min-width:280px">{result["details_html"]}</div></div>'
        ]
