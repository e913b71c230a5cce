"""DatasetExplorer: pick a dataset, see its card and what is really in it."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from lifecycle_kit.i18n import N_, _, pgettext
from lifecycle_kit.labs.base import Lab

if TYPE_CHECKING:
    from lifecycle_kit.profiling import DatasetOverview

__all__ = ["DatasetExplorer"]

# The profile's columns as the learner reads them (the intro names "missing" and "disguised_missing"); a context of
# their own, as "missing" is also what a manifest says of a file that is gone.
def profile_columns() -> dict[str, str]:
    return {"column": pgettext("profile column", "column"), "dtype": pgettext("profile column", "dtype"),
            "non_null": pgettext("profile column", "non_null"), "missing": pgettext("profile column", "missing"),
            "disguised_missing": pgettext("profile column", "disguised_missing"),
            "distinct": pgettext("profile column", "distinct"), "example": pgettext("profile column", "example")}


class DatasetExplorer(Lab):
    """Browse the carried datasets: card, licence, preview and a live profile.

    Every number shown (rows, columns, missing and disguised-missing counts,
    duplicates) is computed from the loaded data when the dataset is picked;
    the file's SHA-256 has been checked against its card before that.

    Parameters
    ----------
    dataset : str, default="adult"
    preview_rows : int, default=5

    Examples
    --------
    >>> lab = DatasetExplorer(dataset="penguins")
    >>> lab.result.rows, lab.result.missing_cells
    (344, 19)
    """

    title = N_("Dataset explorer")
    intro = N_("Pick a dataset. Compare the <i>missing</i> column (what pandas sees) with "
               "<i>disguised_missing</i> (tokens such as '?' that also mean unknown).")

    def __init__(self, *, dataset: str = "adult", preview_rows: int = 5, lang: str | None = None) -> None:
        self._initial = (dataset, preview_rows)
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        from lifecycle_kit.datasets import list_datasets

        names = list(list_datasets()["name"])
        dataset, rows = self._initial
        return {
            "dataset": widgets.Dropdown(options=names, value=dataset, description=_("Dataset")),
            "preview_rows": widgets.IntSlider(value=rows, min=1, max=20, description=_("Preview rows")),
        }

    def compute(self, dataset: str, preview_rows: int) -> DatasetOverview:
        from lifecycle_kit.datasets import load
        from lifecycle_kit.profiling import overview

        return overview(load(dataset), preview_rows=preview_rows)

    def summarize(self, result: DatasetOverview) -> str:
        from lifecycle_kit.datasets._load import card_text

        title = f"<b>{html.escape(result.card['title'])}</b>"
        return _("{title}: {rows:,} rows × {columns} feature columns; {missing:,} missing cells, {disguised:,} "
                 "disguised as tokens, {duplicates:,} duplicate rows. Licence: {licence}.",
                 title=title, rows=result.rows, columns=result.columns,
                 missing=result.missing_cells, disguised=result.disguised_missing_cells,
                 duplicates=result.duplicate_rows,
                 licence=html.escape(card_text("licence", result.card["licence"])))

    def render(self, result: DatasetOverview) -> list[Any]:
        from lifecycle_kit.datasets._load import card_text

        card = result.card
        heads = {"source": _("Source:"), "citation": _("Citation:"), "task": _("Task:"), "target": _("target:")}
        # The task and the source are said in the lab's language; the citation is quoted as published.
        return [
            f"<p><b>{heads['source']}</b> {html.escape(card_text('source', card['source']))} — "
            f"<code>{html.escape(card['source_url'])}</code><br>"
            f"<b>{heads['citation']}</b> {html.escape(card['citation'])}<br>"
            f"<b>{heads['task']}</b> {html.escape(card_text('task', card['task']))}; <b>{heads['target']}</b> "
            f"<code>{html.escape(card['target'])}</code></p>",
            result.profile.rename(columns=profile_columns()),
            result.preview,
        ]
