"""Manifests: the SHA-256 and size of every file under a folder, in canonical JSON.

A manifest records regular files only. A symbolic link in the folder is not
data the manifest can vouch for (its target can change without the folder
changing), so :func:`build_manifest` refuses it and :func:`verify_manifest`
reports it, as it reports a subfolder or file it cannot read: nothing is
skipped silently. A manifest file is read strictly: unknown fields, duplicate
keys and malformed entries are refused, because only what the canonical form
holds is covered by a signature.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lifecycle_kit._progress_bar import progress_bar
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _
from lifecycle_kit.results import ResultMixin

__all__ = ["Manifest", "Verification", "build_manifest", "sha256_file", "verify_manifest"]

MANIFEST_FORMAT = "lifecycle-kit-manifest/1"
_CHUNK = 1 << 20
_FIELDS = {"format", "algorithm", "exclude", "files"}
_HEX64 = re.compile(r"[0-9a-f]{64}")


def _no_duplicate_keys(pairs):
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        # json.loads would keep the last one silently: a reader and a signer could see different manifests.
        raise LifecycleKitError(f"manifest has duplicate key(s) {', '.join(map(repr, duplicates))}")
    return dict(pairs)


def _check_entry(path, entry):
    parts = PurePosixPath(path).parts
    if not path or path.startswith("/") or ".." in parts or "\\" in path:
        raise LifecycleKitError(f"manifest path {path!r} must be relative, with '/' and no '..'")
    if not (isinstance(entry, dict) and set(entry) == {"sha256", "size"} and isinstance(entry["sha256"], str)
            and _HEX64.fullmatch(entry["sha256"]) and type(entry["size"]) is int and entry["size"] >= 0):
        raise LifecycleKitError(f"manifest 'files' must map each path to exactly {{'sha256': 64 lowercase hex digits, "
                                f"'size': non-negative int}}; {path!r} maps to {entry!r:.80}")


def sha256_file(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file, read in 1 MiB chunks.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> sha256_file(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Manifest:
    """The recorded state of a folder: relative path -> (sha256, size).

    Attributes
    ----------
    files : dict
        ``{"sub/dir/file.csv": {"sha256": "...", "size": 123}}``, paths with ``/``.
    exclude : tuple of str
        File names left out when the manifest was built (the manifest file itself).
    """

    files: dict[str, dict[str, Any]]
    exclude: tuple[str, ...] = field(default=())

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, no spaces, UTF-8 — the bytes that get signed."""
        body = {"format": MANIFEST_FORMAT, "algorithm": "sha256", "exclude": list(self.exclude),
                "files": self.files}
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def to_bytes(self) -> bytes:
        return self.to_json().encode("utf-8")

    @classmethod
    def from_json(cls, text: str | bytes) -> Manifest:
        """Read a manifest written by :meth:`to_json` (or pretty-printed by :meth:`save`), strictly."""
        try:
            body = json.loads(text, object_pairs_hook=_no_duplicate_keys)
        except json.JSONDecodeError as err:
            raise LifecycleKitError(f"manifest is not valid JSON: {err}") from None
        except RecursionError:
            raise LifecycleKitError("manifest is nested too deeply to be a manifest") from None
        if not isinstance(body, dict) or body.get("format") != MANIFEST_FORMAT:
            found = body.get("format") if isinstance(body, dict) else type(body).__name__
            raise LifecycleKitError(f"manifest format must be {MANIFEST_FORMAT!r}; got {found!r}")
        unknown = sorted(set(body) - _FIELDS)
        if unknown:
            raise LifecycleKitError(f"manifest has field(s) {', '.join(map(repr, unknown))} outside the signed form; "
                                    f"expected only {', '.join(sorted(_FIELDS))}")
        if body.get("algorithm", "sha256") != "sha256":
            raise LifecycleKitError(f"manifest algorithm must be 'sha256'; got {body.get('algorithm')!r}")
        exclude = body.get("exclude", [])
        if not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude):
            raise LifecycleKitError(f"manifest 'exclude' must be a list of file names; got {exclude!r:.60}")
        files = body.get("files")
        if not isinstance(files, dict):
            raise LifecycleKitError("manifest 'files' must map each path to {'sha256': str, 'size': int}")
        for path, entry in files.items():
            _check_entry(path, entry)
        return cls(files=files, exclude=tuple(exclude))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the manifest, pretty-printed for people; the signed form stays :meth:`to_json`.

        A link at ``path`` is replaced by the new file, never written through.
        """
        from lifecycle_kit._fs import replace_text

        body = json.loads(self.to_json())
        replace_text(path, json.dumps(body, sort_keys=True, indent=2) + "\n")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Manifest:
        try:
            return cls.from_json(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as err:
            raise LifecycleKitError(f"cannot read manifest {path}: {err}") from None

    @property
    def total_bytes(self):
        return sum(v["size"] for v in self.files.values())


@dataclass(frozen=True)
class Verification(ResultMixin):
    """What :func:`verify_manifest` found: lists of relative paths.

    ``ok`` is true only when nothing changed, went missing or was added, and
    nothing was left unchecked: ``links`` (symbolic links, never followed) and
    ``unreadable`` (files or folders that could not be read) also fail it.
    """

    changed: list[str]
    missing: list[str]
    added: list[str]
    links: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    @property
    def ok(self):
        return not (self.changed or self.missing or self.added or self.links or self.unreadable)

    def summary(self) -> str:
        if self.ok:
            return _("all files match the manifest")
        parts = []
        for label, items in ((N_("changed"), self.changed), (N_("missing"), self.missing), (N_("added"), self.added),
                             (N_("links (not followed)"), self.links), (N_("unreadable"), self.unreadable)):
            if items:
                parts.append(f"{_(label)}: {', '.join(items)}")
        return "; ".join(parts)

    _result_kind = "verification"

    def _payload(self):
        return {"ok": self.ok, "summary": self.summary(), "changed": list(self.changed), "missing": list(self.missing),
                "added": list(self.added)}

    def _repr_html_(self):
        from lifecycle_kit import _html

        body = _html.verdict_html(self.ok, self.summary(), title=_("Manifest verification:"))
        rows = [(_(label), path) for label, items in ((N_("changed"), self.changed), (N_("missing"), self.missing),
                                                      (N_("added"), self.added)) for path in items]
        if rows:
            import pandas as pd

            body += _html.table_html(pd.DataFrame(rows, columns=[_("status"), _("file")]))
        return body


def _scan(root, exclude):
    """``(regular files {rel: Path}, links [rel], unreadable [rel])`` under ``root``, never following a link."""
    root = Path(root)
    if not root.exists():
        raise LifecycleKitError(f"folder {root} does not exist")
    if root.is_file():
        raise LifecycleKitError(f"{root} is a file; a manifest is built over a folder")
    files, links, unreadable = {}, [], []

    def cannot_read(err):
        unreadable.append(Path(err.filename).relative_to(root).as_posix() + "/" if err.filename else "?")

    for dirpath, dirnames, filenames in os.walk(root, onerror=cannot_read):
        dirnames.sort()
        for name in list(dirnames):
            if os.path.islink(os.path.join(dirpath, name)):
                dirnames.remove(name)
                links.append((Path(dirpath) / name).relative_to(root).as_posix() + "/")
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            if rel in exclude:
                continue
            mode = os.lstat(full).st_mode
            if stat.S_ISLNK(mode):
                links.append(rel)
            elif not stat.S_ISREG(mode):
                unreadable.append(rel)
            elif not os.access(full, os.R_OK):
                unreadable.append(rel)
            else:
                files[rel] = full
    return files, sorted(links), sorted(unreadable)


def _digest_or_none(full):
    try:
        return sha256_file(full), os.lstat(full).st_size
    except OSError:
        return None


def build_manifest(path: str | os.PathLike[str], *, exclude: Sequence[str] = ("MANIFEST.json",),
                   progress: bool | str = "auto") -> Manifest:
    """Record the SHA-256 and size of every regular file under ``path``.

    Parameters
    ----------
    path : path-like
        The folder to record.
    exclude : tuple of str, default=("MANIFEST.json",)
        Relative paths to leave out (the manifest itself, when it lives in the folder).
    progress : {"auto", True, False}, default="auto"
        A progress bar over the files on standard error ("auto": in Jupyter or a terminal,
        for 500 files or more; see :mod:`lifecycle_kit._progress_bar`).

    Returns
    -------
    Manifest

    Raises
    ------
    LifecycleKitError
        When the folder holds symbolic links or entries that cannot be read: a
        manifest that silently left them out would vouch for less than it seems to.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("x\\n1\\n")
    >>> m = build_manifest(folder)
    >>> sorted(m.files), m.files["a.csv"]["size"]
    (['a.csv'], 4)
    """
    if isinstance(exclude, (str, bytes)) or not all(isinstance(e, str) for e in exclude):
        raise LifecycleKitError(f"exclude must be a tuple of relative paths; got {exclude!r:.60}")
    exclude = tuple(exclude)
    present, links, unreadable = _scan(path, exclude)
    files = {}
    for rel, full in progress_bar(list(present.items()), desc="hashing files", unit="file", progress=progress,
                                  min_total=500):
        digest = _digest_or_none(full)
        if digest is None:
            unreadable.append(rel)
        else:
            files[rel] = {"sha256": digest[0], "size": digest[1]}
    if links or unreadable:
        parts = ([f"links: {', '.join(links)}"] if links else []) + (
            [f"unreadable: {', '.join(sorted(unreadable))}"] if unreadable else [])
        found = "; ".join(parts)
        raise LifecycleKitError(f"{path}: a manifest records regular files it can read; found {found}")
    return Manifest(files=files, exclude=exclude)


def verify_manifest(path: str | os.PathLike[str], manifest: Manifest) -> Verification:
    """Compare a folder with a manifest: which files changed, went missing, or were added; links and unreadable entries.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("x\\n1\\n")
    >>> m = build_manifest(folder)
    >>> _ = (folder / "a.csv").write_text("x\\n2\\n")
    >>> v = verify_manifest(folder, m)
    >>> v.ok, v.changed
    (False, ['a.csv'])
    """
    if not isinstance(manifest, Manifest):
        raise LifecycleKitError(f"manifest must be a Manifest; got {type(manifest).__name__}")
    present, links, unreadable = _scan(path, manifest.exclude)
    changed, missing = [], []
    link_paths = {link.rstrip("/") for link in links}
    for rel, entry in sorted(manifest.files.items()):
        full = present.get(rel)
        if full is None:
            if rel not in link_paths and rel not in unreadable:
                missing.append(rel)
            continue
        digest = _digest_or_none(full)
        if digest is None:
            unreadable.append(rel)
        elif digest[1] != entry["size"] or digest[0] != entry["sha256"]:
            changed.append(rel)
    added = sorted(set(present) - set(manifest.files))
    return Verification(changed=changed, missing=missing, added=added, links=links, unreadable=sorted(unreadable))
