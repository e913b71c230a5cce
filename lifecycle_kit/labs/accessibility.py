"""What ipywidgets leaves out for screen readers, set from the kit's side by a small anywidget module.

ipywidgets 8.1 gives a slider's handle no accessible name (its label is not tied to it) and cannot make an HTML
widget a live region (upstream: jupyter-widgets/ipywidgets#2650). Every lab and self-check therefore shows one
hidden helper widget (:func:`accessibility_helper`, one model per session). Its JavaScript (``accessibility.js``
beside this file, run by anywidget in JupyterLab, Voila and Notebook 7, offline) labels the sliders with their
visible labels, groups toggle buttons and a question's options, makes the lab's summary and a self-check's
feedback polite live regions, sets the lab's language on its element, and keeps JupyterLab's notebook shortcuts
from taking the keys of a focused control. docs/accessibility.md says what this covers and what it does not.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

__all__ = ["accessibility_helper", "language_class"]

_ESM = Path(__file__).with_name("accessibility.js")


@functools.cache
def _helper_class() -> Any:
    # Imported on first use, as ipywidgets is: the labs' modules stay light to import.
    import anywidget

    class AccessibilityHelper(anywidget.AnyWidget):
        """Hidden; sets accessible names and live regions on the lab or self-check each of its views sits in."""

        _esm = _ESM.read_text(encoding="utf-8")

    return AccessibilityHelper


@functools.cache
def accessibility_helper() -> Any:
    """The hidden helper widget to put in a lab's or self-check's box: one model for the whole session.

    A page of many labs then holds one model and one copy of the module, not one per lab. Each view of it looks
    after the box it is in; the box's language comes from its ``lk-lang-<code>`` class (:func:`language_class`).

    >>> helper = accessibility_helper()
    >>> helper is accessibility_helper(), helper.layout.display
    (True, 'none')
    """
    return _helper_class()(layout={"display": "none"})


def language_class(lang: str) -> str:
    """The class that tells the helper a lab's language: ``lk-lang-ru``."""
    return f"lk-lang-{lang}"
