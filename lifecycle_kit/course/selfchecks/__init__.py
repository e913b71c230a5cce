"""The self-check questions of each notebook, kept in the package so they are tested.

Each module holds one notebook's questions; :func:`for_notebook` returns them
as a dict keyed by a short name. Expected answers that depend on data are
computed from the data when first checked, never typed in.

The assessment items live in :mod:`~lifecycle_kit.course.selfchecks.item_bank`:
``for_notebook("pre_test")`` and ``for_notebook("post_test")`` are its two
parallel forms, and a stage notebook's questions include its recall questions
(``recall_...``), see :mod:`lifecycle_kit.course.assessment`.

>>> from lifecycle_kit.course.selfchecks import for_notebook
>>> sorted(for_notebook("00_start_here"))
['free_licence', 'isna_blind_spot', 'leaky_columns', 'safety_parts', 'trust_stage', 'who_says_what']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from lifecycle_kit.course import progress as _progress  # noqa: F401 - listens to answers: recording is on
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import _

if TYPE_CHECKING:
    from lifecycle_kit.course.exercises import Question

__all__ = ["for_notebook", "notebooks"]

_MODULES = {
    "pre_test": "pre_test",
    "00_start_here": "start_here",
    "01_conception": "conception",
    "02_business_requirements": "business_requirements",
    "03_data_planning": "data_planning",
    "04_data_acquisition": "data_acquisition",
    "05_data_preparation": "data_preparation",
    "06_model_building": "model_building",
    "07_system_deployment": "system_deployment",
    "08_system_operation": "system_operation",
    "09_data_decommissioning": "data_decommissioning",
    "10_system_decommissioning": "system_decommissioning",
    "11_capstone_multi_source": "capstone",
    "12_closing": "closing",
    "post_test": "post_test",
}


def for_notebook(notebook: str) -> dict[str, Question]:
    """Questions of one notebook (name with or without ``.ipynb``), as ``{key: Question}``."""
    name = str(notebook).removesuffix(".ipynb")
    if name not in _MODULES:
        raise LifecycleKitError(_("no self-checks for notebook {notebook!r}; known: {names}", notebook=notebook,
                                  names=", ".join(_MODULES)))
    from lifecycle_kit.course.assessment import recall_questions

    questions = importlib.import_module(f"lifecycle_kit.course.selfchecks.{_MODULES[name]}").questions()
    questions.update(recall_questions(name))  # a stage notebook from 02 on opens with questions on earlier stages
    for key, q in questions.items():
        q.key = key
        q.notebook = name  # with the key, the question records each check in the learner's progress file
    return questions


def notebooks() -> list[str]:
    """Names of the notebooks that have self-checks."""
    return list(_MODULES)
