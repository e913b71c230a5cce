"""Self-checks of 09_data_decommissioning: signatures, rows, datasheets, shredding."""

from lifecycle_kit.exercises import ChoiceQuestion


def questions():
    return {
        "forged_manifest": ChoiceQuestion(
            "Predict before you try it in the archive lab: the attacker changes a row and rewrites the row digests "
            "and the manifest so every digest matches ('manifest forged'). Which check still refuses the archive?",
            options={"digests": "the file digests of the manifest", "signature": "the signature chain",
                     "rows": "the row digests inside the archive"},
            correct="signature",
            hints={"digests": "They were recomputed by the attacker.",
                   "rows": "The attacker recomputed the row digests too: they match the changed table."},
            explanation="Only the signature binds the manifest to the archivist's key; every other check can be "
            "recomputed by whoever can write the archive.",
        ),
        "composition_answered": ChoiceQuestion(
            "Before any person answers a question, the penguins datasheet is already partly complete. Which section "
            "answers itself, and why?",
            options={"composition": "composition: the data itself tells its rows, types and gaps",
                     "motivation": "motivation: the kit knows why the data was collected",
                     "uses": "uses: the lineage records every use"},
            correct="composition",
            hints={"motivation": "Why a dataset was created is known only to the people who created it.",
                   "uses": "The lineage records transformations, not the systems that used the data."},
            explanation="Counts, types, label shares, missing values and duplicates can be read off the table; "
            "motivation, collection, labelling, uses, distribution and maintenance need people who know. An archive whose "
            "datasheet holds only what the data says about itself cannot be audited or safely reused.",
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
        "shredding": ChoiceQuestion(
            "What makes crypto-shredding work where deleting files may not?",
            options={"a": "With no copy of the key left, every copy of the ciphertext is unreadable.",
                     "b": "It overwrites the disk three times.",
                     "c": "It compresses the data first."},
            correct="a",
            hints={"b": "That is overwriting; solid-state disks and copy-on-write file systems may keep old blocks.",
                   "c": "Compression is unrelated to destruction."},
            explanation="Data encrypted from the start can be destroyed wherever its ciphertext was copied — backups "
            "included — by destroying its key, provided no copy of the key survives (NIST SP 800-88 lists "
            "cryptographic erase as a purge method).",
        ),
        "shredding_defeated": ChoiceQuestion(
            "You shredded the key of the encrypted archive. Which of these means the data is not destroyed after all?",
            options={"key_backup": "The key was also kept in a key-backup service.",
                     "ciphertext_backup": "Nightly backups hold copies of the ciphertext.",
                     "laptop": "An analyst's laptop holds a copy of the ciphertext."},
            correct="key_backup",
            hints={"ciphertext_backup": "A copy of the ciphertext is as unreadable as the original once no key is "
                                        "left: that is the point of crypto-shredding.",
                   "laptop": "Ciphertext without any key is unreadable, wherever it sits."},
            explanation="Crypto-shredding destroys every copy only of data encrypted under a key of which no copy "
            "survives. A backed-up, escrowed or exported key — or a copy of the data made before it was "
            "encrypted — keeps the data alive; destroying the keys is itself a destruction task to plan.",
        ),
    }
