"""Data preparation practices Zatsarinny and Gavrilov recommend, measured on open data.

- :func:`auto_labeller_noise`: a weak pretrained model labels a pool of
  digits; the labels it adds carry its own errors. How many, which ones, what
  they cost the model trained on them, and how many of them the kit's
  label-noise screen (:func:`~lifecycle_kit.quality.label_noise.find_label_issues`) catches.
- :func:`independent_test_bias`: experts with a blind spot label both the
  training set and the test set; the test then agrees with the model's learnt
  mistakes and overstates its accuracy. A test set labelled by independent
  experts does not.
- :func:`auxiliary_test_labels`: the same, for a labelling model: a test set
  labelled by the training set's own labeller flatters the model; an
  independent auxiliary network does not share its errors, and people who check
  where the two disagree bring the estimate close to the truth.
- :func:`primary_form_review`: a reviewer who knows that commuters ride at 8
  and 17 o'clock cannot see it in the cyclic encoding of the hour the model
  uses; restored to its primary form (the hour), the data shows it.

Every function is seeded; nothing is typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_choice, check_number
from lifecycle_kit.display import Lines, Table, View, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

# The tables of this module, as a reader reads them (lifecycle_kit.display); the frames keep the English.
LABELLERS = {"truth": N_("truth"), "same experts": N_("the same experts"),
             "independent experts": N_("independent experts"),
             "the training set's labeller": N_("the training set's labeller"),
             "independent auxiliary network": N_("independent auxiliary network"),
             "auxiliary network, disagreements reviewed": N_("auxiliary network, disagreements reviewed")}
FORMS = {"primary": N_("primary"), "prepared for the model": N_("prepared for the model"),
         "restored to primary form": N_("restored to primary form")}
vocabulary(headings={"true label": N_("true label"), "auto-label": N_("auto-label"),
                     "test labels by": N_("test labels by"), "blind-spot accuracy": N_("accuracy in the blind spot"),
                     "form": N_("form"), "share of variance explained": N_("share of variance explained"),
                     "value with most rentals": N_("value with most rentals"), "label_error": N_("label errors"),
                     "reviewed": N_("reviewed by people"), "estimated_accuracy": N_("estimated accuracy")},
           values={"test labels by": LABELLERS, "form": FORMS,
                   "column": {"hour": N_("hour"), "restored hour": N_("restored hour")}})

if TYPE_CHECKING:
    from lifecycle_kit._typing import Vector
    from lifecycle_kit.quality.label_noise import LabelIssues

__all__ = ["AutoLabellerNoise", "AuxiliaryTestLabels", "IndependentTestBias", "PrimaryFormReview",
           "auto_labeller_noise", "auxiliary_test_labels", "correlation_ratio", "independent_test_bias",
           "primary_form_review"]


@dataclass
class AutoLabellerNoise:
    """What a weak auto-labeller adds to a pool of data.

    Attributes
    ----------
    noise_rate : float
        Share of the pool whose auto-label is wrong.
    confusions : pandas.DataFrame
        The most frequent (true, auto-label) pairs among the wrong labels, with counts.
    accuracy_true_labels, accuracy_auto_labels : float
        Test accuracy of a model trained on the pool with the true labels / with the auto-labels.
    caught_precision, caught_recall : float
        Of the rows the label-noise screen flags, the share that are auto-labelling errors; of the
        auto-labelling errors, the share flagged.
    random_precision, random_recall : float
        The same screen on the same number of wrong labels placed at random, for comparison.
    n_seed, n_pool, n_test : int
    """

    noise_rate: float
    confusions: pd.DataFrame
    accuracy_true_labels: float
    accuracy_auto_labels: float
    caught_precision: float
    caught_recall: float
    random_precision: float
    random_recall: float
    n_seed: int
    n_pool: int
    n_test: int

    def summary(self) -> Lines:
        """The auto-labeller's errors, what they cost a model, and what the label-noise screen finds."""
        return Lines([
            N_("The auto-labeller (trained on {n_seed} digits) labels {n_pool}: {noise:.1%} of its labels are wrong.",
               n_seed=self.n_seed, n_pool=self.n_pool, noise=self.noise_rate),
            N_("Test accuracy ({n_test} digits): trained on true labels {true:.3f}, on the auto-labels {auto:.3f}.",
               n_test=self.n_test, true=self.accuracy_true_labels, auto=self.accuracy_auto_labels),
            N_("The label-noise screen finds {caught_recall:.0%} of the auto-labeller's errors (precision "
               "{caught_precision:.0%}), and {random_recall:.0%} of as many random errors (precision "
               "{random_precision:.0%}).", caught_recall=self.caught_recall, caught_precision=self.caught_precision,
               random_recall=self.random_recall, random_precision=self.random_precision),
        ])

    def _repr_html_(self):
        table = Table(self.confusions, caption=N_("The auto-labeller's most frequent errors"))
        return View(self.summary(), table)._repr_html_()


def _precision_recall(flagged, wrong):
    flagged, wrong = np.asarray(flagged, bool), np.asarray(wrong, bool)
    precision = float((flagged & wrong).sum() / flagged.sum()) if flagged.any() else 0.0
    recall = float((flagged & wrong).sum() / wrong.sum()) if wrong.any() else 1.0
    return precision, recall


def auto_labeller_noise(*, n_seed: int = 40, pool_size: int = 900, model: Literal["knn", "logistic"] = "knn",
                        test_size: float = 0.3, random_state: int = 0) -> AutoLabellerNoise:
    """Label a pool of digits with a model trained on ``n_seed`` hand-labelled ones, and measure the damage.

    Parameters
    ----------
    n_seed : int, default=40
        Hand-labelled digits the auto-labeller was trained on (fewer: a weaker labeller).
    pool_size : int, default=900
        Digits labelled by the auto-labeller.
    model : {"knn", "logistic"}, default="knn"
        The model trained on the pool, also used by the label-noise screen. The auto-labeller is a
        logistic regression; a model of another kind (k-nearest neighbours) does not share its way
        of being wrong, and is faster.
    test_size : float, default=0.3
        Share of the digits kept as a test set with their true labels.
    random_state : int, default=0

    Returns
    -------
    AutoLabellerNoise

    Examples
    --------
    >>> result = auto_labeller_noise()
    >>> bool(0 < result.noise_rate < 0.5), bool(result.accuracy_auto_labels < result.accuracy_true_labels)
    (True, True)
    """
    from sklearn.base import clone
    from sklearn.model_selection import train_test_split

    from lifecycle_kit.datasets import load
    from lifecycle_kit.models import make_classifier
    from lifecycle_kit.quality.label_noise import find_label_issues

    check_choice("model", model, ("knn", "logistic"))
    n_seed = int(check_number("n_seed", n_seed, low=10, integer=True))
    pool_size = int(check_number("pool_size", pool_size, low=50, integer=True))
    digits = load("digits")
    assert digits.target is not None  # a labelled dataset: load always sets its target
    X, y = digits.frame, digits.target.to_numpy()
    rest, test = train_test_split(np.arange(len(y)), test_size=test_size, stratify=y, random_state=random_state)
    if n_seed + pool_size > len(rest):
        raise LifecycleKitError(_("n_seed + pool_size must be at most {limit} (the digits left after the test split); "
                                  "got {total}", limit=len(rest), total=n_seed + pool_size))
    rng = np.random.default_rng(random_state)
    rest = rng.permutation(rest)
    seed, pool = rest[:n_seed], rest[n_seed:n_seed + pool_size]
    labeller = make_classifier(X, random_state=random_state).fit(X.iloc[seed], y[seed])
    auto = labeller.predict(X.iloc[pool])
    true = y[pool]
    wrong = auto != true
    pairs = pd.DataFrame({"true label": true[wrong], "auto-label": auto[wrong]})
    confusions = (pairs.value_counts().rename("rows").reset_index().head(5) if wrong.any()
                  else pd.DataFrame(columns=["true label", "auto-label", "rows"]))

    estimator = make_classifier(X, model=model, random_state=random_state)

    def test_accuracy(labels):
        fitted = clone(estimator).fit(X.iloc[pool], labels)
        return float(np.mean(fitted.predict(X.iloc[test]) == y[test]))

    if np.unique(auto).size < np.unique(y).size or np.bincount(np.searchsorted(np.unique(auto), auto)).min() < 2:
        raise LifecycleKitError(_("the auto-labeller left a digit (almost) unused, so the screen cannot cross-validate; "
                                  "use a larger n_seed or pool_size"))
    # The kit's form, find_label_issues(X, y), returns LabelIssues (cleanlab's form an array): typed by the form.
    issues = cast("LabelIssues", find_label_issues(X.iloc[pool], auto, model=estimator, random_state=random_state))
    caught = _precision_recall(issues.mask(), wrong)
    # The same number of wrong labels, placed at random: what the screen does on noise that is not systematic.
    random_wrong = np.zeros(len(pool), dtype=bool)
    random_wrong[rng.choice(len(pool), size=int(wrong.sum()), replace=False)] = True
    shifted = np.where(random_wrong, (true + rng.integers(1, 10, size=len(pool))) % 10, true)
    random_issues = cast("LabelIssues", find_label_issues(X.iloc[pool], shifted, model=estimator,
                                                          random_state=random_state))
    random_caught = _precision_recall(random_issues.mask(), random_wrong)
    return AutoLabellerNoise(noise_rate=float(wrong.mean()), confusions=confusions,
                             accuracy_true_labels=test_accuracy(true), accuracy_auto_labels=test_accuracy(auto),
                             caught_precision=caught[0], caught_recall=caught[1],
                             random_precision=random_caught[0], random_recall=random_caught[1],
                             n_seed=n_seed, n_pool=len(pool), n_test=len(test))


@dataclass
class IndependentTestBias:
    """One model, three ways of scoring it.

    Attributes
    ----------
    scores : pandas.DataFrame
        Accuracy on the whole test set and on the experts' blind spot, measured against the
        truth, against the labels of the same experts who labelled the training set, and
        against the labels of independent experts.
    blind_spot : str
        The items the training experts misjudge.
    n_test : int
    """

    scores: pd.DataFrame
    blind_spot: str
    n_test: int
    cutoff: float = float("nan")  # the mean radius below which malignant tumours are misjudged
    n_blind: int = 0  # test items in the blind spot

    @property
    def optimistic_bias(self) -> float:
        """Accuracy reported by the same experts minus the true accuracy, on the whole test set."""
        return float(self.scores.loc["same experts", "accuracy"] - self.scores.loc["truth", "accuracy"])

    def summary(self) -> Lines:
        """The blind spot and the optimism of the same experts' test labels, in the reader's language."""
        return Lines([
            N_("Blind spot of the training experts: malignant tumours with mean radius below {cutoff:.1f} ({n_blind} "
               "of the {n_test} test items).", cutoff=self.cutoff, n_blind=self.n_blind, n_test=self.n_test),
            N_("Accuracy reported by the same experts minus the true accuracy: {bias:+.3f}.",
               bias=self.optimistic_bias),
        ])

    def _repr_html_(self):
        return View(self.summary(), Table(self.scores, index=True, digits=3))._repr_html_()


def independent_test_bias(*, miss_rate: float = 0.9, independent_error: float = 0.05, test_size: float = 0.4,
                          random_state: int = 0) -> IndependentTestBias:
    """Breast cancer: experts who miss small malignant tumours label the training and the test set.

    The training experts call a malignant tumour benign with probability
    ``miss_rate`` when its mean radius is below the median of the malignant ones
    (their blind spot). The independent experts make errors at random, at rate
    ``independent_error``. A logistic regression is trained on the first experts'
    labels and scored three ways.

    Returns
    -------
    IndependentTestBias

    Examples
    --------
    >>> result = independent_test_bias()
    >>> bool(result.optimistic_bias > 0)
    True
    >>> scores = result.scores
    >>> bool(scores.loc["same experts", "blind-spot accuracy"] > scores.loc["truth", "blind-spot accuracy"])
    True
    """
    from sklearn.model_selection import train_test_split

    from lifecycle_kit.datasets import load
    from lifecycle_kit.models import make_classifier

    miss_rate = check_number("miss_rate", miss_rate, low=0, high=1)
    independent_error = check_number("independent_error", independent_error, low=0, high=0.5)
    data = load("breast_cancer")
    assert data.target is not None  # a labelled dataset: load always sets its target
    names = {v: k for k, v in data.card["target_names"].items()}  # {0: "malignant", 1: "benign"} reversed
    malignant, benign = names["malignant"], names["benign"]
    X, truth = data.frame, data.target.to_numpy()
    radius = X["mean radius"].to_numpy()
    cutoff = float(np.median(radius[truth == malignant]))
    blind = (truth == malignant) & (radius < cutoff)
    rng = np.random.default_rng(random_state)
    same = np.where(blind & (rng.random(len(truth)) < miss_rate), benign, truth)
    flip = rng.random(len(truth)) < independent_error
    independent = np.where(flip, np.where(truth == malignant, benign, malignant), truth)
    train, test = train_test_split(np.arange(len(truth)), test_size=test_size, stratify=truth,
                                   random_state=random_state)
    model = make_classifier(X, random_state=random_state).fit(X.iloc[train], same[train])
    predicted = model.predict(X.iloc[test])
    spot = blind[test]
    rows = {}
    for name, labels in (("truth", truth), ("same experts", same), ("independent experts", independent)):
        agree = predicted == labels[test]
        rows[name] = {"accuracy": float(agree.mean()), "blind-spot accuracy": float(agree[spot].mean())}
    scores = pd.DataFrame.from_dict(rows, orient="index")
    scores.index.name = "test labels by"
    return IndependentTestBias(scores=scores, n_test=len(test),
                               blind_spot=f"malignant tumours with mean radius below {cutoff:.1f} "
                                          f"({int(spot.sum())} of the {len(test)} test items)",
                               cutoff=cutoff, n_blind=int(spot.sum()))


def correlation_ratio(values: Vector, outcome: Vector) -> float:
    """Share of the variance of ``outcome`` explained by its mean within each distinct value (eta squared).

    A reviewer who groups the rows by a column and compares the group means sees
    exactly this much of the outcome's variation, whatever the shape of the relation.

    >>> correlation_ratio([0, 0, 1, 1], [1.0, 1.0, 3.0, 3.0])
    1.0
    >>> correlation_ratio([0, 1, 0, 1], [1.0, 1.0, 3.0, 3.0])
    0.0
    """
    values = pd.Series(np.asarray(values, dtype=float)).round(9)  # equal values after float noise form one group
    outcome = pd.Series(np.asarray(outcome, dtype=float))
    if len(values) != len(outcome) or len(outcome) < 2:
        raise LifecycleKitError(f"values and outcome must have the same length, at least 2; got {len(values)} and "
                                f"{len(outcome)}")
    total = float(((outcome - outcome.mean()) ** 2).sum())
    if total == 0:
        return 0.0
    within = float(((outcome - outcome.groupby(values).transform("mean")) ** 2).sum())
    return 1.0 - within / total


@dataclass
class PrimaryFormReview:
    """What a reviewer sees of the hour-of-day effect in each form of the data.

    Attributes
    ----------
    table : pandas.DataFrame
        Per column shown to the reviewer: its form, the share of the rentals' variance its
        group means explain (:func:`correlation_ratio`), and the value with the most rentals.
    by_hour : pandas.Series
        Mean rentals per restored hour.
    peaks : list of int
        The morning and evening hours with the most rentals, read from the restored hour.
    max_restore_error : float
        Largest difference between the restored hour and the primary one.
    """

    table: pd.DataFrame
    by_hour: pd.Series
    peaks: list[int]
    max_restore_error: float

    def summary(self) -> Lines:
        """The peaks found in the restored data and the largest restore error, in the reader's language."""
        return Lines([N_("Busiest morning and evening hours in the restored data: {peaks}; largest restore error "
                         "{error:.1e} h.", peaks=", ".join(map(str, self.peaks)), error=self.max_restore_error)])

    def _repr_html_(self):
        return View(self.summary(), Table(self.table, digits=3))._repr_html_()


def primary_form_review() -> PrimaryFormReview:
    """Bike sharing: the hour encoded as (sine, cosine) for a model, then restored for a reviewer.

    The cyclic encoding is a standard, lossless preparation step: 23 h and 0 h
    become neighbours. But each encoded column maps two different hours to one
    value (the sine of 4 h equals the sine of 8 h), so a reviewer grouping by a
    column sees the morning commute merged with the small hours. Restoring the
    hour (``atan2``) brings the relation back exactly.

    Returns
    -------
    PrimaryFormReview

    Examples
    --------
    >>> review = primary_form_review()
    >>> review.peaks, review.max_restore_error < 1e-9
    ([8, 17], True)
    >>> t = review.table.set_index("column")["share of variance explained"]
    >>> bool(t["hour"] > t["hour_sin"] and t["hour"] > t["hour_cos"])
    True
    """
    from lifecycle_kit.datasets import load

    bikes = load("bike_sharing")
    assert bikes.target is not None  # a labelled dataset: load always sets its target
    hour = bikes.frame["hr"].to_numpy(dtype=float)
    rentals = bikes.target.to_numpy(dtype=float)
    angle = 2 * np.pi * hour / 24
    encoded = {"hour_sin": np.sin(angle), "hour_cos": np.cos(angle)}
    restored = np.mod(np.arctan2(encoded["hour_sin"], encoded["hour_cos"]) * 24 / (2 * np.pi), 24)
    restored = np.where(np.isclose(restored, 24), 0.0, restored)
    columns = [("hour", "primary", hour), ("hour_sin", "prepared for the model", encoded["hour_sin"]),
               ("hour_cos", "prepared for the model", encoded["hour_cos"]),
               ("restored hour", "restored to primary form", restored)]
    rows = []
    for name, form, values in columns:
        means = pd.Series(rentals).groupby(pd.Series(values).round(6)).mean()
        rows.append({"column": name, "form": form, "share of variance explained": correlation_ratio(values, rentals),
                     "value with most rentals": float(means.idxmax())})
    by_hour = pd.Series(rentals).groupby(pd.Series(np.round(restored).astype(int), name="hour")).mean()
    peaks = [int(by_hour.loc[:11].idxmax()), int(by_hour.loc[12:].idxmax())]
    return PrimaryFormReview(table=pd.DataFrame(rows), by_hour=by_hour.rename("mean rentals"), peaks=peaks,
                             max_restore_error=float(np.abs(restored - hour).max()))


@dataclass
class AuxiliaryTestLabels:
    """One model, its test set labelled four ways.

    Attributes
    ----------
    scores : pandas.DataFrame
        Per way of labelling the test set: ``label_error`` (share of its test labels that are wrong),
        ``reviewed`` (share of the test set people had to check) and ``estimated_accuracy`` (the model's
        accuracy as those labels report it). The row ``truth`` holds the model's real accuracy.
    n_seed, n_pool, n_test : int
    """

    scores: pd.DataFrame
    n_seed: int
    n_pool: int
    n_test: int

    @property
    def true_accuracy(self) -> float:
        return float(self.scores.loc["truth", "estimated_accuracy"])

    def summary(self) -> Lines:
        return Lines([N_("The model's true accuracy on {n_test} test digits: {accuracy:.3f}.", n_test=self.n_test,
                         accuracy=self.true_accuracy)])

    def _repr_html_(self):
        return View(self.summary(), Table(self.scores, index=True, digits=3))._repr_html_()


def auxiliary_test_labels(*, n_seed: int = 40, pool_size: int = 900, test_size: float = 0.3,
                          random_state: int = 0) -> AuxiliaryTestLabels:
    """Digits: the training labeller, an independent auxiliary network, and people, label the test set.

    As in :func:`auto_labeller_noise`, a pool of digits is labelled by a model
    trained on ``n_seed`` hand-labelled ones (the *labeller*), and a k-nearest
    neighbours model is trained on the pool. Its test set is then labelled:

    - by the same labeller — its errors are the ones the model learnt;
    - by an independent auxiliary network: a small neural network (scikit-learn's
      ``MLPClassifier``) trained on another ``n_seed`` hand-labelled digits;
    - by the auxiliary network with people checking where it and the labeller
      disagree (the checks are simulated as correct);
    - and the truth, which only a simulation has.

    Returns
    -------
    AuxiliaryTestLabels

    Examples
    --------
    >>> result = auxiliary_test_labels()
    >>> s = result.scores["estimated_accuracy"]
    >>> bool(s["the training set's labeller"] > s["truth"] > s["independent auxiliary network"])
    True
    >>> bool(abs(s["auxiliary network, disagreements reviewed"] - s["truth"])
    ...      < abs(s["the training set's labeller"] - s["truth"]))
    True
    """
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier

    from lifecycle_kit.datasets import load
    from lifecycle_kit.models import make_classifier

    n_seed = int(check_number("n_seed", n_seed, low=10, integer=True))
    pool_size = int(check_number("pool_size", pool_size, low=50, integer=True))
    digits = load("digits")
    X, y = digits.frame, np.asarray(digits.target)
    rest, test = train_test_split(np.arange(len(y)), test_size=test_size, stratify=y, random_state=random_state)
    if 2 * n_seed + pool_size > len(rest):
        raise LifecycleKitError(_("2 * n_seed + pool_size must be at most {limit} (the digits left after the test "
                                  "split); got {total}", limit=len(rest), total=2 * n_seed + pool_size))
    rng = np.random.default_rng(random_state)
    rest = rng.permutation(rest)
    # The labeller's seed and pool are those of auto_labeller_noise; the auxiliary's seed comes after them.
    seed, pool = rest[:n_seed], rest[n_seed:n_seed + pool_size]
    aux_seed = rest[n_seed + pool_size:2 * n_seed + pool_size]
    labeller = make_classifier(X, random_state=random_state).fit(X.iloc[seed], y[seed])
    model = make_classifier(X, model="knn", random_state=random_state).fit(X.iloc[pool],
                                                                           labeller.predict(X.iloc[pool]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 40 digits: it stops at max_iter, well fitted
        auxiliary = MLPClassifier(hidden_layer_sizes=(32,), max_iter=500, random_state=random_state)
        auxiliary.fit(X.iloc[aux_seed].to_numpy() / 16.0, y[aux_seed])
    predicted = model.predict(X.iloc[test])
    truth = y[test]
    same = labeller.predict(X.iloc[test])
    aux = auxiliary.predict(X.iloc[test].to_numpy() / 16.0)
    disagree = same != aux
    reviewed = np.where(disagree, truth, aux)
    rows = {}
    for name, labels, checked in (("truth", truth, 0.0), ("the training set's labeller", same, 0.0),
                                  ("independent auxiliary network", aux, 0.0),
                                  ("auxiliary network, disagreements reviewed", reviewed, float(disagree.mean()))):
        rows[name] = {"label_error": float(np.mean(labels != truth)), "reviewed": checked,
                      "estimated_accuracy": float(np.mean(predicted == labels))}
    scores = pd.DataFrame.from_dict(rows, orient="index")
    scores.index.name = "test labels by"
    return AuxiliaryTestLabels(scores=scores, n_seed=n_seed, n_pool=len(pool), n_test=len(test))
