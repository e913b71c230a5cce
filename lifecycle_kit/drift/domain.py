"""Domain classifier: can a model tell the reference from the current batch?

If it cannot (ROC AUC near 0.5), the batch looks like the reference in every
feature *and* every combination of features. If it can, the attributions say
which features give the batch away — with a warning when those features are
strongly correlated with others, because a shift in one feature makes its
correlated twins look shifted too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from lifecycle_kit import _html
from lifecycle_kit._progress_bar import progress_bar
from lifecycle_kit._validation import check_number
from lifecycle_kit.display import Table, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _, message_frame
from lifecycle_kit.results import ResultMixin

__all__ = ["DomainClassifierResult", "domain_classifier"]


@dataclass
class DomainClassifierResult(ResultMixin):
    """AUC of "reference or current?", its confidence interval, and per-feature attributions.

    Attributes
    ----------
    auc : float
    ci : (float, float)
        95% bootstrap interval of the AUC.
    attributions : pandas.DataFrame
        ``feature, importance, correlated_with, warning``: importance is the AUC lost
        when the feature is shuffled.
    """

    auc: float
    ci: tuple[float, float]
    attributions: pd.DataFrame
    n_reference: int
    n_current: int

    @property
    def drifted(self):
        """True when the interval lies above 0.5 + 0.05 (chance plus a margin for tiny effects)."""
        return self.ci[0] > 0.55

    def summary(self) -> str:
        verdict = _("the batches can be told apart") if self.drifted else _("no systematic difference found")
        return _("domain classifier AUC {auc:.3f} (95% CI {low:.3f}-{high:.3f}): {verdict}", auc=self.auc, low=self.ci[0],
                 high=self.ci[1], verdict=verdict)

    _result_kind = "domain_classifier_result"

    def _payload(self):
        return {"auc": self.auc, "ci": list(self.ci), "drifted": self.drifted, "summary": self.summary(),
                "n_reference": self.n_reference, "n_current": self.n_current, "attributions": self.attributions}

    def _repr_html_(self):
        chart = _html.interval_svg(self.auc, self.ci[0], self.ci[1], reference=0.5, margin=0.55,
                                   xlim=(min(0.4, self.ci[0]), 1.0), passed=not self.drifted,
                                   label=_("AUC, 95% CI"))
        caption = (f"<p style='{_html.NA_STYLE}'>" + _("Dashed: chance ({chance}). Grey: {margin}, the margin the whole "
                                                        "interval must clear before the batches count as told apart.",
                                                        chance=0.5, margin=0.55) + "</p>")
        return (_html.verdict_html(not self.drifted, self.summary()) + chart + caption
                + Table(self.attributions, digits=3, max_rows=30)._repr_html_())


vocabulary(headings={"feature": N_("feature"), "importance": N_("importance"),
                     "correlated_with": N_("correlated with"), "warning": N_("warning")})


def _encode(frame):
    out = {}
    for c in frame.columns:
        s = frame[c]
        if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
            out[c] = s.astype(float)
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[c] = s.astype("int64").astype(float)
        else:
            out[c] = pd.Series(pd.factorize(s.astype("string").fillna("<missing>"))[0], index=s.index).astype(float)
    return pd.DataFrame(out)


def domain_classifier(reference: pd.DataFrame, current: pd.DataFrame, *, columns: Sequence[str] | None = None,
                      folds: int = 5, correlation: float = 0.7, bootstrap: int = 200, max_rows: int = 20000,
                      random_state: int = 0, progress: bool | Literal["auto"] = "auto") -> DomainClassifierResult:
    """Train a classifier to tell ``current`` rows from ``reference`` rows; report its AUC and why.

    Parameters
    ----------
    reference, current : pandas.DataFrame
    columns : list of str, default=None
    folds : int, default=5
        Out-of-fold predictions give an honest AUC.
    correlation : float, default=0.7
        Features correlated with an important feature above this (absolute Spearman, in the
        reference) are named in its warning.
    bootstrap : int, default=200
        Resamples for the AUC interval.
    max_rows : int, default=20000
        Each side is subsampled to at most this many rows (seeded) to stay fast.
    random_state : int, default=0
    progress : {"auto", True, False}, default="auto"
        A progress bar on standard error (see :mod:`lifecycle_kit._progress_bar`); "auto"
        shows one in Jupyter or a terminal when both sides hold 10,000 rows or more.

    Returns
    -------
    DomainClassifierResult

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ref = pd.DataFrame({"a": rng.normal(size=600), "b": rng.normal(size=600)})
    >>> same = domain_classifier(ref, pd.DataFrame({"a": rng.normal(size=600), "b": rng.normal(size=600)}))
    >>> moved = domain_classifier(ref, pd.DataFrame({"a": rng.normal(1, 1, 600), "b": rng.normal(size=600)}))
    >>> same.drifted, moved.drifted, moved.attributions.iloc[0]["feature"]
    (False, True, 'a')
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    columns = list(columns) if columns is not None else [c for c in reference.columns if c in current.columns]
    if not columns:
        raise LifecycleKitError("reference and current share no column")
    for name, frame in (("reference", reference), ("current", current)):
        if len(frame) < folds:
            raise LifecycleKitError(f"{name} needs at least {folds} rows for {folds}-fold cross-validation")
    folds = int(check_number("folds", folds, low=2, integer=True))
    rng = np.random.default_rng(random_state)
    ref = reference[columns].sample(min(len(reference), max_rows), random_state=random_state)
    cur = current[columns].sample(min(len(current), max_rows), random_state=random_state)
    X = _encode(pd.concat([ref, cur], ignore_index=True))
    y = np.r_[np.zeros(len(ref)), np.ones(len(cur))]
    model = HistGradientBoostingClassifier(max_iter=60, random_state=random_state)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    # Steps: the cross-validated scores, the held-out fit, one permutation per feature.
    small = min(len(ref), len(cur)) < 10_000  # a few seconds at most: no bar unless asked for
    steps = progress_bar(total=2 + len(columns), desc="domain classifier", unit="step",
                         progress=False if progress == "auto" and small else progress)
    scores = cross_val_predict(model, X, y, cv=splitter, method="predict_proba")[:, 1]
    steps.update()
    auc = float(roc_auc_score(y, scores))
    boots = []
    for _repeat in range(bootstrap):
        idx = rng.integers(0, len(y), len(y))
        if len(np.unique(y[idx])) == 2:
            boots.append(roc_auc_score(y[idx], scores[idx]))
    ci = (float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5)))
    # Permutation importance on a held-out half: the AUC lost when one feature is shuffled.
    order = rng.permutation(len(y))
    train, test = order[: len(y) // 2], order[len(y) // 2:]
    fitted = model.fit(X.iloc[train], y[train])
    steps.update()
    base = roc_auc_score(y[test], fitted.predict_proba(X.iloc[test])[:, 1])
    importance = {}
    for c in columns:
        shuffled = X.iloc[test].copy()
        shuffled[c] = rng.permutation(shuffled[c].to_numpy())
        importance[c] = float(base - roc_auc_score(y[test], fitted.predict_proba(shuffled)[:, 1]))
        steps.update()
    steps.close()
    corr = _encode(ref).corr(method="spearman").abs()
    rows = []
    for c in sorted(columns, key=lambda k: -importance[k]):
        twins = [o for o in columns if o != c and corr.loc[c, o] >= correlation] if c in corr.index else []
        warning = N_("correlated with {twins}: a shift in one makes the others look shifted; check them before "
                     "blaming this feature", twins=", ".join(twins)) if twins and importance[c] > 0.01 else ""
        rows.append({"feature": c, "importance": importance[c], "correlated_with": ", ".join(twins), "warning": warning})
    return DomainClassifierResult(auc=auc, ci=ci, attributions=message_frame(rows), n_reference=len(ref),
                                  n_current=len(cur))
