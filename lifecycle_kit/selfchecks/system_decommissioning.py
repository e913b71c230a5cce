"""Self-checks of 10_system_decommissioning: residual data, models as data stores, membership inference,
and the difference between storage elements and supporting infrastructure."""

from lifecycle_kit.exercises import ChoiceQuestion


def questions():
    return {
        "purge_all_but_models": ChoiceQuestion(
            "Predict before you tick anything in the lab: you purge everything except the models. Where will the "
            "rescan still find the training rows?",
            options={"knn": "in the k-nearest-neighbours model", "logistic": "in the logistic regression model",
                     "nowhere": "nowhere"},
            correct="knn",
            hints={"logistic": "A logistic regression keeps one weight per feature, not the rows.",
                   "nowhere": "Rescan: one model still holds every row."},
            explanation="A k-NN model is its training data: fit() copies the rows into the model, which predicts by "
            "looking them up. Decommissioning must treat models as storage elements too.",
        ),
        "membership": ChoiceQuestion(
            "Which model leaks membership (the attack's whole interval lies above chance)?",
            options={"overfit_tree": "an unpruned decision tree (train accuracy 1.0)",
                     "logistic_regularised": "a regularised logistic regression"},
            correct="overfit_tree",
            hints={"logistic_regularised": "It scores its training rows as it scores new ones: nothing to exploit."},
            explanation="Overfitting is what the confidence-threshold attack (Yeom et al. 2018) feeds on: a model far "
            "more confident on its training rows tells an attacker which records were in the data.",
        ),
        "infrastructure": ChoiceQuestion(
            "Zatsarinny and Gavrilov remind that safety depends on the supporting infrastructure. Which of these is "
            "supporting infrastructure rather than a storage element holding a copy of the data?",
            options={"roads": "the road infrastructure a self-driving car uses",
                     "backup": "the backup tapes of the training data",
                     "cache": "the feature cache of the serving system"},
            correct="roads",
            hints={"backup": "A backup holds a copy of the data: it is a storage element to clear.",
                   "cache": "A cache holds a copy of the data: it is a storage element to clear."},
            explanation="Supporting infrastructure is the physical infrastructure the AI system relies on: a "
            "self-driving vehicle is only as safe as the road infrastructure is secured. Backups, caches, logs and "
            "models are storage elements holding data copies: they are cleared by sensitivity. Both matter, for "
            "different reasons.",
        ),
        "knn_clear": ChoiceQuestion(
            "The system is retired, but the k-NN model must be kept two more years for an audit. What do you do "
            "with models/knn.pkl?",
            options={"encrypt": "Encrypt it under its own key, log access, shred the key at the end.",
                     "delete": "Delete it now; the audit can use the logistic model.",
                     "rename": "Rename it so that routine scans skip it."},
            correct="encrypt",
            hints={"delete": "The audit needs the model that was in service; another model is no evidence of it.",
                   "rename": "The rescan reads contents, not names; hiding a copy is not clearing it."},
            explanation="A kept model is a kept copy of the training rows: protect it like the data (encryption, "
            "logged access) and plan its destruction now. Destroying the key destroys the model's contents wherever "
            "the ciphertext is copied — provided no copy of the key survives and no unencrypted copy was made.",
        ),
    }
