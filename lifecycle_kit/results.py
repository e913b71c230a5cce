"""Results a program can read: ``to_dict`` and ``to_json`` with one versioned envelope.

Every result object of the kit (a quality report, a drift report, a gate
decision, label issues, a manifest verification, ...) mixes in
:class:`ResultMixin`. Its ``to_dict()`` is a plain JSON-able dict that starts
with the same three keys, so a program can tell what it holds and whether it
knows the layout::

    {"kind": "quality_report", "schema_version": 1, "lifecycle_kit": "0.2.0", ...}

``kind`` names the layout, ``schema_version`` changes only when a key is
removed or changes meaning (new keys may appear without a new version), and
``lifecycle_kit`` is the version that wrote it. The layout of each kind is
documented in ``docs/json_format.md`` and shipped as a JSON Schema in
``lifecycle_kit/schemas/<kind>.schema.json`` (:func:`result_schema`).

Conversion rules (:func:`jsonable`): DataFrames become lists of records,
numpy scalars and arrays become Python numbers and lists, NaN and infinities
become ``null``, tuples become lists, and dict keys become strings.

Examples
--------
>>> import json
>>> from lifecycle_kit.quality import QualityGate
>>> import pandas as pd
>>> result = QualityGate({"Com-ML-1": 0.9}).check_data(pd.DataFrame({"x": [1.0, None]}))
>>> body = json.loads(result.to_json())
>>> body["kind"], body["schema_version"], body["passed"]
('gate_result', 1, False)
>>> jsonable({"share": float("nan"), "counts": np.array([1, 2])})
{'share': None, 'counts': [1, 2]}
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import os

__all__ = ["KINDS", "SCHEMA_VERSION", "ResultMixin", "envelope", "jsonable", "result_schema"]

#: Version of the JSON layout; bumped only when a key is removed or changes meaning.
SCHEMA_VERSION = 1

#: Every kind of result, with the class that writes it.
KINDS = {
    "quality_report": "lifecycle_kit.quality.QualityReport",
    "drift_report": "lifecycle_kit.drift.DriftReport",
    "gate_result": "lifecycle_kit.quality.GateResult",
    "label_issues": "lifecycle_kit.quality.LabelIssues",
    "verification": "lifecycle_kit.integrity.Verification",
    "archive_check": "lifecycle_kit.integrity.ArchiveCheck",
    "lifecycle_report": "lifecycle_kit.report.LifecycleReport",
    "membership_result": "lifecycle_kit.privacy.MembershipResult",
    "collapse_result": "lifecycle_kit.synthetic.CollapseResult",
    "domain_classifier_result": "lifecycle_kit.drift.DomainClassifierResult",
    "monitoring_result": "lifecycle_kit.drift.MonitoringResult",
    "linkage": "lifecycle_kit.platform.linkage.Linkage",
}


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON types: frames as records, numpy as Python, NaN as None.

    >>> import pandas as pd
    >>> jsonable(pd.DataFrame({"a": [1, None], "b": ["x", "y"]}))
    [{'a': 1.0, 'b': 'x'}, {'a': None, 'b': 'y'}]
    >>> jsonable((np.float32(0.5), np.bool_(True), float("inf")))
    [0.5, True, None]
    """
    import pandas as pd

    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, np.bool_):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index(drop=True)
        return [{str(k): jsonable(v) for k, v in zip(frame.columns, row)} for row in frame.itertuples(index=False)]
    if isinstance(value, pd.Series):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [jsonable(v) for v in items]
    if isinstance(value, ResultMixin):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, pd.Timedelta)) or hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def envelope(kind: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The versioned dict: ``kind``, ``schema_version``, ``lifecycle_kit``, then the payload's keys."""
    from lifecycle_kit import __version__

    return {"kind": kind, "schema_version": SCHEMA_VERSION, "lifecycle_kit": __version__, **jsonable(payload)}


def result_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (a dict) of one kind of result, as shipped in ``lifecycle_kit/schemas``.

    >>> result_schema("gate_result")["properties"]["kind"]["const"]
    'gate_result'
    """
    from importlib import resources

    from lifecycle_kit.errors import LifecycleKitError

    if kind not in KINDS:
        raise LifecycleKitError(f"no result kind {kind!r}; known: {', '.join(KINDS)}")
    text = resources.files("lifecycle_kit").joinpath("schemas", f"{kind}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


class ResultMixin:
    """``to_dict`` / ``to_json`` for a result: subclasses set ``_result_kind`` and write ``_payload``."""

    _result_kind: str | None = None  # set by each result class

    def _payload(self):
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-able dict in the kit's versioned layout (``kind``, ``schema_version``, ...)."""
        from lifecycle_kit.i18n import language

        # A document for programs: its texts (summaries, headings) stay in English whatever the reader's language.
        with language("en"):
            return envelope(self._result_kind, self._payload())

    def to_json(self, path: str | os.PathLike[str] | None = None, *, indent: int | None = 2) -> str:
        """The dict of :meth:`to_dict` as strict JSON (no NaN); written to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=indent, allow_nan=False, ensure_ascii=False)
        if path is not None:
            from lifecycle_kit._fs import replace_text

            replace_text(path, text + "\n")  # a link at ``path`` is replaced, never written through
        return text
