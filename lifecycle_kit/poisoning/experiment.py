"""Poisoning experiments: attack a training set, defend it, measure the damage on an untouched test set.

A :class:`PoisoningExperiment` splits the data once into a training set (split
into named sources), a small trusted validation set (for the provenance and
RONI defences) and a test set. ``run`` performs one attack at one rate with
chosen defences; ``curve`` sweeps the rate and caches every point, so a lab
slider moving along the curve costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from lifecycle_kit._progress_bar import progress_bar
from lifecycle_kit._validation import check_choice, check_fraction
from lifecycle_kit.display import Lines, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _
from lifecycle_kit.poisoning.attacks import add_trigger, apply_trigger, default_pattern, flip_labels
from lifecycle_kit.poisoning.defences import DEFENCES, find_suspicious
from lifecycle_kit.poisoning.sources import split_sources

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from lifecycle_kit._typing import Matrix, Vector
    from lifecycle_kit.poisoning.attacks import PixelPatch, ValuePattern

__all__ = ["ATTACKS", "PoisonTrial", "PoisoningCurve", "PoisoningExperiment", "attack_success_rate",
           "detection_scores", "per_class_recall", "poisoning_curve"]

#: The attacks the poisoning experiment can run.
ATTACKS = ("random", "targeted", "boundary", "backdoor")


def per_class_recall(y_true: Vector, y_pred: Vector) -> dict[Any, float]:
    """Recall of every class: the share of its rows predicted correctly."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return {label: float(np.mean(y_pred[y_true == label] == label)) for label in pd.unique(y_true)}


def attack_success_rate(model: Any, X: Matrix, y: Vector, *, target_label: Any,
                        pattern: PixelPatch | ValuePattern | None = None) -> float:
    """Share of rows *not* of ``target_label`` that the model assigns to it once the trigger is stamped on them."""
    y = np.asarray(y)
    others = y != target_label
    if not others.any():
        raise LifecycleKitError("no test row outside the target class to measure attack success on")
    X_other = X[others] if isinstance(X, pd.DataFrame) else np.asarray(X)[others]
    return float(np.mean(np.asarray(model.predict(apply_trigger(X_other, pattern))) == target_label))


class DetectionScores(tuple[float, float]):
    """``(precision, recall)`` of a detector, and how many rows it flagged; shown in the reader's language."""

    flagged: int

    def __new__(cls, precision: float, recall: float, *, flagged: int) -> DetectionScores:
        self = super().__new__(cls, (precision, recall))
        self.flagged = flagged
        return self

    @property
    def precision(self) -> float:
        return self[0]

    @property
    def recall(self) -> float:
        return self[1]

    def summary(self) -> Lines:
        return Lines([N_("{flagged} rows flagged: precision {precision:.2f}, recall {recall:.2f}.",
                         flagged=self.flagged, precision=self.precision, recall=self.recall)])

    def _repr_html_(self):
        return self.summary()._repr_html_()


def detection_scores(flagged: Iterable[int], poisoned: Iterable[int]) -> DetectionScores:
    """(precision, recall) of flagged row positions against the truly poisoned positions.

    >>> detection_scores([1, 2, 3, 4], [3, 4, 5])
    (0.5, 0.6666666666666666)
    """
    flagged, poisoned = set(np.asarray(flagged).tolist()), set(np.asarray(poisoned).tolist())
    hits = len(flagged & poisoned)
    precision = hits / len(flagged) if flagged else (1.0 if not poisoned else 0.0)
    recall = hits / len(poisoned) if poisoned else 1.0
    return DetectionScores(precision, recall, flagged=len(flagged))


# The columns of trials and curves, and the defences, as a reader reads them (lifecycle_kit.display).
vocabulary(headings={"accuracy_without": N_("accuracy without the source"),
                     "loss_without": N_("log-loss without the source"), "impact": N_("impact"),
                     "rate": N_("poisoned share"), "defence": N_("defence"), "accuracy": N_("accuracy"),
                     "attack_success": N_("attack success"), "flagged": N_("flagged"), "precision": N_("precision"),
                     "recall": N_("recall"), "minority_recall": N_("minority-class recall")},
           values={"defence": {"none": N_("no defence"), "label_noise": N_("label-noise filter"),
                               "knn": N_("nearest-neighbour check"), "outlier": N_("outlier removal"),
                               "provenance": N_("provenance check"), "roni": N_("RONI")}})


@dataclass
class PoisonTrial:
    """One attack at one rate, with and without each defence."""

    attack: str
    rate: float
    source: str
    poisoned: np.ndarray
    accuracy: float
    recall: dict[Any, float]
    attack_success: float
    confusion: pd.DataFrame
    defences: pd.DataFrame = field(default_factory=pd.DataFrame)
    flagged: dict[str, np.ndarray] = field(default_factory=dict)
    model: Any = field(default=None, repr=False)

    def to_frame(self) -> pd.DataFrame:
        base = pd.DataFrame([{"defence": "none", "flagged": 0, "precision": np.nan, "recall": np.nan,
                              "accuracy": self.accuracy, "attack_success": self.attack_success}])
        return pd.concat([base, self.defences], ignore_index=True) if len(self.defences) else base


@dataclass
class PoisoningCurve:
    """Accuracy (and attack success) against poisoning rate, per defence."""

    frame: pd.DataFrame
    attack: str
    clean_accuracy: float

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def plot(self, ax: Axes | None = None, *, metric: str = "accuracy") -> Axes:
        if ax is None:
            from matplotlib.figure import Figure

            ax = Figure(figsize=(6.4, 3.6), layout="constrained").subplots()
        for defence, part in self.frame.groupby("defence", sort=False):
            ax.plot(part["rate"], part[metric], marker="o", label=defence)
        if metric == "accuracy":
            ax.axhline(self.clean_accuracy, color="#5f6368", linestyle="--", linewidth=1, label="clean data")
        ax.set_xlabel("poisoning rate")
        ax.set_ylabel(metric.replace("_", " "))
        ax.set_title(f"{self.attack} poisoning")
        ax.legend(fontsize=8)
        return ax


class PoisoningExperiment:
    """A dataset split for poisoning experiments.

    Parameters
    ----------
    X : DataFrame or array
    y : array-like
    model : str, default="logistic"
        Recipe of :func:`lifecycle_kit.models.make_classifier` used for the victim model.
    test_size : float, default=0.3
        Untouched test set.
    validation_size : float, default=0.15
        Trusted validation set (of the whole), used by ``provenance`` and ``roni``.
    n_sources : int, default=4
        The training rows are split at random into this many named sources.
    random_state : int, default=0
    """

    _cache: dict[tuple[Any, ...], PoisonTrial]  # one trial per attack, rate, source and defences

    def __init__(self, X: Matrix, y: Vector, *, model: str = "logistic", test_size: float = 0.3,
                 validation_size: float = 0.15, n_sources: int = 4, random_state: int = 0) -> None:
        from sklearn.model_selection import train_test_split

        y = np.asarray(y)
        if len(X) != len(y):
            raise LifecycleKitError(f"X has {len(X)} rows but y has {len(y)} labels")
        check_fraction("test_size", test_size)
        check_fraction("validation_size", validation_size)
        self.model, self.random_state = model, random_state
        X = X.reset_index(drop=True) if isinstance(X, pd.DataFrame) else np.asarray(X)
        rest_X, self.X_test, rest_y, self.y_test = train_test_split(X, y, test_size=test_size, random_state=random_state,
                                                                    stratify=y)
        share = validation_size / (1 - test_size)
        self.X_train, self.X_valid, self.y_train, self.y_valid = train_test_split(
            rest_X, rest_y, test_size=share, random_state=random_state, stratify=rest_y)
        if isinstance(self.X_train, pd.DataFrame):
            self.X_train = self.X_train.reset_index(drop=True)
        self.classes = sorted(pd.unique(y).tolist(), key=str)
        self.sources = split_sources(len(self.y_train), n_sources=n_sources, random_state=random_state)
        self._cache = {}
        self.clean_accuracy = self._fit_score(self.X_train, self.y_train)[0]

    # --- pieces -----------------------------------------------------------------
    def _fit(self, X, y):
        from lifecycle_kit.models import make_classifier

        return make_classifier(X, model=self.model, random_state=self.random_state).fit(X, y)

    def _fit_score(self, X, y):
        fitted = self._fit(X, y)
        predicted = np.asarray(fitted.predict(self.X_test))
        return float(np.mean(predicted == self.y_test)), fitted, predicted

    def poison(self, attack: str = "random", rate: float = 0.1, *, source: str | None = None, flip_source: Any = None,
               flip_target: Any = None, target_label: Any = None, pattern: PixelPatch | ValuePattern | None = None
               ) -> tuple[pd.DataFrame | np.ndarray, np.ndarray, np.ndarray]:
        """The poisoned training set: ``(X, y, poisoned positions)``."""
        check_choice("attack", attack, ATTACKS)
        rows = None
        if source is not None:
            if source not in set(self.sources.tolist()):
                raise LifecycleKitError(_("source {source} not found; sources are {sources}", source=repr(source),
                                          sources=sorted(set(self.sources.tolist()))))
            rows = self.sources == source
        if attack == "backdoor":
            label = self.classes[0] if target_label is None else target_label
            if rows is None:
                Xp, yp, poisoned = add_trigger(self.X_train, self.y_train, rate, target_label=label, pattern=pattern,
                                               random_state=self.random_state)
            else:
                positions = np.flatnonzero(rows)
                X_part = self.X_train.iloc[positions] if isinstance(self.X_train, pd.DataFrame) else self.X_train[positions]
                Xs, ys, local = add_trigger(X_part, self.y_train[positions], rate, target_label=label,
                                            pattern=pattern or default_pattern(self.X_train),
                                            random_state=self.random_state)
                Xp, yp = (self.X_train.copy(), self.y_train.copy())
                if isinstance(Xp, pd.DataFrame):
                    Xp.iloc[positions] = Xs.to_numpy() if isinstance(Xs, pd.DataFrame) else Xs
                else:
                    Xp[positions] = Xs
                yp[positions] = ys
                poisoned = positions[local]
            return Xp, np.asarray(yp), poisoned
        kwargs = {}
        if attack == "targeted":
            kwargs = {"source": self.classes[0] if flip_source is None else flip_source,
                      "target": self.classes[1] if flip_target is None else flip_target}
        yp, poisoned = flip_labels(self.y_train, rate, strategy=attack, X=self.X_train if attack == "boundary" else None,
                                   rows=rows, random_state=self.random_state, **kwargs)
        return self.X_train, np.asarray(yp), poisoned

    def run(self, attack: str = "random", rate: float = 0.1, *, source: str | None = None, defences: Sequence[str] = (),
            flip_source: Any = None, flip_target: Any = None, target_label: Any = None,
            pattern: PixelPatch | ValuePattern | None = None) -> PoisonTrial:
        """One attack at one rate; each defence's flags, precision, recall and the accuracy after removing its flags.

        Returns
        -------
        PoisonTrial
        """
        defences = tuple(defences)
        for d in defences:
            check_choice("defence", d, DEFENCES)
        key = ("run", attack, rate, source, defences, flip_source, flip_target, target_label, pattern)
        if key in self._cache:
            return self._cache[key]
        X, y, poisoned = self.poison(attack, rate, source=source, flip_source=flip_source, flip_target=flip_target,
                                     target_label=target_label, pattern=pattern)
        accuracy, fitted, predicted = self._fit_score(X, y)
        label = (self.classes[0] if target_label is None else target_label) if attack == "backdoor" else None
        success = attack_success_rate(fitted, self.X_test, self.y_test, target_label=label, pattern=pattern) \
            if attack == "backdoor" else np.nan
        confusion = pd.crosstab(pd.Series(self.y_test, name="true"), pd.Series(predicted, name="predicted"))
        rows, flagged = [], {}
        for defence in defences:
            found = find_suspicious(X, y, method=defence, sources=self.sources, validation=(self.X_valid, self.y_valid),
                                    random_state=self.random_state)
            flagged[defence] = found
            precision, recall = detection_scores(found, poisoned)
            keep = np.ones(len(y), dtype=bool)
            keep[found] = False
            if len(pd.unique(y[keep])) < 2:
                kept_accuracy, kept_success = np.nan, np.nan
            else:
                kept_X = X[keep] if isinstance(X, pd.DataFrame) else X[keep]
                kept_accuracy, kept_fitted, _ = self._fit_score(kept_X, y[keep])
                kept_success = attack_success_rate(kept_fitted, self.X_test, self.y_test, target_label=label,
                                                   pattern=pattern) if attack == "backdoor" else np.nan
            rows.append({"defence": defence, "flagged": len(found), "precision": precision, "recall": recall,
                         "accuracy": kept_accuracy, "attack_success": kept_success})
        trial = PoisonTrial(attack=attack, rate=rate, source=source or "all", poisoned=poisoned, accuracy=accuracy,
                            recall=per_class_recall(self.y_test, predicted), attack_success=success,
                            confusion=confusion, defences=pd.DataFrame(rows), flagged=flagged, model=fitted)
        self._cache[key] = trial
        return trial

    def curve(self, rates: Iterable[float] = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45), *,
              attack: str = "random", defences: Sequence[str] = (), source: str | None = None,
              progress: bool | Literal["auto"] | Callable[[int, int], object] | None = "auto", **attack_options: Any) -> PoisoningCurve:
        """Sweep the poisoning rate; every point is cached.

        Parameters
        ----------
        progress : {"auto", True, False} or callable, default="auto"
            A tqdm progress bar over the rates on standard error ("auto": in Jupyter or a
            terminal, for two rates or more; see :mod:`lifecycle_kit._progress_bar`), or a
            callable called as ``progress(done, total)`` after each rate (the labs' own bar).

        Returns
        -------
        PoisoningCurve
        """
        rows = []
        rates = list(rates)
        callback = progress if callable(progress) else None
        bar = progress_bar(rates, desc=f"poisoning sweep ({attack})", unit="rate",
                           progress=False if callback else ("auto" if progress is None else progress), min_total=2)
        for i, rate in enumerate(bar):
            trial = self.run(attack, rate, source=source, defences=defences, **attack_options)
            for record in trial.to_frame().to_dict("records"):
                record.update(rate=rate, recall_by_class=None)
                record["minority_recall"] = min(trial.recall.values()) if record["defence"] == "none" else np.nan
                rows.append(record)
            if callback is not None:
                callback(i + 1, len(rates))
        frame = pd.DataFrame(rows).drop(columns="recall_by_class")
        frame = frame[["rate", "defence", "accuracy", "attack_success", "flagged", "precision", "recall", "minority_recall"]]
        return PoisoningCurve(frame=frame, attack=attack, clean_accuracy=self.clean_accuracy)


def poisoning_curve(X: Matrix, y: Vector, *, attack: str = "random",
                    rates: Iterable[float] = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45),
                    defences: Sequence[str] = ("label_noise", "knn", "outlier"), model: str = "logistic",
                    random_state: int = 0, progress: bool | Literal["auto"] | Callable[[int, int], object] | None = "auto",
                    **attack_options: Any) -> PoisoningCurve:
    """Accuracy (and attack success) against poisoning rate for one attack and chosen defences.

    Examples
    --------
    >>> from lifecycle_kit.datasets import load
    >>> ds = load("breast_cancer")
    >>> curve = poisoning_curve(ds.frame, ds.target, rates=(0.0, 0.2), defences=("label_noise",))
    >>> table = curve.to_frame()
    >>> float(table.query("rate == 0.2 and defence == 'none'")["accuracy"].iloc[0]) < curve.clean_accuracy
    True
    """
    experiment = PoisoningExperiment(X, y, model=model, random_state=random_state)
    return experiment.curve(rates, attack=attack, defences=defences, progress=progress, **attack_options)
