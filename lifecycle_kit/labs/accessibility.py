"""What ipywidgets leaves out for screen readers, set from the kit's side by a small anywidget module.

ipywidgets 8.1 gives a slider's handle no accessible name (its label is not tied to it) and cannot make an HTML
widget a live region (upstream: jupyter-widgets/ipywidgets#2650). Each lab and self-check therefore carries one
hidden helper widget (:func:`accessibility_helper`). Its JavaScript, ``accessibility.js`` beside this file, run
by anywidget in JupyterLab, Voila and Notebook 7 (offline), labels the sliders with their visible labels, groups
toggle buttons and a question's options, makes the lab's summary and a self-check's feedback polite live regions,
and sets the lab's language on its element. docs/accessibility.md says what this covers and what it does not.
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["accessibility_helper"]

_ESM = Path(__file__).with_name("accessibility.js")


@functools.cache
def _helper_class():
    # Imported on first use, as ipywidgets is: the labs' modules stay light to import.
    import anywidget
    import traitlets

    class AccessibilityHelper(anywidget.AnyWidget):
        """Hidden; sets accessible names and live regions on the lab or self-check it sits in."""

        _esm = _ESM.read_text(encoding="utf-8")
        lang = traitlets.Unicode("en").tag(sync=True)

    return AccessibilityHelper


def accessibility_helper(lang: str):
    """A hidden helper widget for a lab or self-check speaking ``lang``; put it in the lab's box.

    >>> helper = accessibility_helper("ru")
    >>> helper.lang, helper.layout.display
    ('ru', 'none')
    """
    return _helper_class()(lang=lang, layout={"display": "none"})
