"""Self-checks of 11_capstone_multi_source: the poisoned source, blocking, the audit chain, per-source monitoring;
code exercises: a linkage rule and the per-source check that names a poisoned source."""

import functools

from lifecycle_kit.course.code_exercises import Case, CodeExercise, Misconception
from lifecycle_kit.course.exercises import CheckQuestion, ChoiceQuestion, NumericQuestion
from lifecycle_kit.course.investigation import CommittedChoice, Investigation
from lifecycle_kit.course.selfchecks._source import solution_text
from lifecycle_kit.i18n import N_

#: The capstone's sources: the seed and the share of one source's labels the attacker flipped.
SEED, POISON_RATE = 0, 0.4


@functools.cache
def _agency_data():
    from lifecycle_kit.platform import agency_sources

    return agency_sources(poison_rate=POISON_RATE, random_state=SEED)


def _poisoned_source():
    return _agency_data().poisoned["source"]


def _poisoned_facts():
    """What the reveal says: the poisoned source, how many labels were flipped, and whether it was trusted."""
    from lifecycle_kit.platform import unified_spec

    poisoned = _agency_data().poisoned
    return {"source": poisoned["source"], "flipped": len(poisoned["rows"]), "rate": poisoned["rate"],
            "trusted": poisoned["source"] in unified_spec().trusted_sources}


# --- The investigation: its steps as the solutions notebook fills them in ------------------------------------
# A worked commitment: a hunch from the source's standing, written before any evidence (the reveal then says
# whether it was right, and asks whether it was evidence or a belief about the source).
_COMMIT_STEP = '''my_suspect = "tagging_program"  # one of: "station_registry", "field_survey", "tagging_program"
my_reason = "It is the one agency with measurements that is not on the specification's list of trusted sources."

investigation.commit(my_suspect, my_reason)'''

# A worked review: every flag decided on the evidence a reviewer has - the record's measurements against the
# typical measurements (trusted audit sample) of its own label and of the label the other agencies give.
_REVIEW_STEP = '''typical = audit.groupby("species")[features].median()
scale = audit[features].std()


def distance(record, species):
    """Mean distance, in standard deviations, of the record's measurements from the species' typical ones."""
    return ((record[features].astype(float) - typical.loc[species]) / scale).abs().mean()


decisions = {}
for flagged in to_review.to_dict("records"):
    others = flagged["others"].split(", ")
    majority = max(sorted(set(others)), key=others.count)  # the label most other agencies give
    own, theirs = distance(pd.Series(flagged), flagged["label"]), distance(pd.Series(flagged), majority)
    # No measurement to judge by: trust the other agencies' labels.
    decisions[flagged["record"]] = "accept" if pd.isna(own) or theirs < own else "reject"
investigation.review(to_review, decisions, wrong=label_is_wrong(table, truth, data.original))'''

_REVEAL_STEP = "investigation.reveal()"


# --- Scope design: least privilege, built by the learner ------------------------------------------------------
#: The roles of the scope-design exercise, as the notebook describes their purposes: the columns each purpose
#: needs, the columns it may also read without need of more (the survey partner's constant source column), and the
#: rows it is limited to.
PURPOSES = {
    "mass_monitor": {"needs": ("source", "island", "body_mass_g"), "may": (), "rows": {}},
    "survey_partner": {"needs": ("individual_id", "island", "body_mass_g"), "may": ("source",),
                       "rows": {"source": ("field_survey",)}},
    "diet_researcher": {"needs": ("study", "delta_15n", "delta_13c"), "may": (), "rows": {}},
}

_LEAST_PRIVILEGE = '''least_privilege = {
    "mass_monitor": Scope(columns=["source", "island", "body_mass_g"]),
    "survey_partner": Scope(columns=["individual_id", "island", "body_mass_g"], rows={"source": ["field_survey"]}),
    "diet_researcher": Scope(columns=["study", "delta_15n", "delta_13c"]),
}'''


def _least_privilege_checker(design):
    from lifecycle_kit.platform import UNIFIED_COLUMNS, Scope

    if not isinstance(design, dict):
        return False, N_("Give a dict that maps each of the three roles to its Scope, for example "
                         "Scope(columns=[...]).")
    missing_roles = [role for role in PURPOSES if role not in design]
    if missing_roles:
        return False, N_("{roles} have no scope yet: give each of the three roles one.", roles=missing_roles)
    extra_roles = sorted(map(str, set(design) - set(PURPOSES)))
    if extra_roles:
        return False, N_("{roles} are not roles of this exercise: the roles are {known}.", roles=extra_roles,
                         known=list(PURPOSES))
    for role, purpose in PURPOSES.items():
        scope = design[role]
        if not isinstance(scope, Scope):
            return False, N_("The scope of {role} must be a Scope(columns=[...]), not {kind}.", role=role,
                             kind=type(scope).__name__)
        unknown = [c for c in scope.columns if c not in UNIFIED_COLUMNS]
        if unknown:
            return False, N_("{role}: {columns} are not columns of the unified table.", role=role, columns=unknown)
        lacking = [c for c in purpose["needs"] if c not in scope.columns]
        if lacking:
            return False, N_("{role} cannot do its job without {columns}: its purpose needs them.", role=role,
                             columns=lacking)
        needless = [c for c in scope.columns if c not in purpose["needs"] and c not in purpose["may"]]
        if needless:
            return False, N_("{role} reads {columns}, which its purpose does not need: least privilege grants only "
                             "what the purpose needs.", role=role, columns=needless)
        rows = {column: tuple(values) for column, values in scope.rows.items()}
        if purpose["rows"] and rows != purpose["rows"]:
            return False, N_("{role} may read only the survey's own records: limit its rows to the source "
                             "field_survey.", role=role)
        if not purpose["rows"] and rows:
            return False, N_("{role} needs every agency's records for its purpose: do not limit its rows.", role=role)
    return True, N_("Each role reads what its purpose needs and nothing more. The next cell measures what each can "
                    "still infer about the fields it may not read.")


#: The audit-log question: entry DELETED (0-based) of a log of LOG_ENTRIES entries is deleted. Chosen so that the
#: right answer differs from every plausible wrong one (the moved entry's old index or 1-based position, the entry
#: before, the lengths before and after, the last remaining index): with five entries and entry 3 deleted, the
#: answer was also the last remaining index.
LOG_ENTRIES, DELETED = 8, 2


def _first_broken_after_deletion():
    """The index verify() reports once one entry of the audit log is deleted."""
    import pandas as pd

    from lifecycle_kit.platform import AccessLayer, Scope

    layer = AccessLayer(pd.DataFrame({"a": [1, 2]}), {"analyst": Scope(columns=["a"])},)
    for _ in range(LOG_ENTRIES):
        layer.read("analyst")
    del layer.log.entries[DELETED]
    return layer.log.verify()[1]


def _audit_distractors():
    """``(distractors, hints)``: the indices a learner gives for a wrong reason, each with its misconception."""
    distractors = {
        N_("the moved entry's index before the deletion (and its position counted from 1)"): DELETED + 1,
        N_("the index of the entry before the deleted one"): DELETED - 1,
        N_("the number of entries before the deletion"): LOG_ENTRIES,
        N_("the number of entries after the deletion (and the last index before it)"): LOG_ENTRIES - 1,
        N_("the last index of the log after the deletion"): LOG_ENTRIES - 2,
    }
    hints = dict(zip(distractors, [
        N_("verify() returns a 0-based index into the log as it is now: the entry that moved up sits at the deleted "
           "entry's index, and that is where its sequence number and link stop fitting."),
        N_("The entries before the deletion still verify: nothing about them changed."),
        N_("verify() returns an index into the log, not a count of entries."),
        N_("verify() returns an index into the log, not a count of entries — and it stops at the first entry that "
           "does not fit, not at the end."),
        N_("Verification does not run to the end of the log: it reports the first entry that does not fit, and "
           "everything after the deletion has moved."),
    ]))
    return distractors, hints


# --- Exercise: a linkage rule -------------------------------------------------------------------------------


def _same_bird(a, b):
    """Two standardised records (dicts) describe the same bird."""
    import pandas as pd

    from lifecycle_kit.platform import jaro_winkler

    def present(value):
        return not pd.isna(value)  # None, NaN (float32 too) and pd.NA are all missing

    if not present(a["study"]) or not present(b["study"]) or a["study"] != b["study"]:
        return False
    id_a = str(a["individual_id"]).strip().upper() if present(a["individual_id"]) else ""
    id_b = str(b["individual_id"]).strip().upper() if present(b["individual_id"]) else ""
    if not id_a or not id_b:
        return False  # a missing or blank identifier: nothing to link on
    compared, agree = 0, True
    for column in ("bill_length_mm", "flipper_length_mm", "body_mass_g"):
        x, y = a[column], b[column]
        if present(x) and present(y):
            compared += 1
            agree = agree and abs(x - y) <= 0.05 * max(abs(x), abs(y))
    if id_a == id_b:
        return agree
    if jaro_winkler(id_a, id_b) >= 0.9:
        return compared >= 2 and agree  # a keying error is believed only on the evidence of the measurements
    return False


def _id(nest, egg):
    """A bird's identifier: nest and egg number (built, so that the identifiers are data, not text to read)."""
    return "N" + nest + "A" + egg


def _bird(study="PAL0708", individual_id=_id("12", "1"), bill=39.1, flipper=181.0, mass=3750.0):
    return {"study": study, "individual_id": individual_id, "bill_length_mm": bill, "flipper_length_mm": flipper,
            "body_mass_g": mass}


#: Identifiers and the ones a record of the same bird (or another) may carry: keying errors (Jaro-Winkler of
#: 0.9 exactly, or more), nest mates (about 0.92), and identifiers too different to be the same bird.
_NEIGHBOURS = {_id("12", "1"): [_id("1", "21"), _id("12", "2"), _id("21", "1"), _id("13", "1"), _id("5", "2")],
               _id("11", "33"): [_id("01", "33"), _id("11", "3"), _id("12", "1")],
               _id("311", "0"): [_id("111", "0"), _id("31", "0"), _id("5", "2")],
               _id("5", "2"): [_id("51", "2"), _id("5", "12"), _id("12", "1")]}
#: Per measurement: (value, the same bird re-measured, exactly 5% of the larger value apart, just over 5%, another
#: bird, within 5% of the larger value but not of the smaller). The exact pairs are exact in floating point:
#: abs(x - y) == 0.05 * max(x, y).
_MEASURES = {"bill_length_mm": (39.1, 39.3, (40.0, 38.0), (40.0, 37.9), 46.5, (40.0, 38.05)),
             "flipper_length_mm": (181.0, 182.0, (200.0, 190.0), (200.0, 189.0), 215.0, (200.0, 190.2)),
             "body_mass_g": (3750.0, 3725.0, (4000.0, 3800.0), (4000.0, 3790.0), 5000.0, (4000.0, 3805.0))}


def _generate_record_pair(draw):
    """Two records: studies equal, different, missing or in another case; identifiers equal, in another case or
    with spaces around, keying errors at and above the 0.9 threshold, nest mates, others, missing or blank; each
    measurement equal (numpy float32 too), re-measured, exactly 5% of the larger value apart in either order, just
    over, another bird's, or missing on either side (None, NaN, pd.NA, float32 NaN)."""
    import numpy as np
    import pandas as pd

    missing = [None, float("nan"), pd.NA, np.float32("nan")]
    study = draw.one_of(["PAL0708", "PAL0809"])
    other_study = draw.one_of(["same", "other", "missing", "lower case"], weights=[8, 1, 1, 1])
    study_b = {"same": study, "other": "PAL0910", "missing": draw.one_of(missing[:3]),
               "lower case": study.lower()}[other_study]
    if draw.boolean(0.05):
        study = draw.one_of(missing[:3])
    id_a = draw.one_of(list(_NEIGHBOURS))
    relation = draw.one_of(["same", "variant", "neighbour", "missing", "blank", "both blank"],
                           weights=[4, 3, 5, 1, 1, 1])
    if relation == "both blank":
        id_a, id_b = draw.one_of(["", " "]), draw.one_of(["", "  ", "\t"])
    elif relation == "same":
        id_b = id_a
    elif relation == "variant":
        id_b = draw.one_of(["", " ", "\t"]) + draw.one_of([id_a.lower(), id_a.title(), id_a]) + draw.one_of(
            ["", " ", "  ", "\t"])
    elif relation == "neighbour":  # the first neighbour of each is the most telling: 0.9 exactly, or just above
        id_b = draw.one_of(_NEIGHBOURS[id_a], weights=[3] + [1] * (len(_NEIGHBOURS[id_a]) - 1))
    elif relation == "missing":
        id_b = draw.one_of(missing[:3])
    else:
        id_b = draw.one_of(["", "   "])
    if draw.boolean(0.1):
        id_a, id_b = id_b, id_a
    a = {"study": study, "individual_id": id_a}
    b = {"study": study_b, "individual_id": id_b}
    for column, (value, remeasured, exact, over, other, larger_only) in _MEASURES.items():
        how = draw.one_of(["same", "re-measured", "exactly 5%", "just over", "another bird", "missing in a",
                           "missing in b", "float32", "5% of the larger only"], weights=[3, 3, 3, 2, 1, 2, 2, 1, 2])
        x, y = {"same": (value, value), "re-measured": (value, remeasured), "exactly 5%": exact, "just over": over,
                "5% of the larger only": larger_only,
                "another bird": (value, other), "missing in a": (draw.one_of(missing), value),
                "missing in b": (value, draw.one_of(missing)),
                "float32": (np.float32(value), np.float32(value))}[how]
        if draw.boolean():
            x, y = y, x
        a[column], b[column] = x, y
    return a, b


def _linkage_exercise():
    import pandas as pd

    columns = ("bill_length_mm", "flipper_length_mm", "body_mass_g")

    def exact_join(a, b):
        return a["study"] == b["study"] and a["individual_id"] == b["individual_id"]

    def identifier_only(a, b):  # similar identifiers linked without looking at the measurements
        return _same_bird_rule(a, b, agree=lambda x, y: True, evidence=0)

    def missing_disagrees(a, b):  # a measurement missing on one side counted as a disagreement
        if any(pd.isna(a[c]) or pd.isna(b[c]) for c in columns):
            return False
        return _same_bird(a, b)

    def any_study(a, b):
        return _same_bird({**a, "study": "X"}, {**b, "study": "X"})

    def smaller_value(a, b):  # 5% of the smaller value: a stricter rule than the task's
        def agree(x, y):
            return abs(x - y) <= 0.05 * min(abs(x), abs(y))
        return _with_agreement(a, b, agree)

    def strict_limit(a, b):  # exactly 5% apart counted as a disagreement
        def agree(x, y):
            return abs(x - y) < 0.05 * max(abs(x), abs(y))
        return _with_agreement(a, b, agree)

    def one_measurement_enough(a, b):  # a keying error believed on one measurement
        return _same_bird_rule(a, b, evidence=1)

    def no_measurement_needed(a, b):  # a keying error believed with nothing compared
        return _same_bird_rule(a, b, evidence=0)

    def case_kept(a, b):
        return _same_bird_rule(a, b, normalise=str.strip)

    def similarity_strict(a, b):  # a similarity of exactly 0.9 refused
        return _same_bird_rule(a, b, threshold_met=lambda s: s > 0.9)

    def blank_identifiers_link(a, b):  # "" == "" taken for the same identifier
        return _same_bird_rule(a, b, blank_is_identifier=True)

    def evidence_for_equal_identifiers(a, b):  # two measurements required even when the identifiers are equal
        return _same_bird_rule(a, b, evidence_if_equal=2)

    mismatched = _bird(bill=38.0, flipper=190.0, mass=3800.0)
    larger = _bird(bill=40.0, flipper=200.0, mass=4000.0)
    nan = float("nan")
    # The share is a placeholder, not a literal "5%": Babel reads "% o" in a msgid as a %-format directive.
    tolerance_hint = N_("Each measurement present in both records agrees when abs(x - y) <= 0.05 * max(abs(x), "
                        "abs(y)): within {tolerance:.0%} of the larger value, the limit included.", tolerance=0.05)
    missing_hint = N_("Compare only measurements present in both records; skip None, NaN and pd.NA (pd.isna(x) "
                      "knows all of them; x == x fails on pd.NA). With equal identifiers and nothing to compare, it "
                      "is a match.")
    evidence_hint = N_("One agreeing measurement is weak evidence for a mistyped identifier: require at least "
                       "two compared measurements, and with none compared it is not a match.")
    return CodeExercise(
        N_("Write same_bird(a, b): True when two standardised records (dicts with 'study', 'individual_id', "
           "'bill_length_mm', 'flipper_length_mm', 'body_mass_g'; any value may be missing: None, NaN or pd.NA) "
           "describe the same bird. The rule: the studies must be present and equal, as written (study codes are "
           "standardised); both identifiers present and not blank. Compare identifiers in upper case without "
           "surrounding whitespace. Compare each measurement present in both records: it agrees when abs(x - y) <= "
           "{tolerance} * max(abs(x), abs(y)) — within {tolerance:.0%} of the larger value, the limit included. "
           "Equal identifiers: a match when every compared measurement agrees (none compared is a match). "
           "Identifiers that differ but have a Jaro-Winkler similarity of at least 0.9 (jaro_winkler from "
           "lifecycle_kit.platform; a keying error): a match only when at least two measurements were compared "
           "and all agree. Anything else: not a match.", tolerance=0.05),
        cases=[Case(N_("one bird, re-measured by another agency"), (_bird(), _bird(bill=39.3, flipper=182.0))),
               Case(N_("the identifier in lower case with a trailing space"),
                    (_bird(), _bird(individual_id=_id("12", "1").lower() + " ")), kind="normalise"),
               Case(N_("the identifier with a tab before it, only the bill measured"),
                    (_bird(), _bird(individual_id="\t" + _id("12", "1"), flipper=None, mass=None)), kind="normalise"),
               Case(N_("a keying error in the identifier, the measurements agree"),
                    (_bird(), _bird(individual_id=_id("122", "1"), mass=3725.0)), kind="typo"),
               Case(N_("identifiers with a similarity of exactly 0.9, the measurements agree"),
                    (_bird(individual_id=_id("11", "33")), _bird(individual_id=_id("01", "33"))), kind="threshold"),
               Case(N_("two birds of one nest (identifiers that differ in the egg number) of different sizes"),
                    (_bird(), _bird(individual_id=_id("12", "2"), bill=42.5, flipper=196.0, mass=4300.0)),
                    kind="nestmate"),
               Case(N_("measurements exactly {tolerance:.0%} of the larger value apart", tolerance=0.05),
                    (larger, mismatched), kind="tolerance"),
               Case(N_("a bill {larger:.1%} of the larger value, {smaller:.1%} of the smaller one, apart",
                       larger=1.95 / 40, smaller=1.95 / 38.05),
                    (_bird(bill=40.0), _bird(bill=38.05)), kind="tolerance"),
               Case(N_("a mistyped identifier with only the mass to compare"),
                    (_bird(bill=None, flipper=None), _bird(individual_id=_id("1", "21"), bill=nan, flipper=nan)),
                    kind="evidence"),
               Case(N_("a mistyped identifier and no measurement to compare"),
                    (_bird(bill=None, flipper=None, mass=None), _bird(individual_id=_id("1", "21"))),
                    kind="evidence"),
               Case(N_("a measurement missing in one record (None) and in the other (NaN)"),
                    (_bird(flipper=None), _bird(bill=nan, mass=3800.0)), kind="missing"),
               Case(N_("a measurement missing as pd.NA"), (_bird(bill=pd.NA), _bird(bill=40.0)), kind="missing"),
               Case(N_("the laboratory's record: no measurements at all"),
                    (_bird(), _bird(bill=nan, flipper=nan, mass=nan)), kind="missing"),
               Case(N_("the same identifier in another field season"),
                    (_bird(), _bird(study="PAL0809")), kind="study"),
               Case(N_("two records without a study"), (_bird(study=None), _bird(study=None)), kind="study"),
               Case(N_("a study code in lower case"), (_bird(), _bird(study="pal0708")), kind="study"),
               Case(N_("a record without an identifier"), (_bird(individual_id=None), _bird(individual_id=None)),
                    kind="missing_id"),
               Case(N_("blank identifiers"), (_bird(individual_id=""), _bird(individual_id="  ")), kind="missing_id")],
        solution=_same_bird,
        solution_code=solution_text(_same_bird, "same_bird"),
        hints={"normalise": N_("Agencies write identifiers differently: compare str(x).strip().upper() (strip() "
                               "removes tabs too)."),
               "typo": N_("A dropped, doubled or swapped character is a keying error: use jaro_winkler(id_a, id_b) "
                          ">= 0.9, not ==."),
               "threshold": N_("A similarity of at least 0.9 includes 0.9 itself: use >=, not >."),
               "nestmate": N_("The first and second bird of one nest have identifiers one digit apart (Jaro-Winkler "
                              "about 0.92) but are two birds: a similar identifier needs measurements that agree."),
               "tolerance": tolerance_hint,
               "evidence": evidence_hint,
               "missing": missing_hint,
               "study": N_("Identifiers repeat across field seasons: the studies must be present and equal, compared "
                           "as written."),
               "missing_id": N_("Without an identifier there is nothing to link on: a missing or blank identifier is "
                                "not a match (str(None) == str(None) is not evidence).")},
        generate=_generate_record_pair,
        examples=200,
        misconceptions=[
            Misconception(exact_join, N_("It looks as if identifiers were joined exactly: a keying error or another "
                                         "case is still the same bird when the measurements agree.")),
            Misconception(identifier_only, N_("It looks as if a similar identifier were enough: nest mates have "
                                              "similar identifiers, so the measurements must agree too.")),
            Misconception(missing_disagrees, missing_hint),
            Misconception(any_study, N_("It looks as if the study were not compared: identifiers repeat across field "
                                        "seasons.")),
            Misconception(smaller_value, N_("It looks as if the tolerance were {tolerance:.0%} of the smaller value: "
                                            "the rule takes {tolerance:.0%} of the larger one, abs(x - y) <= 0.05 * "
                                            "max(abs(x), abs(y)).", tolerance=0.05)),
            Misconception(strict_limit, N_("It looks as if measurements exactly {tolerance:.0%} apart were refused: "
                                           "the limit is included (<=, not <).", tolerance=0.05)),
            Misconception(one_measurement_enough, evidence_hint),
            Misconception(no_measurement_needed, evidence_hint),
            Misconception(case_kept, N_("It looks as if identifiers were compared in their own case: compare them "
                                        "in upper case (str(x).strip().upper()).")),
            Misconception(similarity_strict, N_("A similarity of at least 0.9 includes 0.9 itself: use >=, not "
                                                ">.")),
            Misconception(blank_identifiers_link, N_("It looks as if blank identifiers were linked: an empty "
                                                     "identifier is no identifier.")),
            Misconception(evidence_for_equal_identifiers, N_("It looks as if equal identifiers needed two "
                                                             "measurements too: with equal identifiers, every "
                                                             "compared measurement must agree, and none compared "
                                                             "is a match.")),
        ],
        explanation=N_("An exact join loses every mistyped identifier; similarity alone merges nest mates. Letting "
                       "the measurements confirm a similar identifier — and skipping, not failing, the measurements "
                       "a source does not record — is what link_records does with blocking on the study."),
    )


def _with_agreement(a, b, agree):
    """The rule of same_bird with another test of agreement (the misconceptions about the tolerance)."""
    return _same_bird_rule(a, b, agree=agree)


def _same_bird_rule(a, b, *, agree=None, evidence=2, normalise=None, threshold_met=None, blank_is_identifier=False,
                    evidence_if_equal=0):
    """The reference rule with one part changed: the wrong rules are built from it, so each differs in one way."""
    import pandas as pd

    from lifecycle_kit.platform import jaro_winkler

    agree = agree or (lambda x, y: abs(x - y) <= 0.05 * max(abs(x), abs(y)))
    normalise = normalise or (lambda text: text.strip().upper())
    threshold_met = threshold_met or (lambda similarity: similarity >= 0.9)
    if pd.isna(a["study"]) or pd.isna(b["study"]) or a["study"] != b["study"]:
        return False
    if pd.isna(a["individual_id"]) or pd.isna(b["individual_id"]):
        return False
    id_a, id_b = normalise(str(a["individual_id"])), normalise(str(b["individual_id"]))
    if not blank_is_identifier and (not id_a.strip() or not id_b.strip()):
        return False
    pairs = [(a[c], b[c]) for c in ("bill_length_mm", "flipper_length_mm", "body_mass_g")
             if not pd.isna(a[c]) and not pd.isna(b[c])]
    all_agree = all(agree(x, y) for x, y in pairs)
    if id_a == id_b:
        return all_agree and len(pairs) >= evidence_if_equal
    if threshold_met(jaro_winkler(id_a, id_b)):
        return len(pairs) >= evidence and all_agree
    return False


# --- Exercise: the per-source check that names a poisoned source -------------------------------------------


def _suspect_source(records):
    """The source whose labels most often contradict the other sources' records of the same bird."""
    labelled = records.dropna(subset=["species"])  # a record without a label neither votes nor is checked
    birds = {}
    for entity, source, label in zip(labelled["entity"], labelled["source"], labelled["species"]):
        birds.setdefault(entity, []).append((source, label))
    checked, conflicts = {}, {}
    for bird in birds.values():
        for source, label in bird:
            others = [other for other_source, other in bird if other_source != source]
            if not others:
                continue  # no other agency labelled this bird: nothing to check against
            checked[source] = checked.get(source, 0) + 1
            if 2 * sum(other != label for other in others) > len(others):  # a strict majority disagrees
                conflicts[source] = conflicts.get(source, 0) + 1
    if not checked:
        return None
    rates = {source: conflicts.get(source, 0) / count for source, count in checked.items()}
    highest = max(rates.values())
    top = [source for source, rate in rates.items() if rate == highest]
    return top[0] if len(top) == 1 else None  # a tie names no one


def _records(rows):
    import pandas as pd

    return pd.DataFrame(rows, columns=["entity", "source", "species"])


def _three_agencies(birds, wrong, sources=("registry", "survey", "tagging")):
    """Every bird seen by three agencies; ``wrong`` maps (bird, source) to a flipped label."""
    return [(b, s, wrong.get((b, s), "Adelie" if b % 2 else "Gentoo")) for b in birds for s in sources]


def _generate_linked_records(draw):
    """Linked records of up to 6 birds from 2 to 4 sources: birds one source recorded (unchecked), birds a source
    recorded twice, labels flipped so that conflicts are strict majorities, halves, or ties between the other
    sources' labels; missing labels of every kind; rates that tie exactly; other columns with gaps; any order and
    index; entities as numbers or texts."""
    import numpy as np
    import pandas as pd

    sources = draw.one_of([["registry", "survey", "tagging"], ["registry", "survey"],
                           ["registry", "survey", "tagging", "isotope"]])
    labels = ["Adelie", "Gentoo", "Chinstrap"]
    missing = [None, float("nan"), pd.NA]
    rows = []

    def bird(d):
        entity = len(rows) and rows[-1][0] + 1 or 1
        true = d.one_of(labels)

        def record(e):
            source = e.one_of(sources)
            label = e.one_of(["true", "flipped", "missing"], weights=[5, 3, 1])
            if label == "true":
                species = true
            elif label == "flipped":
                species = e.one_of([other for other in labels if other != true])
            else:
                species = e.one_of(missing)
            rows.append((entity, source, species))
        d.items(record, min_size=1, max_size=4)

    draw.items(bird, max_size=6)
    frame = pd.DataFrame(rows, columns=["entity", "source", "species"])
    frame["species"] = frame["species"].astype(draw.one_of([object, "string"]))
    if draw.boolean(0.3):
        frame["entity"] = "B" + frame["entity"].astype(str)
    if draw.boolean(0.3):
        frame["bill_length_mm"] = [draw.one_of([39.1, np.nan]) for _ in range(len(frame))]
    if len(frame) and draw.boolean(0.5):  # the linkage's output need not be sorted by bird
        frame = frame.iloc[draw.one_of([list(range(len(frame)))[::-1], sorted(range(len(frame)),
                                                                               key=lambda i: frame["source"][i])])]
    if draw.boolean(0.3):
        frame.index = [10 * i for i in range(len(frame))]
    return (frame,)


def _rates_naming_one(checked, conflicts):
    if not checked:
        return None
    rates = {source: conflicts.get(source, 0) / count for source, count in checked.items()}
    top = [source for source, rate in rates.items() if rate == max(rates.values())]
    return top[0] if len(top) == 1 else None


def _suspect_with(records, *, conflict=None, others_of=None, keep_missing=False, count_unchecked=False,
                  once_per_bird=False, ties_by_name=False, check_missing=False):
    """The reference rule with one part changed: the wrong rules below are built from it."""
    import pandas as pd

    conflict = conflict or (lambda others, label: 2 * sum(other != label for other in others) > len(others))
    others_of = others_of or (lambda bird, position: [other for source, other in bird if source != bird[position][0]])
    labelled = records if keep_missing else records.dropna(subset=["species"])
    birds = {}
    for entity, source, label in zip(labelled["entity"], labelled["source"], labelled["species"]):
        if not (once_per_bird and any(s == source for s, _ in birds.get(entity, []))):
            birds.setdefault(entity, []).append((source, label))
    checked, conflicts = {}, {}
    for bird in birds.values():
        for position, (source, label) in enumerate(bird):
            if pd.isna(label) and not check_missing:
                continue
            others = others_of(bird, position)
            if not others and not count_unchecked:
                continue
            checked[source] = checked.get(source, 0) + 1
            if others and conflict([other for other in others if not pd.isna(other)] if not keep_missing
                                   else others, label):
                conflicts[source] = conflicts.get(source, 0) + 1
    if not checked:
        return None
    rates = {source: conflicts.get(source, 0) / count for source, count in checked.items()}
    top = sorted(source for source, rate in rates.items() if rate == max(rates.values()))
    return top[0] if len(top) == 1 or ties_by_name else None


def _suspect_exercise():
    import pandas as pd

    def by_count(records):  # the most conflicts, not the highest share
        counts = {}
        for _, bird in records.dropna(subset=["species"]).groupby("entity"):
            for source, label in zip(bird["source"], bird["species"]):
                others = bird.loc[bird["source"] != source, "species"]
                if len(others) and 2 * (others != label).sum() > len(others):
                    counts[source] = counts.get(source, 0) + 1
        return max(counts, key=counts.get) if counts else None

    def disagrees(others, label):  # missing labels kept: a record without a label disagrees with every label
        return 2 * sum(pd.isna(other) or pd.isna(label) or other != label for other in others) > len(others)

    def missing_labels_vote(records):
        return _suspect_with(records, keep_missing=True, check_missing=True, conflict=disagrees)

    def all_records(records):  # unchecked records in the denominator
        return _suspect_with(records, count_unchecked=True)

    def ties_by_name(records):
        return _suspect_with(records, ties_by_name=True)

    def any_disagreement(records):  # one dissenting record taken as a conflict
        return _suspect_with(records, conflict=lambda others, label: any(other != label for other in others))

    def half_is_enough(records):  # half of the others disagreeing taken as a conflict
        return _suspect_with(records, conflict=lambda others, label: 2 * sum(o != label for o in others) >= len(
            others))

    def all_disagree(records):  # every other record must disagree
        return _suspect_with(records, conflict=lambda others, label: all(other != label for other in others))

    def own_source_votes(records):  # the source's own other records of the bird compared too
        return _suspect_with(records, others_of=lambda bird, position: [other for i, (_s, other) in enumerate(bird)
                                                                        if i != position])

    def against_the_mode(records):  # the most common label of the others, not a strict majority against
        return _suspect_with(records, conflict=lambda others, label: pd.Series(others).mode().iloc[0] != label)

    def once_per_bird(records):  # a source's second record of a bird dropped
        return _suspect_with(records, once_per_bird=True)

    def unlabelled_others_check(records):  # checked when another source recorded the bird, labelled or not
        return _suspect_with(records, keep_missing=True,
                             conflict=lambda others, label: 2 * sum(not pd.isna(o) and o != label for o in others)
                             > sum(not pd.isna(o) for o in others))

    basic = _three_agencies(range(1, 4), {(1, "tagging"): "Chinstrap", (3, "tagging"): "Gentoo"})
    by_rate = (_three_agencies(range(1, 11), {(1, "registry"): "Chinstrap", (2, "registry"): "Chinstrap",
                                               (3, "registry"): "Chinstrap"}, ("registry", "tagging", "isotope"))
               + _three_agencies((11, 12), {(11, "survey"): "Chinstrap", (12, "survey"): "Chinstrap"},
                                 ("survey", "tagging", "isotope")))
    nan = float("nan")
    with_missing = (_three_agencies(range(1, 4), {(1, "tagging"): "Chinstrap"})
                    + [(b, s, "Gentoo") for b in (4, 5, 6) for s in ("survey", "tagging")]
                    + [(b, "registry", nan) for b in (4, 5, 6)])
    with_singles = (_three_agencies(range(1, 5), {(1, "survey"): "Chinstrap", (2, "tagging"): "Chinstrap",
                                                  (3, "tagging"): "Chinstrap"})
                    + [(b, "tagging", "Adelie") for b in range(5, 13)])
    tie = _three_agencies(range(1, 5), {(1, "registry"): "Chinstrap", (2, "tagging"): "Chinstrap"})
    # Bird 2: one agency dissents; each of the two others sees one label for and one against (no majority).
    one_dissent = _three_agencies(range(1, 4), {(2, "survey"): "Chinstrap"})
    # The survey recorded bird 4 twice, with two labels, and nobody else did: its own records do not vote.
    twice = _three_agencies(range(1, 4), {(1, "tagging"): "Chinstrap"}) + [(4, "survey", "Adelie"),
                                                                             (4, "survey", "Gentoo")]
    # The registry recorded bird 1 twice, once as the tagging agency did and once not: two records, one conflict.
    twice_checked = [(1, "registry", "Adelie"), (1, "registry", "Chinstrap"), (1, "tagging", "Adelie")]
    # Bird 1: two labels, two agencies each: every record sees two of its three others disagree (a conflict).
    two_of_three = [(1, "registry", "Adelie"), (1, "survey", "Adelie"), (1, "tagging", "Gentoo"),
                    (1, "isotope", "Gentoo"), (2, "registry", "Chinstrap"), (2, "survey", "Adelie"),
                    (2, "tagging", "Adelie")]
    unlabelled_other = [(1, "registry", "Adelie"), (1, "survey", nan)]
    unsorted = _records(basic).sort_values("source", kind="stable").set_axis(range(100, 100 + len(basic)))
    extra = _records(with_missing).assign(bill_length_mm=[39.1, nan] * (len(with_missing) // 2))
    share_hint = N_("Compare shares, not counts: a large source has more conflicts simply because it has more "
                    "records.")
    majority_hint = N_("A record conflicts when a strict majority of the other sources' labelled records of the "
                       "bird carry another label: more than half, not half, not merely the most common label, not "
                       "any one dissenter.")
    return CodeExercise(
        N_("Write suspect_source(records): records is a DataFrame with columns 'entity' (the bird, from the "
           "linkage), 'source' and 'species' (in any order, with any index, maybe other columns too; a species "
           "may be missing — None, NaN or pd.NA — and such a record neither votes nor is checked). A record is "
           "checked when records of the same bird from other sources (not its own source's other records) carry "
           "a label; it conflicts when more than half of those other records carry another label (exactly half is "
           "not a conflict). A source's share is its conflicts over its checked records. Return the source with "
           "the highest share — or None when no record can be checked, or when two sources or more tie for the "
           "highest share."),
        cases=[Case(N_("three agencies, one contradicts the other two"), (_records(basic),)),
               Case(N_("a large source with more conflicts, a small one with a higher share"), (_records(by_rate),),
                    kind="rate"),
               Case(N_("records without a label"), (_records(with_missing),), kind="missing"),
               Case(N_("records without a label, and another column with gaps"), (extra,), kind="missing"),
               Case(N_("birds only one agency recorded"), (_records(with_singles),), kind="unchecked"),
               Case(N_("a bird whose other record has no label"), (_records(unlabelled_other),), kind="unchecked"),
               Case(N_("two sources with the same share"), (_records(tie),), kind="tie"),
               Case(N_("one agency dissents on a bird: each of the two others sees one label for, one against"),
                    (_records(one_dissent),), kind="majority"),
               Case(N_("two of the three other agencies contradict a record"), (_records(two_of_three),),
                    kind="majority"),
               Case(N_("an agency that recorded a bird twice, with two labels, and nobody else did"),
                    (_records(twice),), kind="own"),
               Case(N_("an agency that recorded a bird twice, another agency once"), (_records(twice_checked),),
                    kind="each"),
               Case(N_("records not sorted by bird, with another index"), (unsorted,), kind="order"),
               Case(N_("an empty table"), (_records([]),), kind="empty")],
        solution=_suspect_source,
        solution_code=solution_text(_suspect_source, "suspect_source"),
        hints={"basic": N_("For each bird, compare each record with the *other sources'* records of it; a conflict "
                           "needs a strict majority of them to disagree (one dissenting neighbour is not enough)."),
               "rate": share_hint,
               "missing": N_("A missing label is neither a vote nor a conflict: drop records without a label first "
                             "(records.dropna(subset=['species'])), and only those: other columns may have gaps."),
               "unchecked": N_("Count only checked records in the denominator: a record is checked only when another "
                               "agency's record of the bird has a label; a bird no other agency labelled cannot "
                               "contradict anyone."),
               "each": N_("Every record is checked on its own: a source that recorded a bird twice has two records "
                          "checked, each against the other sources."),
               "tie": N_("When two sources share the highest rate the evidence names no one: return None rather than "
                         "the first name in the alphabet."),
               "majority": majority_hint,
               "own": N_("A source does not vote on its own records: compare a record only with the records of "
                         "other sources (records of its own source are left out, even when they disagree)."),
               "order": N_("The records need not be sorted by bird: group them by entity (groupby), do not walk "
                           "them in order."),
               "empty": N_("With nothing to check, return None (max of an empty dict raises).")},
        generate=_generate_linked_records,
        examples=120,
        shrink_budget=100,
        misconceptions=[
            Misconception(by_count, share_hint),
            Misconception(missing_labels_vote, N_("It looks as if records without a label were counted: a missing "
                                                  "label is neither a vote nor a conflict.")),
            Misconception(all_records, N_("It looks as if every record were in the denominator: only checked "
                                          "records count, a bird no other source recorded cannot contradict "
                                          "anyone.")),
            Misconception(ties_by_name, N_("It looks as if a tie were broken by name: when two sources share the "
                                           "highest share, the evidence names no one (None).")),
            Misconception(any_disagreement, majority_hint),
            Misconception(half_is_enough, majority_hint),
            Misconception(against_the_mode, majority_hint),
            Misconception(all_disagree, majority_hint),
            Misconception(own_source_votes, N_("It looks as if a source's own other records of the bird were "
                                               "compared too: only the other sources' records vote.")),
            Misconception(once_per_bird, N_("It looks as if a source's second record of a bird were dropped: every "
                                            "record is checked on its own.")),
            Misconception(unlabelled_others_check, N_("It looks as if a record counted as checked when the other "
                                                      "sources' records of the bird have no label: nothing checks it "
                                                      "then, so it stays out of the denominator.")),
        ],
        explanation=N_("Linked records let the agencies check each other, and no model is needed: a source whose "
                       "labels the others contradict far more often than they contradict each other is the suspect. "
                       "A rate over checked records is fair to small and large sources; a tie, or nothing checked, "
                       "names no one."),
    )


def questions():
    from lifecycle_kit.platform import POISONABLE, unified_spec

    poisoned = _poisoned_source()
    # Whether the poisoned source was a trusted one depends on the seed: the texts below say what is true of it
    # (each variant one whole phrase, so that it can be translated as a sentence, not pieced together).
    trusted = poisoned in unified_spec().trusted_sources
    if trusted:
        poisoned_explanation = N_(
            "Two independent signals confirm it: its labels contradict the other agencies on the same birds far "
            "more often than any other source's, and dropping it improves the audit log-loss far more than dropping "
            "any other source. Note what did not point to it: its standing (it is on the list of trusted sources) "
            "and the form of its records (they are as clean as any).")
        credibility_hint = N_("The poisoned source was on the trusted list: trust in a source is not proof of its "
                              "data.")
    else:
        poisoned_explanation = N_(
            "Two independent signals confirm it: its labels contradict the other agencies on the same birds far "
            "more often than any other source's, and dropping it improves the audit log-loss far more than dropping "
            "any other source. Note what did not point to it: its standing alone (an untrusted source is a reason "
            "to check, not proof) and the form of its records (they are as clean as any).")
        credibility_hint = N_("Being untrusted is a reason to look, not evidence that labels were flipped.")
    investigation = Investigation(
        N_("Commit to a suspect and a reason before any evidence; weigh the evidence; review the flagged "
           "records; then reveal the truth."),
        options=POISONABLE,
        truth=_poisoned_facts,
        solution_steps={"commit": _COMMIT_STEP, "review": _REVIEW_STEP, "reveal": _REVEAL_STEP},
        explanation=N_("A suspect named before the evidence is a hypothesis, not a finding. The poisoned agency is "
                       "named by two independent signals — its labels contradict the other agencies' records of "
                       "the same birds, and dropping it helps the model most on the trusted audit sample — and "
                       "a person's review of the flags measures how far the flags themselves can be trusted."),
    )
    return {
        "investigation": investigation,
        "least_privilege": CheckQuestion(
            N_("Design least-privilege scopes for the three roles: each reads only what its purpose needs."),
            checker=_least_privilege_checker,
            solution_text=N_("mass_monitor: source, island, body_mass_g; survey_partner: individual_id, island, "
                             "body_mass_g, rows of field_survey only; diet_researcher: study, delta_15n, delta_13c."),
            solution_code=_LEAST_PRIVILEGE,
            explanation=N_("Least privilege starts from nothing and grants each purpose what it needs: the monitor "
                           "watches mass per island and source, the partner reconciles its own records, the "
                           "researcher compares isotope ratios per season. What a role can still infer from what it "
                           "reads — body mass says much about species and sex — is measured, not assumed."),
        ),
        "poisoned_source": CommittedChoice(
            N_("With the evidence of sections 3 and 7 in front of you: one agency's species labels were poisoned. "
               "Which one? (Compare it with the suspect you committed to in section 1.)"),
            options={name: name for name in POISONABLE},
            correct=poisoned,
            hints={name: N_("Not this one. In the linkage lab (section 3), and in your suspect_source check, read "
                            "which source's labels contradict the other agencies' records of the same birds; in "
                            "section 7, which source, when dropped, improves the model on the trusted audit sample "
                            "the most.")
                   for name in POISONABLE if name != poisoned},
            explanation=poisoned_explanation,
            investigation=investigation,  # its verdict names the truth: judged only after the commitment
        ),
        "species_blocking": ChoiceQuestion(
            N_("Predict before you change the lab: blocking moves from 'study' to 'study + species' (threshold "
               "0.95, identifier weight 0.5). What happens to the recall of the links?"),
            options={"falls": N_("It falls: some records of one bird land in different blocks."),
                     "rises": N_("It rises: smaller blocks leave fewer wrong candidates."),
                     "same": N_("It stays the same: species is standardised.")},
            correct="falls",
            hints={"rises": N_("Smaller blocks can raise precision; recall counts the true links found, and a pair "
                               "that is never compared cannot be found."),
                   "same": N_("The code lists are standardised, but the labels themselves are not all true.")},
            explanation=N_("Blocking compares only records that agree on the blocking keys. A flipped species label "
                       "puts a bird's records in different blocks, so their link is never even considered: "
                       "blocking keys must be columns every source records reliably, not a label an attacker "
                       "can change."),
        ),
        "audit_deletion": NumericQuestion(
            N_("An administrator deletes entry {deleted} (0-based) of an audit log with {entries} entries. "
               "Verification, log.verify(), then returns (False, index): which index?", deleted=DELETED,
               entries=LOG_ENTRIES),
            answer=_first_broken_after_deletion,
            tolerance=0,
            distractors=_audit_distractors()[0],
            distractor_hints=_audit_distractors()[1],
            explanation=N_("The entry after the deleted one moves up to its index: its sequence number and its link to "
                           "the previous hash no longer fit there, so the chain breaks exactly where the deletion "
                           "happened. Entries before it still verify, and verification stops at the first entry that "
                           "does not fit."),
        ),
        "monitor_per_source": ChoiceQuestion(
            N_("Why does the platform monitor every source against its own reference instead of only the fused "
               "table?"),
            options={"a": N_("A fault in one agency is diluted by the sources that did not change, so the fused "
                             "distribution may barely move."),
                     "b": N_("Drift tests cannot be run on more than 100 rows."),
                     "c": N_("Every source has its own drift test.")},
            correct="a",
            hints={"b": N_("The tests run on any size; larger samples make them more sensitive, not less."),
                   "c": N_("The same test (Kolmogorov-Smirnov with a Holm correction) is used for every source.")},
            explanation=N_("A scale reading {error:.0%} heavy in one of the three agencies that weigh birds moves "
                           "the platform's mass distribution by only a third to a half of that (the source's share of "
                           "the weighed birds); per source, the shift is full size and the alarm names the source to "
                           "call.", error=0.15),
        ),
        "per_source_quality": ChoiceQuestion(
            N_("The fused table's value completeness (Com-ML-1) is one number for the whole platform. What does it "
               "hide that the per-source table shows?"),
            options={"one_source": N_("which agency causes the gaps, and in which columns"),
                     "nothing": N_("nothing: the fused table is what the model sees"),
                     "poison": N_("whether labels were flipped")},
            correct="one_source",
            hints={"nothing": N_("An average over sources is dominated by the large ones: look at the isotope "
                                 "laboratory's column in the per-source table."),
                   "poison": N_("True, but no completeness score would show that: the question is what this score "
                                "hides that a per-source score would show.")},
            explanation=N_("A platform-level score averages over sources: the isotope laboratory records no body "
                       "measurements, and its gaps are mixed with the three other agencies' few. Assessed per "
                       "source, the problem has a name and an address — the agency to call."),
        ),
        "evidence": ChoiceQuestion(
            N_("Which evidence named the poisoned source without relying on any model?"),
            options={"conflicts": N_("its labels contradict other agencies' records of the same birds"),
                     "quality": N_("its ISO/IEC 5259-2 measures per source"),
                     "credibility": N_("its credibility (Cre-ML-2) in the quality table")},
            correct="conflicts",
            hints={"quality": N_("Read the per-source quality table again: the poisoned source looks as clean as "
                                 "any. Quality measures see form, not truth."),
                   "credibility": credibility_hint},
            explanation=N_("Linking the records of one bird across agencies lets the agencies check each other: a "
                       "source whose labels contradict the others on the same birds stands out. The per-source "
                       "impact test is the second, independent signal — it needs a model and a trusted audit "
                       "sample."),
        ),
        "same_bird": _linkage_exercise(),
        "suspect_source": _suspect_exercise(),
        "claimed_results": ChoiceQuestion(
            N_("The article reports that in 2018 Yantai's telecom and online fraud cases fell by {cases:.1%} and the "
               "amounts defrauded by {amounts:.1%}, year on year. Which evidence would show that data policing caused "
               "the fall? Pick all that apply.", cases=0.102, amounts=0.409),
            options={"trend": N_("The same figures for several earlier years, and for comparable cities without the "
                                 "programme over the same years."),
                     "definitions": N_("That cases and amounts were defined and counted the same way in both years."),
                     "size": N_("The size of the fall: a drop of {amounts:.1%} is too large to be chance.",
                                amounts=0.409),
                     "arrests": N_("How many arrests the platform's alerts led to.")},
            correct={"trend", "definitions"},
            hints={"size": N_("A large change can have many causes (a national campaign, a change in how cases are "
                              "counted); one year against the year before has no comparison."),
                   "arrests": N_("Arrests measure how much the platform was used, not what it changed: they can rise "
                                 "while fraud rises too.")},
            explanation=N_("A cause needs a comparison: the trend before the programme, places without it over the "
                           "same years (a difference in the changes), and unchanged definitions. The article is a "
                           "news-centre report, not an evaluation; quote its figures as claims."),
        ),
    }
