"""Row-level integrity: a digest per row, an RFC 6962 Merkle tree over them, and where a table changed.

A file digest says *that* a table changed. Hashing every row separately says
*which* rows changed; a Merkle tree over the row digests gives one root to sign
and lets anyone prove that a given row belongs to the signed table without
seeing the others (an inclusion proof of about ``log2(n)`` hashes).

The canonical form of a row
---------------------------
Each row is written as one JSON array, in column order, with no spaces:

- a present value becomes the JSON string of its text: ``"Adelie"``, ``"2007"``,
  ``"39.1"`` (floats in their shortest round-trip form, as ``repr`` writes them,
  so 2007.0 is ``"2007.0"``);
- a missing value (``None``, ``NaN``, ``NaT``, ``pd.NA``) becomes ``null``, which
  no string can produce — the text ``"<NA>"`` and a missing value differ.

Numbers and the strings that print the same are the same text on purpose: a
table written to CSV and read back keeps its digests.

The tree (RFC 6962, the scheme of Certificate Transparency)
-----------------------------------------------------------
- a leaf is ``SHA-256(0x00 || canonical row)``; an inner node is
  ``SHA-256(0x01 || left || right)`` — a node can never pass for a leaf;
- ``n`` leaves split at the largest power of two smaller than ``n``; an odd node
  is *not* paired with a copy of itself (a naive tree that duplicates it gives
  ``[a, b, c]`` and ``[a, b, c, c]`` the same root — see :func:`naive_merkle_root`);
- the value to sign, :attr:`RowManifest.root`, is the SHA-256 of a statement
  that binds the columns, the number of rows and the tree root.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"id": [1, 2, 3, 4], "v": [0.5, 1.5, 2.5, None]})
>>> canonical_rows(table)
['["1","0.5"]', '["2","1.5"]', '["3","2.5"]', '["4",null]']
>>> record = RowManifest.from_frame(table)
>>> changed = table.copy(); changed.loc[2, "v"] = 9.0
>>> record.diff(changed).changed
[2]
>>> proof = record.proof(1)
>>> record.verify_row(table.iloc[[1]], proof), record.verify_row(changed.iloc[[2]], record.proof(2))
(True, False)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lifecycle_kit.display import vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _
from lifecycle_kit.integrity._row_text import block_lines, column_table, is_float64

# The stage-9 tables of proofs and roots, as a reader reads them (lifecycle_kit.display).
vocabulary(headings={"row": N_("row"), "proof_hashes": N_("hashes in the proof"), "verifies": N_("verifies"),
                     "tree": N_("tree"), "root_3_rows": N_("root of 3 rows"),
                     "root_4_rows": N_("root of 4 rows (the last repeated)"), "same_root": N_("same root"),
                     "value": N_("value")})

__all__ = ["InclusionProof", "MerkleTree", "RowDiff", "RowManifest", "canonical_rows", "naive_merkle_root",
           "row_digests"]

ROWS_FORMAT = "lifecycle-kit-rows/2"
KEYED_ROWS_FORMAT = "lifecycle-kit-rows/3"  # a record with row keys: the keys are bound by its root too
LEAF_PREFIX, NODE_PREFIX = b"\x00", b"\x01"


# --- canonical rows ------------------------------------------------------------------------------------------------

def _float_texts(values):
    """The canonical encoding of float64 values, one by one: ``"<repr>"``, or ``null`` for NaN."""
    encoded = np.char.add(np.char.add(b'"', values.astype("S")), b'"').astype(object)
    encoded[np.isnan(values)] = b"null"
    return encoded.tolist()


def _encoded_column(series):
    """Every value of one column in its canonical encoding, as UTF-8 bytes (JSON string of its text, or null)."""
    if is_float64(series):
        return _float_texts(series.to_numpy())
    codes, texts = column_table(series)
    return np.array(texts, dtype=object)[codes].tolist()  # code -1 (missing) picks the final b"null"


def _canonical_bytes(frame):
    """Every row's canonical form, one Python join per row (the reference the block writer is tested against)."""
    _check_frame(frame)
    if frame.shape[1] == 0:
        return [b"[]"] * len(frame)
    columns = [_encoded_column(frame.iloc[:, j]) for j in range(frame.shape[1])]
    return [b"[" + b",".join(cells) + b"]" for cells in zip(*columns)]


def _check_frame(frame):
    if not isinstance(frame, pd.DataFrame):
        raise LifecycleKitError(f"row hashing needs a pandas DataFrame; got {type(frame).__name__}")


def _leaf_lines(frame):
    """Every row's canonical form behind the leaf prefix (``b"\\x00" + row``): lists of lines, a block of rows each.

    A table with float64 columns is written by :mod:`lifecycle_kit.integrity._row_text`: its rows laid out side
    by side, floats spelled by array arithmetic (:mod:`lifecycle_kit.integrity._float_text`) instead of ``repr``
    one value at a time, 3 to 4 times faster. Other tables (and one whose distinct texts would take too much
    memory side by side) are joined row by row by :func:`_canonical_bytes`, as fast for integers and text. Both
    give the same bytes (``tests/test_integrity_row_text.py``).
    """
    _check_frame(frame)
    blocks = block_lines(frame, LEAF_PREFIX)
    if blocks is None:
        return iter([[LEAF_PREFIX + line for line in _canonical_bytes(frame)]])
    return blocks


def canonical_rows(frame: pd.DataFrame) -> list[str]:
    """Every row of ``frame`` in its canonical form: a JSON array of the values' texts, ``null`` when missing.

    Examples
    --------
    >>> import pandas as pd
    >>> canonical_rows(pd.DataFrame({"name": ['say "hi"', None], "year": [2007, 2008]}))
    ['["say \\\\"hi\\\\"","2007"]', '[null,"2008"]']
    """
    return [line[1:].decode("utf-8") for lines in _leaf_lines(frame) for line in lines]


def row_digests(frame: pd.DataFrame) -> list[str]:
    """The leaf hash of every row, in order: hex ``SHA-256(0x00 || canonical row)``.

    Examples
    --------
    >>> import hashlib, pandas as pd
    >>> row_digests(pd.DataFrame({"a": [1]}))[0] == hashlib.sha256(b'\\x00["1"]').hexdigest()
    True
    """
    return [leaf.hex() for leaf in _leaf_hashes(frame)]


def _leaf_hashes(frame):
    sha256 = hashlib.sha256
    # Block by block: each block's lines are hashed while they are in the processor's cache.
    return [sha256(line).digest() for lines in _leaf_lines(frame) for line in lines]


# --- the Merkle tree -----------------------------------------------------------------------------------------------

def _node(left, right):
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


@dataclass(frozen=True)
class InclusionProof:
    """The hashes that lead from leaf ``index`` of a tree of ``size`` leaves to its root (RFC 6962).

    Which side each hash goes on follows from ``index`` and ``size``, so a proof
    cannot be replayed for another position or another tree size.
    """

    index: int
    size: int
    path: tuple[str, ...]

    def __len__(self):
        """The number of hashes in the proof."""
        return len(self.path)


class MerkleTree:
    """An RFC 6962 Merkle tree over leaf hashes (hex), built level by level.

    Level by level, neighbours are hashed in pairs; a node left without a
    partner moves up unchanged (RFC 6962's split at the largest power of two
    gives the same tree). Nothing is duplicated.

    Parameters
    ----------
    leaves : list of str or bytes
        Leaf hashes ``SHA-256(0x00 || data)``, hex (what :func:`row_digests` returns) or raw.

    Examples
    --------
    >>> import hashlib
    >>> leaves = [hashlib.sha256(b"\\x00" + row).hexdigest() for row in (b"a", b"b", b"c")]
    >>> tree = MerkleTree(leaves)
    >>> MerkleTree.verify(leaves[2], tree.proof(2), tree.root)
    True
    >>> MerkleTree.verify(leaves[1], tree.proof(2), tree.root)
    False
    """

    def __init__(self, leaves: Iterable[str | bytes]) -> None:
        leaves = list(leaves)
        if not leaves:
            raise LifecycleKitError("a Merkle tree needs at least one leaf")
        try:
            level = [bytes.fromhex(leaf) if isinstance(leaf, str) else bytes(leaf) for leaf in leaves]
        except (TypeError, ValueError):
            raise LifecycleKitError("Merkle tree leaves must be SHA-256 digests (hex or bytes)") from None
        if any(len(leaf) != 32 for leaf in level):
            raise LifecycleKitError("Merkle tree leaves must be 32-byte (64 hex digit) SHA-256 digests")
        self.levels = [level]
        sha256 = hashlib.sha256
        while len(level) > 1:
            paired = [sha256(NODE_PREFIX + left + right).digest() for left, right in zip(level[::2], level[1::2])]
            if len(level) % 2:
                paired.append(level[-1])  # promoted, not duplicated
            level = paired
            self.levels.append(level)

    @property
    def size(self):
        return len(self.levels[0])

    @property
    def root(self):
        return self.levels[-1][0].hex()

    def proof(self, index: int) -> InclusionProof:
        """The :class:`InclusionProof` of leaf ``index``."""
        if not isinstance(index, (int, np.integer)) or not 0 <= index < self.size:
            raise LifecycleKitError(f"leaf index must be an integer in [0, {self.size - 1}]; got {index!r}")
        index = int(index)
        path, position = [], index
        for level in self.levels[:-1]:
            sibling = position ^ 1
            if sibling < len(level):  # a promoted node has no sibling at this level
                path.append(level[sibling].hex())
            position //= 2
        return InclusionProof(index=index, size=self.size, path=tuple(path))

    @staticmethod
    def verify(leaf: str, proof: InclusionProof, root: str) -> bool:
        """True when leaf hash ``leaf`` with its ``proof`` hashes up to ``root``.

        The walk replays the tree's shape from ``proof.index`` and ``proof.size``:
        a proof with one hash too many or too few — an inner node passed off as a
        leaf — fails.
        """
        if not isinstance(proof, InclusionProof) or not 0 <= proof.index < proof.size:
            return False
        try:
            digest, path = bytes.fromhex(leaf), [bytes.fromhex(h) for h in proof.path]
        except (TypeError, ValueError):
            return False
        position, width, used = proof.index, proof.size, 0
        while width > 1:
            if position % 2 or position + 1 < width:  # this node has a sibling at this level
                if used == len(path):
                    return False
                sibling = path[used]
                used += 1
                digest = _node(sibling, digest) if position % 2 else _node(digest, sibling)
            position, width = position // 2, (width + 1) // 2
        return used == len(path) and digest.hex() == root


def naive_merkle_root(leaves: Iterable[str]) -> str:
    """The root of a *naive* Merkle tree (Bitcoin's): no prefixes, an odd last node paired with itself.

    Shown only to be broken: duplicating the last leaf(s) does not change the root,
    so ``[a, b, c]`` and ``[a, b, c, c]`` are "the same" table (CVE-2012-2459).

    Examples
    --------
    >>> import hashlib
    >>> leaves = [hashlib.sha256(row).hexdigest() for row in (b"1", b"2", b"3")]
    >>> naive_merkle_root(leaves) == naive_merkle_root(leaves + leaves[-1:])
    True
    """
    level = [bytes.fromhex(leaf) for leaf in leaves]
    if not level:
        raise LifecycleKitError("a Merkle tree needs at least one leaf")
    while len(level) > 1:
        if len(level) % 2:
            level = level + level[-1:]  # the flaw: the last node is paired with a copy of itself
        level = [hashlib.sha256(level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level[0].hex()


# --- what changed, and the signed record ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RowDiff:
    """Rows that changed (same position or key, other content), were added or removed, or repeat a key."""

    changed: list[int]
    added: list[int]
    removed: list[int]
    schema_changed: bool = False
    duplicated: list[int] = field(default_factory=list)

    @property
    def ok(self):
        return not (self.changed or self.added or self.removed or self.schema_changed or self.duplicated)

    def summary(self) -> str:
        if self.ok:
            return _("every row matches its recorded digest")
        parts = []
        if self.schema_changed:
            parts.append(_("the columns changed"))
        for label, rows in ((N_("changed rows"), self.changed), (N_("added rows"), self.added),
                            (N_("removed rows"), self.removed), (N_("rows repeating a key"), self.duplicated)):
            if rows:
                shown = ", ".join(map(str, rows[:10])) + (" ..." if len(rows) > 10 else "")
                parts.append(f"{_(label)}: {shown}")
        return "; ".join(parts)


def _tree_root(digests):
    # RFC 6962: the root of an empty tree is the hash of the empty string.
    return MerkleTree(digests).root if digests else hashlib.sha256(b"").hexdigest()


def _statement(columns, n_rows, tree_root, key=None, keys=None):
    body = {"columns": list(columns), "format": ROWS_FORMAT, "rows": n_rows, "tree_root": tree_root}
    if keys is not None:
        # The keys are bound by the root through their digest: an edited key, a key column renamed or a key
        # dropped changes the root, exactly as an edited digest does.
        listed = json.dumps(list(keys), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        body.update(format=KEYED_ROWS_FORMAT, key=key, keys_sha256=hashlib.sha256(listed).hexdigest())
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@dataclass
class RowManifest:
    """The recorded row digests of a table, its columns, and the root that binds them all.

    Attributes
    ----------
    columns : list of str
    digests : list of str
        Leaf hash of every row (:func:`row_digests`).
    root : str
        SHA-256 of :meth:`statement` (columns, row count, tree root) — the one value to sign.
    keys : list of str or None
        Row keys, when recorded with :meth:`with_keys` (rows then match by key);
        bound by the root together with the key column's name.
    tree_root : str
        The RFC 6962 root over the row digests (what inclusion proofs lead to).
    key : str or None
        The name of the key column.
    """

    columns: list[str]
    digests: list[str]
    root: str = field(default="")
    keys: list[Any] | None = field(default=None)
    tree_root: str = field(default="")
    key: str | None = field(default=None)
    # Read from a format-2 file that listed keys its root did not cover: they are not used.
    _unbound_keys: bool = field(default=False, repr=False, compare=False)

    @property
    def n_rows(self):
        return len(self.digests)

    def statement(self) -> bytes:
        """The bytes the root is the SHA-256 of: columns, number of rows and tree root (and the keys), canonical JSON."""
        if self.keys is None or self._unbound_keys:
            return _statement(self.columns, self.n_rows, self.tree_root)
        return _statement(self.columns, self.n_rows, self.tree_root, self.key, self.keys)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> RowManifest:
        leaves = _leaf_hashes(frame)
        tree_root = MerkleTree(leaves).root if leaves else _tree_root([])
        record = cls(columns=[str(c) for c in frame.columns], digests=[leaf.hex() for leaf in leaves],
                     tree_root=tree_root)
        record.root = hashlib.sha256(record.statement()).hexdigest()
        return record

    def diff(self, frame: pd.DataFrame, *, key: str | None = None) -> RowDiff:
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
        if self._unbound_keys:
            raise LifecycleKitError(f"this row manifest (format {ROWS_FORMAT!r}) lists keys its root does not cover, so "
                                    f"they could have been edited: rebuild it with RowManifest.with_keys (format "
                                    f"{KEYED_ROWS_FORMAT!r}), or compare rows by position (key=None)")
        if self.key is not None and key != self.key:
            raise LifecycleKitError(f"this record's rows are keyed by column {self.key!r}, not {key!r}")
        if hashlib.sha256(self.statement()).hexdigest() != self.root:
            raise LifecycleKitError("row manifest: its root does not match its columns, row count, digests and keys")
        position = {k: i for i, k in enumerate(self.keys)}
        changed, added, duplicated = [], [], []
        seen, met = set(), set()
        for i, k in enumerate(_key_texts(frame[key])):
            if k in met:
                duplicated.append(i)  # a second row with the same key: an extra row, whatever its content
                continue
            met.add(k)
            j = position.get(k)
            if j is None:
                added.append(i)
            else:
                seen.add(j)
                if current[i] != self.digests[j]:
                    changed.append(i)
        removed = [j for j in range(len(self.digests)) if j not in seen]
        return RowDiff(changed, added, removed, schema_changed, duplicated)

    @classmethod
    def with_keys(cls, frame: pd.DataFrame, key: str) -> RowManifest:
        """A record whose rows are matched by the values of column ``key`` (unique), the keys bound by its root.

        Examples
        --------
        >>> import pandas as pd
        >>> table = pd.DataFrame({"id": ["a", "b", "c"], "v": [1, 2, 3]})
        >>> record = RowManifest.with_keys(table, "id")
        >>> grown = pd.concat([table, table.iloc[[0, 0, 0]]], ignore_index=True)  # three copies of row 'a'
        >>> record.diff(grown, key="id").duplicated
        [3, 4, 5]
        """
        record = cls.from_frame(frame)
        if key not in frame.columns:
            raise LifecycleKitError(f"key column {key!r} is not in the table")
        keys = _key_texts(frame[key])
        if len(set(keys)) != len(keys):
            raise LifecycleKitError(f"key column {key!r} has duplicate values; a key must name one row")
        record.keys, record.key = keys, str(key)
        record.root = hashlib.sha256(record.statement()).hexdigest()
        return record

    def proof(self, row: int) -> InclusionProof:
        """Inclusion proof of a row (position in the recorded table) against :attr:`tree_root`."""
        if not self.digests:
            raise LifecycleKitError("the recorded table has no rows to prove")
        return MerkleTree(self.digests).proof(row)

    def verify_row(self, frame_row: pd.DataFrame, proof: InclusionProof) -> bool:
        """True when a one-row frame, hashed here from its values, leads through ``proof`` to this record's root."""
        if not isinstance(frame_row, pd.DataFrame) or len(frame_row) != 1:
            raise LifecycleKitError("verify_row needs a one-row DataFrame (table.iloc[[i]])")
        if [str(c) for c in frame_row.columns] != self.columns or proof.size != self.n_rows:
            return False
        if self.tree_root != _tree_root(self.digests) or hashlib.sha256(self.statement()).hexdigest() != self.root:
            return False  # the record does not hold together: trust none of it
        return MerkleTree.verify(row_digests(frame_row)[0], proof, self.tree_root)

    def to_json(self) -> str:
        body = {"format": ROWS_FORMAT, "columns": self.columns, "rows": self.n_rows, "digests": self.digests,
                "tree_root": self.tree_root, "root": self.root}
        if self.keys is not None:
            body["keys"] = self.keys
            if not self._unbound_keys:
                body.update(format=KEYED_ROWS_FORMAT, key=self.key)
        return json.dumps(body)

    @classmethod
    def from_json(cls, text: str | bytes) -> RowManifest:
        """Read a record written by :meth:`to_json`; its root must match its digests."""
        try:
            body = json.loads(text)
        except json.JSONDecodeError as err:
            raise LifecycleKitError(f"row manifest is not valid JSON: {err}") from None
        except RecursionError:
            raise LifecycleKitError("row manifest is nested too deeply to be a row manifest") from None
        found = body.get("format") if isinstance(body, dict) else None
        if found not in (ROWS_FORMAT, KEYED_ROWS_FORMAT):
            raise LifecycleKitError(f"not a lifecycle-kit row manifest (format {ROWS_FORMAT!r} or {KEYED_ROWS_FORMAT!r} "
                                    f"expected; got {found!r})")
        columns, digests = body.get("columns"), body.get("digests")
        if not (isinstance(columns, list) and all(isinstance(c, str) for c in columns)
                and isinstance(digests, list) and all(isinstance(d, str) for d in digests)):
            raise LifecycleKitError("row manifest: 'columns' and 'digests' must be lists of strings")
        keys, key = body.get("keys"), body.get("key")
        if keys is not None and not (isinstance(keys, list) and all(isinstance(k, str) for k in keys)):
            raise LifecycleKitError("row manifest: 'keys' must be a list of strings")
        if found == KEYED_ROWS_FORMAT:
            if keys is None or not isinstance(key, str):
                raise LifecycleKitError(f"row manifest of format {KEYED_ROWS_FORMAT!r} needs 'key' (a column name) and "
                                        "'keys'")
            if len(keys) != len(digests) or len(set(keys)) != len(keys):
                raise LifecycleKitError("row manifest: 'keys' must name each row once (one unique key per digest)")
        try:
            tree_root = _tree_root(digests)
        except LifecycleKitError as err:
            raise LifecycleKitError(f"row manifest: {err}") from None
        record = cls(columns=columns, digests=digests, root=body.get("root"), keys=keys, tree_root=tree_root,
                     key=key if found == KEYED_ROWS_FORMAT else None,
                     _unbound_keys=found == ROWS_FORMAT and keys is not None)
        if (body.get("rows") != len(digests) or body.get("tree_root") != tree_root
                or hashlib.sha256(record.statement()).hexdigest() != record.root):
            raise LifecycleKitError("row manifest: its root does not match its columns, row count, digests and keys")
        return record


def _key_texts(series):
    """Row keys as text (what a key file stores), so 1 and "1" name the same row in a CSV read back."""
    return [str(value) for value in series.tolist()]
