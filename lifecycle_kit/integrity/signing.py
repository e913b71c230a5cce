"""Ed25519 signatures over manifests, keys as PEM, and key rotation that keeps an archive verifiable.

A digest says *whether* data changed; a signature says *who* vouched for the
digests — an attacker who can rewrite both the data and its manifest cannot
forge the signature without the private key. Keys expire or leak, so a
long-lived archive keeps a :class:`SignatureChain`: each new key is endorsed
by the previous one, and the manifest is re-signed with the new key, so the
archive stays verifiable for its whole storage term from the first public key
trusted out of band. A rotation also revokes: a verifier who trusts the new key
(or holds the chain head) refuses anything the old key signed alone.

Examples
--------
>>> from lifecycle_kit.integrity import Manifest
>>> manifest = Manifest(files={"a.csv": {"sha256": "ab" * 32, "size": 3}})
>>> private, public = generate_keypair()
>>> signature = sign(manifest, private)
>>> verify_signature(manifest, signature, public)
True
>>> other_private, other_public = generate_keypair()
>>> verify_signature(manifest, signature, other_public)
False
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from lifecycle_kit.errors import LifecycleKitError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    from lifecycle_kit.integrity.manifest import Manifest

__all__ = ["KeyPair", "SignatureChain", "generate_keypair", "load_private_key", "load_public_key", "public_key_of",
           "sign", "sign_bytes", "verify_bytes", "verify_signature"]


@dataclass(frozen=True)
class KeyPair:
    private_pem: bytes
    public_pem: bytes


def _serialization():
    from cryptography.hazmat.primitives import serialization

    return serialization


def generate_keypair(*, passphrase: str | bytes | None = None) -> tuple[bytes, bytes]:
    """A new Ed25519 key pair as PEM bytes ``(private, public)``; the private key encrypted if a passphrase is given."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    serialization = _serialization()
    key = Ed25519PrivateKey.generate()
    encryption = (serialization.BestAvailableEncryption(passphrase.encode() if isinstance(passphrase, str) else passphrase)
                  if passphrase else serialization.NoEncryption())
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private_pem, public_pem


def _as_bytes(value, what):
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    raise LifecycleKitError(f"{what} must be PEM text or bytes; got {type(value).__name__}")


def load_private_key(pem: str | bytes, *, passphrase: str | bytes | None = None) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM; a wrong or missing passphrase is a clear error."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    serialization = _serialization()
    data = _as_bytes(pem, "private key")
    password = passphrase.encode() if isinstance(passphrase, str) else passphrase
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except TypeError as err:
        raise LifecycleKitError(f"private key: {'a passphrase is required' if password is None else 'it is not encrypted'} ({err})") from None
    except ValueError:
        raise LifecycleKitError("private key could not be read: wrong passphrase or not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise LifecycleKitError(f"private key must be Ed25519; got {type(key).__name__}")
    return key


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM; anything else is a clear error."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    serialization = _serialization()
    try:
        key = serialization.load_pem_public_key(_as_bytes(pem, "public key"))
    except ValueError:
        raise LifecycleKitError("public key could not be read: not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise LifecycleKitError(f"public key must be Ed25519; got {type(key).__name__}")
    return key


def public_key_of(private_pem: str | bytes, *, passphrase: str | bytes | None = None) -> bytes:
    """The PEM public key matching a private key."""
    serialization = _serialization()
    key = load_private_key(private_pem, passphrase=passphrase)
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def sign_bytes(data: bytes, private_key: str | bytes | Ed25519PrivateKey, *,
               passphrase: str | bytes | None = None) -> str:
    """Base64 Ed25519 signature of raw bytes."""
    key = load_private_key(private_key, passphrase=passphrase) if not hasattr(private_key, "sign") else private_key
    return base64.b64encode(key.sign(bytes(data))).decode("ascii")


def verify_bytes(data: bytes, signature: str | bytes, public_key: str | bytes | Ed25519PublicKey) -> bool:
    """True when ``signature`` (base64) is a valid signature of ``data`` by ``public_key``."""
    from cryptography.exceptions import InvalidSignature

    key = load_public_key(public_key) if not hasattr(public_key, "verify") else public_key
    try:
        raw = base64.b64decode(signature, validate=True)
    except (ValueError, TypeError):
        return False
    try:
        key.verify(raw, bytes(data))
        return True
    except InvalidSignature:
        return False


def _manifest_bytes(manifest):
    if hasattr(manifest, "to_bytes"):
        return manifest.to_bytes()
    if isinstance(manifest, (bytes, bytearray)):
        return bytes(manifest)
    raise LifecycleKitError(f"manifest must be a Manifest or bytes; got {type(manifest).__name__}")


def sign(manifest: "Manifest | bytes", private_key: "str | bytes | Ed25519PrivateKey", *,
         passphrase: str | bytes | None = None) -> str:
    """Sign a manifest's canonical JSON with an Ed25519 private key (PEM); returns a base64 signature."""
    return sign_bytes(_manifest_bytes(manifest), private_key, passphrase=passphrase)


def verify_signature(manifest: "Manifest | bytes", signature: str | bytes,
                     public_key: "str | bytes | Ed25519PublicKey") -> bool:
    """True when ``signature`` is the manifest's signature by the holder of ``public_key``'s private key."""
    return verify_bytes(_manifest_bytes(manifest), signature, public_key)


def _fingerprint(public_pem):
    import hashlib

    return hashlib.sha256(_as_bytes(public_pem, "public key")).hexdigest()[:16]


def _raw_public(pem):
    """The 32 raw bytes of an Ed25519 public key (PEM): keys compare equal however their PEM is wrapped."""
    serialization = _serialization()
    return load_public_key(pem).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


CHAIN_FORMAT = "lifecycle-kit-signatures/2"
_CHAIN_FORMATS = ("lifecycle-kit-signatures/1", CHAIN_FORMAT)
_SIGNATURE_STATEMENT = "lifecycle-kit-manifest-signature/2"
_ENDORSEMENT_STATEMENT = "lifecycle-kit-key-endorsement/2"
_LINK_FIELDS = ("public_key", "fingerprint", "signed_at", "manifest_signature", "endorsement")


def _canonical(body):
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _signature_statement(manifest_bytes, link, position):
    """What a format-2 link's key signs: the manifest's digest, the key's fingerprint, the time and the position."""
    import hashlib

    return _canonical({"format": _SIGNATURE_STATEMENT, "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
                       "fingerprint": link["fingerprint"], "signed_at": link["signed_at"], "position": position})


def _endorsement_statement(previous, link, position):
    """What the previous key signs to hand over to a new key: both fingerprints, the new key and the rotation time."""
    return _canonical({"format": _ENDORSEMENT_STATEMENT, "previous": previous["fingerprint"],
                       "public_key": link["public_key"], "fingerprint": link["fingerprint"],
                       "rotated_at": link["signed_at"], "position": position})


def _time(text):
    """An aware datetime from ISO 8601 text, or None."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None


def _check_time(signed_at):
    if signed_at is None:
        return datetime.now(timezone.utc).isoformat(timespec="seconds")
    if not isinstance(signed_at, str) or _time(signed_at) is None:
        raise LifecycleKitError(f"signed_at must be an ISO 8601 time with a time zone (2026-11-22T10:00:00+00:00); "
                                f"got {signed_at!r}")
    return signed_at


@dataclass
class SignatureChain:
    """Signatures of one manifest across key rotations, each new key endorsed by the previous one.

    In a link of format 2 (this version), the key signs the manifest's SHA-256
    together with its own fingerprint, the time ``signed_at`` and its position in
    the chain, and the endorsement is the previous key's signature of the new key,
    its fingerprint and the rotation time (the new link's ``signed_at``): none of
    them can be rewritten without a key. Chains of format 1 (before this version)
    signed the manifest and the new key only; they still verify, their times and
    fingerprints unsigned, and a rotation appends a format-2 link to them.

    Attributes
    ----------
    links : list of dict
        ``{"public_key", "fingerprint", "signed_at", "manifest_signature", "endorsement", "version"}``; the
        endorsement is empty for the first link.

    Examples
    --------
    Rotating revokes: once the verifier trusts the new key, a manifest signed with the old key alone is refused.

    >>> from lifecycle_kit.integrity import Manifest
    >>> manifest = Manifest(files={"a.csv": {"sha256": "ab" * 32, "size": 3}})
    >>> (old, old_public), (new, new_public) = generate_keypair(), generate_keypair()
    >>> chain = SignatureChain.start(manifest, old, signed_at="2026-11-22T00:00:00+00:00")
    >>> _ = chain.rotate(manifest, old, new, signed_at="2026-11-23T00:00:00+00:00")
    >>> chain.verify(manifest, new_public)
    (True, '2 key(s), all signatures valid')
    >>> forged = SignatureChain.start(manifest, old, signed_at="2026-12-01T00:00:00+00:00")
    >>> forged.verify(manifest, new_public)[0], forged.verify(manifest, chain)[1][:43]
    (False, 'signed by key 1 (rotated out) on 2026-12-01')
    """

    links: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def start(cls, manifest: Manifest | bytes, private_key: str | bytes, *, passphrase: str | bytes | None = None,
              signed_at: str | None = None) -> SignatureChain:
        chain = cls()
        chain._append(manifest, private_key, passphrase=passphrase, previous_key=None, previous_passphrase=None,
                      signed_at=signed_at)
        return chain

    def _append(self, manifest, private_key, *, passphrase, previous_key, previous_passphrase, signed_at):
        signed_at = _check_time(signed_at)
        if self.links:
            last = _time(self.links[-1]["signed_at"])
            if last is not None and _time(signed_at) < last:
                raise LifecycleKitError(f"a rotation dated {signed_at} would come before the last signature "
                                        f"({self.links[-1]['signed_at']}); pass signed_at= a later time")
        public = public_key_of(private_key, passphrase=passphrase).decode("ascii")
        position = len(self.links)
        link = {"public_key": public, "fingerprint": _fingerprint(public), "signed_at": signed_at,
                "manifest_signature": "", "endorsement": "", "version": 2}
        link["manifest_signature"] = sign_bytes(_signature_statement(_manifest_bytes(manifest), link, position),
                                                private_key, passphrase=passphrase)
        if previous_key is not None:
            link["endorsement"] = sign_bytes(_endorsement_statement(self.links[-1], link, position), previous_key,
                                             passphrase=previous_passphrase)
        self.links.append(link)

    def rotate(self, manifest: Manifest | bytes, old_private_key: str | bytes, new_private_key: str | bytes, *,
               old_passphrase: str | bytes | None = None, new_passphrase: str | bytes | None = None,
               signed_at: str | None = None) -> SignatureChain:
        """Endorse a new key with the current one and re-sign the manifest with the new key.

        From ``signed_at`` (the rotation time, signed by both keys) the old key is
        rotated out: a verifier who trusts the new key refuses what the old key
        signs alone.
        """
        if not self.links:
            raise LifecycleKitError("start the chain before rotating keys")
        current = public_key_of(old_private_key, passphrase=old_passphrase).decode("ascii")
        if _raw_public(current) != _raw_public(self.links[-1]["public_key"]):
            raise LifecycleKitError("only the current key may endorse its successor; old_private_key is not the last key")
        self._append(manifest, new_private_key, passphrase=new_passphrase, previous_key=old_private_key,
                     previous_passphrase=old_passphrase, signed_at=signed_at)
        return self

    def _link_problem(self, manifest_bytes, i, keys):
        """Why link ``i`` does not hold together (its key, fingerprint, endorsement, signature, time), or None."""
        link = self.links[i]
        version = link.get("version", 1)
        if keys[i] is None:
            return f"key {i + 1} is not an Ed25519 public key"
        if link["fingerprint"] != _fingerprint(link["public_key"]):
            return f"key {i + 1}: its fingerprint {link['fingerprint']} is not the fingerprint of its key"
        if i and version == 1 and self.links[i - 1].get("version", 1) == 2:
            return f"key {i + 1} is a format-1 link after a format-2 one (its time would be unsigned)"
        previous = self.links[i - 1] if i else None
        if version == 2:
            if _time(link["signed_at"]) is None:
                return f"key {i + 1}: signed_at {link['signed_at']!r} is not an ISO 8601 time with a time zone"
            endorsed = i == 0 or verify_bytes(_endorsement_statement(previous, link, i), link["endorsement"],
                                              previous["public_key"])
            signed = verify_bytes(_signature_statement(manifest_bytes, link, i), link["manifest_signature"],
                                  link["public_key"])
        else:
            endorsed = i == 0 or verify_bytes(link["public_key"].encode(), link["endorsement"], previous["public_key"])
            signed = verify_bytes(manifest_bytes, link["manifest_signature"], link["public_key"])
        if i and not endorsed:
            return f"key {i + 1} ({link['fingerprint']}) is not endorsed by key {i}"
        if not signed:
            return f"the manifest signature by key {i + 1} ({link['fingerprint']}) does not verify"
        if i and version == 2:
            rotated, before = _time(link["signed_at"]), _time(previous["signed_at"])
            if before is not None and before > rotated:
                # The previous key signed after it handed over to this one: a rotated-out key signing on.
                return (f"key {i} ({previous['fingerprint']}) signed on {previous['signed_at']}, after its rotation "
                        f"to key {i + 1} on {link['signed_at']}")
        return None

    def verify(self, manifest: Manifest | bytes, trusted_public_key: str | bytes | SignatureChain) -> tuple[bool, str]:
        """Check the chain against the key the verifier trusts now.

        Parameters
        ----------
        manifest : Manifest or bytes
        trusted_public_key : PEM str or bytes, or SignatureChain
            The key trusted now: after a rotation, the new key. Or the chain head
            the verifier holds (the chain :func:`rotate_archive_key` returned, or
            one read back with :meth:`from_json`): its last key is then the
            trusted one, and its earlier keys are known to be rotated out.

        Every link must hold together: the key's fingerprint, the endorsement by
        the previous key (with the rotation time), the signature of the manifest
        (with the key's fingerprint, time and position), and no key signing after
        its own rotation. The trusted key must be in the chain: the links before
        it are its history, the links after it were endorsed from it. A chain
        that stops before the trusted key is refused — cut back to an earlier
        link, or signed only by keys rotated out since (re-sign such an archive
        with the current key: :func:`~lifecycle_kit.integrity.rotate_archive_key`).
        A time is what the signer wrote: whoever holds a rotated-out key can
        write an earlier one, which is why the old key's signature alone is never
        enough once the verifier trusts the new key.

        Returns
        -------
        (bool, str)
            Whether the chain holds, and which link broke if not.
        """
        head = trusted_public_key if isinstance(trusted_public_key, SignatureChain) else None
        if head is not None:
            if not head.links:
                return False, "the trusted chain head is empty"
            trusted = head.links[-1]["public_key"]
        else:
            trusted = trusted_public_key
        trusted_raw = _raw_public(_as_bytes(trusted, "public key"))
        if not self.links:
            return False, "the chain is empty"
        keys = []
        for link in self.links:
            try:
                keys.append(_raw_public(link["public_key"]))
            except LifecycleKitError:
                keys.append(None)
        manifest_bytes = _manifest_bytes(manifest)
        for i in range(len(self.links)):
            problem = self._link_problem(manifest_bytes, i, keys)
            if problem:
                return False, problem
        if head is not None:
            head_keys = [_raw_public(link["public_key"]) for link in head.links]
            for i, (mine, theirs) in enumerate(zip(keys, head_keys)):
                if mine != theirs:
                    return False, (f"key {i + 1} ({self.links[i]['fingerprint']}) is not the trusted chain's key "
                                   f"{i + 1} ({head.links[i]['fingerprint']}): the chain forks from it")
            if len(keys) < len(head_keys):
                last = len(keys) - 1
                rotated_at = head.links[last + 1]["signed_at"]
                signed, rotated = _time(self.links[last]["signed_at"]), _time(rotated_at)
                if signed is not None and rotated is not None and signed > rotated:
                    return False, (f"signed by key {last + 1} (rotated out) on {self.links[last]['signed_at']}, "
                                   f"after its rotation on {rotated_at}")
                return False, (f"the chain stops at key {last + 1} ({self.links[last]['fingerprint']}), before the "
                               f"trusted key {len(head_keys)} ({head.links[-1]['fingerprint']}): it was cut back, or "
                               f"signed only by a key rotated out on {rotated_at}; re-sign it with the current key")
        if trusted_raw not in keys:
            return False, (f"the trusted key ({_fingerprint(_as_bytes(trusted, 'public key'))}) is not in the chain: "
                           f"it was signed only by other keys (rotated out before the trusted one, or a stranger's), "
                           f"or cut back before the trusted key")
        return True, f"{len(self.links)} key(s), all signatures valid"

    @property
    def current_public_key(self):
        return self.links[-1]["public_key"].encode() if self.links else None

    def to_json(self) -> str:
        # A chain of format-1 links only is written as it was read: its bytes do not change.
        if all(link.get("version", 1) == 1 for link in self.links):
            links = [{k: v for k, v in link.items() if k != "version"} for link in self.links]
            return json.dumps({"format": _CHAIN_FORMATS[0], "links": links}, indent=2)
        return json.dumps({"format": CHAIN_FORMAT, "links": self.links}, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> SignatureChain:
        try:
            body = json.loads(text)
        except json.JSONDecodeError as err:
            raise LifecycleKitError(f"signature chain is not valid JSON: {err}") from None
        except RecursionError:
            raise LifecycleKitError("signature chain is nested too deeply to be a signature chain") from None
        found = body.get("format") if isinstance(body, dict) else None
        if not isinstance(found, str) or not found.startswith("lifecycle-kit-signatures/"):
            raise LifecycleKitError("not a lifecycle-kit signature chain")
        if found not in _CHAIN_FORMATS:
            raise LifecycleKitError(f"signature chain format {found!r} is not one this version of lifecycle-kit reads "
                                    f"({', '.join(_CHAIN_FORMATS)}): it was written by a newer version")
        links = body.get("links", [])
        if not isinstance(links, list) or not all(
                isinstance(link, dict) and all(isinstance(link.get(f), str) for f in _LINK_FIELDS) for link in links):
            raise LifecycleKitError(f"signature chain links must be objects with string fields {', '.join(_LINK_FIELDS)}")
        read = []
        for i, link in enumerate(links):
            version = link.get("version", 1) if found == CHAIN_FORMAT else 1
            if type(version) is not int or version not in (1, 2):
                raise LifecycleKitError(f"signature chain link {i + 1}: version must be 1 or 2; got {version!r}")
            read.append({**{f: link[f] for f in _LINK_FIELDS}, "version": version})
        return cls(links=read)
