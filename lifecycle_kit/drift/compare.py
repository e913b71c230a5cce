"""``compare``: which columns of a current batch drifted from the reference, and how."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lifecycle_kit import _html
from lifecycle_kit._validation import check_choice
from lifecycle_kit.display import vocabulary
from lifecycle_kit.drift import statistics as st
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _, ngettext
from lifecycle_kit.quality._frames import check_frame
from lifecycle_kit.results import ResultMixin

# The tests and kinds of a report's frame, as a reader reads them (lifecycle_kit.display); the frame keeps the keys.
TEST_LABELS = {"ks": N_("Kolmogorov–Smirnov (KS)"), "cramer_von_mises": N_("Cramér–von Mises"),
               "chi2": N_("chi-squared"), "psi": N_("PSI"), "jensen_shannon": N_("Jensen–Shannon distance"),
               "wasserstein": N_("Wasserstein distance")}
CORRECTION_LABELS = {"bonferroni": N_("Bonferroni correction"), "holm": N_("Holm correction"),
                     "bh": N_("Benjamini–Hochberg correction")}
vocabulary(headings={"wasserstein": N_("Wasserstein distance"), "psi": N_("PSI"), "ks_p_value": N_("KS p-value"),
                     "n": N_("sample size")},
           values={"test": TEST_LABELS, "kind": {"numeric": N_("numeric"), "categorical": N_("categorical")}})

if TYPE_CHECKING:
    import os

    from matplotlib.axes import Axes

__all__ = ["CORRECTIONS", "DriftReport", "METHODS", "compare"]

#: What ``method`` accepts: ``"auto"`` (chosen per column) or a statistic's name.
METHODS = ("auto",) + tuple(st.STATISTICS)
#: Multiple-testing corrections across columns: none, Bonferroni, Holm, Benjamini-Hochberg.
CORRECTIONS = (None, "bonferroni", "holm", "bh")
SMALL_REFERENCE = 1000
REPORT_COLUMNS = ["column", "kind", "test", "statistic", "p_value", "threshold", "drifted"]


def _detail_columns(frame):
    """The columns of the detailed views; ``js_base2`` only when some column was tested by Jensen-Shannon."""
    extra = ["js_base2"] if "js_base2" in frame and frame["js_base2"].notna().any() else []
    return REPORT_COLUMNS + ["severity"] + extra + ["explanation"]


@dataclass
class DriftReport(ResultMixin):
    """Per-column drift results.

    Attributes
    ----------
    results : pandas.DataFrame
        ``column, kind, test, statistic, p_value, threshold, drifted, severity, js_base2, explanation``;
        ``js_base2`` is the Jensen-Shannon distance in base 2 (``statistic`` is in natural
        logarithms, see :func:`lifecycle_kit.drift.statistics.jensen_shannon`), NaN for other tests.
    correction : str or None
        The multiple-testing correction applied to the p-values.
    reference_rows, current_rows : int
    """

    results: pd.DataFrame
    correction: object = None
    reference_rows: int = 0
    current_rows: int = 0
    dataset_threshold: float = 0.5
    notes: list[str] = field(default_factory=list)

    def to_frame(self, *, details: bool = False) -> pd.DataFrame:
        """Drifted columns first, then by severity (one scale for all tests: 1 = threshold)."""
        frame = self.results.sort_values(["drifted", "severity"], ascending=[False, False], kind="stable")
        frame = frame.reset_index(drop=True)
        return frame if details else frame[REPORT_COLUMNS + ["severity"]]

    @property
    def drifted_columns(self):
        return self.to_frame().query("drifted")["column"].tolist()

    @property
    def drift_share(self):
        return float(self.results["drifted"].mean()) if len(self.results) else 0.0

    @property
    def dataset_drift(self):
        """True when at least ``dataset_threshold`` of the columns drifted (Evidently's default reading: half)."""
        return self.drift_share >= self.dataset_threshold

    def explanations(self) -> dict[str, str]:
        return {row.column: row.explanation for row in self.to_frame(details=True).itertuples() if row.drifted}

    def summary(self) -> str:
        n = len(self.results)
        drifted = self.drifted_columns
        text = ngettext("{drifted} of {n} column drifted ({share:.0%})", "{drifted} of {n} columns drifted ({share:.0%})", n,
                        drifted=len(drifted), share=self.drift_share)
        if self.correction:
            text += ", " + _("p-values corrected ({correction})",
                             correction=_(CORRECTION_LABELS.get(str(self.correction), str(self.correction))))
        return text + (": " + ", ".join(drifted) if drifted else ".")

    def __repr__(self):
        return f"DriftReport({self.summary()})"

    def plot(self, ax: Axes | None = None) -> Axes:
        """Severity of each column (1 = the threshold of its test); drifted columns in red."""
        if ax is None:
            from matplotlib.figure import Figure

            ax = Figure(figsize=(7, 0.3 * len(self.results) + 1.2), layout="constrained").subplots()
        frame = self.to_frame()[::-1]
        colours = ["#d93025" if d else "#34a853" for d in frame["drifted"]]
        ax.barh(frame["column"].astype(str), np.minimum(frame["severity"], 10), color=colours)
        ax.axvline(1.0, color="#202124", linestyle="--", linewidth=1)
        ax.set_xlabel(_("severity (1 = threshold of the column's test; capped at 10)"))
        ax.set_title(self.summary())
        return ax

    def to_html(self, path: str | os.PathLike[str] | None = None, *, title: str = "Data drift report",
                sources: Sequence[str] = ()) -> str:
        """One self-contained HTML file (inline CSS and SVG, no scripts, no CDN).

        ``sources``: lines saying how the tables were read (file, encoding, delimiter, what was detected).
        """
        if title == "Data drift report":  # the default title, said in the reader's language
            title = _("Data drift report")
        frame = self.to_frame(details=True)
        chart = _severity_chart(frame)
        readings = "".join(f"<li><b>{_html.esc(s.label)}</b>: {_html.esc(s.reading)}</li>"
                           for s in st.STATISTICS.values() if s.name in set(frame["test"]))
        sections = [(None, f"<p class='box {'fail' if self.drifted_columns else 'pass'}'>{_html.esc(self.summary())}</p>"),
                    *_html.sources_section(sources),
                    (_("Columns, drifted first"), chart + _html.table_html(frame[_detail_columns(frame)],
                                                                         true_is_bad=("drifted",), headings=True)),
                    (_("How to read the tests"), f"<ul>{readings}</ul>")]
        if self.notes:
            sections.append((_("Notes"), "<ul>" + "".join(f"<li>{_html.esc(n)}</li>" for n in self.notes) + "</ul>"))
        document = _html.page(title, sections, subtitle=_("reference {reference_rows:,} rows, current {current_rows:,} rows",
                                                          reference_rows=self.reference_rows,
                                                          current_rows=self.current_rows))
        if path is not None:
            from lifecycle_kit._fs import replace_text

            replace_text(path, document)  # a link at ``path`` is replaced, never written through
        return document

    def to_markdown(self, *, sources: Sequence[str] = ()) -> str:
        """The report as Markdown; ``sources``: lines saying how the tables were read."""
        frame = self.to_frame(details=True)
        frame = frame[_detail_columns(frame)]
        heading = _("Data drift report")
        read = "".join(line + "\n" for line in _html.sources_markdown(sources))
        return (f"# {heading}\n\n{_html.md_text(self.summary())}\n\n{read}"
                f"{_html.markdown_table(frame, headings=True)}\n")

    _result_kind = "drift_report"

    def _payload(self):
        return {"summary": self.summary(), "drifted_columns": [str(c) for c in self.drifted_columns],
                "drift_share": self.drift_share, "dataset_drift": self.dataset_drift,
                "dataset_threshold": self.dataset_threshold, "correction": self.correction,
                "reference_rows": self.reference_rows, "current_rows": self.current_rows, "notes": list(self.notes),
                "columns": self.to_frame(details=True)}

    def _repr_html_(self):
        frame = self.to_frame(details=True)
        verdict = _html.verdict_html(not self.drifted_columns, self.summary())
        chart = _severity_chart(frame)
        return verdict + chart + _html.table_html(frame[_detail_columns(frame)],
                                                  true_is_bad=("drifted",), headings=True)


def _severity_chart(frame):
    """Severity bars on one scale (1 = threshold), drawn up to 10; each labelled with its value, never capped."""
    return _html.bar_chart_svg(list(frame["column"].astype(str)), list(frame["severity"]),
                               thresholds=[1.0] * len(frame), passed=[not d for d in frame["drifted"]],
                               xmax=max(2.0, min(10.0, float(frame["severity"].max() or 1))),
                               title=_("Severity (tick: threshold = 1)"), value_format="{:.2f}")


def _is_numeric(series):
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)


def _distinct_up_to(series, limit):
    """Number of distinct values, counted exactly only up to ``limit`` (a sample answers most columns)."""
    head = series.iloc[:10_000].dropna().unique()
    if len(head) >= limit:
        return len(head)
    return int(series.nunique())


def _choose(method, numeric, reference_rows, distinct):
    if method != "auto":
        stat = st.STATISTICS[method]
        if numeric and not stat.numeric:
            return None
        if not numeric and not stat.categorical:
            return None
        return method
    if numeric and distinct > 5:
        return "ks" if reference_rows <= SMALL_REFERENCE else "wasserstein"
    return "chi2" if reference_rows <= SMALL_REFERENCE else "jensen_shannon"


def _explain(ref, cur, numeric):
    if numeric:
        a = pd.to_numeric(ref, errors="coerce")
        b = pd.to_numeric(cur, errors="coerce")
        a, b = a[np.isfinite(a)], b[np.isfinite(b)]
        if a.median() != b.median():
            text = _("median moved from {before:.4g} to {after:.4g}", before=a.median(), after=b.median())
        else:
            text = _("mean moved from {before:.4g} to {after:.4g} (median unchanged at {median:.4g})", before=a.mean(),
                     after=b.mean(), median=a.median())
        if a.std() > 0 and not 0.8 <= b.std() / a.std() <= 1.25:
            text += "; " + _("spread (std) from {before:.3g} to {after:.3g}", before=a.std(), after=b.std())
        return text
    r = pd.Series(ref).astype("string").fillna("<missing>").value_counts(normalize=True)
    c = pd.Series(cur).astype("string").fillna("<missing>").value_counts(normalize=True)
    levels = r.index.union(c.index)
    diff = (c.reindex(levels, fill_value=0) - r.reindex(levels, fill_value=0))
    level = diff.abs().idxmax()
    new = [str(x) for x in c.index if x not in r.index]
    text = _("share of '{level}' went from {before:.1%} to {after:.1%}", level=level, before=r.get(level, 0),
             after=c.get(level, 0))
    if new:
        text += "; " + _("new categories: {categories}", categories=", ".join(new[:3])) + (" ..." if len(new) > 3 else "")
    return text


def _adjust(p_values, correction):
    """Adjusted p-values (Bonferroni, Holm, Benjamini-Hochberg), NaN kept."""
    p = np.asarray(p_values, dtype=float)
    mask = np.isfinite(p)
    m = int(mask.sum())
    out = p.copy()
    if correction is None or m == 0:
        return out
    q = p[mask]
    order = np.argsort(q)
    ranked = q[order]
    if correction == "bonferroni":
        adjusted = np.minimum(q * m, 1.0)
    elif correction == "holm":
        steps = np.maximum.accumulate(ranked * (m - np.arange(m)))
        adjusted = np.empty(m)
        adjusted[order] = np.minimum(steps, 1.0)
    else:
        steps = ranked * m / (np.arange(m) + 1)
        steps = np.minimum.accumulate(steps[::-1])[::-1]
        adjusted = np.empty(m)
        adjusted[order] = np.minimum(steps, 1.0)
    out[mask] = adjusted
    return out


def compare(reference: pd.DataFrame, current: pd.DataFrame, *, columns: Sequence[str] | None = None,
            method: str = "auto", correction: str | None = None,
            thresholds: Mapping[str, float] | None = None) -> DriftReport:
    """Compare every column of ``current`` with ``reference``.

    Parameters
    ----------
    reference, current : pandas.DataFrame
    columns : list of str, default=None
        Columns to compare (all shared columns by default).
    method : {"auto", "ks", "cramer_von_mises", "chi2", "psi", "jensen_shannon", "wasserstein"}, default="auto"
        ``auto`` picks per column by Evidently's default rule: with at most
        1,000 reference rows, Kolmogorov-Smirnov for numbers and chi-square
        for categories (p < 0.05); above that, normalised Wasserstein for
        numbers and Jensen-Shannon for categories (distance > 0.1). Numbers
        with at most five distinct values are treated as categories. Where
        the kit differs from Evidently: Evidently tests two-valued categories
        in small samples with a Z-test of proportions (the kit: chi-square);
        it flags a distance equal to the threshold (the kit: only above it);
        and it bins numbers for Jensen-Shannon and PSI differently (the kit:
        reference deciles). The Jensen-Shannon distance uses natural
        logarithms, as Evidently's (scipy's default); the report also gives
        it in base 2 (``js_base2`` = statistic / sqrt(ln 2), 0 to 1), where
        the same test reads "above 0.12".
    correction : {None, "bonferroni", "holm", "bh"}, default=None
        Multiple-testing correction of the p-values (distances are not affected).
    thresholds : dict, default=None
        ``{test name: threshold}`` overriding the defaults (alpha for tests).

    Returns
    -------
    DriftReport

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> ref = pd.DataFrame({"a": rng.normal(0, 1, 500), "b": rng.normal(0, 1, 500)})
    >>> cur = pd.DataFrame({"a": rng.normal(0.5, 1, 500), "b": rng.normal(0, 1, 500)})
    >>> report = compare(ref, cur)
    >>> report.drifted_columns
    ['a']
    >>> report.explanations()["a"].startswith("median moved from")
    True
    """
    check_choice("method", method, METHODS)
    check_choice("correction", correction, CORRECTIONS)
    for name, frame in (("reference", reference), ("current", current)):
        # Duplicate names would make frame[col] a DataFrame; containers and bytes cannot be counted.
        check_frame(frame, name, allow_empty=True)
        if len(frame) == 0:
            raise LifecycleKitError(f"{name} has no rows")
    limits = {k: s.threshold for k, s in st.STATISTICS.items()}
    for key, value in (thresholds or {}).items():
        if key not in limits:
            raise LifecycleKitError(_("thresholds: unknown test {key}; known: {known}", key=repr(key), known=", ".join(limits)))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise LifecycleKitError(_("thresholds: {key} must be a positive number; got {value}", key=key, value=repr(value)))
        limits[key] = float(value)
    if columns is None:
        columns = [c for c in reference.columns if c in current.columns]
        if not columns:
            raise LifecycleKitError(_("reference and current share no column; check the column names"))
    else:
        columns = list(columns)
    for c in columns:
        for name, frame in (("reference", reference), ("current", current)):
            if c not in frame.columns:
                raise LifecycleKitError(_("column {column} is missing from {name}", column=repr(c), name=name))
    rows, notes = [], []
    for c in columns:
        ref, cur = reference[c], current[c]
        for name, values in (("reference", ref), ("current", cur)):
            if values.isna().all():
                raise LifecycleKitError(_("column {column} is all missing in {name}: nothing to compare", column=repr(c),
                                          name=name))
        numeric = _is_numeric(ref) and _is_numeric(cur)
        if _is_numeric(ref) != _is_numeric(cur):
            notes.append(f"{c}: numbers in one frame and text in the other — compared as categories")
        distinct = _distinct_up_to(ref, 6) if numeric else 0
        test = _choose(method, numeric, len(reference), distinct)
        if test is None:
            notes.append(f"{c}: {method} does not apply to {'numbers' if numeric else 'categories'}; skipped")
            continue
        as_numbers = numeric and test not in ("chi2",) and (method != "auto" or distinct > 5)
        if test == "ks":
            statistic, p = st.kolmogorov_smirnov(ref, cur)
        elif test == "cramer_von_mises":
            statistic, p = st.cramer_von_mises(ref, cur)
        elif test == "chi2":
            statistic, p = st.chi_square(ref, cur)
        elif test == "psi":
            statistic, p = st.psi(ref, cur, numeric=as_numbers), np.nan
        elif test == "jensen_shannon":
            statistic, p = st.jensen_shannon(ref, cur, numeric=as_numbers), np.nan  # natural log, as Evidently
        else:
            statistic, p = st.normalised_wasserstein(ref, cur), np.nan
        rows.append({"column": str(c), "kind": "numeric" if as_numbers else "categorical", "test": test,
                     "statistic": statistic, "p_value": p, "threshold": limits[test],
                     "js_base2": statistic * st.JS_BASE2_FACTOR if test == "jensen_shannon" else np.nan,
                     "explanation": _explain(ref, cur, as_numbers)})
    if not rows:
        raise LifecycleKitError(_("method={method} applies to none of the columns", method=repr(method)))
    frame = pd.DataFrame(rows)
    frame["p_value"] = _adjust(frame["p_value"].to_numpy(), correction)
    is_test = frame["test"].map(lambda t: st.STATISTICS[t].kind == "p_value")
    frame["drifted"] = np.where(is_test, frame["p_value"] < frame["threshold"], frame["statistic"] > frame["threshold"])
    frame["drifted"] = frame["drifted"].astype(bool)
    frame["severity"] = [st.severity(st.STATISTICS[t].kind, s, p, th) if math.isfinite(s) or st.STATISTICS[t].kind == "p_value"
                         else math.inf for t, s, p, th in zip(frame["test"], frame["statistic"], frame["p_value"],
                                                             frame["threshold"])]
    frame.loc[~frame["drifted"], "explanation"] = ""
    frame = frame[REPORT_COLUMNS + ["severity", "js_base2", "explanation"]]
    return DriftReport(results=frame, correction=correction, reference_rows=len(reference), current_rows=len(current),
                       notes=notes)
