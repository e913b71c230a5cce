"""Self-checks of 04_data_acquisition: integrity at acquisition, label flips, backdoors."""

from lifecycle_kit.code_exercises import Case, CodeExercise
from lifecycle_kit.exercises import ChoiceQuestion, NumericQuestion


def _backdoor_success():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.poisoning import PixelPatch, PoisoningExperiment

    digits = load("digits")
    experiment = PoisoningExperiment(digits.frame, digits.target, model="svc", random_state=0)
    return experiment.run("backdoor", 0.02, target_label=0, pattern=PixelPatch(size=3)).attack_success


def _random_flip_accuracy():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.poisoning import PoisoningExperiment

    cancer = load("breast_cancer")
    return PoisoningExperiment(cancer.frame, cancer.target, random_state=0).run("random", 0.4).accuracy


def _safe_to_load(files, manifest, signature, public_key):
    import hashlib

    from lifecycle_kit.integrity import verify_signature

    if not verify_signature(manifest, signature, public_key):
        return False
    if set(files) != set(manifest.files):
        return False
    return all(hashlib.sha256(content).hexdigest() == manifest.files[name]["sha256"]
               for name, content in files.items())


_SAFE_TO_LOAD_CODE = """\
import hashlib

from lifecycle_kit.integrity import verify_signature


def safe_to_load(files, manifest, signature, public_key):
    if not verify_signature(manifest, signature, public_key):
        return False
    if set(files) != set(manifest.files):
        return False
    return all(hashlib.sha256(content).hexdigest() == manifest.files[name]["sha256"]
               for name, content in files.items())
"""


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
        "Write safe_to_load(files, manifest, signature, public_key): True only when the manifest's signature is "
        "valid for the steward's public key AND the files ({name: bytes}) are exactly the files the manifest lists, "
        "each with its recorded SHA-256.",
        cases=[
            Case("the files as acquired", (files, manifest, signature, steward_public)),
            Case("one byte of one file changed", (poisoned, manifest, signature, steward_public), kind="digest"),
            Case("file changed and manifest rewritten to match it", (poisoned, rewritten, signature, steward_public),
                 kind="signature"),
            Case("manifest rewritten and signed with the attacker's own key",
                 (poisoned, rewritten, sign(rewritten, attacker_private), steward_public), kind="signature"),
            Case("a listed file missing", ({k: v for k, v in files.items() if k != "README.md"}, manifest, signature,
                                           steward_public), kind="set"),
            Case("an extra file slipped in", ({**files, "agency_3.csv": b"id,score,label\n4,0.7,1\n"}, manifest,
                                              signature, steward_public), kind="set"),
            Case("an empty delivery with its signed empty manifest", ({}, empty, sign(empty, steward_private),
                                                                     steward_public), kind="empty"),
        ],
        solution=_safe_to_load,
        solution_code=_SAFE_TO_LOAD_CODE,
        hints={"digest": "Recompute hashlib.sha256(content).hexdigest() for every file and compare it with "
                         "manifest.files[name]['sha256']: a valid signature vouches for the manifest, not the files.",
               "signature": "Check verify_signature(manifest, signature, public_key) first: whoever changed the "
                            "files can rewrite the digests, but cannot sign with the steward's private key.",
               "set": "Compare the sets of names too: a file missing from the delivery, or one the manifest never "
                      "listed, must stop the load.",
               "empty": "An empty delivery that matches its signed empty manifest is consistent: all() of nothing "
                        "is True."},
        wrong_answers={"digests only": digests_only, "signature only": signature_only,
                       "files present only": files_present_only},
        explanation="Two checks, in order: the signature proves who recorded the manifest, the digests prove the "
        "files are what was recorded — and the names must match both ways. verify_signature with "
        "verify_manifest, or open_archive, do this for folders and archives; by hand it shows what each part protects.",
    )


def questions():
    return {
        "safe_to_load": _safe_to_load_exercise(),
        "random_flips_40": NumericQuestion(
            "In the poisoning lab (logistic regression, all sources), set random flips at a rate of 0.40. What is "
            "the test accuracy?",
            answer=_random_flip_accuracy,
            tolerance=0.001,
            explanation="Random flips are an availability attack: with enough of them the model learns noise and "
            "accuracy falls on every class. Compare the targeted attack, which spends its flips on one class.",
        ),
        "backdoor_success": NumericQuestion(
            "In the backdoor lab (2% poisoned, target digit 0, patch size 3), what share of triggered test digits "
            "does the model read as 0 (attack success, as a fraction)?",
            answer=_backdoor_success,
            tolerance=0.002,
            hints=[(lambda g, e: g > e, "Too high: is that the clean test accuracy? The attack success is the other number."),
                   (lambda g, e: g < 0.5, "Too low: with the trigger, the model answers the target for most digits.")],
            explanation="A few dozen poisoned digits are enough: the model learns 'bright corner means 0' on top of "
            "the digits, so clean accuracy is unchanged while the trigger works almost every time.",
        ),
        "see_a_backdoor": ChoiceQuestion(
            "Which checks can reveal the backdoor before the model is deployed?",
            options={"accuracy": "monitoring accuracy on a clean test set",
                     "trigger": "testing the model on inputs carrying candidate triggers during validation",
                     "manifest": "verifying the acquired files against a signed manifest made at ingestion",
                     "size": "checking that the training set has the expected number of rows"},
            correct={"trigger", "manifest"},
            hints={"accuracy": "The lab shows clean accuracy barely moves: monitoring it cannot see the backdoor.",
                   "size": "The attacker changed existing rows: the row count is the same."},
            explanation="A backdoor is invisible on clean data. It shows up when the model is tested with the "
            "trigger (stage 7 makes it part of validation), and it is stopped earlier if poisoned files are refused "
            "because they no longer match the manifest recorded — and signed — at acquisition.",
        ),
        "rewritten_manifest": ChoiceQuestion(
            "An attacker changes agency_3.csv and then recomputes MANIFEST.json so the digests match again. What "
            "still catches the change?",
            options={"digests": "the SHA-256 digests in the manifest",
                     "signature": "the Ed25519 signature of the manifest, made with the steward's private key",
                     "nothing": "nothing: the manifest now matches the data"},
            correct="signature",
            hints={"digests": "The attacker rewrote them: they now describe the poisoned file.",
                   "nothing": "The manifest was signed at acquisition; the attacker does not have the private key."},
            explanation="Digests detect change; a signature binds the digests to the person who recorded them. Keep "
            "the private key away from the data, and the public key where verifiers can trust it.",
        ),
    }
