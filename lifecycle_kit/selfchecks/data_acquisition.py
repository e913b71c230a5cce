"""Self-checks of 04_data_acquisition: integrity at acquisition, label flips, backdoors."""

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


def questions():
    return {
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
