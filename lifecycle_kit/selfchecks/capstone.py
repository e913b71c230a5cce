"""Self-checks of 11_capstone_multi_source: the poisoned source, blocking, the audit chain, per-source monitoring."""

from lifecycle_kit.exercises import ChoiceQuestion, NumericQuestion

#: The capstone's sources: the seed and the share of one source's labels the attacker flipped.
SEED, POISON_RATE = 0, 0.4


def _poisoned_source():
    from lifecycle_kit.platform import agency_sources

    return agency_sources(poison_rate=POISON_RATE, random_state=SEED).poisoned["source"]


def _species_blocking_recall():
    from lifecycle_kit.labs.platform_lab import LinkageLab

    lab = LinkageLab(random_state=SEED)
    return lab.compute(block_on="study + species", threshold=0.95, id_weight=0.5, exact=False)["recall"]


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
    from lifecycle_kit.platform import POISONABLE

    poisoned = _poisoned_source()
    return {
        "poisoned_source": ChoiceQuestion(
            "One agency's species labels were poisoned. Which one?",
            options={name: name for name in POISONABLE},
            correct=poisoned,
            hints={name: "Look at both pieces of evidence: which source's labels disagree with the other sources' "
                         "records of the same birds, and which source, when dropped, improves the model on the "
                         "trusted audit sample the most?" for name in POISONABLE if name != poisoned},
            explanation="Two independent signals agree: its labels contradict the other agencies on the same birds "
            "about 40% of the time, and dropping it improves the audit log-loss far more than dropping any other "
            "source.",
        ),
        "species_blocking": NumericQuestion(
            "In the linkage lab, block on 'study + species' (threshold 0.95, identifier weight 0.5). What recall do "
            "the links reach (a fraction)?",
            answer=_species_blocking_recall,
            tolerance=0.0005,
            explanation="Blocking compares only records that agree on the blocking keys. A flipped species label puts "
            "a bird's records in different blocks, so their link is never even considered: blocking keys must be "
            "columns every source records reliably — and never a label an attacker can change.",
        ),
        "audit_deletion": NumericQuestion(
            "An administrator deletes entry 3 (0-based) of an audit log with five entries. At which index does "
            "verification report the first broken entry?",
            answer=_first_broken_after_deletion,
            tolerance=0,
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
    }
