"""LifecycleMap: the ten stages of ISO/IEC 8183 as a clickable map."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

from lifecycle_kit.course.citations import paper_citation
from lifecycle_kit.course.stages import ISO, SAFETY_SHORT, get_stage, list_stages
from lifecycle_kit.i18n import N_, _
from lifecycle_kit.labs.base import Lab

if TYPE_CHECKING:
    from lifecycle_kit.course.stages import Stage

__all__ = ["LifecycleMap", "map_svg", "stage_label"]

# The stage names of lifecycle_kit.course.stages, marked for the catalog (in Russian: the names of GOST R 70889-2023);
# tests/test_labs_i18n.py checks that every stage's name is here.
STAGE_NAMES = (N_("Idea conception"), N_("Business requirements"), N_("Data planning"), N_("Data acquisition"),
               N_("Data preparation"), N_("Building a model"), N_("System deployment"), N_("System operation"),
               N_("Data decommissioning"), N_("System decommissioning"), N_("Many sources, one system"))


def stage_label(stage: Stage, lang: str | None = None) -> str:
    """The stage's label in the current language (or ``lang``): "4. Data acquisition", "Capstone: ...".

    >>> from lifecycle_kit.course.stages import get_stage
    >>> stage_label(get_stage(4)), stage_label(get_stage(4), lang="ru")
    ('4. Data acquisition', '4. Комплектование наборов данных')
    """
    name = _(stage.name, lang=lang)
    if stage.is_capstone:
        return _("Capstone: {name}", name=name, lang=lang)
    return _("{number}. {name}", number=str(stage.number), name=name, lang=lang)


def map_svg(selected_number, *, size=360):
    """The ten stages on a ring, the selected one highlighted (an SVG string with its text alternative).

    >>> "Selected (highlighted): 4. Data acquisition." in map_svg(4)
    True
    """
    from lifecycle_kit._html import with_text_alternative

    stages = list_stages(include_capstone=False)
    centre, radius, r_node = size / 2, size / 2 - 42, 30
    caption = html.escape(_("data life cycle"))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" role="img" '
             f'font-family="DejaVu Sans, sans-serif" style="background:#ffffff">']
    parts.append(f'<circle cx="{centre}" cy="{centre}" r="{radius}" fill="none" stroke="#c0c4c8" stroke-width="2"/>')
    parts.append(f'<text x="{centre}" y="{centre - 6}" text-anchor="middle" font-size="13" fill="#3c4043">ISO/IEC 8183</text>')
    parts.append(f'<text x="{centre}" y="{centre + 12}" text-anchor="middle" font-size="11" fill="#5f6368">{caption}</text>')
    for i, stage in enumerate(stages):
        angle = -math.pi / 2 + 2 * math.pi * i / len(stages)
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        chosen = stage.number == selected_number
        fill, stroke = ("#1a73e8", "#0b4fb3") if chosen else ("#ffffff", "#80868b")
        colour = "#ffffff" if chosen else "#202124"
        parts.append(f'<g class="lk-map-node{" lk-map-selected" if chosen else ""}">'
                     f"<title>{html.escape(stage_label(stage))}</title>"
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r_node}" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'
                     f'<text x="{x:.1f}" y="{y + 5:.1f}" text-anchor="middle" font-size="15" '
                     f'font-weight="bold" fill="{colour}">{stage.number}</text></g>')
    parts.append("</svg>")
    names = [stage_label(s) for s in stages]
    chosen = [stage_label(s) for s in stages if s.number == selected_number]
    description = _("The {n} stages of ISO/IEC 8183 on a ring, in order: {stages}.", n=len(stages),
                    stages="; ".join(names))
    if chosen:
        description += " " + _("Selected (highlighted): {stage}.", stage=chosen[0])
    rows = [[str(s.number), _(s.name), _("yes") if s.number == selected_number else ""] for s in stages]
    return with_text_alternative("".join(parts), _("data life cycle map"), description,
                                 ([_("stage"), _("name"), _("selected")], rows))


def iso_reference(stage: Stage) -> str:
    """:attr:`Stage.iso_reference` in the current language."""
    if stage.is_capstone:
        return _("{iso}, all stages", iso=_(ISO))
    return _("{iso}, stage {number} of 10: {name}", iso=_(ISO), number=str(stage.number), name=_(stage.name))


def gost_reference(stage: Stage) -> str:
    """:attr:`Stage.gost_reference` in the current language; it says the adoption is a modified one."""
    if stage.is_capstone:
        return _("GOST R 70889-2023, all stages")
    return _("GOST R 70889-2023, the Russian adoption (modified) of ISO/IEC 8183:2023, stage {number}",
             number=str(stage.number))


def _details_html(stage):
    # The stage's own texts come from lifecycle_kit.course.stages; _() shows them in the catalog's language where they
    # have a translation. Catalogue identifiers and the titles of papers stay as written.
    def items(values):
        return "".join(f"<li>{html.escape(_(v))}</li>" for v in values)

    def said_items(values):  # catalogue entries and reading: identifiers and titles kept, the rest said
        from lifecycle_kit.course.stages import said

        return "".join(f"<li>{html.escape(said(v))}</li>" for v in values)

    def practices():
        # Each practice with the parts of comprehensive safety it serves (the paper's three; the mapping is ours).
        return "".join(f"<li>{html.escape(_(text))} <span style='color:#5f6368'>— "
                       f"{html.escape(', '.join(_(SAFETY_SHORT[p]) for p in parts))}</span></li>"
                       for text, parts in zip(stage.practice, stage.safety))

    heads = {"do": _("What to do here"), "after": _("after Zatsarinny and Gavrilov"),
             "serves": _("— which part of comprehensive safety (technical, functional, system) each practice "
                         "serves; the three parts are the paper's, which practice serves which is the course's "
                         "reading"),
             "skipped": _("What goes wrong when it is skipped"), "threats": _("Threat catalogues"),
             "reading": _("Standards and reading"), "notebook": _("Notebook:")}
    return (
        f'<div class="lk-stage-details"><h4 style="margin:4px 0">{html.escape(stage_label(stage))}</h4>'
        f"<p><i>{html.escape(_(stage.summary))}</i></p>"
        f"<b>{heads['do']}</b> ({heads['after']})<ul>{practices()}</ul>"
        f"<p style='color:#5f6368;margin:0 0 .5em'>{html.escape(heads['serves'])}</p>"
        f"<b>{heads['skipped']}</b><ul>{items(stage.risks)}</ul>"
        f"<b>{heads['threats']}</b><ul>{said_items(stage.threats)}</ul>"
        f"<b>{heads['reading']}</b><ul><li>{html.escape(iso_reference(stage))}</li>"
        f"<li>{html.escape(gost_reference(stage))}</li>{said_items(stage.standards)}"
        f"<li>{html.escape(paper_citation())}</li></ul>"
        f"<b>{heads['notebook']}</b> <code>{html.escape(stage.notebook)}</code>"
        f" — {html.escape(_(stage.you_will_see))}</div>"
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

    title = N_("The data life cycle (ISO/IEC 8183)")
    intro = N_("Pick a stage to see what it asks for, what goes wrong without it, and where to learn it.")

    def __init__(self, *, stage: int = 1, lang: str | None = None) -> None:
        self._initial = get_stage(stage).number
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        stages = list_stages()
        # Translators: the button of the capstone on the lifecycle map (one letter).
        options = [(str(s.number) if not s.is_capstone else _("C"), s.number) for s in stages]
        control = widgets.ToggleButtons(
            options=options,
            value=self._initial,
            description=_("Stage"),
            tooltips=[stage_label(s) for s in stages],
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
            "safety": dict(zip(chosen.practice, chosen.safety)),
            "references": [chosen.iso_reference, chosen.gost_reference, *chosen.standards, paper_citation()],
            "map_svg": map_svg(chosen.number),
            "details_html": _details_html(chosen),
        }

    def summarize(self, result: dict[str, Any]) -> str:
        stage = result["stage"]
        notebook = "<code>" + html.escape(stage.notebook) + "</code>"
        return f"<b>{html.escape(stage_label(stage))}</b> — " + _("open {notebook}", notebook=notebook)

    def render(self, result: dict[str, Any]) -> list[Any]:
        return [
            '<div style="display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start">'
            f'<div>{result["map_svg"]}</div><div style="flex:1;min-width:280px">{result["details_html"]}</div></div>'
        ]
