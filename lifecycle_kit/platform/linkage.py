"""Record linkage: which records from different sources describe the same entity.

Exact joins fail on real registries (a typo, another case, a re-measured
value). Linkage here is done in three steps: **blocking** (only records that
agree on cheap keys are compared), **similarity** (identifiers by
Jaro-Winkler, measurements by relative closeness) and **clustering** (matched
pairs are joined transitively). Against known truth it reports pairwise
precision and recall.

Examples
--------
>>> round(similarity("N12A1", "N12A2"), 3)
0.92
>>> similarity("Dream", "Dream")
1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lifecycle_kit import _html
from lifecycle_kit._validation import check_number
from lifecycle_kit.display import vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _
from lifecycle_kit.results import ResultMixin

vocabulary(headings={"method": N_("method"), "birds_found": N_("birds found"), "true_birds": N_("birds in truth"),
                     "checked": N_("compared with other sources"), "conflicts": N_("conflicts"),
                     "conflict_rate": N_("conflict rate"), "note": N_("note")},
           values={"method": {"exact": N_("exact join on the identifier"), "blocking": N_("blocking + similarity")},
                   "note": {"no conflicts": N_("no conflicts"),
                            "no conflicts (no record to compare with)": N_("no conflicts (no record to compare with)")}})

if TYPE_CHECKING:
    from lifecycle_kit._typing import Vector

__all__ = ["Linkage", "jaro_winkler", "label_conflicts", "link_records", "similarity"]


# Winkler (1990) boosts only pairs that already look alike: below this Jaro
# similarity a shared prefix is a coincidence, not evidence of a typo.
WINKLER_BOOST_THRESHOLD = 0.7


def jaro_winkler(a: object, b: object, *, prefix_scale: float = 0.1) -> float:
    """Jaro-Winkler similarity of two strings, in [0, 1].

    Jaro counts the characters the two strings share within a window of
    ``max(len) // 2 - 1`` positions and the shared characters that appear in a
    different order (half-transpositions, halved with floor division). Winkler
    then adds ``prefix * prefix_scale * (1 - jaro)`` for a common prefix of up
    to 4 characters, but only when Jaro exceeds 0.7. This is the definition
    jellyfish and rapidfuzz implement; the cross-check tests hold the kit to
    both within 1e-12. One edge differs between the libraries: two empty
    strings score 1.0 here and in rapidfuzz (they are equal), 0.0 in jellyfish.

    Parameters
    ----------
    a, b : str or object
        The strings to compare (other values are compared as ``str(value)``).
    prefix_scale : float, default=0.1
        Weight of each shared leading character; at most 0.25 keeps the score
        within [0, 1].

    Returns
    -------
    float

    Examples
    --------
    >>> round(jaro_winkler("MARTHA", "MARHTA"), 4)
    0.9611
    >>> round(jaro_winkler("DWAYNE", "DUANE"), 4)
    0.84

    Below the 0.7 threshold the shared prefix "AB" adds nothing:

    >>> jaro_winkler("ABCDEFGHIJ", "ABWXYZKLMN") == jaro_winkler("ABCDEFGHIJ", "ABWXYZKLMN", prefix_scale=0.0)
    True
    """
    a, b = str(a), str(b)
    prefix_scale = check_number("prefix_scale", prefix_scale, low=0.0, high=0.25)
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(0, max(len(a), len(b)) // 2 - 1)
    a_matched, b_matched = [False] * len(a), [False] * len(b)
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not b_matched[j] and b[j] == ch:
                a_matched[i] = b_matched[j] = True
                matches += 1
                break
    if matches == 0:
        return 0.0
    a_seq = [ch for ch, m in zip(a, a_matched) if m]
    b_seq = [ch for ch, m in zip(b, b_matched) if m]
    # Each out-of-order pair is counted once from each side; an odd count
    # rounds down, as in Winkler's reference code, jellyfish and rapidfuzz.
    transpositions = sum(x != y for x, y in zip(a_seq, b_seq)) // 2
    jaro = (matches / len(a) + matches / len(b) + (matches - transpositions) / matches) / 3
    if jaro <= WINKLER_BOOST_THRESHOLD:
        return jaro
    prefix = 0
    for x, y in zip(a[:4], b[:4]):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * prefix_scale * (1 - jaro)


def similarity(a: object, b: object) -> float:
    """The string similarity record linkage uses: :func:`jaro_winkler` with Winkler's prefix scale 0.1.

    Examples
    --------
    >>> similarity("MARTHA", "MARHTA") == jaro_winkler("MARTHA", "MARHTA")
    True
    """
    return jaro_winkler(a, b)


@dataclass
class Linkage(ResultMixin):
    """Matched pairs, entity clusters, and (when the truth is known) pairwise precision and recall.

    ``score_histogram`` counts the combined scores of every candidate pair in 20
    equal bins over [0, 1]; ``threshold`` is the score a match had to reach.
    """

    pairs: pd.DataFrame
    clusters: pd.Series
    candidates: int
    precision: float = float("nan")
    recall: float = float("nan")
    threshold: float | None = None
    score_histogram: np.ndarray | None = None

    @property
    def entities(self) -> int:
        return int(self.clusters.nunique())

    _result_kind = "linkage"

    def _payload(self):
        return {"candidates": self.candidates, "matches": len(self.pairs), "entities": self.entities,
                "precision": self.precision, "recall": self.recall, "threshold": self.threshold,
                "score_histogram": {"edges": SCORE_EDGES, "counts": self.score_histogram},
                "pairs": self.pairs, "clusters": self.clusters}

    def _repr_html_(self):
        text = _("{pairs:,} matched pairs of {candidates:,} candidates; {entities:,} entities", pairs=len(self.pairs),
                 candidates=self.candidates, entities=self.entities)
        if self.precision == self.precision:
            text += "; " + _("precision {precision:.3f}, recall {recall:.3f}", precision=self.precision, recall=self.recall)
        body = _html.verdict_html(None, text, title=_("Record linkage:"))
        if self.score_histogram is not None:
            counts = np.asarray(self.score_histogram)
            above = SCORE_EDGES[:-1] >= (self.threshold if self.threshold is not None else 2.0) - 1e-12
            body += _html.histogram_svg(SCORE_EDGES, {_("below the threshold"): np.where(above, 0, counts),
                                                      _("at or above"): np.where(above, counts, 0)},
                                        threshold=self.threshold, title=_("Scores of the candidate pairs"),
                                        xlabel=_("combined score"))
        return body + _html.table_html(self.pairs, max_rows=20)


#: Bin edges of :attr:`Linkage.score_histogram`.
SCORE_EDGES = np.linspace(0.0, 1.0, 21)


def _closeness(values):
    """Pairwise relative closeness of one numeric column (1 equal, 0 at 10% apart), NaN where a value is missing."""
    a = values[:, None]
    b = values[None, :]
    scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-9)
    with np.errstate(invalid="ignore"):
        return np.clip(1.0 - np.abs(a - b) / scale * 10, 0.0, 1.0)


def link_records(frame: pd.DataFrame, *, block_on: Sequence[str] = ("study",),
                 id_column: str = "individual_id",
                 measures: Sequence[str] = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm",
                                            "body_mass_g"),
                 threshold: float = 0.95, id_weight: float = 0.5, exact: bool = False,
                 truth: Vector | None = None) -> Linkage:
    """Link the records of a unified table across sources.

    Parameters
    ----------
    frame : pandas.DataFrame
        Unified records with ``source`` and ``record`` columns.
    block_on : tuple of str, default=("study",)
        Only records agreeing on these columns are compared.
    id_column : str
        Identifier compared by Jaro-Winkler similarity.
    measures : tuple of str
        Numbers compared by relative closeness (a 10% difference scores 0).
    threshold : float, default=0.95
        A pair whose combined score reaches this is a match.
    id_weight : float, default=0.5
        Weight of the identifier in the combined score (the measures share the rest).
        When no measure is comparable, only an exact identifier match counts.
    exact : bool, default=False
        Match on identical identifiers only (the exact join, for comparison).
    truth : array-like, default=None
        The true entity of every row; gives precision and recall of the matched pairs.

    Returns
    -------
    Linkage
    """
    check_number("threshold", threshold, low=0.0, high=1.0)
    check_number("id_weight", id_weight, low=0.0, high=1.0)
    for c in [*block_on, id_column, "source", *measures]:
        if c not in frame.columns:
            raise LifecycleKitError(f"column {c!r} is needed for linkage but is not in the table")
    frame = frame.reset_index(drop=True)
    rows, candidates = [], 0
    histogram = np.zeros(len(SCORE_EDGES) - 1, dtype=int)
    cache = {}
    for _key, block in frame.groupby(list(block_on), dropna=False):
        idx = block.index.to_numpy()
        ids = block[id_column].astype(str).to_numpy()
        unique, inverse = np.unique(ids, return_inverse=True)
        id_matrix = np.empty((len(unique), len(unique)))
        for x, a in enumerate(unique):
            for y, b in enumerate(unique):
                key = (a, b) if a <= b else (b, a)
                if key not in cache:
                    cache[key] = similarity(a, b)
                id_matrix[x, y] = cache[key]
        id_score = id_matrix[inverse][:, inverse]
        closeness = np.stack([_closeness(block[c].to_numpy(dtype=float)) for c in measures])
        finite = np.isfinite(closeness)
        available = finite.any(axis=0)
        measure = np.where(available, np.where(finite, closeness, 0.0).sum(axis=0) / np.maximum(finite.sum(axis=0), 1),
                           np.nan)
        # Without comparable measurements, short identifiers that differ by one character may be two birds of one
        # nest: the identifier alone is trusted only when it agrees exactly.
        score = np.where(available, id_weight * id_score + (1 - id_weight) * np.nan_to_num(measure),
                         (id_score == 1.0).astype(float))
        if exact:
            score = (id_score == 1.0).astype(float)
        sources = block["source"].to_numpy()
        pair_mask = np.triu(sources[:, None] != sources[None, :], k=1)
        candidates += int(pair_mask.sum())
        histogram += np.histogram(np.clip(score[pair_mask], 0.0, 1.0), bins=SCORE_EDGES)[0]
        hits = np.argwhere(pair_mask & (id_score >= 0.75) & (score >= threshold))
        for x, y in hits:
            rows.append({"left": int(idx[x]), "right": int(idx[y]), "id_score": float(id_score[x, y]),
                         "measure_score": float(measure[x, y]) if available[x, y] else np.nan,
                         "score": float(score[x, y])})
    pairs = pd.DataFrame(rows, columns=["left", "right", "id_score", "measure_score", "score"])
    parent = list(range(len(frame)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for left, right in zip(pairs["left"], pairs["right"]):
        parent[find(left)] = find(right)
    clusters = pd.Series([find(i) for i in range(len(frame))], name="entity")
    result = Linkage(pairs=pairs, clusters=clusters, candidates=candidates, threshold=float(threshold),
                     score_histogram=histogram)
    if truth is not None:
        truth = np.asarray(truth)
        if len(truth) != len(frame):
            raise LifecycleKitError(f"truth has {len(truth)} entries but the table has {len(frame)} rows")
        found = {(min(a, b), max(a, b)) for a, b in zip(pairs["left"], pairs["right"])}
        sources = frame["source"].to_numpy()
        true_pairs = set()
        for _, members in pd.Series(range(len(frame))).groupby(truth):
            members = members.to_numpy()
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    if sources[members[x]] != sources[members[y]]:
                        true_pairs.add((int(members[x]), int(members[y])))
        matched = len(found & true_pairs)
        result.precision = matched / len(found) if found else 1.0
        result.recall = matched / len(true_pairs) if true_pairs else 1.0
    return result


def label_conflicts(frame: pd.DataFrame, clusters: Vector, column: str = "species") -> pd.DataFrame:
    """Per source: how often its label disagrees with what the *other* sources say about the same entity.

    A record is checked when its entity (cluster) has labelled records from
    other sources; it conflicts when a strict majority of those other records
    carry another label. A poisoned source stands out: its flipped labels
    disagree with every other source, while a clean source disagrees only where
    it happens to be linked to flipped records alone.

    Returns
    -------
    pandas.DataFrame
        ``source, records, checked, conflicts, conflict_rate, note``, highest rate
        first. A source with no conflict has rate 0 and the note "no conflicts"
        (also when none of its records could be compared: the note says so).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"source": ["a", "b", "c", "a", "b"], "species": ["X", "X", "Y", "Z", "Z"]})
    >>> label_conflicts(frame, pd.Series([0, 0, 0, 1, 1]))[["source", "checked", "conflicts"]].values.tolist()
    [['c', 1, 1], ['a', 2, 0], ['b', 2, 0]]
    """
    if column not in frame.columns or "source" not in frame.columns:
        raise LifecycleKitError(f"label_conflicts needs the columns 'source' and {column!r}")
    clusters = np.asarray(clusters)
    if len(clusters) != len(frame):
        raise LifecycleKitError(f"clusters has {len(clusters)} entries but the table has {len(frame)} rows")
    clusters = pd.Series(clusters, index=frame.index)
    labels, sources = frame[column], frame["source"]
    # Counted, not compared pair by pair: a loose threshold makes clusters of hundreds of records.
    work = pd.DataFrame({"cluster": clusters.to_numpy(), "source": sources.to_numpy(), "label": labels.to_numpy()},
                        index=frame.index)
    has_label = work["label"].notna()
    labelled = work[has_label]
    in_cluster = labelled.groupby("cluster")["label"].transform("size")
    in_cluster_same_source = labelled.groupby(["cluster", "source"])["label"].transform("size")
    agreeing = labelled.groupby(["cluster", "label"])["label"].transform("size")
    agreeing_same_source = labelled.groupby(["cluster", "source", "label"])["label"].transform("size")
    others = in_cluster - in_cluster_same_source
    disagree = others - (agreeing - agreeing_same_source)
    checked = pd.Series(False, index=frame.index)
    conflict = pd.Series(False, index=frame.index)
    checked[labelled.index] = (others > 0).to_numpy()
    conflict[labelled.index] = ((others > 0) & (disagree * 2 > others)).to_numpy()
    table = pd.DataFrame({"source": sources, "checked": checked, "conflicts": conflict}).groupby("source").agg(
        records=("checked", "size"), checked=("checked", "sum"), conflicts=("conflicts", "sum")).reset_index()
    # No record compared means no conflict seen: 0, with a note, rather than a NaN a learner cannot read.
    table["conflict_rate"] = (table["conflicts"] / table["checked"].where(table["checked"] > 0)).fillna(0.0)
    table["note"] = np.where(table["conflicts"] > 0, "",
                             np.where(table["checked"] > 0, "no conflicts", "no conflicts (no record to compare with)"))
    return table.sort_values(["conflict_rate", "source"], ascending=[False, True],
                             kind="stable").reset_index(drop=True)[["source", "records", "checked", "conflicts",
                                                                    "conflict_rate", "note"]]
