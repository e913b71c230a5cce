"""A simulated class whose answers follow known abilities: does the class report recover what was simulated?

Each learner has an ability (standard normal); each question a discrimination
``a`` and a difficulty ``b`` (a two-parameter logistic model, as item response
theory writes it). A learner's first answer to a question is right with
probability ``1 / (1 + exp(-a * (ability + effect * taught - b)))``, where
``taught`` is 0 for the pre-test and 1 for every question asked after it (the
stage notebooks, the post-test): ``course_effect`` is what the course adds to
every learner's ability. A question listed in ``bad_items`` gets a negative
discrimination, as an item with a wrong key would have: stronger learners fail
it more often. The two test forms are parallel: the k-th post-test item has the
k-th pre-test item's discrimination and difficulty. A wrong first answer is
followed by a right second one.

:mod:`lifecycle_kit.course.item_analysis` should then find a gain near the one
the probabilities imply, and the bad items by their negative discrimination
(tests/test_item_analysis.py; benchmarks/bench_progress.py times the report on
such a class).

>>> sim = simulate_class(20, questions={"pre_test": ["q1", "q2"], "post_test": ["q1", "q2"], "nb": ["x"]},
...                      random_state=0)
>>> sorted(set(sim.records["notebook"])), len(sim.abilities)
(['nb', 'post_test', 'pre_test'], 20)
>>> bool((sim.expected_scores()["post"] > sim.expected_scores()["pre"]).all())
True
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lifecycle_kit.errors import LifecycleKitError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["SimulatedClass", "simulate_class"]


@dataclass
class SimulatedClass:
    """A simulated class: its progress records and the parameters they were drawn from.

    Attributes
    ----------
    records : pandas.DataFrame
        As :func:`lifecycle_kit.course.progress.read_progress` returns them (``source`` is
        ``"simulated"``).
    abilities : pandas.Series
        Each learner's ability, indexed by user.
    items : pandas.DataFrame
        Columns ``notebook, question, discrimination, difficulty, taught``: the
        parameters of each question.
    course_effect : float
    """

    records: pd.DataFrame
    abilities: pd.Series
    items: pd.DataFrame
    course_effect: float
    pre_test: str = "pre_test"
    post_test: str = "post_test"

    def probabilities(self, abilities: Sequence[float] | np.ndarray | None = None) -> np.ndarray:
        """Probability of a right first answer, learners down, questions (rows of :attr:`items`) across."""
        import numpy as np

        theta = np.asarray(self.abilities if abilities is None else abilities, dtype=float)[:, None]
        a = self.items["discrimination"].to_numpy()[None, :]
        b = self.items["difficulty"].to_numpy()[None, :]
        taught = self.items["taught"].to_numpy()[None, :]
        return 1.0 / (1.0 + np.exp(-a * (theta + self.course_effect * taught - b)))

    def expected_scores(self) -> pd.DataFrame:
        """Each learner's expected pre- and post-test score (columns ``user, pre, post``), from the probabilities."""
        import pandas as pd

        p = self.probabilities()
        pre = (self.items["notebook"] == self.pre_test).to_numpy()
        post = (self.items["notebook"] == self.post_test).to_numpy()
        return pd.DataFrame({"user": list(self.abilities.index), "pre": p[:, pre].mean(axis=1),
                             "post": p[:, post].mean(axis=1)})


    def population_statistics(self, n_learners: int = 20000, *, random_state: int | None = None) -> pd.DataFrame:
        """Each question's difficulty and discrimination in a large population of learners drawn like the class.

        What :func:`lifecycle_kit.course.item_analysis.item_statistics` estimates from the
        class: ``difficulty`` (the probability of a right first answer, averaged over the
        population) and ``discrimination`` (the correlation of a right first answer with the
        learner's rate of right first answers on the other questions), from ``n_learners``
        simulated first answers to every question.

        Returns
        -------
        pandas.DataFrame
            Columns ``notebook, question, difficulty, discrimination``.
        """
        import numpy as np
        import pandas as pd

        rng = np.random.default_rng(random_state)
        p = self.probabilities(rng.standard_normal(n_learners))
        x = (rng.random(p.shape) < p).astype(float)
        rest = (x.sum(axis=1, keepdims=True) - x) / (x.shape[1] - 1)
        xc, rc = x - x.mean(axis=0), rest - rest.mean(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = (xc * rc).sum(axis=0) / np.sqrt((xc ** 2).sum(axis=0) * (rc ** 2).sum(axis=0))
        return pd.DataFrame({"notebook": self.items["notebook"], "question": self.items["question"],
                             "difficulty": p.mean(axis=0), "discrimination": r})


def simulate_class(n_learners: int = 300, *, questions: Mapping[str, Sequence[str]] | None = None,
                   course_effect: float = 1.0, bad_items: Collection[tuple[str, str]] = (),
                   pre_test: str = "pre_test", post_test: str = "post_test",
                   random_state: int | None = None) -> SimulatedClass:
    """Simulate a class answering every question once (and a wrong first answer a second time).

    Parameters
    ----------
    n_learners : int, default=300
    questions : mapping of str to list of str, default=None
        ``{notebook: question keys}`` in course order; default: the course's catalogue
        (:func:`lifecycle_kit.course.summary.notebook_questions`).
    course_effect : float, default=1.0
        Added to every learner's ability for every question after the pre-test.
    bad_items : collection of (notebook, question), default=()
        Questions given a negative discrimination (-1).
    pre_test, post_test : str
        The notebooks of the two test forms.
    random_state : int, default=None

    Returns
    -------
    SimulatedClass
    """
    import numpy as np
    import pandas as pd

    if n_learners < 1:
        raise LifecycleKitError(f"n_learners must be at least 1; got {n_learners}")
    if questions is None:
        from lifecycle_kit.course.summary import notebook_questions

        questions = notebook_questions()
    pairs = [(nb, q) for nb, keys in questions.items() for q in keys]
    unknown = set(bad_items) - set(pairs)
    if unknown:
        raise LifecycleKitError(f"bad_items {sorted(unknown)} are not among the questions")
    rng = np.random.default_rng(random_state)
    users = [f"learner{i:03d}" for i in range(n_learners)]
    abilities = pd.Series(rng.standard_normal(n_learners), index=users, name="ability")
    a = rng.uniform(0.8, 2.0, len(pairs))
    b = rng.normal(0.0, 0.8, len(pairs))
    # Parallel forms: the k-th post-test item is as difficult and discriminating as the k-th pre-test item.
    first_form = [i for i, (nb, _q) in enumerate(pairs) if nb == pre_test]
    second_form = [i for i, (nb, _q) in enumerate(pairs) if nb == post_test]
    for i, j in zip(first_form, second_form):
        a[j], b[j] = a[i], b[i]
    a[[i for i, pair in enumerate(pairs) if pair in set(bad_items)]] = -1.0
    items = pd.DataFrame({"notebook": [nb for nb, _q in pairs], "question": [q for _nb, q in pairs],
                          "discrimination": a, "difficulty": b,
                          "taught": [0 if nb == pre_test else 1 for nb, _q in pairs]})
    sim = SimulatedClass(pd.DataFrame(), abilities, items, float(course_effect), pre_test, post_test)
    first = rng.random((n_learners, len(pairs))) < sim.probabilities()

    # One check per question in course order, a minute apart; a wrong first answer gets a right second one.
    learner = np.repeat(np.arange(n_learners), len(pairs))
    question = np.tile(np.arange(len(pairs)), n_learners)
    right = first.ravel()
    start = pd.Timestamp("2026-03-02T09:00:00Z")
    minutes = pd.to_timedelta(np.tile(np.arange(len(pairs)) * 2, n_learners), unit="min")
    checks = pd.DataFrame({"user": np.asarray(users, dtype=object)[learner],
                           "notebook": items["notebook"].to_numpy()[question],
                           "question": items["question"].to_numpy()[question],
                           "correct": right, "attempt": 1, "time": start + minutes})
    retries = checks[~checks["correct"]].assign(correct=True, attempt=2,
                                                time=lambda f: f["time"] + pd.Timedelta(minutes=1))
    records = pd.concat([checks, retries], ignore_index=True).sort_values(["user", "time"], kind="stable")
    records = records.reset_index(drop=True)
    records.insert(0, "schema", 1)
    records.insert(4, "event", "check")
    records.insert(5, "status", np.where(records["correct"], "correct", "incorrect"))
    records["attempt"] = records["attempt"].astype("int64")
    records["source"] = "simulated"
    records["line"] = records.groupby("user").cumcount().astype("int64") + 1
    sim.records = records[["schema", "user", "notebook", "question", "event", "status", "correct", "attempt", "time",
                           "source", "line"]]
    return sim
