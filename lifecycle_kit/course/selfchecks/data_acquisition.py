"""Self-checks of 04_data_acquisition: integrity at acquisition, label flips, backdoors."""

import functools

from lifecycle_kit.course.code_exercises import Case, CodeExercise, Misconception
from lifecycle_kit.course.exercises import ChoiceQuestion, NumericQuestion
from lifecycle_kit.course.selfchecks._source import solution_text
from lifecycle_kit.i18n import N_

# The question's setting: a trigger smaller than the lab's default, so the attack succeeds on part of the
# digits only and its success cannot be confused with the clean accuracy shown next to it.
BACKDOOR_RATE, BACKDOOR_PATCH, BACKDOOR_TARGET = 0.01, 2, 0


@functools.cache
def _backdoor_experiment():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.poisoning import PoisoningExperiment

    digits = load("digits")
    return PoisoningExperiment(digits.frame, digits.target, model="svc", random_state=0)


@functools.cache
def _backdoor_trial(rate, patch):
    from lifecycle_kit.poisoning import PixelPatch

    return _backdoor_experiment().run("backdoor", rate, target_label=BACKDOOR_TARGET, pattern=PixelPatch(size=patch))


def _backdoor_success():
    return _backdoor_trial(BACKDOOR_RATE, BACKDOOR_PATCH).attack_success


def _backdoor_clean_accuracy():
    return _backdoor_trial(BACKDOOR_RATE, BACKDOOR_PATCH).accuracy


def _success_at(rate, patch):
    """The attack success the lab shows at another setting: what a learner reads who set one control wrong."""
    return lambda: _backdoor_trial(rate, patch).attack_success


# The lab's defaults (BackdoorLab): a learner who leaves a control where it was reads one of these settings.
LAB_RATE, LAB_PATCH = 0.02, 3


def _backdoor_distractors():
    """``(distractors, hints)``: every number a learner plausibly reads or computes instead of the answer.

    Each is computed at its own setting and named for what it is, so a hint never calls a number something it is
    not (a success read at another share is said to be that, not "the default setting or the clean accuracy").
    """
    rate, patch = BACKDOOR_RATE, BACKDOOR_PATCH
    lower_rate, higher_rate = 0.005, 0.03  # the lab's slider stops either side of 0.01
    distractors = {
        N_("the clean test accuracy shown next to it"): _backdoor_clean_accuracy,
        N_("the attack success with the default 3-pixel patch"): _success_at(rate, LAB_PATCH),
        N_("the attack success at the lab's default share, 0.02, with the 2-pixel patch"): _success_at(LAB_RATE, patch),
        N_("the attack success at the lab's default setting (share 0.02, 3-pixel patch)"): _success_at(LAB_RATE,
                                                                                                       LAB_PATCH),
        N_("the attack success at a poisoned share of 0.005 (one stop too low)"): _success_at(lower_rate, patch),
        N_("the attack success at a poisoned share of 0.03 (one stop too high)"): _success_at(higher_rate, patch),
        N_("the attack success with a 1-pixel patch"): _success_at(rate, 1),
        N_("the attack success with a 4-pixel patch"): _success_at(rate, 4),
        N_("the share of triggered digits the model does *not* read as the target (1 - attack success)"):
            lambda: 1 - _backdoor_success(),
        N_("the poisoned share itself"): rate,
        N_("the number of poisoned training digits"): lambda: len(_backdoor_trial(rate, patch).poisoned),
    }
    hints = dict(zip(distractors, [
        N_("Clean accuracy is measured on digits without the trigger, and it hardly moves: that is why accuracy "
           "monitoring cannot see a backdoor. Read the attack success, the share of triggered digits read as the "
           "target."),
        N_("The patch size is still at its default, 3 pixels: shrink it to 2 and read the attack success again."),
        N_("The poisoned share is still at the lab's default, 0.02: set it to 0.01 and read again."),
        N_("Both controls are still at the lab's defaults: set the poisoned share to 0.01 and the patch to 2 pixels."),
        N_("The poisoned share is one stop too low: set it to 0.01."),
        N_("The poisoned share is one stop too high: set it to 0.01."),
        N_("The patch is one pixel too small: set it to 2."),
        N_("The patch is one pixel too large: set it to 2."),
        N_("Attack success counts the triggered digits the model *does* read as the target, not the ones it "
           "resists."),
        N_("That is the setting you chose, not a result: read the attack success the lab computes for it."),
        N_("That is how many training digits carry the trigger; the question asks for the share of triggered "
           "*test* digits read as the target."),
    ]))
    return distractors, hints


def _safe_to_load(files, manifest, signature, public_key):
    import hashlib

    from lifecycle_kit.integrity import verify_signature

    if not verify_signature(manifest, signature, public_key):
        return False
    if set(files) != set(manifest.files):
        return False
    return all(hashlib.sha256(content).hexdigest() == manifest.files[name]["sha256"]
               for name, content in files.items())




def _manifest_of(files):
    import hashlib

    from lifecycle_kit.integrity import Manifest

    return Manifest(files={name: {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
                           for name, content in files.items()})


@functools.cache
def _keys():
    """The steward's and an attacker's Ed25519 keys, derived from fixed seeds: the generated deliveries (and
    the inputs a learner is shown) are the same at every check, on every machine."""
    import hashlib

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    keys = {}
    for who in ("steward", "attacker"):
        key = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(f"lifecycle-kit {who}".encode()).digest())
        keys[who] = (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()),
                     key.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo))
    return keys


@functools.cache
def _shown_manifest():
    from dataclasses import dataclass

    from lifecycle_kit.integrity import Manifest

    @dataclass(frozen=True, repr=False)
    class ShownManifest(Manifest):
        """A Manifest (signed and read as any other) shown as the call that made it."""

        shown: str = ""

        def __repr__(self):
            return self.shown

    return ShownManifest


def _recorded(files):
    """The manifest of ``files``, shown as the call that made it."""
    from lifecycle_kit.course.generated_inputs import literal

    return _shown_manifest()(files=_manifest_of(files).files, shown=f"manifest_of({literal(files)})")


def _signed(manifest, who):
    from lifecycle_kit.course.generated_inputs import described
    from lifecycle_kit.integrity import sign

    return described(sign(manifest, _keys()[who][0]), f"sign({manifest!r}, {who}_private_key)")


def _generate_delivery(draw):
    """A signed delivery, then up to two of what can happen to it on the way: a byte changed, a file deleted,
    added, renamed or swapped with another, the manifest rewritten (unsigned, signed by the attacker, or re-signed
    by the steward), a signature of an older manifest; empty files and files with the same content."""
    from lifecycle_kit.course.generated_inputs import described

    contents = [b"id,label\n1,0\n", b"id,label\n2,1\n", b"", b"id,label\n3,0\n"]
    names = draw.sample(["agency_1.csv", "agency_2.csv", "README.md", "labels.csv"], max_size=3)
    files = {name: draw.one_of(contents, weights=[3, 2, 3, 1]) for name in names}
    manifest = _recorded(files)
    signature = _signed(manifest, "steward")
    for _ in range(draw.one_of([0, 1, 2], weights=[1, 2, 2])):
        what = draw.one_of(["change a byte", "delete", "add", "rename", "swap", "rewrite", "attacker signs",
                            "steward signs", "older signature"], weights=[2, 3, 2, 1, 2, 1, 1, 1, 1])
        present = sorted(files)
        if what == "change a byte" and present:
            name = draw.one_of(present)
            files[name] = files[name][:-1] + (b"1" if files[name][-1:] != b"1" else b"0")
        elif what == "delete" and present:
            del files[draw.one_of(present)]
        elif what == "add":
            files[draw.one_of(["agency_3.csv", "notes.txt"])] = draw.one_of(contents)
        elif what == "rename" and present:
            name = draw.one_of(present)
            files[draw.one_of(["agency_9.csv", name.upper()])] = files.pop(name)
        elif what == "swap" and len(present) >= 2:
            a, b = present[:2]
            files[a], files[b] = files[b], files[a]
        elif what == "rewrite":
            manifest = _recorded(files)
        elif what == "attacker signs":
            manifest = _recorded(files)
            signature = _signed(manifest, "attacker")
        elif what == "steward signs":  # a legitimate update: the steward records and signs the new state
            manifest = _recorded(files)
            signature = _signed(manifest, "steward")
        elif what == "older signature":
            signature = _signed(_recorded({"agency_1.csv": contents[0]}), "steward")
    return dict(files), manifest, signature, described(_keys()["steward"][1], "steward_public_key")


def _safe_to_load_exercise():
    import hashlib

    from lifecycle_kit.integrity import sign, verify_signature

    def digests_only(files, manifest, signature, public_key):  # trusts whatever manifest comes with the files
        return set(files) == set(manifest.files) and all(
            hashlib.sha256(c).hexdigest() == manifest.files[n]["sha256"] for n, c in files.items())

    def signature_only(files, manifest, signature, public_key):  # a signed manifest says nothing about other bytes
        return verify_signature(manifest, signature, public_key)

    def files_present_only(files, manifest, signature, public_key):  # a deleted file goes unnoticed
        return verify_signature(manifest, signature, public_key) and all(
            n in manifest.files and hashlib.sha256(c).hexdigest() == manifest.files[n]["sha256"]
            for n, c in files.items())

    def listed_files_only(files, manifest, signature, public_key):  # an added file goes unnoticed
        return verify_signature(manifest, signature, public_key) and all(
            n in files and hashlib.sha256(files[n]).hexdigest() == entry["sha256"]
            for n, entry in manifest.files.items())

    def digests_as_a_set(files, manifest, signature, public_key):  # the digests match, but not name by name
        return verify_signature(manifest, signature, public_key) and sorted(
            hashlib.sha256(c).hexdigest() for c in files.values()) == sorted(
            entry["sha256"] for entry in manifest.files.values())

    def sizes_only(files, manifest, signature, public_key):  # a changed byte keeps the size
        return verify_signature(manifest, signature, public_key) and set(files) == set(manifest.files) and all(
            len(c) == manifest.files[n]["size"] for n, c in files.items())

    steward_private, steward_public = _keys()["steward"]
    attacker_private, _public = _keys()["attacker"]
    files = {"agency_1.csv": b"id,score,label\n1,0.4,0\n2,0.9,1\n", "agency_2.csv": b"id,score,label\n3,0.2,0\n",
             "README.md": b"Acquired 2024-06-01 from two agencies.\n"}
    manifest = _manifest_of(files)
    signature = sign(manifest, steward_private)
    poisoned = {**files, "agency_2.csv": b"id,score,label\n3,0.2,1\n"}  # one label flipped: one byte changed
    rewritten = _manifest_of(poisoned)
    empty = _manifest_of({})
    swapped = {**files, "agency_1.csv": files["agency_2.csv"], "agency_2.csv": files["agency_1.csv"]}
    with_empty = {"agency_1.csv": files["agency_1.csv"], "errata.txt": b""}
    with_empty_manifest = _manifest_of(with_empty)
    set_hint = N_("Compare the sets of names too: a file missing from the delivery, or one the manifest never "
                  "listed, must stop the load (with False, not an error).")
    return CodeExercise(
        # The braces of {name: bytes} are doubled: a Message is a format string (its hash, a value, fills the
        # placeholder), and a translation need not show a Python dict.
        N_("Write safe_to_load(files, manifest, signature, public_key): True only when the manifest's signature is "
           "valid for the steward's public key and the files ({{name: bytes}}) are exactly the files the manifest "
           "lists — no file missing, none added — each with its recorded {hash} under its own name; False "
           "otherwise (never an error).", hash="SHA-256"),
        cases=[
            Case(N_("the files as acquired"), (files, manifest, signature, steward_public)),
            Case(N_("one byte of one file changed"), (poisoned, manifest, signature, steward_public), kind="digest"),
            Case(N_("file changed and manifest rewritten to match "
                    "it"), (poisoned, rewritten, signature, steward_public),
                 kind="signature"),
            Case(N_("manifest rewritten and signed with the attacker's own key"),
                 (poisoned, rewritten, sign(rewritten, attacker_private), steward_public), kind="signature"),
            Case(N_("the steward re-signed the manifest of the new files"),
                 (poisoned, rewritten, sign(rewritten, steward_private), steward_public), kind="update"),
            Case(N_("a listed file "
                    "missing"), ({k: v for k, v in files.items() if k != "README.md"}, manifest, signature,
                                           steward_public), kind="set"),
            Case(N_("a listed empty file missing"), ({"agency_1.csv": files["agency_1.csv"]}, with_empty_manifest,
                                                    sign(with_empty_manifest, steward_private), steward_public),
                 kind="set"),
            Case(N_("an extra file slipped in"), ({**files, "agency_3.csv": b"id,score,label\n4,0.7,1\n"}, manifest,
                                              signature, steward_public), kind="set"),
            Case(N_("a file delivered under another name"),
                 ({("AGENCY_2.csv" if k == "agency_2.csv" else k): v for k, v in files.items()}, manifest, signature,
                  steward_public), kind="set"),
            Case(N_("two files' contents swapped"), (swapped, manifest, signature, steward_public), kind="names"),
            Case(N_("an empty delivery with its signed empty manifest"), ({}, empty, sign(empty, steward_private),
                                                                     steward_public), kind="empty"),
        ],
        solution=_safe_to_load,
        solution_code=solution_text(_safe_to_load, "safe_to_load"),
        hints={"digest": N_("Recompute hashlib.sha256(content).hexdigest() for every file and compare it with "
                            "manifest.files[name]['sha256']: a valid signature vouches for the manifest, not the "
                            "files (and a changed byte keeps the size)."),
               "signature": N_("Check verify_signature(manifest, signature, public_key) first: whoever changed the "
                               "files can rewrite the digests, but cannot sign with the steward's private key."),
               "update": N_("A manifest the steward signed is trusted, whenever it was signed: when it lists the "
                            "files as they are, the delivery is safe."),
               "set": set_hint,
               "names": N_("Compare each file's digest with the digest recorded under its own name: the same "
                           "digests under swapped names are a changed delivery."),
               "empty": N_("An empty delivery that matches its signed empty manifest is consistent: all() of nothing "
                           "is True.")},
        generate=_generate_delivery,
        examples=150,
        misconceptions=[
            Misconception(digests_only, N_("It looks as if the signature were not checked: whoever changed the "
                                           "files can rewrite the digests too, but not sign with the steward's "
                                           "key.")),
            Misconception(signature_only, N_("It looks as if only the signature were checked: it vouches for the "
                                             "manifest, and the files must still match it.")),
            Misconception(files_present_only, N_("It looks as if only the delivered files were checked: a file the "
                                                 "manifest lists but the delivery lacks must stop the load.")),
            Misconception(listed_files_only, N_("It looks as if only the listed files were checked: a file the "
                                                "manifest never listed must stop the load too.")),
            Misconception(digests_as_a_set, N_("It looks as if the digests were compared as a collection: each "
                                               "file's digest must match the one recorded under its own name.")),
            Misconception(sizes_only, N_("It looks as if sizes were compared instead of digests: a changed byte "
                                         "keeps the size. Compare SHA-256 digests.")),
        ],
        explanation=N_("Two checks, in order: the signature proves who recorded the manifest, the digests prove the "
                       "files are what was recorded — and the names must match both ways. verify_signature with "
                       "verify_manifest, or open_archive, do this for folders and archives; by hand it shows what each "
                       "part protects."),
    )


def questions():
    return {
        "safe_to_load": _safe_to_load_exercise(),
        "predict_targeted": ChoiceQuestion(
            N_("Predict before you switch the poisoning lab's attack. At a rate of 0.40 you have seen random flips. "
               "With 'targeted: malignant -> benign' at the same rate, what happens compared with random flips?"),
            options={"same": N_("Both accuracy and malignant recall fall about as much as with random flips."),
                     "recall": N_("Overall accuracy falls less, but malignant recall falls much further: the flips all "
                                  "teach the model that malignant tumours look benign."),
                     "accuracy": N_("Overall accuracy falls further, and malignant recall is unchanged.")},
            correct="recall",
            hints={"same": N_("Random flips spread over both classes; targeted flips spend everything on one. Switch "
                              "the attack and compare the recall of each class."),
                   "accuracy": N_("The targeted attack changes only malignant labels: which class's recall do you "
                                  "expect to suffer? Switch the attack and compare.")},
            explanation=N_("Compare in the lab: with targeted flips the overall accuracy looks better than with random "
                           "flips, while the recall of the malignant class drops far below it. Accuracy averages over "
                           "classes and hides a targeted attack: monitor the recall of the class that matters."),
        ),
        "backdoor_success": NumericQuestion(
            N_("In the backdoor lab, set the poisoned share to {rate}, the target digit to {target} and shrink the "
               "trigger patch to {patch} pixels. What share of the triggered test digits does the model now read as "
               "{target} (attack success, as a fraction)?", rate=BACKDOOR_RATE, target=BACKDOOR_TARGET,
               patch=BACKDOOR_PATCH),
            answer=_backdoor_success,
            tolerance=0.002,
            distractors=_backdoor_distractors()[0],
            distractor_hints=_backdoor_distractors()[1],
            hints=[(lambda g, e: g > e, N_("Higher than the attack success at the setting the question names: check "
                                           "that the poisoned share is 0.01 and the patch 2 pixels, then read the "
                                           "attack success, not the accuracy.")),
                   (lambda g, e: g < e, N_("Lower than the attack success at the setting the question names: check "
                                           "that the poisoned share is 0.01 and the patch 2 pixels, and read the "
                                           "attack success as a fraction of the triggered digits."))],
            explanation=N_("A smaller trigger is a weaker signal: with the same handful of poisoned digits the model "
                           "learns it less reliably, so the attack succeeds on part of the triggered digits, not "
                           "almost all of them. Clean accuracy does not move either way: accuracy monitoring cannot "
                           "see a backdoor."),
        ),
        "see_a_backdoor": ChoiceQuestion(
            N_("Which checks can reveal the backdoor before the model is deployed?"),
            options={"accuracy": N_("monitoring accuracy on a clean test set"),
                     "trigger": N_("testing the model on inputs carrying candidate triggers during validation"),
                     "manifest": N_("verifying the acquired files against a signed manifest made at ingestion"),
                     "size": N_("checking that the training set has the expected number of rows")},
            correct={"trigger", "manifest"},
            hints={"accuracy": N_("The lab shows clean accuracy barely moves: monitoring it cannot see the backdoor."),
                   "size": N_("The attacker changed existing rows: the row count is the same.")},
            explanation=N_("A backdoor is invisible on clean data. It shows up when the model is tested with the "
                           "trigger (stage 7 makes it part of validation), and it is stopped earlier if poisoned files "
                           "are refused because they no longer match the manifest recorded — and signed — at "
                           "acquisition."),
        ),
        "rewritten_manifest": ChoiceQuestion(
            N_("An attacker changes agency_3.csv and then recomputes MANIFEST.json so the digests match again. What "
               "still catches the change?"),
            options={"digests": N_("the SHA-256 digests in the manifest"),
                     "signature": N_("the Ed25519 signature of the manifest, made with the steward's private key"),
                     "nothing": N_("nothing: the manifest now matches the data")},
            correct="signature",
            hints={"digests": N_("The attacker rewrote them: they now describe the poisoned file."),
                   "nothing": N_("The manifest was signed at acquisition; the attacker does not have the private "
                                 "key.")},
            explanation=N_("Digests detect change; a signature binds the digests to the person who recorded them. Keep "
                           "the private key away from the data, and the public key where verifiers can trust it."),
        ),
        "feed_priority": ChoiceQuestion(
            N_("Two systems use the bike rentals of section 5: one decides 15 minutes after each hour where to move "
               "bikes, the other writes a monthly report of registered riders. Which feed should each take?"),
            options={"by_purpose": N_("The real-time system the live feed, the report the nightly feed."),
                     "nightly": N_("The nightly feed for both: its counts are consistent."),
                     "live": N_("The live feed for both: it is the most current.")},
            correct="by_purpose",
            hints={"nightly": N_("The nightly feed arrives the next morning: the real-time system would always "
                                 "forecast from yesterday. Compare the forecast errors in the table."),
                   "live": N_("Part of the live feed's counts are preliminary: a monthly report built on them is "
                              "wrong by several percent. Compare the monthly errors in the table.")},
            explanation=N_("The purpose decides the priority characteristic, as the paper says: timeliness for a "
                           "real-time system, consistency for an analytic one. Measure both on every candidate source "
                           "before acquiring from it."),
        ),
    }
