"""Self-checks of 09_data_decommissioning: signatures, rows, datasheets, shredding."""

from lifecycle_kit.exercises import ChoiceQuestion, NumericQuestion


def _completeness_two_sections():
    from lifecycle_kit.labs.decommission_labs import ArchiveLab

    lab = ArchiveLab()
    return lab.compute(documented=("motivation", "collection"), tamper="nothing", row=0, rotate=False,
                       shred=False)["completeness"]["overall"]


def questions():
    return {
        "forged_manifest": ChoiceQuestion(
            "In the archive lab, the attacker changes a row and rewrites the row digests and the manifest so every "
            "digest matches ('manifest forged'). Which check still refuses the archive?",
            options={"digests": "the file digests of the manifest", "signature": "the signature chain",
                     "rows": "the row digests inside the archive"},
            correct="signature",
            hints={"digests": "They were recomputed by the attacker.",
                   "rows": "The attacker recomputed the row digests too: they match the changed table."},
            explanation="Only the signature binds the manifest to the archivist's key; every other check can be "
            "recomputed by whoever can write the archive.",
        ),
        "rotation": ChoiceQuestion(
            "Why does rotating the key keep the old signature and add an endorsement instead of simply re-signing?",
            options={"a": "So the archive stays verifiable from the one key trusted at archiving time.",
                     "b": "To make the archive smaller.",
                     "c": "Because Ed25519 keys cannot sign twice."},
            correct="a",
            hints={"b": "The chain grows with every rotation.", "c": "A key can sign any number of messages."},
            explanation="Storage terms outlive keys. A chain where each key endorses the next lets a verifier start "
            "from the original trusted public key and follow the chain to the current one.",
        ),
        "datasheet_score": NumericQuestion(
            "In the archive lab, with only motivation and collection documented by people, what share of the "
            "datasheet's questions is answered (a fraction)?",
            answer=_completeness_two_sections,
            tolerance=0.005,
            explanation="Composition is answered from the data automatically; the other sections need people. An "
            "archive whose datasheet is mostly empty cannot be audited or safely reused.",
        ),
        "shredding": ChoiceQuestion(
            "What makes crypto-shredding work where deleting files may not?",
            options={"a": "Destroying one small key makes every copy of the ciphertext — backups included — unreadable.",
                     "b": "It overwrites the disk three times.",
                     "c": "It compresses the data first."},
            correct="a",
            hints={"b": "That is overwriting; solid-state disks and copy-on-write file systems may keep old blocks.",
                   "c": "Compression is unrelated to destruction."},
            explanation="Data encrypted from the start can be destroyed everywhere at once by destroying its key "
            "(NIST SP 800-88 lists cryptographic erase as a purge method).",
        ),
    }
