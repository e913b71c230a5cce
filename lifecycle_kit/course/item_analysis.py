"""What a class learned, and which questions measure it badly: scores, normalised gain and item statistics.

Pure functions over the frames of :mod:`lifecycle_kit.course.progress`
(:func:`~lifecycle_kit.course.progress.read_progress` and
:func:`~lifecycle_kit.course.progress.question_outcomes`); the catalogue of
questions is passed in, never imported, so the arithmetic is tested on its own.

- :func:`form_scores`: each learner's score on a test form (the pre-test, the
  post-test): the share of its items right at the first answer, given only when
  every item was answered and none skipped first.
- :func:`normalized_gain`: Hake's ``(post - pre) / (1 - pre)``, the share of
  what a learner could still gain that they did gain. Undefined (NaN) when the
  pre-test score is 1: nothing was left to gain, and dividing by zero would not
  say so. Such learners are counted, not averaged (:func:`gain_summary`).
- :func:`item_statistics`: per question, how many learners answered it, its
  difficulty (the share right at the first try; classical test theory calls it
  the facility or p-value: *higher is easier*) and its discrimination (the
  point-biserial correlation of first-try success with the learner's rate of
  first-try success on the *other* questions they answered, so the item does not
  correlate with itself), with flags for items almost everyone or almost no one
  gets right and for negative discrimination (stronger learners fail it more:
  a wrong key, or an ambiguous prompt).

>>> import numpy as np
>>> normalized_gain(0.4, 0.7)
0.5
>>> float(normalized_gain(1.0, 1.0))
nan
>>> normalized_gain(np.array([0.5, 0.8]), np.array([0.5, 0.9])).round(3).tolist()
[0.0, 0.5]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FLAG_EASY", "FLAG_HARD", "FLAG_NEGATIVE", "form_scores", "gain_summary", "item_statistics",
           "learner_gains", "normalized_gain", "objective_scores"]

#: Flag of an item whose difficulty (first-try success) is above ``easy``.
FLAG_EASY = "almost everyone right"
#: Flag of an item whose difficulty is below ``hard``.
FLAG_HARD = "almost no one right"
#: Flag of an item whose discrimination is below 0: stronger learners fail it more often.
FLAG_NEGATIVE = "negative discrimination"
FORM_STATUSES = ("not taken", "partial", "skipped", "complete")


def normalized_gain(pre: Any, post: Any) -> Any:
    """Hake's normalised gain ``(post - pre) / (1 - pre)``, elementwise; NaN where ``pre`` is 1 or missing.

    Parameters
    ----------
    pre, post : float or array-like
        Scores as fractions in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        1 when the learner gained everything there was to gain, 0 for no change,
        negative when the post-test went worse than the pre-test (down to
        ``-pre / (1 - pre)``). NaN where ``pre`` is 1 (a perfect pre-test leaves
        nothing to gain; the gain is undefined, not zero) or either score is missing.

    Examples
    --------
    >>> normalized_gain(0.25, 1.0), normalized_gain(0.5, 0.25)
    (1.0, -0.5)
    """
    import numpy as np

    pre_a, post_a = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        gain = np.where(pre_a < 1.0, (post_a - pre_a) / (1.0 - pre_a), np.nan)
    gain = np.where(np.isnan(pre_a) | np.isnan(post_a), np.nan, gain)
    return float(gain) if gain.ndim == 0 else gain


def form_scores(records: pd.DataFrame, forms: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Each learner's score on each test form.

    Parameters
    ----------
    records : pandas.DataFrame
        Progress records (:func:`lifecycle_kit.course.progress.read_progress`), any number of learners.
    forms : mapping of str to list of str
        ``{form notebook: item keys}``, e.g. ``{"pre_test": [...], "post_test": [...]}``.

    Returns
    -------
    pandas.DataFrame
        One row per learner with a record and form: ``user, form, items, answered, right, status, score``.
        ``right`` counts items right at the first answer; ``status`` is ``"complete"``
        (every item answered), ``"skipped"`` (an item was skipped before it was ever
        answered), ``"partial"`` or ``"not taken"``; ``score`` is ``right / items`` for a
        complete form and NaN otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> records = pd.DataFrame({"user": ["ada"] * 3, "notebook": ["pre_test"] * 3, "question": ["q1", "q2", "q2"],
    ...                         "event": ["check"] * 3, "correct": [True, False, True], "attempt": [1, 1, 2]})
    >>> form_scores(records, {"pre_test": ["q1", "q2"]})[["user", "answered", "right", "status", "score"]].values.tolist()
    [['ada', 2, 1, 'complete', 0.5]]
    """
    import numpy as np
    import pandas as pd

    columns = ["user", "form", "items", "answered", "right", "status", "score"]
    users = sorted(set(records["user"])) if len(records) else []
    rows = []
    for form, keys in forms.items():
        keys = list(keys)
        mine = records[(records["notebook"] == form) & records["question"].isin(keys)] if len(records) else records
        checks = mine[mine["event"] == "check"]
        answered = checks.groupby("user")["question"].nunique()
        first = checks[checks["attempt"] == 1]
        right = first[first["correct"].astype(bool)].groupby("user")["question"].nunique()
        skips = mine[(mine["event"] == "skip") & (mine["attempt"] == 0)]
        skipped = set(skips["user"])
        for user in users:
            n_answered = int(answered.get(user, 0))
            if user in skipped:
                status = "skipped"
            elif n_answered == len(keys) and keys:
                status = "complete"
            elif n_answered:
                status = "partial"
            else:
                status = "not taken"
            n_right = int(right.get(user, 0))
            score = n_right / len(keys) if status == "complete" else np.nan
            rows.append({"user": user, "form": form, "items": len(keys), "answered": n_answered, "right": n_right,
                         "status": status, "score": score})
    return pd.DataFrame(rows, columns=columns)


def learner_gains(records: pd.DataFrame, *, pre: tuple[str, Sequence[str]],
                  post: tuple[str, Sequence[str]]) -> pd.DataFrame:
    """Per learner: pre- and post-test status and score, and the normalised gain.

    Parameters
    ----------
    records : pandas.DataFrame
    pre, post : (form notebook, item keys)

    Returns
    -------
    pandas.DataFrame
        Columns ``user, pre_status, pre_score, post_status, post_score, normalized_gain``,
        one row per learner with a record, sorted by user. The gain is NaN unless both
        forms are complete, and where the pre-test score is 1 (:func:`normalized_gain`).
        Pre-test records from after a learner's first post-test record are left out: a
        pre-test answered once the post-test has begun says nothing about before the course.
    """
    import pandas as pd

    if len(records) and "time" in records:
        started = records[records["notebook"] == post[0]].groupby("user")["time"].min()
        if len(started):
            begun = records["user"].map(started)
            late = (records["notebook"] == pre[0]) & begun.notna() & (records["time"] > begun.fillna(records["time"]))
            records = records[~late]
    scores = form_scores(records, {pre[0]: pre[1], post[0]: post[1]})
    columns = ["user", "pre_status", "pre_score", "post_status", "post_score", "normalized_gain"]
    if scores.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c.endswith(("score", "gain")) else object) for c in columns})
    first = scores[scores["form"] == pre[0]].set_index("user")
    second = scores[scores["form"] == post[0]].set_index("user")
    out = pd.DataFrame({"pre_status": first["status"], "pre_score": first["score"].astype(float),
                        "post_status": second["status"], "post_score": second["score"].astype(float)})
    out["normalized_gain"] = normalized_gain(out["pre_score"].to_numpy(), out["post_score"].to_numpy())
    return out.rename_axis("user").reset_index()[columns]


def gain_summary(gains: pd.DataFrame) -> dict[str, float | int]:
    """The class's gain: the mean of the learners' gains with its spread, and the gain of the class means.

    Parameters
    ----------
    gains : pandas.DataFrame
        As returned by :func:`learner_gains`.

    Returns
    -------
    dict
        ``learners`` (both tests complete), ``at_ceiling`` (of them, a perfect pre-test:
        their gain is undefined and left out), ``mean_gain``, ``sd_gain`` (sample standard
        deviation), ``q1_gain``, ``median_gain``, ``q3_gain`` over the learners with a gain;
        ``mean_pre``, ``mean_post`` and ``class_gain`` (Hake's gain of the class averages,
        ``(mean_post - mean_pre) / (1 - mean_pre)``) over all learners with both tests.
        NaN where there is nothing to average.

    Examples
    --------
    >>> import pandas as pd
    >>> gains = pd.DataFrame({"pre_score": [0.5, 0.25, 1.0], "post_score": [0.75, 1.0, 1.0]})
    >>> gains["normalized_gain"] = normalized_gain(gains["pre_score"], gains["post_score"])
    >>> summary = gain_summary(gains)
    >>> summary["learners"], summary["at_ceiling"], round(summary["mean_gain"], 3)
    (3, 1, 0.75)
    """
    import numpy as np

    both = gains.dropna(subset=["pre_score", "post_score"])
    defined = both["normalized_gain"].dropna().to_numpy(dtype=float)
    nan = float("nan")
    mean_pre = float(both["pre_score"].mean()) if len(both) else nan
    mean_post = float(both["post_score"].mean()) if len(both) else nan
    return {
        "learners": int(len(both)),
        "at_ceiling": int((both["pre_score"] >= 1.0).sum()),
        "mean_gain": float(defined.mean()) if len(defined) else nan,
        "sd_gain": float(defined.std(ddof=1)) if len(defined) > 1 else nan,
        "q1_gain": float(np.quantile(defined, 0.25)) if len(defined) else nan,
        "median_gain": float(np.median(defined)) if len(defined) else nan,
        "q3_gain": float(np.quantile(defined, 0.75)) if len(defined) else nan,
        "mean_pre": mean_pre,
        "mean_post": mean_post,
        "class_gain": float(normalized_gain(mean_pre, mean_post)) if len(both) else nan,
    }


def item_statistics(outcomes: pd.DataFrame, *, easy: float = 0.9, hard: float = 0.2,
                    min_learners: int = 5) -> pd.DataFrame:
    """Difficulty and discrimination of every question the class answered.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        :func:`lifecycle_kit.course.progress.question_outcomes` of the class.
    easy, hard : float, default=0.9, 0.2
        An item whose difficulty (first-try success rate) is at least ``easy`` is
        flagged "almost everyone right"; at most ``hard``, "almost no one right"
        (below chance for a four-option question).
    min_learners : int, default=5
        Discrimination is computed, and items flagged, only for items answered by
        at least this many learners: a correlation over fewer says nothing. Negative
        discrimination is flagged only when at least this many learners were right
        and this many wrong at the first try: with three wrong answers out of 300,
        the sign of the correlation is chance.

    Returns
    -------
    pandas.DataFrame
        Columns ``notebook, question, answered`` (learners who checked it), ``difficulty``,
        ``discrimination`` (corrected point-biserial: the Pearson correlation, over the
        learners who answered the item and at least one other, of first-try success on
        the item with the learner's first-try success rate on their other answered
        questions; NaN when undefined), ``flags`` (``"; "``-joined, empty when none),
        in the order the questions first appear.

    Examples
    --------
    Five learners (too few for the default ``min_learners``); the strongest fails the last item, the
    weakest passes it: negative discrimination.

    >>> import pandas as pd
    >>> right = {"u1": [1, 1, 1, 0], "u2": [1, 1, 0, 0], "u3": [1, 0, 1, 1], "u4": [0, 1, 0, 1], "u5": [0, 0, 0, 1]}
    >>> outcomes = pd.DataFrame([{"user": u, "notebook": "nb", "question": f"q{i}", "checks": 1,
    ...                           "first_try_right": bool(x)} for u, xs in right.items() for i, x in enumerate(xs)])
    >>> stats = item_statistics(outcomes, min_learners=2)
    >>> stats[["question", "answered", "difficulty"]].values.tolist()[0]
    ['q0', 5, 0.6]
    >>> stats.loc[3, "flags"], bool(stats.loc[3, "discrimination"] < 0)
    ('negative discrimination', True)
    """
    import numpy as np
    import pandas as pd

    columns = ["notebook", "question", "answered", "difficulty", "discrimination", "flags"]
    answered = outcomes[outcomes["checks"] > 0]
    if answered.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c in ("difficulty", "discrimination") else
                                          "int64" if c == "answered" else object) for c in columns})
    frame = answered[["user", "notebook", "question"]].copy()
    frame["x"] = answered["first_try_right"].astype(float).to_numpy()
    by_user = frame.groupby("user")["x"]
    total, count = by_user.transform("sum"), by_user.transform("count")
    frame["rest"] = ((total - frame["x"]) / (count - 1)).where(count > 1)
    keys = ["notebook", "question"]
    grouped = frame.groupby(keys, sort=False)
    out = grouped.agg(answered=("user", "nunique"), difficulty=("x", "mean"), right=("x", "sum")).reset_index()
    # Pearson's r per item from sums, in one pass over the class (no loop over items).
    pairs = frame.dropna(subset=["rest"]).assign(xy=lambda f: f["x"] * f["rest"], xx=lambda f: f["x"] ** 2,
                                                 yy=lambda f: f["rest"] ** 2)
    sums = pairs.groupby(keys, sort=False).agg(n=("x", "size"), sx=("x", "sum"), sy=("rest", "sum"),
                                                sxy=("xy", "sum"), sxx=("xx", "sum"), syy=("yy", "sum"))
    cov = sums["n"] * sums["sxy"] - sums["sx"] * sums["sy"]
    var = (sums["n"] * sums["sxx"] - sums["sx"] ** 2) * (sums["n"] * sums["syy"] - sums["sy"] ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = cov / np.sqrt(var.where(var > 1e-12))
    r = r.where(sums["n"] >= max(min_learners, 3))
    out = out.merge(r.rename("discrimination").reset_index(), on=keys, how="left")
    out["answered"] = out["answered"].astype("int64")
    out["difficulty"] = out["difficulty"].astype(float)
    enough = out["answered"] >= min_learners
    both_ways = (out["right"] >= min_learners) & (out["answered"] - out["right"] >= min_learners)
    flags = []
    for ok, split, p, d in zip(enough, both_ways, out["difficulty"], out["discrimination"]):
        found = []
        if ok and p >= easy:
            found.append(FLAG_EASY)
        if ok and p <= hard:
            found.append(FLAG_HARD)
        if split and not math.isnan(d) and d < 0:
            found.append(FLAG_NEGATIVE)
        flags.append("; ".join(found))
    out["flags"] = flags
    return out[columns]


def objective_scores(outcomes: pd.DataFrame, items: Mapping[tuple[str, str], str]) -> pd.DataFrame:
    """First-try success per objective over the given items, lowest first.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        :func:`lifecycle_kit.course.progress.question_outcomes`.
    items : mapping of (notebook, question) to objective id
        The items to count (the post-test's, for the report) and the objective of each.

    Returns
    -------
    pandas.DataFrame
        Columns ``objective, learners, answers`` (items answered, over the learners), ``right``
        (of them, right at the first try) and ``score`` (``right / answers``), lowest score first.
    """
    import pandas as pd

    columns = ["objective", "learners", "answers", "right", "score"]
    pairs = list(zip(outcomes["notebook"], outcomes["question"]))
    objective = pd.Series([items.get(p) for p in pairs], index=outcomes.index, dtype=object)
    mine = outcomes.assign(objective=objective)[objective.notna() & (outcomes["checks"] > 0)]
    if mine.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "objective" else float if c == "score" else "int64")
                             for c in columns})
    out = mine.groupby("objective").agg(learners=("user", "nunique"), answers=("user", "size"),
                                        right=("first_try_right", "sum")).reset_index()
    for column in ("learners", "answers", "right"):
        out[column] = out[column].astype("int64")
    out["score"] = out["right"] / out["answers"]
    return out.sort_values(["score", "objective"], kind="stable").reset_index(drop=True)[columns]
