"""Self-checks of 11_capstone_multi_source: the poisoned source, blocking, the audit chain, per-source monitoring;
code exercises: a linkage rule and the per-source check that names a poisoned source."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise
from lifecycle_kit.course.exercises import ChoiceQuestion, NumericQuestion
from lifecycle_kit.i18n import N_
from lifecycle_kit.course.selfchecks._source import solution_text

#: The capstone's sources: the seed and the share of one source's labels the attacker flipped.
SEED, POISON_RATE = 0, 0.4


def _poisoned_source():
    from lifecycle_kit.platform import agency_sources

    return agency_sources(poison_rate=POISON_RATE, random_state=SEED).poisoned["source"]


def _first_broken_after_deletion():
    """Delete entry 3 of a five-entry audit log; where does verification break?"""
    import pandas as pd

    from lifecycle_kit.platform import AccessLayer, Scope

    layer = AccessLayer(pd.DataFrame({"a": [1, 2]}), {"analyst": Scope(columns=["a"])},)
    for _ in range(5):
        layer.read("analyst")
    del layer.log.entries[3]
    return layer.log.verify()[1]


# --- Exercise: a linkage rule -------------------------------------------------------------------------------


def _same_bird(a, b):
    """Two standardised records (dicts) describe the same bird."""
    from lifecycle_kit.platform import jaro_winkler

    def present(value):
        return value is not None and value == value  # NaN is the one value not equal to itself

    if not present(a["study"]) or a["study"] != b["study"]:
        return False
    if not present(a["individual_id"]) or not present(b["individual_id"]):
        return False
    id_a = str(a["individual_id"]).strip().upper()
    id_b = str(b["individual_id"]).strip().upper()
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


def _same_bird_exact(a, b):
    return a["study"] == b["study"] and a["individual_id"] == b["individual_id"]


def _same_bird_identifier_only(a, b):
    from lifecycle_kit.platform import jaro_winkler

    same_id = jaro_winkler(str(a["individual_id"]).strip().upper(), str(b["individual_id"]).strip().upper()) >= 0.9
    return a["study"] == b["study"] and same_id


def _same_bird_missing_disagrees(a, b):
    from lifecycle_kit.platform import jaro_winkler

    if a["study"] != b["study"]:
        return False
    id_a, id_b = str(a["individual_id"]).strip().upper(), str(b["individual_id"]).strip().upper()
    close = all(abs(a[c] - b[c]) <= 0.05 * max(abs(a[c]), abs(b[c]))
                for c in ("bill_length_mm", "flipper_length_mm", "body_mass_g"))
    return close and jaro_winkler(id_a, id_b) >= 0.9


def _same_bird_any_study(a, b):
    return _same_bird({**a, "study": "X"}, {**b, "study": "X"})


def _linkage_exercise():
    nan = float("nan")
    return CodeExercise(
        N_("Write same_bird(a, b): True when two standardised records (dicts with 'study', 'individual_id', "
           "'bill_length_mm', 'flipper_length_mm', 'body_mass_g'; any value may be None or NaN) describe the same "
           "bird. The rule: the studies must be present and equal; both identifiers present. Compare identifiers "
           "in upper case without surrounding spaces. Compare each measurement present in both records: it agrees "
           "when the two values are within {tolerance:.0%} of the larger one. Equal identifiers: a match when "
           "every compared measurement agrees (none compared is a match). Identifiers that differ but have a "
           "Jaro-Winkler similarity of at least 0.9 (jaro_winkler from lifecycle_kit.platform; a keying error): a "
           "match only when at least two measurements were compared and all agree. Anything else: not a match.",
           tolerance=0.05),
        cases=[Case(N_("one bird, re-measured by another agency"), (_bird(), _bird(bill=39.3, flipper=182.0))),
               Case(N_("the identifier in lower case with a trailing space"),
                    (_bird(), _bird(individual_id=_id("12", "1").lower() + " ")), kind="normalise"),
               Case(N_("a keying error in the identifier, the measurements agree"),
                    (_bird(), _bird(individual_id=_id("122", "1"), mass=3725.0)), kind="typo"),
               Case(N_("two birds of one nest (identifiers that differ in the egg number) of different sizes"),
                    (_bird(), _bird(individual_id=_id("12", "2"), bill=42.5, flipper=196.0, mass=4300.0)),
                    kind="nestmate"),
               Case(N_("a mistyped identifier with only the mass to compare"),
                    (_bird(bill=None, flipper=None), _bird(individual_id=_id("1", "21"), bill=nan, flipper=nan)),
                    kind="evidence"),
               Case(N_("a measurement missing in one record (None) and in the other (NaN)"),
                    (_bird(flipper=None), _bird(bill=nan, mass=3800.0)), kind="missing"),
               Case(N_("the laboratory's record: no measurements at all"),
                    (_bird(), _bird(bill=nan, flipper=nan, mass=nan)), kind="missing"),
               Case(N_("the same identifier in another field season"),
                    (_bird(), _bird(study="PAL0809")), kind="study"),
               Case(N_("a record without an identifier"), (_bird(individual_id=None), _bird(individual_id=None)),
                    kind="missing_id")],
        solution=_same_bird,
        solution_code=solution_text(_same_bird, "same_bird"),
        hints={"normalise": N_("Agencies write identifiers differently: compare str(x).strip().upper()."),
               "typo": N_("A dropped, doubled or swapped character is a keying error: use jaro_winkler(id_a, id_b) "
                          ">= 0.9, not ==."),
               "nestmate": N_("The first and second bird of one nest have identifiers one digit apart (Jaro-Winkler "
                              "about 0.92) but are two birds: a similar identifier needs measurements that agree."),
               "evidence": N_("One agreeing measurement is weak evidence for a mistyped identifier: require at least "
                              "two compared measurements."),
               "missing": N_("Compare only measurements present in both records; skip None and NaN (x == x is False "
                             "for NaN). With equal identifiers and nothing to compare, it is a match."),
               "study": N_("Identifiers repeat across field seasons: the studies must be equal."),
               "missing_id": N_("Without an identifier there is nothing to link on: str(None) == str(None) is not "
                                "evidence.")},
        wrong_answers={"exact join": _same_bird_exact, "identifier similarity only": _same_bird_identifier_only,
                       "missing measurements disagree": _same_bird_missing_disagrees,
                       "ignores the study": _same_bird_any_study},
        explanation=N_("An exact join loses every mistyped identifier; similarity alone merges nest mates. Letting "
                       "the measurements confirm a similar identifier — and skipping, not failing, the measurements "
                       "a source does not record — is what link_records does with blocking on the study."),
    )


# --- Exercise: the per-source check that names a poisoned source -------------------------------------------


def _suspect_source(records):
    """The source whose labels most often contradict the other sources' records of the same bird."""
    checked, conflicts = {}, {}
    labelled = records.dropna(subset=["species"])
    for _, bird in labelled.groupby("entity"):
        for source, label in zip(bird["source"], bird["species"]):
            others = bird.loc[bird["source"] != source, "species"]
            if len(others) == 0:
                continue  # no other agency recorded this bird: nothing to check against
            checked[source] = checked.get(source, 0) + 1
            if 2 * (others != label).sum() > len(others):
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


def _suspect_by_count(records):
    counts = {}
    labelled = records.dropna(subset=["species"])
    for _, bird in labelled.groupby("entity"):
        for source, label in zip(bird["source"], bird["species"]):
            others = bird.loc[bird["source"] != source, "species"]
            if len(others) and 2 * (others != label).sum() > len(others):
                counts[source] = counts.get(source, 0) + 1
    return max(counts, key=counts.get) if counts else None


def _rates_naming_one(checked, conflicts):
    if not checked:
        return None
    rates = {source: conflicts.get(source, 0) / count for source, count in checked.items()}
    top = [source for source, rate in rates.items() if rate == max(rates.values())]
    return top[0] if len(top) == 1 else None


def _suspect_keeping_missing(records):
    checked, conflicts = {}, {}
    for _, bird in records.groupby("entity"):  # records without a label are kept
        for source, label in zip(bird["source"], bird["species"]):
            others = bird.loc[bird["source"] != source, "species"]
            if len(others):
                checked[source] = checked.get(source, 0) + 1
                if 2 * (others != label).sum() > len(others):
                    conflicts[source] = conflicts.get(source, 0) + 1
    return _rates_naming_one(checked, conflicts)


def _suspect_all_records(records):
    checked, conflicts = {}, {}
    labelled = records.dropna(subset=["species"])
    for _, bird in labelled.groupby("entity"):
        for source, label in zip(bird["source"], bird["species"]):
            checked[source] = checked.get(source, 0) + 1  # also birds no other agency saw
            others = bird.loc[bird["source"] != source, "species"]
            if len(others) and 2 * (others != label).sum() > len(others):
                conflicts[source] = conflicts.get(source, 0) + 1
    if not checked:
        return None
    return max(sorted(checked), key=lambda s: conflicts.get(s, 0) / checked[s])


def _suspect_without_ties(records):
    checked, conflicts = {}, {}
    for _, bird in records.dropna(subset=["species"]).groupby("entity"):
        for source, label in zip(bird["source"], bird["species"]):
            others = bird.loc[bird["source"] != source, "species"]
            if len(others):
                checked[source] = checked.get(source, 0) + 1
                conflicts[source] = conflicts.get(source, 0) + int(2 * (others != label).sum() > len(others))
    if not checked:
        return None
    return max(sorted(checked), key=lambda s: conflicts[s] / checked[s])


def _suspect_any_disagreement(records):
    checked, conflicts = {}, {}
    for _, bird in records.dropna(subset=["species"]).groupby("entity"):
        for source, label in zip(bird["source"], bird["species"]):
            others = bird.loc[bird["source"] != source, "species"]
            if len(others):
                checked[source] = checked.get(source, 0) + 1
                if (others != label).any():  # one dissenting neighbour is taken as a conflict
                    conflicts[source] = conflicts.get(source, 0) + 1
    return _rates_naming_one(checked, conflicts)


def _suspect_exercise():
    nan = float("nan")
    basic = _three_agencies(range(1, 4), {(1, "tagging"): "Chinstrap", (3, "tagging"): "Gentoo"})
    by_rate = (_three_agencies(range(1, 11), {(1, "registry"): "Chinstrap", (2, "registry"): "Chinstrap",
                                               (3, "registry"): "Chinstrap"}, ("registry", "tagging", "isotope"))
               + _three_agencies((11, 12), {(11, "survey"): "Chinstrap", (12, "survey"): "Chinstrap"},
                                 ("survey", "tagging", "isotope")))
    with_missing = (_three_agencies(range(1, 4), {(1, "tagging"): "Chinstrap"})
                    + [(b, s, "Gentoo") for b in (4, 5, 6) for s in ("survey", "tagging")]
                    + [(b, "registry", nan) for b in (4, 5, 6)])
    with_singles = (_three_agencies(range(1, 5), {(1, "survey"): "Chinstrap", (2, "tagging"): "Chinstrap",
                                                  (3, "tagging"): "Chinstrap"})
                    + [(b, "tagging", "Adelie") for b in range(5, 13)])
    tie = _three_agencies(range(1, 5), {(1, "registry"): "Chinstrap", (2, "tagging"): "Chinstrap"})
    return CodeExercise(
        N_("Write suspect_source(records): records is a DataFrame with columns 'entity' (the bird, from the "
           "linkage), 'source' and 'species' (may be missing). A record is checked when other sources have labelled "
           "records of the same bird; it conflicts when a strict majority of those other records carry another "
           "label. Return the source with the highest share of conflicts among its checked records — or None when "
           "no record can be checked or when two sources tie for the highest share."),
        cases=[Case(N_("three agencies, one contradicts the other two"), (_records(basic),)),
               Case(N_("a large source with more conflicts, a small one with a higher share"), (_records(by_rate),),
                    kind="rate"),
               Case(N_("records without a label"), (_records(with_missing),), kind="missing"),
               Case(N_("birds only one agency recorded"), (_records(with_singles),), kind="unchecked"),
               Case(N_("two sources with the same share"), (_records(tie),), kind="tie"),
               Case(N_("an empty table"), (_records([]),), kind="empty")],
        solution=_suspect_source,
        solution_code=solution_text(_suspect_source, "suspect_source"),
        hints={"basic": N_("For each bird, compare each record with the *other sources'* records of it; a conflict "
                           "needs a strict majority of them to disagree (one dissenting neighbour is not enough)."),
               "rate": N_("Compare shares, not counts: a large source has more conflicts simply because it has more "
                          "records."),
               "missing": N_("A missing label is neither a vote nor a conflict: drop records without a label first "
                             "(records.dropna(subset=['species']))."),
               "unchecked": N_("Count only checked records in the denominator: a bird no other agency recorded cannot "
                               "contradict anyone."),
               "tie": N_("When two sources share the highest rate the evidence names no one: return None rather than "
                         "the first name in the alphabet."),
               "empty": N_("With nothing to check, return None (max of an empty dict raises).")},
        wrong_answers={"counts conflicts": _suspect_by_count, "missing labels vote": _suspect_keeping_missing,
                       "divides by all records": _suspect_all_records, "breaks ties by name": _suspect_without_ties,
                       "any disagreement is a conflict": _suspect_any_disagreement},
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
    return {
        "poisoned_source": ChoiceQuestion(
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
            N_("An administrator deletes entry 3 (0-based) of an audit log with five entries. At which index does "
               "verification report the first broken entry?"),
            answer=_first_broken_after_deletion,
            tolerance=0,
            distractors={N_("the index the moved entry had before the deletion"):
                         lambda: _first_broken_after_deletion() + 1,
                         N_("the entry before the deleted one"): lambda: _first_broken_after_deletion() - 1,
                         N_("the number of entries before the deletion"): 5},
            explanation=N_("Entry 4 moves to position 3: its sequence number and its link to the previous hash no "
                       "longer fit, so the chain breaks exactly where the deletion happened. Entries before it "
                       "still verify."),
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
    }
