"""Human in the loop: a person reviews the records a check flagged, and both are measured.

A platform's automatic checks flag records; people decide what happens to
them. :func:`record_conflicts` flags every record whose label contradicts the
other sources' records of the same entity (the per-record form of
:func:`~lifecycle_kit.platform.label_conflicts`), with the evidence a reviewer
needs. :func:`review_sample` draws a seeded sample of the flags to review;
:func:`score_review` compares the flags — and the reviewer's accept/reject
decisions — with the truth: the precision of the flags alone, and of the flags
the reviewer accepted. A flag the reviewer did not mark is *skipped*: it is
neither accepted nor rejected, and the review is measured on the flags
actually reviewed.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"record": ["a:0", "b:0", "c:0"], "source": ["a", "b", "c"],
...                       "species": ["Adelie", "Adelie", "Gentoo"]})
>>> flags = record_conflicts(frame, [0, 0, 0])
>>> flags.loc[flags["flagged"], ["record", "label", "others"]].values.tolist()
[['c:0', 'Gentoo', 'Adelie, Adelie']]
>>> score_review(flags[flags["flagged"]], {"c:0": "accept"}, wrong={"c:0": True})["review precision"]
1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_random_state
from lifecycle_kit.display import Lines, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_

vocabulary(headings={"record": N_("record"), "label": N_("label"), "others": N_("what the other sources say"),
                     "flagged": N_("flagged"), "decision": N_("decision"), "marked": N_("marked by you"),
                     "truly wrong": N_("truly wrong")},
           values={"decision": {"accept": N_("accept"), "reject": N_("reject")}})


class ReviewScore(dict[str, Any]):
    """What :func:`score_review` measured (a dict), said in the reader's language when shown."""

    def summary(self) -> Lines:
        def share(value):
            return N_("undefined") if pd.isna(value) else N_("{share:.0%}", share=value)

        return Lines([N_("{flags} flags; precision of the flags alone {flag_precision}; you accepted {accepted}: "
                         "precision of your review {review_precision}, true errors kept {kept}.", flags=self["flags"],
                         flag_precision=share(self["flag precision"]), accepted=self["accepted"],
                         review_precision=share(self["review precision"]), kept=share(self["errors kept"]))])

    def _repr_html_(self):
        return self.summary()._repr_html_()

if TYPE_CHECKING:
    from lifecycle_kit._typing import RandomState, Vector

__all__ = ["DECISIONS", "label_is_wrong", "record_conflicts", "review_sample", "score_review"]

DECISIONS = ("accept", "reject")


def record_conflicts(frame: pd.DataFrame, clusters: Vector, column: str = "species", *,
                     evidence: Sequence[str] = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm",
                                                "body_mass_g")) -> pd.DataFrame:
    """Every record with its label, the other sources' labels for the same entity, and whether it is flagged.

    A record is flagged when its entity has labelled records from other sources
    and a strict majority of those carry another label (the rule of
    :func:`~lifecycle_kit.platform.label_conflicts`).

    Parameters
    ----------
    frame : pandas.DataFrame
        Unified records with ``source`` and ``column`` (and ``record``, used as the key when present).
    clusters : array-like
        The entity of every row (from :func:`~lifecycle_kit.platform.link_records`).
    column : str, default="species"
    evidence : tuple of str
        Columns shown with each record (those present in ``frame``) for the reviewer to judge.

    Returns
    -------
    pandas.DataFrame
        ``record, source, label, others, flagged`` and the evidence columns, in the table's order.
    """
    if column not in frame.columns or "source" not in frame.columns:
        raise LifecycleKitError(f"record_conflicts needs the columns 'source' and {column!r}")
    clusters = np.asarray(clusters)
    if len(clusters) != len(frame):
        raise LifecycleKitError(f"clusters has {len(clusters)} entries but the table has {len(frame)} rows")
    frame = frame.reset_index(drop=True)
    records = frame["record"].astype(str) if "record" in frame.columns else pd.Series(
        [f"{s}:{i}" for i, s in enumerate(frame["source"])])
    labels, sources = frame[column].to_numpy(dtype=object), frame["source"].to_numpy(dtype=object)
    members = pd.Series(range(len(frame))).groupby(clusters).agg(list)
    others_text, flagged = [""] * len(frame), np.zeros(len(frame), dtype=bool)
    for rows in members:
        if len(rows) < 2:
            continue
        for i in rows:
            others = [labels[j] for j in rows if sources[j] != sources[i] and not pd.isna(labels[j])]
            others_text[i] = ", ".join(sorted(map(str, others)))
            if others and not pd.isna(labels[i]):
                flagged[i] = 2 * sum(label != labels[i] for label in others) > len(others)
    result = pd.DataFrame({"record": records.to_numpy(), "source": sources, "label": labels, "others": others_text,
                           "flagged": flagged})
    for c in evidence:
        if c in frame.columns:
            result[c] = frame[c].to_numpy()
    return result


def review_sample(flags: pd.DataFrame, *, size: int = 10, random_state: RandomState = 0) -> pd.DataFrame:
    """A seeded sample of the flagged records (all of them when there are fewer), in record order.

    Parameters
    ----------
    flags : pandas.DataFrame
        The output of :func:`record_conflicts` (columns ``record`` and ``flagged``).
    size : int, default=10
        Flagged records drawn.
    random_state : int, numpy Generator or None, default=0
    """
    if "flagged" not in flags.columns or "record" not in flags.columns:
        raise LifecycleKitError("review_sample needs the output of record_conflicts (columns 'record', 'flagged')")
    size = int(size)
    if size < 1:
        raise LifecycleKitError(f"size must be at least 1; got {size}")
    flagged = flags[flags["flagged"]]
    rng = check_random_state(random_state)
    if len(flagged) > size:
        flagged = flagged.iloc[np.sort(rng.choice(len(flagged), size=size, replace=False))]
    return flagged.reset_index(drop=True)


def label_is_wrong(table: pd.DataFrame, truth: Vector, original: pd.DataFrame, column: str = "species") -> pd.Series:
    """Per record of the unified ``table``: its label is present and differs from the true entity's label.

    ``truth`` gives the row of ``original`` (the field records) behind each record; the true label is the
    field record's species in the unified code list.
    """
    from lifecycle_kit.platform.standardise import _SPECIES_FROM

    truth = np.asarray(truth)
    if len(truth) != len(table):
        raise LifecycleKitError(f"truth has {len(truth)} entries but the table has {len(table)} rows")
    true_labels = original["Species"].map(_SPECIES_FROM).to_numpy(dtype=object)[truth]
    labels = table[column].to_numpy(dtype=object)
    wrong = np.array([not pd.isna(label) and label != true for label, true in zip(labels, true_labels)])
    keys = table["record"].astype(str).to_numpy() if "record" in table.columns else np.arange(len(table))
    return pd.Series(wrong, index=keys, name="wrong")


def score_review(sample: pd.DataFrame, decisions: Mapping[str, Literal["accept", "reject"]] | None,
                 wrong: Mapping[str, bool] | pd.Series | Iterable[tuple[str, bool]]) -> dict[str, Any]:
    """Precision of the flags, and of the flags the reviewer accepted, against the truth.

    Parameters
    ----------
    sample : pandas.DataFrame
        The flags to review (a ``record`` column), as from :func:`review_sample`.
    decisions : mapping of str -> {"accept", "reject"}, or None
        The reviewer's decision per record. A record left out is *skipped*: not accepted (that would be
        trusting the check, not reviewing it) and not rejected.
    wrong : mapping of str -> bool, pandas.Series, or iterable of (str, bool) pairs
        Whether each record's label is truly wrong (:func:`label_is_wrong`).

    Returns
    -------
    dict
        ``flags``; ``reviewed`` and ``skipped`` (flags marked, and not); ``accepted`` and ``rejected``;
        ``flag precision`` (share of all the flags that are true errors) and ``flag precision (reviewed)`` (of
        the reviewed flags: the baseline a review is compared with; NaN when none was reviewed); ``review
        precision`` (share of the accepted flags that are true errors; NaN when none is accepted); ``errors
        kept`` (of the true errors among the reviewed flags, the share the reviewer accepted; NaN when there
        are none) and ``decisions`` (a per-record table, ``decision`` being ``"skipped"`` where unmarked).

    Examples
    --------
    >>> import pandas as pd
    >>> sample = pd.DataFrame({"record": ["a:0", "a:1", "a:2"]})
    >>> result = score_review(sample, {"a:0": "accept"}, wrong={"a:0": True, "a:1": False, "a:2": False})
    >>> result["reviewed"], result["skipped"], result["review precision"]
    (1, 2, 1.0)
    >>> result["decisions"]["decision"].tolist()
    ['accept', 'skipped', 'skipped']
    """
    decisions = dict(decisions or {})
    records = [str(r) for r in sample["record"]]
    unknown = [r for r in decisions if str(r) not in records]
    if unknown:
        raise LifecycleKitError(f"decisions name record(s) not in the sample: {', '.join(map(str, unknown[:5]))}")
    bad = {r: d for r, d in decisions.items() if d not in DECISIONS}
    if bad:
        record, decision = next(iter(bad.items()))
        raise LifecycleKitError(f"decision for {record!r} must be 'accept' or 'reject'; got {decision!r}")
    decisions = {str(r): d for r, d in decisions.items()}
    wrong = dict(wrong.items()) if hasattr(wrong, "items") else dict(wrong)
    absent = [r for r in records if r not in wrong]
    if absent:
        raise LifecycleKitError(f"the truth does not cover record(s) {', '.join(absent[:5])}")
    table = pd.DataFrame({"record": records, "decision": [decisions.get(r, "skipped") for r in records],
                          "truly wrong": [bool(wrong[r]) for r in records]})
    reviewed = table["decision"] != "skipped"
    accepted = table["decision"] == "accept"
    errors = int((reviewed & table["truly wrong"]).sum())
    return ReviewScore({"flags": len(table),
                        "reviewed": int(reviewed.sum()),
                        "skipped": int((~reviewed).sum()),
                        "accepted": int(accepted.sum()),
                        "rejected": int((table["decision"] == "reject").sum()),
                        "flag precision": float(table["truly wrong"].mean()) if len(table) else float("nan"),
                        "flag precision (reviewed)": (float(table.loc[reviewed, "truly wrong"].mean()) if reviewed.any()
                                                      else float("nan")),
                        "review precision": float(table.loc[accepted, "truly wrong"].mean()) if accepted.any() else float("nan"),
                        "errors kept": float((accepted & table["truly wrong"]).sum() / errors) if errors else float("nan"),
                        "decisions": table})
