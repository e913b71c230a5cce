"""The instructor's class report: every learner's progress files, collected into one HTML page and one CSV.

Point it at progress files or at folders (a folder of the learners' home
directories, say) searched recursively for ``progress.jsonl``. Each learner is
named by the ``user`` field of their records (``$JUPYTERHUB_USER`` on a hub).
The report shows

- completion per learner per stage: questions answered right of the
  questions the stage's notebook asks;
- the questions the class found hardest: the share of learners who answered
  right at their first check;
- where learners revealed solutions, and how many of them had not answered
  right before revealing;
- how long stages took: from a learner's first to last recorded self-check
  event in a notebook (reading time before the first check is not seen, and
  a pause between sessions counts in full);
- what the class learned: each learner's pre- and post-test score and
  normalised gain, the class's mean gain with its spread, and the objectives
  with the lowest post-test scores; and an item table of every question
  answered, with its difficulty, discrimination and flags
  (:mod:`lifecycle_kit.course.item_analysis`), also written as
  ``class-report-items.csv``.

The HTML, like the lifecycle report, has inline CSS and SVG only: no scripts
and nothing fetched, so it opens offline.

Examples
--------
>>> import os, tempfile
>>> from lifecycle_kit.course.progress import record
>>> home = tempfile.mkdtemp()
>>> path = os.path.join(home, "ada", "progress.jsonl")
>>> _ = record("04_data_acquisition", "backdoor_success", event="check", status="correct", path=path, user="ada")
>>> report = build_class_report([home])
>>> report.learners
['ada']
>>> row = report.to_frame().set_index(["learner", "notebook"]).loc[("ada", "04_data_acquisition")]
>>> from lifecycle_kit.course.selfchecks import for_notebook
>>> int(row["answered_right"]), int(row["questions"]) == len(for_notebook("04_data_acquisition"))
(1, True)
>>> "<script" in report.to_html()
False
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from collections.abc import Iterable

from lifecycle_kit import _html
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FILE_NAME", "ClassReport", "build_class_report", "find_progress_files"]

FILE_NAME = "progress.jsonl"

TIME_NOTE = N_("Time is measured from a learner's first to last recorded self-check event (check or reveal) in the "
             "notebook: reading before the first check is not seen, a notebook with one event counts 0 minutes, "
             "and a pause between sessions counts in full.")


def find_progress_files(
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[str]]:
    """Progress files named directly, and every ``progress.jsonl`` under the folders named.

    Returns
    -------
    files : list of Path
        Sorted, each file once.
    unreadable : list of str
        Folders that could not be searched (permissions), to be reported.

    Raises
    ------
    LifecycleKitError
        A path does not exist, or no progress file was found.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    if not paths:
        raise LifecycleKitError(_("no path given: name progress files or folders to search for progress.jsonl"))
    files, unreadable = {}, []
    for path in map(Path, paths):
        if path.is_file():
            files[path.resolve()] = path
        elif path.is_dir():
            for folder, _subfolders, names in os.walk(path, onerror=lambda err: unreadable.append(str(err.filename))):
                if FILE_NAME in names:
                    found = Path(folder) / FILE_NAME
                    if found.is_file():
                        files[found.resolve()] = found
        else:
            raise LifecycleKitError(_("{path}: no such file or folder", path=path))
    if not files:
        raise LifecycleKitError(_("no progress files ({name}) found in {paths}", name=FILE_NAME,
                                  paths=", ".join(map(str, paths)))
                                + (_("; {n} folder(s) could not be read", n=len(unreadable)) if unreadable else ""))
    return sorted(files.values(), key=str), unreadable


@dataclass
class ClassReport:
    """Progress of a class, built by :func:`build_class_report`.

    Attributes
    ----------
    records : pandas.DataFrame
        Every record (:func:`lifecycle_kit.course.progress.read_progress`).
    files : list of Path
        The progress files read.
    unreadable : list of str
        Folders that could not be searched.
    created : str
        ISO time the report was built.
    """

    records: pd.DataFrame
    files: list[Path]
    unreadable: list[str] = field(default_factory=list)
    created: str | None = None

    def __post_init__(self):
        from lifecycle_kit.course.progress import question_outcomes
        from lifecycle_kit.course.summary import notebook_questions

        if self.created is None:
            self.created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._known = notebook_questions()
        self._outcomes = question_outcomes(self.records)
        self._frame = None  # to_frame, computed once: the records do not change

    @property
    def learners(self):
        """User names, sorted."""
        return sorted(set(self.records["user"]))

    def _notebooks(self):
        seen = [nb for nb in dict.fromkeys(self.records["notebook"]) if nb not in self._known]
        return [*self._known, *sorted(seen)]

    def _questions(self, notebook):
        seen = self._outcomes.loc[self._outcomes["notebook"] == notebook, "question"]
        return list(dict.fromkeys([*self._known.get(notebook, []), *seen]))

    def to_frame(self) -> pd.DataFrame:
        """Completion and time per learner per stage: one row per learner and course notebook.

        Returns
        -------
        pandas.DataFrame
            Columns ``learner, stage, notebook, questions, answered, answered_right,
            completion`` (answered right / questions), ``first_try_right, revealed,
            first_record, last_record, minutes`` (first to last record in that
            notebook; empty where the learner has no record there), and the learner's
            ``pre_score, post_score, normalized_gain`` (fractions, the same on each of
            their rows; empty where undefined, see :meth:`learner_scores`).
        """
        import pandas as pd

        from lifecycle_kit.course.summary import stage_label

        if self._frame is not None:
            return self._frame.copy()
        keys = ["user", "notebook"]
        per = self._outcomes.assign(answered=self._outcomes["checks"] > 0).groupby(keys).agg(
            answered=("answered", "sum"),
            answered_right=("answered_right", "sum"),
            first_try_right=("first_try_right", "sum"),
            revealed=("revealed", "sum"))
        span = self.records.groupby(keys)["time"].agg(["min", "max"])
        notebooks = self._notebooks()
        grid = pd.MultiIndex.from_product([self.learners, notebooks], names=keys)
        frame = per.reindex(grid).join(span.reindex(grid)).reset_index()
        counts = ["answered", "answered_right", "first_try_right", "revealed"]
        frame[counts] = frame[counts].fillna(0).astype("int64")
        questions = {nb: len(self._questions(nb)) for nb in notebooks}
        frame.insert(2, "questions", frame["notebook"].map(questions).astype("int64"))
        frame.insert(1, "stage", frame["notebook"].map({nb: stage_label(nb) for nb in notebooks}))
        frame["completion"] = (frame["answered_right"] / frame["questions"].where(frame["questions"] > 0)).round(3)
        frame["minutes"] = ((frame["max"] - frame["min"]).dt.total_seconds() / 60).round(1)
        frame["first_record"] = frame["min"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        frame["last_record"] = frame["max"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        frame = frame.rename(columns={"user": "learner"})
        scores = self.learner_scores()[["learner", "pre_score", "post_score", "normalized_gain"]]
        frame = frame.merge(scores.round(3), on="learner", how="left")
        self._frame = frame[["learner", "stage", "notebook", "questions", "answered", "answered_right", "completion",
                             "first_try_right", "revealed", "first_record", "last_record", "minutes",
                             "pre_score", "post_score", "normalized_gain"]]
        return self._frame.copy()

    def completion_matrix(self) -> pd.DataFrame:
        """Learners down, stages across: ``"right/questions"`` text per cell, and the total."""
        frame = self.to_frame()
        frame["cell"] = frame["answered_right"].astype(str) + "/" + frame["questions"].astype(str)
        matrix = frame.pivot(index="learner", columns="stage", values="cell")
        matrix = matrix[list(dict.fromkeys(frame["stage"]))]
        totals = frame.groupby("learner")[["answered_right", "questions"]].sum()
        matrix["all stages"] = [f"{r}/{q} ({r / q:.0%})" if q else "0/0"
                                for r, q in zip(totals["answered_right"], totals["questions"])]
        return matrix.reset_index()

    def _matrix_html(self):
        """The completion matrix with short column heads (stage numbers) and their legend, to fit a page."""
        matrix = self.completion_matrix()
        short = {}
        for label in matrix.columns[1:-1]:
            head = label.split(".", 1)[0] if label[:1].isdigit() else label.split(":", 1)[0].split(" ", 1)[0]
            short[label] = head
        legend = "; ".join(f"{head} = {_html.esc(label)}" for label, head in short.items())
        matrix = matrix.rename(columns={**short, "all stages": _("All")})
        return ("<p class='muted'>" + _("Each cell: questions answered right / questions asked. Columns: {legend}.",
                                        legend=legend) + "</p>"
                + _html.table_html(matrix, max_rows=max(200, len(matrix))))

    def hardest_questions(self) -> pd.DataFrame:
        """Questions by the share of learners right at their first check, hardest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``stage, notebook, question, learners`` (who checked it at
            least once), ``first_try_right, first_try_rate``.
        """
        from lifecycle_kit.course.summary import stage_label

        checked = self._outcomes[self._outcomes["checks"] > 0]
        out = checked.groupby(["notebook", "question"]).agg(learners=("user", "nunique"),
                                                            first_try_right=("first_try_right", "sum"))
        out = out.reset_index()
        out["first_try_right"] = out["first_try_right"].astype("int64")
        out["first_try_rate"] = (out["first_try_right"] / out["learners"]).round(3)
        out.insert(0, "stage", out["notebook"].map(stage_label))
        order = {nb: i for i, nb in enumerate(self._notebooks())}
        out["_order"] = out["notebook"].map(order)
        out = out.sort_values(["first_try_rate", "learners", "_order", "question"],
                              ascending=[True, False, True, True], kind="stable")
        return out.drop(columns="_order").reset_index(drop=True)

    def reveals(self) -> pd.DataFrame:
        """Where solutions were revealed: per question, how many learners, and how many before answering right.

        Returns
        -------
        pandas.DataFrame
            Columns ``stage, notebook, question, learners_revealed, revealed_before_right``,
            most revealed first; questions nobody revealed are left out.
        """
        from lifecycle_kit.course.summary import stage_label

        revealed = self._outcomes[self._outcomes["revealed"]]
        out = revealed.groupby(["notebook", "question"]).agg(
            learners_revealed=("user", "nunique"), revealed_before_right=("revealed_before_right", "sum"))
        out = out.reset_index()
        out["revealed_before_right"] = out["revealed_before_right"].astype("int64")
        out.insert(0, "stage", out["notebook"].map(stage_label))
        order = {nb: i for i, nb in enumerate(self._notebooks())}
        out["_order"] = out["notebook"].map(order)
        out = out.sort_values(["learners_revealed", "_order", "question"], ascending=[False, True, True],
                              kind="stable")
        return out.drop(columns="_order").reset_index(drop=True)

    def stage_times(self) -> pd.DataFrame:
        """Minutes per stage over the learners who have records in it (see :data:`TIME_NOTE`).

        Returns
        -------
        pandas.DataFrame
            Columns ``stage, notebook, learners, median_minutes, q1_minutes, q3_minutes, max_minutes``.
        """
        frame = self.to_frame().dropna(subset=["minutes"])
        grouped = frame.groupby(["notebook"], sort=False)["minutes"]
        out = grouped.agg(learners="count", median_minutes="median",
                          q1_minutes=lambda s: s.quantile(0.25), q3_minutes=lambda s: s.quantile(0.75),
                          max_minutes="max").round(1).reset_index()
        out.insert(0, "stage", out["notebook"].map(dict(zip(frame["notebook"], frame["stage"]))))
        out["learners"] = out["learners"].astype("int64")
        return out

    # --- what the class learned (lifecycle_kit.course.item_analysis) ----------------------------------------------
    def learner_scores(self) -> pd.DataFrame:
        """Per learner: pre- and post-test status and score, and the normalised gain.

        Returns
        -------
        pandas.DataFrame
            Columns ``learner, pre_status, pre_score, post_status, post_score, normalized_gain``,
            one row per learner. A score is the share of the form's items right at the first
            answer, given only for a complete form (``"complete"``; else ``"not taken"``,
            ``"partial"`` or ``"skipped"``). The gain is Hake's ``(post - pre) / (1 - pre)``,
            empty unless both forms are complete, and empty for a perfect pre-test, where
            nothing was left to gain (:func:`lifecycle_kit.course.item_analysis.normalized_gain`).
        """
        import pandas as pd

        from lifecycle_kit.course.assessment import POST_TEST, PRE_TEST, form_keys
        from lifecycle_kit.course.item_analysis import learner_gains

        if getattr(self, "_scores", None) is None:
            gains = learner_gains(self.records, pre=(PRE_TEST, form_keys(PRE_TEST)),
                                  post=(POST_TEST, form_keys(POST_TEST))).rename(columns={"user": "learner"})
            out = pd.DataFrame({"learner": pd.Series(self.learners, dtype=object)}).merge(gains, on="learner",
                                                                                           how="left")
            out[["pre_status", "post_status"]] = out[["pre_status", "post_status"]].fillna("not taken")
            self._scores = out
        return self._scores.copy()

    def gain_summary(self) -> dict[str, float | int]:
        """The class's gain: mean and spread of the learners' gains, and the gain of the class means.

        See :func:`lifecycle_kit.course.item_analysis.gain_summary`; learners with a perfect
        pre-test are counted in ``at_ceiling`` and left out of the mean.
        """
        from lifecycle_kit.course.item_analysis import gain_summary

        return gain_summary(self.learner_scores())

    def item_table(self, *, min_learners: int = 5) -> pd.DataFrame:
        """Every question the class answered (self-checks and assessment items): difficulty and discrimination.

        Returns
        -------
        pandas.DataFrame
            Columns ``notebook, question, answered, difficulty, discrimination, flags``
            (:func:`lifecycle_kit.course.item_analysis.item_statistics`), in course order.
        """
        from lifecycle_kit.course.item_analysis import item_statistics

        table = item_statistics(self._outcomes, min_learners=min_learners)
        order = {nb: i for i, nb in enumerate(self._notebooks())}
        table = table.assign(_order=table["notebook"].map(order)).sort_values(["_order"], kind="stable")
        return table.drop(columns="_order").reset_index(drop=True)

    def weakest_objectives(self, n: int = 5) -> pd.DataFrame:
        """The objectives with the lowest post-test scores (first-try success on their post-test items).

        Returns
        -------
        pandas.DataFrame
            Columns ``objective, notebook, learning objective`` (as the notebook's Orientation
            names it, in the reader's language), ``learners, score``; at most ``n`` rows.
        """
        from lifecycle_kit.course.assessment import POST_TEST, bank_items
        from lifecycle_kit.course.item_analysis import objective_scores
        from lifecycle_kit.course.selfchecks.item_bank import OBJECTIVES, objective_notebook

        items = {key: item.objective for key, item in bank_items().items() if key[0] == POST_TEST}
        scores = objective_scores(self._outcomes, items).head(n)
        scores.insert(1, "notebook", scores["objective"].map(objective_notebook))
        scores.insert(2, "learning objective", [_(OBJECTIVES[o]) for o in scores["objective"]])
        return scores[["objective", "notebook", "learning objective", "learners", "score"]]

    def items_to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        """The item table (:meth:`item_table`) as CSV, as ``class-report-items.csv``; written to ``path`` if given."""
        table = self.item_table()
        for column in ("notebook", "question", "flags"):  # a cell a spreadsheet would run as a formula is quoted
            table[column] = table[column].map(_csv_text)
        text = table.round(3).to_csv(index=False, lineterminator="\n")
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def _assessment_sections(self):
        """(heading, HTML) of the gain, the weakest objectives and the item table; every value escaped."""
        import math

        scores = self.learner_scores()
        summary = self.gain_summary()

        def number(value, spec=".2f"):
            return _html._num(format(value, spec)) if not math.isnan(value) else _("n/a")

        notes = _("A learner's score on a test is the share of its items right at the first answer, given when every "
                  "item was answered. The normalised gain (Hake) is (post - pre) / (1 - pre): the share of what the "
                  "learner could still gain that they did gain. It is undefined for a perfect pre-test (nothing was "
                  "left to gain): such learners are counted, not averaged.")
        line = _("{learners} learner(s) took both tests: mean normalised gain {mean} (standard deviation {sd}; "
                 "quartiles {q1} to {q3}); {ceiling} with a perfect pre-test left out. Class means: pre-test {pre}, "
                 "post-test {post}, gain of the means {class_gain}.", learners=summary["learners"],
                 mean=number(summary["mean_gain"]), sd=number(summary["sd_gain"]), q1=number(summary["q1_gain"]),
                 q3=number(summary["q3_gain"]), ceiling=summary["at_ceiling"], pre=number(summary["mean_pre"]),
                 post=number(summary["mean_post"]), class_gain=number(summary["class_gain"]))
        both = scores.dropna(subset=["pre_score", "post_score"])
        chart = (_html.scatter_svg(list(both["pre_score"]), list(both["post_score"]), labels=list(both["learner"]),
                                   title=_("Pre-test against post-test, one point per learner"),
                                   xlabel=_("pre-test score"), ylabel=_("post-test score"),
                                   diagonal_label=_("no change")) if len(both) else "")
        body = (f"<p class='muted'>{_html.esc(notes)}</p><p>{_html.esc(line)}</p>" + chart
                + _html.table_html(scores.round(3), max_rows=max(200, len(scores))))
        sections = [(_("Pre-test, post-test and normalised gain"), body)]

        weakest = self.weakest_objectives()
        body = (_html.table_html(weakest.round(3), max_rows=len(weakest)) if len(weakest)
                else "<p class='na'>" + _("No post-test answer yet.") + "</p>")
        sections.append((_("Objectives with the lowest post-test scores"),
                         "<p class='muted'>" + _("First-try success on each objective's post-test item, lowest "
                                                 "first.") + "</p>" + body))

        items = self.item_table()
        flagged = int((items["flags"] != "").sum())
        explain = _("Difficulty is the share of the learners who answered an item that were right at the first try "
                    "(higher is easier). Discrimination is the correlation of first-try success on the item with the "
                    "learner's first-try success on the other questions they answered (point-biserial, the item "
                    "left out): near 0 the item does not separate stronger from weaker learners; below 0 stronger "
                    "learners fail it more often (check its key and wording). Computed, and flagged, for items "
                    "answered by at least 5 learners.")
        body = (f"<p class='muted'>{_html.esc(explain)}</p><p>"
                + _html.esc(_("{flagged} of {items} item(s) flagged.", flagged=flagged, items=len(items))) + "</p>"
                + (_html.table_html(items.round(3), max_rows=len(items)) if len(items)
                   else "<p class='na'>" + _("No question has been checked yet.") + "</p>"))
        sections.append((_("Item analysis"), body))
        return sections

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        """The per-learner, per-stage table (:meth:`to_frame`) as CSV; written to ``path`` if given."""
        text = self.to_frame().to_csv(index=False, lineterminator="\n")
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_html(self, path: str | os.PathLike[str] | None = None) -> str:
        """One self-contained HTML page (inline CSS and SVG, no scripts); written to ``path`` if given."""
        frame = self.to_frame()
        records = self.records
        learners = self.learners
        if len(records):
            overview = _("{learners} learner(s), {records:,} self-check record(s) from {start} to {end} in {files} "
                         "progress file(s).", learners=len(learners), records=len(records),
                         start=_iso(records["time"].min()), end=_iso(records["time"].max()), files=len(self.files))
        else:
            overview = _("{learners} learner(s), {records:,} self-check record(s) in {files} progress file(s).",
                         learners=len(learners), records=len(records), files=len(self.files))
        overview = f"<p>{overview}</p>"
        if self.unreadable:
            overview += ("<p class='fail'>" + _("{n} folder(s) could not be searched: {folders}",
                                                n=len(self.unreadable),
                                                folders=_html.esc(", ".join(self.unreadable[:10]))) + "</p>")
        overview += ("<p class='muted'>" + _("Completion is the share of a notebook's self-check questions a learner "
                                             "has answered right (at any attempt); first-try success counts only the "
                                             "first check of each question. Answers themselves are never recorded.")
                     + "</p>")
        sections = [(None, overview)]

        stage_mean = frame.groupby("notebook", sort=False).agg(stage=("stage", "first"),
                                                               completion=("completion", "mean"))
        chart = _html.bar_chart_svg(list(stage_mean["stage"]), [float(v) for v in stage_mean["completion"]],
                                    title=_("Mean completion per stage"), value_format="{:.0%}")
        sections.append((_("Completion per learner and stage"),
                         chart + self._matrix_html()))

        hardest = self.hardest_questions()
        if len(hardest):
            top = hardest.head(15)
            chart = _html.bar_chart_svg([f"{nb[:2]} {q}" for nb, q in zip(top["notebook"], top["question"])],
                                        [float(v) for v in top["first_try_rate"]],
                                        title=_("First-try success rate, hardest questions first"),
                                        value_format="{:.0%}")
            body = chart + _html.table_html(hardest, max_rows=len(hardest))
        else:
            body = "<p class='na'>" + _("No question has been checked yet.") + "</p>"
        sections.append((_("Hardest questions (first-try success)"),
                         "<p class='muted'>" + _("Share of the learners who checked a question that were right at "
                                                 "their first check.") + "</p>" + body))

        reveals = self.reveals()
        body = (_html.table_html(reveals, max_rows=len(reveals)) if len(reveals)
                else "<p class='na'>" + _("No solution has been revealed.") + "</p>")
        sections.append((_("Where solutions were revealed"),
                         "<p class='muted'>" + _("Learners who showed the solution; \"before right\" counts those "
                                                 "who had not answered right before revealing it.") + "</p>" + body))

        times = self.stage_times()
        body = (_html.table_html(times, max_rows=len(times)) if len(times)
                else "<p class='na'>" + _("No records.") + "</p>")
        sections.append((_("Time per stage"), "<p class='muted'>" + _html.esc(_(TIME_NOTE)) + "</p>" + body))

        sections.extend(self._assessment_sections())

        import pandas as pd

        sources = pd.DataFrame({"progress file": [str(p) for p in self.files]})
        sections.append((_("Sources"), _html.table_html(sources, max_rows=max(200, len(sources)))))
        document = _html.page(_("Class report"), sections,
                              subtitle=_("Self-check progress, {created} — Lifecycle Kit (ISO/IEC 8183 data life cycle)",
                                         created=self.created))
        if path is not None:
            Path(path).write_text(document, encoding="utf-8")
        return document


def _csv_text(value):
    """A text cell no spreadsheet runs as a formula (a leading =, +, -, @, tab or return gets a quote)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _iso(value):
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    return value.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def build_class_report(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> ClassReport:
    """Read every progress file in ``paths`` (files, or folders searched recursively) into a :class:`ClassReport`.

    Parameters
    ----------
    paths : str, Path or list of them

    Returns
    -------
    ClassReport

    Raises
    ------
    LifecycleKitError
        A path does not exist, no progress file was found, or a file has a
        damaged line (named with its line number; no file is changed).
    """
    from lifecycle_kit.course.progress import read_progress

    files, unreadable = find_progress_files(paths)
    return ClassReport(read_progress(files), files, unreadable)
