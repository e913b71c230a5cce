"""SelfCheck: a question as a small widget with Check and Show solution buttons."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from lifecycle_kit.course.exercises import ChoiceQuestion, NumericQuestion, option_letter
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import _, get_language, language

if TYPE_CHECKING:
    from lifecycle_kit.course.exercises import Feedback, Solution

__all__ = ["SelfCheck", "option_label"]

# Long options wrap instead of being cut off at the edge of the output area: ipywidgets gives radio
# and checkbox labels a fixed line height and no wrapping.
_WRAP_CSS = (
    "<style>.lk-self-check .widget-radio-box label, .lk-self-check .widget-checkbox label"
    "{height:auto;min-height:var(--jp-widgets-radio-item-height, 24px);line-height:1.35;white-space:normal;"
    "overflow-wrap:anywhere;padding:2px 0;align-items:flex-start}"
    ".lk-self-check .widget-radio-box label input, .lk-self-check .widget-checkbox label input{margin-top:3px}"
    ".lk-self-check .widget-radio-box{width:auto;max-width:100%}</style>"
)


#: The layout of a button whose label may be longer in another language: as wide as its text needs.
BUTTON_LAYOUT = {"width": "auto", "min_width": "148px"}


def option_label(key, text, *, position=None, lang=None):
    """What a learner sees for one option: ``"b) text"``, or the text alone when the key is the text.

    The letter is the option's ``position`` in the learner's alphabet (:func:`option_letter`: "б)" in Russian),
    never its key: a key such as ``few_wide`` is an identifier for code, not something to read.

    >>> option_label("b", "Latency"), option_label("station_registry", "station_registry")
    ('b) Latency', 'station_registry')
    >>> option_label("few_wide", "Few wide bins", position=1), option_label("x", "Да", position=1, lang="ru")
    ('b) Few wide bins', 'б) Да')
    """
    if str(key).strip() == str(text).strip():
        return str(text)
    letter = option_letter(position, lang=lang) if position is not None else str(key)
    return f"{letter}) {text}"


class SelfCheck:
    """Ask a choice or numeric question in a widget; feedback appears under it.

    Parameters
    ----------
    question : ChoiceQuestion or NumericQuestion
    lang : str, default=None
        The language of the buttons, labels and feedback (see
        :mod:`lifecycle_kit.i18n`); by default the kit's current language when
        the box is made.

    A right answer shows why it is right (the question's explanation), not
    only "Correct". The numeric answer box reads a decimal comma ("0,34") as a
    decimal separator and "34 %" as 0.34.

    Attributes
    ----------
    answer : ipywidgets widget
        RadioButtons (single choice), a column of Checkboxes (multiple choice) or Text (numeric).
    result : Feedback or Solution or None
        What the last button press produced.

    Examples
    --------
    >>> from lifecycle_kit.course.exercises import ChoiceQuestion
    >>> q = ChoiceQuestion("2 + 2?", options={"a": "4", "b": "5"}, correct="a")
    >>> box = SelfCheck(q)
    >>> box.check().status
    'unanswered'
    >>> box.set_answer("a"); box.check().status
    'correct'
    """

    def __init__(self, question: ChoiceQuestion | NumericQuestion, *, lang: str | None = None) -> None:
        import ipywidgets as widgets

        if not isinstance(question, (ChoiceQuestion, NumericQuestion)):
            raise LifecycleKitError(_("SelfCheck shows choice and numeric questions; {kind} is answered in code",
                                      kind=type(question).__name__))
        self.question = question
        self.lang = get_language(lang)
        with language(self.lang):
            self._build(widgets, question)

    def _build(self, widgets, question):
        from lifecycle_kit.labs.accessibility import accessibility_helper, language_class

        if isinstance(question, NumericQuestion):
            self.answer = widgets.Text(placeholder=_("your number, e.g. 0,25 or 0.25"), description=_("Answer"),
                                       layout={"width": "320px"})
        elif question.multiple:
            self._boxes = {k: widgets.Checkbox(value=False, description=option_label(k, _(text), position=i),
                                               indent=False, layout={"width": "auto", "max_width": "100%"})
                           for i, (k, text) in enumerate(question.options.items())}
            self.answer = widgets.VBox(list(self._boxes.values()), layout={"max_width": "100%"})
        else:
            labels = [(option_label(k, _(text), position=i), k) for i, (k, text) in enumerate(question.options.items())]
            self.answer = widgets.RadioButtons(options=labels, value=None, layout={"width": "auto", "max_width": "100%"})
        # A button sized to its label, never less than ipywidgets' 148 px: "Показать решение" is 149 px of text.
        self.check_button = widgets.Button(description=_("Check"), button_style="primary", icon="",
                                           layout=BUTTON_LAYOUT)
        self.solution_button = widgets.Button(description=_("Show solution"), icon="", layout=BUTTON_LAYOUT)
        self.feedback = widgets.HTML()
        self.feedback.add_class("lk-feedback-box")
        self.answer.add_class("lk-answer")
        self.check_button.on_click(lambda _button: self.check())
        self.solution_button.on_click(lambda _button: self.reveal())
        self.result = None
        label = _("Question.")
        prompt = widgets.HTML(_WRAP_CSS + f"<b>{label}</b> {html.escape(_(question.prompt))}")
        prompt.add_class("lk-question")
        # The helper groups the options under the question and makes the feedback a live region.
        self.widget = widgets.VBox([
            prompt,
            self.answer,
            widgets.HBox([self.check_button, self.solution_button]),
            self.feedback,
            accessibility_helper(),
        ])
        self.widget.add_class("lk-self-check")
        self.widget.add_class(language_class(self.lang))

    def current_answer(self) -> Any:
        if isinstance(self.question, NumericQuestion):
            return self.answer.value
        if self.question.multiple:
            picked = [k for k, box in self._boxes.items() if box.value]
            return picked or None
        return self.answer.value

    def set_answer(self, value: Any) -> None:
        """Set the answer control as a learner would (a key, a list of keys, or a number)."""
        if isinstance(self.question, NumericQuestion):
            self.answer.value = "" if value is None else str(value)
        elif self.question.multiple:
            chosen = set(value or ())
            for k, box in self._boxes.items():
                box.value = k in chosen
        else:
            self.answer.value = value

    def check(self) -> Feedback:
        self.result = self.question.check(self.current_answer(), lang=self.lang)
        self.feedback.value = self.result._repr_html_()
        return self.result

    def reveal(self) -> Solution:
        self.result = self.question.solution(lang=self.lang)
        self.feedback.value = self.result._repr_html_()
        return self.result

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
