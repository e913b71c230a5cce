"""Self-checks of 03_data_planning: quality priorities and model collapse."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise
from lifecycle_kit.course.exercises import ChoiceQuestion
from lifecycle_kit.i18n import N_
from lifecycle_kit.course.selfchecks._source import solution_text


def _invalid_entries(plan, methods):
    bad = []
    for entry in plan:
        where, days = entry.get("where"), entry.get("keep_days")
        complete = isinstance(where, str) and where.strip() != ""
        term_set = isinstance(days, (int, float)) and days > 0  # NaN > 0 is False
        if not (complete and term_set and entry.get("destruction") in methods):
            bad.append(entry.get("what"))
    return bad



_METHODS = ["overwrite", "crypto-erase", "physical destruction"]


def _entry(what, where, keep_days, destruction):
    return {"what": what, "where": where, "keep_days": keep_days, "destruction": destruction}


def _storage_plan_exercise():
    def keys_only(plan, methods):  # a key present with the value None still passes
        return [e.get("what") for e in plan
                if not all(k in e for k in ("where", "keep_days", "destruction")) or e["destruction"] not in methods]

    def zero_days_allowed(plan, methods):  # keep_days >= 0: a term of 0 days is no term
        return [e.get("what") for e in plan
                if not e.get("where") or e.get("keep_days") is None or not e["keep_days"] >= 0
                or e.get("destruction") not in methods]

    def any_destruction(plan, methods):  # "delete" is not destruction: the bytes stay on the disk
        return [e.get("what") for e in plan
                if not e.get("where") or not (e.get("keep_days") or 0) > 0 or not e.get("destruction")]

    def indexes_keys(plan, methods):  # entry["where"] raises KeyError on an incomplete entry
        return [e["what"] for e in plan if not e["where"] or not e["keep_days"] > 0 or e["destruction"] not in methods]

    good = [_entry("raw survey files", "archive bucket", 365, "crypto-erase"),
            _entry("training set v3", "feature store", 730, "overwrite"),
            _entry("backup tapes", "offsite vault", 2555, "physical destruction")]
    nan = float("nan")
    return CodeExercise(
        N_("Write invalid_entries(plan, methods): the 'what' of every entry of a storage plan (a list of dicts with "
           "what, where, keep_days, destruction) that has no storage place, no positive storage term in days, or a "
           "destruction method not in methods."),
        cases=[
            Case(N_("a complete plan"), (good, _METHODS)),
            Case(N_("'delete' as the destruction method"),
                 (good + [_entry("exports", "shared drive", 90, "delete")], _METHODS), kind="method"),
            Case(N_("a storage term of 0 days and one of -30"),
                 (good + [_entry("logs", "log server", 0, "overwrite"), _entry("cache", "laptop", -30, "overwrite")],
                  _METHODS), kind="term"),
            Case(N_("missing values: where None, keep_days NaN, a key left out"),
                 (good + [_entry("labels", None, 365, "overwrite"), _entry("features", "lake", nan, "crypto-erase"),
                          {"what": "audit copy", "keep_days": 30, "destruction": "overwrite"}], _METHODS),
                 kind="missing"),
            Case(N_("an empty plan"), ([], _METHODS), kind="empty"),
        ],
        solution=_invalid_entries,
        solution_code=solution_text(_invalid_entries, "invalid_entries"),
        hints={"method": N_("Deleting a file removes its name, not its bytes: only the listed methods destroy data "
                            "(entry['destruction'] in methods)."),
               "term": N_("A storage term must be a positive number of days: 0 or a negative term means nobody decided "
                          "how long the data is kept."),
               "missing": N_("Read fields with entry.get(...): a key may be absent, or present with None or NaN, and "
                             "each of those is an incomplete entry (NaN > 0 is False)."),
               "empty": N_("An empty plan has no invalid entry: return [].")},
        wrong_answers={"keys only": keys_only, "zero days allowed": zero_days_allowed,
                       "any destruction": any_destruction, "indexes keys": indexes_keys},
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
    }
