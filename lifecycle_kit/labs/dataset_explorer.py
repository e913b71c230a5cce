"""DatasetExplorer: pick a dataset, see its card and what is really in it."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from lifecycle_kit.labs.base import Lab

if TYPE_CHECKING:
    from lifecycle_kit.profiling import DatasetOverview

__all__ = ["DatasetExplorer"]


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

    title = "Dataset explorer"
    intro = ("Pick a dataset. Compare the <i>missing</i> column (what pandas sees) with "
             "<i>disguised_missing</i> (tokens such as '?' that also mean unknown).")

    def __init__(self, *, dataset: str = "adult", preview_rows: int = 5) -> None:
        self._initial = (dataset, preview_rows)
        super().__init__()

    def _make_controls(self):
        import ipywidgets as widgets

        from lifecycle_kit.datasets import list_datasets

        names = list(list_datasets()["name"])
        dataset, rows = self._initial
        return {
            "dataset": widgets.Dropdown(options=names, value=dataset, description="Dataset"),
            "preview_rows": widgets.IntSlider(value=rows, min=1, max=20, description="Preview rows"),
        }

    def compute(self, dataset: str, preview_rows: int) -> DatasetOverview:
        from lifecycle_kit.datasets import load
        from lifecycle_kit.profiling import overview

        return overview(load(dataset), preview_rows=preview_rows)

    def summarize(self, result: DatasetOverview) -> str:
        return (
            f"<b>{html.escape(result.card['title'])}</b>: {result.rows:,} rows × {result.columns} feature columns; "
            f"{result.missing_cells:,} missing cells, {result.disguised_missing_cells:,} disguised as tokens, "
            f"{result.duplicate_rows:,} duplicate rows. Licence: {html.escape(result.card['licence'])}."
        )

    def render(self, result: DatasetOverview) -> list[Any]:
        card = result.card
        return [
            f"<p><b>Source:</b> {html.escape(card['source'])} — <code>{html.escape(card['source_url'])}</code><br>"
            f"<b>Citation:</b> {html.escape(card['citation'])}<br>"
            f"<b>Task:</b> {html.escape(card['task'])}; <b>target:</b> <code>{html.escape(card['target'])}</code></p>",
            result.profile,
            result.preview,
        ]
