"""Attacks on the kit's integrity, decommissioning and key tools (issue 13): each test is the attack that found a hole.

Every test is named after its attack; its docstring says what the kit did before the fix.
"""

import hashlib
import json

import pandas as pd
import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.integrity import MerkleTree, RowManifest


def _leaf(data):
    return hashlib.sha256(b"\x00" + data).hexdigest()


# --- Merkle tree over rows ------------------------------------------------------------------------------------------

def test_duplicated_last_row_keeps_the_root():
    """Before: rows [1, 2] and [1, 2, 2] had the same Merkle root (the odd last node was paired with itself)."""
    short = RowManifest.from_frame(pd.DataFrame({"v": [1, 2]}))
    padded = RowManifest.from_frame(pd.DataFrame({"v": [1, 2, 2]}))
    assert short.root != padded.root
    assert short.tree_root != padded.tree_root


def test_inner_node_verifies_as_a_leaf():
    """Before: the hash of leaves 0 and 1, with the proof of leaf 0 minus its first step, verified as a leaf."""
    from dataclasses import replace

    leaves = [_leaf(bytes([i])) for i in range(4)]
    tree = MerkleTree(leaves)
    inner = tree.levels[1][0].hex()
    proof = tree.proof(0)
    assert MerkleTree.verify(leaves[0], proof, tree.root)
    assert not MerkleTree.verify(inner, replace(proof, path=proof.path[1:]), tree.root)
    # A leaf is hashed with 0x00 and a node with 0x01, so no row's leaf hash can equal a node.
    assert inner != hashlib.sha256(bytes.fromhex(leaves[0]) + bytes.fromhex(leaves[1])).hexdigest()


def test_proof_replayed_with_a_claimed_smaller_tree():
    """Before: a proof did not say which tree size it was for, so a row manifest accepted a proof of another size."""
    from lifecycle_kit.integrity.rows import InclusionProof

    table = pd.DataFrame({"v": [1, 2, 3, 4]})
    record = RowManifest.from_frame(table)
    genuine = record.proof(0)
    claimed = InclusionProof(index=0, size=2, path=genuine.path[1:])
    assert record.verify_row(table.iloc[[0]], genuine)
    assert not record.verify_row(table.iloc[[0]], claimed)


def test_missing_value_hashes_like_the_text_NA():
    """Before: a missing value was written as the text <NA>, so None and the string '<NA>' had the same digest."""
    missing = RowManifest.from_frame(pd.DataFrame({"name": [None]}, dtype=object))
    text = RowManifest.from_frame(pd.DataFrame({"name": ["<NA>"]}))
    assert missing.digests != text.digests and missing.root != text.root


def test_edited_row_manifest_loads():
    """Before: a row manifest whose digests were edited (last row dropped) loaded with its old root unchallenged."""
    record = RowManifest.from_frame(pd.DataFrame({"v": [1, 2, 3]}))
    body = json.loads(record.to_json())
    body["digests"] = body["digests"][:-1]
    with pytest.raises(LifecycleKitError, match="root does not match"):
        RowManifest.from_json(json.dumps(body))


def test_canonical_form_and_root_are_pinned():
    """The canonical row form is documented: changing it silently would invalidate every signed row manifest."""
    from lifecycle_kit.integrity.rows import canonical_rows

    table = pd.DataFrame({"id": [1, 2, 3], "mass": [3750.0, None, -0.0], "note": ['say "hi", then\nleave', None, "é"]})
    assert canonical_rows(table) == ['["1","3750.0","say \\"hi\\", then\\nleave"]', '["2",null,null]',
                                     '["3","-0.0","é"]']
    record = RowManifest.from_frame(table)
    assert record.digests[1] == _leaf(b'["2",null,null]')
    assert record.statement() == (b'{"columns":["id","mass","note"],"format":"lifecycle-kit-rows/2","rows":3,'
                                  b'"tree_root":"' + record.tree_root.encode() + b'"}')
    # RFC 6962 root of three leaves, computed by hand: H(0x01 || H(0x01 || l0 || l1) || l2).
    l0, l1, l2 = (bytes.fromhex(d) for d in record.digests)
    node = hashlib.sha256(b"\x01" + l0 + l1).digest()
    assert record.tree_root == hashlib.sha256(b"\x01" + node + l2).hexdigest()
    assert record.root == "c91c3dd2fab5c504ead95a1e377914fd67128908e13b2e849e2c7559e1ec4466"


def test_naive_tree_forgery_cve_2012_2459():
    """The teaching function shows the naive tree's forgery; the kit's RFC 6962 tree refuses it."""
    from lifecycle_kit.integrity.rows import naive_merkle_root

    rows = [hashlib.sha256(str(v).encode()).hexdigest() for v in (1, 2, 3)]
    assert naive_merkle_root(rows) == naive_merkle_root(rows + rows[-1:])
    leaves = [_leaf(str(v).encode()) for v in (1, 2, 3)]
    assert MerkleTree(leaves).root != MerkleTree(leaves + leaves[-1:]).root


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31])
def test_roots_and_proofs_match_pymerkle(size):
    """Cross-check against pymerkle (RFC 6962 with security=True: 0x00 leaf and 0x01 node prefixes, SHA-256).

    pymerkle's inclusion path starts with the leaf itself and carries explicit sides ("rule");
    the kit's proof is the rest of that path, the sides following from index and tree size.
    """
    pymerkle = pytest.importorskip("pymerkle")
    data = [f"row {i}".encode() for i in range(size)]
    reference = pymerkle.InmemoryTree(algorithm="sha256")  # security=True is the default
    for item in data:
        reference.append_entry(item)
    tree = MerkleTree([_leaf(item) for item in data])
    assert tree.root == reference.get_root().hex()
    for index in range(size):
        theirs = reference.prove_inclusion(index + 1)  # pymerkle counts leaves from 1
        ours = tree.proof(index)
        assert [bytes.fromhex(h) for h in ours.path] == theirs.path[1:]
        assert theirs.path[0].hex() == _leaf(data[index])
        assert MerkleTree.verify(_leaf(data[index]), ours, tree.root)
        pymerkle.verify_inclusion(bytes.fromhex(_leaf(data[index])), bytes.fromhex(tree.root), theirs)
