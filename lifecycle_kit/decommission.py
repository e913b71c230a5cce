"""Decommissioning: destroy data for good, and find every place that still holds it.

- :class:`EncryptedStore` — crypto-shredding: data is stored encrypted
  (AES-256-GCM, authenticated); destroying the key makes every copy of the
  ciphertext, backups included, unreadable.
- :func:`overwrite_and_delete` — overwrite a file with random bytes, check the
  overwrite, then delete it (NIST SP 800-88 "clear" for ordinary files; SSDs and
  copy-on-write file systems may keep old blocks, which is why crypto-shredding exists).
- :func:`build_workspace`, :func:`inventory`, :func:`rescan`, :func:`purge` —
  a deployed system leaves data in raw files, caches, logs, derived features
  and fitted models. The rescan looks for the original rows' fingerprints in
  every file, as text (CSV-like lines) and as binary (the rows' float64 bytes,
  as stored inside a pickled model), without unpickling anything.
"""

import os
import pickle
import secrets
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lifecycle_kit.errors import LifecycleKitError

__all__ = ["ARTEFACT_KINDS", "EncryptedStore", "build_workspace", "fingerprints", "inventory", "overwrite_and_delete",
           "purge", "rescan"]

ARTEFACT_KINDS = ("raw data", "backup", "cache", "log", "derived features", "model")


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

    def __init__(self, key=None):
        self._key = bytearray(key if key is not None else secrets.token_bytes(32))
        if len(self._key) != 32:
            raise LifecycleKitError("an AES-256 key is 32 bytes")
        self.shredded = False

    def encrypt(self, data, *, associated=b""):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if self.shredded:
            raise LifecycleKitError("the key was shredded: nothing can be encrypted with it")
        nonce = secrets.token_bytes(12)
        return nonce + AESGCM(bytes(self._key)).encrypt(nonce, bytes(data), associated)

    def decrypt(self, token, *, associated=b""):
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        from lifecycle_kit.errors import IntegrityError

        if self.shredded:
            raise IntegrityError("the key was shredded: the data cannot be decrypted any more")
        try:
            return AESGCM(bytes(self._key)).decrypt(bytes(token[:12]), bytes(token[12:]), associated)
        except InvalidTag:
            raise IntegrityError("decryption failed: wrong key, or the ciphertext was altered") from None

    def shred(self):
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


def overwrite_and_delete(path, *, passes=1):
    """Overwrite a file with random bytes (``passes`` times), verify the last pass, then delete it."""
    path = Path(path)
    if not path.is_file():
        raise LifecycleKitError(f"{path} is not a file")
    size = path.stat().st_size
    original_head = path.read_bytes()[:4096]
    last = b""
    for _ in range(max(1, int(passes))):
        last = secrets.token_bytes(size)
        with open(path, "r+b") as handle:
            handle.write(last)
            handle.flush()
            os.fsync(handle.fileno())
    readback = path.read_bytes()
    overwritten = readback == last and (size == 0 or readback[:4096] != original_head)
    path.unlink()
    return OverwriteReport(str(path), size, overwritten, not path.exists())


def _numeric(frame):
    numeric = frame.select_dtypes("number")
    if numeric.shape[1] == 0:
        raise LifecycleKitError("fingerprints need numeric columns")
    return numeric


def fingerprints(frame):
    """Per row: its numeric values (float64) and their CSV-like text (as pandas and logs write them)."""
    values = np.ascontiguousarray(_numeric(frame).astype(float).to_numpy())
    text = [",".join(repr(float(v)) for v in row) for row in values]
    return values, text


def _binary_rows_found(content, values):
    """Rows all of whose float64 values occur somewhere in ``content`` (at any byte alignment).

    Arrays are stored row by row or column by column; looking for every value of a
    row, wherever it sits, finds both without parsing the file format.
    """
    present = np.zeros(values.shape, dtype=bool)
    for offset in range(8):
        usable = (len(content) - offset) // 8
        if usable <= 0:
            continue
        floats = np.frombuffer(content, dtype="<f8", count=usable, offset=offset)
        present |= np.isin(values, floats)
    return present.all(axis=1)


def build_workspace(frame, target, folder, *, random_state=0):
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


def inventory(folder, artefacts=None):
    """Every file under ``folder`` with its kind (from ``artefacts`` or guessed from its folder) and size."""
    folder = Path(folder)
    guesses = {"raw": "raw data", "backup": "backup", "cache": "cache", "logs": "log", "features": "derived features",
               "models": "model"}
    rows = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        kind = (artefacts or {}).get(rel) or guesses.get(rel.split("/")[0], "other")
        rows.append({"path": rel, "kind": kind, "bytes": path.stat().st_size})
    return pd.DataFrame(rows, columns=["path", "kind", "bytes"])


def rescan(folder, frame):
    """How many of ``frame``'s rows can still be found in each file under ``folder``.

    Text files are searched for each row's numeric values written as text;
    every file is searched for each row's float64 values (stored row-wise or
    column-wise). Nothing is unpickled.

    Returns
    -------
    pandas.DataFrame
        ``path, kind, rows_found`` for every file, most residue first.
    """
    values, text = fingerprints(frame)
    rows = []
    table = inventory(folder)
    for record in table.itertuples():
        content = (Path(folder) / record.path).read_bytes()
        decoded = content.decode("utf-8", errors="ignore")
        in_text = np.array([t in decoded for t in text])
        found = int((in_text | _binary_rows_found(content, values)).sum())
        rows.append({"path": record.path, "kind": record.kind, "rows_found": found})
    return pd.DataFrame(rows, columns=["path", "kind", "rows_found"]).sort_values("rows_found", ascending=False,
                                                                                   kind="stable").reset_index(drop=True)


def purge(folder, kinds, artefacts=None):
    """Overwrite and delete every artefact of the given kinds; returns the overwrite reports."""
    unknown = set(kinds) - set(ARTEFACT_KINDS)
    if unknown:
        raise LifecycleKitError(f"unknown artefact kinds {sorted(unknown)}; kinds are {', '.join(ARTEFACT_KINDS)}")
    table = inventory(folder, artefacts)
    return [overwrite_and_delete(Path(folder) / p) for p, k in zip(table["path"], table["kind"]) if k in kinds]
