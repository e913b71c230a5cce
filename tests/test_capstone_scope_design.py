"""Least privilege, built by the learner (issue #20, section 3): the scope-design check accepts the design the
notebook's purposes call for and refuses the designs a learner plausibly writes instead, each with a message that
names the role and what is wrong with its scope.

The wrong designs start from the solution and change one thing, as a learner does: keep the article's "share unless
barred", forget a role or a column, copy the partner's row limit to another role, leave the partner unlimited, read
the protected label "to be safe", misspell a column, pass a list instead of a Scope.
"""

import pytest

from lifecycle_kit.course.selfchecks import for_notebook
from lifecycle_kit.course.selfchecks.capstone import _LEAST_PRIVILEGE, PURPOSES
from lifecycle_kit.platform import UNIFIED_COLUMNS, Scope, scope_except

CAPSTONE = "11_capstone_multi_source"


def _solution():
    namespace = {"Scope": Scope}
    exec(_LEAST_PRIVILEGE, namespace)  # the code the solutions notebook runs
    return dict(namespace["least_privilege"])


def _with(role, scope=None, **changes):
    design = _solution()
    if scope is None:
        del design[role]
    else:
        design[role] = scope
    design.update(changes)
    return design


def _check(design):
    return for_notebook(CAPSTONE)["least_privilege"].check(design, lang="en")


def test_the_solution_is_accepted_and_so_is_any_order_of_its_columns():
    assert _check(_solution()).correct
    reordered = {role: Scope(columns=list(reversed(scope.columns)), rows=dict(scope.rows))
                 for role, scope in _solution().items()}
    assert _check(reordered).correct


def test_the_partner_may_also_read_its_own_source_column():
    partner = Scope(columns=["source", "individual_id", "island", "body_mass_g"], rows={"source": ["field_survey"]})
    assert _check(_with("survey_partner", partner)).correct


BARRED = ["individual_id", "species", "sex"]

WRONG = {
    "share unless barred (the article's rule) kept as it is": (
        {role: scope_except(UNIFIED_COLUMNS, BARRED, rows=dict(PURPOSES[role]["rows"]) or None) for role in PURPOSES},
        ("mass_monitor reads", "does not need")),
    "a role forgotten": (_with("diet_researcher"), ("diet_researcher", "no scope yet")),
    "a role that is not in the exercise": (_with("mass_monitor", _solution()["mass_monitor"],
                                                 intern=Scope(columns=["species"])), ("intern", "not roles")),
    "the monitor watches per island but not per source": (
        _with("mass_monitor", Scope(columns=["island", "body_mass_g"])), ("mass_monitor", "without", "source")),
    "the researcher studies diet per season without the season's study code": (
        _with("diet_researcher", Scope(columns=["delta_15n", "delta_13c"])), ("diet_researcher", "study")),
    "the researcher reads the protected species to be safe": (
        _with("diet_researcher", Scope(columns=["study", "delta_15n", "delta_13c", "species"])),
        ("diet_researcher reads", "species", "does not need")),
    "the partner reads the protected sex": (
        _with("survey_partner", Scope(columns=["individual_id", "island", "body_mass_g", "sex"],
                                      rows={"source": ["field_survey"]})), ("survey_partner reads", "sex")),
    "the partner left without a row limit": (
        _with("survey_partner", Scope(columns=["individual_id", "island", "body_mass_g"])),
        ("survey_partner", "only the survey's own records")),
    "the partner limited to another agency's rows": (
        _with("survey_partner", Scope(columns=["individual_id", "island", "body_mass_g"],
                                      rows={"source": ["tagging_program"]})), ("survey_partner", "field_survey")),
    "the partner limited to its own and another agency's rows": (
        _with("survey_partner", Scope(columns=["individual_id", "island", "body_mass_g"],
                                      rows={"source": ["field_survey", "station_registry"]})),
        ("survey_partner", "field_survey")),
    "the partner's row limit copied to the monitor": (
        _with("mass_monitor", Scope(columns=["source", "island", "body_mass_g"], rows={"source": ["field_survey"]})),
        ("mass_monitor", "every agency's records")),
    "a misspelt column": (_with("mass_monitor", Scope(columns=["source", "island", "body_mass"])),
                          ("mass_monitor", "body_mass", "not columns")),
    "a list of columns instead of a Scope": (_with("mass_monitor", ["source", "island", "body_mass_g"]),
                                             ("mass_monitor", "Scope", "list")),
    "a set of roles instead of a dict": (set(PURPOSES), ("dict",)),
}


@pytest.mark.parametrize("design, phrases", WRONG.values(), ids=list(WRONG))
def test_a_wrong_design_is_refused_with_what_is_wrong(design, phrases):
    feedback = _check(design)
    assert not feedback.correct, "a wrong design was accepted"
    said = f"{feedback.message} {feedback.hint or ''}"
    for phrase in phrases:
        assert phrase in said, f"{phrase!r} not said in {said!r}"


def test_the_unanswered_exercise_is_not_judged():
    assert _check(...).status == "unanswered"
