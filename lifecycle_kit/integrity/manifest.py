"""Manifests: the SHA-256 and size of every file under a folder, in canonical JSON."""

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.results import ResultMixin

__all__ = ["Manifest", "Verification", "build_manifest", "sha256_file", "verify_manifest"]

MANIFEST_FORMAT = "lifecycle-kit-manifest/1"
_CHUNK = 1 << 20


def sha256_file(path):
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

    files: dict
    exclude: tuple = field(default=())

    def to_json(self):
        """Canonical JSON: sorted keys, no spaces, UTF-8 — the bytes that get signed."""
        body = {"format": MANIFEST_FORMAT, "algorithm": "sha256", "exclude": list(self.exclude),
                "files": self.files}
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def to_bytes(self):
        return self.to_json().encode("utf-8")

    @classmethod
    def from_json(cls, text):
        """Read a manifest written by :meth:`to_json` (or pretty-printed by :meth:`save`)."""
        try:
            body = json.loads(text)
        except json.JSONDecodeError as err:
            raise LifecycleKitError(f"manifest is not valid JSON: {err}") from None
        if not isinstance(body, dict) or body.get("format") != MANIFEST_FORMAT:
            raise LifecycleKitError(f"manifest format must be {MANIFEST_FORMAT!r}; got {body.get('format') if isinstance(body, dict) else type(body).__name__!r}")
        files = body.get("files")
        if not isinstance(files, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("sha256"), str) and isinstance(v.get("size"), int)
            for v in files.values()
        ):
            raise LifecycleKitError("manifest 'files' must map each path to {'sha256': str, 'size': int}")
        return cls(files=files, exclude=tuple(body.get("exclude", ())))

    def save(self, path):
        """Write the manifest, pretty-printed for people; the signed form stays :meth:`to_json`."""
        body = json.loads(self.to_json())
        Path(path).write_text(json.dumps(body, sort_keys=True, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path):
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

    ``ok`` is true only when nothing changed, went missing or was added.
    """

    changed: list
    missing: list
    added: list

    @property
    def ok(self):
        return not (self.changed or self.missing or self.added)

    def summary(self):
        if self.ok:
            return "all files match the manifest"
        parts = []
        for label, items in (("changed", self.changed), ("missing", self.missing), ("added", self.added)):
            if items:
                parts.append(f"{label}: {', '.join(items)}")
        return "; ".join(parts)

    _result_kind = "verification"

    def _payload(self):
        return {"ok": self.ok, "summary": self.summary(), "changed": list(self.changed), "missing": list(self.missing),
                "added": list(self.added)}

    def _repr_html_(self):
        from lifecycle_kit import _html

        body = _html.verdict_html(self.ok, self.summary(), title="Manifest verification:")
        rows = [(label, path) for label, items in (("changed", self.changed), ("missing", self.missing),
                                                   ("added", self.added)) for path in items]
        if rows:
            import pandas as pd

            body += _html.table_html(pd.DataFrame(rows, columns=["status", "file"]))
        return body


def _walk(root, exclude):
    root = Path(root)
    if not root.exists():
        raise LifecycleKitError(f"folder {root} does not exist")
    if root.is_file():
        raise LifecycleKitError(f"{root} is a file; a manifest is built over a folder")
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            if rel in exclude or full.is_symlink():
                continue
            yield rel, full


def build_manifest(path, *, exclude=("MANIFEST.json",)):
    """Record the SHA-256 and size of every regular file under ``path``.

    Parameters
    ----------
    path : path-like
        The folder to record.
    exclude : tuple of str, default=("MANIFEST.json",)
        Relative paths to leave out (the manifest itself, when it lives in the folder).

    Returns
    -------
    Manifest

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("x\\n1\\n")
    >>> m = build_manifest(folder)
    >>> sorted(m.files), m.files["a.csv"]["size"]
    (['a.csv'], 4)
    """
    exclude = tuple(exclude)
    files = {rel: {"sha256": sha256_file(full), "size": full.stat().st_size} for rel, full in _walk(path, exclude)}
    return Manifest(files=files, exclude=exclude)


def verify_manifest(path, manifest):
    """Compare a folder with a manifest: which files changed, went missing, or were added.

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
    present = dict(_walk(path, manifest.exclude))
    changed, missing = [], []
    for rel, entry in sorted(manifest.files.items()):
        full = present.get(rel)
        if full is None:
            missing.append(rel)
        elif full.stat().st_size != entry["size"] or sha256_file(full) != entry["sha256"]:
            changed.append(rel)
    added = sorted(set(present) - set(manifest.files))
    return Verification(changed=changed, missing=missing, added=added)
