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


# --- decommissioning never follows links ----------------------------------------------------------------------------

@pytest.fixture
def victim(tmp_path):
    """A file outside the folder being cleaned, which an attacker wants destroyed or read."""
    path = tmp_path / "elsewhere" / "thesis.tex"
    path.parent.mkdir()
    path.write_bytes(b"\\chapter{Years of work}\n" * 100)
    return path


def test_overwrite_and_delete_through_a_symlink(tmp_path, victim):
    """Before: overwrite_and_delete on a symlink overwrote the file it points to with random bytes."""
    from lifecycle_kit.decommission import overwrite_and_delete

    link = tmp_path / "rows.csv"
    link.symlink_to(victim)
    original = victim.read_bytes()
    with pytest.raises(LifecycleKitError, match="symbolic link"):
        overwrite_and_delete(link)
    assert victim.read_bytes() == original and link.is_symlink()


def test_overwrite_and_delete_of_a_hard_link(tmp_path, victim):
    """Before: a hard link to a file elsewhere was overwritten, destroying the data under its other name."""
    from lifecycle_kit.decommission import overwrite_and_delete

    link = tmp_path / "rows.csv"
    try:
        link.hardlink_to(victim)
    except OSError:
        pytest.skip("this file system has no hard links")
    original = victim.read_bytes()
    with pytest.raises(LifecycleKitError, match="hard links"):
        overwrite_and_delete(link)
    assert victim.read_bytes() == original


def _workspace(tmp_path):
    from lifecycle_kit.decommission import build_workspace

    frame = pd.DataFrame({"a": [1.25, 2.5, 3.75, 5.125], "b": [10.5, 20.25, 30.125, 40.0625]})
    folder = tmp_path / "workspace"
    artefacts = build_workspace(frame, [0, 1, 0, 1], folder)
    return frame, folder, artefacts


def test_purge_through_a_planted_link(tmp_path, victim):
    """Before: purge overwrote and deleted the target of a symlink planted among the artefacts or in a linked folder."""
    from lifecycle_kit.decommission import purge

    frame, folder, artefacts = _workspace(tmp_path)
    (folder / "cache" / "planted.pkl").symlink_to(victim)
    (folder / "logs" / "old").symlink_to(victim.parent, target_is_directory=True)
    original = victim.read_bytes()
    report = purge(folder, ["cache", "log"], artefacts)
    assert victim.read_bytes() == original
    skipped = dict(report.skipped)
    assert "symbolic link" in skipped["cache/planted.pkl"] and "symbolic link" in skipped["logs/old"]
    assert sorted(r.path.split("workspace/")[1] for r in report) == ["cache/frame.pkl", "logs/serving.log"]
    assert (folder / "cache" / "planted.pkl").is_symlink()


def test_inventory_and_rescan_follow_links(tmp_path, victim):
    """Before: inventory listed a linked file (with its target's size) and rescan read a file outside the folder."""
    from lifecycle_kit.decommission import inventory, rescan, skipped_entries

    frame, folder, _ = _workspace(tmp_path)
    outside = tmp_path / "elsewhere" / "rows.csv"
    frame.to_csv(outside, index=False)
    (folder / "raw" / "link.csv").symlink_to(outside)
    (folder / "linked").symlink_to(outside.parent, target_is_directory=True)
    assert "raw/link.csv" not in set(inventory(folder)["path"])
    assert not any(p.startswith("linked/") for p in rescan(folder, frame)["path"])
    assert set(skipped_entries(folder)["path"]) == {"raw/link.csv", "linked"}


# --- what a residue looks like --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def penguin_rows():
    from lifecycle_kit.datasets import load

    frame = load("penguins").frame.dropna().reset_index(drop=True)
    return frame.head(60)[["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"]]


def _found(tmp_path, frame, name, write):
    from lifecycle_kit.decommission import rescan

    folder = tmp_path / "scan"
    folder.mkdir(exist_ok=True)
    write(folder / name)
    result = rescan(folder, frame).set_index("path")["rows_found"]
    return int(result[name])


def test_csv_copy_with_integer_column(tmp_path, penguin_rows):
    """Before: 0 of 60 rows were found in a CSV whose integer column prints as 2007 rather than 2007.0."""
    frame = penguin_rows.assign(year=penguin_rows["year"].astype(int), flipper_length_mm=penguin_rows[
        "flipper_length_mm"].astype(int), body_mass_g=penguin_rows["body_mass_g"].astype(int))
    assert _found(tmp_path, frame, "copy.csv", lambda p: frame.to_csv(p, index=False)) == 60


@pytest.mark.parametrize("name, write", [
    ("copy.csv.gz", lambda f, p: f.to_csv(p, index=False, compression="gzip")),
    ("copy.tsv", lambda f, p: f.to_csv(p, index=False, sep="\t")),
    ("copy-semicolon.csv", lambda f, p: f.assign(note="x").to_csv(p, index=False, sep=";")),
    ("copy.json", lambda f, p: f.to_json(p)),
    ("copy-records.json", lambda f, p: f.to_json(p, orient="records")),
    ("copy.jsonl", lambda f, p: f.to_json(p, orient="records", lines=True)),
    ("copy32.npy", lambda f, p: __import__("numpy").save(p, f.to_numpy().astype("float32"))),
    ("copy.npz", lambda f, p: __import__("numpy").savez_compressed(p, x=f.to_numpy())),
    ("copy-fortran.npy", lambda f, p: __import__("numpy").save(p, __import__("numpy").asfortranarray(f.to_numpy()))),
])
def test_residue_in_other_formats(tmp_path, penguin_rows, name, write):
    """Before: rescan missed gzip, TSV, ';', JSON, float32 and .npz copies of the rows (0 found)."""
    frame = penguin_rows.astype(float)
    assert _found(tmp_path, frame, name, lambda p: write(frame, p)) == 60


def test_unrelated_zeros_and_ones_are_not_residue(tmp_path):
    """Before: any file holding the doubles 0.0 and 1.0 somewhere 'contained' every row made only of 0s and 1s."""
    import numpy as np

    frame = pd.DataFrame({"smoker": [0.0, 1.0, 1.0, 0.0], "insured": [1.0, 0.0, 1.0, 0.0], "x": [0.0, 0.0, 1.0, 1.0]})
    unrelated = np.random.default_rng(0).normal(size=1000)
    unrelated[[10, 500]] = [0.0, 1.0]
    assert _found(tmp_path, frame, "weights.npy", lambda p: np.save(p, unrelated)) == 0


# --- signed archives ------------------------------------------------------------------------------------------------

ARCHIVIST = None


def _keys():
    global ARCHIVIST
    if ARCHIVIST is None:
        from lifecycle_kit.integrity import generate_keypair

        ARCHIVIST = generate_keypair()
    return ARCHIVIST


def _signed_archive(tmp_path):
    from lifecycle_kit.integrity import write_archive

    table = pd.DataFrame({"id": range(10), "mass": [3500 + 25 * i for i in range(10)]})
    path = tmp_path / "archive.tar.gz"
    write_archive(path, tables={"birds": table}, private_key=_keys()[0], signed_at="2026-11-22T00:00:00+00:00")
    return path


def _members(path):
    import tarfile

    with tarfile.open(path, "r:gz") as tar:
        return [(m, tar.extractfile(m).read()) for m in tar.getmembers()]


def _rewrite(path, members):
    import io
    import tarfile

    with tarfile.open(path, "w:gz") as tar:
        for info, content in members:
            info = tarfile.TarInfo(info.name) if not isinstance(info, tarfile.TarInfo) else info
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


def test_tampered_member_followed_by_the_genuine_one(tmp_path):
    """Before: a tampered data/birds.csv followed by the genuine one under the same name verified (ok=True)."""
    from lifecycle_kit import IntegrityError
    from lifecycle_kit.integrity import open_archive

    path = _signed_archive(tmp_path)
    members = _members(path)
    genuine = next((m, c) for m, c in members if m.name == "data/birds.csv")
    import copy

    forged = (copy.copy(genuine[0]), genuine[1].replace(b"3500", b"9999"))
    _rewrite(path, [forged] + members)
    with pytest.raises(IntegrityError, match="more than once"):
        open_archive(path, _keys()[1], extract_to=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_extraction_through_a_link_in_the_target(tmp_path):
    """Before: with target/data -> ../target-evil, the string-prefix check let the tables be written outside."""
    from lifecycle_kit import IntegrityError
    from lifecycle_kit.integrity import open_archive

    path = _signed_archive(tmp_path)
    target, evil = tmp_path / "target", tmp_path / "target-evil"
    target.mkdir()
    evil.mkdir()
    (target / "data").symlink_to(evil, target_is_directory=True)
    with pytest.raises(IntegrityError, match="is a link"):
        open_archive(path, _keys()[1], extract_to=target)
    assert list(evil.iterdir()) == [] and not (target / "MANIFEST.json").exists()


def test_gzip_bomb_member_is_read_into_memory(tmp_path):
    """Before: every member was read into memory first: 64 MiB of zeros (64 KB compressed) took 64 MiB and more."""
    import io
    import tarfile
    import tracemalloc

    from lifecycle_kit.integrity import open_archive

    path = _signed_archive(tmp_path)
    members = _members(path)
    bomb = tmp_path / "bomb.tar.gz"
    with tarfile.open(bomb, "w:gz", compresslevel=1) as tar:
        for info, content in members:
            tar.addfile(info, io.BytesIO(content))
        info = tarfile.TarInfo("data/zeros.csv")
        info.size = 64 << 20

        class Zeros:
            left = info.size

            def read(self, size=-1):
                size = self.left if size < 0 else min(size, self.left)
                self.left -= size
                return bytes(size)

        tar.addfile(info, Zeros())
    tracemalloc.start()
    check = open_archive(bomb, _keys()[1])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not check.ok and "data/zeros.csv is not in the manifest" in check.summary()
    assert peak < 32 << 20, f"peak {peak / 2**20:.0f} MiB"  # the member alone is 64 MiB


def test_member_size_differs_from_the_manifest(tmp_path):
    """A member claiming another size than the manifest records is refused without being read."""
    from lifecycle_kit.integrity import open_archive

    path = _signed_archive(tmp_path)
    members = [(m, c + b"1,1\n" if m.name == "data/birds.csv" else c) for m, c in _members(path)]
    _rewrite(path, members)
    check = open_archive(path, _keys()[1])
    assert not check.ok and "size" in check.summary()


def test_rotating_the_key_of_a_tampered_archive(tmp_path):
    """Before: rotate_archive_key re-signed a tampered archive (a forged manifest) with the new key, no questions."""
    from lifecycle_kit import IntegrityError
    from lifecycle_kit.integrity import generate_keypair, rotate_archive_key
    from lifecycle_kit.integrity.tamper import tamper_archive

    path = _signed_archive(tmp_path)
    tamper_archive(path, "manifest forged", table="birds", row=3)
    before = path.read_bytes()
    with pytest.raises(IntegrityError, match="does not verify"):
        rotate_archive_key(path, _keys()[0], generate_keypair()[0])
    assert path.read_bytes() == before


# --- manifests --------------------------------------------------------------------------------------------------

@pytest.fixture
def recorded(tmp_path):
    from lifecycle_kit.integrity import build_manifest

    folder = tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.csv").write_text("x,y\n1,2\n")
    (folder / "sub" / "b.csv").write_text("z\n3\n")
    return folder, build_manifest(folder)


def test_symlink_planted_in_a_verified_folder(recorded, victim):
    """Before: a symlink added to a verified folder (or replacing a recorded file) was skipped and the folder was ok."""
    from lifecycle_kit.integrity import build_manifest, verify_manifest

    folder, manifest = recorded
    (folder / "extra.csv").symlink_to(victim)
    (folder / "sub" / "b.csv").unlink()
    (folder / "sub" / "b.csv").symlink_to(victim)
    result = verify_manifest(folder, manifest)
    assert not result.ok and result.links == ["extra.csv", "sub/b.csv"] and "links" in result.summary()
    with pytest.raises(LifecycleKitError, match="links: extra.csv"):
        build_manifest(folder)


def test_unreadable_subfolder_is_skipped(recorded, monkeypatch):
    """Before: a subfolder that could not be read was skipped silently: its files counted as 'missing' at most."""
    import os

    from lifecycle_kit.integrity import verify_manifest

    folder, manifest = recorded
    real_scandir = os.scandir

    def scandir(path="."):  # what a folder without read permission does (the tests may run as root)
        if os.fspath(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = verify_manifest(folder, manifest)
    assert not result.ok and result.unreadable == ["sub/"] and "unreadable: sub/" in result.summary()


@pytest.mark.parametrize("text, message", [
    ('{"format":"lifecycle-kit-manifest/1","files":{},"files":{"a.csv":{"sha256":"' + "0" * 64 + '","size":1}}}',
     "duplicate key"),
    ('{"format":"lifecycle-kit-manifest/1","files":{},"signed_by":"the auditor"}', "outside the signed form"),
    ('{"format":"lifecycle-kit-manifest/1","files":{"a.csv":{"sha256":"' + "0" * 64 + '","size":1,"note":"x"}}}',
     "must map each path"),
    ('{"format":"lifecycle-kit-manifest/1","files":{"../etc/passwd":{"sha256":"' + "0" * 64 + '","size":1}}}',
     "no '..'"),
    ('{"format":"lifecycle-kit-manifest/1","files":{},"exclude":5}', "'exclude' must be a list"),
    ('[' * 200_000 + ']' * 200_000, "nested too deeply"),
])
def test_manifest_fields_outside_the_signed_form(text, message):
    """Before: unknown fields, a duplicate 'files' key, 'exclude': 5 and deep nesting were accepted or crashed."""
    from lifecycle_kit.integrity import Manifest

    with pytest.raises(LifecycleKitError, match=message):
        Manifest.from_json(text)


# --- keys and the command line ----------------------------------------------------------------------------------

def _cli(*args, cwd):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "lifecycle_kit.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={"PATH": "/usr/bin:/bin"})
    return proc.returncode, proc.stdout, proc.stderr


def test_keygen_writes_through_a_dangling_link(tmp_path):
    """Before: keygen wrote the private key through a dangling OUT.key link to wherever it pointed."""
    import stat

    elsewhere = tmp_path / "elsewhere.pem"
    (tmp_path / "steward.key").symlink_to(elsewhere)
    code, _, err = _cli("keygen", "--out", "steward", cwd=tmp_path)
    assert code == 2 and "exists" in err and not elsewhere.exists()
    code, _, _ = _cli("keygen", "--out", "steward", "--force", cwd=tmp_path)
    assert code == 0 and not elsewhere.exists() and not (tmp_path / "steward.key").is_symlink()
    assert stat.S_IMODE((tmp_path / "steward.key").stat().st_mode) == 0o600


def test_keygen_key_is_never_world_readable(tmp_path, monkeypatch):
    """Before: the private key was created with the default mode (0644 under umask 022) and chmod-ed afterwards."""
    import argparse
    import os
    import stat

    from lifecycle_kit import cli

    modes = []
    real_open = os.open

    def recording_open(path, flags, mode=0o777, *rest, **kw):
        fd = real_open(path, flags, mode, *rest, **kw)
        if str(path).endswith(".key"):
            modes.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return fd

    monkeypatch.setattr(os, "open", recording_open)
    monkeypatch.chdir(tmp_path)
    args = argparse.Namespace(out="steward", force=False, passphrase_env=None, passphrase=False)
    cli._cmd_keygen(args)
    assert modes and all(mode & 0o077 == 0 for mode in modes)


@pytest.mark.parametrize("body", ['{"format":"lifecycle-kit-manifest/1","files":{},"exclude":5}',
                                  '[' * 200_000 + ']' * 200_000])
def test_cli_manifest_verify_with_a_hostile_manifest(tmp_path, body):
    """Before: 'exclude': 5 ended in a TypeError traceback and 200,000 nested brackets in a RecursionError."""
    (tmp_path / "data").mkdir()
    (tmp_path / "m.json").write_text(body)
    code, _, err = _cli("manifest", "verify", "data", "m.json", cwd=tmp_path)
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_residue_of_rows_with_missing_values(tmp_path, penguin_rows):
    """A row with a missing value is found by its present values in text, and the scan does not fail on NaN."""
    import numpy as np

    frame = penguin_rows.astype(float)
    frame.iloc[3, 0] = np.nan
    assert _found(tmp_path, frame, "copy.csv", lambda p: frame.to_csv(p, index=False)) == 60


@pytest.mark.parametrize("reader", ["signatures", "rows"])
def test_deeply_nested_signature_chain_or_row_manifest(reader):
    """Before: 200,000 nested brackets in SIGNATURES.json or a .rows.json raised RecursionError (a traceback)."""
    from lifecycle_kit.integrity import SignatureChain

    text = "[" * 200_000 + "]" * 200_000
    with pytest.raises(LifecycleKitError, match="nested too deeply"):
        (SignatureChain.from_json if reader == "signatures" else RowManifest.from_json)(text)


def test_signature_chain_with_malformed_links():
    """Before: a link without a public key loaded, then verification failed with a KeyError."""
    from lifecycle_kit.integrity import SignatureChain

    with pytest.raises(LifecycleKitError, match="links must be objects"):
        SignatureChain.from_json('{"format": "lifecycle-kit-signatures/1", "links": [{"endorsement": ""}]}')
