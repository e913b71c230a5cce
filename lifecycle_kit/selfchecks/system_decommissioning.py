"""Self-checks of 10_system_decommissioning: residual data, models as data stores, membership inference."""

from lifecycle_kit.exercises import ChoiceQuestion, NumericQuestion


def _knn_rows():
    from lifecycle_kit.datasets import load
    from lifecycle_kit.privacy import memorised_rows
    from sklearn.neighbors import KNeighborsClassifier

    cancer = load("breast_cancer")
    model = KNeighborsClassifier().fit(cancer.frame.to_numpy(), cancer.target)
    return memorised_rows(model, cancer.frame.to_numpy())


def questions():
    return {
        "purge_all_but_models": ChoiceQuestion(
            "In the decommission lab, purge everything except the models. Where is the training data still found?",
            options={"knn": "in the k-nearest-neighbours model", "logistic": "in the logistic regression model",
                     "nowhere": "nowhere"},
            correct="knn",
            hints={"logistic": "A logistic regression keeps one weight per feature, not the rows.",
                   "nowhere": "Rescan: one model still holds every row."},
            explanation="A k-NN model is its training data: it predicts by looking rows up. Decommissioning must "
            "purge models as data stores too.",
        ),
        "knn_rows": NumericQuestion(
            "A k-NN classifier is fitted on the 569 breast-cancer rows. How many of them are stored verbatim in the "
            "model?",
            answer=_knn_rows,
            tolerance=0,
            explanation="All of them: fit() copies the training rows into the model (its _fit_X attribute).",
        ),
        "membership": ChoiceQuestion(
            "Which model leaks membership (the attack beats chance)?",
            options={"overfit_tree": "an unpruned decision tree (train accuracy 1.0)",
                     "logistic_regularised": "a regularised logistic regression"},
            correct="overfit_tree",
            hints={"logistic_regularised": "It scores its training rows as it scores new ones: nothing to exploit."},
            explanation="Overfitting is what membership inference feeds on: a model far more confident on its "
            "training rows tells an attacker which records were in the data.",
        ),
    }
