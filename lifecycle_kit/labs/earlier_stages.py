"""EarlierStages: the quick questions on earlier stages a stage notebook opens with, each in a SelfCheck box."""

from __future__ import annotations

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import _, get_language, language

__all__ = ["EarlierStages"]


class EarlierStages:
    """A stage notebook's questions on earlier stages (keys ``recall_...``), one :class:`SelfCheck` each.

    They come from the course's item bank (:mod:`lifecycle_kit.course.assessment`):
    retrieval practice, asked at the top of every stage notebook from 02 on. They are
    recorded in the progress file like every self-check, and a wrong answer puts its
    objective on the list to revisit.

    Parameters
    ----------
    notebook : str
        The stage notebook (``"05_data_preparation"``), 02 to the capstone.
    lang : str, default=None

    Attributes
    ----------
    checks : list of SelfCheck

    Examples
    --------
    >>> box = EarlierStages("05_data_preparation")
    >>> [check.question.key for check in box.checks]
    ['recall_04_backdoor_clean_accuracy', 'recall_02_public_data_integrity']
    >>> first = box.checks[0]
    >>> first.set_answer(first.question.item.correct); first.check().status
    'correct'
    """

    def __init__(self, notebook: str, *, lang: str | None = None) -> None:
        import ipywidgets as widgets

        from lifecycle_kit.course.selfchecks import for_notebook
        from lifecycle_kit.labs.self_check import SelfCheck

        self.lang = get_language(lang)
        from lifecycle_kit.course.exercises import ChoiceQuestion

        questions = [q for key, q in for_notebook(notebook).items()
                     if key.startswith("recall_") and isinstance(q, ChoiceQuestion)]
        if not questions:
            with language(self.lang):
                raise LifecycleKitError(_("{notebook} has no questions on earlier stages (they open the stage "
                                          "notebooks from 02 on)", notebook=notebook))
        self.checks = [SelfCheck(question, lang=self.lang) for question in questions]
        self.widget = widgets.VBox([check.widget for check in self.checks])
        self.widget.add_class("lk-earlier-stages")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
