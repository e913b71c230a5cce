"""Self-checks of 11_capstone_multi_source: the poisoned source, blocking, the audit chain, per-source monitoring."""

from lifecycle_kit.exercises import ChoiceQuestion, NumericQuestion

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


def questions():
    from lifecycle_kit.platform import POISONABLE, unified_spec

    poisoned = _poisoned_source()
    # Whether the poisoned source was a trusted one depends on the seed: the texts below say what is true of it.
    trusted = poisoned in unified_spec().trusted_sources
    standing = ("its standing (it is on the list of trusted sources)" if trusted
                else "its standing alone (an untrusted source is a reason to check, not proof)")
    credibility_hint = ("The poisoned source was on the trusted list: trust in a source is not proof of its data."
                        if trusted else "Being untrusted is a reason to look, not evidence that labels were flipped.")
    return {
        "poisoned_source": ChoiceQuestion(
            "Commit to a suspect before any evidence: one agency's species labels were poisoned. Which one do you "
            "think it is? (Keep your reason in mind: it is tested in sections 3 and 7.)",
            options={name: name for name in POISONABLE},
            correct=poisoned,
            hints={name: "Not this one — but a guess is only a start. In the linkage lab (section 3), read which "
                         "source's labels contradict the other agencies' records of the same birds; in section 7, "
                         "which source, when dropped, improves the model on the trusted audit sample the most."
                   for name in POISONABLE if name != poisoned},
            explanation="Two independent signals will confirm it: its labels contradict the other agencies on the "
            "same birds far more often than any other source's, and dropping it improves the audit log-loss far "
            "more than dropping any other source. Note what did not point to it: " + standing + " and the form of "
            "its records (they are as clean as any).",
        ),
        "species_blocking": ChoiceQuestion(
            "Predict before you change the lab: blocking moves from 'study' to 'study + species' (threshold 0.95, "
            "identifier weight 0.5). What happens to the recall of the links?",
            options={"falls": "It falls: some records of one bird land in different blocks.",
                     "rises": "It rises: smaller blocks leave fewer wrong candidates.",
                     "same": "It stays the same: species is standardised."},
            correct="falls",
            hints={"rises": "Smaller blocks can raise precision; recall counts the true links found, and a pair "
                            "that is never compared cannot be found.",
                   "same": "The code lists are standardised, but the labels themselves are not all true."},
            explanation="Blocking compares only records that agree on the blocking keys. A flipped species label "
            "puts a bird's records in different blocks, so their link is never even considered: blocking keys must "
            "be columns every source records reliably, not a label an attacker can change.",
        ),
        "audit_deletion": NumericQuestion(
            "An administrator deletes entry 3 (0-based) of an audit log with five entries. At which index does "
            "verification report the first broken entry?",
            answer=_first_broken_after_deletion,
            tolerance=0,
            distractors={"the index the moved entry had before the deletion":
                         lambda: _first_broken_after_deletion() + 1,
                         "the entry before the deleted one": lambda: _first_broken_after_deletion() - 1,
                         "the number of entries before the deletion": 5},
            explanation="Entry 4 moves to position 3: its sequence number and its link to the previous hash no longer "
            "fit, so the chain breaks exactly where the deletion happened. Entries before it still verify.",
        ),
        "monitor_per_source": ChoiceQuestion(
            "Why does the platform monitor every source against its own reference instead of only the fused table?",
            options={"a": "A fault in one agency is diluted by the sources that did not change, so the fused "
                          "distribution may barely move.",
                     "b": "Drift tests cannot be run on more than 100 rows.",
                     "c": "Every source has its own drift test."},
            correct="a",
            hints={"b": "The tests run on any size; larger samples make them more sensitive, not less.",
                   "c": "The same test (Kolmogorov-Smirnov with a Holm correction) is used for every source."},
            explanation="A scale reading 15% heavy in one of four agencies moves the platform's mass distribution by "
            "roughly a quarter of that; per source, the shift is full size and the alarm names the source to call.",
        ),
        "per_source_quality": ChoiceQuestion(
            "The fused table's value completeness (Com-ML-1) is one number for the whole platform. What does it "
            "hide that the per-source table shows?",
            options={"one_source": "which agency causes the gaps, and in which columns",
                     "nothing": "nothing: the fused table is what the model sees",
                     "poison": "whether labels were flipped"},
            correct="one_source",
            hints={"nothing": "An average over sources is dominated by the large ones: look at the isotope "
                              "laboratory's column in the per-source table.",
                   "poison": "True, but no completeness score would show that: the question is what this score "
                             "hides that a per-source score would show."},
            explanation="A platform-level score averages over sources: the isotope laboratory records no body "
            "measurements, and its gaps are mixed with the three other agencies' few. Assessed per source, the "
            "problem has a name and an address — the agency to call.",
        ),
        "evidence": ChoiceQuestion(
            "Which evidence named the poisoned source without relying on any model?",
            options={"conflicts": "its labels contradict other agencies' records of the same birds",
                     "quality": "its ISO/IEC 5259-2 measures per source",
                     "credibility": "its credibility (Cre-ML-2) in the quality table"},
            correct="conflicts",
            hints={"quality": "Read the per-source quality table again: the poisoned source looks as clean as any. "
                              "Quality measures see form, not truth.",
                   "credibility": credibility_hint},
            explanation="Linking the records of one bird across agencies lets the agencies check each other: a source "
            "whose labels contradict the others on the same birds stands out. The per-source impact test is the "
            "second, independent signal — it needs a model and a trusted audit sample.",
        ),
    }
