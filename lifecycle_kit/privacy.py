"""Models are data stores too: memorised rows and membership inference.

Decommissioning a system means clearing every element that may hold its data —
and a fitted model is one of them. A k-nearest-neighbours model keeps its
training rows verbatim; an overfitted model answers its training rows with
more confidence than new ones, which lets an attacker tell whether a given
record was in the training set (membership inference by a confidence threshold,
Yeom et al. 2018; Shokri et al. 2017 introduced the attack with shadow models).

Examples
--------
>>> from lifecycle_kit.datasets import load
>>> ds = load("breast_cancer")
>>> result = membership_inference(ds.frame, ds.target, model="overfit_tree", random_state=0)
>>> bool(result.auc > 0.55)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from lifecycle_kit import _html
from lifecycle_kit._validation import check_choice, check_fraction
from lifecycle_kit.display import vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _
from lifecycle_kit.results import ResultMixin

if TYPE_CHECKING:
    from lifecycle_kit._typing import Matrix, Vector

__all__ = ["MEMBERSHIP_MODELS", "MembershipResult", "memorised_rows", "membership_inference"]

#: The models the membership-inference experiment can attack, by name.
MEMBERSHIP_MODELS = ("overfit_tree", "forest", "knn_1", "logistic_regularised", "shallow_tree")


def memorised_rows(model: Any, X: Matrix) -> int:
    """How many rows of ``X`` are stored verbatim inside a fitted model (``_fit_X`` of k-NN and the like)."""
    stored = None
    estimator = model.steps[-1][1] if hasattr(model, "steps") else model
    for attribute in ("_fit_X", "X_fit_", "support_vectors_"):
        if hasattr(estimator, attribute):
            stored = np.asarray(getattr(estimator, attribute), dtype=float)
            break
    if stored is None:
        return 0
    if hasattr(model, "steps") and len(model.steps) > 1:
        from sklearn.pipeline import Pipeline

        X = Pipeline(model.steps[:-1]).transform(X)
    rows = {row.tobytes() for row in np.ascontiguousarray(stored)}
    return int(sum(row.tobytes() in rows for row in np.ascontiguousarray(np.asarray(X, dtype=float))))


def _auc(labels, scores):
    """ROC AUC of binary ``labels`` (1 = positive) ranked by ``scores``: the Mann-Whitney statistic.

    Equal to :func:`sklearn.metrics.roc_auc_score` (ties count one half), but
    without its input validation, which dominates the time of a bootstrap of
    a few hundred resamples.

    >>> _auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.75
    """
    from scipy.stats import rankdata

    labels = np.asarray(labels, dtype=bool)
    positives = int(labels.sum())
    negatives = len(labels) - positives
    ranks = rankdata(scores)  # average ranks: a tie between a member and a non-member counts one half
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def _model(name, random_state):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    return {
        "overfit_tree": lambda: DecisionTreeClassifier(random_state=random_state),
        "forest": lambda: RandomForestClassifier(n_estimators=50, random_state=random_state, n_jobs=1),
        "knn_1": lambda: make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=1)),
        "logistic_regularised": lambda: make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=2000)),
        "shallow_tree": lambda: DecisionTreeClassifier(max_depth=2, random_state=random_state),
    }[name]()


vocabulary(values={"model": {"overfit_tree": N_("overfit tree"), "forest": N_("random forest"),
                              "knn_1": N_("1-nearest neighbour"),
                              "logistic_regularised": N_("regularised logistic regression"),
                              "shallow_tree": N_("shallow tree")}})
vocabulary(headings={"auc": N_("attack AUC"), "ci": N_("95% CI"), "advantage": N_("attack advantage"),
                     "train_accuracy": N_("accuracy on the training set"), "test_accuracy": N_("accuracy on the test set"),
                     "quasi-identifiers": N_("quasi-identifiers")})


@dataclass
class MembershipResult(ResultMixin):
    """How well confidence on the true label separates training members from non-members.

    ``roc`` holds the attack's ROC curve (``fpr``, ``tpr``, without collinear points).
    """

    model: str
    auc: float
    ci: tuple[float, float]
    advantage: float
    train_accuracy: float
    test_accuracy: float
    roc: object = field(default=None, repr=False)

    _result_kind = "membership_result"

    def _payload(self):
        return {"model": self.model, "auc": self.auc, "ci": list(self.ci), "beats_chance": self.beats_chance,
                "advantage": self.advantage, "train_accuracy": self.train_accuracy,
                "test_accuracy": self.test_accuracy, "summary": self.summary(), "roc": self.roc}

    def _repr_html_(self):
        body = _html.verdict_html(not self.beats_chance, self.summary(), title=_("Membership inference:"))
        if self.roc is not None and len(self.roc):
            body += _html.roc_curve_svg(list(self.roc["fpr"]), list(self.roc["tpr"]), auc=self.auc,
                                        title=_("Attack ROC curve"))
        return body

    @property
    def beats_chance(self):
        """True when the whole 95% interval of the attack's AUC lies above 0.5."""
        return self.ci[0] > 0.5

    def summary(self) -> str:
        verdict = _("beats chance") if self.beats_chance else _("no better than chance")
        return _("{model}: attack AUC {auc:.3f} (95% CI {low:.3f}-{high:.3f}), {verdict}; train accuracy {train:.3f}, "
                 "test {test:.3f}", model=self.model, auc=self.auc, low=self.ci[0], high=self.ci[1], verdict=verdict,
                 train=self.train_accuracy, test=self.test_accuracy)


def membership_inference(X: Matrix, y: Vector, *,
                         model: Literal["overfit_tree", "forest", "knn_1", "logistic_regularised", "shallow_tree"]
                         = "overfit_tree", member_share: float = 0.5, bootstrap: int = 300,
                         random_state: int = 0) -> MembershipResult:
    """Train on half the rows (members), then attack: score every row by the model's confidence in its true label.

    The attack's ROC AUC (members against non-members) is 0.5 when the model
    treats both alike; the gap between train and test accuracy (overfitting)
    is what it feeds on.

    Parameters
    ----------
    X, y : data
    model : {"overfit_tree", "forest", "knn_1", "logistic_regularised", "shallow_tree"}
    member_share : float, default=0.5
    bootstrap : int, default=300
        Resamples for the AUC interval.

    Returns
    -------
    MembershipResult
    """
    import pandas as pd
    from sklearn.metrics import roc_curve
    from sklearn.model_selection import train_test_split

    check_choice("model", model, MEMBERSHIP_MODELS)
    check_fraction("member_share", member_share)
    y = np.asarray(y)
    if len(X) != len(y):
        raise LifecycleKitError(f"X has {len(X)} rows but y has {len(y)} labels")
    X_in, X_out, y_in, y_out = train_test_split(X, y, train_size=member_share, random_state=random_state, stratify=y)
    fitted = _model(model, random_state).fit(X_in, y_in)
    classes = list(fitted.classes_)

    def confidence(features, labels):
        proba = fitted.predict_proba(features)
        return proba[np.arange(len(labels)), [classes.index(v) for v in labels]]

    scores = np.concatenate([confidence(X_in, y_in), confidence(X_out, y_out)])
    membership = np.r_[np.ones(len(y_in)), np.zeros(len(y_out))]
    # Ties (a confidence of exactly 1 for many rows) are broken at random so the AUC is not flattered.
    rng = np.random.default_rng(random_state)
    jittered = scores + rng.uniform(0, 1e-9, len(scores))
    auc = _auc(membership, jittered)
    boots = []
    for _repeat in range(bootstrap):
        idx = rng.integers(0, len(scores), len(scores))
        if 0 < membership[idx].sum() < len(idx):
            boots.append(_auc(membership[idx], jittered[idx]))
    ci = (float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5)))
    fpr, tpr, _ = roc_curve(membership, jittered, drop_intermediate=True)
    return MembershipResult(model=model, auc=auc, ci=ci, advantage=2 * auc - 1, roc=pd.DataFrame({"fpr": fpr, "tpr": tpr}),
                            train_accuracy=float(np.mean(fitted.predict(X_in) == y_in)),
                            test_accuracy=float(np.mean(fitted.predict(X_out) == y_out)))
