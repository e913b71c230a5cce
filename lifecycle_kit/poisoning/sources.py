"""Data from several sources: splitting a dataset into named sources, compromising one, acquiring with a manifest.

A training set is rarely one file from one place. When the data comes from
several sources, an attacker needs to control only one of them. Recording a
manifest (SHA-256 per file) at acquisition lets every later step verify that
nothing was changed since — an attacker who edits an already-recorded file is
caught before training.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_number, check_random_state
from lifecycle_kit.display import Lines, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

# The words of the stage-4 tables of sources and manifests, as a reader reads them (lifecycle_kit.display).
vocabulary(headings={"bytes": N_("bytes"), "sha256": N_("SHA-256"), "manifest": N_("manifest"),
                     "matches the files": N_("matches the files"), "signature valid": N_("signature valid")},
           values={"manifest": {"original": N_("original (signed at acquisition)"),
                                "forged": N_("forged (rebuilt by the attacker)")}})

if TYPE_CHECKING:
    import os

    from lifecycle_kit._typing import Matrix, Vector
    from lifecycle_kit.integrity import Manifest, Verification

__all__ = ["AcquiredData", "acquire_sources", "compromise_source", "load_verified_sources", "split_sources"]


def split_sources(n_rows: int | pd.DataFrame, *, n_sources: int = 4, by: str | None = None,
                  names: Sequence[str] | None = None, random_state: int | np.random.Generator | None = None) -> np.ndarray:
    """Name a source for every row: at random in equal shares, or from a column.

    Parameters
    ----------
    n_rows : int or DataFrame
        Number of rows (or the frame itself when splitting ``by`` a column).
    n_sources : int, default=4
    by : str, default=None
        A column of the frame whose values become the source names.
    names : list of str, default=None
        Source names (default ``agency_1`` ... ``agency_n``).
    random_state : int or Generator, default=None

    Returns
    -------
    numpy.ndarray of str

    Examples
    --------
    >>> s = split_sources(10, n_sources=2, random_state=0)
    >>> sorted(set(s.tolist())), int((s == "agency_1").sum())
    (['agency_1', 'agency_2'], 5)
    """
    if by is not None:
        if not isinstance(n_rows, pd.DataFrame) or by not in n_rows.columns:
            raise LifecycleKitError(f"by={by!r} needs the frame itself with that column")
        return n_rows[by].astype(str).to_numpy()
    n = len(n_rows) if isinstance(n_rows, pd.DataFrame) else int(check_number("n_rows", n_rows, low=1, integer=True))
    k = int(check_number("n_sources", n_sources, low=1, high=n, integer=True))
    names = list(names) if names is not None else [f"agency_{i + 1}" for i in range(k)]
    if len(names) != k or len(set(names)) != k:
        raise LifecycleKitError(f"names must be {k} distinct source names; got {names}")
    rng = check_random_state(random_state)
    labels = np.array(names, dtype=object)[np.arange(n) % k]
    return labels[rng.permutation(n)].astype(str)


def compromise_source(y: Vector, sources: Vector, source: str, rate: float, *, strategy: str = "random",
                      flip_source: Any = None, flip_target: Any = None, X: Matrix | None = None,
                      random_state: int | np.random.Generator | None = None) -> tuple[Any, np.ndarray]:
    """Flip labels only in the rows of one source (the one the attacker controls).

    Returns ``(y_poisoned, flipped_positions)`` like :func:`flip_labels`.
    """
    from lifecycle_kit.poisoning.attacks import flip_labels

    sources = np.asarray(sources)
    if len(sources) != len(y):
        raise LifecycleKitError(f"sources has {len(sources)} entries but y has {len(y)} labels")
    if source not in set(sources.tolist()):
        raise LifecycleKitError(_("source {source} not found; sources are {sources}", source=repr(source),
                                  sources=sorted(set(sources.tolist()))))
    return flip_labels(y, rate, strategy=strategy, source=flip_source, target=flip_target, X=X,
                       rows=sources == source, random_state=random_state)


@dataclass
class AcquiredData:
    """Sources read back from disk after verification against the manifest recorded at acquisition."""

    frames: dict[str, pd.DataFrame]
    verification: Verification
    rejected: list[str]

    def combined(self) -> pd.DataFrame:
        """The accepted sources as one frame with a ``source`` column."""
        if not self.frames:
            raise LifecycleKitError("no source passed verification")
        return pd.concat([f.assign(source=name) for name, f in self.frames.items()], ignore_index=True)

    def summary(self) -> Lines:
        """The verification, and which sources were refused and accepted, in the reader's language."""
        return Lines([N_("Verification: {summary}.", summary=self.verification.summary()),
                      N_("Refused: {refused}; accepted: {accepted}.", refused=", ".join(self.rejected) or "—",
                         accepted=", ".join(sorted(self.frames)) or "—")])

    def _repr_html_(self):
        return self.summary()._repr_html_()


def acquire_sources(frames: Mapping[str, pd.DataFrame], folder: str | os.PathLike[str]) -> Manifest:
    """Write each source as ``<name>.csv`` in ``folder`` and record a manifest of the folder.

    Returns
    -------
    Manifest
        To be kept apart from the data (and signed, stage 9), so that an
        attacker who can write the folder cannot rewrite it.
    """
    from lifecycle_kit.integrity import build_manifest

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        if not str(name).replace("_", "").replace("-", "").isalnum():
            raise LifecycleKitError(f"source name {name!r} must be letters, digits, '-' or '_'")
        frame.to_csv(folder / f"{name}.csv", index=False)
    return build_manifest(folder)


def load_verified_sources(folder: str | os.PathLike[str], manifest: Manifest) -> AcquiredData:
    """Read back the sources that still match the manifest; refuse changed, missing and added files."""
    from lifecycle_kit.integrity import verify_manifest

    verification = verify_manifest(folder, manifest)
    bad = set(verification.changed) | set(verification.added)
    frames = {}
    for rel in sorted(manifest.files):
        if rel in bad or rel in verification.missing or not rel.endswith(".csv"):
            continue
        frames[rel.removesuffix(".csv")] = pd.read_csv(Path(folder) / rel)
    rejected = sorted(bad | set(verification.missing))
    return AcquiredData(frames=frames, verification=verification, rejected=rejected)
