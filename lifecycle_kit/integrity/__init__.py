"""Integrity of data at rest: manifests, row digests, Ed25519 signatures and signed archives.

``build_manifest`` records every file under a folder; ``verify_manifest`` says
which files changed, went missing or were added since. ``RowManifest`` hashes
every row of a table under a Merkle root, so a change is located to its row.
``sign`` and ``verify_signature`` vouch for a manifest with an Ed25519 key; a
:class:`SignatureChain` keeps it verifiable across key rotations;
``write_archive`` / ``open_archive`` bundle data, datasheet, lineage, manifest
and signatures in one file and verify all of it on opening.
:mod:`lifecycle_kit.integrity.data_integrity` signs and verifies JSON documents
(Verifiable Credentials) with W3C Data Integrity proofs (``eddsa-jcs-2022``), offline.
"""

from lifecycle_kit.integrity.archive import ArchiveCheck, open_archive, rotate_archive_key, safe_members, write_archive
from lifecycle_kit.integrity.manifest import Manifest, Verification, build_manifest, sha256_file, verify_manifest
from lifecycle_kit.integrity.rows import (
                                          InclusionProof,
                                          MerkleTree,
                                          RowDiff,
                                          RowManifest,
                                          canonical_rows,
                                          naive_merkle_root,
                                          row_digests,
)
from lifecycle_kit.integrity.signing import (
                                          SignatureChain,
                                          generate_keypair,
                                          load_private_key,
                                          load_public_key,
                                          public_key_of,
                                          sign,
                                          sign_bytes,
                                          verify_bytes,
                                          verify_signature,
)

__all__ = ["ArchiveCheck", "InclusionProof", "Manifest", "MerkleTree", "RowDiff", "RowManifest", "SignatureChain",
           "Verification", "build_manifest", "canonical_rows", "generate_keypair", "load_private_key",
           "load_public_key", "naive_merkle_root", "open_archive", "public_key_of", "rotate_archive_key", "row_digests",
           "safe_members", "sha256_file", "sign", "sign_bytes", "verify_bytes", "verify_manifest", "verify_signature",
           "write_archive"]
