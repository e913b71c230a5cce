"""Every text a self-check shows is marked for translation and translated into every language of the kit.

A question's prompt, options, hints, explanation, distractor labels, unit and (for code exercises) the labels of its
hidden cases and the hints of its misconceptions are written in English in lifecycle_kit/course/selfchecks/ and marked with ``N_()`` — a literal, with the
values of its placeholders as keywords, never an f-string — so that Babel extracts them (`make i18n`) and the
feedback engine says them in the learner's language. A text that is not marked would be dropped from the catalog
by the next `make i18n`, and a learner of the Russian edition would meet English: both fail here.
"""

import functools
import re

import pytest

from lifecycle_kit.course import selfchecks
from lifecycle_kit.course.code_exercises import CodeExercise
from lifecycle_kit.course.exercises import CheckQuestion, ChoiceQuestion, NumericQuestion
from lifecycle_kit.i18n import Message, gettext

from .test_i18n import LANGUAGES, _fields, _po, extraction

# An option such as "station_registry", "Ed25519" or "0.25" is a name or a number, the same in every language.
_NAME_LIKE = re.compile(r"[\w.\-/:%()]+")
# Code, names and values in backticks are run by the notebook tests (tests/notebook_runner.py) and stay untranslated.
_CODE = re.compile(r"`[^`\n]+`")


@functools.cache
def _extracted_msgids():
    return {message[0] if isinstance(message, tuple) else message
            for filename, _lineno, message, _comments, _context in extraction()
            if "lifecycle_kit/course/selfchecks/" in filename.replace("\\", "/")}


@functools.cache
def _catalog(lang):
    return _po(lang)


def texts_of(question):
    """``[(where, text)]``: every text of ``question`` a learner can be shown."""
    found = [("prompt", question.prompt), ("explanation", question.explanation)]
    if isinstance(question, ChoiceQuestion):
        found += [(f"option {k!r}", text) for k, text in question.options.items()]
        found += [(f"hint for {k!r}", text) for k, text in question.hints.items()]
    elif isinstance(question, NumericQuestion):
        found += [(f"hint {i}", text) for i, (_when, text) in enumerate(question.hints)]
        found += [("distractor label", label) for label in question.distractors]
        found += [(f"hint for distractor {label!r}", text) for label, text in question.distractor_hints.items()]
        found += [("unit", question.unit)]
    elif isinstance(question, CodeExercise):
        found += [(f"case {case.label!r}", case.label) for case in question.cases]
        found += [(f"hint for {k!r}", text) for k, text in question.hints.items()]
        found += [(f"misconception {m.like.__name__!r}", m.hint) for m in question.misconceptions]
    elif isinstance(question, CheckQuestion):
        found += [("solution text", question.solution_text)]
    return [(where, text) for where, text in found
            if isinstance(text, str) and text.strip() and not _NAME_LIKE.fullmatch(text.strip())]


def _msgid(text):
    return text.msgid if isinstance(text, Message) else str(text)


@pytest.mark.parametrize("notebook", selfchecks.notebooks())
def test_every_self_check_text_is_marked_for_extraction(notebook):
    extracted = _extracted_msgids()
    problems = [f"{key}, {where}: {_msgid(text)[:70]!r} is not extracted by Babel: wrap the literal in N_() "
                f"(values of placeholders as keywords, never an f-string)"
                for key, question in selfchecks.for_notebook(notebook).items()
                for where, text in texts_of(question) if _msgid(text) not in extracted]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
@pytest.mark.parametrize("notebook", selfchecks.notebooks())
def test_every_self_check_text_is_translated(notebook, lang):
    catalog = _catalog(lang)
    problems = []
    for key, question in selfchecks.for_notebook(notebook).items():
        for where, text in texts_of(question):
            msgid = _msgid(text)
            entry = catalog.get(msgid)
            if entry is None or not entry.string or entry.fuzzy:
                problems.append(f"{key}, {where}: {msgid[:70]!r} has no {lang} translation")
            elif _fields(entry.string) != _fields(msgid):
                problems.append(f"{key}, {where}: placeholders {sorted(_fields(entry.string))} of the {lang} "
                                f"translation differ from {sorted(_fields(msgid))}")
            elif sorted(_CODE.findall(entry.string)) != sorted(_CODE.findall(msgid)):
                problems.append(f"{key}, {where}: code in backticks must stay as it is in the translation: "
                                f"{sorted(set(_CODE.findall(msgid)) ^ set(_CODE.findall(entry.string)))}")
            elif isinstance(text, Message) and "{" in gettext(text, lang=lang):
                problems.append(f"{key}, {where}: the {lang} text still shows a placeholder")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_a_question_is_asked_and_answered_in_russian():
    question = NumericQuestion(Message("Set the rate to {rate}. What share is flagged?", rate=0.25),
                               answer=0.5, tolerance=0.01, explanation="Correct.", unit="",
                               distractors={"Correct.": 0.25})
    assert question.prompt == "Set the rate to 0.25. What share is flagged?"
    feedback = question.check("0,25", lang="ru")
    assert feedback.lang == "ru" and "Верно." in feedback.message  # the distractor label, translated
    assert question.check("0,5", lang="ru").explanation == "Верно."
