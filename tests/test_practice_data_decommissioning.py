"""Stage 9 practice: the learner's Merkle root is the kit's RFC 6962 root; changed rows match RowManifest.diff."""

import hashlib

import pandas as pd
import pytest

from lifecycle_kit.course.selfchecks.data_decommissioning import _changed_rows, _merkle_root
from lifecycle_kit.datasets import load
from lifecycle_kit.integrity.rows import MerkleTree, RowManifest, naive_merkle_root, row_digests


@pytest.mark.parametrize("rows", [1, 2, 3, 5, 8, 13, 100])
def test_the_exercise_root_is_the_kits_merkle_root(rows):
    leaves = row_digests(load("penguins").frame.head(rows))
    assert _merkle_root(leaves) == MerkleTree(leaves).root


def test_the_root_of_no_leaves_is_the_rfc_6962_empty_hash():
    assert _merkle_root([]) == hashlib.sha256(b"").hexdigest()


def test_duplicating_the_last_row_changes_this_root_but_not_the_naive_one():
    leaves = row_digests(load("penguins").frame.head(5))
    assert naive_merkle_root(leaves) == naive_merkle_root(leaves + leaves[-1:])
    assert _merkle_root(leaves) != _merkle_root(leaves + leaves[-1:])


def test_changed_rows_agree_with_row_manifest_diff():
    table = load("penguins").frame.head(40).reset_index(drop=True)
    changed = table.copy()
    changed.loc[[3, 17], "body_mass_g"] = 9999.0
    assert _changed_rows(row_digests(table), row_digests(changed)) == [3, 17]
    assert RowManifest.from_frame(table).diff(changed).changed == [3, 17]
    assert _changed_rows(row_digests(table), row_digests(pd.concat([table, table.tail(1)]))) == [40]
