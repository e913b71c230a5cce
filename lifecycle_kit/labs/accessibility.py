"""What ipywidgets leaves out for screen readers, set from the kit's side by a small anywidget module.

ipywidgets 8.1 gives a slider's handle no accessible name (its label is not tied to it) and cannot make an HTML
widget a live region (upstream: jupyter-widgets/ipywidgets#2650). Every lab and self-check therefore shows one
hidden helper widget (:func:`accessibility_helper`, one model per session). Its JavaScript, ``accessibility.js`` beside this file, run
by anywidget in JupyterLab, Voila and Notebook 7 (offline), labels the sliders with their visible labels, groups
toggle buttons and a question's options, makes the lab's summary and a self-check's feedback polite live regions,
and sets the lab's language on its element. docs/accessibility.md says what this covers and what it does not.
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["accessibility_helper", "language_class"]

_ESM = Path(__file__).with_name("accessibility.js")


@functools.cache
def _helper_class():
    # Imported on first use, as ipywidgets is: the labs' modules stay light to import.
    import anywidget

    class AccessibilityHelper(anywidget.AnyWidget):
        """Hidden; sets accessible names and live regions on the lab or self-check each of its views sits in."""

        _esm = _ESM.read_text(encoding="utf-8")

    return AccessibilityHelper


@functools.cache
def _shared_helper():
    # One model for the whole session, shown once in every lab: a page of many labs then loads one module, not one
    # per lab (in Voila, dozens of anywidget models loading at once left the labs that held them undrawn).
    return _helper_class()(layout={"display": "none"})


def accessibility_helper(lang: str):
    """The hidden helper widget to put in a lab's or self-check's box; ``lang`` is set on the box as a class.

    The helper reads the language from the box's ``lk-lang-<code>`` class (every lab shares one helper).

    >>> helper = accessibility_helper("ru")
    >>> helper is accessibility_helper("en"), helper.layout.display
    (True, 'none')
    """
    return _shared_helper()


def language_class(lang: str) -> str:
    """The class that tells the helper a lab's language: ``lk-lang-ru``."""
    return f"lk-lang-{lang}"
