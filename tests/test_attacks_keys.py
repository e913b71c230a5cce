"""Attacks on what vouches for data (issue 22): key rotation that revoked nothing, row keys outside the signed root,
audit checkpoints that could be replayed. Each docstring says what the kit did before the fix.
"""

import io
import json
import tarfile

import pandas as pd
import pytest

from lifecycle_kit import IntegrityError, LifecycleKitError
from lifecycle_kit.integrity import (
    RowManifest,
    SignatureChain,
    generate_keypair,
    open_archive,
    rotate_archive_key,
    sign,
    sign_bytes,
    write_archive,
)

FIRST, SECOND = generate_keypair(), generate_keypair()
ARCHIVED, ROTATED, LATER = "2026-11-22T00:00:00+00:00", "2026-11-23T00:00:00+00:00", "2026-12-01T00:00:00+00:00"
TABLE = pd.DataFrame({"id": range(10), "mass": [3500 + 25 * i for i in range(10)]})


def _archive(path, private=FIRST[0], signed_at=ARCHIVED, table=TABLE):
    write_archive(path, tables={"birds": table}, private_key=private, signed_at=signed_at)
    return path


def _members(path):
    with tarfile.open(path, "r:gz") as tar:
        return [(m, tar.extractfile(m).read()) for m in tar.getmembers()]


def _edit_signatures(path, edit):
    """Rewrite SIGNATURES.json of an archive with ``edit(body)``, as an attacker with write access would."""
    members = []
    for info, content in _members(path):
        if info.name == "SIGNATURES.json":
            body = json.loads(content)
            edit(body)
            content = json.dumps(body, indent=2).encode()
        members.append((info, content))
    with tarfile.open(path, "w:gz") as tar:
        for info, content in members:
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


@pytest.fixture
def rotated(tmp_path):
    """An archive signed with the first key, then rotated to the second: (path, the chain head)."""
    path = _archive(tmp_path / "rotated.tar.gz")
    head = rotate_archive_key(path, FIRST[0], SECOND[0], signed_at=ROTATED)
    return path, head


# --- key rotation -----------------------------------------------------------------------------------------------

def test_new_archive_signed_with_the_rotated_out_key_alone(tmp_path, rotated):
    """Before: after rotating k1 -> k2, a new archive signed with k1 alone still verified against k1, and nothing
    could be trusted instead: open_archive(path, k2) refused every archive, the rotated one included (the chain's
    *first* key had to be the trusted one). Now the verifier trusts the current key or holds the chain head: the
    rotated archive verifies from k2 and from the head, and an archive k1 signed alone after the rotation does not."""
    path, head = rotated
    assert open_archive(path, SECOND[1]).ok
    assert open_archive(path, head).ok
    assert open_archive(path, FIRST[1]).ok  # from the original key too: the chain is its history
    forged = _archive(tmp_path / "signed-by-the-old-key.tar.gz", signed_at=LATER)
    by_key = open_archive(forged, SECOND[1])
    assert not by_key.ok and "not in the chain" in by_key.summary()
    by_head = open_archive(forged, head)
    assert not by_head.ok and f"after its rotation on {ROTATED}" in by_head.summary()


def test_signing_time_and_fingerprint_can_be_rewritten(rotated):
    """Before: `signed_at` and `fingerprint` sat outside the signatures: an attacker could re-date a signature (say,
    to before a key's rotation) or relabel its key, and the archive still verified. Now both are signed."""
    path, _ = rotated
    original = path.read_bytes()
    for field, value in (("signed_at", "2020-01-01T00:00:00+00:00"), ("fingerprint", "0123456789abcdef")):
        path.write_bytes(original)

        def rewrite(body, field=field, value=value):
            body["links"][0][field] = value

        _edit_signatures(path, rewrite)
        for trusted in (FIRST[1], SECOND[1]):
            check = open_archive(path, trusted)
            assert not check.ok and "signature:" in check.summary(), (field, check.summary())


def test_chain_cut_back_to_its_first_link(rotated):
    """Before: cutting a rotated chain back to its first link left an archive that verified from the first key, and
    a verifier could not ask for more. Now a chain that stops before the trusted key is refused, and the chain head
    names the cut."""
    path, head = rotated
    _edit_signatures(path, lambda body: body.update(links=body["links"][:1]))
    by_key = open_archive(path, SECOND[1])
    assert not by_key.ok and "cut back" in by_key.summary()
    by_head = open_archive(path, head)
    assert not by_head.ok and "the chain stops at key 1" in by_head.summary() and "cut back" in by_head.summary()


def test_rotation_cannot_be_dated_before_the_signature_it_follows():
    """A rotation dated before the link it follows would make the old key's signature look like one made after its
    own rotation (or hide one that was): refused when written."""
    chain = SignatureChain.start(b"manifest", FIRST[0], signed_at=ROTATED)
    with pytest.raises(LifecycleKitError, match="before the last signature"):
        chain.rotate(b"manifest", FIRST[0], SECOND[0], signed_at=ARCHIVED)
    with pytest.raises(LifecycleKitError, match="ISO 8601 time with a time zone"):
        chain.rotate(b"manifest", FIRST[0], SECOND[0], signed_at="yesterday")


def test_signatures_of_format_1_still_verify_and_rotate(tmp_path):
    """Archives signed before this version (format 1: times and fingerprints unsigned) still verify, from their
    first key or their current one; rotating one appends a format-2 link. A newer format is named, not misread."""
    from lifecycle_kit.integrity.signing import _fingerprint

    manifest = b'{"files":{}}'
    third = generate_keypair()
    old = {"format": "lifecycle-kit-signatures/1", "links": [
        {"public_key": FIRST[1].decode(), "fingerprint": _fingerprint(FIRST[1]), "signed_at": ARCHIVED,
         "manifest_signature": sign(manifest, FIRST[0]), "endorsement": ""},
        {"public_key": SECOND[1].decode(), "fingerprint": _fingerprint(SECOND[1]), "signed_at": ROTATED,
         "manifest_signature": sign(manifest, SECOND[0]), "endorsement": sign_bytes(SECOND[1], FIRST[0])}]}
    chain = SignatureChain.from_json(json.dumps(old))
    assert chain.to_json() == json.dumps(old, indent=2)  # read and written back unchanged
    assert chain.verify(manifest, FIRST[1])[0] and chain.verify(manifest, SECOND[1])[0]
    assert not chain.verify(b'{"files":{"x":1}}', SECOND[1])[0]
    chain.rotate(manifest, SECOND[0], third[0], signed_at=LATER)
    assert json.loads(chain.to_json())["format"] == "lifecycle-kit-signatures/2"
    assert SignatureChain.from_json(chain.to_json()).verify(manifest, third[1]) == (True, "3 key(s), all signatures valid")
    newer = json.dumps({"format": "lifecycle-kit-signatures/9", "links": []})
    with pytest.raises(LifecycleKitError, match="'lifecycle-kit-signatures/9' is not one this version"):
        SignatureChain.from_json(newer)


def test_rotating_an_archive_checks_it_against_the_current_key(tmp_path):
    """Before: rotate_archive_key verified the archive from the first key of the archive's *own* chain (which whoever
    rewrote the archive chose), and only the later 'not the last key' check stopped a stranger's archive. Now the
    archive is verified from the key being rotated out, and refused as not verifying."""
    path = _archive(tmp_path / "a.tar.gz", private=generate_keypair()[0])  # a stranger's archive
    before = path.read_bytes()
    with pytest.raises(IntegrityError, match="does not verify"):
        rotate_archive_key(path, FIRST[0], SECOND[0], signed_at=ROTATED)
    assert path.read_bytes() == before


# --- row keys ---------------------------------------------------------------------------------------------------

def test_keyed_diff_accepts_appended_copies_of_a_row():
    """Before: RowManifest.diff(key=) matched every copy of a row to the one recorded row, so a table with three
    appended copies of row 'a' got "every row matches its recorded digest". Now repeated keys are reported."""
    table = pd.DataFrame({"id": ["a", "b", "c"], "v": [1.5, 2.5, 3.5]})
    record = RowManifest.with_keys(table, "id")
    grown = pd.concat([table, table.iloc[[0, 0, 0]]], ignore_index=True)
    diff = record.diff(grown, key="id")
    assert not diff.ok and diff.duplicated == [3, 4, 5] and "rows repeating a key: 3, 4, 5" in diff.summary()
    assert record.diff(table.iloc[[2, 0, 1]], key="id").ok  # reordered rows still match by key
    shrunk = record.diff(table.iloc[[0, 1]], key="id")
    assert shrunk.removed == [2] and not shrunk.ok


@pytest.mark.parametrize("edit, message", [
    (lambda body: body["keys"].__setitem__(1, "z"), "root does not match"),
    (lambda body: body.update(key="v"), "root does not match"),
    (lambda body: body["keys"].pop(), "one unique key per digest"),
    (lambda body: body["keys"].__setitem__(1, "a"), "one unique key per digest"),
    (lambda body: body.update(keys=[[1], [2], [3]]), "'keys' must be a list of strings"),
])
def test_edited_keys_load(edit, message):
    """Before: the keys were not bound by the root: an edited key list loaded (and a list of lists then crashed
    diff with TypeError: unhashable type). Now the root covers the key column's name and the keys."""
    record = RowManifest.with_keys(pd.DataFrame({"id": ["a", "b", "c"], "v": [1, 2, 3]}), "id")
    body = json.loads(record.to_json())
    assert body["format"] == "lifecycle-kit-rows/3"
    edit(body)
    with pytest.raises(LifecycleKitError, match=message):
        RowManifest.from_json(json.dumps(body))


def test_keyed_record_of_format_2_names_its_version():
    """A keyed record written before this version (format 2, keys outside its root) still loads and compares rows by
    position; comparing by its unbound keys is refused with the format named."""
    import hashlib

    table = pd.DataFrame({"id": ["a", "b", "c"], "v": [1, 2, 3]})
    plain = RowManifest.from_frame(table)
    old = json.loads(plain.to_json()) | {"keys": ["a", "b", "c"]}  # what with_keys wrote before
    record = RowManifest.from_json(json.dumps(old))
    assert record.root == plain.root == hashlib.sha256(plain.statement()).hexdigest()
    assert record.diff(table).ok
    with pytest.raises(LifecycleKitError, match="format 'lifecycle-kit-rows/2'.*rebuild it with RowManifest.with_keys"):
        record.diff(table, key="id")


# --- audit checkpoints ------------------------------------------------------------------------------------------

AUDITOR = generate_keypair()


def _layer(log=None):
    from lifecycle_kit.platform import AccessLayer, Scope

    frame = pd.DataFrame({"island": ["Dream", "Biscoe"], "mass": [3500, 4200], "id": ["N1A1", "N2A1"]})
    return AccessLayer(frame, {"analyst": Scope(columns=["island", "mass"])}, log=log)


def _reads(layer, n):
    from lifecycle_kit.platform import AccessDenied

    for i in range(n):
        try:
            layer.read("analyst", columns=["id"] if i % 3 == 2 else ["mass"], purpose="report")
        except AccessDenied:
            pass


def test_older_checkpoint_presented_after_truncation():
    """Before: with checkpoints at 5 and 10 entries, cutting the log to 7 and presenting the first checkpoint
    verified: a checkpoint said nothing of when it was made or which came first. Now it carries its log, a counter
    and a time, all signed: a verifier who remembers the newest (seen=) or asks for a recent one (max_age=) refuses
    the older one."""
    from datetime import datetime, timedelta, timezone

    layer = _layer()
    _reads(layer, 5)
    first = layer.log.checkpoint(AUDITOR[0])
    _reads(layer, 5)
    second = layer.log.checkpoint(AUDITOR[0])
    assert (first.counter, second.counter) == (1, 2) and first.log_id == second.log_id == layer.log.log_id
    del layer.log.entries[7:]
    assert layer.log.verify(checkpoint=second, public_key=AUDITOR[1]) == (False, 7)
    # The older checkpoint alone still holds: it proves nothing about the entries after it (that is the lesson).
    assert layer.log.verify(checkpoint=first, public_key=AUDITOR[1]) == (True, None)
    with pytest.raises(IntegrityError, match="older than checkpoint 2"):
        layer.log.verify(checkpoint=first, public_key=AUDITOR[1], seen=second)
    with pytest.raises(IntegrityError, match="older than checkpoint 2"):
        layer.log.verify(checkpoint=first, public_key=AUDITOR[1], seen=2)
    made = datetime.fromisoformat(first.time)
    with pytest.raises(IntegrityError, match="longer ago than max_age"):
        layer.log.verify(checkpoint=first, public_key=AUDITOR[1], max_age=3600, now=made + timedelta(hours=2))
    assert layer.log.verify(checkpoint=first, public_key=AUDITOR[1], max_age=timedelta(hours=1),
                            now=made + timedelta(minutes=5)) == (True, None)
    assert made.tzinfo is not None and made <= datetime.now(timezone.utc)


def test_checkpoint_of_another_log_with_the_same_entries():
    """Before: two logs with the same entries had the same head, so one log's checkpoint verified the other. Now each
    log has an identity its chain starts from, named by its checkpoints."""
    from lifecycle_kit.platform import AuditLog

    def clock():
        return "2026-11-22T00:00:00+00:00"

    first, other = _layer(AuditLog(clock=clock)), _layer(AuditLog(clock=clock))
    _reads(first, 4)
    _reads(other, 4)
    checkpoint = first.log.checkpoint(AUDITOR[0])
    assert first.log.verify(checkpoint=checkpoint, public_key=AUDITOR[1]) == (True, None)
    assert first.log.head != other.log.head
    with pytest.raises(IntegrityError, match="not of this log"):
        other.log.verify(checkpoint=checkpoint, public_key=AUDITOR[1])


def test_checkpoint_of_format_1_is_refused_by_name():
    """A checkpoint without log, counter and time (format 1) cannot show it is the newest: refused, format named."""
    from lifecycle_kit.integrity import sign_bytes as sign_statement
    from lifecycle_kit.platform import AuditCheckpoint

    layer = _layer()
    _reads(layer, 2)
    unsigned = AuditCheckpoint(len(layer.log.entries), layer.log.head, "")
    old = AuditCheckpoint(unsigned.length, unsigned.head, sign_statement(unsigned.statement(), AUDITOR[0]))
    with pytest.raises(IntegrityError, match="format 'lifecycle-kit-audit-checkpoint/1'"):
        layer.log.verify(checkpoint=old, public_key=AUDITOR[1])


def test_where_key_1_and_text_1_hash_alike():
    """Before: entries were hashed as JSON, where a mapping's keys 1 and "1" are the same key "1": a filter on column
    1 could be rewritten as a filter on column "1" (or back) without changing the chain."""
    from lifecycle_kit.platform import AuditLog

    entry = {"seq": 0, "time": "2026-11-22T00:00:00+00:00", "role": "analyst", "outcome": "denied",
             "previous": "0" * 64}
    as_number = AuditLog._digest(entry | {"where": {1: ["Dream"]}})
    as_text = AuditLog._digest(entry | {"where": {"1": ["Dream"]}})
    assert as_number != as_text
    assert AuditLog._digest(entry | {"where": {1: [1]}}) != AuditLog._digest(entry | {"where": {1: ["1"]}})
    assert AuditLog._digest(entry | {"where": {1: [True]}}) != AuditLog._digest(entry | {"where": {1: [1]}})
