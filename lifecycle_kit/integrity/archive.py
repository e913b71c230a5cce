"""Archives for the decommissioning stage: data, datasheet, lineage, manifest and signatures in one file.

An archive is a gzip-compressed tar file::

    data/<name>.csv          the tables, as CSV
    data/<name>.rows.json    their row digests and Merkle roots (to locate a change)
    datasheet.json, datasheet.md
    lineage.json
    MANIFEST.json            SHA-256 and size of every file above
    SIGNATURES.json          the signature chain over the manifest (kept outside the manifest)

:func:`open_archive` verifies everything before handing anything out: every
member must be a regular file with a safe relative name (no absolute paths, no
``..``, no links or devices) that appears once, every file must match the
manifest, the signature chain must verify from the trusted public key, and every
table must match its row digests (so a changed byte is located to its row).

It reads ``MANIFEST.json`` and ``SIGNATURES.json`` first, then streams each
listed member whose size matches the manifest, under caps on the number of
members and the bytes read: a member that is not listed, or that claims another
size (a gzip "bomb" of zeros), is refused without being decompressed into memory.
Extraction refuses to write through a link already present in the target folder, and
goes down the target with open folders (:mod:`lifecycle_kit._fs`), so a folder swapped
for a link while it runs is refused too.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import pandas as pd

from lifecycle_kit import _fs
from lifecycle_kit.errors import IntegrityError, LifecycleKitError
from lifecycle_kit.i18n import _, ngettext
from lifecycle_kit.integrity.manifest import Manifest
from lifecycle_kit.integrity.rows import RowManifest
from lifecycle_kit.integrity.signing import SignatureChain, public_key_of
from lifecycle_kit.results import ResultMixin

if TYPE_CHECKING:
    from lifecycle_kit.integrity.rows import RowDiff
    from lifecycle_kit.provenance import Datasheet, Lineage

__all__ = ["ArchiveCheck", "open_archive", "rotate_archive_key", "safe_members", "write_archive"]

MANIFEST_NAME = "MANIFEST.json"
SIGNATURES_NAME = "SIGNATURES.json"
MAX_MEMBERS = 10_000
MAX_BYTES = 1 << 30  # 1 GiB read from one archive, in total
_METADATA_BYTES = 16 << 20  # MANIFEST.json and SIGNATURES.json are small


def _sha256(content):
    return hashlib.sha256(content).hexdigest()


def _add(tar, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = 0
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(content))


def _contents(tables, datasheet, lineage, extra):
    files = {}
    for name, frame in tables.items():
        if not isinstance(frame, pd.DataFrame):
            raise LifecycleKitError(f"table {name!r} must be a DataFrame")
        files[f"data/{name}.csv"] = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
        files[f"data/{name}.rows.json"] = RowManifest.from_frame(frame).to_json().encode("utf-8")
    if datasheet is not None:
        files["datasheet.json"] = datasheet.to_json().encode("utf-8")
        files["datasheet.md"] = datasheet.to_markdown().encode("utf-8")
    if lineage is not None:
        files["lineage.json"] = lineage.to_json().encode("utf-8")
    for name, content in (extra or {}).items():
        files[name] = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    return files


def write_archive(path: str | os.PathLike[str], *, tables: Mapping[str, pd.DataFrame], private_key: str | bytes,
                  datasheet: Datasheet | None = None, lineage: Lineage | None = None,
                  extra: Mapping[str, str | bytes] | None = None, passphrase: str | bytes | None = None,
                  signed_at: str | None = None) -> Manifest:
    """Write a signed archive; returns its :class:`~lifecycle_kit.integrity.Manifest`.

    Parameters
    ----------
    path : path-like
        Where to write the ``.tar.gz`` file.
    tables : dict of str -> DataFrame
    private_key : bytes
        PEM Ed25519 private key of the archivist.
    datasheet : Datasheet, default=None
    lineage : Lineage, default=None
    extra : dict of str -> bytes or str, default=None
        More files (a data specification, a report).
    """
    files = _contents(tables, datasheet, lineage, extra)
    manifest = Manifest(files={name: {"sha256": _sha256(c), "size": len(c)} for name, c in sorted(files.items())})
    chain = SignatureChain.start(manifest, private_key, passphrase=passphrase, signed_at=signed_at)
    _write(path, files, manifest, chain)
    return manifest


def _write(path, files, manifest, chain):
    with tarfile.open(path, "w:gz") as tar:
        for name in sorted(files):
            _add(tar, name, files[name])
        _add(tar, MANIFEST_NAME, manifest.to_json().encode("utf-8"))
        _add(tar, SIGNATURES_NAME, chain.to_json().encode("utf-8"))


def safe_members(tar: tarfile.TarFile, *, max_members: int = MAX_MEMBERS,
                 max_bytes: int | None = None) -> list[tarfile.TarInfo]:
    """The archive's members, refusing anything that could escape the extraction folder or be read twice.

    With ``max_bytes``, members whose sizes add up to more are refused before the
    walk decompresses its way past them (going to the next member of a ``.tar.gz``
    decompresses the one before).
    """
    members, seen = [], set()
    total = 0
    for member in tar:
        if len(members) >= max_members:
            raise IntegrityError(f"the archive has more than {max_members} members: refused")
        total += member.size
        if max_bytes is not None and total > max_bytes:
            raise IntegrityError(f"the archive's members add up to more than {max_bytes:,} bytes: refused without "
                                 "decompressing them")
        name = member.name
        parts = PurePosixPath(name).parts
        if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
            raise IntegrityError(f"archive member {name!r} has an absolute path: refused")
        if ".." in parts:
            raise IntegrityError(f"archive member {name!r} climbs out of the archive with '..': refused")
        if member.issym() or member.islnk():
            raise IntegrityError(f"archive member {name!r} is a link: refused")
        if not (member.isfile() or member.isdir()):
            raise IntegrityError(f"archive member {name!r} is not a regular file: refused")
        key = PurePosixPath(name).as_posix()
        if member.isfile() and key in seen:
            # A tampered copy followed by the genuine one: whichever a reader keeps, one goes unchecked.
            raise IntegrityError(f"archive member {name!r} appears more than once: refused")
        seen.add(key)
        members.append(member)
    return members


@dataclass
class ArchiveCheck(ResultMixin):
    """What opening an archive found."""

    ok: bool
    problems: list[str]
    manifest: Manifest | None
    chain: SignatureChain | None
    files: dict[str, bytes] = field(repr=False, default_factory=dict)
    row_changes: dict[str, RowDiff] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(repr=False, default_factory=dict)

    def summary(self) -> str:
        return _("archive verified: files, signatures and rows all match") if self.ok else "; ".join(self.problems)

    _result_kind = "archive_check"

    def _payload(self):
        manifest = None if self.manifest is None else json.loads(self.manifest.to_json())
        signers = [] if self.chain is None else [{"fingerprint": link.get("fingerprint"), "signed_at": link.get("signed_at")}
                                                 for link in self.chain.links]
        return {"ok": self.ok, "summary": self.summary(), "problems": list(self.problems),
                "files": sorted(self.files), "tables": sorted(self.tables), "manifest": manifest, "signers": signers,
                "row_changes": {name: {"ok": diff.ok, "summary": diff.summary(), "changed": diff.changed,
                                       "added": diff.added, "removed": diff.removed,
                                       "schema_changed": diff.schema_changed, "duplicated": diff.duplicated}
                                for name, diff in self.row_changes.items()}}

    def _repr_html_(self):
        from lifecycle_kit import _html

        body = _html.verdict_html(self.ok, _("archive verified: files, signatures and rows all match") if self.ok else
                                  ngettext("{n} problem", "{n} problems", len(self.problems)), title=_("Archive:"))
        if self.problems:
            body += _html.items_html(self.problems)
        if self.files:
            body += f"<p style='{_html.NA_STYLE}'>" + _("files: {files}", files=_html.esc(', '.join(sorted(self.files)))) + "</p>"
        return body


def _read(path):
    """Every file of an archive, in memory (for the attacker's tools; :func:`open_archive` streams instead)."""
    try:
        tar = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as err:
        raise LifecycleKitError(f"{path}: not a readable archive ({err})") from None
    with tar:
        files = {}
        for member in safe_members(tar):
            if member.isfile():
                files[member.name] = tar.extractfile(member).read()
    return files


def _read_member(tar, member, limit):
    with tar.extractfile(member) as handle:
        content = handle.read(limit + 1)
    return content if len(content) <= limit else None


def _extract(target, files):
    """Write every file under ``target`` through folders opened one name at a time (:mod:`lifecycle_kit._fs`).

    Each folder on a member's path is created if missing and opened without
    following a link, and each file is written under a new name and renamed into
    place: a folder swapped for a link while extracting is refused, never written
    through, and an existing link or hard link at a file's name is replaced, not
    written through.
    """
    try:
        root = _fs.Folder.open(target)
    except OSError as err:
        raise LifecycleKitError(f"{target}: cannot be opened to extract into ({err.strerror})") from None
    with root:
        for name, content in sorted(files.items()):
            parts = PurePosixPath(name).parts
            opened = []
            try:
                folder = root
                for part in parts[:-1]:
                    try:
                        folder.mkdir(part)
                    except FileExistsError:
                        pass
                    try:
                        folder = folder.subfolder(part)
                    except OSError as err:
                        if err.errno in _fs.SWAP_ERRNOS:
                            raise IntegrityError(f"{folder.path / part} is a link (or not a folder): extracting "
                                                 f"{name!r} through it is refused") from None
                        raise LifecycleKitError(f"{folder.path / part}: cannot be opened ({err.strerror})") from None
                    opened.append(folder)
                try:
                    _fs.replace_in(folder, parts[-1], content, mode=0o644)
                except OSError as err:
                    raise LifecycleKitError(f"{folder.path / parts[-1]}: cannot be written "
                                            f"({err.strerror or err})") from None
            except OSError as err:  # mkdir on a read-only or vanished folder
                raise LifecycleKitError(f"{target}: extracting {name!r} failed ({err.strerror or err})") from None
            finally:
                for each in opened:
                    each.close()


def _check_extraction(target, names):
    """Refuse before writing anything: a member path that leaves ``target`` or crosses an existing link."""
    for name in names:
        destination = target.joinpath(*PurePosixPath(name).parts)
        if not destination.is_relative_to(target):
            raise IntegrityError(f"archive member {name!r} would be written outside {target}: refused")
        current = target
        for part in PurePosixPath(name).parts:
            current = current / part
            if current.is_symlink():
                raise IntegrityError(f"{current} is a link: extracting {name!r} through it is refused")


def open_archive(path: str | os.PathLike[str], trusted_public_key: str | bytes | SignatureChain, *,
                 extract_to: str | os.PathLike[str] | None = None, max_members: int = MAX_MEMBERS,
                 max_bytes: int = MAX_BYTES) -> ArchiveCheck:
    """Verify an archive completely and return its contents (and extract it only if it verifies).

    Parameters
    ----------
    path : path-like
    trusted_public_key : bytes or SignatureChain
        PEM Ed25519 public key of the archivist, obtained out of band: the key
        trusted now (after a key rotation, the new one), or the chain head the
        verifier holds (see :meth:`SignatureChain.verify`).
    extract_to : path-like, default=None
        Folder to write the files into, once everything verified.
    max_members, max_bytes : int
        Refuse archives with more members, or read at most this many bytes of content.

    Returns
    -------
    ArchiveCheck
        ``ok`` is False with readable ``problems`` when anything fails; tables are
        returned only from a verified archive.

    Raises
    ------
    IntegrityError
        When a member could escape the extraction folder (absolute path, '..', link, a link in the target) or
        appears twice, or the archive has too many members or more bytes in them than ``max_bytes`` (and the two
        metadata files) allow.
    """
    try:
        tar = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as err:
        raise LifecycleKitError(f"{path}: not a readable archive ({err})") from None
    problems, files = [], {}
    with tar:
        try:
            members = {m.name: m for m in safe_members(tar, max_members=max_members,
                                                       max_bytes=max_bytes + 2 * _METADATA_BYTES) if m.isfile()}
        except (tarfile.TarError, EOFError, OSError) as err:
            raise LifecycleKitError(f"{path}: not a readable archive ({err})") from None
        metadata = {}
        for name in (MANIFEST_NAME, SIGNATURES_NAME):
            member = members.pop(name, None)
            content = _read_member(tar, member, _METADATA_BYTES) if member is not None else None
            if content is None:
                return ArchiveCheck(False, [f"{MANIFEST_NAME} or {SIGNATURES_NAME} is missing or too large"], None,
                                    None, {})
            metadata[name] = content
        manifest = Manifest.from_json(metadata[MANIFEST_NAME].decode("utf-8", errors="replace"))
        chain = SignatureChain.from_json(metadata[SIGNATURES_NAME].decode("utf-8", errors="replace"))
        signed, why = chain.verify(manifest, trusted_public_key)
        if not signed:
            problems.append(_("signature: {why}", why=why))
        budget = max_bytes
        for name, entry in sorted(manifest.files.items()):
            member = members.get(name)
            if member is None:
                problems.append(_("{name} is missing", name=name))
            elif member.size != entry["size"]:
                problems.append(_("{name} does not match the manifest (size {size:,} bytes, {recorded:,} recorded): "
                                  "not read", name=name, size=member.size, recorded=entry["size"]))
            elif member.size > budget:
                problems.append(_("{name}: reading it would pass the {limit:,}-byte limit: not read", name=name,
                                  limit=max_bytes))
            else:
                content = _read_member(tar, member, entry["size"])
                budget -= entry["size"]
                if content is None or _sha256(content) != entry["sha256"]:
                    problems.append(_("{name} does not match the manifest", name=name))
                if content is not None:
                    files[name] = content  # kept (its size is bounded) so a changed table is located to its row
        for name in sorted(set(members) - set(manifest.files)):
            problems.append(_("{name} is not in the manifest: not read", name=name))
    row_changes, tables = {}, {}
    for name in sorted(n for n in files if n.endswith(".csv") and n.startswith("data/")):
        rows_name = name[: -len(".csv")] + ".rows.json"
        if rows_name not in files:
            continue
        try:
            record = RowManifest.from_json(files[rows_name].decode("utf-8"))
        except (LifecycleKitError, UnicodeDecodeError) as err:
            problems.append(f"{rows_name}: {err}")
            continue
        try:
            frame = pd.read_csv(io.BytesIO(files[name]))
        except (ValueError, UnicodeDecodeError) as err:
            problems.append(_("{name} cannot be read as CSV ({kind})", name=name, kind=type(err).__name__))
            continue
        diff = record.diff(frame)
        if not diff.ok:
            row_changes[name] = diff
            problems.append(f"{name}: {diff.summary()}")
        tables[PurePosixPath(name).stem] = frame
    ok = not problems
    if ok and extract_to is not None:
        target = Path(extract_to).resolve()
        _check_extraction(target, files)
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise LifecycleKitError(f"{target}: cannot be created ({err.strerror or err})") from None
        _extract(target, files)
    return ArchiveCheck(ok, problems, manifest, chain, files, row_changes, tables if ok else {})


def rotate_archive_key(path: str | os.PathLike[str], old_private_key: str | bytes, new_private_key: str | bytes, *,
                       old_passphrase: str | bytes | None = None, new_passphrase: str | bytes | None = None,
                       signed_at: str | None = None,
                       trusted_public_key: str | bytes | SignatureChain | None = None) -> SignatureChain:
    """Endorse a new key with the old one and re-sign the archive's manifest; the archive is rewritten in place.

    The data and the manifest are untouched; only the signature chain grows, so the
    archive stays verifiable from the original trusted key for its whole storage term,
    and from the new key (which then refuses anything the old key signs alone).
    The archive is verified first (from ``trusted_public_key``, by default the public
    key of ``old_private_key``): a key holder never vouches for a tampered archive.

    Raises
    ------
    IntegrityError
        When the archive does not verify; nothing is re-signed.
    """
    if trusted_public_key is None:
        # The key being rotated out is the one trusted until now: the archive must be signed by it.
        trusted_public_key = public_key_of(old_private_key, passphrase=old_passphrase)
    check = open_archive(path, trusted_public_key)
    if not check.ok:
        raise IntegrityError(f"{path} does not verify, so it is not re-signed: {check.summary()}")
    files = _read(path)
    manifest = Manifest.from_json(files.pop(MANIFEST_NAME).decode("utf-8"))
    chain = SignatureChain.from_json(files.pop(SIGNATURES_NAME).decode("utf-8"))
    chain.rotate(manifest, old_private_key, new_private_key, old_passphrase=old_passphrase,
                 new_passphrase=new_passphrase, signed_at=signed_at)
    _write(path, files, manifest, chain)
    return chain

