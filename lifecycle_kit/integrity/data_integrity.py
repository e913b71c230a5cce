"""W3C Data Integrity proofs over JSON documents with Ed25519 (the ``eddsa-jcs-2022`` cryptosuite), offline.

A Verifiable Credential (an Open Badges 3.0 credential, say) carries its own
proof: the issuer's Ed25519 signature over the canonical form of the document
(JSON Canonicalization Scheme, RFC 8785) and of the proof's options, with the
public key named as a ``did:key`` — so anyone can check it without a network,
a registry or a JSON-LD processor. This module implements what that check needs
and nothing more:

- :func:`canonical_json`: RFC 8785 for the JSON the kit writes (objects,
  arrays, strings, integers, booleans, null). Numbers with a fraction or an
  exponent are refused: their canonical form needs ECMAScript's number printing,
  and a document the kit signs never holds one.
- :func:`did_key`: the ``did:key`` of an Ed25519 public key (multicodec
  ``0xed01``, base58btc).
- :func:`sign_document` and :func:`verify_document`: the proof of
  ``eddsa-jcs-2022`` (W3C Data Integrity EdDSA Cryptosuites v1.0, section 3.3).

What a valid proof shows: the document is, byte for byte in canonical form, what
the holder of the private key behind the ``did:key`` signed, at the time the
proof states (which is the signer's claim). Who holds that key is for the
verifier to know from elsewhere.

Examples
--------
>>> from lifecycle_kit.integrity.signing import generate_keypair
>>> private, public = generate_keypair()
>>> signed = sign_document({"name": "Ada", "score": 9}, private, created="2026-03-02T10:00:00Z")
>>> verify_document(signed)
(True, 'proof verifies (eddsa-jcs-2022)')
>>> signed["score"] = 10
>>> verify_document(signed)[0]
False
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.integrity.signing import _raw_public, load_private_key, public_key_of

__all__ = ["CRYPTOSUITE", "canonical_json", "did_key", "public_key_from_did", "sign_document", "verify_document"]

CRYPTOSUITE = "eddsa-jcs-2022"
_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ED25519_PUB = b"\xed\x01"  # multicodec varint of ed25519-pub


def _base58(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, digit = divmod(number, 58)
        out = _ALPHABET[digit] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def _unbase58(text: str) -> bytes:
    number = 0
    for ch in text:
        digit = _ALPHABET.find(ch)
        if digit < 0:
            raise ValueError(f"not base58: {ch!r}")
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _check_json(value: Any, where: str = "document") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise LifecycleKitError(f"{where}: keys must be strings; found {key!r}")
            _check_json(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_json(item, f"{where}[{i}]")
    elif isinstance(value, float):
        raise LifecycleKitError(f"{where}: a number with a fraction ({value!r}) has no canonical form here; write it "
                                "as text or an integer")
    elif isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise LifecycleKitError(f"{where}: holds a lone surrogate, not text") from None
    elif not (value is None or isinstance(value, (bool, int))):
        raise LifecycleKitError(f"{where}: {type(value).__name__} is not JSON")


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) canonical UTF-8 bytes of a JSON value without fractional numbers.

    Keys are sorted by their UTF-16 code units, as JCS requires (the same as by
    code point for every key outside the astral planes).

    >>> canonical_json({"b": [1, True, None], "a": "é\\n"})
    b'{"a":"\\xc3\\xa9\\\\n","b":[1,true,null]}'
    """
    _check_json(value)

    def ordered(item):
        if isinstance(item, dict):
            return {k: ordered(item[k]) for k in sorted(item, key=lambda k: k.encode("utf-16-be"))}
        if isinstance(item, list):
            return [ordered(i) for i in item]
        return item

    # Python's encoder writes strings as JCS does: \b \t \n \f \r, other controls as lowercase \u00xx, the rest raw.
    return json.dumps(ordered(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def did_key(public_key: str | bytes) -> str:
    """The ``did:key`` of an Ed25519 public key (PEM).

    >>> from lifecycle_kit.integrity.signing import generate_keypair
    >>> did_key(generate_keypair()[1]).startswith("did:key:z6Mk")
    True
    """
    return "did:key:z" + _base58(_ED25519_PUB + _raw_public(public_key))


def public_key_from_did(did: str) -> Ed25519PublicKey:
    """The Ed25519 public key a ``did:key`` (or a verification method ``did:key:...#...``) names."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    identifier = str(did).split("#", 1)[0]
    if not identifier.startswith("did:key:z"):
        raise LifecycleKitError(f"not a base58btc did:key: {identifier[:60]!r}")
    try:
        raw = _unbase58(identifier[len("did:key:z"):])
    except ValueError as err:
        raise LifecycleKitError(f"did:key is not base58btc ({err})") from None
    if not raw.startswith(_ED25519_PUB) or len(raw) != 34:
        raise LifecycleKitError("did:key does not name an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def _hash_data(document: dict[str, Any], options: dict[str, Any]) -> bytes:
    # Section 3.3 of the cryptosuite: SHA-256 of the canonical proof options, then of the canonical document.
    return hashlib.sha256(canonical_json(options)).digest() + hashlib.sha256(canonical_json(document)).digest()


def sign_document(document: dict[str, Any], private_key: str | bytes, *, passphrase: str | bytes | None = None,
                  created: str | None = None, proof_purpose: str = "assertionMethod") -> dict[str, Any]:
    """A copy of ``document`` with a Data Integrity proof (``eddsa-jcs-2022``) by ``private_key`` (PEM).

    The verification method is the key's ``did:key``; ``created`` (default now,
    ``YYYY-MM-DDTHH:MM:SSZ``) is signed with the rest. The document's
    ``@context``, if any, is repeated in the proof options, as the cryptosuite
    asks. A document that already has a proof is refused.
    """
    from datetime import datetime, timezone

    if not isinstance(document, dict):
        raise LifecycleKitError(f"document must be a JSON object; got {type(document).__name__}")
    if "proof" in document:
        raise LifecycleKitError("document already has a proof")
    key = load_private_key(private_key, passphrase=passphrase)
    did = did_key(public_key_of(private_key, passphrase=passphrase))
    options = {"type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE,
               "created": created or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
               "verificationMethod": f"{did}#{did.removeprefix('did:key:')}", "proofPurpose": proof_purpose}
    if "@context" in document:
        options["@context"] = copy.deepcopy(document["@context"])
    signature = key.sign(_hash_data(document, options))
    return {**copy.deepcopy(document), "proof": {**options, "proofValue": "z" + _base58(signature)}}


def verify_document(document: Any, public_key: str | bytes | None = None) -> tuple[bool, str]:
    """Check a document's ``eddsa-jcs-2022`` proof; with ``public_key``, also that this key made it.

    Returns
    -------
    (bool, str)
        Whether the proof verifies, and why not. The key is the one the proof's
        ``did:key`` names; pass the public key you trust (PEM) to refuse a proof
        made, validly, by any other key.
    """
    from cryptography.exceptions import InvalidSignature

    if not isinstance(document, dict) or not isinstance(document.get("proof"), dict):
        return False, "no proof: not a document signed with a Data Integrity proof"
    proof = dict(document["proof"])
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return False, (f"proof type {proof.get('type')!r} / cryptosuite {proof.get('cryptosuite')!r}: only "
                       f"DataIntegrityProof / {CRYPTOSUITE} is checked here")
    value = proof.pop("proofValue", None)
    if not isinstance(value, str) or not value.startswith("z"):
        return False, "proofValue is missing or not base58btc"
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if "@context" in proof and proof["@context"] != unsecured.get("@context"):
        return False, "the proof's @context differs from the document's"
    try:
        key = public_key_from_did(proof.get("verificationMethod", ""))
        signature = _unbase58(value[1:])
        data = _hash_data(unsecured, proof)
    except (LifecycleKitError, ValueError) as err:
        return False, str(err)
    if public_key is not None:
        from cryptography.hazmat.primitives import serialization

        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        if raw != _raw_public(public_key):
            return False, "the proof was made with another key than the one given"
    try:
        key.verify(signature, data)
    except (InvalidSignature, ValueError):
        return False, "the proof does not verify: the document or its proof was changed, or signed with another key"
    return True, f"proof verifies ({CRYPTOSUITE})"
