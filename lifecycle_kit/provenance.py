"""Provenance: where data came from and what was done to it (lineage), and what it is (datasheet).

- :class:`Lineage` records, in the spirit of W3C PROV, *entities* (data, each
  with its SHA-256), *activities* (transformations, with parameters, time, and
  which entities they used and generated) and *agents* (who did it).
- :class:`LineageRecorder` records the steps as a learner transforms a frame.
- :class:`Datasheet` follows Gebru et al. (2021), "Datasheets for Datasets":
  motivation, composition, collection, preprocessing and labelling, uses,
  distribution, maintenance. Composition is answered from the data itself;
  the rest by people. ``completeness()`` scores how much is documented.

Examples
--------
>>> import pandas as pd
>>> recorder = LineageRecorder(pd.DataFrame({"x": [1.0, None, 3.0]}), name="raw survey", agent="data steward")
>>> cleaned = recorder.apply("drop missing", lambda df: df.dropna())
>>> [a["name"] for a in recorder.lineage.activities]
['drop missing']
>>> len(recorder.lineage.entities)
2
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pandas as pd

from lifecycle_kit.display import Table, say, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, Message, _

vocabulary(headings={"step": N_("step"), "activity": N_("activity"), "used": N_("used"),
                     "generated": N_("generated"), "parameters": N_("parameters"), "by": N_("by"),
                     "ended": N_("ended"), "entity": N_("entity")})

__all__ = ["DATASHEET_QUESTIONS", "Datasheet", "Lineage", "LineageRecorder", "frame_digest"]


# Namespaces of the PROV-JSON export. ".invalid" (RFC 2606) never resolves:
# these are names, not addresses, and nothing is fetched.
PROV_PREFIXES = {
    "lk": "https://lifecycle-kit.invalid/ns#",
    "entity": "https://lifecycle-kit.invalid/entity/",
    "activity": "https://lifecycle-kit.invalid/activity/",
    "agent": "https://lifecycle-kit.invalid/agent/",
}


def frame_digest(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's canonical CSV form (columns and values)."""
    if not isinstance(frame, pd.DataFrame):
        raise LifecycleKitError(f"a digest needs a pandas DataFrame; got {type(frame).__name__}")
    text = frame.to_csv(index=False, lineterminator="\n", na_rep="<NA>")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Lineage:
    """A provenance record: entities, activities and agents (W3C PROV vocabulary)."""

    entities: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    agents: list[dict[str, Any]] = field(default_factory=list)

    def add_agent(self, name: str, *, role: str = "") -> str:
        agent_id = f"agent:{len(self.agents) + 1}"
        self.agents.append({"id": agent_id, "name": name, "role": role})
        return agent_id

    def add_entity(self, name: str, *, digest: str, rows: int | None = None, columns: int | None = None,
                   description: str = "") -> str:
        entity_id = f"entity:{len(self.entities) + 1}"
        self.entities.append({"id": entity_id, "name": name, "sha256": digest, "rows": rows, "columns": columns,
                              "description": description})
        return entity_id

    def add_activity(self, name: str, *, used: Iterable[str], generated: Iterable[str], agent: str | None = None,
                     parameters: Mapping[str, Any] | None = None, started: str | None = None,
                     ended: str | None = None) -> str:
        known = {e["id"] for e in self.entities}
        for ref in [*used, *generated]:
            if ref not in known:
                raise LifecycleKitError(f"activity {name!r} refers to unknown entity {ref!r}")
        activity_id = f"activity:{len(self.activities) + 1}"
        self.activities.append({"id": activity_id, "name": name, "used": list(used), "generated": list(generated),
                                "agent": agent, "parameters": dict(parameters or {}),
                                "started": started or _now(), "ended": ended or _now()})
        return activity_id

    def entity(self, entity_id: str) -> dict[str, Any]:
        for e in self.entities:
            if e["id"] == entity_id:
                return e
        raise LifecycleKitError(f"no entity {entity_id!r}")

    def check(self, entity_id: str, frame: pd.DataFrame) -> bool:
        """True when ``frame`` is exactly the recorded entity (same SHA-256)."""
        return frame_digest(frame) == self.entity(entity_id)["sha256"]

    def to_dict(self) -> dict[str, Any]:
        return {"format": "lifecycle-kit-lineage/1", "entities": self.entities, "activities": self.activities,
                "agents": self.agents}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, default=str)

    @classmethod
    def from_json(cls, text: str | bytes) -> Lineage:
        try:
            body = json.loads(text)
        except json.JSONDecodeError as err:
            raise LifecycleKitError(f"lineage is not valid JSON: {err}") from None
        if body.get("format") != "lifecycle-kit-lineage/1":
            raise LifecycleKitError("not a lifecycle-kit lineage record")
        return cls(entities=body["entities"], activities=body["activities"], agents=body["agents"])

    def to_prov_json(self) -> str:
        """The record as a W3C PROV-JSON document.

        Every identifier is a qualified name whose prefix the document declares
        (a PROV reader rejects a name with an unknown prefix): the kit's own ids
        (``entity:1``, ``activity:1``, ``agent:1``) keep their spelling under the
        prefixes ``entity``, ``activity`` and ``agent``, and the kit's extra
        attributes (SHA-256, rows, parameters, ...) live in the ``lk`` namespace.
        The cross-check tests read the output back with the ``prov`` library.

        Returns
        -------
        str
            JSON with ``prefix``, ``entity``, ``activity``, ``agent``, ``used``,
            ``wasGeneratedBy`` and ``wasAssociatedWith``.

        Examples
        --------
        >>> import json
        >>> import pandas as pd
        >>> recorder = LineageRecorder(pd.DataFrame({"x": [1.0, None]}), name="raw", agent="steward")
        >>> _ = recorder.apply("drop missing", lambda df: df.dropna())
        >>> doc = json.loads(recorder.lineage.to_prov_json())
        >>> sorted(doc["prefix"])
        ['activity', 'agent', 'entity', 'lk']
        >>> doc["used"]["activity:1:used:0"]
        {'prov:activity': 'activity:1', 'prov:entity': 'entity:1'}
        """
        doc = {"prefix": dict(PROV_PREFIXES), "entity": {}, "activity": {}, "agent": {},
               "used": {}, "wasGeneratedBy": {}, "wasAssociatedWith": {}}
        for e in self.entities:
            record = {"prov:label": e["name"], "lk:sha256": e["sha256"]}
            # Counts go out as JSON numbers only when known: PROV has no null.
            record.update({f"lk:{key}": e[key] for key in ("rows", "columns") if e.get(key) is not None})
            if e.get("description"):
                record["lk:description"] = e["description"]
            doc["entity"][e["id"]] = record
        for a in self.agents:
            doc["agent"][a["id"]] = {"prov:label": a["name"], "lk:role": a["role"]}
        for a in self.activities:
            doc["activity"][a["id"]] = {"prov:label": a["name"], "prov:startTime": a["started"],
                                        "prov:endTime": a["ended"],
                                        "lk:parameters": json.dumps(a["parameters"], default=str, sort_keys=True)}
            for k, e in enumerate(a["used"]):
                doc["used"][f"{a['id']}:used:{k}"] = {"prov:activity": a["id"], "prov:entity": e}
            for k, e in enumerate(a["generated"]):
                doc["wasGeneratedBy"][f"{a['id']}:gen:{k}"] = {"prov:entity": e, "prov:activity": a["id"]}
            if a["agent"]:
                doc["wasAssociatedWith"][f"{a['id']}:agent"] = {"prov:activity": a["id"], "prov:agent": a["agent"]}
        return json.dumps(doc, indent=2)

    def to_frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The record as two tables: the activities in order, and the entities with short digests."""
        import pandas as pd

        names = {e["id"]: e["name"] for e in self.entities}
        agents = {a["id"]: a["name"] for a in self.agents}
        steps = pd.DataFrame([{"step": i, "activity": a["name"], "used": ", ".join(names[u] for u in a["used"]),
                               "generated": ", ".join(names[g] for g in a["generated"]),
                               "parameters": ", ".join(f"{k}={v}" for k, v in a["parameters"].items()),
                               "by": agents.get(a["agent"], ""), "ended": a["ended"]}
                              for i, a in enumerate(self.activities, 1)],
                             columns=["step", "activity", "used", "generated", "parameters", "by", "ended"])
        entities = pd.DataFrame([{"entity": e["name"], "rows": e["rows"], "columns": e["columns"],
                                  "SHA-256": e["sha256"][:16] + "..."} for e in self.entities],
                                columns=["entity", "rows", "columns", "SHA-256"])
        return steps, entities

    def to_html(self) -> str:
        """The record as two HTML tables (what a notebook shows for a lineage left as a cell's last expression)."""

        steps, entities = self.to_frames()
        # Names the kit made ("after {activity}") are said in the reader's language; names from code stay as written.
        names = {e["id"]: say(e["name"]) for e in self.entities}
        steps = steps.assign(used=[", ".join(names[u] for u in a["used"]) for a in self.activities],
                             generated=[", ".join(names[g] for g in a["generated"]) for a in self.activities])
        entities = entities.assign(entity=[names[e["id"]] for e in self.entities])
        return ("<p><b>" + _("Lineage: activities") + "</b></p>" + Table(steps)._repr_html_()
                + "<p><b>" + _("Lineage: entities") + "</b></p>" + Table(entities)._repr_html_())

    def _repr_html_(self):
        return self.to_html()

    def to_markdown(self) -> str:
        from lifecycle_kit._html import md_text as md  # names come from user code and data: HTML shown, not run

        lines = ["# Lineage", "", "| step | activity | used | generated | parameters | by | ended |", "|---|---|---|---|---|---|---|"]
        names = {e["id"]: md(e["name"]) for e in self.entities}
        agents = {a["id"]: md(a["name"]) for a in self.agents}
        for i, a in enumerate(self.activities, 1):
            params = md(", ".join(f"{k}={v}" for k, v in a["parameters"].items()))
            lines.append(f"| {i} | {md(a['name'])} | {', '.join(names[u] for u in a['used'])} | "
                         f"{', '.join(names[g] for g in a['generated'])} | {params} | {agents.get(a['agent'], '')} | "
                         f"{a['ended']} |")
        lines += ["", "| entity | rows | columns | SHA-256 |", "|---|---|---|---|"]
        for e in self.entities:
            lines.append(f"| {md(e['name'])} | {e['rows']} | {e['columns']} | `{e['sha256'][:16]}...` |")
        return "\n".join(lines) + "\n"


class LineageRecorder:
    """Record each transformation of a frame as it happens.

    Parameters
    ----------
    frame : pandas.DataFrame
        The starting data (recorded as the first entity).
    name : str
    agent : str, default="analyst"
    """

    def __init__(self, frame: pd.DataFrame, *, name: str = "source data", agent: str = "analyst") -> None:
        self.lineage = Lineage()
        self.agent = self.lineage.add_agent(agent, role="performs the transformations")
        self.frame = frame
        self.current = self._entity(frame, name)

    def _entity(self, frame, name):
        return self.lineage.add_entity(name, digest=frame_digest(frame), rows=len(frame), columns=frame.shape[1])

    def apply(self, name: str, function: Callable[..., pd.DataFrame], **parameters: Any) -> pd.DataFrame:
        """Run ``function(frame, **parameters)``, record it with input and output digests, return the result."""
        started = _now()
        result = function(self.frame, **parameters)
        if not isinstance(result, pd.DataFrame):
            raise LifecycleKitError(f"step {name!r} must return a DataFrame; got {type(result).__name__}")
        output = self._entity(result, N_("after {activity}", activity=name))
        self.lineage.add_activity(name, used=[self.current], generated=[output], agent=self.agent,
                                  parameters=parameters, started=started)
        self.frame, self.current = result, output
        return result


#: Gebru et al. 2021, abridged: the questions of each section a course dataset should answer.
DATASHEET_QUESTIONS = {
    "motivation": [N_("For what purpose was the dataset created?"), N_("Who created it and on behalf of whom?"),
                   N_("Who funded its creation?")],
    "composition": [N_("What do the instances represent?"), N_("How many instances are there?"),
                    N_("What data does each instance consist of?"), N_("Is there a label or target associated with each instance?"),
                    N_("Is any information missing from individual instances?"), N_("Are there duplicates?"),
                    N_("Does the dataset contain data that might be considered sensitive?")],
    "collection": [N_("How was the data associated with each instance acquired?"), N_("Over what timeframe was the data collected?"),
                   N_("Who was involved in the collection and how were they compensated?")],
    "preprocessing": [N_("Was any preprocessing, cleaning or labelling done?"), N_("Was the raw data saved in addition to the processed data?"),
                      N_("Are parts of the dataset synthetic or augmented, and how were they made?")],
    "uses": [N_("Has the dataset been used for any tasks already?"), N_("Is there anything about its composition that might impact future uses?"),
             N_("Are there tasks for which the dataset should not be used?")],
    "distribution": [N_("How will the dataset be distributed?"), N_("Under which licence?"), N_("In which systems has it been used?")],
    "maintenance": [N_("Who maintains the dataset?"), N_("How long will it be kept, and how will it be destroyed?"),
                    N_("How can errors be reported and will it be updated?")],
}
# The section names are keys of the answers; shown to a person, they are said in the person's language.
DATASHEET_SECTIONS = {"motivation": N_("motivation"), "composition": N_("composition"), "collection": N_("collection"),
                      "preprocessing": N_("preprocessing"), "uses": N_("uses"), "distribution": N_("distribution"),
                      "maintenance": N_("maintenance"), "overall": N_("overall")}


def _said(answer):
    """An answer as the reader reads it: a phrase the kit wrote in the reader's language, a person's words as written."""
    return _(answer) if isinstance(answer, Message) else answer


@dataclass
class Datasheet:
    """A datasheet for a dataset: answers per section; composition filled from the data.

    Attributes
    ----------
    name : str
    answers : dict
        ``{section: {question: answer}}``.
    """

    name: str
    answers: dict[str, dict[str, str]] = field(default_factory=lambda: {s: {} for s in DATASHEET_QUESTIONS})

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, name: str, target: str | None = None,
                   sensitive: Sequence[str] = ()) -> Datasheet:
        """Answer what the data itself can answer: composition."""
        from lifecycle_kit.profiling import profile_columns

        sheet = cls(name=name)
        profile = profile_columns(frame)
        missing = profile[(profile["missing"] + profile["disguised_missing"]) > 0]
        q = DATASHEET_QUESTIONS["composition"]
        # N_: the answers the kit writes read as English (and in the JSON), and are said in the reader's language.
        sheet.answer("composition", q[1], N_("{rows:,} instances, {columns} columns.", rows=len(frame),
                                             columns=frame.shape[1]))
        types = ", ".join(f"{c} ({t})" for c, t in zip(profile["column"], profile["dtype"]))
        sheet.answer("composition", q[2], N_("Each instance has: {types}.", types=types))
        if target is not None:
            if target not in frame.columns:
                raise LifecycleKitError(f"target column {target!r} is not in the frame")
            shares = frame[target].value_counts(normalize=True).head(10)
            sheet.answer("composition", q[3], N_("Yes, '{target}': {shares}", target=target,
                                                 shares=", ".join(f"{k} {v:.1%}" for k, v in shares.items())))
        sheet.answer("composition", q[4], N_("Yes: {counts}", counts=", ".join(
            f"{r.column} {r.missing + r.disguised_missing:,}" for r in missing.itertuples())) if len(missing)
            else N_("No missing values found."))
        sheet.answer("composition", q[5], N_("{count:,} exact duplicate rows.", count=int(frame.duplicated().sum())))
        if sensitive:
            sheet.answer("composition", q[6], N_("Columns that may be sensitive: {columns}.", columns=", ".join(sensitive)))
        return sheet

    def answer(self, section: str, question: str, text: str) -> Datasheet:
        if section not in DATASHEET_QUESTIONS:
            raise LifecycleKitError(f"section must be one of {', '.join(DATASHEET_QUESTIONS)}; got {section!r}")
        if question not in DATASHEET_QUESTIONS[section]:
            raise LifecycleKitError(f"{question!r} is not a question of section {section!r}")
        # A phrase the kit wrote (N_) stays one, so that a display can say it in the reader's language.
        self.answers.setdefault(section, {})[question] = text if isinstance(text, Message) else str(text).strip()
        return self

    def completeness(self) -> dict[str, float]:
        """Share of questions answered, per section and overall (the auditability of the archive)."""
        scores = {}
        for section, questions in DATASHEET_QUESTIONS.items():
            answered = sum(1 for q in questions if self.answers.get(section, {}).get(q))
            scores[section] = answered / len(questions)
        total = sum(len(q) for q in DATASHEET_QUESTIONS.values())
        answered = sum(round(scores[s] * len(q)) for s, q in DATASHEET_QUESTIONS.items())
        scores["overall"] = answered / total
        return scores

    def missing_sections(self) -> list[str]:
        return [s for s, v in self.completeness().items() if s != "overall" and v < 1]

    def to_markdown(self) -> str:
        from lifecycle_kit._html import md_text as md  # answers quote column names: HTML shown, not run

        lines = ["# " + _("Datasheet: {name}", name=md(self.name)), "",
                 _("Documented: {share:.0%} of the questions (Gebru et al. 2021, abridged).",
                   share=self.completeness()["overall"]), ""]
        not_answered = "_" + _("not answered") + "_"
        for section, questions in DATASHEET_QUESTIONS.items():
            heading = _(DATASHEET_SECTIONS.get(section, section))
            lines += [f"## {heading[:1].upper()}{heading[1:]}", ""]
            for question in questions:
                answer = _said(self.answers.get(section, {}).get(question))
                lines.append(f"- **{_(question)}** {md(answer) if answer else not_answered}")
            lines.append("")
        return "\n".join(lines)

    def _repr_html_(self):
        """The datasheet as a notebook shows it: documented share per section (as a percentage), then the answers."""
        from lifecycle_kit import _html

        scores = self.completeness()
        rows = "".join(f"<tr><th scope='row'>{_html.esc(_(DATASHEET_SECTIONS.get(s, s)))}</th><td class='num'>"
                       f"{v:.0%}</td></tr>" for s, v in scores.items())
        not_answered = _("not answered")
        answers = "".join(
            f"<li><b>{_html.esc(_(q))}</b> {_html.esc(_said(self.answers.get(s, {}).get(q)) or not_answered)}</li>"
            for s, questions in DATASHEET_QUESTIONS.items() for q in questions if self.answers.get(s, {}).get(q))
        head = _("Datasheet: {name}", name=_html.esc(self.name))
        documented = _("documented {share:.0%} of the questions (Gebru et al. 2021, abridged)", share=scores["overall"])
        section, documented_column = _("section"), _("documented")
        return (f"<p><b>{head}</b> — {documented}</p><table><thead><tr><th scope='col'>{section}</th>"
                f"<th scope='col'>{documented_column}</th></tr></thead><tbody>{rows}</tbody></table>" + (f"<ul>{answers}</ul>" if answers else ""))

    def to_json(self) -> str:
        return json.dumps({"format": "lifecycle-kit-datasheet/1", "name": self.name, "answers": self.answers}, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> Datasheet:
        try:
            body = json.loads(text)
        except json.JSONDecodeError as err:
            raise LifecycleKitError(f"datasheet is not valid JSON: {err}") from None
        if body.get("format") != "lifecycle-kit-datasheet/1":
            raise LifecycleKitError("not a lifecycle-kit datasheet")
        return cls(name=body["name"], answers=body["answers"])
