"""Integrity of data at rest: manifests of SHA-256 digests.

``build_manifest`` records every file under a folder; ``verify_manifest`` says
which files changed, went missing or were added since.
"""

from lifecycle_kit.integrity.manifest import Manifest, Verification, build_manifest, sha256_file, verify_manifest

__all__ = ["Manifest", "Verification", "build_manifest", "sha256_file", "verify_manifest"]
