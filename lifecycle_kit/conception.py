"""Idea conception: which data the task needs, from which sources, and whether the features make sense.

- :class:`SourceRegistry` — the candidate sources with their owner, licence,
  provenance and a trust level; ``assess`` flags untrusted or unverified sources
  and checks that every data need is covered by a trusted one.
- :func:`relevance_screen` — mutual information of every candidate feature with
  the target, before any model exists: near-zero columns are irrelevant, columns
  that predict the target almost perfectly (or that identify rows) are suspected
  leaks.
- :func:`add_probe_columns` — adds a pure-noise column and a leaky identifier to
  a frame, to show what the screen catches.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_choice, check_number, check_random_state
from lifecycle_kit.display import Lines, Table, View, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

if TYPE_CHECKING:
    from lifecycle_kit._typing import RandomState, Vector

__all__ = ["TRUST_LEVELS", "SourceRegistry", "add_probe_columns", "example_registry", "relevance_screen"]

#: From least to most trusted.
TRUST_LEVELS = ("untrusted", "unknown", "trusted", "verified")

# The example registry's needs, sources, owners, licences and notes, as a reader of the notebook reads them
# (the registry keeps the English texts, which code and the self-checks compare against).
EXAMPLE_TEXTS = {
    "tumour measurements": N_("tumour measurements"), "diagnosis labels": N_("diagnosis labels"),
    "patient age": N_("patient age"), "imaging metadata": N_("imaging metadata"),
    "UCI breast cancer (Wisconsin)": N_("UCI breast cancer (Wisconsin)"),
    "University of Wisconsin / UCI": N_("University of Wisconsin / UCI"),
    "SHA-256 recorded on the dataset card": N_("SHA-256 recorded on the dataset card"),
    "Hospital registry extract": N_("Hospital registry extract"), "Regional hospital": N_("Regional hospital"),
    "data-sharing agreement": N_("data-sharing agreement"), "agreement renewed yearly": N_("agreement renewed yearly"),
    "Scraped forum posts": N_("Scraped forum posts"), "unknown": N_("unknown"),
    "labels self-reported, no provenance": N_("labels self-reported, no provenance"),
    "Vendor imaging export": N_("Vendor imaging export"), "Imaging vendor": N_("Imaging vendor"),
    "commercial": N_("commercial"), "format undocumented": N_("format undocumented"),
    "Synthetic augmentation": N_("Synthetic augmentation"), "internal": N_("internal"),
    "generated from the UCI data: model collapse risk (stage 3)":
        N_("generated from the UCI data: model collapse risk (stage 3)"),
}
TRUST_LABELS = {"untrusted": N_("untrusted"), "unknown": N_("unknown"), "trusted": N_("trusted"),
                "verified": N_("verified")}
FLAG_LABELS = {"relevant": N_("relevant"), "irrelevant": N_("irrelevant"), "suspected leak": N_("suspected leak")}
vocabulary(
    headings={"name": N_("name"), "licence": N_("licence"), "owner": N_("owner"), "trust": N_("trust"), "provides": N_("provides"),
              "last_verified": N_("last_verified"), "notes": N_("notes"), "usable": N_("usable"), "flags": N_("flags"),
              "need": N_("need"), "covered_by": N_("covered_by"), "covered": N_("covered"), "feature": N_("feature"),
              "mutual_information": N_("mutual_information"), "chance_level": N_("chance_level"),
              "share_of_entropy": N_("share_of_entropy"), "unique_share": N_("unique_share"), "flag": N_("flag")},
    values={"name": EXAMPLE_TEXTS, "owner": EXAMPLE_TEXTS, "licence": EXAMPLE_TEXTS, "notes": EXAMPLE_TEXTS,
            "provides": EXAMPLE_TEXTS, "need": EXAMPLE_TEXTS, "covered_by": EXAMPLE_TEXTS, "trust": TRUST_LABELS,
            "flag": FLAG_LABELS})


@dataclass
class SourceRegistry:
    """Candidate data sources and the data needs they cover.

    Attributes
    ----------
    sources : list of dict
        ``name, owner, licence, trust, provides (list of needs), last_verified (ISO date), notes``.
    needs : list of str
        What the task needs (e.g. "tumour measurements", "diagnosis labels").
    """

    needs: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)

    def add_source(self, name: str, *, owner: str, licence: str,
                   trust: Literal["untrusted", "unknown", "trusted", "verified"], provides: Collection[str],
                   last_verified: str | date | None = None, notes: str = "") -> SourceRegistry:
        """Register a source; ``provides`` must name listed needs. Returns the registry, so calls chain.

        Parameters
        ----------
        name : str
            Unique within the registry.
        owner, licence : str
            Who holds the data, and under which licence (``assess`` flags an empty licence).
        trust : {"untrusted", "unknown", "trusted", "verified"}
            One of :data:`TRUST_LEVELS`.
        provides : collection of str
            The needs this source covers.
        last_verified : str or date, default=None
            When the source was last checked (an ISO date); None: never.
        notes : str, default=""
        """
        check_choice("trust", trust, TRUST_LEVELS)
        unknown = [p for p in provides if p not in self.needs]
        if unknown:
            raise LifecycleKitError(_("source {name} provides {unknown}, which are not listed needs: {needs}",
                                      name=repr(name), unknown=unknown, needs=self.needs))
        if any(s["name"] == name for s in self.sources):
            raise LifecycleKitError(_("a source named {name} is already registered", name=repr(name)))
        self.sources.append({"name": name, "owner": owner, "licence": licence, "trust": trust,
                             "provides": list(provides), "last_verified": last_verified, "notes": notes})
        return self

    def to_frame(self) -> pd.DataFrame:
        """The registered sources, one row each."""
        return pd.DataFrame(self.sources, columns=["name", "owner", "licence", "trust", "provides", "last_verified",
                                                   "notes"])

    def summary(self) -> Lines:
        """The task's data needs, in the reader's language."""
        return Lines([N_("Data needs of the task: {needs}.",
                         needs=", ".join(_(EXAMPLE_TEXTS[n]) if n in EXAMPLE_TEXTS else n for n in self.needs))])

    def _repr_html_(self):
        return View(self.summary(), Table(self.to_frame()))._repr_html_()

    def assess(self, *, include: Collection[str] | None = None,
               min_trust: Literal["untrusted", "unknown", "trusted", "verified"] = "trusted", max_age_days: int = 365,
               today: str | date | None = None) -> dict[str, pd.DataFrame]:
        """Flag each included source and check that every need is covered by a source trusted enough.

        Parameters
        ----------
        include : collection of str, default=None
            Sources taken into account (all by default).
        min_trust : {"untrusted", "unknown", "trusted", "verified"}, default="trusted"
            A need is covered only by sources at least this trusted.
        max_age_days : int, default=365
            A verification older than this is stale.
        today : str or date, default=None
            Reference date (fixed in the notebooks so results do not change with the calendar).

        Returns
        -------
        dict of str -> pandas.DataFrame
            ``sources`` (a frame with ``flags``) and ``needs`` (a frame: need, covered_by, covered).
        """
        check_choice("min_trust", min_trust, TRUST_LEVELS)
        max_age = int(check_number("max_age_days", max_age_days, low=0, integer=True))
        today = pd.Timestamp(today or date.today())
        chosen = [s for s in self.sources if include is None or s["name"] in include]
        if include is not None:
            missing = set(include) - {s["name"] for s in self.sources}
            if missing:
                raise LifecycleKitError(_("unknown sources {names}", names=sorted(missing)))
        rank = {level: i for i, level in enumerate(TRUST_LEVELS)}
        rows = []
        for s in chosen:
            flags = []
            if rank[s["trust"]] < rank["trusted"]:
                flags.append(f"trust is {s['trust']}")
            if not s["last_verified"]:
                flags.append("never verified")
            elif (today - pd.Timestamp(s["last_verified"])).days > max_age:
                flags.append(f"verified {(today - pd.Timestamp(s['last_verified'])).days} days ago")
            if not s["licence"]:
                flags.append("no licence")
            rows.append({**s, "flags": "; ".join(flags), "usable": rank[s["trust"]] >= rank[min_trust]})
        needs = []
        for need in self.needs:
            providers = [r["name"] for r in rows if need in r["provides"] and r["usable"]]
            needs.append({"need": need, "covered_by": ", ".join(providers), "covered": bool(providers)})
        return {"sources": pd.DataFrame(rows), "needs": pd.DataFrame(needs)}


def example_registry() -> SourceRegistry:
    """The registry used in the stage-1 notebook: a diagnostic model's data needs and five candidate sources."""
    registry = SourceRegistry(needs=["tumour measurements", "diagnosis labels", "patient age", "imaging metadata"])
    registry.add_source("UCI breast cancer (Wisconsin)", owner="University of Wisconsin / UCI", licence="CC BY 4.0",
                        trust="verified", provides=["tumour measurements", "diagnosis labels"],
                        last_verified="2026-09-01", notes="SHA-256 recorded on the dataset card")
    registry.add_source("Hospital registry extract", owner="Regional hospital", licence="data-sharing agreement",
                        trust="trusted", provides=["diagnosis labels", "patient age"], last_verified="2025-03-15",
                        notes="agreement renewed yearly")
    registry.add_source("Scraped forum posts", owner="unknown", licence="", trust="untrusted",
                        provides=["diagnosis labels"], notes="labels self-reported, no provenance")
    registry.add_source("Vendor imaging export", owner="Imaging vendor", licence="commercial", trust="unknown",
                        provides=["imaging metadata"], notes="format undocumented")
    registry.add_source("Synthetic augmentation", owner="internal", licence="internal", trust="trusted",
                        provides=["tumour measurements"], last_verified="2026-10-01",
                        notes="generated from the UCI data: model collapse risk (stage 3)")
    return registry


def add_probe_columns(frame: pd.DataFrame, target: Vector, *, random_state: RandomState = None) -> pd.DataFrame:
    """A copy of ``frame`` with ``noise`` (pure random numbers) and ``record_id`` (an identifier that leaks the target).

    The identifier mimics a common accident: records were numbered after being
    sorted by outcome (all of one class first), so the number encodes the label.

    Parameters
    ----------
    frame : pandas.DataFrame
        Features (not modified).
    target : array-like of shape (n_rows,)
        The labels the identifier is sorted by.
    random_state : int, numpy Generator or None, default=None
    """
    rng = check_random_state(random_state)
    y = np.asarray(target)
    if len(y) != len(frame):
        raise LifecycleKitError(f"target has {len(y)} values but the frame has {len(frame)} rows")
    out = frame.copy()
    out["noise"] = rng.normal(size=len(frame))
    order = np.lexsort((rng.random(len(y)), pd.factorize(y, sort=True)[0]))
    ids = np.empty(len(y), dtype=np.int64)
    ids[order] = 100000 + np.arange(len(y))
    out["record_id"] = ids
    return out


def relevance_screen(frame: pd.DataFrame, target: Vector, *, threshold: float = 0.01, leak_share: float = 0.9,
                     bins: int = 16, permutations: int = 20, random_state: RandomState = 0) -> pd.DataFrame:
    """Mutual information of each feature with the target, flagged as irrelevant, relevant or a suspected leak.

    Parameters
    ----------
    frame : pandas.DataFrame
        Candidate features, one column each.
    target : array-like of shape (n_rows,)
        The labels.
    threshold : float, default=0.01
        A feature is irrelevant below this (nats) *or* below what the same feature
        reaches against a shuffled target (the 95th percentile of ``permutations``
        shuffles): information indistinguishable from chance.
    leak_share : float, default=0.9
        A feature whose mutual information reaches this share of the target's
        entropy predicts it almost alone: suspected leak. An integer identifier
        (unique per row) carrying information is suspected too.
    bins : int, default=16
        Numeric features are cut into at most this many quantile bins before counting.
    permutations : int, default=20
        Shuffles of the target that give each feature's chance level (0: no chance level).
    random_state : int, numpy Generator or None, default=0

    Returns
    -------
    pandas.DataFrame
        ``feature, mutual_information, chance_level, share_of_entropy, unique_share, flag``,
        highest information first.
    """
    from lifecycle_kit.quality.information import codes, mutual_information

    check_number("threshold", threshold, low=0.0)
    rng = check_random_state(random_state)
    y = codes(pd.Series(np.asarray(target)))
    shuffles = [rng.permutation(y) for _ in range(int(permutations))]
    counts = np.bincount(y)
    p = counts[counts > 0] / counts.sum()
    entropy = float(-(p * np.log(p)).sum())
    rows = []
    for c in frame.columns:
        column = frame[c].reset_index(drop=True)
        x = codes(column, bins=bins)
        mi = mutual_information(x, y)
        chance = float(np.percentile([mutual_information(x, s) for s in shuffles], 95)) if shuffles else 0.0
        unique_share = column.nunique() / max(len(column), 1)
        identifier = pd.api.types.is_integer_dtype(column.dtype) and unique_share > 0.95
        share = mi / entropy if entropy else 0.0
        if share >= leak_share or (identifier and share >= 0.1):
            flag = "suspected leak"
        elif mi < max(threshold, chance):
            flag = "irrelevant"
        else:
            flag = "relevant"
        rows.append({"feature": str(c), "mutual_information": mi, "chance_level": chance, "share_of_entropy": share,
                     "unique_share": unique_share, "flag": flag})
    return pd.DataFrame(rows).sort_values("mutual_information", ascending=False).reset_index(drop=True)
