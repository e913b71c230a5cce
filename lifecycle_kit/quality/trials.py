"""Experiments the quality labs run: corrupt, check, train, compare with the truth.

Each function does one whole experiment from plain arguments and returns a
small dataclass, so a lab only reads controls and draws; the tests call the
same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_choice, check_fraction
from lifecycle_kit.display import Lines
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _
from lifecycle_kit.quality._frames import as_numeric
from lifecycle_kit.quality.assessment import assess
from lifecycle_kit.quality.defects import inject_defects
from lifecycle_kit.quality.gate import QualityGate
from lifecycle_kit.quality.spec import QUANTILES, infer_spec

if TYPE_CHECKING:
    from lifecycle_kit.quality.assessment import QualityReport
    from lifecycle_kit.quality.defects import DefectLog
    from lifecycle_kit.quality.gate import GateResult
    from lifecycle_kit.quality.spec import DataSpec, Violation

__all__ = ["CORRUPTIONS", "RANGES", "DefectExperiment", "DefectTrial", "GateExperiment", "GateTrial",
           "SpecExperiment", "SpecTrial", "CleaningTrial", "defect_trial", "gate_trial", "label_cleaning_trial",
           "near_duplicate_leak", "spec_psi", "spec_trial"]

#: Batch corruptions the specification lab offers: label -> inject_defects argument.
CORRUPTIONS = {
    "none (a clean batch)": None,
    "missing values": "missing",
    "out-of-range numbers": "outliers",
    "text in numeric columns": "type_errors",
    "unseen categories": "unseen_categories",
}

#: How tight the specification lab's numeric ranges are: label -> (reference quantiles, margin).
RANGES = {
    "tight: 5%-95% of the reference": ((0.05, 0.95), 0.0),
    "1%-99% of the reference": ((0.01, 0.99), 0.0),
    "full reference range": ((0.0, 1.0), 0.0),
    "reference range + 10%": ((0.0, 1.0), 0.1),
    "reference range + 50%": ((0.0, 1.0), 0.5),
}


def spec_psi(spec, df):
    """PSI of each numeric column of ``df`` against the reference quantiles stored in ``spec``."""
    from lifecycle_kit.drift.statistics import psi_from_counts

    out = {}
    levels = np.array(QUANTILES)
    for name, col in spec.columns.items():
        if not col.is_numeric or name not in df.columns or len(col.quantiles) != len(QUANTILES):
            continue
        edges = np.array([col.quantiles[str(q)] for q in QUANTILES])
        inner, keep = np.unique(edges[1:-1], return_index=True)
        bounds = np.concatenate([[-np.inf], inner, [np.inf]])
        cumulative = np.concatenate([[0.0], levels[1:-1][keep], [1.0]])
        reference = np.diff(cumulative)
        values = as_numeric(df[name])
        values = values[np.isfinite(values)]
        if values.empty or (reference <= 0).all():
            continue
        current = np.histogram(values, bounds)[0]
        out[name] = psi_from_counts(reference * 1000, current)
    return pd.Series(out, name="psi", dtype=float)


@dataclass
class SpecTrial:
    """A batch checked against a specification, with the truth about which rows were corrupted."""

    spec: DataSpec
    batch: pd.DataFrame
    violations: list[Violation]
    flagged: pd.Series
    corrupted: pd.Series
    drift_possible: bool
    psi: pd.Series

    @property
    def true_alarms(self):
        return int((self.flagged & self.corrupted).sum())

    @property
    def false_alarms(self):
        return int((self.flagged & ~self.corrupted).sum())

    @property
    def detection_rate(self):
        n = int(self.corrupted.sum())
        return float("nan") if n == 0 else self.true_alarms / n

    @property
    def false_alarm_rate(self):
        n = int((~self.corrupted).sum())
        return float("nan") if n == 0 else self.false_alarms / n

    def violations_frame(self):
        return pd.DataFrame([{"column": v.column, "rule": v.rule, "count": v.count, "message": v.message}
                             for v in self.violations], columns=["column", "rule", "count", "message"])


class SpecExperiment:
    """A reference and a batch; the spec is inferred once, each run corrupts and checks the batch.

    Parameters
    ----------
    reference, batch : pandas.DataFrame
    random_state : int, default=0
    """

    def __init__(self, reference, batch, *, random_state=0):
        self.reference, self.batch, self.random_state = reference, batch, random_state
        self.base_spec = infer_spec(reference)

    def run(self, *, corruption="none (a clean batch)", rate=0.05, ranges="full reference range", drift_possible=True):
        """Corrupt the batch, check it against the spec with the chosen ranges; see :func:`spec_trial`."""
        check_choice("corruption", corruption, list(CORRUPTIONS))
        check_fraction("rate", rate)
        check_choice("ranges", ranges, list(RANGES))
        quantiles, margin = RANGES[ranges]
        spec = self.base_spec.with_range(quantiles=quantiles, margin=margin)
        spec.drift_possible = drift_possible
        kind = CORRUPTIONS[corruption]
        if kind is None or rate == 0:
            damaged, corrupted_rows = self.batch.copy(), pd.Index([])
        else:
            damaged, log = inject_defects(self.batch, **{kind: rate}, random_state=self.random_state)
            corrupted_rows = log.rows(kind)
        corrupted = pd.Series(damaged.index.isin(corrupted_rows), index=damaged.index)
        psi = spec_psi(spec, damaged) if drift_possible else pd.Series(dtype=float, name="psi")
        return SpecTrial(spec=spec, batch=damaged, violations=spec.validate(damaged), flagged=spec.flag_rows(damaged),
                         corrupted=corrupted, drift_possible=drift_possible, psi=psi)


def spec_trial(reference, batch, *, corruption="none (a clean batch)", rate=0.05, ranges="full reference range",
               drift_possible=True, random_state=0):
    """Infer a spec from ``reference``, corrupt ``batch``, validate it, and count true and false alarms.

    Parameters
    ----------
    reference, batch : pandas.DataFrame
        Same columns; the batch is judged against the reference's spec.
    corruption : str, default="none (a clean batch)"
        A key of :data:`CORRUPTIONS`.
    rate : float, default=0.05
        Share of eligible cells corrupted.
    ranges : str, default="full reference range"
        A key of :data:`RANGES`: how tight the numeric ranges are.
    drift_possible : bool, default=True
        When true, the PSI of every numeric column against the reference is computed too.
    """
    return SpecExperiment(reference, batch, random_state=random_state).run(
        corruption=corruption, rate=rate, ranges=ranges, drift_possible=drift_possible)


def _split(frame, target, test_size, random_state):
    from sklearn.model_selection import train_test_split

    stratify = target if target.value_counts().min() >= 2 else None
    return train_test_split(frame, target, test_size=test_size, random_state=random_state, stratify=stratify)


@dataclass
class DefectTrial:
    """Defects injected into a training set: its quality report and what they did to a model.

    ``lost`` and ``gained`` count the test rows the clean model predicts right and the damaged one wrong, and the
    other way round: the two accuracies differ by ``(gained - lost) / test_rows``, and
    :attr:`accuracy_comparison` says whether that difference stands out of the noise of the test rows.
    """

    report: QualityReport
    log: DefectLog
    clean_accuracy: float
    damaged_accuracy: float
    train_rows: int
    test_rows: int
    lost: int = 0
    gained: int = 0

    @property
    def accuracy_comparison(self):
        """``"lower"`` / ``"higher"``: the damaged model is worse / better on the test rows by more than twice the
        standard error of the difference (McNemar's: the rows the two models disagree on); ``"same"``: within it.

        >>> DefectTrial(None, None, 0.97, 0.90, 240, 100, lost=8, gained=1).accuracy_comparison
        'lower'
        >>> DefectTrial(None, None, 0.97, 0.98, 240, 100, lost=1, gained=2).accuracy_comparison
        'same'
        """
        difference = self.gained - self.lost
        if abs(difference) <= 2 * np.sqrt(self.gained + self.lost):
            return "same"
        return "higher" if difference > 0 else "lower"


class DefectExperiment:
    """Split once, keep the clean baseline; each run damages the training part and retrains.

    Parameters
    ----------
    frame : pandas.DataFrame
        Features.
    target : pandas.Series
        Labels aligned with ``frame``.
    model : str, default="logistic"
        A recipe of :func:`lifecycle_kit.models.make_classifier`.
    test_size : float, default=0.3
    measures : list of str, default=None
        Measures to assess on each damaged set (all by default).
    random_state : int, default=0
    """

    def __init__(self, frame, target, *, model="logistic", test_size=0.3, measures=None, random_state=0):
        from lifecycle_kit.models import accuracy, make_classifier

        self.model, self.random_state, self.measures = model, random_state, measures
        self.X_train, self.X_test, self.y_train, self.y_test = _split(frame, target, test_size, random_state)
        self.spec = infer_spec(self.X_train)
        clean = make_classifier(self.X_train, model=model, random_state=random_state).fit(self.X_train, self.y_train)
        self.clean_accuracy = accuracy(clean, self.X_test, self.y_test)
        self._clean_right = np.asarray(clean.predict(self.X_test)) == np.asarray(self.y_test)

    def damage(self, **rates):
        """The training part with defects (label column ``__label__``) and the log."""
        train = self.X_train.assign(__label__=self.y_train.to_numpy())
        return inject_defects(train, target="__label__", random_state=self.random_state, **rates)

    def run(self, *, missing=0.0, duplicates=0.0, outliers=0.0, label_noise=0.0, type_errors=0.0):
        from lifecycle_kit.models import make_classifier

        damaged, log = self.damage(missing=missing, duplicates=duplicates, outliers=outliers,
                                   label_noise=label_noise, type_errors=type_errors)
        X, y = damaged.drop(columns="__label__"), damaged["__label__"]
        report = assess(X, target=y, spec=self.spec, reference=self.X_train, measures=self.measures,
                        random_state=self.random_state)
        hurt = make_classifier(X, model=self.model, random_state=self.random_state).fit(X, y)
        hurt_right = np.asarray(hurt.predict(self.X_test)) == np.asarray(self.y_test)
        return DefectTrial(report=report, log=log, clean_accuracy=self.clean_accuracy,
                           damaged_accuracy=float(np.mean(hurt_right)), train_rows=len(damaged),
                           test_rows=len(self.X_test), lost=int((self._clean_right & ~hurt_right).sum()),
                           gained=int((~self._clean_right & hurt_right).sum()))


def defect_trial(frame, target, *, missing=0.0, duplicates=0.0, outliers=0.0, label_noise=0.0, type_errors=0.0,
                 model="logistic", test_size=0.3, random_state=0):
    """Split, damage the training part, assess it, and train on it; test on the untouched part.

    Rates are as in :func:`inject_defects`; the spec used by the assessment is
    inferred from the clean training part. See :class:`DefectExperiment` to
    run several damages on one split.
    """
    return DefectExperiment(frame, target, model=model, test_size=test_size, random_state=random_state).run(
        missing=missing, duplicates=duplicates, outliers=outliers, label_noise=label_noise, type_errors=type_errors)


@dataclass
class GateTrial:
    """A quality gate in front of training: open or blocked, and what the model would have scored.

    ``accuracy``, ``accuracy_if_forced`` and ``clean_accuracy`` are measured on
    the split the gate judged. One test set of a small table is too few rows to
    compare two accuracies on, so ``forced_accuracies`` and ``clean_accuracies``
    repeat the comparison on several train/test splits (the same defects, each
    split's own draw); :attr:`comparison` says whether training anyway scores
    lower than clean data by more than their spread.
    """

    gate: QualityGate
    result: GateResult
    report: QualityReport
    accuracy: float
    accuracy_if_forced: float
    clean_accuracy: float
    forced_accuracies: tuple[float, ...] = ()
    clean_accuracies: tuple[float, ...] = ()

    @property
    def trained(self):
        return self.result.passed

    @property
    def splits(self):
        """How many train/test splits the comparison was repeated on."""
        return len(self.forced_accuracies)

    @property
    def forced_mean(self):
        """Mean test accuracy over the splits of a model trained on the damaged data."""
        return float(np.mean(self.forced_accuracies)) if self.splits else self.accuracy_if_forced

    @property
    def clean_mean(self):
        """Mean test accuracy over the splits of a model trained on the clean data."""
        return float(np.mean(self.clean_accuracies)) if self.splits else self.clean_accuracy

    @property
    def spread(self):
        """The larger of the two standard deviations over the splits (0 with one split)."""
        if self.splits < 2:
            return 0.0
        return float(max(np.std(self.forced_accuracies, ddof=1), np.std(self.clean_accuracies, ddof=1)))

    @property
    def comparison(self):
        """``"lower"`` / ``"higher"``: training on the damaged data scores lower / higher than on clean data by more
        than the spread over the splits; ``"same"``: the difference is within the spread (accuracy does not show
        the defect)."""
        difference = self.forced_mean - self.clean_mean
        if abs(difference) <= self.spread:
            return "same"
        return "lower" if difference < 0 else "higher"


class GateExperiment(DefectExperiment):
    """A :class:`DefectExperiment` with a quality gate in front of training.

    The damaged set's report and the forced model's accuracy are kept per
    combination of defects, so moving only a threshold costs nothing.

    Parameters
    ----------
    frame, target, model, test_size, measures, random_state
        As for :class:`DefectExperiment`.
    splits : int, default=5
        The comparison of training anyway with clean data is repeated on this many train/test splits
        (``random_state``, ``random_state + 1``, ...): on one small test set a difference of one or two rows is
        noise, not a result.
    """

    def __init__(self, frame, target, *, splits=5, **kwargs):
        super().__init__(frame, target, **kwargs)
        splits = int(splits)
        if splits < 1:
            raise LifecycleKitError(_("splits must be at least 1; got {splits}", splits=splits))
        self.splits = splits
        self._frame, self._target = frame, target
        self._test_size = kwargs.get("test_size", 0.3)
        self._assessed = {}
        self._other_splits = None
        self._compared = {}

    def _splits(self):
        # The gate's own split first; the others are built on first use (a clean model each).
        if self._other_splits is None:
            self._other_splits = [DefectExperiment(self._frame, self._target, model=self.model,
                                                   test_size=self._test_size, measures=[],
                                                   random_state=self.random_state + k) for k in range(1, self.splits)]
        return [self, *self._other_splits]

    def _forced_accuracy(self, experiment, missing, duplicates, label_noise):
        from lifecycle_kit.models import accuracy, make_classifier

        damaged, _ = experiment.damage(missing=missing, duplicates=duplicates, label_noise=label_noise)
        X, y = damaged.drop(columns="__label__"), damaged["__label__"]
        forced = make_classifier(X, model=experiment.model, random_state=experiment.random_state).fit(X, y)
        return accuracy(forced, experiment.X_test, experiment.y_test)

    def _assess(self, measures, missing, duplicates, label_noise):
        key = (tuple(sorted(measures)), missing, duplicates, label_noise)
        if key not in self._assessed:
            damaged, _ = self.damage(missing=missing, duplicates=duplicates, label_noise=label_noise)
            X, y = damaged.drop(columns="__label__"), damaged["__label__"]
            report = assess(X, target=y, measures=list(measures), random_state=self.random_state)
            self._assessed[key] = (report, self._compare(missing, duplicates, label_noise)[0][0])
        return self._assessed[key]

    def _compare(self, missing, duplicates, label_noise):
        key = (missing, duplicates, label_noise)
        if key not in self._compared:
            splits = self._splits()
            self._compared[key] = (tuple(self._forced_accuracy(e, missing, duplicates, label_noise) for e in splits),
                                   tuple(e.clean_accuracy for e in splits))
        return self._compared[key]

    def run(self, *, thresholds, missing=0.0, duplicates=0.0, label_noise=0.0):
        gate = QualityGate(thresholds)
        report, forced_accuracy = self._assess(gate.thresholds, missing, duplicates, label_noise)
        result = gate.check(report)
        forced, clean = self._compare(missing, duplicates, label_noise)
        return GateTrial(gate=gate, result=result, report=report,
                         accuracy=forced_accuracy if result.passed else float("nan"),
                         accuracy_if_forced=forced_accuracy, clean_accuracy=self.clean_accuracy,
                         forced_accuracies=forced, clean_accuracies=clean)


def gate_trial(frame, target, *, thresholds, missing=0.0, duplicates=0.0, label_noise=0.0, model="logistic",
               test_size=0.3, splits=5, random_state=0):
    """Damage a training set, pass it through a :class:`QualityGate`, train only if the gate opens.

    ``accuracy`` is the test accuracy of the model the gate let through (NaN
    when blocked); ``accuracy_if_forced`` is what training anyway would have
    given, so the cost of ignoring the gate is visible.
    """
    return GateExperiment(frame, target, model=model, test_size=test_size, splits=splits,
                          random_state=random_state).run(
        thresholds=thresholds, missing=missing, duplicates=duplicates, label_noise=label_noise)


def near_duplicate_leak(frame, target, *, share=0.2, model="tree", test_size=0.3, noise=0.01, random_state=0):
    """Copy a share of the test rows, slightly perturbed, into the training set; compare test accuracy.

    Near-duplicates across the split let a model pass the test by memory
    instead of skill: the accuracy on the leaked test set overstates what
    the model does on truly new rows.

    Returns
    -------
    dict
        ``honest``: accuracy on a clean split; ``leaked``: accuracy on the same
        test rows after near-copies of ``share`` of them joined training;
        ``leaked_rows``: how many.
    """
    from lifecycle_kit.models import accuracy, make_classifier

    check_fraction("share", share, allow_one=True)
    X_train, X_test, y_train, y_test = _split(frame, target, test_size, random_state)
    rng = np.random.default_rng(random_state)
    n = int(round(share * len(X_test)))
    chosen = rng.choice(len(X_test), size=n, replace=False)
    copies = X_test.iloc[chosen].copy()
    numeric = copies.select_dtypes("number").columns
    if len(numeric):
        scale = X_train[numeric].std().replace(0, 1.0)
        copies[numeric] = copies[numeric] + rng.normal(0, noise, size=(n, len(numeric))) * scale.to_numpy()
    leaked_X = pd.concat([X_train, copies], ignore_index=True)
    leaked_y = pd.concat([y_train, y_test.iloc[chosen]], ignore_index=True)
    honest = make_classifier(X_train, model=model).fit(X_train, y_train)
    leaky = make_classifier(leaked_X, model=model).fit(leaked_X, leaked_y)
    if n == 0:
        raise LifecycleKitError(_("share is too small: no test row was copied"))
    return LeakResult(honest=accuracy(honest, X_test, y_test), leaked=accuracy(leaky, X_test, y_test), leaked_rows=n)


class LeakResult(dict[str, Any]):
    """What :func:`near_duplicate_leak` measured (``honest``, ``leaked``, ``leaked_rows``), shown in the reader's language."""

    def summary(self) -> Lines:
        return Lines([N_("Honest test accuracy {honest:.3f}; with {rows} near-duplicates of test rows leaked into "
                         "training: {leaked:.3f}.", honest=self["honest"], rows=self["leaked_rows"],
                         leaked=self["leaked"])])

    def _repr_html_(self):
        return self.summary()._repr_html_()


@dataclass
class CleaningTrial:
    """Labels flipped in a training set, found by confident learning, and the model retrained without them."""

    flipped: int
    flagged: int
    precision: float
    recall: float
    clean_accuracy: float
    noisy_accuracy: float
    cleaned_accuracy: float

    def summary(self) -> Lines:
        """How many labels were flipped and found, and the test accuracy before and after, in the reader's language."""
        return Lines([
            N_("{flipped} labels flipped, {flagged} flagged: recall {recall:.2f}, precision {precision:.2f}.",
               flipped=self.flipped, flagged=self.flagged, recall=self.recall, precision=self.precision),
            N_("Test accuracy: clean labels {clean:.3f}, noisy {noisy:.3f}, after dropping the flagged rows "
               "{cleaned:.3f}.", clean=self.clean_accuracy, noisy=self.noisy_accuracy, cleaned=self.cleaned_accuracy),
        ])

    def _repr_html_(self):
        return self.summary()._repr_html_()


def label_cleaning_trial(frame, target, *, noise=0.1, method="disagreement", model="logistic", test_size=0.3,
                         random_state=0):
    """Flip ``noise`` of the training labels, flag likely wrong labels, drop them and retrain.

    Returns the detector's precision and recall against the known flips and
    the test accuracy of models trained on clean, noisy and cleaned labels.
    """
    from lifecycle_kit.models import accuracy, make_classifier
    from lifecycle_kit.quality.label_noise import find_label_issues

    X_train, X_test, y_train, y_test = _split(frame, target, test_size, random_state)
    train = X_train.assign(__label__=y_train.to_numpy())
    noisy, log = inject_defects(train, label_noise=noise, target="__label__", random_state=random_state)
    X, y = noisy.drop(columns="__label__"), noisy["__label__"]
    issues = find_label_issues(X, y.to_numpy(), method=method, random_state=random_state)
    truth = [X.index.get_loc(r) for r in log.rows("label_noise")]
    precision, recall = issues.precision_recall(truth)
    keep = ~issues.mask()

    def fitted(features, labels):
        return make_classifier(features, model=model, random_state=random_state).fit(features, labels)

    return CleaningTrial(flipped=len(truth), flagged=len(issues.indices), precision=precision, recall=recall,
                         clean_accuracy=accuracy(fitted(X_train, y_train), X_test, y_test),
                         noisy_accuracy=accuracy(fitted(X, y), X_test, y_test),
                         cleaned_accuracy=accuracy(fitted(X[keep], y[keep]), X_test, y_test))
