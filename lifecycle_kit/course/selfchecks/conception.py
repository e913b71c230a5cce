"""Self-checks of 01_conception: sources and trust, relevance and leaks."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise
from lifecycle_kit.course.exercises import CheckQuestion, ChoiceQuestion
from lifecycle_kit.i18n import N_
from lifecycle_kit.course.selfchecks._source import solution_text


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
        trust = source.get("trust")
        if trust in rank and rank[trust] >= rank[min_trust]:
            covered.update(source.get("provides") or [])
    return [need for need in needs if need not in covered]



_NEEDS = ["tumour measurements", "diagnosis labels", "patient age", "imaging metadata"]


def _source(name, trust, *provides):
    return {"name": name, "trust": trust, "provides": list(provides)}


def _uncovered_needs_exercise():
    def strict(needs, sources, min_trust):  # "at least" read as "more than"
        from lifecycle_kit.conception import TRUST_LEVELS

        rank = {level: i for i, level in enumerate(TRUST_LEVELS)}
        covered = {n for s in sources if s.get("trust") in rank and rank[s["trust"]] > rank[min_trust]
                   for n in s["provides"]}
        return [n for n in needs if n not in covered]

    def alphabetical(needs, sources, min_trust):  # compares the words, not the levels
        covered = {n for s in sources if s.get("trust") is not None and s["trust"] >= min_trust for n in s["provides"]}
        return [n for n in needs if n not in covered]

    def trusts_everything_recorded(needs, sources, min_trust):  # never looks at the trust at all
        covered = {n for s in sources for n in s["provides"]}
        return [n for n in needs if n not in covered]

    def crashes_on_unrecorded_trust(needs, sources, min_trust):
        from lifecycle_kit.conception import TRUST_LEVELS

        covered = {n for s in sources if TRUST_LEVELS.index(s["trust"]) >= TRUST_LEVELS.index(min_trust)
                   for n in s["provides"]}
        return [n for n in needs if n not in covered]

    hospital = [_source("UCI breast cancer", "verified", "tumour measurements", "diagnosis labels"),
                _source("hospital registry", "trusted", "diagnosis labels", "patient age"),
                _source("vendor export", "unknown", "imaging metadata")]
    return CodeExercise(
        N_("Write uncovered_needs(needs, sources, min_trust): the needs (in their order) that no source at least as "
           "trusted as min_trust provides. Trust levels are ordered as in TRUST_LEVELS, least trusted first."),
        cases=[
            Case(N_("three hospital sources, one of unknown trust"), (_NEEDS, hospital, "trusted")),
            Case(N_("a source exactly at the minimum trust"), (_NEEDS[:2], [_source("survey", "trusted", _NEEDS[1])],
                                                           "trusted"), kind="tie"),
            Case(N_("a source of unknown trust with minimum 'trusted'"),
                 (_NEEDS[:2], [_source("scraped", "unknown", *_NEEDS[:2]), _source("lab", "verified", _NEEDS[0])],
                  "trusted"), kind="order"),
            Case(N_("a source whose trust was never recorded (None)"),
                 (_NEEDS[:2], [_source("old export", None, *_NEEDS[:2]), _source("lab", "verified", _NEEDS[0])],
                  "unknown"), kind="missing"),
            Case(N_("no sources registered yet"), (_NEEDS, [], "trusted"), kind="empty"),
        ],
        solution=_uncovered_needs,
        solution_code=solution_text(_uncovered_needs, "uncovered_needs"),
        hints={"tie": N_("'At least as trusted' includes the minimum itself: compare ranks with >=, not >."),
               "order": N_("Trust levels are ranked, not sorted alphabetically: 'unknown' comes after 'trusted' in the "
                           "alphabet but below it in trust. Use the position in TRUST_LEVELS."),
               "missing": N_("A source with no recorded trust covers nothing; it must not crash the check either "
                             "(source.get('trust') is None)."),
               "empty": N_("With no sources, every need is uncovered: return all of them, in order.")},
        wrong_answers={"strict comparison": strict, "alphabetical comparison": alphabetical,
                       "trust ignored": trusts_everything_recorded, "crashes on None": crashes_on_unrecorded_trust},
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
