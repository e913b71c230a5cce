"""Decommissioning: destroy data for good, and find every place that still holds it.

- :class:`EncryptedStore` — crypto-shredding: data is stored encrypted
  (AES-256-GCM, authenticated); destroying the key makes every copy of the
  ciphertext, backups included, unreadable.
- :func:`overwrite_and_delete` — overwrite a file with random bytes, check the
  overwrite, then delete it (NIST SP 800-88 "clear" for ordinary files; SSDs and
  copy-on-write file systems may keep old blocks, which is why crypto-shredding exists).
- :func:`build_workspace`, :func:`inventory`, :func:`rescan`, :func:`purge` —
  a deployed system leaves data in raw files, caches, logs, derived features
  and fitted models. The rescan looks for the original rows in every file, as
  text (a line or JSON record holding all of a row's numbers, however printed)
  and as binary (the row's float64 or float32 values stored side by side, or a
  column apart, as arrays and pickled models store them), inside gzip and zip
  (``.npz``) files too, without unpickling anything.

None of these follows a symbolic link: a link planted in an artefact folder
(``cache/frame.pkl -> /home/you/thesis.tex``) is reported by
:func:`skipped_entries` and in :attr:`PurgeReport.skipped`, never read,
overwritten or deleted through.
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import pickle
import re
import secrets
import stat
import zipfile
import zlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from lifecycle_kit import _fs
from lifecycle_kit.display import Lines, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

if TYPE_CHECKING:
    import numpy.typing as npt

    from lifecycle_kit._typing import RandomState, Vector

__all__ = ["ARTEFACT_KINDS", "EncryptedStore", "OverwriteReport", "PurgeReport", "build_workspace", "fingerprints",
           "inventory", "overwrite_and_delete", "purge", "rescan", "skipped_entries"]

#: The kinds of artefact a decommissioning inventory looks for.
ARTEFACT_KINDS = ("raw data", "backup", "cache", "log", "derived features", "model")
# The kinds and the inventory's columns, as a reader reads them (lifecycle_kit.display).
vocabulary(headings={"kind": N_("kind"), "rows_found": N_("training rows found")},
           values={"kind": {"raw data": N_("raw data"), "backup": N_("backup"), "cache": N_("cache"), "log": N_("log"),
                            "derived features": N_("derived features"), "model": N_("model"), "other": N_("other")}})


class EncryptedStore:
    """Data encrypted at rest with AES-256-GCM; shredding the key destroys the data.

    Examples
    --------
    >>> store = EncryptedStore()
    >>> token = store.encrypt(b"row 1, row 2")
    >>> store.decrypt(token)
    b'row 1, row 2'
    >>> store.shred()
    >>> store.decrypt(token)
    Traceback (most recent call last):
    ...
    lifecycle_kit.errors.IntegrityError: the key was shredded: the data cannot be decrypted any more
    """

    def __init__(self, key: bytes | bytearray | None = None) -> None:
        self._key = bytearray(key if key is not None else secrets.token_bytes(32))
        if len(self._key) != 32:
            raise LifecycleKitError("an AES-256 key is 32 bytes")
        self.shredded = False

    def encrypt(self, data: bytes | bytearray | memoryview, *, associated: bytes = b"") -> bytes:
        """``nonce + ciphertext`` of ``data``; ``associated`` data is authenticated, not encrypted."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if self.shredded:
            raise LifecycleKitError("the key was shredded: nothing can be encrypted with it")
        nonce = secrets.token_bytes(12)
        return nonce + AESGCM(bytes(self._key)).encrypt(nonce, bytes(data), associated)

    def decrypt(self, token: bytes | bytearray | memoryview, *, associated: bytes = b"") -> bytes:
        """The data of a token from :meth:`encrypt`, with the same ``associated`` data; IntegrityError otherwise."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        from lifecycle_kit.errors import IntegrityError

        if self.shredded:
            raise IntegrityError(_("the key was shredded: the data cannot be decrypted any more"))
        try:
            return AESGCM(bytes(self._key)).decrypt(bytes(token[:12]), bytes(token[12:]), associated)
        except InvalidTag:
            raise IntegrityError(_("decryption failed: wrong key, or the ciphertext was altered")) from None

    def shred(self) -> None:
        """Overwrite the key in memory and forget it."""
        for i in range(len(self._key)):
            self._key[i] = 0
        self._key = bytearray()
        self.shredded = True


@dataclass(frozen=True)
class OverwriteReport:
    path: str
    size: int
    overwritten: bool
    deleted: bool


def _write_all(fd, data):
    os.lseek(fd, 0, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_all(fd, size):
    os.lseek(fd, 0, os.SEEK_SET)
    chunks, left = [], size
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def overwrite_and_delete(path: str | os.PathLike[str], *, passes: int = 1) -> OverwriteReport:
    """Overwrite a file with random bytes (``passes`` times), verify the last pass, then delete it.

    Links are never followed: a symbolic link is refused (overwriting through it
    would destroy the file it points to, anywhere on disk), and so is a file with
    other hard links (its other names would keep pointing at the overwritten data).
    The file is opened from its folder by name (see :mod:`lifecycle_kit._fs`), and
    the name is deleted only if it still names the file that was overwritten.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rows.csv"
    >>> _ = path.write_text("a,b\\n1,2\\n")
    >>> report = overwrite_and_delete(path)
    >>> report.overwritten, report.deleted
    (True, True)
    """
    path = Path(path)
    try:
        folder = _fs.Folder.open(path.parent)
    except OSError as err:
        raise LifecycleKitError(f"{path}: its folder cannot be opened ({err.strerror})") from None
    with folder:
        return _overwrite_at(folder, path.name, path, passes=passes)


def _overwrite_at(folder, name, path, *, passes=1, expected=None):
    """Overwrite and delete the file ``name`` of the open ``folder`` (``path`` is only for messages)."""
    try:
        before = folder.lstat(name)
    except FileNotFoundError:
        raise LifecycleKitError(f"{path} is not a file (it does not exist)") from None
    except OSError as err:
        raise LifecycleKitError(f"{path} cannot be read ({err.strerror})") from None
    if stat.S_ISLNK(before.st_mode):
        raise LifecycleKitError(f"{path} is a symbolic link: refused (overwriting through it would destroy the file "
                                "it points to; overwrite that file where it lives)")
    if not stat.S_ISREG(before.st_mode):
        raise LifecycleKitError(f"{path} is not a file (a folder, device or pipe)")
    if expected is not None and not _fs.same_file(before, expected):
        raise LifecycleKitError(f"{path} was replaced while the folder was read: refused")
    try:
        fd = _fs.open_regular(folder, name, os.O_RDWR, expected=before)
    except OSError as err:
        if err.errno in _fs.LINK_ERRNOS:
            raise LifecycleKitError(f"{path} is a symbolic link: refused (it was swapped in while being opened)") \
                from None
        if err.errno in (errno.ESTALE, errno.EINVAL, errno.ENOENT):
            raise LifecycleKitError(f"{path} was replaced while it was being opened: refused") from None
        raise LifecycleKitError(f"{path} cannot be opened ({err.strerror})") from None
    try:
        opened = os.fstat(fd)
        if opened.st_nlink > 1:
            raise LifecycleKitError(f"{path} has {opened.st_nlink} hard links: refused (the other names would change "
                                    "too)")
        size = opened.st_size
        original_head = _read_all(fd, min(size, 4096))
        last = b""
        for _ in range(max(1, int(passes))):
            last = secrets.token_bytes(size)
            _write_all(fd, last)
            os.fsync(fd)
        readback = _read_all(fd, size)
    except OSError as err:
        raise LifecycleKitError(f"{path} could not be overwritten ({err.strerror})") from None
    finally:
        os.close(fd)
    overwritten = readback == last and (size == 0 or readback[:4096] != original_head)
    try:
        # Delete the name only if it still names the file just overwritten: unlink removes a name, never a target.
        if _fs.same_file(folder.lstat(name), opened):
            folder.unlink(name)
    except OSError:
        pass
    try:
        deleted = not _fs.same_file(folder.lstat(name), opened)
    except FileNotFoundError:
        deleted = True
    except OSError:
        deleted = False
    return OverwriteReport(str(path), size, overwritten, deleted)


def _numeric(frame):
    numeric = frame.select_dtypes("number")
    if numeric.shape[1] == 0:
        raise LifecycleKitError("fingerprints need numeric columns")
    return numeric


def fingerprints(frame: pd.DataFrame) -> tuple[npt.NDArray[np.float64], list[str]]:
    """Per row: its numeric values (float64) and their CSV-like text (as pandas and logs write them)."""
    values = np.ascontiguousarray(_numeric(frame).astype(float).to_numpy())
    text = [",".join(repr(float(v)) for v in row) for row in values]
    return values, text


# --- what a residue looks like -------------------------------------------------------------------------------------

_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_RECORD_END = re.compile(rb"[\n\r}\]]")  # a line, or the end of a JSON object or array
_MAX_EXPANDED = 256 << 20  # at most 256 MiB are decompressed from one file (all its members together) and scanned


def _as_float32_keys(values):
    # Text loses precision and type ("2007" for 2007.0, float32 copies): compare at float32 precision.
    return np.asarray(values, dtype=np.float64).astype(np.float32)


def _text_rows_found(content, values):
    """Rows all of whose numbers occur in one record (line, or JSON object/array) of a text file."""
    n = len(values)
    found = np.zeros(n, dtype=bool)
    if n == 0:
        return found
    keys = _as_float32_keys(values)
    # Each row is looked up through its rarest value, then checked in full; a missing value is not looked for.
    flat, counts = np.unique(keys[~np.isnan(keys)], return_counts=True)
    rarity = dict(zip(flat.tolist(), counts.tolist()))
    anchors = {}
    row_sets = [{v for v in row if v == v} for row in keys.tolist()]
    for i, row in enumerate(row_sets):
        if row:
            anchors.setdefault(min(row, key=rarity.__getitem__), []).append(i)
    fewest = min((len(row) for row in row_sets if row), default=0)
    for record in _RECORD_END.split(content):
        tokens = _NUMBER.findall(record)
        if not fewest or len(tokens) < fewest:
            continue
        numbers = set(np.array(tokens, dtype=np.float64).astype(np.float32).tolist())
        for anchor in numbers.intersection(anchors):
            for i in anchors[anchor]:
                if not found[i] and row_sets[i] <= numbers:
                    found[i] = True
    return found


def _json_records(content):
    """A pandas-style column-oriented JSON (``{"col": {"0": v, ...}}``) turned into one line per record."""
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):
        return None
    if not (isinstance(body, dict) and body and all(isinstance(v, dict) for v in body.values())):
        return None
    index = list(next(iter(body.values())))
    lines = [",".join(json.dumps(column.get(k)) for column in body.values()) for k in index]
    return "\n".join(lines).encode("utf-8")


def _binary_rows_found(content, values):
    """Rows whose values sit side by side (row-major) or one stored column apart (column-major) in ``content``.

    Arrays, ``.npy`` files and pickled models store a table as float64 (or float32)
    values in one of these two layouts; a row counts only when *all* its values are
    found in its layout, so scattered common values (0.0, 1.0) are not a residue.
    """
    n, k = values.shape
    found = np.zeros(n, dtype=bool)
    if n == 0 or k == 0:
        return found
    for dtype in ("<f8", "<f4"):
        rows = values.astype(dtype)
        width = np.dtype(dtype).itemsize
        # The anchor is the column with the most distinct values: few windows to check.
        anchor = int(np.argmax([len(np.unique(rows[:, j])) for j in range(k)]))
        order = np.argsort(rows[:, anchor], kind="stable")
        sorted_anchor = rows[order, anchor]
        for offset in range(width):
            count = (len(content) - offset) // width
            if count < k:
                continue
            floats = np.frombuffer(content, dtype=dtype, count=count, offset=offset)
            hits = np.flatnonzero(np.isin(floats, sorted_anchor))
            if len(hits) == 0:
                continue
            lo = np.searchsorted(sorted_anchor, floats[hits], "left")
            hi = np.searchsorted(sorted_anchor, floats[hits], "right")
            steps = np.arange(k) - anchor
            for position, first, last in zip(hits.tolist(), lo.tolist(), hi.tolist()):
                for stride in (1, n):  # row-major, or column-major with one stored column per n values
                    where = position + steps * stride
                    if where[0] < 0 or where[-1] >= count:
                        continue
                    window = floats[where]
                    for i in order[first:last]:
                        if not found[i] and np.array_equal(window, rows[i], equal_nan=True):
                            found[i] = True
    return found


def _expanded(content):
    """The bytes to scan in a file, one part at a time: itself, or what a gzip or zip (``.npz``) holds.

    At most :data:`_MAX_EXPANDED` bytes are decompressed from one file in all,
    and only one member is held at a time: a small file that expands to
    gigabytes (a "zip bomb") is scanned up to the limit, not into memory whole.
    """
    left = _MAX_EXPANDED
    if content[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(content)) as handle:
                part = handle.read(left)
        except (OSError, EOFError, zlib.error):
            part = content
        yield part
        return
    if content[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(content))
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError):
            yield content
            return
        read_any = False
        with archive:
            for info in archive.infolist():
                if left <= 0:
                    break
                try:
                    with archive.open(info) as handle:
                        part = handle.read(left)
                except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error):
                    continue  # an encrypted or corrupt member
                left -= len(part)
                read_any = True
                yield part
                del part
        if not read_any:
            yield content
        return
    yield content


def _rows_found(content, values):
    found = np.zeros(len(values), dtype=bool)
    for part in _expanded(content):  # one decompressed member at a time
        try:
            part.decode("utf-8")
            is_text = True
        except UnicodeDecodeError:
            is_text = False
        if is_text:
            found |= _text_rows_found(part, values)
            records = _json_records(part) if part[:1] in (b"{", b" ", b"\n") else None
            if records is not None:
                found |= _text_rows_found(records, values)
        else:
            found |= _binary_rows_found(part, values)
        del part  # before the next member is decompressed
    return found


def build_workspace(frame: pd.DataFrame, target: Vector, folder: str | os.PathLike[str], *,
                    random_state: RandomState = 0) -> dict[str, str]:
    """Lay out what a deployed model leaves on disk, each artefact holding the data in its own way.

    Returns
    -------
    dict
        ``{relative path: kind}`` of the artefacts written.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    folder = Path(folder)
    for sub in ("raw", "backup", "cache", "logs", "features", "models"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    numeric = _numeric(frame).astype(float)
    y = np.asarray(target)
    artefacts = {}
    table = numeric.assign(label=y)
    table.to_csv(folder / "raw" / "training.csv", index=False)
    artefacts["raw/training.csv"] = "raw data"
    table.to_csv(folder / "backup" / "training-copy.csv", index=False)
    artefacts["backup/training-copy.csv"] = "backup"
    with open(folder / "cache" / "frame.pkl", "wb") as handle:
        pickle.dump(numeric.to_numpy(), handle)
    artefacts["cache/frame.pkl"] = "cache"
    rng = np.random.default_rng(random_state)
    logged = rng.choice(len(numeric), size=min(25, len(numeric)), replace=False)
    _, text = fingerprints(numeric)
    lines = [f"2026-11-20T10:{i % 60:02d}:00 WARNING low confidence for input {text[k]}" for i, k in enumerate(logged)]
    (folder / "logs" / "serving.log").write_text("\n".join(lines) + "\n")
    artefacts["logs/serving.log"] = "log"
    derived = numeric.copy()
    derived["ratio_0_1"] = numeric.iloc[:, 0] / (numeric.iloc[:, 1].replace(0, np.nan))
    derived.to_csv(folder / "features" / "features.csv", index=False)
    artefacts["features/features.csv"] = "derived features"
    knn = KNeighborsClassifier(n_neighbors=5).fit(numeric.to_numpy(), y)
    with open(folder / "models" / "knn.pkl", "wb") as handle:
        pickle.dump(knn, handle)
    artefacts["models/knn.pkl"] = "model"
    linear = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(numeric.to_numpy(), y)
    with open(folder / "models" / "logistic.pkl", "wb") as handle:
        pickle.dump(linear, handle)
    artefacts["models/logistic.pkl"] = "model"
    return artefacts


_GUESSED_KINDS = {"raw": "raw data", "backup": "backup", "cache": "cache", "logs": "log",
                  "features": "derived features", "models": "model"}


def _open_root(folder):
    try:
        return _fs.Folder.open(folder)
    except OSError:
        raise LifecycleKitError(f"{folder} is not a folder") from None


def _walk(folder):
    """Every entry under ``folder``, never following a link: see :func:`lifecycle_kit._fs.walk`.

    A regular file (an ``Entry``) is to be used before the next item is asked
    for, while the walk holds its folder open; links, devices, pipes, unreadable
    folders and entries swapped while being read come as ``Skipped``.
    """
    root = _open_root(folder)
    with root:
        for item in _fs.walk(root):
            yield item


def _kind(rel, artefacts):
    return (artefacts or {}).get(rel) or _GUESSED_KINDS.get(rel.split("/")[0], "other")


def _entries(folder):
    """``(regular files, skipped)`` under ``folder``: sorted relative POSIX paths, and ``(path, reason)`` pairs."""
    files, skipped = [], []
    for item in _walk(folder):
        if isinstance(item, _fs.Skipped):
            skipped.append((item.rel, item.reason))
        else:
            files.append(item.rel)
    return sorted(files), sorted(skipped)


def skipped_entries(folder: str | os.PathLike[str]) -> pd.DataFrame:
    """What :func:`inventory`, :func:`rescan` and :func:`purge` leave alone: links, devices, unreadable folders.

    Returns
    -------
    pandas.DataFrame
        ``path, reason``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "cache.pkl").symlink_to("/etc/hostname")
    >>> skipped_entries(folder)["reason"].tolist()
    ['symbolic link (/etc/hostname): not followed']
    """
    return pd.DataFrame(_entries(folder)[1], columns=["path", "reason"])


def inventory(folder: str | os.PathLike[str], artefacts: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every regular file under ``folder`` with its kind (from ``artefacts`` or guessed from its folder) and size.

    Links are not followed (see :func:`skipped_entries`); sizes are read from
    each file's own folder, opened on the way down, never through a path.
    """
    rows = [{"path": item.rel, "kind": _kind(item.rel, artefacts), "bytes": item.stat.st_size}
            for item in _walk(folder) if isinstance(item, _fs.Entry)]
    rows.sort(key=lambda row: row["path"])
    return pd.DataFrame(rows, columns=["path", "kind", "bytes"])


def _read_entry(item):
    """The content of a walked file, opened by name in its open folder (no link, pipe or swapped file); or None."""
    try:
        fd = _fs.open_regular(item.folder, item.name, os.O_RDONLY, expected=item.stat)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            return handle.read()
        except OSError:
            return None


def rescan(folder: str | os.PathLike[str], frame: pd.DataFrame) -> pd.DataFrame:
    """How many of ``frame``'s rows can still be found in each file under ``folder``.

    A row is found in a text file when one line or JSON record holds all of its
    numeric values, however printed (``2007`` or ``2007.0``, any separator, float32
    precision); in any file when its values are stored as float64 or float32 side
    by side or one stored column apart; gzip and zip (``.npz``) files are opened,
    one member at a time and at most 256 MiB decompressed per file.
    Not found: values rounded when written, integers stored as binary integers,
    numbers with a decimal comma. Nothing is unpickled and no link is followed;
    a file swapped for a link while the scan runs, or that cannot be read, is
    left out (:func:`skipped_entries` lists links and unreadable folders).

    Returns
    -------
    pandas.DataFrame
        ``path, kind, rows_found`` for every regular file, most residue first.
    """
    values = np.ascontiguousarray(_numeric(frame).astype(float).to_numpy())
    rows = []
    for item in _walk(folder):
        if not isinstance(item, _fs.Entry):
            continue
        content = _read_entry(item)
        if content is None:
            continue
        rows.append({"path": item.rel, "kind": _kind(item.rel, None),
                     "rows_found": int(_rows_found(content, values).sum())})
        del content
    rows.sort(key=lambda row: row["path"])
    return pd.DataFrame(rows, columns=["path", "kind", "rows_found"]).sort_values("rows_found", ascending=False,
                                                                                   kind="stable").reset_index(drop=True)


class PurgeReport(list[OverwriteReport]):
    """The :class:`OverwriteReport` of every file purged, and ``skipped``: ``(path, reason)`` left alone."""

    def __init__(self, reports: Iterable[OverwriteReport] = (), skipped: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(reports)
        self.skipped = list(skipped)

    def summary(self) -> Lines:
        """How many files were purged, and what was left alone and why, in the reader's language."""
        lines = [N_("Files overwritten and deleted: {n}.", n=len(self))]
        lines += [N_("Left alone: {path} — {reason}.", path=path, reason=reason) for path, reason in self.skipped]
        return Lines(lines)

    def _repr_html_(self):
        return self.summary()._repr_html_()


def purge(folder: str | os.PathLike[str],
          kinds: Collection[Literal["raw data", "backup", "cache", "log", "derived features", "model"]],
          artefacts: Mapping[str, str] | None = None) -> PurgeReport:
    """Overwrite and delete every artefact of the given kinds.

    Only regular files inside ``folder`` are touched: links (to files or folders),
    files with other hard links, and anything swapped for a link while the purge
    runs are left alone and listed in the report's ``skipped``. The tree is
    walked with open folders (:mod:`lifecycle_kit._fs`): each file is opened and
    deleted by its name in a folder already open, so no path is looked up again
    after it was checked, and nothing outside ``folder`` can be reached.

    Returns
    -------
    PurgeReport
        A list of overwrite reports, with ``skipped``.
    """
    unknown = set(kinds) - set(ARTEFACT_KINDS)
    if unknown:
        raise LifecycleKitError(f"unknown artefact kinds {sorted(unknown)}; kinds are {', '.join(ARTEFACT_KINDS)}")
    folder = Path(folder)
    reports, skipped = [], []
    for item in _walk(folder):
        if isinstance(item, _fs.Skipped):
            skipped.append((item.rel, item.reason))
            continue
        if _kind(item.rel, artefacts) not in kinds:
            continue
        path = folder / item.rel
        try:
            reports.append(_overwrite_at(item.folder, item.name, path, expected=item.stat))
        except LifecycleKitError as err:
            skipped.append((item.rel, str(err).removeprefix(f"{path} ")))
    reports.sort(key=lambda report: report.path)
    return PurgeReport(reports, sorted(skipped))
