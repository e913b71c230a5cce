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
``..``, no links or devices), every file must match the manifest, the
signature chain must verify from the trusted public key, and every table must
match its row digests (so a changed byte is located to its row).
"""

import io
import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from lifecycle_kit.errors import IntegrityError, LifecycleKitError
from lifecycle_kit.integrity.manifest import Manifest
from lifecycle_kit.integrity.rows import RowManifest
from lifecycle_kit.integrity.signing import SignatureChain
from lifecycle_kit.results import ResultMixin

__all__ = ["ArchiveCheck", "open_archive", "rotate_archive_key", "safe_members", "write_archive"]

MANIFEST_NAME = "MANIFEST.json"
SIGNATURES_NAME = "SIGNATURES.json"


def _sha256(content):
    import hashlib

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


def write_archive(path, *, tables, private_key, datasheet=None, lineage=None, extra=None, passphrase=None,
                  signed_at=None):
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


def safe_members(tar):
    """The archive's members, refusing anything that could escape the extraction folder."""
    members = []
    for member in tar.getmembers():
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
        members.append(member)
    return members


@dataclass
class ArchiveCheck(ResultMixin):
    """What opening an archive found."""

    ok: bool
    problems: list
    manifest: object
    chain: object
    files: dict = field(repr=False, default_factory=dict)
    row_changes: dict = field(default_factory=dict)
    tables: dict = field(repr=False, default_factory=dict)

    def summary(self):
        return "archive verified: files, signatures and rows all match" if self.ok else "; ".join(self.problems)

    _result_kind = "archive_check"

    def _payload(self):
        manifest = None if self.manifest is None else json.loads(self.manifest.to_json())
        signers = [] if self.chain is None else [{"fingerprint": link.get("fingerprint"), "signed_at": link.get("signed_at")}
                                                 for link in self.chain.links]
        return {"ok": self.ok, "summary": self.summary(), "problems": list(self.problems),
                "files": sorted(self.files), "tables": sorted(self.tables), "manifest": manifest, "signers": signers,
                "row_changes": {name: {"ok": diff.ok, "summary": diff.summary(), "changed": diff.changed,
                                       "added": diff.added, "removed": diff.removed,
                                       "schema_changed": diff.schema_changed}
                                for name, diff in self.row_changes.items()}}

    def _repr_html_(self):
        from lifecycle_kit import _html

        body = _html.verdict_html(self.ok, "archive verified: files, signatures and rows all match" if self.ok else
                                  f"{len(self.problems)} problem(s)", title="Archive:")
        if self.problems:
            body += _html.items_html(self.problems)
        if self.files:
            body += f"<p style='{_html.NA_STYLE}'>files: {_html.esc(', '.join(sorted(self.files)))}</p>"
        return body


def _read(path):
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


def open_archive(path, trusted_public_key, *, extract_to=None):
    """Verify an archive completely and return its contents (and extract it only if it verifies).

    Returns
    -------
    ArchiveCheck
        ``ok`` is False with readable ``problems`` when anything fails; tables are
        returned only from a verified archive.

    Raises
    ------
    IntegrityError
        When a member could escape the extraction folder (absolute path, '..', link).
    """
    files = _read(path)
    problems = []
    if MANIFEST_NAME not in files or SIGNATURES_NAME not in files:
        return ArchiveCheck(False, [f"{MANIFEST_NAME} or {SIGNATURES_NAME} is missing"], None, None, files)
    manifest = Manifest.from_json(files.pop(MANIFEST_NAME).decode("utf-8"))
    chain = SignatureChain.from_json(files.pop(SIGNATURES_NAME).decode("utf-8"))
    signed, why = chain.verify(manifest, trusted_public_key)
    if not signed:
        problems.append(f"signature: {why}")
    for name, entry in manifest.files.items():
        content = files.get(name)
        if content is None:
            problems.append(f"{name} is missing")
        elif _sha256(content) != entry["sha256"]:
            problems.append(f"{name} does not match the manifest")
    for name in sorted(set(files) - set(manifest.files)):
        problems.append(f"{name} is not in the manifest")
    row_changes, tables = {}, {}
    for name in sorted(n for n in files if n.endswith(".csv") and n.startswith("data/")):
        rows_name = name[: -len(".csv")] + ".rows.json"
        if rows_name not in files:
            continue
        record = RowManifest.from_json(files[rows_name].decode("utf-8"))
        try:
            frame = pd.read_csv(io.BytesIO(files[name]))
        except (ValueError, UnicodeDecodeError) as err:
            problems.append(f"{name} cannot be read as CSV ({type(err).__name__})")
            continue
        diff = record.diff(frame)
        if not diff.ok:
            row_changes[name] = diff
            problems.append(f"{name}: {diff.summary()}")
        tables[PurePosixPath(name).stem] = frame
    ok = not problems
    if ok and extract_to is not None:
        target = Path(extract_to)
        for name, content in files.items():
            destination = (target / name).resolve()
            if not str(destination).startswith(str(target.resolve())):
                raise IntegrityError(f"archive member {name!r} would be written outside {target}: refused")
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(content)
    return ArchiveCheck(ok, problems, manifest, chain, files, row_changes, tables if ok else {})


def rotate_archive_key(path, old_private_key, new_private_key, *, old_passphrase=None, new_passphrase=None,
                       signed_at=None):
    """Endorse a new key with the old one and re-sign the archive's manifest; the archive is rewritten in place.

    The data and the manifest are untouched; only the signature chain grows, so the
    archive stays verifiable from the original trusted key for its whole storage term.
    """
    files = _read(path)
    manifest = Manifest.from_json(files.pop(MANIFEST_NAME).decode("utf-8"))
    chain = SignatureChain.from_json(files.pop(SIGNATURES_NAME).decode("utf-8"))
    chain.rotate(manifest, old_private_key, new_private_key, old_passphrase=old_passphrase,
                 new_passphrase=new_passphrase, signed_at=signed_at)
    _write(path, files, manifest, chain)
    return chain

