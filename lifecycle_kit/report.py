"""The lifecycle report: results from any stage, collected into one self-contained HTML file and Markdown.

Add sections in life-cycle order; each section holds a result object the kit
produces — a quality report, specification violations, a poisoning
evaluation, a drift report, a manifest verification, a datasheet, a lineage
record — or a plain DataFrame or text. The HTML has inline CSS and SVG only:
no scripts, nothing fetched, so it opens offline and can be archived (and
signed) with the data.

Examples
--------
>>> import pandas as pd
>>> from lifecycle_kit.quality import assess
>>> report = LifecycleReport("Penguin platform")
>>> report.add("Data preparation", assess(pd.DataFrame({"x": [1, 2, None]})), note="raw survey")
>>> html = report.to_html()
>>> "<script" in html, "Data preparation" in html
(False, True)

The conclusions are the learner's (or the team's) own words, closing the
report; they are escaped, so the text shows as written in both formats:

>>> report.conclude("Drop the <survey> labels: *40%* contradict the other agencies.")
>>> "&lt;survey&gt;" in report.to_html(), "<survey>" in report.to_html()
(True, False)
>>> print(report.to_markdown().splitlines()[-1])
Drop the &lt;survey&gt; labels: \\*40%\\* contradict the other agencies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import pandas as pd

from lifecycle_kit import _html
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _, ngettext
from lifecycle_kit.results import ResultMixin, jsonable

if TYPE_CHECKING:
    import os

    from lifecycle_kit.course.stages import Stage

__all__ = ["LifecycleReport", "build_report_from_files"]

#: Key of ``DataFrame.attrs`` marking a table the kit made: its column names are said in the reader's language.
KIT_TABLE = "lifecycle_kit_table"

#: Shown in place of conclusions that were left empty: a report must not look concluded when it is not.
NO_CONCLUSIONS = N_("The conclusions have not been written yet.")


@dataclass
class _Section:
    stage: str
    title: str
    content: Any
    note: str
    number: int | None = None  # the life-cycle stage's number, when the heading is a stage


def _stage_heading(section):
    """The section's stage as a reader sees it: "6. Building a model", numbered and in the reader's language."""
    if section.number is None:
        return _(section.stage)
    from lifecycle_kit.course.stages import get_stage

    stage = get_stage(section.number)
    if stage.is_capstone:
        return _("Capstone: {name}", name=_(stage.name))
    return _("{number}. {name}", number=str(stage.number), name=_(stage.name))


def _demote(markdown, levels=2):
    """Headings of an embedded Markdown document moved below the report's own section headings."""
    return "\n".join("#" * levels + line if line.startswith("#") else line for line in markdown.splitlines())


def _paragraphs(text):
    """Paragraphs of a text: blocks separated by blank lines, each with its lines stripped."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return ["\n".join(line.strip() for line in block.splitlines()) for block in blocks if block.strip()]


def _markdown_escape(text):
    """Text shown as written in Markdown: no raw HTML, no emphasis, links, code, tables or headings of its own."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]|])", r"\\\1", text)
    lines = []
    for line in text.splitlines():
        # Characters that start a block only at the beginning of a line: a heading, a list item, a numbered item.
        line = re.sub(r"^(\s*)([#+-])", r"\1\\\2", line)
        line = re.sub(r"^(\s*\d+)([.)])", r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


def _shown_table(frame):
    """(HTML, Markdown) of a table: the kit's columns and values said in the reader's language, numbers with its
    separators (lifecycle_kit.display); a user's own columns keep their names."""
    from lifecycle_kit.display import Table

    table = Table(frame, index=False)
    return table._repr_html_(), _html.markdown_table(table.to_frame())


def _describe(content):
    """(HTML, Markdown) of one result object."""
    from lifecycle_kit.drift.compare import DriftReport
    from lifecycle_kit.integrity.manifest import Verification
    from lifecycle_kit.provenance import Datasheet, Lineage
    from lifecycle_kit.quality.assessment import QualityReport
    from lifecycle_kit.quality.spec import Violation

    if isinstance(content, QualityReport):
        from lifecycle_kit.quality.measures import MEASURE_ID_NOTE, _shown_label, _shown_names

        # Names in the reader's language for display; content.summary() itself stays English.
        frame = _shown_names(content.summary()[["measure_id", "characteristic", "measure", "value", "threshold", "passed",
                                                "detail"]])
        verdict = (_("all measures pass") if content.passed else
                   ngettext("{n} measure below its threshold", "{n} measures below their thresholds", len(content.failed)))
        head = _("{rows:,} rows × {columns} columns; {verdict}.", rows=content.rows, columns=content.columns,
                 verdict=verdict) + " " + _(MEASURE_ID_NOTE)
        chart = _html.bar_chart_svg([_shown_label(m) for m in frame["measure_id"]],
                                    list(frame["value"]), thresholds=list(frame["threshold"]),
                                    passed=list(frame["passed"]))
        return (f"<p>{_html.esc(head)}</p>" + chart + _html.table_html(frame, headings=True),
                f"{_html.md_text(head)}\n\n{_html.markdown_table(frame, headings=True)}")
    if isinstance(content, DriftReport):
        frame = content.to_frame(details=True)[["column", "test", "statistic", "p_value", "drifted", "explanation"]]
        return (f"<p>{_html.esc(content.summary())}</p>" + _html.table_html(frame, true_is_bad=("drifted",),
                                                                             headings=True),
                f"{_html.md_text(content.summary())}\n\n{_html.markdown_table(frame, headings=True)}")
    if isinstance(content, Verification):
        text = content.summary()
        return _html.verdict_html(content.ok, text), _html.md_text(text)
    if isinstance(content, Datasheet):
        from lifecycle_kit.provenance import DATASHEET_SECTIONS

        scores = pd.DataFrame({_("section"): [_(DATASHEET_SECTIONS.get(k, k)) for k in content.completeness()],
                               _("documented"): [f"{v:.0%}" for v in content.completeness().values()]})
        return ("<p>" + _("Datasheet") + f" <b>{_html.esc(content.name)}</b></p>" + _html.table_html(scores),
                _demote(content.to_markdown()))
    if isinstance(content, Lineage):
        activities = pd.DataFrame([{"activity": a["name"], "parameters": ", ".join(f"{k}={v}" for k, v in a["parameters"].items()),
                                    "ended": a["ended"]} for a in content.activities])
        return _html.table_html(activities), _demote(content.to_markdown())
    if isinstance(content, list) and all(isinstance(v, Violation) for v in content):
        if not content:
            text = _("No violation of the specification.")
            return _html.verdict_html(True, text), text
        frame = pd.DataFrame([{"column": v.column, "rule": v.rule, "count": v.count, "message": v.message}
                              for v in content])
        return _shown_table(frame)
    if hasattr(content, "to_frame") and callable(content.to_frame):
        return _shown_table(content.to_frame())
    if isinstance(content, pd.DataFrame):
        return _shown_table(content)
    if isinstance(content, pd.Series):
        return _shown_table(content.reset_index())
    if isinstance(content, str):
        return f"<p>{_html.esc(content)}</p>", _html.md_text(content)
    if isinstance(content, dict):
        frame = pd.DataFrame({"item": list(content), "value": [str(v) for v in content.values()]})
        return _html.table_html(frame), _html.markdown_table(frame)
    raise LifecycleKitError(f"the lifecycle report cannot show a {type(content).__name__}; pass a DataFrame or text")


def _describe_text(content):
    """Plain text of one result object, for a terminal (the same figures as :func:`_describe`)."""
    from lifecycle_kit.drift.compare import DriftReport
    from lifecycle_kit.provenance import Datasheet
    from lifecycle_kit.quality.assessment import QualityReport

    if isinstance(content, QualityReport):
        from lifecycle_kit.quality.measures import _shown_names

        frame = _shown_names(content.summary()[["measure_id", "measure", "value", "threshold", "passed", "detail"]])
        verdict = (_("all measures pass") if content.passed else
                   ngettext("{n} measure below its threshold", "{n} measures below their thresholds", len(content.failed)))
        head = _("{rows:,} rows × {columns} columns; {verdict}.", rows=content.rows, columns=content.columns,
                 verdict=verdict)
        return head + "\n" + _html.text_table(frame, headings=True, floatfmt="{:.3f}")
    if isinstance(content, DriftReport):
        frame = content.to_frame(details=True)[["column", "test", "statistic", "p_value", "drifted", "explanation"]]
        return content.summary() + "\n" + _html.text_table(frame, headings=True, max_colwidth=70)
    if isinstance(content, Datasheet):
        from lifecycle_kit.provenance import DATASHEET_SECTIONS

        scores = pd.DataFrame({_("section"): [_(DATASHEET_SECTIONS.get(k, k)) for k in content.completeness()],
                               _("documented"): [f"{v:.0%}" for v in content.completeness().values()]})
        return _("Datasheet") + f" {content.name}\n" + _html.text_table(scores)
    if isinstance(content, list):  # specification violations
        if not content:
            return _("No violation of the specification.")
        frame = pd.DataFrame([{"column": v.column, "rule": v.rule, "count": v.count, "message": v.message}
                              for v in content])
        return _html.text_table(frame, headings=True)
    if isinstance(content, pd.DataFrame):
        kit = bool(content.attrs.get(KIT_TABLE))  # the kit's own sentences (notes) are shown whole
        return _html.text_table(content, headings=kit, max_colwidth=400 if kit else 90)
    if isinstance(content, str):
        return content
    if hasattr(content, "summary") and callable(content.summary):
        return str(content.summary())
    if hasattr(content, "to_frame") and callable(content.to_frame):
        return _html.text_table(content.to_frame())
    if isinstance(content, pd.Series):
        return _html.text_table(content.reset_index())
    return _html.text_table(pd.DataFrame({"item": list(content), "value": [str(v) for v in content.values()]}))


def _content_dict(content):
    """(kind, JSON-able body) of one section's content."""
    from lifecycle_kit.provenance import Datasheet, Lineage
    from lifecycle_kit.quality.spec import Violation

    if isinstance(content, ResultMixin):
        return content._result_kind, content.to_dict()
    if isinstance(content, Datasheet):
        import json

        return "datasheet", json.loads(content.to_json())
    if isinstance(content, Lineage):
        return "lineage", jsonable(content.to_dict())
    if isinstance(content, list) and all(isinstance(v, Violation) for v in content):
        return "violations", [{"column": str(v.column), "rule": v.rule, "count": v.count, "message": v.message}
                              for v in content]
    if isinstance(content, str):
        return "text", content
    if isinstance(content, pd.Series):
        return "table", jsonable(content.reset_index())
    if hasattr(content, "to_frame") and callable(content.to_frame):
        return "table", jsonable(content.to_frame())
    if isinstance(content, pd.DataFrame):
        return "table", jsonable(content)
    return "mapping", jsonable({str(k): str(v) for k, v in content.items()})


@dataclass
class LifecycleReport(ResultMixin):
    """A report of the data's life cycle, section by section.

    Parameters
    ----------
    title : str
    created : str, default=None
        ISO time of the report (now, when not given).
    """

    title: str
    created: str | None = None
    sections: list[_Section] = field(default_factory=list)
    conclusions: str | None = None
    conclusions_author: str | None = None

    def add(self, stage: int | str | Stage, content: Any, *, title: str | None = None, note: str = "") -> None:
        """Add a result under a life-cycle stage (a stage's number, key or name, or any other heading).

        A stage is shown numbered and by its name in the reader's language ("6. Building a model"); add
        sections in life-cycle order, since the report keeps the order they were added in.
        """
        from lifecycle_kit.course.stages import get_stage

        try:
            found = get_stage(stage)
            label, number = found.label, found.number
        except LifecycleKitError:
            label, number = str(stage), None
        _describe(content)  # fail now, not when rendering, if the object cannot be shown
        self.sections.append(_Section(label, title or "", content, note, number))

    def written(self, path: str | os.PathLike[str]) -> str:
        """One line about the HTML file written to ``path``: sections, size, scripts and external links it holds."""
        from pathlib import Path

        document = Path(path).read_text(encoding="utf-8")
        return _("{path}: {sections} sections, {size:.0f} KB, scripts: {scripts}, external links: {links}",
                 path=str(path), sections=len(self.sections), size=Path(path).stat().st_size / 1024,
                 scripts=document.count("<script"), links=document.count("http://") + document.count("https://"))

    def conclude(self, text: str, *, author: str | None = None) -> None:
        """Close the report with conclusions written by a person: plain text, paragraphs separated by blank lines.

        The text is escaped in both formats (markup in it is shown, never interpreted). Empty text is kept
        as :data:`NO_CONCLUSIONS`, so an unfinished report says so.

        Parameters
        ----------
        text : str
        author : str, default=None
            Who wrote them (shown under the heading).
        """
        if not isinstance(text, str):
            raise LifecycleKitError(f"conclusions must be text (a str); got {type(text).__name__}")
        if author is not None and not isinstance(author, str):
            raise LifecycleKitError(f"author must be text (a str); got {type(author).__name__}")
        self.conclusions = text
        self.conclusions_author = author

    def _conclusion_parts(self):
        """(paragraphs, written?) of the conclusions, or None when conclude() was never called."""
        if self.conclusions is None:
            return None
        paragraphs = _paragraphs(self.conclusions)
        return (paragraphs, True) if paragraphs else ([NO_CONCLUSIONS], False)

    def _created(self):
        return self.created or datetime.now(timezone.utc).isoformat(timespec="seconds")

    _result_kind = "lifecycle_report"

    def _payload(self):
        sections = []
        for section in self.sections:
            kind, body = _content_dict(section.content)
            sections.append({"stage": section.stage, "title": section.title, "note": section.note,
                             "content_kind": kind, "content": body})
        return {"title": self.title, "created": self._created(), "sections": sections}

    def _repr_html_(self):
        parts = [f"<h3 style='margin:.3em 0'>{_html.esc(_(self.title))}</h3>"]
        for section in self.sections:
            body, _markdown = _describe(section.content)
            heading = _stage_heading(section) + (f" — {_(section.title)}" if section.title else "")
            note = f"<p style='{_html.NA_STYLE}'>{_html.esc(_(section.note))}</p>" if section.note else ""
            parts.append(f"<h4 style='margin:.8em 0 .2em'>{_html.esc(heading)}</h4>{note}{body}")
        return "".join(parts)

    def to_html(self, path: str | os.PathLike[str] | None = None) -> str:
        """One self-contained HTML file; written to ``path`` if given."""
        parts = []
        for section in self.sections:
            body, _markdown = _describe(section.content)
            heading = _stage_heading(section) + (f" — {_(section.title)}" if section.title else "")
            note = f"<p class='muted'>{_html.esc(_(section.note))}</p>" if section.note else ""
            parts.append((heading, note + body))
        concluded = self._conclusion_parts()
        if concluded is not None:
            paragraphs, written = concluded
            author = self.conclusions_author
            by = ("<p class='muted'>" + _("Written by {author}", author=_html.esc(author)) + "</p>") if author else ""
            css = "" if written else " class='fail'"
            parts.append((_("Conclusions"), by + "".join(
                f"<p{css}>" + _html.esc(_(p) if not written else p).replace("\n", "<br>") + "</p>" for p in paragraphs)))
        contents = "<ol>" + "".join(f"<li>{_html.esc(h)}</li>" for h, _body in parts) + "</ol>"
        document = _html.page(_(self.title), [(_("Contents"), contents), *parts],
                              subtitle=_("Lifecycle report, {created} — Lifecycle Kit (ISO/IEC 8183 data life cycle)",
                                         created=self._created()))
        if path is not None:
            from lifecycle_kit._fs import replace_text

            replace_text(path, document)  # a link at ``path`` is replaced, never written through
        return document

    def to_text(self) -> str:
        """The report as plain text for a terminal: the same sections and figures as :meth:`to_html`."""
        title = _(self.title)
        lines = [title, "=" * len(title), _("Lifecycle report, {created}.", created=self._created()), ""]
        for section in self.sections:
            heading = _stage_heading(section) + (f" — {_(section.title)}" if section.title else "")
            lines += [heading, "-" * len(heading)]
            if section.note:
                lines.append(_(section.note))
            lines += [_describe_text(section.content), ""]
        concluded = self._conclusion_parts()
        if concluded is not None:
            paragraphs, written = concluded
            lines += [_("Conclusions"), "-" * len(_("Conclusions"))]
            if self.conclusions_author:
                lines.append(_("Written by {author}", author=self.conclusions_author))
            lines += [(p if written else _(p)) + "\n" for p in paragraphs]
        return "\n".join(lines).rstrip("\n") + "\n"

    def to_markdown(self, path: str | os.PathLike[str] | None = None) -> str:
        lines = [f"# {_html.md_text(_(self.title))}", "", _("Lifecycle report, {created}.", created=self._created()), ""]
        for section in self.sections:
            _html_body, body = _describe(section.content)
            lines += [f"## {_html.md_text(_stage_heading(section))}"
                      + (f" — {_html.md_text(_(section.title))}" if section.title else ""), ""]
            if section.note:
                lines += [f"_{_html.md_text(_(section.note))}_", ""]
            lines += [body, ""]
        concluded = self._conclusion_parts()
        if concluded is not None:
            paragraphs, written = concluded
            author = self.conclusions_author
            lines += ["## " + _("Conclusions"), ""]
            if author:
                lines += ["_" + _("Written by {author}", author=_markdown_escape(author)) + "_", ""]
            for paragraph in paragraphs:
                # Two trailing spaces keep the learner's line breaks inside a paragraph.
                lines += [_markdown_escape(paragraph).replace("\n", "  \n") if written else f"**{_(paragraph)}**", ""]
        text = "\n".join(lines).rstrip("\n") + "\n" if concluded is not None else "\n".join(lines)
        if path is not None:
            from lifecycle_kit._fs import replace_text

            replace_text(path, text)
        return text


def build_report_from_files(data_path: str | os.PathLike[str], *, target: str | None = None,
                            reference_path: str | os.PathLike[str] | None = None,
                            spec_path: str | os.PathLike[str] | None = None,
                            manifest_folder: str | os.PathLike[str] | None = None,
                            manifest_path: str | os.PathLike[str] | None = None,
                            title: str | None = None, read: Mapping[str, str | None] | None = None) -> LifecycleReport:
    """What ``lifecycle-kit report`` assembles from files: how they were read, quality, spec, drift, integrity,
    datasheet.

    ``read``: options of :func:`lifecycle_kit.tables.read_tables` (``encoding``, ``delimiter``, ``decimal``,
    ``thousands``, ``sheet``) for the data and the reference, which are read together. A target found in the
    reference is specified as the target, not as a feature the data lacks.
    """
    from lifecycle_kit.drift import compare
    from lifecycle_kit.provenance import Datasheet
    from lifecycle_kit.quality import DataSpec, assess, infer_spec
    from lifecycle_kit.tables import read_tables

    paths = [data_path] + ([reference_path] if reference_path else [])
    tables = read_tables(paths, **{k: v for k, v in (read or {}).items() if v is not None})
    data = tables[0].frame
    if target is not None and target not in data.columns:
        raise LifecycleKitError(_("target {target!r} is not a column of {path}", target=target, path=str(data_path)))
    reference = tables[1].frame if reference_path else None
    if spec_path:
        spec = DataSpec.load(spec_path)
    elif reference is not None:
        spec = infer_spec(reference, target=target if target in reference.columns else None)
    else:
        spec = None
    report = LifecycleReport(title or _("Lifecycle report: {path}", path=str(data_path)))
    report.add(N_("Data acquisition"), _reading_table(tables), title=N_("how the files were read"))
    if manifest_folder is not None or manifest_path is not None:
        if manifest_folder is None or manifest_path is None:
            raise LifecycleKitError(_("integrity needs both --manifest-dir and --manifest"))
        from lifecycle_kit.integrity import Manifest, verify_manifest

        report.add(N_("Data acquisition"), verify_manifest(manifest_folder, Manifest.load(manifest_path)),
                   title=N_("integrity of the acquired files"), note=_("{folder} against {manifest}", folder=str(manifest_folder), manifest=str(manifest_path)))
    if spec is not None:
        features = data.drop(columns=[target]) if target and target in data.columns and target not in spec.columns else data
        report.add(N_("Business requirements"), spec.validate(features), title=N_("specification check"))
    ref_features = reference
    if reference is not None and target is not None and target in reference.columns:
        ref_features = reference.drop(columns=[target])
    report.add(N_("Data preparation"), assess(data, target=target, spec=spec, reference=ref_features),
               title=N_("quality measures (modelled on ISO/IEC 5259-2)"))
    if reference is not None:
        shared = [c for c in reference.columns if c in data.columns]
        report.add(N_("System operation"), compare(reference[shared], data[shared]), title=N_("drift against the reference"))
    report.add(N_("Data decommissioning"), Datasheet.from_frame(data, name=str(data_path), target=target),
               title=N_("datasheet (composition filled from the data)"))
    return report


def _reading_table(tables):
    """One row per file: how it was read and what was noticed (a table the kit made: headings translated)."""
    frame = pd.DataFrame({"file": [t.path for t in tables], "read as": [t.describe() for t in tables],
                          "notes": ["; ".join(_(n) for n in t.notes) for t in tables]})
    frame.attrs[KIT_TABLE] = True
    return frame
