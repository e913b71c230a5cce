"""A completion statement anyone can verify offline: built from a learner's progress, signed by the instructor.

The course's integrity lesson (stage 4: a digest says *whether* data changed, a
signature says *who* vouched for it) applied to its own credentials:

- :func:`completion_statement` reads a learner's progress records into a
  statement: the learner's name, the course and its version, the stages
  completed (every self-check of the stage's notebook answered right), the
  post-test score and the date.
- :func:`sign_certificate` signs the statement with the instructor's Ed25519
  key through the kit's own :class:`~lifecycle_kit.integrity.SignatureChain`
  (the signature covers the statement's digest, the key's fingerprint and the
  signing time), and :func:`verify_certificate` checks it with the instructor's
  public key; ``lifecycle-kit certificate`` and ``lifecycle-kit verify`` do the
  same from the command line.
- :func:`open_badge` writes the same statement as an Open Badges 3.0
  credential (a W3C Verifiable Credential) with a Data Integrity proof
  (``eddsa-jcs-2022``, :mod:`lifecycle_kit.integrity.data_integrity`) that
  other wallets and verifiers can check, offline too.

What verification proves, and what it does not: a valid signature binds the
statement, byte for byte, to the private key that signed it — a changed name,
score or stage fails. It does not say who holds that key (the verifier must get
the instructor's public key from the instructor, out of band), and it does not
prove that the learner did the work themselves: the statement is built from the
learner's own progress file, which records verdicts honestly only as long as
nobody edits it, and the self-checks' answers are in the course's source.

Examples
--------
>>> from lifecycle_kit.course.progress import read_progress
>>> from lifecycle_kit.integrity import generate_keypair
>>> statement = completion_statement(read_progress([]), learner_name="Ada Lovelace", issued="2026-03-02")
>>> statement["learner"], statement["stages_total"], statement["post_test"]["status"]
('Ada Lovelace', 11, 'not taken')
>>> private, public = generate_keypair()
>>> certificate = sign_certificate(statement, private, signed_at="2026-03-02T12:00:00+00:00")
>>> verify_certificate(certificate, public).ok
True
>>> certificate["statement"]["learner"] = "Eve"
>>> verify_certificate(certificate, public).ok
False
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lifecycle_kit.errors import LifecycleKitError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CERTIFICATE_FORMAT", "COURSE", "CertificateCheck", "completion_statement", "open_badge",
           "sign_certificate", "verify_certificate"]

#: The ``format`` of a signed certificate document (what ``lifecycle-kit verify`` recognises).
CERTIFICATE_FORMAT = "lifecycle-kit-certificate/1"
STATEMENT_FORMAT = "lifecycle-kit-completion/1"
#: The course's name as a completion statement gives it.
COURSE = "Lifecycle Kit: data quality and integrity across the AI data life cycle (ISO/IEC 8183)"
# What the key signs: a statement of this kind, never bytes that could be read as something else (a manifest).
_DOMAIN = b"lifecycle-kit-completion-statement/1\n"
_STATEMENT_FIELDS = ("format", "learner", "user", "course", "course_version", "stages_completed", "stages_total",
                     "post_test", "issued")


def completion_statement(records: pd.DataFrame, *, learner_name: str, user: str | None = None,
                         issued: str | None = None, course_version: str | None = None) -> dict[str, Any]:
    """What a learner completed, from their progress records.

    Parameters
    ----------
    records : pandas.DataFrame
        The learner's progress records (:func:`lifecycle_kit.course.progress.read_progress`).
    learner_name : str
        The name to write on the statement (the progress file knows only a login).
    user : str, default=None
        Keep only this login's records; by default every record is the learner's.
    issued : str, default=None
        The date, ``YYYY-MM-DD`` (default: today, UTC).
    course_version : str, default=None
        Default: the kit's version.

    Returns
    -------
    dict
        ``format, learner, user, course, course_version, stages_completed`` (the stage
        notebooks, 01 to the capstone, whose every self-check was answered right),
        ``stages_total, post_test`` (``status, right, items``), ``issued``. Integers and
        text only, so that its canonical form is unambiguous.
    """
    from datetime import datetime, timezone

    from lifecycle_kit import __version__
    from lifecycle_kit.course.assessment import learner_assessment
    from lifecycle_kit.course.stages import list_stages
    from lifecycle_kit.course.summary import summarise_progress

    name = str(learner_name).strip()
    if not name:
        raise LifecycleKitError("learner_name is empty: write the learner's name as it should appear")
    if user is not None:
        records = records[records["user"] == user]
        if records.empty:
            raise LifecycleKitError(f"no progress records of user {user!r}")
    logins = sorted(set(records["user"]))
    if issued is None:
        issued = datetime.now(timezone.utc).date().isoformat()
    try:
        datetime.strptime(issued, "%Y-%m-%d")
    except (TypeError, ValueError):
        raise LifecycleKitError(f"issued must be a date YYYY-MM-DD; got {issued!r}") from None
    summary = summarise_progress(records).set_index("notebook")
    stages = [s.notebook.removesuffix(".ipynb") for s in list_stages()]
    completed = [nb for nb in stages if nb in summary.index and summary.loc[nb, "questions"] > 0
                 and summary.loc[nb, "answered_right"] == summary.loc[nb, "questions"]]
    post = learner_assessment(records).post
    return {"format": STATEMENT_FORMAT, "learner": name, "user": user or ", ".join(logins),
            "course": COURSE, "course_version": course_version or __version__,
            "stages_completed": completed, "stages_total": len(stages),
            "post_test": {"status": post.status, "right": int(post.right), "items": int(post.items)},
            "issued": issued}


def _statement_bytes(statement):
    from lifecycle_kit.integrity.data_integrity import canonical_json

    return _DOMAIN + canonical_json(statement)


def sign_certificate(statement: dict[str, Any], private_key: str | bytes, *, passphrase: str | bytes | None = None,
                     signed_at: str | None = None) -> dict[str, Any]:
    """The statement with the instructor's signature: ``{"format", "statement", "signatures"}`` (JSON-ready).

    The signature is a one-link :class:`~lifecycle_kit.integrity.SignatureChain`
    over the statement's canonical bytes: it covers the statement, the key's
    fingerprint and ``signed_at`` (default now), and the chain can take a key
    rotation later like any archive's.
    """
    from lifecycle_kit.integrity import SignatureChain

    _check_statement(statement)
    chain = SignatureChain.start(_statement_bytes(statement), private_key, passphrase=passphrase, signed_at=signed_at)
    return {"format": CERTIFICATE_FORMAT, "statement": statement, "signatures": json.loads(chain.to_json())}


def _check_statement(statement):
    if not isinstance(statement, dict) or statement.get("format") != STATEMENT_FORMAT:
        raise LifecycleKitError(f"not a completion statement (format {STATEMENT_FORMAT})")
    missing = [f for f in _STATEMENT_FIELDS if f not in statement]
    if missing:
        raise LifecycleKitError(f"completion statement lacks {', '.join(missing)}")


@dataclass(frozen=True)
class CertificateCheck:
    """The result of :func:`verify_certificate`.

    Attributes
    ----------
    ok : bool
    message : str
        Why not, or which key signed and when.
    statement : dict or None
        The statement, as read (trust it only when ``ok``).
    signed_at : str or None
        The signing time the signature covers (the signer's clock).
    """

    ok: bool
    message: str
    statement: dict[str, Any] | None = None
    signed_at: str | None = None


def verify_certificate(document: Any, public_key: str | bytes) -> CertificateCheck:
    """Check a certificate (a dict, or its JSON text) against the instructor's public key (PEM).

    A statement changed after signing (a name, a score, a stage) fails; so does a
    certificate signed by any other key.
    """
    from lifecycle_kit.integrity import SignatureChain

    if isinstance(document, (str, bytes)):
        try:
            document = json.loads(document)
        except (ValueError, RecursionError):
            return CertificateCheck(False, "not a certificate: not JSON")
    if not isinstance(document, dict) or document.get("format") != CERTIFICATE_FORMAT:
        return CertificateCheck(False, f"not a certificate (format {CERTIFICATE_FORMAT})")
    statement = document.get("statement")
    try:
        _check_statement(statement)
        chain = SignatureChain.from_json(json.dumps(document.get("signatures")))
        ok, message = chain.verify(_statement_bytes(statement), public_key)
    except LifecycleKitError as err:
        return CertificateCheck(False, str(err), statement if isinstance(statement, dict) else None)
    signed_at = chain.links[-1]["signed_at"] if chain.links else None
    if not ok:
        message = ("the signature does not match this statement and key: the statement was changed after signing, "
                   f"or it was signed with another key ({message})")
    return CertificateCheck(ok, message, statement, signed_at)


def open_badge(statement: dict[str, Any], private_key: str | bytes, *, passphrase: str | bytes | None = None,
               issuer_name: str = "Lifecycle Kit instructor", created: str | None = None) -> dict[str, Any]:
    """The statement as an Open Badges 3.0 credential with an ``eddsa-jcs-2022`` proof by ``private_key``.

    The issuer is the key's ``did:key``; the learner is named in the subject's
    ``identifier`` (an unhashed ``name``), the post-test score is a ``Result``
    and the stages completed are in the achievement's narrative. Check it with
    :func:`lifecycle_kit.integrity.data_integrity.verify_document` (or
    ``lifecycle-kit verify BADGE --pub KEY``). It is not validated here against
    1EdTech's conformance suite, which needs the network.
    """
    import hashlib

    from lifecycle_kit.integrity.data_integrity import canonical_json, did_key, sign_document
    from lifecycle_kit.integrity.signing import public_key_of

    _check_statement(statement)
    issuer = did_key(public_key_of(private_key, passphrase=passphrase))
    digest = hashlib.sha256(_statement_bytes(statement)).hexdigest()
    post = statement["post_test"]
    stages = ", ".join(statement["stages_completed"]) or "none"
    achievement = f"urn:lifecycle-kit:achievement:completion:{statement['course_version']}"
    result_id = f"{achievement}:post-test"
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:lifecycle-kit:completion:{digest}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{statement['course']}: completion",
        "issuer": {"id": issuer, "type": ["Profile"], "name": issuer_name},
        "validFrom": f"{statement['issued']}T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityHash": statement["learner"], "identityType": "name",
                            "hashed": False}],
            "achievement": {
                "id": achievement, "type": ["Achievement"], "name": f"{statement['course']}: completion",
                "description": "Completion of the Lifecycle Kit course on the data life cycle of ISO/IEC 8183.",
                "criteria": {"narrative": (f"Stages completed (every self-check answered right): {stages}; "
                                           f"{len(statement['stages_completed'])} of {statement['stages_total']}.")},
                "resultDescription": [{"id": result_id, "type": ["ResultDescription"], "name": "Post-test",
                                       "resultType": "RawScore"}],
            },
            "result": [{"type": ["Result"], "resultDescription": result_id,
                        "value": f"{post['right']}/{post['items']}" if post["status"] == "complete" else post["status"]}],
        },
    }
    canonical_json(credential)  # refuses what has no canonical form before anything is signed
    return sign_document(credential, private_key, passphrase=passphrase, created=created)
