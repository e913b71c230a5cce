"""A wrong number is told what it is and why it is wrong: every numeric self-check names the misconception behind
each plausible wrong computation, and the generic "too high / too low" is only the fallback.

The wrong computations are written here as a learner makes them, from the numbers the notebook or the lab shows
(rounded as printed), so a test fails when a question's distractor stops matching the mistake it is meant to catch.
"""

import functools

import pytest

from lifecycle_kit.course.exercises import NumericQuestion
from lifecycle_kit.course.selfchecks import for_notebook, notebooks
from lifecycle_kit.errors import LifecycleKitError

GENERIC = {"Too high: recount.", "Too low: recount.", "Re-read the question: which quantity does it name?"}


@functools.cache
def _question(notebook, key):
    return for_notebook(notebook)[key]


def _numeric():
    return [pytest.param(nb, key, id=f"{nb}:{key}") for nb in notebooks() for key, q in for_notebook(nb).items()
            if isinstance(q, NumericQuestion)]


def _refused_with(q, value, *phrases):
    feedback = q.check(value, lang="en")
    assert not feedback.correct, f"{value!r} judged correct"
    assert feedback.hint and feedback.hint not in GENERIC, f"{value!r} gets only a generic hint: {feedback.hint!r}"
    for phrase in phrases:
        assert phrase in f"{feedback.message} {feedback.hint}", f"{value!r}: {phrase!r} not said in {feedback!r}"
    return feedback


@pytest.mark.parametrize("notebook, key", _numeric())
def test_every_distractor_is_named_with_the_hint_of_its_misconception(notebook, key):
    q = _question(notebook, key)
    assert q.distractors and set(q.distractor_hints) == set(q.distractors), f"{key}: a hint for every distractor"
    for label, value in q.distractor_values().items():
        feedback = _refused_with(q, value, label, q.distractor_hints[label])
        assert "Re-read the question" not in feedback.hint


# --- 04: the backdoor question -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backdoor_lab():
    from lifecycle_kit.labs import BackdoorLab

    return BackdoorLab()


def _lab_reads(lab, rate, patch):
    lab.controls["rate"].value = rate
    lab.controls["patch"].value = patch
    return lab.result["trial"]


def test_the_backdoor_question_names_each_number_the_lab_shows_at_a_wrong_setting(backdoor_lab):
    from lifecycle_kit.course.selfchecks.data_acquisition import BACKDOOR_PATCH, BACKDOOR_RATE

    q = _question("04_data_acquisition", "backdoor_success")
    assert backdoor_lab.controls["target_label"].value == 0
    asked = _lab_reads(backdoor_lab, BACKDOOR_RATE, BACKDOOR_PATCH)
    assert q.check(round(asked.attack_success, 3)).correct
    # Read off the lab at the setting a learner leaves or misses; each is said to be exactly what it is.
    forgot_the_patch = _lab_reads(backdoor_lab, BACKDOOR_RATE, 3).attack_success
    _refused_with(q, round(forgot_the_patch, 3), "default 3-pixel patch", "shrink it to 2")
    forgot_the_share = _lab_reads(backdoor_lab, 0.02, BACKDOOR_PATCH).attack_success
    feedback = _refused_with(q, round(forgot_the_share, 3), "default share, 0.02", "set it to 0.01")
    assert "clean" not in feedback.message + feedback.hint  # a success at another share is not "the clean accuracy"
    one_stop_low = _lab_reads(backdoor_lab, 0.005, BACKDOOR_PATCH).attack_success
    _refused_with(q, round(one_stop_low, 3), "0.005", "one stop too low")
    smaller_patch = _lab_reads(backdoor_lab, BACKDOOR_RATE, 1).attack_success
    _refused_with(q, round(smaller_patch, 3), "1-pixel patch", "one pixel too small")
    _refused_with(q, round(asked.accuracy, 3), "clean test accuracy", "accuracy monitoring cannot see a backdoor")
    _refused_with(q, round(1 - asked.attack_success, 3), "*not* read as the target")
    _refused_with(q, round(asked.attack_success * 100, 1), "factor of 100")
    _refused_with(q, len(asked.poisoned), "training digits")
    _backdoor_lab_reset(backdoor_lab)


def _backdoor_lab_reset(lab):
    lab.controls["rate"].value = 0.02
    lab.controls["patch"].value = 3


def test_no_backdoor_hint_calls_a_number_something_it_is_not():
    q = _question("04_data_acquisition", "backdoor_success")
    texts = [q.distractor_hints[label] for label in q.distractors] + [text for _when, text in q.hints]
    assert not any("default setting or the clean" in text for text in texts)
    # The fallbacks say where to look, in both directions, without naming a quantity the number may not be.
    for value in (q.expected + 0.05, q.expected - 0.05):
        hint = q.check(value, lang="en").hint
        assert hint not in GENERIC and "0.01" in hint and "2 pixels" in hint


# --- 05: false alarms among the flagged rows ---------------------------------------------------------------------


def test_the_false_alarm_question_names_each_wrong_computation_from_the_printed_numbers():
    from lifecycle_kit.course.selfchecks.data_preparation import _cleaning

    q = _question("05_data_preparation", "false_flags")
    trial = _cleaning()
    flipped, flagged = trial.flipped, trial.flagged
    recall, precision = round(trial.recall, 2), round(trial.precision, 2)  # as section D prints them
    found = round(recall * flipped)
    assert q.check(flagged - found).correct and q.check(round(flagged * (1 - precision))).correct
    _refused_with(q, flagged - flipped, "some flipped labels were missed")
    _refused_with(q, round(flipped * (1 - precision), 1), "applied the precision to the flipped labels")
    _refused_with(q, round(flagged * recall, 1), "applied the recall to the flagged rows")
    _refused_with(q, found, "true alarms")
    _refused_with(q, flagged, "every flagged row")
    _refused_with(q, flipped, "counts the flipped labels")
    _refused_with(q, flipped - found, "did not flag")
    _refused_with(q, 1 - precision, "a share", "number of rows")


# --- 11: the audit log -------------------------------------------------------------------------------------------


def test_the_audit_question_refuses_every_index_that_is_right_for_a_wrong_reason():
    from lifecycle_kit.course.selfchecks.capstone import DELETED, LOG_ENTRIES

    q = _question("11_capstone_multi_source", "audit_deletion")
    assert q.expected == DELETED  # the reason: the moved entry breaks the chain at the deleted index
    wrong = {DELETED + 1: ("before the deletion", "counted from 1"), DELETED - 1: ("entry before",),
             LOG_ENTRIES: ("entries before the deletion",), LOG_ENTRIES - 1: ("entries after the deletion",),
             LOG_ENTRIES - 2: ("last index of the log after the deletion",)}
    assert q.expected not in wrong, "the right answer must differ from every plausible wrong one"
    assert len(wrong) == 5, "the plausible wrong answers must differ from one another"
    for value, phrases in wrong.items():
        _refused_with(q, value, *phrases)


def test_the_old_audit_question_would_have_accepted_the_last_remaining_index():
    # Why the question changed: five entries, entry 3 deleted -> the answer 3 was also the last remaining index.
    entries, deleted = 5, 3
    assert deleted == entries - 2
    from lifecycle_kit.course.selfchecks.capstone import DELETED, LOG_ENTRIES

    assert DELETED != LOG_ENTRIES - 2


# --- 00: a list of columns ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [["casual", "casual", "registered"], ["casual", "registered", "registered"],
                                    ("registered", "casual", "casual", "registered")])
def test_leaky_columns_refuses_a_column_listed_twice(answer):
    q = _question("00_start_here", "leaky_columns")
    feedback = q.check(answer, lang="en")
    assert feedback.status == "incorrect" and "more than once" in feedback.hint


def test_leaky_columns_accepts_each_column_once_in_any_order():
    q = _question("00_start_here", "leaky_columns")
    assert q.check(["registered", "casual"]).correct and q.check(("casual", "registered")).correct


# --- the mechanism -----------------------------------------------------------------------------------------------


def test_an_answer_matching_two_distractors_names_both_with_both_hints():
    q = NumericQuestion("share?", answer=0.5, tolerance=0.01, distractors={"one thing": 0.9, "another": 0.905},
                        distractor_hints={"one thing": "Hint one.", "another": "Hint two."}, explanation="why " * 8)
    feedback = q.check(0.9, lang="en")
    assert "one thing" in feedback.message and "another" in feedback.message
    assert feedback.hint == "Hint one. Hint two."


def test_a_small_distractor_is_not_matched_as_a_percentage_by_a_fraction():
    q = NumericQuestion("success?", answer=0.75, tolerance=0.002, distractors={"the poisoned share": 0.01},
                        distractor_hints={"the poisoned share": "A setting."})
    assert "poisoned share" not in q.check(0.85, lang="en").message
    assert "poisoned share as a percentage" in q.check(1, lang="en").message


def test_a_hint_for_an_unknown_distractor_is_an_authoring_error():
    with pytest.raises(LifecycleKitError, match="name no distractor"):
        NumericQuestion("x?", answer=1, distractors={"a": 2}, distractor_hints={"b": "hint"})
