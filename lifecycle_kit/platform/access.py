"""Access scopes and a tamper-evident audit log.

Every read of the platform's data goes through an :class:`AccessLayer`: a role
may read only the columns and rows of its :class:`Scope`, and may filter only on
columns it may read (a filter on a hidden column would reveal its values);
anything else is refused. Every request, granted or refused, is appended to an
:class:`AuditLog` in which each entry carries the SHA-256 of the previous one —
editing, removing or reordering an entry breaks the chain at that point.

The chain alone cannot tell that its *tail* was cut off, the whole log cleared,
or an entry edited and every hash after it recomputed: anyone who can write the
log can rebuild a valid chain. :meth:`AuditLog.checkpoint` signs the log's length
and head hash with a key the log writer does not hold; kept elsewhere, a
checkpoint makes :meth:`AuditLog.verify` catch all three.

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
>>> from lifecycle_kit.integrity import generate_keypair
>>> private, public = generate_keypair()
>>> checkpoint = layer.log.checkpoint(private)
>>> del layer.log.entries[-1]  # the refusal is erased
>>> layer.log.verify(), layer.log.verify(checkpoint=checkpoint, public_key=public)
((True, None), (False, 1))
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

import pandas as pd

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import _

__all__ = ["AccessDenied", "AccessLayer", "AuditCheckpoint", "AuditLog", "Scope"]

GENESIS = "0" * 64


class AccessDenied(LifecycleKitError):
    """A role asked for data outside its scope."""


def _values(values, what):
    # A single string is one value, not a set of characters.
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        return (values,)
    return tuple(values)


@dataclass(frozen=True, eq=False)
class Scope:
    """What a role may read: these columns, and the rows where each ``rows`` column takes one of the listed values.

    A scope is immutable: ``rows`` is a read-only mapping of tuples, so no code
    holding the scope can lift its limit (``scope.rows.clear()`` raises).
    """

    columns: tuple[str, ...]
    rows: MappingProxyType[str, tuple[Any, ...]]

    def __init__(self, columns, rows=None):
        object.__setattr__(self, "columns", tuple(_values(columns, "columns")))
        frozen = {column: _values(values, f"rows[{column!r}]") for column, values in dict(rows or {}).items()}
        object.__setattr__(self, "rows", MappingProxyType(frozen))

    def __eq__(self, other):
        return isinstance(other, Scope) and (self.columns, dict(self.rows)) == (other.columns, dict(other.rows))

    def __hash__(self):
        return hash((self.columns, tuple(sorted(self.rows.items()))))


@dataclass(frozen=True)
class AuditCheckpoint:
    """A signed statement of an audit log's length and head hash (see :meth:`AuditLog.checkpoint`)."""

    length: int
    head: str
    signature: str

    def statement(self):
        """The bytes that are signed: canonical JSON of the format, length and head hash."""
        return json.dumps({"format": CHECKPOINT_FORMAT, "head": self.head, "length": self.length},
                          sort_keys=True, separators=(",", ":")).encode("utf-8")


CHECKPOINT_FORMAT = "lifecycle-kit-audit-checkpoint/1"


class AuditLog:
    """Append-only, hash-chained log of data access, with signed checkpoints against truncation and re-chaining."""

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

    @property
    def head(self):
        """Hash of the last entry (the genesis value for an empty log)."""
        return self.entries[-1]["hash"] if self.entries else GENESIS

    def checkpoint(self, private_key, *, passphrase=None):
        """Sign the log's current length and head hash with an Ed25519 private key (PEM).

        Keep the checkpoint (and the key) where whoever writes the log cannot
        change them — with an auditor, in another system.

        Returns
        -------
        AuditCheckpoint
        """
        from lifecycle_kit.integrity.signing import sign_bytes

        unsigned = AuditCheckpoint(length=len(self.entries), head=self.head, signature="")
        return AuditCheckpoint(unsigned.length, unsigned.head,
                               sign_bytes(unsigned.statement(), private_key, passphrase=passphrase))

    def verify(self, checkpoint=None, public_key=None):
        """``(True, None)`` when the chain is intact; otherwise ``(False, index of the first broken entry)``.

        With a ``checkpoint`` (and the ``public_key`` that signed it), the log must
        also still hold the checkpoint's entries unchanged: a log cut shorter reports
        the index of the first missing entry; a log re-chained after an edit reports
        the checkpoint's last entry, whose hash no longer matches.

        Raises
        ------
        IntegrityError
            When the checkpoint's signature does not verify with ``public_key``.
        """
        previous = GENESIS
        for i, entry in enumerate(self.entries):
            if entry.get("seq") != i or entry.get("previous") != previous or self._digest(entry) != entry.get("hash"):
                return False, i
            previous = entry["hash"]
        if checkpoint is None:
            return True, None
        from lifecycle_kit.errors import IntegrityError
        from lifecycle_kit.integrity.signing import verify_bytes

        if not isinstance(checkpoint, AuditCheckpoint):
            raise LifecycleKitError(f"checkpoint must be an AuditCheckpoint; got {type(checkpoint).__name__}")
        if public_key is None:
            raise LifecycleKitError("verifying against a checkpoint needs the public key that signed it")
        if not verify_bytes(checkpoint.statement(), checkpoint.signature, public_key):
            raise IntegrityError("the checkpoint's signature does not verify with this public key: it proves nothing")
        if len(self.entries) < checkpoint.length:
            return False, len(self.entries)
        if checkpoint.length and self.entries[checkpoint.length - 1]["hash"] != checkpoint.head:
            return False, checkpoint.length - 1
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
        """Columns and rows the role asked for, if its scope allows them; otherwise AccessDenied (logged too).

        A role may filter (``where``) only on columns of its scope, and only on
        values its row limit allows.
        """
        scope = self.scopes.get(role)
        asked = list(_values(columns, "columns")) if columns is not None else (list(scope.columns) if scope else [])
        if where is not None and not isinstance(where, dict):
            raise LifecycleKitError(f"where must be a dict of column -> values; got {type(where).__name__}")
        where = {column: list(_values(values, f"where[{column!r}]")) for column, values in (where or {}).items()}

        def refuse(outcome, message):
            self.log.append(role=role, action="read", columns=asked, where=where, outcome=f"denied: {outcome}",
                            purpose=purpose)
            raise AccessDenied(message)

        if scope is None:
            refuse("unknown role", _("role {role!r} has no scope on this data", role=role))
        outside = [c for c in asked if c not in scope.columns]
        if outside:
            named = ", ".join(map(str, outside))
            refuse(f"columns {named}", _("role {role!r} may not read column(s) {columns}", role=role, columns=named))
        hidden = [c for c in where if c not in scope.columns]
        if hidden:
            # Filtering on a column the role may not read would reveal its values row by row.
            refuse(f"filter on columns {', '.join(map(str, hidden))}",
                   _("role {role!r} may not filter on column(s) {columns} outside its scope", role=role,
                     columns=", ".join(map(str, hidden))))
        for column, values in where.items():
            allowed = scope.rows.get(column)
            if allowed is not None and not set(values) <= set(allowed):
                refused = sorted(set(values) - set(allowed), key=str)
                refuse(f"rows where {column} in {refused}",
                       _("role {role!r} may not read rows where {column} is {values}", role=role, column=column,
                         values=", ".join(map(str, refused))))
        mask = pd.Series(True, index=self.frame.index)
        for column, values in scope.rows.items():
            mask &= self.frame[column].isin(list(values))
        for column, values in where.items():
            mask &= self.frame[column].isin(values)
        result = self.frame.loc[mask, asked]
        self.log.append(role=role, action="read", columns=asked, where=where, outcome=f"granted: {len(result)} rows",
                        purpose=purpose)
        return result
