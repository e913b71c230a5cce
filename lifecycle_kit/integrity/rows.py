"""Row-level integrity: a digest per row, a Merkle tree over them, and where a table changed.

A file digest says *that* a table changed. Hashing every row separately says
*which* rows changed; a Merkle tree over the row digests gives one root to sign
and lets anyone prove that a given row belongs to the signed table without
seeing the others (an inclusion proof of ``log2(n)`` hashes).

Each row is serialised canonically — its values in column order, written as
one CSV line (floats in their shortest exact form) — and the column names are
hashed into the first leaf, so renaming or reordering columns changes the root.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"id": [1, 2, 3, 4], "v": [0.5, 1.5, 2.5, 3.5]})
>>> record = RowManifest.from_frame(table)
>>> changed = table.copy(); changed.loc[2, "v"] = 9.0
>>> record.diff(changed).changed
[2]
>>> tree = MerkleTree(record.digests)
>>> tree.verify(record.digests[1], tree.proof(1), tree.root)
True
"""

import hashlib
import io
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lifecycle_kit.errors import LifecycleKitError

__all__ = ["MerkleTree", "RowDiff", "RowManifest", "row_digests"]


def _canonical_lines(frame):
    buffer = io.StringIO()
    frame.to_csv(buffer, header=False, index=False, lineterminator="\n", na_rep="<NA>")
    text = buffer.getvalue()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != len(frame):
        # A value containing a newline is quoted over several lines: fall back to one row at a time.
        lines = []
        for i in range(len(frame)):
            one = io.StringIO()
            frame.iloc[[i]].to_csv(one, header=False, index=False, lineterminator="\n", na_rep="<NA>")
            lines.append(one.getvalue().rstrip("\n"))
    return lines


def row_digests(frame):
    """SHA-256 hex digest of every row (canonical CSV line of its values), in order."""
    if not isinstance(frame, pd.DataFrame):
        raise LifecycleKitError(f"row hashing needs a pandas DataFrame; got {type(frame).__name__}")
    return [hashlib.sha256(line.encode("utf-8")).hexdigest() for line in _canonical_lines(frame)]


def _schema_digest(columns):
    return hashlib.sha256(json.dumps([str(c) for c in columns]).encode("utf-8")).hexdigest()


def _pair(a, b):
    return hashlib.sha256(bytes.fromhex(a) + bytes.fromhex(b)).hexdigest()


class MerkleTree:
    """A binary Merkle tree over hex digests (an odd node is paired with itself).

    Parameters
    ----------
    leaves : list of str
        Hex SHA-256 digests.
    """

    def __init__(self, leaves):
        if not leaves:
            raise LifecycleKitError("a Merkle tree needs at least one leaf")
        self.levels = [list(leaves)]
        while len(self.levels[-1]) > 1:
            level = self.levels[-1]
            padded = level + [level[-1]] if len(level) % 2 else level
            self.levels.append([_pair(padded[i], padded[i + 1]) for i in range(0, len(padded), 2)])

    @property
    def root(self):
        return self.levels[-1][0]

    def proof(self, index):
        """Sibling digests from leaf ``index`` up to the root: ``[(sibling, "left" or "right"), ...]``."""
        n = len(self.levels[0])
        if not 0 <= index < n:
            raise LifecycleKitError(f"leaf index must be in [0, {n - 1}]; got {index}")
        path = []
        for level in self.levels[:-1]:
            padded = level + [level[-1]] if len(level) % 2 else level
            sibling = index ^ 1
            path.append((padded[sibling], "left" if sibling < index else "right"))
            index //= 2
        return path

    @staticmethod
    def verify(leaf, proof, root):
        """True when ``leaf`` with its ``proof`` hashes up to ``root``."""
        digest = leaf
        for sibling, side in proof:
            digest = _pair(sibling, digest) if side == "left" else _pair(digest, sibling)
        return digest == root


@dataclass(frozen=True)
class RowDiff:
    """Rows that changed (same position, other content), were added or were removed."""

    changed: list
    added: list
    removed: list
    schema_changed: bool = False

    @property
    def ok(self):
        return not (self.changed or self.added or self.removed or self.schema_changed)

    def summary(self):
        if self.ok:
            return "every row matches its recorded digest"
        parts = []
        if self.schema_changed:
            parts.append("the columns changed")
        for label, rows in (("changed rows", self.changed), ("added rows", self.added), ("removed rows", self.removed)):
            if rows:
                shown = ", ".join(map(str, rows[:10])) + (" ..." if len(rows) > 10 else "")
                parts.append(f"{label}: {shown}")
        return "; ".join(parts)


@dataclass
class RowManifest:
    """The recorded row digests of a table, its schema digest and the Merkle root over both.

    Attributes
    ----------
    columns : list of str
    digests : list of str
    root : str
        Merkle root over ``[schema digest] + row digests`` — the one value to sign.
    keys : list of str or None
        Row keys, when recorded with :meth:`with_keys` (rows then match by key).
    """

    columns: list
    digests: list
    root: str = field(default="")
    keys: list = field(default=None)

    @classmethod
    def from_frame(cls, frame):
        digests = row_digests(frame)
        columns = [str(c) for c in frame.columns]
        root = MerkleTree([_schema_digest(columns)] + digests).root if digests else _schema_digest(columns)
        return cls(columns=columns, digests=digests, root=root)

    def diff(self, frame, *, key=None):
        """Which rows of ``frame`` differ from the record.

        Rows are matched by position, or by the values of a ``key`` column when
        given (then row numbers in the answer are positions in ``frame`` for
        changed and added rows, and positions in the record for removed ones).
        """
        current = row_digests(frame)
        schema_changed = [str(c) for c in frame.columns] != self.columns
        if key is None:
            common = min(len(current), len(self.digests))
            changed = [i for i in range(common) if current[i] != self.digests[i]]
            added = list(range(common, len(current)))
            removed = list(range(common, len(self.digests)))
            return RowDiff(changed, added, removed, schema_changed)
        if key not in frame.columns:
            raise LifecycleKitError(f"key column {key!r} is not in the table")
        if self.keys is None:
            raise LifecycleKitError("this record has no keys: build it with RowManifest.with_keys(frame, key)")
        position = {k: i for i, k in enumerate(self.keys)}
        changed, added = [], []
        seen = set()
        for i, k in enumerate(frame[key].astype(str)):
            j = position.get(k)
            if j is None:
                added.append(i)
            else:
                seen.add(j)
                if current[i] != self.digests[j]:
                    changed.append(i)
        removed = [j for j in range(len(self.digests)) if j not in seen]
        return RowDiff(changed, added, removed, schema_changed)

    @classmethod
    def with_keys(cls, frame, key):
        record = cls.from_frame(frame)
        if key not in frame.columns:
            raise LifecycleKitError(f"key column {key!r} is not in the table")
        if frame[key].duplicated().any():
            raise LifecycleKitError(f"key column {key!r} has duplicate values; a key must name one row")
        record.keys = frame[key].astype(str).tolist()
        return record

    def proof(self, row):
        """Inclusion proof of a row (position in the recorded table) against the root."""
        tree = MerkleTree([_schema_digest(self.columns)] + self.digests)
        return tree.proof(row + 1)

    def verify_row(self, frame_row, proof):
        """True when a one-row frame hashes, through ``proof``, to this record's root."""
        digest = row_digests(frame_row)[0]
        return MerkleTree.verify(digest, proof, self.root)

    def to_json(self):
        body = {"format": "lifecycle-kit-rows/1", "columns": self.columns, "digests": self.digests, "root": self.root}
        if self.keys is not None:
            body["keys"] = self.keys
        return json.dumps(body)

    @classmethod
    def from_json(cls, text):
        try:
            body = json.loads(text)
        except json.JSONDecodeError as err:
            raise LifecycleKitError(f"row manifest is not valid JSON: {err}") from None
        if body.get("format") != "lifecycle-kit-rows/1":
            raise LifecycleKitError("not a lifecycle-kit row manifest")
        return cls(columns=body["columns"], digests=body["digests"], root=body["root"], keys=body.get("keys"))
