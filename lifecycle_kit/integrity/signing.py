"""Ed25519 signatures over manifests, keys as PEM, and key rotation that keeps an archive verifiable.

A digest says *whether* data changed; a signature says *who* vouched for the
digests — an attacker who can rewrite both the data and its manifest cannot
forge the signature without the private key. Keys expire or leak, so a
long-lived archive keeps a :class:`SignatureChain`: each new key is endorsed
by the previous one, and the manifest is re-signed with the new key, so the
archive stays verifiable for its whole storage term with only the first
public key trusted out of band.

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


@dataclass
class SignatureChain:
    """Signatures of one manifest across key rotations, each new key endorsed by the previous one.

    Attributes
    ----------
    links : list of dict
        ``{"public_key", "fingerprint", "signed_at", "manifest_signature", "endorsement"}``; the
        endorsement is the previous key's signature of the new public key (empty for the first).
    """

    links: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def start(cls, manifest: Manifest | bytes, private_key: str | bytes, *, passphrase: str | bytes | None = None,
              signed_at: str | None = None) -> SignatureChain:
        chain = cls()
        chain._append(manifest, private_key, passphrase=passphrase, endorsement="", signed_at=signed_at)
        return chain

    def _append(self, manifest, private_key, *, passphrase, endorsement, signed_at):
        public = public_key_of(private_key, passphrase=passphrase)
        self.links.append({
            "public_key": public.decode("ascii"),
            "fingerprint": _fingerprint(public),
            "signed_at": signed_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "manifest_signature": sign(manifest, private_key, passphrase=passphrase),
            "endorsement": endorsement,
        })

    def rotate(self, manifest: Manifest | bytes, old_private_key: str | bytes, new_private_key: str | bytes, *,
               old_passphrase: str | bytes | None = None, new_passphrase: str | bytes | None = None,
               signed_at: str | None = None) -> SignatureChain:
        """Endorse a new key with the current one and re-sign the manifest with the new key."""
        if not self.links:
            raise LifecycleKitError("start the chain before rotating keys")
        current = public_key_of(old_private_key, passphrase=old_passphrase).decode("ascii")
        if current != self.links[-1]["public_key"]:
            raise LifecycleKitError("only the current key may endorse its successor; old_private_key is not the last key")
        new_public = public_key_of(new_private_key, passphrase=new_passphrase)
        endorsement = sign_bytes(new_public, old_private_key, passphrase=old_passphrase)
        self._append(manifest, new_private_key, passphrase=new_passphrase, endorsement=endorsement, signed_at=signed_at)
        return self

    def verify(self, manifest: Manifest | bytes, trusted_public_key: str | bytes) -> tuple[bool, str]:
        """Check every link: the first key is the trusted one, each key endorses the next, each signs the manifest.

        Returns
        -------
        (bool, str)
            Whether the chain holds, and which link broke if not.
        """
        if not self.links:
            return False, "the chain is empty"
        if self.links[0]["public_key"].encode().strip() != _as_bytes(trusted_public_key, "public key").strip():
            return False, "the first key of the chain is not the trusted key"
        for i, link in enumerate(self.links):
            if i and not verify_bytes(link["public_key"].encode(), link["endorsement"], self.links[i - 1]["public_key"]):
                return False, f"key {i + 1} ({link['fingerprint']}) is not endorsed by key {i}"
            if not verify_signature(manifest, link["manifest_signature"], link["public_key"]):
                return False, f"the manifest signature by key {i + 1} ({link['fingerprint']}) does not verify"
        return True, f"{len(self.links)} key(s), all signatures valid"

    @property
    def current_public_key(self):
        return self.links[-1]["public_key"].encode() if self.links else None

    def to_json(self) -> str:
        return json.dumps({"format": "lifecycle-kit-signatures/1", "links": self.links}, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> SignatureChain:
        try:
            body = json.loads(text)
        except json.JSONDecodeError as err:
            raise LifecycleKitError(f"signature chain is not valid JSON: {err}") from None
        except RecursionError:
            raise LifecycleKitError("signature chain is nested too deeply to be a signature chain") from None
        if not isinstance(body, dict) or body.get("format") != "lifecycle-kit-signatures/1":
            raise LifecycleKitError("not a lifecycle-kit signature chain")
        links = body.get("links", [])
        fields = ("public_key", "fingerprint", "signed_at", "manifest_signature", "endorsement")
        if not isinstance(links, list) or not all(
                isinstance(link, dict) and all(isinstance(link.get(f), str) for f in fields) for link in links):
            raise LifecycleKitError(f"signature chain links must be objects with string fields {', '.join(fields)}")
        return cls(links=list(links))
