"""Access scopes and a tamper-evident audit log.

Every read of the platform's data goes through an :class:`AccessLayer`: a role
may read only the columns and rows of its :class:`Scope`; anything else is
refused. Every request, granted or refused, is appended to an :class:`AuditLog`
in which each entry carries the SHA-256 of the previous one — editing,
removing or reordering an entry breaks the chain at that point.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"island": ["Dream", "Biscoe"], "mass": [3500, 4200], "id": ["N1A1", "N2A1"]})
>>> layer = AccessLayer(frame, {"analyst": Scope(columns=["island", "mass"])})
>>> layer.read("analyst", columns=["mass"]).shape
(2, 1)
>>> layer.read("analyst", columns=["id"])
Traceback (most recent call last):
...
lifecycle_kit.platform.access.AccessDenied: role 'analyst' may not read column(s) id
>>> layer.log.verify()
(True, None)
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pandas as pd

from lifecycle_kit.errors import LifecycleKitError

__all__ = ["AccessDenied", "AccessLayer", "AuditLog", "Scope"]

GENESIS = "0" * 64


class AccessDenied(LifecycleKitError):
    """A role asked for data outside its scope."""


@dataclass(frozen=True)
class Scope:
    """What a role may read: these columns, and the rows where each ``rows`` column takes one of the listed values."""

    columns: tuple
    rows: dict = field(default_factory=dict)

    def __init__(self, columns, rows=None):
        object.__setattr__(self, "columns", tuple(columns))
        object.__setattr__(self, "rows", dict(rows or {}))


class AuditLog:
    """Append-only, hash-chained log of data access."""

    def __init__(self, clock=None):
        self.entries = []
        self._clock = clock or (lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @staticmethod
    def _digest(entry):
        body = {k: v for k, v in entry.items() if k != "hash"}
        return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode("utf-8")).hexdigest()

    def append(self, **fields):
        entry = {"seq": len(self.entries), "time": self._clock(), **fields,
                 "previous": self.entries[-1]["hash"] if self.entries else GENESIS}
        entry["hash"] = self._digest(entry)
        self.entries.append(entry)
        return entry

    def verify(self):
        """``(True, None)`` when the chain is intact; otherwise ``(False, index of the first broken entry)``."""
        previous = GENESIS
        for i, entry in enumerate(self.entries):
            if entry.get("seq") != i or entry.get("previous") != previous or self._digest(entry) != entry.get("hash"):
                return False, i
            previous = entry["hash"]
        return True, None

    def to_frame(self):
        return pd.DataFrame(self.entries)


class AccessLayer:
    """Serve reads of ``frame`` according to role scopes, logging every request.

    Parameters
    ----------
    frame : pandas.DataFrame
    scopes : dict of str -> Scope
    log : AuditLog, default=None
    """

    def __init__(self, frame, scopes, *, log=None):
        self.frame = frame
        self.scopes = dict(scopes)
        self.log = log or AuditLog()
        for role, scope in self.scopes.items():
            unknown = [c for c in [*scope.columns, *scope.rows] if c not in frame.columns]
            if unknown:
                raise LifecycleKitError(f"scope of role {role!r} names unknown column(s) {', '.join(unknown)}")

    def read(self, role, *, columns=None, where=None, purpose=""):
        """Columns and rows the role asked for, if its scope allows them; otherwise AccessDenied (logged too)."""
        scope = self.scopes.get(role)
        asked = list(columns) if columns is not None else (list(scope.columns) if scope else [])
        where = dict(where or {})
        if scope is None:
            self.log.append(role=role, action="read", columns=asked, where=where, outcome="denied: unknown role",
                            purpose=purpose)
            raise AccessDenied(f"role {role!r} has no scope on this data")
        outside = [c for c in asked if c not in scope.columns]
        if outside:
            self.log.append(role=role, action="read", columns=asked, where=where,
                            outcome=f"denied: columns {', '.join(outside)}", purpose=purpose)
            raise AccessDenied(f"role {role!r} may not read column(s) {', '.join(outside)}")
        for column, values in where.items():
            allowed = scope.rows.get(column)
            if allowed is not None and not set(values) <= set(allowed):
                self.log.append(role=role, action="read", columns=asked, where=where,
                                outcome=f"denied: rows where {column} in {sorted(set(values) - set(allowed))}",
                                purpose=purpose)
                raise AccessDenied(f"role {role!r} may not read rows where {column} is "
                                   f"{', '.join(map(str, sorted(set(values) - set(allowed))))}")
        mask = pd.Series(True, index=self.frame.index)
        for column, values in {**scope.rows, **where}.items():
            mask &= self.frame[column].isin(list(values))
        result = self.frame.loc[mask, asked]
        self.log.append(role=role, action="read", columns=asked, where=where, outcome=f"granted: {len(result)} rows",
                        purpose=purpose)
        return result
