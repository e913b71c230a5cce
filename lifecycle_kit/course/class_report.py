"""The instructor's class report: every learner's progress files, collected into one HTML page and one CSV.

Point it at a folder of learners' homes (``/home``: each folder in it is one
learner's home, named by the folder) or at homes named with their learner
(``learners={"ada": "/var/lib/private/ada"}``), searched for ``progress.jsonl``.
Each file counts for the learner whose home holds it, whatever its records
say; no link is followed, files are read up to a size limit, and a damaged line
or a skipped file is listed in the report, never an error that stops it
(:mod:`lifecycle_kit.course.learner_files`). Only the course's own questions
count: records of questions the course does not ask are listed and left out,
so no learner's file changes what another's completion is measured against.

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
  normalised gain (with a chart of pre- against post-test), the class's mean
  gain with its spread, and the objectives with the lowest post-test scores;
  and an item table of every question answered, with its difficulty,
  discrimination and flags (:mod:`lifecycle_kit.course.item_analysis`), also
  written as ``class-report-items.csv``;
- what could not be read, and why.

Every value a learner wrote reaches the page through one autoescaping template,
the CSV through one cell writer that spreadsheets will not run, and the
terminal as visible text (:mod:`lifecycle_kit.course.report_output`). The page
has inline CSS and SVG only, and a Content-Security-Policy that allows no
script and no request, so it opens offline and nothing in it runs.

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from lifecycle_kit.course.learner_files import FILE_NAME, MAX_FILE_BYTES, Problem, collect_progress
from lifecycle_kit.course.report_output import (
    Section,
    bar_chart,
    csv_text,
    render_page,
    replace_file,
    scatter_chart,
    visible,
)
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FILE_NAME", "ClassReport", "build_class_report", "find_progress_files"]

TIME_NOTE = N_("Time is measured from a learner's first to last recorded self-check event (check or reveal) in the "
             "notebook: reading before the first check is not seen, a notebook with one event counts 0 minutes, "
             "and a pause between sessions counts in full.")


def _as_list(paths):
    if paths is None:
        return []
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    return list(paths)


def find_progress_files(
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] = (), *,
        learners: Mapping[str, str | os.PathLike[str]] | None = None) -> tuple[list[Path], list[str]]:
    """The progress files the class report would read (see :func:`build_class_report` for ``paths`` and
    ``learners``).

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
    paths = _as_list(paths)
    if not paths and not learners:
        raise LifecycleKitError(_("no path given: name progress files or folders to search for progress.jsonl"))
    found = collect_progress(paths, learners=learners, read=False)
    if not found.files:
        named = [*map(str, paths), *(str(home) for home in (learners or {}).values())]
        first = f"{found.problems[0].path}: {found.problems[0].what}" if found.problems else ""
        raise LifecycleKitError(_("no progress files ({name}) found in {paths}", name=FILE_NAME,
                                  paths=", ".join(named))
                                + (_("; {n} folder(s) could not be read", n=len(found.unreadable))
                                   if found.unreadable else "")
                                + (_("; {n} skipped: {what}", n=len(found.problems), what=first)
                                   if found.problems else ""))
    return sorted(dict.fromkeys(path for _learner, path in found.files), key=str), found.unreadable


@dataclass
class ClassReport:
    """Progress of a class, built by :func:`build_class_report`.

    Attributes
    ----------
    records : pandas.DataFrame
        Every readable record (:func:`lifecycle_kit.course.progress.read_progress`'s
        columns), ``user`` being the learner whose home holds the file.
    files : list of Path
        The progress files read.
    unreadable : list of str
        Folders that could not be searched.
    created : str
        ISO time the report was built.
    problems : list of Problem
        What was skipped or cut, and why (:class:`lifecycle_kit.course.learner_files.Problem`);
        records of questions the course does not ask are added here.
    file_learners : list of str
        The learner of each file in ``files`` (default: the records' users).
    """

    records: pd.DataFrame
    files: list[Path]
    unreadable: list[str] = field(default_factory=list)
    created: str | None = None
    problems: list[Problem] = field(default_factory=list)
    file_learners: list[str] = field(default_factory=list)

    def __post_init__(self):
        import pandas as pd

        from lifecycle_kit.course.progress import question_outcomes
        from lifecycle_kit.course.summary import notebook_questions

        if self.created is None:
            self.created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._known = notebook_questions()
        asked = {(nb, q) for nb, questions in self._known.items() for q in questions}
        in_course = pd.Series([pair in asked for pair in zip(self.records["notebook"], self.records["question"])],
                              index=self.records.index, dtype=bool)
        self._counted = self.records[in_course]
        self.problems = [*self.problems, *self._outside_course(self.records[~in_course])]
        self._outcomes = question_outcomes(self._counted)
        self._frame = None  # to_frame, computed once: the records do not change
        self._scores = None  # learner_scores, likewise

    @staticmethod
    def _outside_course(outside):
        """One problem per learner and file with records of questions the course does not ask."""
        problems = []
        for (user, source), group in outside.groupby(["user", "source"], sort=True):
            examples = list(dict.fromkeys(f"{nb}/{q}" for nb, q in zip(group["notebook"], group["question"])))
            problems.append(Problem(user, source, None, _(
                "{n} record(s) of questions this course does not ask ({examples}): not counted",
                n=len(group), examples=", ".join(examples[:3]) + (", ..." if len(examples) > 3 else ""))))
        return problems

    @property
    def learners(self):
        """User names, sorted: every learner with a progress file, read or not."""
        return sorted(set(self.records["user"]) | set(self.file_learners))

    def _notebooks(self):
        return list(self._known)

    def _questions(self, notebook):
        return list(self._known.get(notebook, []))

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
        span = self._counted.groupby(keys)["time"].agg(["min", "max"])
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

        if self._scores is None:
            gains = learner_gains(self._counted, pre=(PRE_TEST, form_keys(PRE_TEST)),
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
        """The item table as ``class-report-items.csv``: ``to_csv(path, table="items")``."""
        return self.to_csv(path, table="items")

    def _assessment_sections(self) -> list[Section]:
        """The gain (with a chart of pre- against post-test), the weakest objectives and the item table."""
        import math

        from lifecycle_kit.course.report_output import _num

        scores = self.learner_scores()
        summary = self.gain_summary()

        def number(value, spec=".2f"):
            return _num(format(value, spec)) if not math.isnan(value) else _("n/a")

        line = _("{learners} learner(s) took both tests: mean normalised gain {mean} (standard deviation {sd}; "
                 "quartiles {q1} to {q3}); {ceiling} with a perfect pre-test left out. Class means: pre-test {pre}, "
                 "post-test {post}, gain of the means {class_gain}.", learners=summary["learners"],
                 mean=number(summary["mean_gain"]), sd=number(summary["sd_gain"]), q1=number(summary["q1_gain"]),
                 q3=number(summary["q3_gain"]), ceiling=summary["at_ceiling"], pre=number(summary["mean_pre"]),
                 post=number(summary["mean_post"]), class_gain=number(summary["class_gain"]))
        both = scores.dropna(subset=["pre_score", "post_score"])
        chart = None
        if len(both):
            pre, post = both["pre_score"].astype(float), both["post_score"].astype(float)
            description = _("{learners} learner(s): {up} above the dashed line (a higher post-test score), {same} on "
                            "it, {down} below it; median pre-test score {pre}, median post-test score {post}. Each "
                            "learner's scores are in the table below.", learners=len(both),
                            up=int((post > pre).sum()), same=int((post == pre).sum()), down=int((post < pre).sum()),
                            pre=number(float(pre.median())), post=number(float(post.median())))
            chart = scatter_chart(list(pre), list(post), labels=[str(v) for v in both["learner"]],
                                  title=_("Pre-test against post-test, one point per learner"),
                                  description=description, xlabel=_("pre-test score"), ylabel=_("post-test score"),
                                  diagonal_label=_("no change"))
        sections = [Section(
            title=_("Pre-test, post-test and normalised gain"),
            notes=(_("A learner's score on a test is the share of its items right at the first answer, given when "
                     "every item was answered. The normalised gain (Hake) is (post - pre) / (1 - pre): the share of "
                     "what the learner could still gain that they did gain. It is undefined for a perfect pre-test "
                     "(nothing was left to gain): such learners are counted, not averaged."), line),
            chart=chart, table=scores.round(3), empty=_("No records."))]

        weakest = self.weakest_objectives()
        sections.append(Section(
            title=_("Objectives with the lowest post-test scores"),
            notes=(_("First-try success on each objective's post-test item, lowest first."),),
            table=weakest.round(3), empty=_("No post-test answer yet.")))

        items = self.item_table()
        flagged = int((items["flags"] != "").sum())
        sections.append(Section(
            title=_("Item analysis"),
            notes=(_("Difficulty is the share of the learners who answered an item that were right at the first try "
                     "(higher is easier). Discrimination is the correlation of first-try success on the item with "
                     "the learner's first-try success on the other questions they answered (point-biserial, the "
                     "item left out): near 0 the item does not separate stronger from weaker learners; below 0 "
                     "stronger learners fail it more often (check its key and wording). Computed, and flagged, for "
                     "items answered by at least 5 learners."),
                   _("{flagged} of {items} item(s) flagged.", flagged=flagged, items=len(items))),
            table=items.round(3), empty=_("No question has been checked yet.")))
        return sections

    def problem_frame(self) -> pd.DataFrame:
        """What could not be read or counted: columns ``learner, file, line, problem`` (see :attr:`problems`)."""
        import pandas as pd

        return pd.DataFrame({"learner": [p.learner for p in self.problems], "file": [p.path for p in self.problems],
                             "line": pd.array([p.line for p in self.problems], dtype="Int64"),
                             "problem": [p.what for p in self.problems]})

    def source_frame(self) -> pd.DataFrame:
        """The files read: columns ``learner, progress file``."""
        import pandas as pd

        learners = self.file_learners if len(self.file_learners) == len(self.files) else [None] * len(self.files)
        return pd.DataFrame({"learner": learners, "progress file": [str(p) for p in self.files]})

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the report by name, as :meth:`to_csv` writes them (``table=`` one of these names)."""
        return {"learners": self.to_frame(), "completion": self.completion_matrix(),
                "hardest_questions": self.hardest_questions(), "reveals": self.reveals(),
                "stage_times": self.stage_times(), "scores": self.learner_scores(),
                "weakest_objectives": self.weakest_objectives(), "items": self.item_table(),
                "problems": self.problem_frame(), "sources": self.source_frame()}

    def to_csv(self, path: str | os.PathLike[str] | None = None, *, table: str = "learners") -> str:
        """A table of the report as CSV (default the per-learner, per-stage table, :meth:`to_frame`).

        Text cells are written so that a spreadsheet takes none of them for a
        formula, and control characters are shown as escapes
        (:func:`lifecycle_kit.course.report_output.csv_cell`). Written to ``path``
        if given, replacing what is there (a link is replaced, never written
        through).
        """
        tables = self.tables()
        if table not in tables:
            raise LifecycleKitError(_("table must be one of {names}; got '{table}'", names=", ".join(tables),
                                      table=table))
        text = csv_text(tables[table])
        if path is not None:
            replace_file(path, text)
        return text

    def sections(self) -> list[Section]:
        """The page, part by part (:class:`lifecycle_kit.course.report_output.Section`): what :meth:`to_html` renders.

        A new table joins the report here (and in :meth:`tables`, for its CSV):
        the template escapes it like every other.
        """
        from lifecycle_kit.i18n import ngettext

        frame = self.to_frame()
        records = self._counted
        if len(records):
            overview = _("{learners} learner(s), {records:,} self-check record(s) from {start} to {end} in {files} "
                         "progress file(s).", learners=len(self.learners), records=len(records),
                         start=_iso(records["time"].min()), end=_iso(records["time"].max()), files=len(self.files))
        else:
            overview = _("{learners} learner(s), {records:,} self-check record(s) in {files} progress file(s).",
                         learners=len(self.learners), records=len(records), files=len(self.files))
        alerts = []
        if self.unreadable:
            alerts.append(_("{n} folder(s) could not be searched: {folders}", n=len(self.unreadable),
                            folders=", ".join(self.unreadable[:10])))
        if self.problems:
            alerts.append(ngettext("{n} problem reading the progress files: see \"Problems\" below.",
                                   "{n} problems reading the progress files: see \"Problems\" below.",
                                   len(self.problems)))
        sections = [Section(notes=(overview, _(
            "Completion is the share of a notebook's self-check questions a learner has answered right (at any "
            "attempt); first-try success counts only the first check of each question. Answers themselves are "
            "never recorded. Each progress file counts for the learner whose home holds it.")), alerts=tuple(alerts))]

        stage_mean = frame.groupby("notebook", sort=False).agg(stage=("stage", "first"),
                                                               completion=("completion", "mean"))
        matrix = self.completion_matrix()
        short = {label: label.split(".", 1)[0] if label[:1].isdigit() else label.split(":", 1)[0].split(" ", 1)[0]
                 for label in matrix.columns[1:-1]}
        legend = "; ".join(f"{head} = {label}" for label, head in short.items())
        sections.append(Section(
            title=_("Completion per learner and stage"),
            chart=bar_chart(list(stage_mean["stage"]), [float(v) for v in stage_mean["completion"]],
                            title=_("Mean completion per stage")),
            notes=(_("Each cell: questions answered right / questions asked. Columns: {legend}.", legend=legend),),
            table=matrix.rename(columns={**short, "all stages": _("All")})))

        hardest = self.hardest_questions()
        top = hardest.head(15)
        sections.append(Section(
            title=_("Hardest questions (first-try success)"),
            notes=(_("Share of the learners who checked a question that were right at their first check."),),
            chart=bar_chart([f"{nb[:2]} {q}" for nb, q in zip(top["notebook"], top["question"])],
                            [float(v) for v in top["first_try_rate"]],
                            title=_("First-try success rate, hardest questions first")) if len(top) else None,
            table=hardest, empty=_("No question has been checked yet.")))
        sections.append(Section(
            title=_("Where solutions were revealed"),
            notes=(_("Learners who showed the solution; \"before right\" counts those who had not answered right "
                     "before revealing it."),),
            table=self.reveals(), empty=_("No solution has been revealed.")))
        sections.append(Section(title=_("Time per stage"), notes=(_(TIME_NOTE),), table=self.stage_times(),
                                empty=_("No records.")))
        sections.extend(self._assessment_sections())
        if self.problems:
            sections.append(Section(
                title=_("Problems"),
                notes=(_("Files and lines the report skipped or cut, and why. Nothing was changed: a learner can "
                         "correct a damaged line in a text editor."),),
                table=self.problem_frame(), max_rows=500))
        sections.append(Section(title=_("Sources"), table=self.source_frame(), empty=_("No records.")))
        return sections

    def to_html(self, path: str | os.PathLike[str] | None = None) -> str:
        """One self-contained HTML page (inline CSS and SVG, no scripts); written to ``path`` if given.

        Every value is escaped by the template (:func:`lifecycle_kit.course.report_output.render_page`);
        the page forbids scripts and requests in its own Content-Security-Policy. ``path``
        is replaced, never written through a link.
        """
        document = render_page(_("Class report"), self.sections(),
                               subtitle=_("Self-check progress, {created} — Lifecycle Kit (ISO/IEC 8183 data life "
                                          "cycle)", created=self.created))
        if path is not None:
            replace_file(path, document)
        return document

    def summary_lines(self) -> list[str]:
        """What the command line prints: counts, then the first problems, as text a terminal shows, not obeys."""
        lines = [_("{learners} learner(s), {records:,} record(s) from {files} progress file(s)",
                   learners=len(self.learners), records=len(self._counted), files=len(self.files))]
        if self.unreadable:
            lines.append(_("note: {n} folder(s) could not be searched: {folders}", n=len(self.unreadable),
                           folders=", ".join(self.unreadable[:5])))
        gain = self.gain_summary()
        if gain["learners"]:
            lines.append(_("pre- and post-test: {learners} learner(s), mean normalised gain {mean:.2f} (standard "
                           "deviation {sd:.2f}); {ceiling} with a perfect pre-test left out", learners=gain["learners"],
                           mean=gain["mean_gain"], sd=gain["sd_gain"], ceiling=gain["at_ceiling"]))
        if self.problems:
            lines.append(_("note: {n} problem(s) reading the progress files (listed in the report):",
                           n=len(self.problems)))
            for problem in self.problems[:10]:
                where = (_("{path}, line {line}", path=problem.path, line=problem.line) if problem.line is not None
                         else problem.path)
                lines.append(f"  {where}: {problem.what}")
        return [visible(line) for line in lines]


def _iso(value):
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    return value.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def build_class_report(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] = (), *,
                       learners: Mapping[str, str | os.PathLike[str]] | None = None,
                       max_file_bytes: int = MAX_FILE_BYTES) -> ClassReport:
    """Read a class's progress files into a :class:`ClassReport`, each file counted for the learner whose home holds it.

    Parameters
    ----------
    paths : str, Path or list of them, default=()
        Folders of learners' homes: each folder directly inside one is a
        learner's home, named by the folder, searched for ``progress.jsonl``.
        A progress file named on its own counts for the folder holding it (or
        the home above ``.local/share/lifecycle-kit``).
    learners : mapping of str to path, default=None
        ``{learner: home or progress file}``, the learner named explicitly (the
        hub's report service names each user's home).
    max_file_bytes : int, default=MAX_FILE_BYTES
        Read at most this much of each file (the rest is reported as cut).

    Returns
    -------
    ClassReport
        Damaged lines, links, files of other owners and records claiming
        another user are in :attr:`ClassReport.problems`, never an error.

    Raises
    ------
    LifecycleKitError
        No path given, a path named does not exist, or no progress file was found.
    """
    from lifecycle_kit.course.progress import records_frame

    paths = _as_list(paths)
    if not paths and not learners:
        raise LifecycleKitError(_("no path given: name progress files or folders to search for progress.jsonl"))
    found = collect_progress(paths, learners=learners, max_file_bytes=max_file_bytes)
    if not found.files:
        find_progress_files(paths, learners=learners)  # raises, saying what was searched and skipped
    records = records_frame(found.records)
    if len(records):
        records["recorded_user"] = [r["recorded_user"] for r in found.records]
    return ClassReport(records, [path for _learner, path in found.files], found.unreadable,
                       problems=found.problems, file_learners=[learner for learner, _path in found.files])
