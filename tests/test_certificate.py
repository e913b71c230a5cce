"""Completion statements signed with the kit's own signing, Open Badges credentials, and `lifecycle-kit verify`."""

import copy
import json

import pytest

from lifecycle_kit import LifecycleKitError
from lifecycle_kit.cli import main
from lifecycle_kit.course.assessment import POST_TEST, form_keys
from lifecycle_kit.course.certificate import completion_statement, open_badge, sign_certificate, verify_certificate
from lifecycle_kit.course.progress import read_progress, record
from lifecycle_kit.course.selfchecks import for_notebook
from lifecycle_kit.integrity import generate_keypair
from lifecycle_kit.integrity.data_integrity import (
    canonical_json,
    did_key,
    public_key_from_did,
    sign_document,
    verify_document,
)

# W3C Data Integrity EdDSA Cryptosuites v1.0: the eddsa-jcs-2022 test vector (Digital Bazaar's key and proof),
# as published for interoperability testing. Our verifier must accept it and refuse it once changed.
W3C_VECTOR = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    "proof": {
        "type": "DataIntegrityProof", "created": "2023-02-24T23:36:38Z",
        "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
                              "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "cryptosuite": "eddsa-jcs-2022", "proofPurpose": "assertionMethod",
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "proofValue": "z5EhYRJkfPLkoT92FPXN8KK6M9rsBhq3xs19GBSsA6VdNYH4QMKSyNuA2Gfznz9QthVD7Rz3HTAfqxxay23htUpTg",
    },
}


@pytest.fixture(scope="module")
def keys():
    return generate_keypair()


@pytest.fixture
def progress(tmp_path):
    """Ada's progress: every self-check of stage 1 right (one after a wrong try), stage 2 half, the post-test 9/11."""
    path = tmp_path / "progress.jsonl"
    for key in for_notebook("01_conception"):
        record("01_conception", key, event="check", status="incorrect", path=path, user="ada")
        record("01_conception", key, event="check", status="correct", path=path, user="ada")
    record("02_business_requirements", next(iter(for_notebook("02_business_requirements"))), event="check",
           status="correct", path=path, user="ada")
    for i, key in enumerate(form_keys(POST_TEST)):
        record(POST_TEST, key, event="check", status="correct" if i < 9 else "incorrect", path=path, user="ada")
    return path


def test_the_statement_says_what_the_learner_completed(progress):
    statement = completion_statement(read_progress(progress), learner_name=" Ada Lovelace ", issued="2026-03-02")
    assert statement["learner"] == "Ada Lovelace" and statement["user"] == "ada"
    assert statement["stages_completed"] == ["01_conception"] and statement["stages_total"] == 11
    assert statement["post_test"] == {"status": "complete", "right": 9, "items": 11}
    assert statement["issued"] == "2026-03-02" and statement["course_version"]
    canonical_json(statement)  # integers and text only: one canonical form


@pytest.mark.parametrize("bad, message", [
    ({"learner_name": " "}, "learner_name is empty"),
    ({"learner_name": "Ada", "issued": "2 March"}, "issued must be a date"),
    ({"learner_name": "Ada", "user": "bob"}, "no progress records of user 'bob'"),
])
def test_bad_statement_options_are_clear_errors(progress, bad, message):
    with pytest.raises(LifecycleKitError, match=message):
        completion_statement(read_progress(progress), **bad)


@pytest.mark.parametrize("change", [
    lambda s: s.update(learner="Eve Lovelace"),
    lambda s: s["post_test"].update(right=11),
    lambda s: s["stages_completed"].append("02_business_requirements"),
    lambda s: s.update(issued="2025-03-02"),
    lambda s: s.update(course_version="9.9"),
])
def test_a_tampered_statement_fails_verification(progress, keys, change):
    private, public = keys
    statement = completion_statement(read_progress(progress), learner_name="Ada Lovelace", issued="2026-03-02")
    certificate = sign_certificate(statement, private, signed_at="2026-03-02T12:00:00+00:00")
    check = verify_certificate(json.loads(json.dumps(certificate)), public)
    assert check.ok and check.signed_at == "2026-03-02T12:00:00+00:00" and check.statement == statement
    tampered = copy.deepcopy(certificate)
    change(tampered["statement"])
    check = verify_certificate(tampered, public)
    assert not check.ok and "changed after signing" in check.message


def test_another_key_a_moved_signing_time_or_a_foreign_document_fail(progress, keys):
    private, public = keys
    statement = completion_statement(read_progress(progress), learner_name="Ada Lovelace", issued="2026-03-02")
    certificate = sign_certificate(statement, private, signed_at="2026-03-02T12:00:00+00:00")
    assert not verify_certificate(certificate, generate_keypair()[1]).ok
    moved = copy.deepcopy(certificate)
    moved["signatures"]["links"][0]["signed_at"] = "2026-01-01T00:00:00+00:00"  # the time is signed too
    assert not verify_certificate(moved, public).ok
    assert not verify_certificate({"format": "lifecycle-kit-manifest"}, public).ok
    assert not verify_certificate("not json", public).ok
    missing = copy.deepcopy(certificate)
    del missing["statement"]["post_test"]
    assert "lacks post_test" in verify_certificate(missing, public).message


def test_the_kit_verifies_the_w3c_eddsa_jcs_2022_test_vector():
    assert verify_document(W3C_VECTOR) == (True, "proof verifies (eddsa-jcs-2022)")
    for path, value in ((("name",), "Alumni credential"), (("credentialSubject", "alumniOf"), "Another School"),
                        (("proof", "created"), "2023-02-24T23:36:39Z")):
        changed = copy.deepcopy(W3C_VECTOR)
        target = changed
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        assert not verify_document(changed)[0], path


def test_did_key_round_trip_and_canonical_json_rules(keys):
    private, public = keys
    from lifecycle_kit.integrity.signing import _raw_public

    did = did_key(public)
    assert did.startswith("did:key:z6Mk") and public_key_from_did(did + "#key-1").public_bytes_raw() == _raw_public(public)
    with pytest.raises(LifecycleKitError, match="has no canonical form"):
        canonical_json({"score": 0.82})
    assert canonical_json({"b": 1, "a": ["é", None, True]}) == '{"a":["é",null,true],"b":1}'.encode()
    with pytest.raises(LifecycleKitError, match="not a base58btc did:key"):
        public_key_from_did("did:web:example.org")


def test_the_open_badge_is_a_verifiable_credential_that_fails_when_changed(progress, keys):
    private, public = keys
    statement = completion_statement(read_progress(progress), learner_name="Ada Lovelace", issued="2026-03-02")
    badge = open_badge(statement, private, created="2026-03-02T12:00:00Z", issuer_name="Course of 2026")
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["issuer"]["id"] == did_key(public) and badge["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    subject = badge["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Ada Lovelace" and subject["result"][0]["value"] == "9/11"
    assert verify_document(json.loads(json.dumps(badge)), public)[0]
    assert verify_document(badge, generate_keypair()[1]) == (False, "the proof was made with another key than the "
                                                                    "one given")
    forged = copy.deepcopy(badge)
    forged["credentialSubject"]["result"][0]["value"] = "11/11"
    assert not verify_document(forged, public)[0]
    with pytest.raises(LifecycleKitError, match="already has a proof"):
        sign_document(badge, private)


def test_cli_certificate_and_verify(progress, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["keygen", "--out", "teacher"]) == 0
    args = ["certificate", str(progress), "--name", "Ada Lovelace", "--key", "teacher.key", "--output", "ada.json",
            "--badge", "ada-badge.json", "--date", "2026-03-02"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "certificate for Ada Lovelace: 1 of 11 stages completed, post-test 9 of 11" in out
    assert main(["verify", "ada.json", "--pub", "teacher.pub"]) == 0
    assert "ok: ada.json is signed by the holder of teacher.pub" in capsys.readouterr().out
    assert main(["verify", "ada-badge.json", "--pub", "teacher.pub"]) == 0
    capsys.readouterr()
    for name in ("ada.json", "ada-badge.json"):
        path = tmp_path / name
        path.write_text(path.read_text().replace("9/11", "11/11").replace('"right": 9', '"right": 11'))
        assert main(["verify", name, "--pub", "teacher.pub"]) == 1
        assert capsys.readouterr().out.startswith("FAILED: ")
    (tmp_path / "notes.json").write_text("{}")
    assert main(["verify", "notes.json", "--pub", "teacher.pub"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "give its signature file too" in err and err.count("\n") == 1
