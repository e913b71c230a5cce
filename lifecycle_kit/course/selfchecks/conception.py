"""Self-checks of 01_conception: sources and trust, relevance and leaks."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise, Misconception
from lifecycle_kit.course.exercises import CheckQuestion, ChoiceQuestion
from lifecycle_kit.course.selfchecks._source import solution_text
from lifecycle_kit.i18n import N_


def _screen_checker(answer):
    from lifecycle_kit.conception import add_probe_columns, relevance_screen
    from lifecycle_kit.datasets import load

    data = load("breast_cancer")
    screen = relevance_screen(add_probe_columns(data.frame, data.target, random_state=0), data.target)
    truth = set(screen.loc[screen["flag"] == "suspected leak", "feature"])
    given = {answer} if isinstance(answer, str) else set(answer)
    if given == truth:
        return True, N_("The record number was assigned after sorting by diagnosis: it encodes the label.")
    if "noise" in given:
        return False, N_("noise carries no information at all: it is the opposite of a leak. Look at the red bar.")
    return False, N_("Look for the feature flagged 'suspected leak' in the screen's table.")


def _uncovered_needs(needs, sources, min_trust):
    from lifecycle_kit.conception import TRUST_LEVELS

    rank = {level: i for i, level in enumerate(TRUST_LEVELS)}
    covered = set()
    for source in sources:
        trust = source.get("trust")  # None, NaN or no key at all: nobody recorded it
        if trust in rank and rank[trust] >= rank[min_trust]:
            covered.update(source["provides"])
    return [need for need in needs if need not in covered]


_NEEDS = ["tumour measurements", "diagnosis labels", "patient age", "imaging metadata"]
_NO_TRUST = object()  # a generated source without a 'trust' key


def _source(name, trust, *provides):
    return {"name": name, "trust": trust, "provides": list(provides)}


def _generate_registry(draw):
    """A registry: distinct needs in any order, sources that overlap, trust at, above and below the minimum, or
    missing in every way (None, NaN, no key)."""
    pool = _NEEDS + ["consent records"]
    needs = draw.sample(pool, max_size=4)
    sources = []

    def source(d):
        trust = d.one_of(["trusted", "verified", "unknown", "untrusted", None, float("nan"), _NO_TRUST],
                         weights=[3, 3, 3, 2, 1, 1, 1])
        made = {"name": f"source {len(sources) + 1}", "trust": trust, "provides": d.items(
            lambda e: e.one_of(pool), max_size=3)}
        if trust is _NO_TRUST:
            del made["trust"]
        sources.append(made)
        return made

    draw.items(source, max_size=5)
    return needs, sources, draw.one_of(["trusted", "unknown", "verified", "untrusted"])


def _uncovered_needs_exercise():
    from lifecycle_kit.conception import TRUST_LEVELS

    def strict(needs, sources, min_trust):  # "at least" read as "more than"
        rank = {level: i for i, level in enumerate(TRUST_LEVELS)}
        covered = {n for s in sources if s.get("trust") in rank and rank[s["trust"]] > rank[min_trust]
                   for n in s["provides"]}
        return [n for n in needs if n not in covered]

    def alphabetical(needs, sources, min_trust):  # compares the words, not the levels
        covered = {n for s in sources if isinstance(s.get("trust"), str) and s["trust"] >= min_trust
                   for n in s["provides"]}
        return [n for n in needs if n not in covered]

    def trusts_everything_recorded(needs, sources, min_trust):  # never looks at the trust at all
        covered = {n for s in sources for n in s["provides"]}
        return [n for n in needs if n not in covered]

    def crashes_on_unrecorded_trust(needs, sources, min_trust):
        covered = {n for s in sources if TRUST_LEVELS.index(s["trust"]) >= TRUST_LEVELS.index(min_trust)
                   for n in s["provides"]}
        return [n for n in needs if n not in covered]

    def last_source_decides(needs, sources, min_trust):  # the trust of the last source that provides a need
        trust_of = {n: s.get("trust") for s in sources for n in s["provides"]}
        rank = {level: i for i, level in enumerate(TRUST_LEVELS)}
        return [n for n in needs if not (trust_of.get(n) in rank and rank[trust_of[n]] >= rank[min_trust])]

    def first_source_decides(needs, sources, min_trust):  # the first source that provides a need
        rank = {level: i for i, level in enumerate(TRUST_LEVELS)}
        out = []
        for n in needs:
            first = next((s for s in sources if n in s["provides"]), None)
            if first is None or not (first.get("trust") in rank and rank[first["trust"]] >= rank[min_trust]):
                out.append(n)
        return out

    def most_trusted_first(needs, sources, min_trust):  # TRUST_LEVELS read the other way round
        rank = {level: i for i, level in enumerate(TRUST_LEVELS)}
        covered = {n for s in sources if s.get("trust") in rank and rank[s["trust"]] <= rank[min_trust]
                   for n in s["provides"]}
        return [n for n in needs if n not in covered]

    def trust_and_provision_apart(needs, sources, min_trust):  # one source provides, another is trusted
        rank = {level: i for i, level in enumerate(TRUST_LEVELS)}
        trusted_enough = any(s.get("trust") in rank and rank[s["trust"]] >= rank[min_trust] for s in sources)
        provided = {n for s in sources for n in s["provides"]}
        return [n for n in needs if not (trusted_enough and n in provided)]

    def unrecorded_as_unknown(needs, sources, min_trust):  # a missing trust read as 'unknown'
        rank = {level: i for i, level in enumerate(TRUST_LEVELS)}
        covered = {n for s in sources if rank.get(s.get("trust"), rank["unknown"]) >= rank[min_trust]
                   for n in s["provides"]}
        return [n for n in needs if n not in covered]

    def in_alphabetical_order(needs, sources, min_trust):  # a set difference, sorted
        rank = {level: i for i, level in enumerate(TRUST_LEVELS)}
        covered = {n for s in sources if s.get("trust") in rank and rank[s["trust"]] >= rank[min_trust]
                   for n in s["provides"]}
        return sorted(set(needs) - covered)

    hospital = [_source("UCI breast cancer", "verified", "tumour measurements", "diagnosis labels"),
                _source("hospital registry", "trusted", "diagnosis labels", "patient age"),
                _source("vendor export", "unknown", "imaging metadata")]
    overruled = [_source("lab", "verified", _NEEDS[0]), _source("scraped copy", "untrusted", _NEEDS[0], _NEEDS[1]),
                 _source("survey", "trusted", _NEEDS[1]), _source("forum", "unknown", _NEEDS[1])]
    no_key = {"name": "old export", "provides": [_NEEDS[1]]}
    order = ["imaging metadata", "patient age", "diagnosis labels", "tumour measurements"]
    unreadable = N_("A source with no recorded trust (None, NaN or no 'trust' key) covers nothing; it must not "
                    "crash the check either: read it with source.get('trust') and test whether it is one of "
                    "TRUST_LEVELS.")
    one_is_enough = N_("A need is covered when any one source trusted enough provides it, whatever the other "
                       "sources that provide it: do not let the first or the last source that provides a need "
                       "decide.")
    return CodeExercise(
        N_("Write uncovered_needs(needs, sources, min_trust): the needs, in the order of needs, that no source at "
           "least as trusted as min_trust provides (a source exactly at min_trust counts). Trust levels are "
           "ordered as in TRUST_LEVELS, least trusted first. Each source is a dict with 'provides' (a list of "
           "needs) and 'trust'; a trust nobody recorded (None, NaN, or no 'trust' key) covers nothing. Several "
           "sources may provide the same need: one source trusted enough is enough."),
        cases=[
            Case(N_("three hospital sources, one of unknown trust"), (_NEEDS, hospital, "trusted")),
            Case(N_("a source exactly at the minimum trust"), (_NEEDS[:2], [_source("survey", "trusted", _NEEDS[1])],
                                                           "trusted"), kind="tie"),
            Case(N_("sources between the minimum and the top level"),
                 (_NEEDS[:3], [_source("survey", "trusted", _NEEDS[0]), _source("forum", "unknown", _NEEDS[1])],
                  "untrusted"), kind="above"),
            Case(N_("a source of unknown trust with minimum 'trusted'"),
                 (_NEEDS[:2], [_source("scraped", "unknown", *_NEEDS[:2]), _source("lab", "verified", _NEEDS[0])],
                  "trusted"), kind="order"),
            Case(N_("a source whose trust was never recorded (None)"),
                 (_NEEDS[:2], [_source("old export", None, *_NEEDS[:2]), _source("lab", "verified", _NEEDS[0])],
                  "unknown"), kind="missing"),
            Case(N_("a source with no 'trust' key, and one whose trust is NaN"),
                 (_NEEDS[:2], [no_key, _source("copy", float("nan"), _NEEDS[0])], "untrusted"), kind="missing"),
            Case(N_("one need provided by sources above and below the minimum, in both orders"),
                 (_NEEDS[:3], overruled, "trusted"), kind="several"),
            Case(N_("needs listed out of alphabetical order"), (order, hospital[1:], "trusted"), kind="needs_order"),
            Case(N_("no sources registered yet"), (_NEEDS, [], "trusted"), kind="empty"),
        ],
        solution=_uncovered_needs,
        solution_code=solution_text(_uncovered_needs, "uncovered_needs"),
        hints={"tie": N_("'At least as trusted' includes the minimum itself: compare ranks with >=, not >."),
               "above": N_("Every level from min_trust up counts, not only min_trust itself and the top one: with "
                           "the minimum 'untrusted', an 'unknown' source covers its needs."),
               "order": N_("Trust levels are ranked, not sorted alphabetically: 'unknown' comes after 'trusted' in the "
                           "alphabet but below it in trust. Use the position in TRUST_LEVELS."),
               "missing": unreadable,
               "several": one_is_enough,
               "needs_order": N_("Return the uncovered needs in the order of needs: a set, or sorting, loses it."),
               "empty": N_("With no sources, every need is uncovered: return all of them, in order.")},
        generate=_generate_registry,
        examples=200,
        misconceptions=[
            Misconception(strict, N_("It looks as if a source exactly at min_trust does not count: 'at least as "
                                     "trusted' includes the minimum itself (>=, not >).")),
            Misconception(alphabetical, N_("It looks as if the trust levels were compared as words: rank them by "
                                           "their position in TRUST_LEVELS, not in the alphabet.")),
            Misconception(most_trusted_first, N_("It looks as if TRUST_LEVELS were read most trusted first: it "
                                                 "lists the least trusted level first, so a higher position means "
                                                 "more trust.")),
            Misconception(last_source_decides, one_is_enough),
            Misconception(first_source_decides, one_is_enough),
            Misconception(trust_and_provision_apart, N_("It looks as if one source could provide a need while "
                                                        "another is the trusted one: trust and provision must "
                                                        "belong to the same source.")),
            Misconception(trusts_everything_recorded, N_("It looks as if trust were not checked: a source below "
                                                         "min_trust covers nothing.")),
            Misconception(unrecorded_as_unknown, N_("It looks as if an unrecorded trust were read as a level: "
                                                    "a source whose trust nobody recorded covers nothing, whatever "
                                                    "the minimum.")),
            Misconception(crashes_on_unrecorded_trust, unreadable),
            Misconception(in_alphabetical_order, N_("Return the uncovered needs in the order of needs: a set, or "
                                                    "sorting, loses it.")),
        ],
        explanation=N_("A need is covered only by a source you may rely on; an unrecorded trust is no trust. Listing "
           "the uncovered needs before any data is collected is the point of conception: verify a source, or drop "
           "the need."),
    )


def questions():
    return {
        "uncovered_needs": _uncovered_needs_exercise(),
        "uncovered_need": ChoiceQuestion(
            N_("In the source registry, with the minimum trust 'trusted', which data need has no usable source?"),
            options={"a": N_("tumour measurements"), "b": N_("diagnosis labels"), "c": N_("patient age"),
                     "d": N_("imaging metadata")},
            correct="d",
            hints={"b": N_("Diagnosis labels come from the UCI data and the hospital registry, both trusted enough."),
                   "a": N_("The UCI data is verified and provides the measurements."),
                   "c": N_("The hospital registry is trusted and provides the age.")},
            explanation=N_("Only the vendor export provides imaging metadata, and its trust is unknown. Either the "
               "source is verified (format documented, provenance recorded) or the need is dropped — before any data "
               "is collected."),
        ),
        "predict_leak_alone": ChoiceQuestion(
            N_("Predict before you move the relevance lab's controls. Keep only record_id: how will the depth-3 "
               "tree's cross-validated accuracy compare with the accuracy it reaches on the 30 real measurements "
               "without record_id and noise?"),
            options={"chance": N_("Near chance level: a record number carries no information about a tumour."),
                     "between": N_("Somewhere in between, like the noise column."),
                     "higher": N_("As high or higher: if the records were numbered in an order that follows the "
                                  "diagnosis, the number encodes the label.")},
            correct="higher",
            hints={"chance": N_("Read how record_id was made (section 2), then keep only record_id in the lab and "
                                "compare."),
                   "between": N_("noise is random numbers; record_id was assigned after sorting by diagnosis. Keep "
                                 "each alone in the lab and compare.")},
            explanation=N_("Now compare in the lab: record_id alone scores above the 30 real measurements together, "
               "because the records were numbered after sorting by diagnosis. A number assigned by a clerk cannot "
               "know the diagnosis, so information that good is too good to be true: suspect a leak and find out how "
               "the column was made. In service, new records get new numbers and the model fails."),
        ),
        "find_the_leak": CheckQuestion(
            N_("Which feature does the screen flag as a suspected leak? Give its name."),
            checker=_screen_checker,
            solution_text="record_id",
            explanation=N_("record_id predicts the diagnosis better than the real measurements: suspect a leak. An "
               "identifier that predicts the outcome usually says how the records were sorted or exported, not "
               "anything about the patient."),
        ),
        "synthetic_source": ChoiceQuestion(
            N_("The registry lists 'Synthetic augmentation', generated from the UCI data, as trusted. What should "
               "worry the planners?"),
            options={"a": N_("Nothing: it is internal."),
                     "b": N_("A generator trained on generated data loses the tails (model collapse, stage 3)."),
                     "c": N_("Its licence.")},
            correct="b",
            hints={"a": N_("Trusted does not mean independent: it is derived from another source."),
                   "c": N_("The licence is internal; the risk is statistical.")},
            explanation=N_("Synthetic data adds no new information about the world and can degrade models; the "
               "planning stage decides whether and how much to use."),
        ),
    }
