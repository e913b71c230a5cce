"""``assess``: every applicable ISO/IEC 5259-2 measure on a table, as a :class:`QualityReport`."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lifecycle_kit import _html
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _, ngettext
from lifecycle_kit.profiling import DISGUISED_MISSING_TOKENS
from lifecycle_kit.quality._columns import Table, collector_paused
from lifecycle_kit.quality._frames import check_frame, split_target
from lifecycle_kit.quality.measures import (
    FUNCTIONS,
    MEASURE_ID_NOTE,
    MEASURES,
    Context,
    NotApplicable,
    _shown_label,
    _shown_names,
)
from lifecycle_kit.quality.spec import DataSpec, _infer_spec
from lifecycle_kit.results import ResultMixin

if TYPE_CHECKING:
    import os

    from matplotlib.axes import Axes

    from lifecycle_kit.quality.spec import Violation

__all__ = ["MeasureResult", "QualityReport", "assess", "missing_values"]

# Missing values as the columns of an inferred spec define them: the default tokens, no sentinels.
_DEFAULT_MISSING = SimpleNamespace(missing_tokens=list(DISGUISED_MISSING_TOKENS), sentinels=[])

REPORT_COLUMNS = ["characteristic", "measure_id", "measure", "value", "threshold", "passed"]


@dataclass(frozen=True)
class MeasureResult:
    measure_id: str
    characteristic: str
    measure: str
    definition: str
    value: float
    threshold: float
    passed: bool
    detail: str

    @property
    def margin(self):
        return self.value - self.threshold


@dataclass
class QualityReport(ResultMixin):
    """The result of :func:`assess`.

    Attributes
    ----------
    results : list of MeasureResult
        The measures that applied, in catalogue order.
    not_applicable : dict
        ``{measure_id: reason}`` for measures that could not be computed here.
    missing : pandas.DataFrame
        Per column: NaN, disguised tokens found, total missing and share.
    violations : list of Violation
        What the spec check found (empty without a spec).
    rows, columns : int
    spec_source : str
        ``"given"``, ``"inferred from reference"`` or ``"none"``.
    """

    results: list[MeasureResult]
    not_applicable: dict[str, str]
    missing: pd.DataFrame
    violations: list[Violation] = field(default_factory=list)
    rows: int = 0
    columns: int = 0
    spec_source: str = "none"

    @property
    def passed(self):
        """True when every applicable measure meets its threshold."""
        return all(r.passed for r in self.results)

    @property
    def failed(self):
        return [r for r in self.results if not r.passed]

    def __getitem__(self, measure_id):
        for r in self.results:
            if r.measure_id == measure_id:
                return r
        if measure_id in self.not_applicable:
            raise KeyError(f"{measure_id} was not applicable: {self.not_applicable[measure_id]}")
        raise KeyError(f"no measure {measure_id!r}")

    def value(self, measure_id: str) -> float:
        return self[measure_id].value

    def to_frame(self, *, details: bool = False) -> pd.DataFrame:
        """One row per applicable measure: characteristic, measure_id, measure, value, threshold, passed."""
        rows = [{"characteristic": r.characteristic, "measure_id": r.measure_id, "measure": r.measure,
                 "value": r.value, "threshold": r.threshold, "passed": r.passed,
                 "definition": r.definition, "detail": r.detail} for r in self.results]
        frame = pd.DataFrame(rows, columns=REPORT_COLUMNS + ["definition", "detail"])
        return frame if details else frame[REPORT_COLUMNS]

    def summary(self) -> pd.DataFrame:
        """Worst first: failed measures by how far below their threshold, then passed ones by margin."""
        frame = self.to_frame(details=True)
        frame["margin"] = frame["value"] - frame["threshold"]
        return frame.sort_values(["passed", "margin"], kind="stable").drop(columns="margin").reset_index(drop=True)

    def reasons(self) -> list[str]:
        """One readable line per failed measure."""
        # N_: each line reads as English (and in to_dict), and is said in the reader's language when shown.
        return [N_("{measure_id} {measure} = {value:.3f} is below its threshold {threshold:g}: {detail}",
                   measure_id=r.measure_id, measure=r.measure, value=r.value, threshold=r.threshold, detail=r.detail)
                for r in sorted(self.failed, key=lambda r: r.margin)]

    def _shown_spec_source(self):
        """Where the specification came from, in the reader's language."""
        return _(SPEC_SOURCES[self.spec_source]) if self.spec_source in SPEC_SOURCES else self.spec_source

    def _shown_reasons(self):
        """:meth:`reasons` as a reader sees them: in the reader's language, the measure's name too."""
        return [_(r, measure=_(r.params["measure"])) for r in self.reasons()]

    def __repr__(self):
        state = "passed" if self.passed else f"{len(self.failed)} failed"
        return f"QualityReport({self.rows:,} rows x {self.columns} columns, {len(self.results)} measures, {state})"

    def plot(self, ax: Axes | None = None) -> Axes:
        """Bar chart of every measure against its threshold (green passed, red failed)."""
        if ax is None:
            from matplotlib.figure import Figure

            fig = Figure(figsize=(7, 0.28 * len(self.results) + 1), layout="constrained")
            ax = fig.subplots()
        frame = self.to_frame()[::-1]
        labels = [_shown_label(m) for m in frame["measure_id"]]
        colours = ["#34a853" if p else "#d93025" for p in frame["passed"]]
        ax.barh(labels, frame["value"], color=colours)
        ax.scatter(frame["threshold"], labels, marker="|", s=200, color="#202124", label="threshold", zorder=3)
        ax.set_xlim(0, 1.02)
        ax.set_xlabel("value (1 is best)")
        ax.tick_params(axis="y", labelsize=8)
        ax.legend(loc="lower right", fontsize=8)
        ax.set_title("ISO/IEC 5259-2 quality measures")
        return ax

    def to_markdown(self, *, sources: Sequence[str] = ()) -> str:
        """The report as Markdown; ``sources``: lines saying how the data was read (file, encoding, ...)."""
        verdict = (_("All measures pass.") if self.passed else
                   _("{n} measure(s) below threshold.", n=len(self.failed)))
        lines = ["# " + _("Data quality report"), "",
                 _("{rows:,} rows × {columns} columns; specification: {spec}", rows=self.rows, columns=self.columns,
                   spec=self._shown_spec_source()) + ". " + verdict, "",
                 "## " + _("Measures, worst first"), "",
                 _html.markdown_table(_shown_names(self.summary()[REPORT_COLUMNS + ["detail"]]), headings=True), "",
                 f"*{_(MEASURE_ID_NOTE)}*", ""]
        lines[4:4] = _html.sources_markdown(sources)
        if len(self.missing):
            lines += ["## " + _("Missing values (including disguised ones)"), "",
                      _html.markdown_table(self.missing, headings=True), ""]
        if self.violations:
            lines += ["## " + _("Specification violations"), ""]
            lines += [f"- {_html.md_text(v.column)} {v.rule}: {v.count} — {_html.md_text(v.message)}"
                      for v in self.violations]
            lines.append("")
        if self.not_applicable:
            lines += ["## " + _("Not applicable here"), ""]
            lines += [f"- {k} ({_(MEASURES[k].name)}): {_html.md_text(why)}" for k, why in self.not_applicable.items()]
        return "\n".join(lines) + "\n"

    def to_html(self, path: str | os.PathLike[str] | None = None, *, title: str = "Data quality report",
                sources: Sequence[str] = ()) -> str:
        """One self-contained HTML file (inline CSS and SVG, no scripts, no CDN); written if ``path`` is given.

        ``sources``: lines saying how the data was read (file, encoding, delimiter, what was detected).
        """
        if title == "Data quality report":  # the default title, said in the reader's language
            title = _("Data quality report")
        frame = self.summary()
        chart = _html.bar_chart_svg([_shown_label(m) for m in frame["measure_id"]],
                                    list(frame["value"]), thresholds=list(frame["threshold"]), passed=list(frame["passed"]))
        verdict = ("<p class='box pass'>" + _("All measures meet their thresholds.") + "</p>" if self.passed else
                   "<p class='box fail'>" + "<br>".join(_html.esc(r) for r in self._shown_reasons()) + "</p>")
        table = _html.table_html(_shown_names(frame[REPORT_COLUMNS + ["detail"]]), headings=True)
        sections = [(None, verdict), *_html.sources_section(sources), (_("Measures, worst first"), chart + table
                                              + f"<p class='note'><i>{_html.esc(_(MEASURE_ID_NOTE))}</i></p>")]
        if len(self.missing):
            sections.append((_("Missing values, including disguised ones"), _html.table_html(self.missing, headings=True)))
        if self.violations:
            vframe = pd.DataFrame([{"column": v.column, "rule": v.rule, "count": v.count, "message": v.message,
                                    "examples": ", ".join(f"row {r}: {x!r}" for r, x in v.examples)} for v in self.violations])
            sections.append((_("Specification violations"), _html.table_html(vframe, headings=True)))
        if self.not_applicable:
            na = pd.DataFrame([{"measure_id": k, "measure": _(MEASURES[k].name), "why": v}
                               for k, v in self.not_applicable.items()])
            sections.append((_("Not applicable here"), _html.table_html(na, headings=True)))
        document = _html.page(title, sections, subtitle=_("{rows:,} rows × {columns} columns; specification: {spec}",
                                                          rows=self.rows, columns=self.columns, spec=self._shown_spec_source()))
        if path is not None:
            from lifecycle_kit._fs import replace_text

            replace_text(path, document)  # a link at ``path`` is replaced, never written through
        return document

    _result_kind = "quality_report"

    def _payload(self):
        return {"passed": self.passed, "rows": self.rows, "columns": self.columns, "spec_source": self.spec_source,
                "measures": self.summary()[REPORT_COLUMNS + ["definition", "detail"]],
                "reasons": self.reasons(),
                "not_applicable": [{"measure_id": k, "measure": MEASURES[k].name, "reason": why}
                                   for k, why in self.not_applicable.items()],
                "missing": self.missing,
                "violations": [{"column": str(v.column), "rule": v.rule, "count": v.count, "message": v.message,
                                "examples": [{"row": r, "value": x} for r, x in v.examples]} for v in self.violations]}

    def _repr_html_(self):
        verdict = (_html.verdict_html(True, _("All measures meet their thresholds.")) if self.passed else
                   _html.verdict_html(False, ngettext("{n} measure below its threshold", "{n} measures below their thresholds",
                                                      len(self.failed))) + _html.items_html(self._shown_reasons()))
        head = "<p>" + _("{rows:,} rows × {columns} columns; specification: {spec}", rows=self.rows, columns=self.columns,
                         spec=_html.esc(self._shown_spec_source())) + "</p>"
        frame = self.summary()
        chart = _html.bar_chart_svg([_shown_label(m) for m in frame["measure_id"]],
                                    list(frame["value"]), thresholds=list(frame["threshold"]), passed=list(frame["passed"]))
        return (head + verdict + chart + _html.table_html(_shown_names(frame[REPORT_COLUMNS + ["detail"]]), headings=True)
                + f"<p style='font-size:90%'><i>{_html.esc(_(MEASURE_ID_NOTE))}</i></p>")


#: Where a report's specification came from, as a reader reads it.
SPEC_SOURCES = {"given": N_("given"), "inferred from reference": N_("inferred from reference"), "none": N_("none")}


def missing_values(df: pd.DataFrame, spec: DataSpec | None = None, *, mask: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per column: NaN count, disguised-missing count and the tokens found, total and share.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"job": ["clerk", "?", None], "age": [30, -999, 25]})
    >>> from lifecycle_kit.quality import infer_spec
    >>> spec = infer_spec(df); spec.columns["age"].sentinels = [-999]
    >>> missing_values(df, spec)[["column", "nan", "disguised", "tokens", "total"]]
      column  nan  disguised tokens  total
    0    job    1          1      ?      2
    1    age    0          1   -999      1
    """
    from lifecycle_kit.quality.spec import missing_mask

    if mask is None:
        mask = pd.DataFrame({c: missing_mask(df[c], spec.columns.get(c) if spec is not None else None)
                             for c in df.columns}, index=df.index)
    return _missing_table(df, mask.to_numpy(dtype=bool), df.isna().to_numpy(dtype=bool))


def _missing_table(df, total, nan, table=None):
    """:func:`missing_values` from boolean arrays (rows x columns): missing in any way, and NaN.

    With ``table`` (the assessment's column facts), the tokens of a text column are counted from its codes.
    """
    disguised = total & ~nan
    return _missing_table_of_counts(df, nan.sum(axis=0), total.sum(axis=0), lambda j: disguised[:, j], table)


def _missing_table_of_counts(df, nan_counts, total_counts, disguised_of, table=None):
    """:func:`_missing_table` from counts per column (missing in any way, NaN); ``disguised_of(j)`` is the mask of
    column ``j``'s missing values that are not NaN, asked only of columns that have some."""
    nan_counts, total_counts = np.asarray(nan_counts), np.asarray(total_counts)
    disguised_counts = total_counts - nan_counts
    tokens = [""] * df.shape[1]
    for j in np.flatnonzero(disguised_counts):
        disguised = disguised_of(j)
        facts = table[df.columns[j]] if table is not None else None
        if facts is not None and facts.storage == "objects":
            # As value_counts of the stripped tokens: most frequent first, ties in order of first appearance.
            codes, distinct = facts.factorized
            counts = np.bincount(codes[disguised], minlength=len(distinct))
            found = {}
            for code in np.flatnonzero(counts):
                token = str(distinct[code]).strip()
                found[token] = found.get(token, 0) + int(counts[code])
            ordered = sorted(found, key=lambda t: -found[t])
        else:
            ordered = df.iloc[:, j][disguised].astype(str).str.strip().value_counts().index
        tokens[j] = ", ".join(f"{t if t else repr(t)}" for t in ordered[:5])
    share = total_counts / len(df) if len(df) else np.zeros(df.shape[1])
    return pd.DataFrame({"column": [str(c) for c in df.columns], "nan": nan_counts.astype(int),
                         "disguised": disguised_counts.astype(int), "tokens": tokens, "total": total_counts.astype(int),
                         "share": share.astype(float)}, columns=["column", "nan", "disguised", "tokens", "total", "share"])


def _check_thresholds(thresholds):
    if thresholds is None:
        return {}
    if not isinstance(thresholds, dict):
        raise LifecycleKitError(f"thresholds must be a dict of measure id -> number; got {type(thresholds).__name__}")
    out = {}
    for key, value in thresholds.items():
        if key not in MEASURES:
            raise LifecycleKitError(f"unknown measure {key!r} in thresholds; known: {', '.join(MEASURES)}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise LifecycleKitError(f"threshold of {key} must be a number in [0, 1]; got {value!r}")
        out[key] = float(value)
    return out


def assess(df: pd.DataFrame, *, spec: DataSpec | None = None, target: str | pd.Series | None = None,
           reference: pd.DataFrame | None = None, thresholds: Mapping[str, float] | None = None,
           measures: Sequence[str] | None = None, estimate_label_noise: bool = False,
           random_state: int = 0) -> QualityReport:
    """Measure the quality of a table against ISO/IEC 5259-2 characteristics.

    Parameters
    ----------
    df : pandas.DataFrame
        The data to assess.
    spec : DataSpec, default=None
        The requirements. Without one, a spec is inferred from ``reference``
        when given; measures that need written requirements (ranges,
        quasi-identifiers, rules, ...) are otherwise not applicable.
    target : str or pandas.Series, default=None
        The label column (a name in ``df``) or the labels themselves.
    reference : pandas.DataFrame, default=None
        Data known to be good: the basis for outliers and representativeness.
    thresholds : dict, default=None
        ``{measure_id: threshold}`` overriding the defaults.
    measures : list of str, default=None
        Only these measure ids (all by default).
    estimate_label_noise : bool, default=False
        Also estimate label accuracy (Acc-ML-4) by confident learning; costs a
        cross-validated model fit on up to 3,000 rows.
    random_state : int, default=0
        Seeds the samples used by relevance and portability.

    Returns
    -------
    QualityReport

    Examples
    --------
    >>> from lifecycle_kit.datasets import load
    >>> ds = load("adult")
    >>> report = assess(ds.frame, target=ds.target)
    >>> round(report.value("Com-ML-3"), 3)  # rows without any '?'
    0.926
    >>> report["Con-ML-1"].passed
    True
    """
    check_frame(df)
    features, y = split_target(df, target)
    if spec is not None and not isinstance(spec, DataSpec):
        raise LifecycleKitError(f"spec must be a DataSpec; got {type(spec).__name__}")
    if reference is not None:
        check_frame(reference, "reference")
    spec_source = "given" if spec is not None else "none"
    if spec is not None and isinstance(target, str) and target in spec.columns:
        # A spec of the whole table lists the target among its columns: the features are measured and validated
        # without it, so it is no absent feature (Com-ML-2) and no missing column.
        spec = dataclasses.replace(spec, columns={k: v for k, v in spec.columns.items() if k != target}, target=target)
    if reference is not None and isinstance(target, str) and target in reference.columns:
        reference = reference.drop(columns=target)
    reference_table = None
    if spec is None and reference is not None:
        # The reference's column facts serve both the inferred spec and the measures: every column of a wide
        # reference is then accessed, factorised and parsed once. Its missing values are those of the default
        # tokens, as in the inferred spec's columns.
        reference_table = Table(reference, lambda name: _DEFAULT_MISSING)
        spec = _infer_spec(reference, table=reference_table)
        spec_source = "inferred from reference"
    limits = {k: m.threshold for k, m in MEASURES.items()} | _check_thresholds(thresholds)
    chosen = list(MEASURES) if measures is None else list(measures)
    for m in chosen:
        if m not in MEASURES:
            raise LifecycleKitError(f"unknown measure {m!r}; known: {', '.join(MEASURES)}")
    if measures is not None and "Acc-ML-4" in measures:
        estimate_label_noise = True
    ctx = Context(features, y, spec, reference, random_state=random_state, estimate_label_noise=estimate_label_noise,
                  reference_table=reference_table)
    results, skipped = [], {}
    with np.errstate(all="ignore"), collector_paused():
        for measure_id in chosen:
            meta = MEASURES[measure_id]
            try:
                value, detail = FUNCTIONS[measure_id](ctx)
            except NotApplicable as why:
                skipped[measure_id] = str(why)
                continue
            value = float(value)
            if math.isnan(value):
                skipped[measure_id] = "could not be computed on this data"
                continue
            value = min(1.0, max(0.0, value))
            threshold = limits[measure_id]
            results.append(MeasureResult(measure_id, meta.characteristic, meta.name, meta.definition, value,
                                         threshold, bool(value >= threshold), detail))
        # The frame was checked above and the context read it with this spec's columns: validate from its facts.
        violations = spec._violations(features, table=ctx.table) if spec is not None else []
        # From counts per column: the rows x columns masks are never stacked.
        missing = _missing_table_of_counts(
            features, ctx.isna_counts, ctx.missing_counts,
            lambda j: ctx.table[features.columns[j]].missing & ~ctx.table[features.columns[j]].isna, ctx.table)
    return QualityReport(results=results, not_applicable=skipped, missing=missing,
                         violations=violations, rows=len(features), columns=features.shape[1], spec_source=spec_source)
