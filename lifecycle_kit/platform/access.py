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
checkpoint makes :meth:`AuditLog.verify` catch all three. A checkpoint names its
log (each log has an identity, and its chain starts from it), its place in the
log's sequence of checkpoints (a counter) and its time, so an older checkpoint
presented in place of a newer one — after the entries since it were cut — is
refused by a verifier who remembers the newest it has seen (``seen=``) or asks
for a recent one (``max_age=``).

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
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn

import pandas as pd

from lifecycle_kit.display import Lines, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _, message_frame

vocabulary(headings={"seq": N_("entry"), "outcome": N_("outcome"), "hash": N_("hash"), "shape": N_("rows, columns"),
                     "purpose": N_("purpose"), "action": N_("action")},
           values={"action": {"read": N_("read")}})


class ChainCheck(tuple[bool, "int | None"]):
    """``(intact, index of the first broken entry or None)``, said in the reader's language when shown."""

    def __new__(cls, intact: bool, broken_at: int | None) -> ChainCheck:
        return super().__new__(cls, (intact, broken_at))

    def summary(self) -> Lines:
        if self[0]:
            return Lines([N_("The audit chain is intact.")])
        return Lines([N_("The audit chain is broken: the first broken entry is {entry}.", entry=self[1])])

    def _repr_html_(self):
        return self.summary()._repr_html_()

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = ["AccessDenied", "AccessLayer", "AuditCheckpoint", "AuditLog", "Scope"]

LOG_FORMAT = "lifecycle-kit-audit-log/2"


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

    Parameters
    ----------
    columns : str or iterable of str
        The columns the role may read.
    rows : mapping of str -> value or iterable of values, default=None
        Row limits: the role reads only rows whose column takes one of the values (None: every row).
    """

    columns: tuple[str, ...]
    rows: MappingProxyType[str, tuple[Any, ...]]

    def __init__(self, columns: str | Iterable[str], rows: Mapping[str, Any] | None = None) -> None:
        object.__setattr__(self, "columns", tuple(_values(columns, "columns")))
        frozen = {column: _values(values, f"rows[{column!r}]") for column, values in dict(rows or {}).items()}
        object.__setattr__(self, "rows", MappingProxyType(frozen))

    def __eq__(self, other):
        return isinstance(other, Scope) and (self.columns, dict(self.rows)) == (other.columns, dict(other.rows))

    def __hash__(self):
        return hash((self.columns, tuple(sorted(self.rows.items()))))


@dataclass(frozen=True)
class AuditCheckpoint:
    """A signed statement of an audit log's length and head hash (see :meth:`AuditLog.checkpoint`).

    ``log_id`` names the log, ``counter`` numbers the log's checkpoints from 1 and
    ``time`` says when it was made; all three are signed with the length and head.
    A checkpoint without them (format 1, before this version) proves nothing about
    which log or how recent: :meth:`AuditLog.verify` refuses it.
    """

    length: int
    head: str
    signature: str
    log_id: str = ""
    counter: int = 0
    time: str = ""

    def summary(self) -> Lines:
        return Lines([N_("Checkpoint {counter}: {length} entries, head {head}…", counter=self.counter,
                         length=self.length, head=self.head[:12])])

    def _repr_html_(self):
        return self.summary()._repr_html_()

    def statement(self) -> bytes:
        """The bytes that are signed: canonical JSON of the format, log, counter, time, length and head hash."""
        if not self.log_id:
            return json.dumps({"format": _CHECKPOINT_FORMATS[0], "head": self.head, "length": self.length},
                              sort_keys=True, separators=(",", ":")).encode("utf-8")
        return json.dumps({"format": CHECKPOINT_FORMAT, "log": self.log_id, "counter": self.counter,
                           "time": self.time, "head": self.head, "length": self.length},
                          sort_keys=True, separators=(",", ":")).encode("utf-8")


CHECKPOINT_FORMAT = "lifecycle-kit-audit-checkpoint/2"
_CHECKPOINT_FORMATS = ("lifecycle-kit-audit-checkpoint/1", CHECKPOINT_FORMAT)


def _tagged(value):
    """``value`` in a form whose JSON tells types apart: a mapping's keys 1 and "1" (one JSON key "1") differ.

    Every mapping becomes ``{"map": [[key, value], ...]}`` with its keys tagged by
    type, and any value JSON cannot hold becomes ``{"object": [type, text]}``; as
    only this function makes such objects, two different entries never meet.
    """
    if isinstance(value, dict):
        pairs = [[[type(k).__name__, _tagged(k)], _tagged(v)] for k, v in value.items()]
        return {"map": sorted(pairs, key=lambda pair: json.dumps(pair[0], sort_keys=True, default=str))}
    if isinstance(value, (list, tuple)):
        return [_tagged(v) for v in value]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return {"object": [type(value).__name__, str(value)]}


def _parse_time(text):
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None


class AuditLog:
    """Append-only, hash-chained log of data access, with signed checkpoints against truncation and re-chaining.

    Parameters
    ----------
    clock : callable, default=None
        Returns the time of an entry or checkpoint as ISO 8601 text (UTC now by default).
    log_id : str, default=None
        The log's identity (a random one by default); its chain starts from the hash of it.
    """

    def __init__(self, clock: Callable[[], str] | None = None, *, log_id: str | None = None) -> None:
        self.entries: list[dict[str, Any]] = []
        self._clock = clock or (lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
        self.log_id = log_id if log_id is not None else secrets.token_hex(16)
        self.checkpoints_made = 0

    @property
    def genesis(self) -> str:
        """What the first entry chains to: the hash of the log's identity (so two logs never share a chain)."""
        return hashlib.sha256(f"{LOG_FORMAT}:{self.log_id}".encode("utf-8")).hexdigest()

    @staticmethod
    def _digest(entry):
        body = {k: _tagged(v) for k, v in entry.items() if k != "hash"}
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()

    def append(self, **fields: Any) -> dict[str, Any]:
        """Add an entry of ``fields``, numbered, timed and chained to the previous one; returns it."""
        entry = {"seq": len(self.entries), "time": self._clock(), **fields,
                 "previous": self.entries[-1]["hash"] if self.entries else self.genesis}
        entry["hash"] = self._digest(entry)
        self.entries.append(entry)
        return entry

    @property
    def head(self) -> str:
        """Hash of the last entry (the genesis value for an empty log)."""
        return self.entries[-1]["hash"] if self.entries else self.genesis

    def checkpoint(self, private_key: str | bytes | Ed25519PrivateKey, *,
                   passphrase: str | bytes | None = None) -> AuditCheckpoint:
        """Sign the log's identity, current length and head hash, a counter and the time with an Ed25519 key (PEM).

        Keep the checkpoint (and the key) where whoever writes the log cannot
        change them — with an auditor, in another system — and keep the newest.

        Returns
        -------
        AuditCheckpoint
        """
        from lifecycle_kit.integrity.signing import sign_bytes

        unsigned = AuditCheckpoint(length=len(self.entries), head=self.head, signature="", log_id=self.log_id,
                                   counter=self.checkpoints_made + 1, time=self._clock())
        signature = sign_bytes(unsigned.statement(), private_key, passphrase=passphrase)
        self.checkpoints_made += 1
        return AuditCheckpoint(unsigned.length, unsigned.head, signature, unsigned.log_id, unsigned.counter,
                               unsigned.time)

    def verify(self, checkpoint: AuditCheckpoint | None = None,
               public_key: str | bytes | Ed25519PublicKey | None = None, *, seen: AuditCheckpoint | int | None = None,
               max_age: float | timedelta | None = None,
               now: str | datetime | None = None) -> tuple[bool, int | None]:
        """``(True, None)`` when the chain is intact; otherwise ``(False, index of the first broken entry)``.

        With a ``checkpoint`` (and the ``public_key`` that signed it), the log must
        also still hold the checkpoint's entries unchanged: a log cut shorter reports
        the index of the first missing entry; a log re-chained after an edit reports
        the checkpoint's last entry, whose hash no longer matches.

        A checkpoint says nothing about entries after it: whoever cuts those off
        can present an older checkpoint, which still holds. Give ``seen``, the newest
        checkpoint (or its counter) this verifier has accepted before, to refuse an
        older one; or ``max_age`` (seconds or a ``timedelta``) to ask for a recent one, measured at ``now``
        (a ``datetime`` or ISO 8601 text with a time zone; the current time by default).

        Raises
        ------
        IntegrityError
            When the checkpoint's signature does not verify with ``public_key``, it is of another log or of
            format 1 (no log, counter or time), or it is older than ``seen`` or ``max_age`` allow.
        """
        previous = self.genesis
        for i, entry in enumerate(self.entries):
            if entry.get("seq") != i or entry.get("previous") != previous or self._digest(entry) != entry.get("hash"):
                return ChainCheck(False, i)
            previous = entry["hash"]
        if checkpoint is None:
            return ChainCheck(True, None)
        from lifecycle_kit.errors import IntegrityError
        from lifecycle_kit.integrity.signing import verify_bytes

        if not isinstance(checkpoint, AuditCheckpoint):
            raise LifecycleKitError(f"checkpoint must be an AuditCheckpoint; got {type(checkpoint).__name__}")
        if public_key is None:
            raise LifecycleKitError("verifying against a checkpoint needs the public key that signed it")
        if not checkpoint.log_id:
            raise IntegrityError(f"the checkpoint is of format {_CHECKPOINT_FORMATS[0]!r}: it names no log, counter or "
                                 "time, so it cannot show it is this log's newest; make a new one with "
                                 "AuditLog.checkpoint")
        if not verify_bytes(checkpoint.statement(), checkpoint.signature, public_key):
            raise IntegrityError("the checkpoint's signature does not verify with this public key: it proves nothing")
        if checkpoint.log_id != self.log_id:
            raise IntegrityError(f"the checkpoint is of log {checkpoint.log_id}, not of this log ({self.log_id})")
        self._check_fresh(checkpoint, seen, max_age, now, IntegrityError)
        if len(self.entries) < checkpoint.length:
            return ChainCheck(False, len(self.entries))
        if checkpoint.length and self.entries[checkpoint.length - 1]["hash"] != checkpoint.head:
            return ChainCheck(False, checkpoint.length - 1)
        return ChainCheck(True, None)

    @staticmethod
    def _check_fresh(checkpoint, seen, max_age, now, error):
        if seen is not None:
            newest = seen.counter if isinstance(seen, AuditCheckpoint) else seen
            if isinstance(newest, bool) or not isinstance(newest, int):
                raise LifecycleKitError(f"seen must be an AuditCheckpoint or its counter; got {type(seen).__name__}")
            if isinstance(seen, AuditCheckpoint) and seen.log_id != checkpoint.log_id:
                raise LifecycleKitError("seen is a checkpoint of another log")
            if checkpoint.counter < newest:
                raise error(f"checkpoint {checkpoint.counter} is older than checkpoint {newest}, already seen: entries "
                            "after it may have been cut off; verify against the newest")
            if isinstance(seen, AuditCheckpoint) and (checkpoint.length < seen.length or (
                    checkpoint.counter == seen.counter and checkpoint.head != seen.head)):
                raise error(f"checkpoint {checkpoint.counter} disagrees with the one already seen (a log never "
                            "shrinks, and one checkpoint has one head): it was signed for a rewritten log")
        if max_age is not None:
            age_limit = max_age if isinstance(max_age, timedelta) else timedelta(seconds=float(max_age))
            made = _parse_time(checkpoint.time)
            current = _parse_time(now) if isinstance(now, str) else (now or datetime.now(timezone.utc))
            if made is None or current is None:
                raise error(f"the checkpoint's time {checkpoint.time!r} cannot be read as an ISO 8601 time with a "
                            "time zone")
            if current - made > age_limit:
                raise error(f"checkpoint {checkpoint.counter} was made at {checkpoint.time}, longer ago than "
                            f"max_age ({age_limit}): ask for a recent one")

    def to_frame(self) -> pd.DataFrame:
        """The entries, one row each."""
        return message_frame(self.entries)


class AccessLayer:
    """Serve reads of ``frame`` according to role scopes, logging every request.

    Parameters
    ----------
    frame : pandas.DataFrame
    scopes : mapping of str -> Scope
    log : AuditLog, default=None
    """

    def __init__(self, frame: pd.DataFrame, scopes: Mapping[str, Scope], *, log: AuditLog | None = None) -> None:
        self.frame = frame
        self.scopes = dict(scopes)
        self.log = log or AuditLog()
        for role, scope in self.scopes.items():
            unknown = [c for c in [*scope.columns, *scope.rows] if c not in frame.columns]
            if unknown:
                raise LifecycleKitError(f"scope of role {role!r} names unknown column(s) {', '.join(unknown)}")

    def read(self, role: str, *, columns: str | Iterable[str] | None = None, where: dict[str, Any] | None = None,
             purpose: str = "") -> pd.DataFrame:
        """Columns and rows the role asked for, if its scope allows them; otherwise AccessDenied (logged too).

        A role may filter (``where``) only on columns of its scope, and only on
        values its row limit allows.

        Parameters
        ----------
        role : str
            A role of ``scopes``; any other is refused.
        columns : str or iterable of str, default=None
            The columns asked for (all of the role's scope by default).
        where : dict of str -> value or iterable of values, default=None
            Keep only rows whose column takes one of the values.
        purpose : str, default=""
            Why the data is read, written to the audit log.
        """
        scope = self.scopes.get(role)
        asked = list(_values(columns, "columns")) if columns is not None else (list(scope.columns) if scope else [])
        if where is not None and not isinstance(where, dict):
            raise LifecycleKitError(f"where must be a dict of column -> values; got {type(where).__name__}")
        where = {column: list(_values(values, f"where[{column!r}]")) for column, values in (where or {}).items()}

        def refuse(outcome: str, message: str) -> NoReturn:
            self.log.append(role=role, action="read", columns=asked, where=where,
                            outcome=N_("denied: {reason}", reason=outcome),
                            purpose=purpose)
            raise AccessDenied(message)

        if scope is None:
            refuse(N_("unknown role"), _("role {role!r} has no scope on this data", role=role))
        outside = [c for c in asked if c not in scope.columns]
        if outside:
            named = ", ".join(map(str, outside))
            refuse(N_("columns {columns}", columns=named), _("role {role!r} may not read column(s) {columns}", role=role, columns=named))
        hidden = [c for c in where if c not in scope.columns]
        if hidden:
            # Filtering on a column the role may not read would reveal its values row by row.
            refuse(N_("filter on columns {columns}", columns=", ".join(map(str, hidden))),
                   _("role {role!r} may not filter on column(s) {columns} outside its scope", role=role,
                     columns=", ".join(map(str, hidden))))
        for column, values in where.items():
            allowed = scope.rows.get(column)
            if allowed is not None and not set(values) <= set(allowed):
                refused = sorted(set(values) - set(allowed), key=str)
                refuse(N_("rows where {column} in {values}", column=column, values=str(refused)),
                       _("role {role!r} may not read rows where {column} is {values}", role=role, column=column,
                         values=", ".join(map(str, refused))))
        mask = pd.Series(True, index=self.frame.index)
        for column, values in scope.rows.items():
            mask &= self.frame[column].isin(list(values))
        for column, values in where.items():
            mask &= self.frame[column].isin(values)
        result = self.frame.loc[mask, asked]
        self.log.append(role=role, action="read", columns=asked, where=where,
                        outcome=N_("granted: {n} rows", n=len(result)),
                        purpose=purpose)
        return result
