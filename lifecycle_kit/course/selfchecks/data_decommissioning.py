"""Self-checks of 09_data_decommissioning: signatures, rows, datasheets, shredding."""

from lifecycle_kit.course.code_exercises import Case, CodeExercise, Misconception
from lifecycle_kit.course.exercises import ChoiceQuestion
from lifecycle_kit.course.selfchecks._source import solution_text
from lifecycle_kit.i18n import N_


def _merkle_root(leaves):
    """RFC 6962 root (hex) of hex leaf hashes: pairs hashed with 0x01, an odd node promoted, never duplicated."""
    import hashlib

    if not leaves:
        return hashlib.sha256(b"").hexdigest()  # RFC 6962: the hash of an empty list is SHA-256 of nothing
    level = [bytes.fromhex(leaf) for leaf in leaves]
    while len(level) > 1:
        paired = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])  # the odd node moves up unchanged
        level = paired
    return level[0].hex()


def _leaves(count):
    """Leaf hashes of ``count`` small rows, as row_digests would give them."""
    import hashlib

    return [hashlib.sha256(b"\x00" + f'["{i}","{0.5 * i}"]'.encode()).hexdigest() for i in range(count)]


def _generate_leaves(draw):
    """Lists of 0 to 17 leaf hashes (odd counts on several levels), some of them repeated."""
    pool = _leaves(6)
    count = draw.one_of([3, 5, 6, 7, 2, 4, 1, 0, 9, 11, 12, 13, 17], weights=[3, 3, 2, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1])
    return ([draw.one_of(pool) for _ in range(count)],)


def _root_duplicating(leaves):
    import hashlib

    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = [bytes.fromhex(leaf) for leaf in leaves]
    while len(level) > 1:
        if len(level) % 2:
            level = level + level[-1:]
        level = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level[0].hex()


def _root_without_prefix(leaves):
    import hashlib

    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = [bytes.fromhex(leaf) for leaf in leaves]
    while len(level) > 1:
        paired = [hashlib.sha256(level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        level = paired + level[-1:] if len(level) % 2 else paired
    return level[0].hex()


def _root_of_hex_text(leaves):
    import hashlib

    level = list(leaves)
    while len(level) > 1:
        paired = [hashlib.sha256(("01" + level[i] + level[i + 1]).encode()).hexdigest()
                  for i in range(0, len(level) - 1, 2)]
        level = paired + level[-1:] if len(level) % 2 else paired
    return level[0]


def _merkle_exercise():
    import hashlib

    def halves(leaves, rounding=0):  # split in the middle, not at the largest power of two
        if not leaves:
            return hashlib.sha256(b"").hexdigest()
        if len(leaves) == 1:
            return leaves[0]
        middle = (len(leaves) + rounding) // 2
        return hashlib.sha256(b"\x01" + bytes.fromhex(halves(leaves[:middle], rounding))
                              + bytes.fromhex(halves(leaves[middle:], rounding))).hexdigest()

    def larger_left_half(leaves):
        return halves(leaves, rounding=1)

    def sorted_leaves(leaves):
        return _merkle_root(sorted(leaves))

    def upper_case(leaves):
        return _merkle_root(leaves).upper()

    def leaves_hashed_again(leaves):  # the leaves are already hashes: hashing them with 0x00 again is another tree
        return _merkle_root([hashlib.sha256(b"\x00" + bytes.fromhex(leaf)).hexdigest() for leaf in leaves])

    def odd_hashed_alone(leaves):  # the odd node hashed on its own instead of moving up
        if not leaves:
            return hashlib.sha256(b"").hexdigest()
        level = [bytes.fromhex(leaf) for leaf in leaves]
        while len(level) > 1:
            level = [hashlib.sha256(b"\x01" + b"".join(level[i:i + 2])).digest() for i in range(0, len(level), 2)]
        return level[0].hex()

    def first_node_promoted(leaves):  # pairs taken from the right: the first node moves up
        if not leaves:
            return hashlib.sha256(b"").hexdigest()
        level = [bytes.fromhex(leaf) for leaf in leaves]
        while len(level) > 1:
            start = len(level) % 2
            level = level[:start] + [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
                                     for i in range(start, len(level), 2)]
        return level[0].hex()

    def single_leaf_hashed(leaves):  # one leaf hashed once more instead of being its own root
        if not leaves:
            return hashlib.sha256(b"").hexdigest()
        if len(leaves) == 1:
            return hashlib.sha256(b"\x01" + bytes.fromhex(leaves[0])).hexdigest()
        return _merkle_root(leaves)

    return CodeExercise(
        N_("Write merkle_root(leaves): the RFC 6962 root, as hex, of a list of hex leaf hashes (what row_digests "
           "returns). Hash neighbours in pairs as SHA-256(0x01 || left || right) over the raw bytes, level by level; "
           "a node left without a partner (the last of an odd level) moves up unchanged (never paired with a copy of "
           "itself, never hashed alone). One leaf is its own root; an empty list has the root SHA-256 of nothing. "
           "Leaves may repeat. Return lower-case hex, as hexdigest() gives it."),
        cases=[Case(N_("four rows"), (_leaves(4),)),
               Case(N_("three rows (an odd node)"), (_leaves(3),), kind="odd"),
               Case(N_("seven rows (odd nodes on two levels)"), (_leaves(7),), kind="odd"),
               Case(N_("six rows (an odd node on the second level)"), (_leaves(6),), kind="odd"),
               Case(N_("two rows swapped"), ([_leaves(2)[1], _leaves(2)[0]],), kind="order"),
               Case(N_("two rows with the same digest"), ([_leaves(1)[0]] * 2,), kind="basic"),
               Case(N_("a single row"), (_leaves(1),), kind="single"),
               Case(N_("an empty table"), ([],), kind="empty")],
        solution=_merkle_root,
        solution_code=solution_text(_merkle_root, "merkle_root"),
        hints={"basic": N_("Hash bytes, not hex text: bytes.fromhex(leaf), then hashlib.sha256(b'\\x01' + left + "
                           "right).digest(); the 0x01 prefix keeps an inner node from passing for a leaf."),
               "odd": N_("An odd node moves up unchanged. Pairing it with a copy of itself makes [a, b, c] and [a, "
                         "b, c, c] share a root (CVE-2012-2459)."),
               "order": N_("The leaves are hashed in their order: rows in another order are another table, with "
                           "another root (never sort them)."),
               "single": N_("A tree of one leaf is that leaf: its root is the leaf hash itself."),
               "empty": N_("RFC 6962 defines the root of no leaves as hashlib.sha256(b'').hexdigest().")},
        generate=_generate_leaves,
        examples=200,
        misconceptions=[
            Misconception(_root_duplicating, N_("It looks as if the odd node were paired with a copy of itself: it "
                                                "moves up unchanged, or [a, b, c] and [a, b, c, c] share a root "
                                                "(CVE-2012-2459).")),
            Misconception(_root_without_prefix, N_("It looks as if the 0x01 prefix were left out: hash b'\\x01' + "
                                                   "left + right, so that an inner node cannot pass for a leaf.")),
            Misconception(_root_of_hex_text, N_("It looks as if the hex text were hashed: hash the raw bytes "
                                                "(bytes.fromhex(leaf)), then give the root as hex.")),
            Misconception(halves, N_("It looks as if the list were split in the middle: RFC 6962 pairs neighbours "
                                     "level by level (equivalently, splits at the largest power of two below the "
                                     "count).")),
            Misconception(larger_left_half, N_("It looks as if the list were split in the middle: RFC 6962 pairs "
                                               "neighbours level by level (equivalently, splits at the largest "
                                               "power of two below the count).")),
            Misconception(sorted_leaves, N_("The leaves are hashed in their order: rows in another order are another "
                                            "table, with another root (never sort them).")),
            Misconception(upper_case, N_("It looks as if the root were given in capitals: return lower-case hex, as "
                                         "hexdigest() and .hex() give it.")),
            Misconception(leaves_hashed_again, N_("It looks as if the leaves were hashed again: they already are the "
                                                  "leaf hashes; pair them as they are.")),
            Misconception(odd_hashed_alone, N_("It looks as if the odd node were hashed on its own: it moves up "
                                               "unchanged to the next level.")),
            Misconception(first_node_promoted, N_("It looks as if pairs were taken from the right: pair the nodes "
                                                  "from the left, and the last one, left without a partner, moves "
                                                  "up.")),
            Misconception(single_leaf_hashed, N_("A tree of one leaf is that leaf: its root is the leaf hash "
                                                 "itself.")),
        ],
        explanation=N_("This is the tree of Certificate Transparency (RFC 6962), the one RowManifest signs: the "
                       "prefixes separate leaves from nodes and promotion (not duplication) gives every table its "
                       "own root."),
    )


def _changed_rows(signed_leaves, current_leaves):
    """Positions whose leaf hash differs, plus every position present in only one of the two lists."""
    common = min(len(signed_leaves), len(current_leaves))
    changed = [i for i in range(common) if signed_leaves[i] != current_leaves[i]]
    return changed + list(range(common, max(len(signed_leaves), len(current_leaves))))


def _changed_zip_only(signed_leaves, current_leaves):
    return [i for i, (a, b) in enumerate(zip(signed_leaves, current_leaves)) if a != b]


def _changed_first_only(signed_leaves, current_leaves):
    for i, (a, b) in enumerate(zip(signed_leaves, current_leaves)):
        if a != b:
            return [i]
    common = min(len(signed_leaves), len(current_leaves))
    return list(range(common, max(len(signed_leaves), len(current_leaves))))


def _changed_by_set(signed_leaves, current_leaves):
    signed = set(signed_leaves)
    return [i for i, leaf in enumerate(current_leaves) if leaf not in signed]


def _edited(leaves, *positions):
    import hashlib

    out = list(leaves)
    for i in positions:
        out[i] = hashlib.sha256(b"\x00" + f'["{i}","edited"]'.encode()).hexdigest()
    return out


def _generate_changed_table(draw):
    """A signed list of up to 10 leaves (some repeated) and the current one after up to three edits: a row changed
    (to a new digest or to another row's), rows deleted or appended at the end (copies of signed rows among them), a
    row deleted or inserted in the middle (every later position moves), two rows swapped."""
    pool = _leaves(5)
    new_rows = _edited(_leaves(12), *range(12))
    signed = draw.items(lambda d: d.one_of(pool), max_size=10)
    current = list(signed)
    for _ in range(draw.one_of([1, 2, 0, 3])):
        what = draw.one_of(["edit", "delete at the end", "append", "delete inside", "insert inside", "swap"])
        if what == "edit" and current:
            current[draw.integer(0, len(current) - 1)] = draw.one_of([draw.one_of(new_rows), draw.one_of(pool)])
        elif what == "delete at the end" and current:
            del current[len(current) - draw.integer(1, min(3, len(current))):]
        elif what == "append":
            current += [draw.one_of([*signed[-1:], *pool]) for _ in range(draw.integer(1, 2))]
        elif what == "delete inside" and current:
            del current[draw.integer(0, len(current) - 1)]
        elif what == "insert inside":
            current.insert(draw.integer(0, len(current)), draw.one_of(new_rows))
        elif what == "swap" and len(current) >= 2:
            i, j = draw.integer(0, len(current) - 1), draw.integer(0, len(current) - 1)
            current[i], current[j] = current[j], current[i]
    return signed, current


def _changed_rows_exercise():
    import difflib

    def only_deletions(signed_leaves, current_leaves):  # rows appended after signing are forgotten
        return [i for i, (a, b) in enumerate(zip(signed_leaves, current_leaves)) if a != b] + list(
            range(len(current_leaves), len(signed_leaves)))

    def aligned(signed_leaves, current_leaves):  # rows matched by content: a shift is not a change
        matcher = difflib.SequenceMatcher(a=signed_leaves, b=current_leaves, autojunk=False)
        changed = set()
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                changed.update(range(min(i1, j1), max(i2, j2)))
        return sorted(changed)

    def off_by_one_tail(signed_leaves, current_leaves):
        common = min(len(signed_leaves), len(current_leaves))
        changed = [i for i in range(common) if signed_leaves[i] != current_leaves[i]]
        return changed + list(range(common + 1, max(len(signed_leaves), len(current_leaves))))

    signed = _leaves(8)
    shifted = signed[:3] + signed[4:]
    swapped = list(signed)
    swapped[2], swapped[5] = swapped[5], swapped[2]
    repeated = [signed[0], signed[1], signed[0], signed[1]]
    length_hint = N_("zip stops at the shorter list: rows deleted or appended at the end are changes too, and a "
                     "copied row is not 'already signed': compare position by position.")
    return CodeExercise(
        N_("Write changed_rows(signed_leaves, current_leaves): the sorted list of row positions that differ between "
           "the signed row digests and the current ones, compared position by position — a changed row, and every "
           "row present in only one of the two lists (added or deleted at the end); each position once. A row "
           "deleted or inserted in the middle moves every later row, so all those positions differ (no "
           "alignment). Equal lists give []."),
        cases=[Case(N_("one edited row"), (signed, _edited(signed, 5))),
               Case(N_("two edited rows"), (signed, _edited(signed, 1, 6)), kind="several"),
               Case(N_("no change"), (signed, list(signed)), kind="none"),
               Case(N_("the last two rows deleted"), (signed, signed[:6]), kind="length"),
               Case(N_("a row appended (a copy of the last)"), (signed, signed + signed[-1:]), kind="length"),
               Case(N_("two rows appended and one edited"), (signed[:5], _edited(signed, 2)[:7]), kind="length"),
               Case(N_("a row deleted in the middle"), (signed, shifted), kind="shift"),
               Case(N_("two rows swapped"), (signed, swapped), kind="set"),
               Case(N_("repeated rows, one of them edited"), (repeated, _edited(repeated, 2)), kind="set"),
               Case(N_("nothing signed yet, two rows now"), ([], signed[:2]), kind="length")],
        solution=_changed_rows,
        solution_code=solution_text(_changed_rows, "changed_rows"),
        hints={"several": N_("Report every differing position, not only the first."),
               "none": N_("Equal lists have no changed row: return an empty list."),
               "length": length_hint,
               "shift": N_("Compare position by position: after a row deleted in the middle, every later position "
                           "holds another row, and each of them is a change."),
               "set": N_("A digest that appears somewhere in the signed list is not proof that its row is "
                         "unchanged: compare signed_leaves[i] with current_leaves[i].")},
        generate=_generate_changed_table,
        examples=200,
        misconceptions=[
            Misconception(_changed_zip_only, length_hint),
            Misconception(_changed_first_only, N_("It looks as if only the first change were reported: report "
                                                  "every differing position.")),
            Misconception(_changed_by_set, N_("It looks as if rows were looked up in the signed list: a digest "
                                              "found elsewhere in it is not proof that its row is unchanged. "
                                              "Compare position by position.")),
            Misconception(only_deletions, N_("It looks as if only deleted rows were added to the changes: rows "
                                             "appended after signing are changes too.")),
            Misconception(aligned, N_("It looks as if the rows were aligned by content: the task compares "
                                      "position by position, so a shift changes every later position.")),
            Misconception(off_by_one_tail, N_("It looks as if the first position past the shorter list were left "
                                              "out: range(common, longer) starts at common.")),
        ],
        explanation=N_("The root says that a table changed; the row digests say where. With the signed root, each "
                       "row can also be proved to belong to the table by an inclusion proof of about log2(n) hashes."),
    )


def questions():
    return {
        "merkle_root": _merkle_exercise(),
        "changed_rows": _changed_rows_exercise(),
        "forged_manifest": ChoiceQuestion(
            N_("Predict before you try it in the archive lab: the attacker changes a row and rewrites the row "
               "digests and the manifest so every digest matches ('manifest forged'). Which check still refuses the "
               "archive?"),
            options={"digests": N_("the file digests of the manifest"), "signature": N_("the signature chain"),
                     "rows": N_("the row digests inside the archive")},
            correct="signature",
            hints={"digests": N_("They were recomputed by the attacker."),
                   "rows": N_("The attacker recomputed the row digests too: they match the changed table.")},
            explanation=N_("Only the signature binds the manifest to the archivist's key; every other check can be "
                           "recomputed by whoever can write the archive."),
        ),
        "composition_answered": ChoiceQuestion(
            N_("Before any person answers a question, the penguins datasheet is already partly complete. Which "
               "section answers itself, and why?"),
            options={"composition": N_("composition: the data itself tells its rows, types and gaps"),
                     "motivation": N_("motivation: the kit knows why the data was collected"),
                     "uses": N_("uses: the lineage records every use")},
            correct="composition",
            hints={"motivation": N_("Why a dataset was created is known only to the people who created it."),
                   "uses": N_("The lineage records transformations, not the systems that used the data.")},
            explanation=N_("Counts, types, label shares, missing values and duplicates can be read off the table; "
                           "motivation, collection, labelling, uses, distribution and maintenance need people who "
                           "know. An archive whose datasheet holds only what the data says about itself cannot be "
                           "audited or safely reused."),
        ),
        "rotation": ChoiceQuestion(
            N_("Why does rotating the key keep the old signature and add an endorsement instead of simply re-signing?"),
            options={"a": N_("So the archive stays verifiable from the one key trusted at archiving time."),
                     "b": N_("To make the archive smaller."),
                     "c": N_("Because Ed25519 keys cannot sign twice.")},
            correct="a",
            hints={"b": N_("The chain grows with every rotation."), "c": N_("A key can sign any number of messages.")},
            explanation=N_("Storage terms outlive keys. A chain where each key endorses the next lets a verifier "
                           "start from the original trusted public key and follow the chain to the current one."),
        ),
        "shredding": ChoiceQuestion(
            N_("What makes crypto-shredding work where deleting files may not?"),
            options={"a": N_("With no copy of the key left, every copy of the ciphertext is unreadable."),
                     "b": N_("It overwrites the disk three times."),
                     "c": N_("It compresses the data first.")},
            correct="a",
            hints={"b": N_("That is overwriting; solid-state disks and copy-on-write file systems may keep old "
                           "blocks."),
                   "c": N_("Compression is unrelated to destruction.")},
            explanation=N_("Data encrypted from the start can be destroyed wherever its ciphertext was copied — "
                           "backups included — by destroying its key, provided no copy of the key survives (NIST SP "
                           "800-88 lists cryptographic erase as a purge method)."),
        ),
        "shredding_defeated": ChoiceQuestion(
            N_("You shredded the key of the encrypted archive. Which of these means the data is not destroyed after "
               "all?"),
            options={"key_backup": N_("The key was also kept in a key-backup service."),
                     "ciphertext_backup": N_("Nightly backups hold copies of the ciphertext."),
                     "laptop": N_("An analyst's laptop holds a copy of the ciphertext.")},
            correct="key_backup",
            hints={"ciphertext_backup": N_("A copy of the ciphertext is as unreadable as the original once no key is "
                                           "left: that is the point of crypto-shredding."),
                   "laptop": N_("Ciphertext without any key is unreadable, wherever it sits.")},
            explanation=N_("Crypto-shredding destroys every copy only of data encrypted under a key of which no copy "
                           "survives. A backed-up, escrowed or exported key — or a copy of the data made before it "
                           "was encrypted — keeps the data alive; destroying the keys is itself a destruction task "
                           "to plan."),
        ),
    }
