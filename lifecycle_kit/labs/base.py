"""The lab base class: controls in, a computed ``result`` out, redrawn on every change.

A lab is tested without a browser: set ``lab.controls["name"].value`` and read
``lab.result``. Each change recomputes from *all* current control values (never
from the previous result), so a control moved twice, or moved back, gives the
same result as a fresh lab with those values.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_, _, get_language, language

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Lab", "SliderReadout", "align_controls", "in_kernel", "localise_frame", "new_figure", "number",
           "with_readout"]


def in_kernel():
    """True inside a Jupyter kernel (where an Output widget can show anything)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def new_figure(*, width=6.4, height=3.6, ncols=1, nrows=1):
    """A matplotlib Figure and its axes, without pyplot's global state."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows=nrows, ncols=ncols)
    return fig, axes


def _displayable(item):
    """What ``update`` displays for one item of ``render``: HTML for strings, tables and figures.

    A DataFrame or Series is shown as a :class:`lifecycle_kit.display.Table` (headers, values and numbers in the
    reader's language; header cells with scope, no empty header; a wide one scrolls sideways), a matplotlib Figure as an image whose text alternative is its ``lk_description`` attribute (set
    it when drawing: what the figure shows, with its numbers) or, failing that, its titles.
    """
    import pandas as pd
    from IPython.display import HTML
    from matplotlib.figure import Figure

    from lifecycle_kit._html import esc, wide_region

    if isinstance(item, Figure):
        import base64
        import io

        buffer = io.BytesIO()
        item.savefig(buffer, format="png", dpi=90)
        titles = [item.get_suptitle()] + [ax.get_title() for ax in item.axes]
        alt = getattr(item, "lk_description", "") or "; ".join(t for t in titles if t) or _("Chart")
        data = base64.b64encode(buffer.getvalue()).decode("ascii")
        return HTML(f"<img src='data:image/png;base64,{data}' alt='{esc(alt)}' style='max-width:100%'>")
    if isinstance(item, str):
        return HTML(item)
    if isinstance(item, (pd.DataFrame, pd.Series)):
        # pandas writes 0.25 and True whatever the reader's language: the kit's table writes 0,25 and «да» in Russian,
        # its header cells with scope, in a region that scrolls sideways when the table is wide.
        from lifecycle_kit.display import Table

        table = Table(item)
        return HTML(wide_region(table._repr_html_(), table.to_frame()))
    return item


def _in_lab_language(method: Callable[..., Any]) -> Callable[..., Any]:
    import functools

    @functools.wraps(method)
    def in_language(self: Lab, *args: Any, **kwargs: Any) -> Any:
        with language(getattr(self, "lang", None)):
            return method(self, *args, **kwargs)

    return in_language


class Lab:
    """Base class of every interactive lab.

    Subclasses define

    - ``_make_controls(self) -> dict`` of ipywidgets (names are the keyword
      arguments of ``compute``);
    - ``compute(self, **values) -> result`` calling the core only;
    - ``summarize(self, result) -> str``: one short HTML line of the key numbers;
    - ``render(self, result) -> list``: what to show below the summary — HTML
      strings, DataFrames, matplotlib Figures (from :func:`new_figure`). It
      only builds them; ``update`` displays them when running in a kernel, so
      tests exercise the drawing code without a display.

    Parameters
    ----------
    lang : str, default=None
        The language the lab speaks (see :mod:`lifecycle_kit.i18n`); by default
        the kit's language when the lab is made. It is fixed then: a slider
        moved later redraws the lab in the same language.

    Attributes
    ----------
    lang : str
        The language of the lab's labels, summary and drawings.
    controls : dict of ipywidgets.Widget
    output : ipywidgets.Output
    summary : ipywidgets.HTML
        The key computed numbers, refreshed on every change.
    result : object
        What the last ``update()`` computed.
    error : str or None
        The message of a :class:`LifecycleKitError` raised by the last compute.
    """

    # Shown through the catalog: a subclass marks its title and intro with N_() and they appear translated.
    title: str = N_("Lab")
    intro: str = ""
    cache_size = 64
    result: Any  # the last computed result; None after an error
    error: str | None  # that error's message
    _cache: OrderedDict[tuple[Any, ...], Any]  # recent results by control values, oldest first

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A subclass's drawing methods speak the lab's language whoever calls them: update(), a test, a notebook.
        for name in ("_make_controls", "summarize", "render"):
            if name in cls.__dict__:
                setattr(cls, name, _in_lab_language(cls.__dict__[name]))

    def __init__(self, *, lang: str | None = None) -> None:
        self.lang = get_language(lang)
        with language(self.lang):
            self._build()

    def _build(self) -> None:
        import ipywidgets as widgets

        self.controls = self._make_controls()
        align_controls(self.controls)
        self.output = widgets.Output()
        self.summary = widgets.HTML()
        self.summary.add_class("lk-summary")
        self.result = None
        self.error = None
        self.updates = 0
        self._cache = OrderedDict()
        for control in self.controls.values():
            if hasattr(control, "value"):
                control.observe(self._on_change, names="value")
        self._widget = None
        self.update()

    # subclasses -----------------------------------------------------------------
    def _make_controls(self):
        raise NotImplementedError

    # Each lab names its own controls as compute's parameters; *args: Any, **values: Any lets
    # mypy accept any such signature in a subclass.
    def compute(self, *args: Any, **values: Any) -> Any:
        raise NotImplementedError

    def summarize(self, result: Any) -> str:
        return ""

    def render(self, result: Any) -> list[Any]:
        return []

    # machinery ------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """Current control values, keyed like ``compute``'s arguments."""
        return {name: c.value for name, c in self.controls.items() if hasattr(c, "value")}

    def _cache_key(self, values):
        return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in values.items()))

    def _compute_cached(self, values):
        key = self._cache_key(values)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        result = self.compute(**values)
        self._cache[key] = result
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return result

    def update(self) -> Any:
        """Recompute from the current controls, store ``result`` and redraw. Returns the result."""
        with language(self.lang):  # a callback fired by a slider runs outside the lab's construction
            return self._update()

    def _update(self) -> Any:
        from IPython.display import clear_output

        self.updates += 1
        try:
            self.result = self._compute_cached(self.values())
            self.error = None
        except LifecycleKitError as err:
            # A combination of controls the core rejects: say why, keep the lab alive.
            self.result = None
            self.error = str(err)
        if self.error is not None:
            self.summary.value = f'<span class="lk-error" style="color:#a50e0e">⚠ {self.error}</span>'
        else:
            self.summary.value = self.summarize(self.result)
        items = [] if self.error is not None else list(self.render(self.result) or [])
        if in_kernel():
            from IPython.display import display

            with self.output:
                clear_output(wait=True)
                for item in items:
                    display(_displayable(item))
        return self.result

    def _on_change(self, change):
        self.update()

    def _controls_box(self):
        import ipywidgets as widgets

        return widgets.VBox([with_readout(c) for c in self.controls.values()])

    @property
    def widget(self):
        """The whole lab as one widget: title, controls, summary, output."""
        import ipywidgets as widgets

        if self._widget is None:
            from lifecycle_kit.labs.accessibility import accessibility_helper, language_class

            with language(self.lang):
                title, intro = _(self.title), _(self.intro)
            header = widgets.HTML(f"<h3 style='margin:4px 0'>{title}</h3>"
                                  + (f"<p style='margin:2px 0'>{intro}</p>" if intro else ""))
            # The helper names the sliders and makes the summary a live region (see labs/accessibility.py).
            self._widget = widgets.VBox([header, self._controls_box(), self.summary, self.output,
                                         accessibility_helper()])
            self._widget.add_class("lk-lab")
            self._widget.add_class(language_class(self.lang))
            self._widget.add_class(f"lk-{type(self).__name__.lower()}")
        return self._widget

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def number(value: float, spec: str = "") -> str:
    """``format(value, spec)`` with the decimal separator of the current language.

    >>> from lifecycle_kit.i18n import language
    >>> number(0.9123, ".3f")
    '0.912'
    >>> with language("ru"):
    ...     number(0.9123, ".3f")
    '0,912'
    """
    from lifecycle_kit.i18n import decimal_separator

    text = format(value, spec)
    separator = decimal_separator()
    return text if separator == "." or isinstance(value, (bool, int)) else text.replace(".", separator)


def localise_frame(frame: pd.DataFrame, columns: Mapping[str, str] | None = None, *, values: Sequence[str] = (),
                   index: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` for display, its column headers (and the named columns' values) in the lab's language.

    ``columns`` maps a column to its English display label, marked with ``N_``
    where it is written; a column not in it keeps its name. ``values`` names the
    columns whose cells are English phrases of the catalog. ``lab.result`` keeps
    the core's frame: only what is shown is renamed.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"flag": ["relevant"], "n": [1]})
    >>> localise_frame(frame, {"flag": N_("flag")}, values=["flag"]).columns.tolist()
    ['flag', 'n']
    """
    shown = frame.copy()
    for column in values:
        if column in shown.columns:
            shown[column] = [_(v) if isinstance(v, str) and v else v for v in shown[column]]
    if index:
        shown.index = [_(v) if isinstance(v, str) and v else v for v in shown.index]
    if columns:
        shown = shown.rename(columns={k: _(v) for k, v in columns.items()})
    return shown


# About the width of one character of a widget label (13 px sans-serif, mixed case), used to size labels and
# dropdowns before the browser lays them out; tests/browser/test_lab_layout.py checks that nothing is clipped.
_CHAR_PX = 7.6
_TRACK_PX = 300  # a slider's track and readout


def _text_px(text):
    # Cyrillic letters are wider than the Latin average _CHAR_PX stands for (a Russian label was cut off).
    return int(sum(_CHAR_PX * (1.16 if "\u0400" <= ch <= "\u04ff" else 1.0) for ch in str(text))) + 14


def align_controls(controls):
    """One label width for every labelled control of a lab, wide enough for the longest label.

    Sliders then start at the same x (their rows line up), no label is cut
    off ("Preview r…"), and each dropdown or list is widened so its longest
    option shows whole. Checkboxes keep their label after the box.

    >>> import ipywidgets as widgets
    >>> controls = {"a": widgets.IntSlider(description="Rows"),
    ...             "b": widgets.Dropdown(options=["x", "a long option"], description="Attacker's target")}
    >>> align_controls(controls)
    >>> controls["a"].style.description_width == controls["b"].style.description_width
    True
    """
    import ipywidgets as widgets

    labelled = [c for c in controls.values()
                if getattr(c, "description", "") and hasattr(c, "style") and hasattr(c.style, "description_width")
                and not isinstance(c, (widgets.Checkbox, widgets.ToggleButtons, widgets.Button))]
    if not labelled:
        return
    label_px = max(_text_px(c.description) for c in labelled)
    for control in labelled:
        control.style.description_width = f"{label_px}px"
        if isinstance(control, (widgets.Dropdown, widgets.SelectMultiple, widgets.Select)):
            longest = max((_text_px(o) for o in control._options_labels), default=0)
            control.layout.width = f"{label_px + max(200, longest + 40)}px"
        elif isinstance(control, (widgets.IntSlider, widgets.FloatSlider, widgets.SelectionSlider,
                                  widgets.IntRangeSlider, widgets.FloatRangeSlider, widgets.FloatLogSlider)):
            control.layout.width = f"{label_px + _TRACK_PX}px"


# Control factories: sliders report only when released, so a drag costs one recomputation.
def float_slider(description, value, low, high, step, *, readout_format=".2f"):
    """A FloatSlider whose value is shown (and can be typed) with the decimal separator of the lab's language.

    ipywidgets formats a slider's readout in the browser, with a point whatever the language ("0.25" beside
    Russian text): the slider's own readout is switched off and a text box the kernel fills takes its place
    (:func:`with_readout` puts it beside the slider). It reads "0,25", "0.25" and "25 %"; a number out of range
    goes to the nearest end, one between steps to the nearest step, and anything else is put back.
    """
    import ipywidgets as widgets

    slider = widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                                 continuous_update=False, readout=False, readout_format=readout_format,
                                 style={"description_width": "initial"}, layout={"width": "420px"})
    slider._lk_readout = SliderReadout(slider, readout_format)
    return slider


class SliderReadout:
    """The text box beside a :func:`float_slider`: the value in the language the slider was made in, editable."""

    def __init__(self, slider, spec):
        import ipywidgets as widgets

        self.slider, self.spec, self.lang = slider, spec, get_language()
        self.box = widgets.Text(value=self.text(slider.value), continuous_update=False,
                                layout={"width": "64px"})
        self.box.add_class("lk-readout")
        slider.observe(lambda change: self._show(), names="value")
        self.box.observe(self._typed, names="value")

    def text(self, value):
        from lifecycle_kit.i18n import format_value

        return format_value(float(value), self.spec, self.lang)

    def _show(self):
        shown = self.text(self.slider.value)
        if self.box.value != shown:
            self.box.value = shown

    def _typed(self, change):
        from lifecycle_kit.course.exercises import parse_number

        try:
            typed, _note = parse_number(change["new"], lang=self.lang)
        except (ValueError, TypeError):
            self._show()  # not a number: the slider keeps its value, the box shows it again
            return
        low, high, step = self.slider.min, self.slider.max, self.slider.step
        snapped = low + round((min(max(typed, low), high) - low) / step) * step
        self.slider.value = min(max(round(snapped, 10), low), high)
        self._show()


def with_readout(control):
    """``control`` with the readout box of a :func:`float_slider` beside it (other controls as they are)."""
    readout = getattr(control, "_lk_readout", None)
    if readout is None:
        return control
    import ipywidgets as widgets

    row = widgets.HBox([control, readout.box], layout={"align_items": "center"})
    row.add_class("lk-slider-row")
    return row


def int_slider(description, value, low, high, step=1):
    import ipywidgets as widgets

    return widgets.IntSlider(value=value, min=low, max=high, step=step, description=description,
                             continuous_update=False, style={"description_width": "initial"},
                             layout={"width": "420px"})


def dropdown(description, options, value):
    import ipywidgets as widgets

    return widgets.Dropdown(options=options, value=value, description=description,
                            style={"description_width": "initial"}, layout={"width": "420px"})


def checkbox(description, value):
    import ipywidgets as widgets

    return widgets.Checkbox(value=value, description=description, indent=False, layout={"width": "auto"})


def slider_values(control):
    """Every value a slider can take (for tests that sweep a control across its range)."""
    import numpy as np

    if hasattr(control, "options"):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        if isinstance(control.value, tuple):  # a multiple selection: none, each alone, all
            return [()] + [(o,) for o in options] + [tuple(options)]
        return options
    if isinstance(control.value, bool):
        return [False, True]
    count = int(round((control.max - control.min) / control.step)) + 1
    values = np.linspace(control.min, control.max, count)
    return [int(v) for v in values] if isinstance(control.value, int) else [round(float(v), 10) for v in values]
