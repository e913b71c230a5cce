"""The course that teaches the kit: its stage map, questions, checkers, progress and class report.

The domain packages (:mod:`lifecycle_kit.quality`, :mod:`lifecycle_kit.drift`,
:mod:`lifecycle_kit.poisoning`, :mod:`lifecycle_kit.integrity`,
:mod:`lifecycle_kit.platform`, ...) know nothing of the course; this package sits
above them and below the labs.

- :mod:`~lifecycle_kit.course.citations`: how the course cites its two sources.
- :mod:`~lifecycle_kit.course.stages`: the ten stages of ISO/IEC 8183 and the
  capstone, as the course maps them to notebooks and labs.
- :mod:`~lifecycle_kit.course.exercises`: questions with feedback (numbers,
  choices, checks) and :mod:`~lifecycle_kit.course.code_exercises`, whose
  answer is a function the checker runs on cases the learner does not see and
  compares with the solution on inputs made by
  :mod:`~lifecycle_kit.course.generated_inputs` (a seeded generator and shrinker).
- :mod:`~lifecycle_kit.course.selfchecks`: every notebook's questions;
  :mod:`~lifecycle_kit.course.investigation`: the capstone's investigation (commit a suspect before the
  evidence, review the flags, reveal the truth).
- :mod:`~lifecycle_kit.course.events`: what a question tells its listeners when
  it is answered; :mod:`~lifecycle_kit.course.progress` listens and records it
  in the learner's progress file; :mod:`~lifecycle_kit.course.summary` sums
  a learner's progress per notebook.
- :mod:`~lifecycle_kit.course.assessment`: the pre-test, the post-test and the
  questions on earlier stages, from the item bank
  (:mod:`~lifecycle_kit.course.selfchecks.item_bank`), sealed until the
  post-test is done; :mod:`~lifecycle_kit.course.item_analysis` computes scores,
  normalised gains and item statistics, and
  :mod:`~lifecycle_kit.course.class_simulation` simulates a class of known
  ability to check them.
- :mod:`~lifecycle_kit.course.class_report`: the instructor's view of a class, read from the learners'
  homes by :mod:`~lifecycle_kit.course.learner_files` (by where each file lives, never through a link) and
  written by :mod:`~lifecycle_kit.course.report_output` (one autoescaping template, CSV cells no spreadsheet
  runs, text no terminal obeys).
- :mod:`~lifecycle_kit.course.certificate`: a learner's completion statement,
  signed by the instructor and verifiable offline (also as an Open Badges 3.0
  credential).
- :mod:`~lifecycle_kit.course.launch`: where the notebooks live, copying them
  for a learner, and starting JupyterLab or Voila on them.

The older short names (``lifecycle_kit.selfchecks``, ``lifecycle_kit.progress``,
``lifecycle_kit.stages``, ...) still import the same modules.
"""

import importlib

__all__ = ["ANNOUNCEMENTS_PLUGIN", "TRANSLATION_PLUGIN", "find_notebook", "find_notebooks_dir", "jupyter_lab_command",
           "jupyterlab_locale", "lab_settings_dir", "list_notebooks", "prepare_course", "start_notebook",
           "voila_command", "voila_environment"]

_SUBMODULES = {"assessment", "certificate", "citations", "class_report", "class_simulation", "code_exercises", "events",
               "exercises", "generated_inputs", "investigation", "item_analysis", "launch", "learner_files", "progress",
               "report_output", "selfchecks", "stages", "summary"}


def __getattr__(name):
    # Loaded on first use: the launcher's names (lifecycle_kit.course.prepare_course, as before the
    # course became a package) and the submodules, so importing one part does not load the others.
    if name in __all__:
        return getattr(importlib.import_module("lifecycle_kit.course.launch"), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"lifecycle_kit.course.{name}")
    raise AttributeError(f"module 'lifecycle_kit.course' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)
