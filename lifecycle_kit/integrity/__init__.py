"""Integrity of data at rest: manifests of SHA-256 digests and Ed25519 signatures.

``build_manifest`` records every file under a folder; ``verify_manifest`` says
which files changed, went missing or were added since. ``sign`` and
``verify_signature`` vouch for a manifest with an Ed25519 key; a
:class:`SignatureChain` keeps it verifiable across key rotations.
"""

from lifecycle_kit.integrity.manifest import Manifest, Verification, build_manifest, sha256_file, verify_manifest
from lifecycle_kit.integrity.signing import (SignatureChain, generate_keypair, load_private_key, load_public_key,
                                             public_key_of, sign, sign_bytes, verify_bytes, verify_signature)

__all__ = ["Manifest", "SignatureChain", "Verification", "build_manifest", "generate_keypair", "load_private_key",
           "load_public_key", "public_key_of", "sha256_file", "sign", "sign_bytes", "verify_bytes",
           "verify_manifest", "verify_signature"]
