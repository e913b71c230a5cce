"""Self-checks of 03_data_planning: quality priorities and model collapse."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise, Misconception
from lifecycle_kit.course.exercises import ChoiceQuestion
from lifecycle_kit.course.selfchecks._source import solution_text
from lifecycle_kit.i18n import N_


def _invalid_entries(plan, methods):
    import numbers

    bad = []
    for entry in plan:
        where, days = entry.get("where"), entry.get("keep_days")
        has_place = isinstance(where, str) and where.strip() != ""
        # A number of days (numpy's too), not a text or a flag; NaN > 0 is False.
        has_term = isinstance(days, numbers.Real) and not isinstance(days, bool) and days > 0
        if not (has_place and has_term and entry.get("destruction") in methods):
            bad.append(entry.get("what"))
    return bad


_METHODS = ["overwrite", "crypto-erase", "physical destruction"]
_ABSENT = object()  # a generated entry without that key


def _entry(what, where, keep_days, destruction):
    return {"what": what, "where": where, "keep_days": keep_days, "destruction": destruction}


def _generate_plan(draw):
    """Plans whose entries miss a key, hold None, NaN or pd.NA, blank places, terms of every type and sign, methods
    in other cases or with spaces; repeated names; several lists of accepted methods."""
    import numpy as np
    import pandas as pd

    nan = float("nan")

    def entry(d):
        made = {"what": d.one_of(["raw survey files", "training set v3", "backup tapes", "exports", _ABSENT],
                                 weights=[4, 3, 3, 2, 1]),
                "where": d.one_of(["archive bucket", "feature store", None, "", "   ", nan, "\t", _ABSENT],
                                  weights=[5, 3, 1, 1, 1, 1, 1, 1]),
                "keep_days": d.one_of([365, 730, 0.5, 1, 0, -30, None, nan, np.int64(90), np.float64(30.0), "365",
                                       np.float32("nan"), pd.NA, _ABSENT],
                                      weights=[5, 2, 2, 2, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1]),
                "destruction": d.one_of(["overwrite", "crypto-erase", "physical destruction", "delete", "Overwrite",
                                         " overwrite", None, nan, _ABSENT], weights=[4, 3, 2, 2, 1, 1, 1, 1, 1])}
        return {key: value for key, value in made.items() if value is not _ABSENT}

    plan = draw.items(entry, max_size=5)
    return plan, draw.one_of([_METHODS, ["overwrite"], tuple(_METHODS), []], weights=[4, 2, 1, 1])


def _storage_plan_exercise():
    import numbers

    import numpy as np

    def keys_only(plan, methods):  # a key present with the value None still passes
        return [e.get("what") for e in plan
                if not all(k in e for k in ("where", "keep_days", "destruction")) or e["destruction"] not in methods]

    def zero_days_allowed(plan, methods):  # keep_days >= 0: a term of 0 days is no term
        return [e.get("what") for e in plan
                if not isinstance(e.get("where"), str) or not e["where"].strip()
                or not isinstance(e.get("keep_days"), numbers.Real) or not e["keep_days"] >= 0
                or e.get("destruction") not in methods]

    def any_destruction(plan, methods):  # "delete" is not destruction: the bytes stay on the disk
        return [e.get("what") for e in plan
                if not e.get("where") or not (e.get("keep_days") or 0) > 0 or not e.get("destruction")]

    def indexes_keys(plan, methods):  # entry["where"] raises KeyError on an incomplete entry
        return [e["what"] for e in plan if not e["where"] or not e["keep_days"] > 0 or e["destruction"] not in methods]

    def nan_term_passes(plan, methods):  # "not <= 0": NaN <= 0 is False, so NaN passes
        return [e.get("what") for e in plan
                if not isinstance(e.get("where"), str) or not e["where"].strip() or e.get("keep_days") is None
                or isinstance(e["keep_days"], str) or e["keep_days"] <= 0 or e.get("destruction") not in methods]

    def blank_place_passes(plan, methods):  # "   " is a non-empty text: truthiness lets it through
        return [e.get("what") for e in plan
                if not isinstance(e.get("where"), str) or not e["where"]
                or not (isinstance(e.get("keep_days"), numbers.Real) and e["keep_days"] > 0)
                or e.get("destruction") not in methods]

    def whole_days_only(plan, methods):  # isinstance(days, int): 0.5, 30.0 and numpy numbers refused
        return [e.get("what") for e in plan
                if not (isinstance(e.get("where"), str) and e["where"].strip())
                or not (isinstance(e.get("keep_days"), int) and e["keep_days"] > 0)
                or e.get("destruction") not in methods]

    def text_term_accepted(plan, methods):  # float("365") makes a number of a text
        def term(days):
            try:
                return float(days) > 0
            except (TypeError, ValueError):
                return False
        return [e.get("what") for e in plan
                if not (isinstance(e.get("where"), str) and e["where"].strip()) or not term(e.get("keep_days"))
                or e.get("destruction") not in methods]

    def methods_normalised(plan, methods):  # ' Overwrite' read as 'overwrite'
        accepted = {m.strip().lower() for m in methods}
        return [e.get("what") for e in plan
                if not (isinstance(e.get("where"), str) and e["where"].strip())
                or not (isinstance(e.get("keep_days"), numbers.Real) and e["keep_days"] > 0)
                or not isinstance(e.get("destruction"), str) or e["destruction"].strip().lower() not in accepted]

    def names_once(plan, methods):  # a set of names: a repeated name or two entries without one are merged
        return sorted({w for w in _invalid_entries(plan, methods) if w is not None}) + (
            [None] if None in _invalid_entries(plan, methods) else [])

    good = [_entry("raw survey files", "archive bucket", 365, "crypto-erase"),
            _entry("training set v3", "feature store", 730, "overwrite"),
            _entry("backup tapes", "offsite vault", 2555, "physical destruction")]
    nan = float("nan")
    term_hint = N_("A storage term must be a positive number of days: 0 or a negative term means nobody decided how "
                   "long the data is kept, and a text such as '365' is not a number (fractions such as 0.5, and "
                   "numpy numbers, are).")
    missing_hint = N_("Read fields with entry.get(...): a key may be absent, or present with None or NaN, and each "
                      "of those is an incomplete entry (NaN > 0 is False, but so is NaN <= 0: test that the term "
                      "is a number greater than 0).")
    return CodeExercise(
        N_("Write invalid_entries(plan, methods): the 'what' of every entry of a storage plan (a list of dicts with "
           "what, where, keep_days, destruction; any key may be absent and any value missing) that has no storage "
           "place (absent, missing, or a blank text), no storage term that is a positive number of days (0, a "
           "negative number, a text such as '365' or a missing value is no term; 0.5 is a term), or a destruction "
           "method that is not exactly one of methods ('Overwrite' is not 'overwrite'). Return them in plan order, "
           "one per invalid entry, repeated names included (None for an entry without 'what')."),
        cases=[
            Case(N_("a complete plan"), (good, _METHODS)),
            Case(N_("'delete' as the destruction method"),
                 (good + [_entry("exports", "shared drive", 90, "delete")], _METHODS), kind="method"),
            Case(N_("methods written in another case, or with a space before"),
                 (good + [_entry("exports", "shared drive", 90, "Overwrite"),
                          _entry("logs", "log server", 30, " overwrite")], _METHODS), kind="exact"),
            Case(N_("a storage term of 0 days and one of -30"),
                 (good + [_entry("logs", "log server", 0, "overwrite"), _entry("cache", "laptop", -30, "overwrite")],
                  _METHODS), kind="term"),
            Case(N_("terms of half a day, of 30.0 days and a numpy integer; a term written as text"),
                 (good + [_entry("cache", "laptop", 0.5, "overwrite"), _entry("logs", "log server", 30.0, "overwrite"),
                          _entry("exports", "shared drive", np.int64(90), "overwrite"),
                          _entry("notes", "wiki", "365", "overwrite")], _METHODS), kind="term"),
            Case(N_("missing values: where None, keep_days NaN, a key left out"),
                 (good + [_entry("labels", None, 365, "overwrite"), _entry("features", "lake", nan, "crypto-erase"),
                          {"what": "audit copy", "keep_days": 30, "destruction": "overwrite"}], _METHODS),
                 kind="missing"),
            Case(N_("a blank storage place"), (good + [_entry("scratch", "   ", 30, "overwrite")], _METHODS),
                 kind="blank"),
            Case(N_("two invalid entries with the same name"),
                 ([_entry("exports", "", 30, "overwrite")] + good + [_entry("exports", "drive", 30, "delete")],
                  _METHODS), kind="repeat"),
            Case(N_("an invalid entry without a 'what'"),
                 (good + [{"where": "drive", "keep_days": 30, "destruction": "delete"}], _METHODS), kind="nameless"),
            Case(N_("an empty plan"), ([], _METHODS), kind="empty"),
        ],
        solution=_invalid_entries,
        solution_code=solution_text(_invalid_entries, "invalid_entries"),
        hints={"method": N_("Deleting a file removes its name, not its bytes: only the listed methods destroy data "
                            "(entry['destruction'] in methods)."),
               "exact": N_("The accepted methods are a controlled vocabulary: compare the method exactly as written "
                           "('Overwrite' and ' overwrite' are not in the list)."),
               "term": term_hint,
               "missing": missing_hint,
               "blank": N_("A place of only spaces names no place: test where.strip() != ''."),
               "repeat": N_("Return one 'what' per invalid entry, in plan order: two invalid entries with the same "
                            "name give the name twice (no set)."),
               "nameless": N_("An entry without a 'what' is still an entry of the plan: when it is invalid, report it "
                              "as None (entry.get('what')), do not skip it."),
               "empty": N_("An empty plan has no invalid entry: return [].")},
        generate=_generate_plan,
        examples=200,
        misconceptions=[
            Misconception(keys_only, N_("It looks as if a key that is present counted as filled in: a key may hold "
                                        "None or NaN, and that entry is incomplete too.")),
            Misconception(zero_days_allowed, term_hint),
            Misconception(nan_term_passes, missing_hint),
            Misconception(any_destruction, N_("It looks as if any destruction method were accepted: only those in "
                                              "methods destroy the data ('delete' removes a name, not the bytes).")),
            Misconception(methods_normalised, N_("It looks as if the methods were compared after changing case or "
                                                 "spaces: the accepted methods are a controlled vocabulary, compared "
                                                 "exactly as written.")),
            Misconception(blank_place_passes, N_("It looks as if a blank place (only spaces) were accepted: it "
                                                 "names no place (where.strip() != '').")),
            Misconception(whole_days_only, N_("It looks as if only Python integers counted as terms: 0.5, 30.0 and "
                                              "numpy numbers are numbers of days too (numbers.Real, not int).")),
            Misconception(text_term_accepted, N_("It looks as if a text such as '365' were read as a number: a plan "
                                                 "that stores its term as text is invalid.")),
            Misconception(indexes_keys, N_("Read fields with entry.get(...): entry['where'] fails on an entry that "
                                           "left the key out, and that entry is invalid, not an error.")),
            Misconception(names_once, N_("Return one 'what' per invalid entry, in plan order: two invalid entries "
                                         "with the same name give the name twice (no set).")),
        ],
        explanation=N_("Storage terms and destruction methods are decided during planning, for every copy of the data "
                       "(ISO/IEC 8183 ends the data life cycle with decommissioning; the plan is what makes it "
                       "possible). Kept as data, the plan can be validated automatically and checked again at "
                       "decommissioning (stage 9)."),
    )


def questions():
    return {
        "storage_plan": _storage_plan_exercise(),
        "median_vs_mean": ChoiceQuestion(
            N_("In the collapse table (replace mode), by generation 100 the median sigma has fallen well below 1 while "
               "the mean variance has fallen much less. What explains the difference?"),
            options={"few_wide": N_("Most runs have narrowed, while a few runs have kept or widened their spread; "
                                    "those few hold the average up, and the median follows the typical run."),
                     "square": N_("Variance is sigma squared, so it falls more slowly than sigma."),
                     "not_yet": N_("Nothing has collapsed yet: the mean shows the true state and the median is noise."),
                     "bug": N_("The two columns are computed on different runs.")},
            correct="few_wide",
            hints={"square": N_("Squaring a number below 1 makes it smaller: if every run's sigma had fallen as far as "
                                "the median, the variances would have fallen further still, not less."),
                   "not_yet": N_("Look at the tail mass column: the rare values are already disappearing."),
                   "bug": N_("Both are computed over the same 400 runs; they summarise them differently.")},
            explanation=N_("Each refit on a finite sample takes a random step in the spread. Most chains drift towards "
                           "narrower distributions, a few wander wider, and the mean over runs is dominated by those "
                           "few. An average over runs hides the collapse; the median and the tail mass show it."),
        ),
        "what_stops_collapse": ChoiceQuestion(
            N_("Which changes stop the collapse in the collapse lab?"),
            options={"real": N_("keeping a share of real data in every generation"),
                     "accumulate": N_("accumulating all generations' data instead of replacing it"),
                     "generations": N_("running fewer generations"),
                     "bigger": N_("a larger sample per generation")},
            correct={"real", "accumulate"},
            hints={"generations": N_("Fewer generations only delay it: the drift is still there."),
                   "bigger": N_("A larger sample slows the drift (smaller steps) but does not remove it.")},
            explanation=N_("Gerstgrasser et al. (2024): accumulating data across generations, or keeping real data, "
                           "bounds the error; replacing data with each generation's samples does not."),
        ),
        "weights_decide": ChoiceQuestion(
            N_("In the quality-priority lab, the clean registry extract wins with the default weights. When does the "
               "open survey win?"),
            options={"a": N_("When representativeness weighs much more than completeness."),
                     "b": N_("Never: a clean dataset is always better."),
                     "c": N_("When consistency weighs more.")},
            correct="a",
            hints={"b": N_("The extract covers only privately employed people aged 35-55 born in the US."),
                   "c": N_("Both candidates are almost equally consistent.")},
            explanation=N_("Which dataset is best depends on the task's priorities. Write the weights down during "
                           "planning, before choosing; a borrowed dataset was judged for its owner's purposes, not "
                           "yours."),
        ),
        "inherited_class": ChoiceQuestion(
            N_("The trip records are confidential (the operator's commercial information; no rider is named in them). "
               "The plan gives the demand model trained on them plain deletion. What does the plan check say, and why?"),
            options={"too_weak": N_("Too weak: the model holds what the trips hold, so it inherits their class."),
                     "fine_model": N_("Fine: a model is not data, so its own class (open) applies."),
                     "fine_personal": N_("Fine: without personal data, no destruction method is required.")},
            correct="too_weak",
            hints={"fine_model": N_("Stage 10 finds training rows inside a fitted model: whatever is derived from the "
                                    "data holds its information."),
                   "fine_personal": N_("The paper asks for confidentiality wherever the law requires it, not only for "
                                       "personal data; a commercial secret is confidential too.")},
            explanation=N_("The check gives every asset the highest class of what it was made from, and compares its "
                           "planned destruction with the weakest the class allows. The model is as confidential as "
                           "the trips: plan its destruction by that class now, so that decommissioning has a method "
                           "to check against."),
        ),
    }
