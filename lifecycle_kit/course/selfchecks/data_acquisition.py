"""Self-checks of 04_data_acquisition: integrity at acquisition, label flips, backdoors."""

import functools

from lifecycle_kit.course.code_exercises import Case, CodeExercise
from lifecycle_kit.course.exercises import ChoiceQuestion, NumericQuestion
from lifecycle_kit.i18n import N_
from lifecycle_kit.course.selfchecks._source import solution_text

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


def _backdoor_success_default_patch():
    return _backdoor_trial(BACKDOOR_RATE, 3).attack_success


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


def _safe_to_load_exercise():
    import hashlib

    from lifecycle_kit.integrity import generate_keypair, sign, verify_signature

    def digests_only(files, manifest, signature, public_key):  # trusts whatever manifest comes with the files
        return set(files) == set(manifest.files) and all(
            hashlib.sha256(c).hexdigest() == manifest.files[n]["sha256"] for n, c in files.items())

    def signature_only(files, manifest, signature, public_key):  # a signed manifest says nothing about other bytes
        return verify_signature(manifest, signature, public_key)

    def files_present_only(files, manifest, signature, public_key):  # a deleted or added file goes unnoticed
        return verify_signature(manifest, signature, public_key) and all(
            n not in manifest.files or hashlib.sha256(c).hexdigest() == manifest.files[n]["sha256"]
            for n, c in files.items())

    steward_private, steward_public = generate_keypair()
    attacker_private, _ = generate_keypair()
    files = {"agency_1.csv": b"id,score,label\n1,0.4,0\n2,0.9,1\n", "agency_2.csv": b"id,score,label\n3,0.2,0\n",
             "README.md": b"Acquired 2024-06-01 from two agencies.\n"}
    manifest = _manifest_of(files)
    signature = sign(manifest, steward_private)
    poisoned = {**files, "agency_2.csv": b"id,score,label\n3,0.2,1\n"}  # one label flipped: one byte changed
    rewritten = _manifest_of(poisoned)
    empty = _manifest_of({})
    return CodeExercise(
        # The braces of {name: bytes} are doubled: a Message is a format string (its hash, a value, fills the
        # placeholder), and a translation need not show a Python dict.
        N_("Write safe_to_load(files, manifest, signature, public_key): True only when the manifest's signature is "
           "valid for the steward's public key and the files ({{name: bytes}}) are exactly the files the manifest "
           "lists, each with its recorded {hash}.", hash="SHA-256"),
        cases=[
            Case(N_("the files as acquired"), (files, manifest, signature, steward_public)),
            Case(N_("one byte of one file changed"), (poisoned, manifest, signature, steward_public), kind="digest"),
            Case(N_("file changed and manifest rewritten to match "
                    "it"), (poisoned, rewritten, signature, steward_public),
                 kind="signature"),
            Case(N_("manifest rewritten and signed with the attacker's own key"),
                 (poisoned, rewritten, sign(rewritten, attacker_private), steward_public), kind="signature"),
            Case(N_("a listed file "
                    "missing"), ({k: v for k, v in files.items() if k != "README.md"}, manifest, signature,
                                           steward_public), kind="set"),
            Case(N_("an extra file slipped in"), ({**files, "agency_3.csv": b"id,score,label\n4,0.7,1\n"}, manifest,
                                              signature, steward_public), kind="set"),
            Case(N_("an empty delivery with its signed empty manifest"), ({}, empty, sign(empty, steward_private),
                                                                     steward_public), kind="empty"),
        ],
        solution=_safe_to_load,
        solution_code=solution_text(_safe_to_load, "safe_to_load"),
        hints={"digest": N_("Recompute hashlib.sha256(content).hexdigest() for every file and compare it with "
                            "manifest.files[name]['sha256']: a valid signature vouches for the manifest, not the "
                            "files."),
               "signature": N_("Check verify_signature(manifest, signature, public_key) first: whoever changed the "
                               "files can rewrite the digests, but cannot sign with the steward's private key."),
               "set": N_("Compare the sets of names too: a file missing from the delivery, or one the manifest never "
                         "listed, must stop the load."),
               "empty": N_("An empty delivery that matches its signed empty manifest is consistent: all() of nothing "
                           "is True.")},
        wrong_answers={"digests only": digests_only, "signature only": signature_only,
                       "files present only": files_present_only},
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
            distractors={
                N_("the clean test accuracy shown next to it"): _backdoor_clean_accuracy,
                N_("the attack success with the default 3-pixel patch"): _backdoor_success_default_patch,
            },
            hints=[(lambda g, e: 0.95 < g <= 1, N_("That is a number for the default setting or the clean test "
                                                   "accuracy. Set the patch to the size the question names and read "
                                                   "the attack success.")),
                   (lambda g, e: g < 0.3, N_("Too low: with the trigger, the model still answers the target for most "
                                             "of the triggered digits."))],
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
    }
